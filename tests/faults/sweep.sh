# The fault-injection sweep (`make faults`): each program and job run
# once without a fault to count its calls of each class (write, fsync,
# rename, open, malloc; see faultshim.c), then once for each call with
# that call failing.  Each run must either exit 0 with exactly the
# fault-free result, or exit non-zero naming the OS error (and a file);
# what was there before must be intact, no broken file under a final
# name; and a rerun without the fault must give the fault-free result
# and remove any temporary file left.  Prints one `ok` / `not ok` line
# for each program, job and class, the first failed runs of each as
# `#` lines, and a summary table.
#
# FAULTS_HEAD, FAULTS_CAP: a class of more than CAP calls has its first
# HEAD calls swept, then a spread of the others up to CAP in all (30,
# 50); FAULTS_JOB_HEAD, FAULTS_JOB_CAP the same for the shell jobs (4,
# 8), whose runs are slower.  FAULTS_KEEP=1 keeps the scratch folder.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
PATH=$top/bin:$PATH
LC_ALL=C
TZ=UTC
export PATH LC_ALL TZ
HEAD=${FAULTS_HEAD:-30}
CAP=${FAULTS_CAP:-50}
JHEAD=${FAULTS_JOB_HEAD:-4}
JCAP=${FAULTS_JOB_CAP:-8}
shim=$top/build/faults/faultshim.so
if [ ! -f "$shim" ]; then
	echo "not ok - faults: $shim is not built (make faults)"
	exit 1
fi
# Under AddressSanitizer its runtime must come first; the malloc class
# is then its allocator's, which the shim cannot fail.
asan=$(ldd "$top/bin/logbook-archive" | awk '/libasan/ { print $3 }')
pre=${asan:+$asan:}$shim
ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
export ASAN_OPTIONS

w=$(mktemp -d "${TMPDIR:-/tmp}/logbook-faults.XXXXXX") || exit 1
[ "${FAULTS_KEEP:-0}" = 1 ] || trap 'rm -rf "$w"' EXIT
cd "$w" || exit 1
start=$(date +%s)

# ---- the fixtures ------------------------------------------------------

d1=2025-10-18
d2=2025-10-19
mkdir fix
logbook-genlog --lines 200 --days 2 --end 2025-10-20T00:00:00Z --seed 7 \
    >fix/log 2>/dev/null
logbook-ingest -q -s web fix/log >fix/ev.ndjson
grep "\"ts\":\"$d1" fix/ev.ndjson >fix/d1.ndjson
grep "\"ts\":\"$d2" fix/ev.ndjson >fix/d2.ndjson
awk 'NR % 2 == 1' fix/d1.ndjson >fix/d1a.ndjson
awk 'NR % 2 == 0' fix/d1.ndjson >fix/d1b.ndjson
logbook-archive -d fix/base fix/d1a.ndjson >/dev/null
logbook-archive -d fix/full fix/ev.ndjson >/dev/null
logbook-restore -q -d fix/db0 fix/base
logbook-restore -q -d fix/dbfull fix/full
# A database of schema version 1, two hosts' (tests/sh/hosts-db.sh).
sqlite3 -batch fix/dbv1 <"$top/tests/sh/hosts-v1.sql"
# The jobs' world: ten days, backed up once; one more rotated log.
J=fix/jobs
mkdir -p $J/log $J/state $J/metrics $J/scratch
logbook-genlog --lines 200 --days 10 --end 2025-10-20T00:00:00Z --seed 3 \
    >fix/jlog 2>/dev/null
