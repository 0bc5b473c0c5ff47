# logbook-archive killed (SIGKILL) at random instants, at least 20 times,
# while merging multi-day input into its archives: every archive under its
# final name stays complete and keeps every event it had; the next run
# removes the leftovers; in the end the archives are those of one run.
. "$TOP/tests/lib.sh"

# 40000 events over 3 days, shuffled so that every slice touches each day.
logbook-genlog --lines 40000 --days 3 --seed 21 | logbook-ingest |
    awk 'BEGIN { srand(5) } { print rand() "\t" $0 }' | sort | cut -f 2- \
    >ev.ndjson
split -n l/30 ev.ndjson slice.
ls slice.* >slices

# ids DIR: the ids its archives hold, sorted.
ids() {
	for f in $(find "$1" -name 'logbook-*.tar.gz' | sort); do
		tar -xzOf "$f" events.ndjson | cut -c 8-39
	done | sort
}

# How long a run takes here, to spread the kills over it.
logbook-archive -d warm $(sed -n 1,10p slices) >/dev/null
cp -r warm timing
start=$(date +%s.%N)
logbook-archive -d timing $(sed -n 11p slices) >/dev/null
span=$(echo "$start $(date +%s.%N)" | awk '{ print $2 - $1 }')

awk -v n=200 -v span="$span" 'BEGIN {
	srand(7)
	for (i = 0; i < n; i++)
		printf "%.4f\n", rand() * span * 1.1
}' >delays

mkdir arch
killed=0
tries=0
bad=0
lost=0
for delay in $(cat delays); do
	[ $killed -ge 24 ] && break
	tries=$((tries + 1))
	s=$(sed -n "$(((tries - 1) % 30 + 1))p" slices)
	ids arch >before
	logbook-archive -d arch $s >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null && killed=$((killed + 1))
	wait $pid 2>/dev/null
	if ! logbook-verify -q arch >verify.out 2>&1 &&
	    ! grep -q 'no archives under it' verify.out; then
		bad=$((bad + 1))
		cp verify.out "bad.$tries"
	fi
	ids arch >after
	[ -z "$(comm -23 before after)" ] || lost=$((lost + 1))
done
check "crash: killed mid-run at least 20 times ($killed of $tries runs)" \
    [ $killed -ge 20 ]
check_eq "crash: after each kill every archive verifies" $bad 0
check_eq "crash: after each kill no archived event is lost" $lost 0

# The next run removes what the killed ones left, and finishes the job.
logbook-archive -d arch ev.ndjson >/dev/null
check_eq "crash: the next run leaves no temporary file" \
    "$(find arch -name '.*' ! -name .logbook-archive.lock | wc -l)" 0
logbook-archive -d fresh ev.ndjson >/dev/null
check "crash: the archives equal those of one uninterrupted run" sh -c \
    'for f in $(cd fresh && find . -name "*.tar.gz"); do
	cmp -s fresh/$f arch/$f || exit 1
done'
