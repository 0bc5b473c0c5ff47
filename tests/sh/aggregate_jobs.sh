# logbook-aggregate -j: threads reading ranges of one file, or several
# files at once, give the bytes of one thread reading it all in order:
# rows, the messages about bad lines with their line numbers, and the
# exit status; also with a long line and bad lines around the cuts.
. "$TOP/tests/lib.sh"

# 90,000 events with rt over 3 days (about 43 MB: cut into 5 ranges),
# with bad lines every 4,999 lines, a blank one, a line over 32 MiB near 40%
# of the file, and a last line without its newline.
logbook-genlog --lines 90000 --days 3 --seed 21 --format nginx |
    logbook-ingest >ev.ndjson
python3 - <<'PY'
lines = open("ev.ndjson", "rb").read().split(b"\n")[:-1]
total = sum(len(l) + 1 for l in lines)
out, size, long_done = [], 0, False
for i, l in enumerate(lines):
    if i % 4999 == 0:
        out.append(b'{"not":"an event"}' if i % 2 else b"garbage %d" % i)
    if i == 777:
        out.append(b"   ")
    if not long_done and size > total * 2 // 5 - 2 * 1024 * 1024:
        out.append(b'{"id":"' + b"x" * (32 * 1024 * 1024) + b'"}')
        long_done = True
    out.append(l)
    size += len(l) + 1
open("bad.ndjson", "wb").write(b"\n".join(out))
PY
wc -c <bad.ndjson >/dev/null || exit 0

# The reference: standard input, which is never cut.
logbook-aggregate -j 1 <bad.ndjson >ref.out 2>ref.err
echo $? >ref.status
sed 's/^logbook-aggregate: -:/logbook-aggregate: bad.ndjson:/' ref.err \
    >ref.err.named
check_eq "aggregate jobs: the reference has bad lines" "$(cat ref.status)" 65
check "aggregate jobs: the first bad line is line 1" \
    grep -q '^logbook-aggregate: -:1: ' ref.err
check "aggregate jobs: the long line is reported" \
    grep -q 'line longer than 33554432 bytes' ref.err
check "aggregate jobs: more bad lines than are shown" \
    grep -q '^logbook-aggregate: -: more bad lines not shown$' ref.err
for j in 1 2 3 5 8; do
	logbook-aggregate -j $j bad.ndjson >out 2>err
	check_eq "aggregate jobs: -j $j: exit status" "$?" "$(cat ref.status)"
	same_file "aggregate jobs: -j $j: rows" out ref.out
	same_file "aggregate jobs: -j $j: messages, line numbers" err \
	    ref.err.named
done

# Several inputs at once: plain, gzip, missing, standard input.
gzip -c ev.ndjson >ev.ndjson.gz
head -1000 ev.ndjson >small.ndjson
logbook-aggregate -j 1 ev.ndjson ev.ndjson.gz nothing.ndjson - bad.ndjson \
    <small.ndjson >ref.out 2>ref.err
echo $? >ref.status
for j in 2 4; do
	logbook-aggregate -j $j ev.ndjson ev.ndjson.gz nothing.ndjson - \
	    bad.ndjson <small.ndjson >out 2>err
	check_eq "aggregate jobs: -j $j, five inputs: exit status" "$?" \
	    "$(cat ref.status)"
	same_file "aggregate jobs: -j $j, five inputs: rows" out ref.out
	same_file "aggregate jobs: -j $j, five inputs: messages" err ref.err
done
check_eq "aggregate jobs: a missing input is an error" "$(cat ref.status)" 1

# The other outputs, and merging.
for opts in "-c" "-p" "--by ip --bucket day" "--by status,ua -n"; do
	# shellcheck disable=SC2086
	logbook-aggregate -j 1 $opts ev.ndjson >ref.out
	# shellcheck disable=SC2086
	logbook-aggregate -j 3 $opts ev.ndjson >out
	same_file "aggregate jobs: -j 3 $opts" out ref.out
done
# The top rows are those of all threads' rows, merged; the range is cut
# by each thread alike.
for opts in "--bucket all" "-p --bucket all" "--top 5 --by path --bucket all" \
    "--top 2 --by ip --bucket day" "--top 3 -c" \
    "--from 2025-10-14T06:00:00Z --to 2025-10-14 --by status"; do
	# shellcheck disable=SC2086
	logbook-aggregate -j 1 $opts ev.ndjson >ref.out
	for j in 2 3; do
		# shellcheck disable=SC2086
		logbook-aggregate -j $j $opts ev.ndjson >out
		same_file "aggregate jobs: -j $j $opts" out ref.out
	done
done
logbook-aggregate -j 2 -p ev.ndjson >p1
logbook-aggregate -j 3 -p --bucket day ev.ndjson >p2
logbook-aggregate -j 1 -m --bucket day p1 p2 >ref.out
logbook-aggregate -j 4 -m --bucket day p1 p2 >out
same_file "aggregate jobs: -m -j 4" out ref.out

# A full disk is an error whatever the threads.
logbook-aggregate -j 2 ev.ndjson >/dev/full 2>err
check_eq "aggregate jobs: /dev/full: exit status" "$?" 1
check_eq "aggregate jobs: /dev/full: message" "$(cat err)" \
    "logbook-aggregate: stdout: No space left on device"
