# Aggregation over a cluster, as logbook-aggregate(1) and logbook(7)
# give it: GNU parallel over ssh to two hosts (an sshd of the test's own
# on 127.0.0.1, tests/sshd.sh), by blocks of one file (--pipepart) and
# by compressed files sent to the hosts (--transferfile), then one
# merge; and the Hadoop Streaming recipe run locally the way streaming
# runs it (splits, mapper, combiner, a sort by key between, one and
# eight reducers).  Each gives logbook-aggregate's rows of one local run.
. "$TOP/tests/lib.sh"
. "$TOP/tests/sshd.sh"

for c in parallel rsync ssh ssh-keygen /usr/sbin/sshd; do
	command -v "$c" >/dev/null 2>&1 || {
		notok "cluster: $c is not installed (tests/deps.sh installs it)"
		exit 0
	}
done

logbook-genlog --lines 60000 --days 2 --seed 21 --format nginx |
    logbook-ingest >ev.ndjson 2>/dev/null
logbook-aggregate -j 1 ev.ndjson >want
logbook-aggregate -j 1 -b status --bucket day ev.ndjson >want.day

if ! sshd_start "$PWD/ssh"; then
	notok "cluster: the test's sshd does not start"
	sed 5q ssh/sshd.log 2>/dev/null
	exit 0
fi
trap sshd_stop EXIT
ok "cluster: an sshd on 127.0.0.1:$SSHD_PORT, hosts h1 and h2"

# The pipe of logbook-aggregate(1): blocks of whole lines to each host.
parallel --ssh "$SSHD_SSH" -S 1/h1,1/h2 --env PATH --joblog jobs \
    --pipepart --block -1 -a ev.ndjson logbook-aggregate --partial |
    logbook-aggregate --merge >got
check "cluster: --pipepart over ssh, then --merge: the rows of one run" \
    cmp -s want got
check_eq "cluster: ... both hosts had jobs" \
    "$(awk -F'\t' 'NR > 1 { print $2 }' jobs | sort -u | tr '\n' ' ')" "h1 h2 "
check_eq "cluster: ... and every job ended 0" \
    "$(awk -F'\t' 'NR > 1 && $7 != 0' jobs | wc -l)" 0

# Each host aggregates the events it holds; only partial rows travel.
# Both hosts are this machine here, so each reads its own folder, named
# after it ($PARALLEL_SSHLOGIN); a real host reads its local path.
mkdir -p held/h1 held/h2
head -n 30000 ev.ndjson >held/h1/events.ndjson
tail -n +30001 ev.ndjson | gzip >held/h2/events.ndjson.gz
parallel --ssh "$SSHD_SSH" --nonall -S h1,h2 --env PATH \
    "logbook-aggregate -p $PWD/held/\$PARALLEL_SSHLOGIN/events.*" |
    logbook-aggregate -m >got.held
check "cluster: --nonall, each host its own events, then --merge" \
    cmp -s want got.held

# Compressed files, sent to the hosts and removed after.
split -n l/4 -d ev.ndjson part-
for f in part-0?; do
	gzip -c "$f" >"$f.ndjson.gz"
done
mkdir remote
parallel --ssh "$SSHD_SSH" -S h1,h2 --env PATH --workdir "$PWD/remote" \
    --transferfile {} --cleanup logbook-aggregate -p -b status \
    --bucket day {} ::: part-0?.ndjson.gz | logbook-aggregate -m >got.day
check "cluster: --transferfile of .gz files, daily rows by status" \
    cmp -s want.day got.day
check_eq "cluster: ... the files sent were cleaned up" \
    "$(find remote -type f | wc -l)" 0

# Hadoop Streaming, one reducer: splits through mapper and combiner, all
# map output sorted (streaming sorts by the key, here the whole line),
# then the reducer.
: >map.out
for f in part-0?; do
	logbook-aggregate --partial <"$f" |
	    logbook-aggregate --merge --partial >>map.out
done
LC_ALL=C sort map.out | logbook-aggregate --merge >got.h1
check "cluster: Hadoop Streaming, one reducer" cmp -s want got.h1

# Eight reducers: the key is the text up to the first comma (the
# bucket); a partitioner sends each key to one reducer, which gets its
# lines sorted by key and gives each its key back.
python3 - <<'PY'
import zlib
out = [open("red.%d" % i, "w") for i in range(8)]
for l in open("map.out"):
    k = l.split(",", 1)[0]
    out[zlib.crc32(k.encode()) % 8].write(l)
PY
: >got.h8
n=0
for i in 0 1 2 3 4 5 6 7; do
	[ -s "red.$i" ] && n=$((n + 1))
	LC_ALL=C sort -s -t, -k1,1 "red.$i" | logbook-aggregate --merge >>got.h8
done
LC_ALL=C sort want >want.s
LC_ALL=C sort got.h8 >got.s
check "cluster: Hadoop Streaming, eight reducers: the same rows" \
    cmp -s want.s got.s
check "cluster: ... from $n reducers with input" test "$n" -gt 1
