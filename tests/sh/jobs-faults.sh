# The jobs under faults: a full standard output, folders they cannot
# write or read, sources that stopped logging, comments after a value,
# rejected lines that outlive their archive, modes and atomic writes.
. "$TOP/tests/lib.sh"

# nolsan CMD...: CMD with LeakSanitizer off, which cannot run under
# ptrace (strace): in a SAN=1 build it would stop the program instead.
nolsan() {
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" "$@"
}

w=$(pwd)
for p in logbook-archive logbook-verify logbook-restore logbook-genlog; do
	command -v "$p" >/dev/null 2>&1 || {
		notok "jobs-faults: $p is not built"
		exit 0
	}
done
export LOGBOOK_CONF=
export LOGBOOK_ARCHIVE_DIR="$w/archive"
export LOGBOOK_STATE_DIR="$w/state"
export LOGBOOK_METRICS_DIR=
export LOGBOOK_SCRATCH_DIR="$w/scratch"
mkdir -p scratch state log
# Five days of events; the jobs run two hours after the log ends.
end=1760918400 # 2025-10-20T00:00:00Z
export LOGBOOK_NOW=$((end + 7200))
logbook-genlog --lines 500 --days 5 --end 2025-10-20T00:00:00Z >log/access.log.1
export LOGBOOK_SOURCES="web=$w/log/access.log.*"
logbook-ingest -q -s web log/access.log.1 >events.ndjson
logbook-archive -d archive events.ndjson >/dev/null

# ---- a full standard output fails loudly --------------------------------

# full NAME COMMAND...: the command, its output on /dev/full, must exit 1
# and say that standard output failed and why, without the shell's
# message.
full() {
	_n=$1
	shift
	"$@" >/dev/full 2>full.err
	_rc=$?
	if [ "$_rc" = 1 ] &&
	    grep -q ': stdout: No space left on device$' full.err &&
	    ! grep -q 'I/O error' full.err; then
		ok "jobs-faults: full: $_n"
	else
		notok "jobs-faults: full: $_n: status $_rc, $(head -n 2 full.err |
		    tr '\n' ' ')"
	fi
}
for j in backup retention drill; do
	full "$j --help" logbook-$j --help
	full "$j -h" logbook-$j -h
	full "$j --version" logbook-$j --version
	full "$j --show-config" logbook-$j --show-config
done
full "backup -n" logbook-backup -n
full "backup -n -v" logbook-backup -n -v
full "retention -n" logbook-retention -n
full "drill -n" logbook-drill -n
full "drill" logbook-drill
full "drill --demo" logbook-drill --demo --lines 300 --days 2
for j in backup retention drill; do
	check_eq "jobs-faults: closed stdout: $j --version" \
	    "$(logbook-$j --version 2>&1 >&-; echo $?)" \
	    "logbook-$j: stdout: Bad file descriptor
1"
done
check_eq "jobs-faults: closed stdout: retention -n" \
    "$(logbook-retention -n 2>&1 >&-; echo $?)" \
    "logbook-retention: stdout: Bad file descriptor
1"
check_eq "jobs-faults: full: drill -q prints nothing, so it does not fail" \
    "$(logbook-drill -q >/dev/full 2>&1; echo $?)" 0

# The demo makes its own configuration: LOGBOOK_<KEY> of the caller's
# environment (here the archive folder of this test) must not leak in.
logbook-drill --demo --lines 300 --days 2 >demo.out 2>demo.err
check_eq "jobs-faults: demo: LOGBOOK_<KEY> in the environment is not used" \
    "$?, $(tail -n 1 demo.out)" "0, drill: all checks passed"

# ---- folders the job cannot write or read --------------------------------

# As root, permission bits do not stop reads or writes: these checks run
# the job as nobody (setpriv or runuser), or as the user running the
# tests when it is not root.
if [ "$(id -u)" != 0 ]; then
	unpriv() { "$@"; }
elif setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
	unpriv() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
elif runuser -u nobody -- true 2>/dev/null; then
	unpriv() { runuser -u nobody -- "$@"; }