head -n 120 fix/jlog >$J/log/access.log.2
tail -n +121 fix/jlog >fix/jlog.1
end=1760918400 # 2025-10-20T00:00:00Z
LOGBOOK_NOW=$((end + 7200))
LOGBOOK_CONF=
export LOGBOOK_NOW LOGBOOK_CONF
# world DIR: the jobs' configuration for the world in DIR.
world() {
	export LOGBOOK_ARCHIVE_DIR="$1/archive"
	export LOGBOOK_STATE_DIR="$1/state"
	export LOGBOOK_METRICS_DIR="$1/metrics"
	export LOGBOOK_SCRATCH_DIR="$1/scratch"
	export LOGBOOK_SOURCES="web=$1/log/access.log.*"
}
world "$w/$J"
logbook-backup || echo "not ok - faults: the first backup of the fixture"
cp -a $J fix/jobs2
cp fix/jlog.1 fix/jobs2/log/access.log.1
cp -a fix/jobs2 fix/jobs3
world "$w/fix/jobs3"
logbook-backup || echo "not ok - faults: the second backup of the fixture"

# ---- snapshots ---------------------------------------------------------

# files DIR: "sha256 path" of each file under DIR but temporary ones.
files() {
	(cd "$1" && find . -type f ! -name '.*.??????' ! -name '*.lock' \
	    ! -path '*/.*.??????/*' \
	    ! -path './state/*' ! -path './metrics/*' ! -path './scratch/*' \
	    -exec sha256sum {} + | sort -k 2)
}

# temps DIR: the temporary files and folders (.NAME.XXXXXX) under DIR.
temps() {
	find "$1" -name '.*.??????'
}

# dbrows DB: the rows a restore gives, whatever the order of restores.
dbrows() {
	sqlite3 -batch "$1" 'SELECT * FROM events ORDER BY id;
	    SELECT * FROM hourly ORDER BY hour, method, path;
	    SELECT date, events, hourly_rows, sha256 FROM archives
	    ORDER BY date, sha256;' | sha256sum
}

# dbwhole DB: a problem with the database, or nothing.
dbwhole() {
	[ "$(sqlite3 -batch "$1" 'PRAGMA integrity_check' 2>&1)" = ok ] || {
		echo "the database fails integrity_check"
		return
	}
	_n=$(sqlite3 -batch "$1" "SELECT count(*) FROM (SELECT
	    substr(ts, 1, 10) AS d, count(*) AS n FROM events GROUP BY d)
	    AS e LEFT JOIN (SELECT date, max(events) AS m FROM archives
	    GROUP BY date) AS a ON a.date = e.d WHERE a.m IS NOT e.n")
	[ "$_n" = 0 ] || echo "$_n dates of the database are not whole"
}

# changed BEFORE REF NOW [GONE]: a problem when a file of BEFORE is neither as
# it was nor as the fault-free run left it, or one is there that is in
# neither, or a file of BEFORE is gone that the fault-free run kept;
# with GONE 1, only the last.
changed() {
	awk -v before="$1" -v ref="$2" -v gone="${4:-0}" '
	BEGIN {
		while ((getline l <before) > 0) {
			split(l, f, "  ")
			b[f[2]] = f[1]
		}
		while ((getline l <ref) > 0) {
			split(l, f, "  ")
			r[f[2]] = f[1]
		}
	}
	{
		split($0, f, "  ")
		now[f[2]] = 1
		if (f[2] in b && b[f[2]] == f[1])
			next
		if (f[2] in r && r[f[2]] == f[1])
			next
		if (!gone && !bad++)
			print f[2] " is neither as before nor as the" \
			    " fault-free run"
	}
	END {
		for (p in b)
			if (!(p in now) && (p in r) && !bad++)
				print p " is gone"
	}' "$3"
}

# archok DIR: a problem when an archive under DIR fails logbook-verify.
archok() {
	[ -d "$1" ] || return 0
	if ! logbook-verify -q "$1" >/dev/null 2>vout; then
		echo "logbook-verify fails: $(head -n 1 vout)"
	fi
}

# ---- the jobs: setup_J, run_J (in run/, out and err), result_J, ------
# ---- intact_J (a problem or nothing), after a run that failed ---------

setup_stream() {
	rm -rf run
	mkdir run
}

setup_ingest() { setup_stream; }
run_ingest() {
	logbook-ingest -q -s web -r run/rej "$w/fix/log" >run/out
}
result_ingest() { cat run/out run/rej | sha256sum; }
intact_ingest() { :; }

