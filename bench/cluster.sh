# bench stage "cluster" (sourced by bench/run, which see): hourly rows
# over a cluster of two ssh hosts with GNU parallel, as logbook-aggregate(1)
# gives it (--pipepart blocks of one events file to each host, then one
# --merge), against one local run on two threads (-j 2), on the events of
# 1,000,000 generated nginx lines.  Both hosts are this machine, reached
# through an sshd of the stage's own on 127.0.0.1 (tests/sshd.sh), so the
# figure is the route's own cost: ssh, the pipes, the partial rows and
# the merge, with no faster hardware behind it.  Also the same split
# made locally (parallel without -S), to tell ssh's part from the
# split's; and each host aggregating the half of the events it holds
# (--nonall), so that only partial rows cross ssh.  The rows of each
# route are checked equal to the local run's.

LINES=1000000
EV=$OUT/events-rt-1m.ndjson

if [ ! -s "$EV" ]; then
	echo "generating $EV" >&2
	gen "$EV" sh -c "logbook-genlog --lines $LINES --seed 1 --days 3 \
	    --format nginx | logbook-ingest" || exit 1
fi
# Each host's own events, for the route where only partial rows travel.
if [ ! -s "$OUT/cluster-held/h2.ndjson" ]; then
	mkdir -p "$OUT/cluster-held" || exit 1
	gen "$OUT/cluster-held/h1.ndjson" head -n $((LINES / 2)) "$EV" || exit 1
	gen "$OUT/cluster-held/h2.ndjson" tail -n +$((LINES / 2 + 1)) "$EV" ||
	    exit 1
fi
peer parallel parallel || exit 1
peer rsync rsync || exit 1
[ -x /usr/sbin/sshd ] || peer sshd openssh-server || exit 1
. "$TOP/tests/sshd.sh"
if ! sshd_start "$OUT/sshd"; then
	echo "cluster: the sshd of the benchmark does not start" >&2
	exit 1
fi
trap 'sshd_stop' EXIT

local2="logbook-aggregate -j 2 $EV >$OUT/cluster.local"
split="parallel -j 2 --pipepart --block -1 -a $EV logbook-aggregate -j 1 -p | logbook-aggregate -m >$OUT/cluster.split"
ssh2="parallel --ssh '$SSHD_SSH' -S 1/h1,1/h2 --env PATH --pipepart --block -1 -a $EV logbook-aggregate -j 1 -p | logbook-aggregate -m >$OUT/cluster.ssh"
held="parallel --ssh '$SSHD_SSH' --nonall -S h1,h2 --env PATH 'logbook-aggregate -j 1 -p $OUT/cluster-held/\$PARALLEL_SSHLOGIN.ndjson' | logbook-aggregate -m >$OUT/cluster.held"
measure "$OUT/cluster.json" "local -j 2" "$local2" \
    "parallel, 2 local jobs" "$split" \
    "parallel -S, 2 ssh hosts" "$ssh2" \
    "parallel --nonall, own events" "$held" >"$OUT/cluster.times" || exit 1
for f in split ssh held; do
	cmp -s "$OUT/cluster.local" "$OUT/cluster.$f" || {
		echo "cluster: the rows of the $f route differ from -j 2's" >&2
		exit 1
	}
done

awk -v events=$LINES '
	{ n = $0; sub(/ [^ ]+ [^ ]+$/, "", n); t[n] = $(NF - 1); cpu[n] = $NF; k[++m] = n }
	END {
		printf "\ncluster: %d events, rows checked equal on every route\n\n", events
		printf "%-28s %9s %9s %14s %10s\n", "route", "seconds", "cpu s", "events/s", "vs -j 2"
		for (i = 1; i <= m; i++)
			printf "%-28s %9.3f %9s %14.0f %9.2fx\n", k[i], t[k[i]],
			    cpu[k[i]] == "-" ? "-" : sprintf("%.3f", cpu[k[i]]),
			    events / t[k[i]], t[k[i]] / t["local -j 2"]
		printf "\nssh route overhead against -j 2: %+.0f%% wall time" \
		    "; against the same split made locally: %+.0f%%\n",
		    100 * (t["parallel -S, 2 ssh hosts"] / t["local -j 2"] - 1),
		    100 * (t["parallel -S, 2 ssh hosts"] / t["parallel, 2 local jobs"] - 1)
		printf "each host its own events (--nonall, partial rows over ssh): %+.0f%% against -j 2\n",
		    100 * (t["parallel --nonall, own events"] / t["local -j 2"] - 1)
	}' "$OUT/cluster.times"