else
	notok "jobs-faults: cannot run a command as an unprivileged user (setpriv, runuser)"
	unpriv() { "$@"; }
fi
# A folder of the unprivileged user, and folders it may not touch.
mkdir -p nb/scratch
chmod 777 nb nb/scratch
mkdir -p ro-state
chmod 555 ro-state # not writable by its owner either
cp -r archive nb/archive
chmod -R a+rX nb/archive log

# expect NAME STATUS PATTERN COMMAND...: the status and a line of
# standard error matching PATTERN, and no raw message of the shell or of
# find(1).
expect() {
	_n=$1 _want=$2 _pat=$3
	shift 3
	"$@" >exp.out 2>exp.err
	_rc=$?
	if [ "$_rc" = "$_want" ] && grep -q -- "$_pat" exp.err &&
	    ! grep -q -e '^find:' -e ': [0-9]*: ' exp.err; then
		ok "jobs-faults: $_n"
	else
		notok "jobs-faults: $_n: status $_rc, $(head -n 3 exp.err |
		    tr '\n' ' ')"
	fi
}
export LOGBOOK_SCRATCH_DIR="$w/nb/scratch"
expect "an unwritable STATE_DIR is named, exit 1" 1 \
    "^logbook-backup: $w/ro-state/lock: .*Permission denied$" \
    unpriv env LOGBOOK_STATE_DIR="$w/ro-state" \
    LOGBOOK_ARCHIVE_DIR="$w/nb/archive" logbook-backup
expect "retention: an unwritable STATE_DIR is named, exit 1" 1 \
    "^logbook-retention: $w/ro-state/lock: .*Permission denied$" \
    unpriv env LOGBOOK_STATE_DIR="$w/ro-state" \
    LOGBOOK_ARCHIVE_DIR="$w/nb/archive" logbook-retention
expect "drill: an unwritable STATE_DIR is named, exit 1" 1 \
    "^logbook-drill: $w/ro-state/lock: .*Permission denied$" \
    unpriv env LOGBOOK_STATE_DIR="$w/ro-state" \
    LOGBOOK_ARCHIVE_DIR="$w/nb/archive" logbook-drill
expect "a STATE_DIR that cannot be made is named, exit 1" 1 \
    "^logbook-backup: $w/ro-state/sub: .*Permission denied$" \
    unpriv env LOGBOOK_STATE_DIR="$w/ro-state/sub" \
    LOGBOOK_ARCHIVE_DIR="$w/nb/archive" logbook-backup

# A month folder of the archive that cannot be listed is not an empty one.
chmod 311 nb/archive/2025/10 # not readable by its owner either
export LOGBOOK_STATE_DIR="$w/nb/state"
expect "retention -n: an unreadable archive folder is named, exit 1" 1 \
    "^logbook-retention: $w/nb/archive/2025/10: Permission denied$" \
    unpriv env LOGBOOK_ARCHIVE_DIR="$w/nb/archive" logbook-retention -n
expect "retention: an unreadable archive folder is named, exit 1" 1 \
    "^logbook-retention: $w/nb/archive/2025/10: Permission denied$" \
    unpriv env LOGBOOK_ARCHIVE_DIR="$w/nb/archive" logbook-retention
expect "drill -n: an unreadable archive folder is named, exit 1" 1 \
    "^logbook-drill: $w/nb/archive/2025/10: Permission denied$" \
    unpriv env LOGBOOK_ARCHIVE_DIR="$w/nb/archive" logbook-drill -n
expect "drill: an unreadable archive folder is named, exit 1" 1 \
    "^logbook-drill: $w/nb/archive/2025/10: Permission denied$" \
    unpriv env LOGBOOK_ARCHIVE_DIR="$w/nb/archive" logbook-drill
check "jobs-faults: drill: no 'no archive' when the folder is unreadable" \
    test "$(grep -c "no archive" exp.err)" = 0