setup_aggregate() { setup_stream; }
run_aggregate() {
	logbook-aggregate "$w/fix/ev.ndjson" >run/out
}
result_aggregate() { sha256sum <run/out; }
intact_aggregate() { :; }

setup_archive_new() {
	rm -rf run
	mkdir run
	cp -a fix/base run/a
}
run_archive_new() {
	logbook-archive -d run/a "$w/fix/d2.ndjson" >run/out
}
result_archive_new() { files run/a; }
intact_archive_new() {
	archok run/a
	files run/a >now
	changed before_archive_new ref_archive_new now
}

setup_archive_merge() { setup_archive_new; }
run_archive_merge() {
	logbook-archive -d run/a "$w/fix/d1b.ndjson" >run/out
}
result_archive_merge() { files run/a; }
intact_archive_merge() {
	archok run/a
	files run/a >now
	changed before_archive_merge ref_archive_merge now
}

setup_verify() { setup_stream; }
run_verify() {
	logbook-verify "$w/fix/full" >run/out
}
result_verify() { sha256sum <run/out; }
intact_verify() { :; }

setup_restore() {
	rm -rf run
	mkdir run
	cp fix/db0 run/db
}
run_restore() {
	logbook-restore -q -d run/db "$w/fix/full"
}
result_restore() { dbrows run/db; }
intact_restore() {
	dbwhole run/db
	[ "$(sqlite3 -batch run/db 'SELECT count(*) FROM events')" -ge \
	    "$(sqlite3 -batch fix/db0 'SELECT count(*) FROM events')" ] ||
	    echo "events of the database were lost"
}

# A new database: built aside, so after a failure it is either not
# there or in place with whole dates, and nothing is left beside it.
setup_restore_new() {
	rm -rf run
	mkdir run
}
run_restore_new() {
	logbook-restore -q -d run/db "$w/fix/full"
}
result_restore_new() { dbrows run/db; }
intact_restore_new() {
	[ -z "$(find run -name '.db.*')" ] ||
	    echo "left $(find run -name '.db.*' | head -n 1)"
	[ -e run/db ] || return 0
	dbwhole run/db
}

# Schema version 1 migrated by --check: after a failure the database is
# version 1 whole, or version 2 whole.
setup_restore_migrate() {
	rm -rf run
	mkdir run
	cp fix/dbv1 run/db
}
run_restore_migrate() {
	logbook-restore -q --check -d run/db
}
result_restore_migrate() {
	sqlite3 -batch run/db 'SELECT version FROM schema_version;
	    SELECT * FROM events ORDER BY id;
	    SELECT * FROM hourly ORDER BY hour, sources, method, path;
	    SELECT * FROM archives ORDER BY date, sha256;
	    SELECT * FROM archive_sources ORDER BY date, sha256, src;' |
	    sha256sum
}
intact_restore_migrate() {
	[ "$(sqlite3 -batch run/db 'PRAGMA integrity_check' 2>&1)" = ok ] ||
	    echo "the database fails integrity_check"
	_v=$(sqlite3 -batch run/db 'SELECT max(version) FROM schema_version')
	case $_v in
	1) [ "$(sqlite3 -batch run/db 'SELECT count(*) FROM events')" = \
	    "$(sqlite3 -batch fix/dbv1 'SELECT count(*) FROM events')" ] ||
	    echo "version 1, but not as it was" ;;
	2) [ "$(result_restore_migrate)" = "$(cat ref_restore_migrate)" ] ||
	    echo "version 2, but not as the fault-free run made it" ;;
	*) echo "schema version $_v" ;;
	esac
}

# --db: the database's rows read and digested, the archive's too.
setup_verify_db() { setup_stream; }
run_verify_db() {
	logbook-verify --db "$w/fix/dbfull" "$w/fix/full" >run/out
}
result_verify_db() { sha256sum <run/out; }
intact_verify_db() { :; }

