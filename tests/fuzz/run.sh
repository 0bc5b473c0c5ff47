#!/bin/sh
# Run the libFuzzer targets of build/fuzz/ (make fuzz builds them): for
# each, replay tests/fuzz/regress/NAME/ first, then fuzz FUZZ_SECONDS
# seconds (default 60) on build/fuzz/corpus/NAME (kept between runs) and
# the seeds build/fuzz/seeds/NAME (tests/fuzz/seeds.sh, made when
# missing).  Crashes go to build/fuzz/crashes/NAME/, the output of each
# run to build/fuzz/logs/NAME.log.  One line per target:
#	ok - fuzz NAME: N runs in S s
#	not ok - fuzz NAME: crash FILE: what
# Exit 1 when any target crashed or a regression input failed.
# FUZZ_SEED=N fixes libFuzzer's random seed (0, the default: a new one
# each run).  FUZZ_RUNS=N, or FUZZ_RUNS=ci for each target's count of
# ci_runs below, fuzzes that many inputs instead of FUZZ_SECONDS, from
# the seeds alone (a fresh corpus, not build/fuzz/corpus): with a fixed
# seed such a run tries the same inputs on every machine, so what CI
# finds is found again here, and what passes here passes there.
# Usage: tests/fuzz/run.sh [NAME ...]	(default: every target)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
secs=${FUZZ_SECONDS:-60}
fz=build/fuzz
case $secs in '' | *[!0-9]*)
	echo "run.sh: FUZZ_SECONDS must be a number of seconds" >&2
	exit 2
	;;
esac

# The longest input worth trying: a line, a manifest, rows, an archive.
max_len() {
	case $1 in
	roundtrip | logformat | manifest) echo 4096 ;;
	evjson) echo 8192 ;;
	aggmerge | monthly) echo 16384 ;;
	archive) echo 65536 ;;
	archive_tar) echo 131072 ;;
	*) echo 4096 ;;
	esac
}

# About 20 s of each target on this project's machines, two at a time.
ci_runs() {
	case $1 in
	roundtrip) echo 200000 ;;
	logformat) echo 600000 ;;
	evjson) echo 80000 ;;
	manifest) echo 2000000 ;;
	aggmerge) echo 12000 ;;
	monthly) echo 80000 ;;
	archive) echo 3000 ;;
	archive_tar) echo 2500 ;;
	*) echo 10000 ;;
	esac
}

runs_of() {
	case ${FUZZ_RUNS:-} in
	'') ;;
	ci) ci_runs "$1" ;;
	*) echo "$FUZZ_RUNS" ;;
	esac
}

case ${FUZZ_RUNS:-} in '' | ci) ;; *[!0-9]*)
	echo "run.sh: FUZZ_RUNS must be a number of inputs, or ci" >&2
	exit 2
	;;
esac

if [ $# -eq 0 ]; then
	for f in tests/fuzz/*.c; do
		n=${f##*/}
		set -- "$@" "${n%.c}"
	done
fi
[ -d $fz/seeds ] || sh tests/fuzz/seeds.sh >/dev/null || exit 1
mkdir -p $fz/logs
# The archive targets write each input to a file: in a folder of the
# run's (in memory when there is /dev/shm), removed after, crash or not.
tmpbase=${TMPDIR:-/tmp}
[ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && tmpbase=/dev/shm
scratch=$(mktemp -d "$tmpbase/lbfuzz.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM
# Address space randomization off, where the machine allows it.
norand=
setarch "$(uname -m)" -R true 2>/dev/null && norand="setarch $(uname -m) -R"
failed=0
for t in "$@"; do
	bin=$fz/$t
	log=$fz/logs/$t.log
	if [ ! -x "$bin" ]; then
		echo "not ok - fuzz $t: $bin not built (make fuzz-build)"
		failed=1
		continue
	fi
	mkdir -p "$fz/corpus/$t" "$fz/crashes/$t" "$fz/seeds/$t"
	: >"$log"
	bad=
	for r in tests/fuzz/regress/"$t"/*; do
		[ -f "$r" ] || continue
		if ! "$bin" "$r" >>"$log" 2>&1; then
			bad=$r
			break
		fi
	done
	if [ -n "$bad" ]; then
		why=$(grep -m1 -E 'SUMMARY|property broken|ERROR' "$log")
		echo "not ok - fuzz $t: crash $bad (regression): $why"
		failed=1
		continue
	fi
	n=$(runs_of "$t")
	if [ -n "$n" ]; then
		# The cap only stops a run gone wrong: counts end runs.  No
		# corpus reload (it goes by the clock), and the same addresses
		# and environment on every run: the comparisons libFuzzer
		# learns from include pointers.
		corpus=$scratch/corpus-$t
		limit="-runs=$n -max_total_time=1200 -reload=0"
		same="env -i PATH=/usr/bin:/bin LC_ALL=C TMPDIR=$scratch $norand"
		rm -rf "$corpus"
		mkdir "$corpus"
	else
		corpus=$fz/corpus/$t
		limit="-max_total_time=$secs"
		same=
	fi
	start=$(date +%s)
	# shellcheck disable=SC2086 # $same and $limit are words
	TMPDIR=$scratch $same nice -n 10 "$bin" $limit -max_len="$(max_len "$t")" \
		-timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
		-seed="${FUZZ_SEED:-0}" \
		-artifact_prefix="$fz/crashes/$t/" \
		"$corpus" "$fz/seeds/$t" >>"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "ok - fuzz $t: ${runs:-?} runs in $took s"
		continue
	fi
	art=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -n 1)
	why=$(grep -m1 -E 'SUMMARY|property broken|ERROR: libFuzzer' "$log")
	echo "not ok - fuzz $t: crash ${art:-(no input written, see $log)}: $why"
	failed=1
done
exit $failed
