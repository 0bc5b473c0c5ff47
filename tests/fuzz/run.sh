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
# each run), so that a run is repeated as it went: CI uses a fixed one,
# and any crash it finds is found again here.
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
	start=$(date +%s)
	TMPDIR=$scratch nice -n 10 "$bin" -max_total_time="$secs" -max_len="$(max_len "$t")" \
		-timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
		-seed="${FUZZ_SEED:-0}" \
		-artifact_prefix="$fz/crashes/$t/" \
		"$fz/corpus/$t" "$fz/seeds/$t" >>"$log" 2>&1
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