setup_emit() { setup_stream; }
run_emit() {
	logbook-restore -q --emit original "$w/fix/full" >run/out
}
result_emit() { sha256sum <run/out; }
intact_emit() { :; }

setup_jobs() {
	rm -rf run
	cp -a "fix/$1" run
	world "$w/run"
}
# A job makes several archives, one at a time: one it made or changed
# before it failed must pass logbook-verify, and one it removed must be
# one the fault-free run removes.
jobs_intact() {
	archok run/archive
	files run >now
	changed "before_$1" "ref_$1" now 1
}

setup_backup() { setup_jobs jobs2; }
run_backup() { logbook-backup; }
result_backup() { files run; }
intact_backup() { jobs_intact backup; }

setup_retention() { setup_jobs jobs3; }
run_retention() { logbook-retention --keep-days 3; }
result_retention() { files run; }
intact_retention() { jobs_intact retention; }

setup_drill() { setup_jobs jobs3; }
run_drill() { logbook-drill -q --recent 3 --sample 0; }
result_drill() { files run; }
intact_drill() { jobs_intact drill; }

# ---- the sweep ---------------------------------------------------------

errtext() {
	case $1 in
	write | open) echo 'No space left on device' ;;
	fsync | rename) echo 'Input/output error' ;;
	# libarchive says "Can't allocate" or "No memory"; pthread_create, EAGAIN.
	malloc) echo 'out of memory|no memory|allocate|Resource temporarily unavailable' ;;
	esac
}

# picks COUNT HEAD CAP: the calls to fail, one a line.
picks() {
	awk -v n="$1" -v h="$2" -v c="$3" 'BEGIN {
		if (n <= c) {
			for (i = 1; i <= n; i++)
				print i
			exit
		}
		for (i = 1; i <= h; i++)
			print i
		k = c - h
		for (j = 1; j <= k; j++)
			print h + int(j * (n - h) / k)
	}' | uniq
}

# faulted PROG FAULT JOB: run_JOB with the fault in PROG ("": none).
faulted() {
	rm -f shared inj
	(
		LD_PRELOAD=$pre LB_FAULT=$2 LB_FAULT_PROG=$1
		LB_FAULT_SHARED=$w/shared LB_FAULT_COUNT=$w/inj
		export LD_PRELOAD LB_FAULT LB_FAULT_PROG LB_FAULT_SHARED \
		    LB_FAULT_COUNT
		"run_$3"
	) 2>err
}

# judge JOB PROG CLASS N RC: a problem with the run just made, or nothing.
judge() {
	_t=$(errtext "$3")
	if [ "$5" -eq 0 ]; then
		[ "$("result_$1")" = "$(cat "ref_$1")" ] ||
		    echo "exit 0 with a result other than the fault-free run's"
		return
	fi
	if ! grep -Eiq "$_t" err; then
		echo "exit $5 without \"$_t\": $(head -c 200 err | tr '\n' '|')"
	elif [ "$3" != malloc ] &&
	    ! grep -Ei "$_t" err | grep -Eq '/|\.|stdout|stdin'; then
		echo "exit $5, no file named: $(head -c 200 err | tr '\n' '|')"
	fi
	"intact_$1"
}

# again JOB: a problem with a rerun without the fault, or nothing.
again() {
	"run_$1" >/dev/null 2>err2
	_rc=$?
	if [ "$_rc" -ne 0 ]; then
		echo "the rerun exits $_rc: $(head -c 200 err2 | tr '\n' '|')"
	elif [ "$("result_$1")" != "$(cat "ref_$1")" ]; then
		echo "the rerun's result is not the fault-free run's"
	elif [ -n "$(temps run)" ]; then
		echo "the rerun leaves $(temps run | head -n 1)"
	fi
}