chmod 755 nb/archive/2025/10
chmod 311 nb/archive # not readable by its owner either
expect "drill -n: an unreadable ARCHIVE_DIR is named, exit 1" 1 \
    "^logbook-drill: $w/nb/archive: Permission denied$" \
    unpriv env LOGBOOK_ARCHIVE_DIR="$w/nb/archive" logbook-drill -n
expect "retention -n: an unreadable ARCHIVE_DIR is named, exit 1" 1 \
    "^logbook-retention: $w/nb/archive: .*Permission denied$" \
    unpriv env LOGBOOK_ARCHIVE_DIR="$w/nb/archive" logbook-retention -n
chmod 755 nb/archive
export LOGBOOK_SCRATCH_DIR="$w/scratch" LOGBOOK_STATE_DIR="$w/state"

# ---- files that matter: atomic, synced, checked, with the archives' mode ----

# A private copy of the scripts, so that wrappers next to them stand in
# for sync(1) and awk(1) (the scripts put their own folder first in PATH):
# with fail.sync present sync fails, with fail.awk present the awk that
# merges the backup state fails after writing a line of it.
mkdir -p priv/bin priv/lib
cp "$TOP/bin/logbook-backup" "$TOP/bin/logbook-retention" \
    "$TOP/bin/logbook-drill" priv/bin/
cp "$TOP/lib/logbook.sh" priv/lib/
for p in logbook-ingest logbook-archive logbook-verify logbook-restore; do
	ln -s "$(command -v "$p")" priv/bin/
done
realsync=$(command -v sync)
realawk=$(command -v awk)
{
	echo '#!/bin/sh'
	echo "if [ -f '$w/fail.sync' ]; then"
	echo '	echo "sync: error syncing: Input/output error" >&2'
	echo '	exit 1'
	echo 'fi'
	echo "exec '$realsync' \"\$@\""
} >priv/bin/sync
{
	echo '#!/bin/sh'
	echo 'case "$*" in'
	echo "*'upd[\$2 FS \$3]'*)"
	echo "	if [ -f '$w/fail.awk' ]; then"
	echo "		'$realawk' \"\$@\" | head -n 1"
	echo '		exit 2'
	echo '	fi'
	echo '	;;'
	echo 'esac'
	echo "exec '$realawk' \"\$@\""
} >priv/bin/awk
chmod +x priv/bin/sync priv/bin/awk
mkdir -p p/log p/metrics
logbook-genlog --lines 300 --days 2 --bad-rate 0.05 \
    --end 2025-10-20T00:00:00Z >p/log/access.log.1
logbook-genlog --lines 300 --days 2 --bad-rate 0.05 --seed 7 \
    --end 2025-10-20T00:00:00Z >p/log/access.log.2
# pjob JOB ARG...: a job of the private copy on the folders p/, umask 0.
pjob() {
	_j=$1
	shift
	(umask 0 && LOGBOOK_ARCHIVE_DIR="$w/p/archive" \
	    LOGBOOK_STATE_DIR="$w/p/state" LOGBOOK_METRICS_DIR="$w/p/metrics" \
	    LOGBOOK_SOURCES="web=$w/p/log/access.log.1" \
	    "$w/priv/bin/logbook-$_j" "$@")
}

# Under strace: each file is synced before its rename, its folder after.
if ! command -v strace >/dev/null 2>&1; then
	notok "jobs-faults: strace is not installed (apt-get install strace)"
	pjob backup >/dev/null 2>&1
