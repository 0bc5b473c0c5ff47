# Allocation failures in the archive readers and writers: every malloc
# call (up to FAULTS_OOM_CAP, 300) of logbook-verify, logbook-restore
# --emit and logbook-archive (a new day, and a merge into an archive
# there) is failed in turn with the shim of `make faults`.  Each run
# must exit 0 or exit non-zero (not by a signal) saying it is out of
# memory; what it leaves is the sweep's to judge (sweep.sh).  Prints an
# `ok` / `not ok` line for each program and job.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
PATH=$top/bin:$PATH
LC_ALL=C
TZ=UTC
export PATH LC_ALL TZ
CAP=${FAULTS_OOM_CAP:-300}
shim=$top/build/faults/faultshim.so
if [ ! -f "$shim" ]; then
	echo "not ok - oom: $shim is not built (make faults)"
	exit 1
fi
if ldd "$top/bin/logbook-archive" | grep -q libasan; then
	echo "not ok - oom: the malloc class needs a build without SAN=1"
	exit 1
fi
w=$(mktemp -d "${TMPDIR:-/tmp}/logbook-oom.XXXXXX") || exit 1
trap 'rm -rf "$w"' EXIT
cd "$w" || exit 1

logbook-genlog --lines 200 --days 2 --end 2025-10-20T00:00:00Z --seed 7 \
    >log 2>/dev/null
logbook-ingest -q -s web log >ev.ndjson
grep '"ts":"2025-10-18' ev.ndjson >d1.ndjson
grep '"ts":"2025-10-19' ev.ndjson >d2.ndjson
awk 'NR % 2 == 1' d1.ndjson >d1a.ndjson
awk 'NR % 2 == 0' d1.ndjson >d1b.ndjson
logbook-archive -d base d1a.ndjson >/dev/null
logbook-archive -d full ev.ndjson >/dev/null

setup() {
	rm -rf run
	cp -a base run
}
run_verify() { logbook-verify full; }
run_emit() { logbook-restore -q --emit original full; }
run_new() { logbook-archive -d run d2.ndjson; }
run_merge() { logbook-archive -d run d1b.ndjson; }

# faulted PROG FAULT JOB: run_JOB with the Nth malloc of PROG failing.
faulted() {
	rm -f count
	(
		LD_PRELOAD=$shim LB_FAULT=$2 LB_FAULT_PROG=$1
		LB_FAULT_COUNT=$w/count
		export LD_PRELOAD LB_FAULT LB_FAULT_PROG LB_FAULT_COUNT
		"run_$3"
	) >/dev/null 2>err
}

status=0
# check JOB PROG
check() {
	setup
	faulted "$2" "" "$1"
	_n=$(awk '$1 == "malloc" { n += $2 } END { print n + 0 }' count)
	[ "$_n" -le "$CAP" ] || _n=$CAP
	_bad=0 _det=
	_i=1
	while [ "$_i" -le "$_n" ]; do
		setup
		faulted "$2" "malloc:$_i" "$1"
		_rc=$?
		if [ "$_rc" -ne 0 ] && { [ "$_rc" -gt 128 ] || ! grep -Eiq \
		    'out of memory|no memory|allocate|Resource temporarily unavailable' \
		    err; }; then
			_bad=$((_bad + 1))
			[ "$_bad" -le 5 ] && _det="$_det#   malloc:$_i: exit $_rc: \
$(head -c 200 err | tr '\n' '|')
"
		fi
		_i=$((_i + 1))
	done
	if [ "$_n" -eq 0 ]; then
		echo "not ok - oom: $1 ($2): no malloc counted"
		status=1
	elif [ "$_bad" -eq 0 ]; then
		echo "ok - oom: $1 ($2): $_n malloc calls failed in turn"
	else
		echo "not ok - oom: $1 ($2): $_n malloc calls, $_bad wrong"
		printf '%s' "$_det"
		status=1
	fi
}

check verify logbook-verify
check emit logbook-restore
check new logbook-archive
check merge logbook-archive
exit $status