summary=
# sweep JOB PROG HEAD CAP
sweep() {
	_j=$1 _p=$2
	"setup_$_j"
	"run_$_j" >/dev/null 2>err
	_rc=$?
	[ "$_rc" -eq 0 ] || {
		echo "not ok - faults: $_j: the fault-free run exits $_rc:" \
		    "$(head -c 200 err)"
		return
	}
	"result_$_j" >"ref_$_j"
	"setup_$_j"
	case $_j in
	archive_*) files run/a >"before_$_j" ;;
	backup | retention | drill) files run >"before_$_j" ;;
	esac
	faulted "$_p" "" "$_j" >/dev/null 2>&1
	if [ ! -f inj ]; then
		echo "not ok - faults: $_j: $_p did not run"
		return
	fi
	cp inj counts
	for _c in write fsync rename open malloc; do
		_n=$(awk -v c="$_c" '$1 == c { n += $2 } END { print n + 0 }' \
		    counts)
		_swept=0 _inj=0 _fail=0 _zero=0 _rec=0 _bad=0 _det=
		for _i in $(picks "$_n" "$3" "$4"); do
			"setup_$_j"
			faulted "$_p" "$_c:$_i" "$_j" >/dev/null
			_rc=$?
			_swept=$((_swept + 1))
			grep -q '^injected' inj 2>/dev/null || continue
			_inj=$((_inj + 1))
			if [ "$_rc" -ne 0 ]; then
				_fail=$((_fail + 1))
			else
				_zero=$((_zero + 1))
			fi
			_why=$(judge "$_j" "$_p" "$_c" "$_i" "$_rc")
			_why2=$(again "$_j")
			[ -z "$_why2" ] && _rec=$((_rec + 1))
			_why=$(printf '%s %s' "$_why" "$_why2" |
			    tr '\n' ' ' | sed 's/^ *//; s/ *$//')
			if [ -n "$_why" ]; then
				_bad=$((_bad + 1))
				[ "$_bad" -le 5 ] &&
				    _det="$_det#   $_c:$_i: $_why
"
			fi
		done
		_name="$_j ($_p) $_c: $_n calls, $_swept swept, $_inj failed"
		if [ "$_n" -eq 0 ]; then
			: # nothing to check: a row of the table says so
		elif [ "$_bad" -eq 0 ]; then
			echo "ok - faults: $_name"
		else
			echo "not ok - faults: $_name, $_bad wrong"
			printf '%s' "$_det"
		fi
		summary="$summary$(printf '%-14s %-17s %-6s %6s %5s %5s %5s %5s %5s %5s' \
		    "$_j" "$_p" "$_c" "$_n" "$_swept" "$_inj" "$_fail" "$_zero" \
		    "$_rec" "$_bad")
"
	done
}

sweep ingest logbook-ingest "$HEAD" "$CAP"
sweep aggregate logbook-aggregate "$HEAD" "$CAP"
sweep archive_new logbook-archive "$HEAD" "$CAP"
sweep archive_merge logbook-archive "$HEAD" "$CAP"
sweep verify logbook-verify "$HEAD" "$CAP"
sweep restore logbook-restore "$HEAD" "$CAP"
sweep restore_new logbook-restore "$HEAD" "$CAP"
sweep restore_migrate logbook-restore "$HEAD" "$CAP"
sweep verify_db logbook-verify "$HEAD" "$CAP"
sweep emit logbook-restore "$HEAD" "$CAP"
for p in logbook-ingest logbook-archive logbook-verify; do
	sweep backup "$p" "$JHEAD" "$JCAP"
done
for p in logbook-archive logbook-verify; do
	sweep retention "$p" "$JHEAD" "$JCAP"
done
for p in logbook-restore logbook-verify; do
	sweep drill "$p" "$JHEAD" "$JCAP"
done

echo "# job            program           class   calls swept fault exit! exit0 recov wrong"
printf '%s' "$summary" | sed 's/^/# /'
echo "# calls: counted in the fault-free run; swept: runs made; fault: runs"
echo "# where the call failed; exit!: of those, a non-zero exit; exit0: an"
echo "# exit 0; recov: a rerun without the fault gave the fault-free result;"
echo "# wrong: runs that broke a rule.  $(($(date +%s) - start)) s."