else
	nolsan strace -f -qq -y -o trace -e trace=fsync,rename,renameat,renameat2 \
	    sh -c 'umask 0 && LOGBOOK_ARCHIVE_DIR="$1/p/archive" \
	    LOGBOOK_STATE_DIR="$1/p/state" LOGBOOK_METRICS_DIR="$1/p/metrics" \
	    LOGBOOK_SOURCES="web=$1/p/log/access.log.1" \
	    "$1/priv/bin/logbook-backup"' sh "$w" >/dev/null 2>strace.err
	check_eq "jobs-faults: atomic: the backup under strace exits 0" $? 0
	# the rejected lines and their reasons: no blank in their names
	# shellcheck disable=SC2046
	for f in state/backup.state metrics/logbook_backup.prom \
	    $(cd p && ls archive/rejects/web/*); do
		awk -v f="$w/p/$f" '
		BEGIN {
			d = f; sub(/\/[^\/]*$/, "", d)
			b = f; sub(/.*\//, "", b)
		}
		/fsync\(/ && index($0, "<" d "/." b ".tmp.") { tmp = 1; next }
		/rename/ && tmp && index($0, "\"" f "\"") { ren = 1; next }
		/fsync\(/ && ren && index($0, "<" d ">") { dir = 1 }
		END {
			print (tmp ? "synced" : "not synced"), \
			    (ren ? "renamed" : "not renamed"), \
			    (dir ? "folder synced" : "folder not synced")
		}' trace >trace.out
		check_eq "jobs-faults: atomic: $f: temp file synced, renamed, folder synced" \
		    "$(cat trace.out)" "synced renamed folder synced"
	done
fi

# Modes: the archives' rule, whatever the umask (here 0).
mode() {
	stat -c %a "$@" | sort -u | tr '\n' ' ' | sed 's/ $//'
}
check_eq "jobs-faults: mode: the backup state is 640" \
    "$(mode p/state/backup.state)" 640
check_eq "jobs-faults: mode: the lock is 640" "$(mode p/state/lock)" 640
check_eq "jobs-faults: mode: STATE_DIR is 750" "$(mode p/state)" 750
check_eq "jobs-faults: mode: rejected lines are 640" \
    "$(mode p/archive/rejects/web/*.log.gz)" 640
check_eq "jobs-faults: mode: their reasons are 640" \
    "$(mode p/archive/rejects/web/*.reasons.gz)" 640
check_eq "jobs-faults: mode: their folders are 750" \
    "$(mode p/archive/rejects p/archive/rejects/web)" 750
check_eq "jobs-faults: mode: metrics are 644 (node_exporter reads them)" \
    "$(mode p/metrics/logbook_backup.prom)" 644
pjob drill -q -o MAX_RPO_SECONDS=0 >/dev/null 2>drill.err
check_eq "jobs-faults: mode: the drill state is 640" \
    "$(mode p/state/drill.state)" 640
rm -rf p/archive p/state
pjob backup -o ARCHIVE_MODE=0600 >/dev/null 2>&1
check_eq "jobs-faults: mode: ARCHIVE_MODE=0600: state, rejects, folders" \
    "$(mode p/state/backup.state) $(mode p/archive/rejects/web/*.log.gz) $(mode p/archive/rejects/web)" \
    "600 600 700"
check_eq "jobs-faults: mode: a bad ARCHIVE_MODE is refused" \
    "$(pjob backup -o ARCHIVE_MODE=0999 2>&1; echo $?)" \
    "logbook-backup: ARCHIVE_MODE must be an octal mode from 0 to 777, not '0999'
1"
check_eq "jobs-faults: no temporary file left" \
    "$(find p -name '.*.tmp.*' | wc -l | tr -d ' ')" 0

# A sync that fails fails the job, and the state stays as it was.
cp p/state/backup.state state.before
: >fail.sync
pjob backup -o "SOURCES=web=$w/p/log/access.log.*" >/dev/null 2>sync.err
check_eq "jobs-faults: a failed sync fails the backup" $? 1
check "jobs-faults: a failed sync is named" grep -q \
    '^logbook-backup: .*: Input/output error$' sync.err
rm -f fail.sync
same_file "jobs-faults: a failed sync leaves the state as it was" \
    state.before p/state/backup.state
check_eq "jobs-faults: a failed sync leaves no temporary file" \
    "$(find p -name '.*.tmp.*' | wc -l | tr -d ' ')" 0

# The awk that merges the state failing does not make a shorter state.
: >fail.awk
pjob backup -o "SOURCES=web=$w/p/log/access.log.*" >/dev/null 2>awk.err
check_eq "jobs-faults: a failed state merge fails the backup" $? 1
rm -f fail.awk
same_file "jobs-faults: a failed state merge leaves the state as it was" \
    state.before p/state/backup.state
