# The jobs under faults: a full standard output, folders they cannot
# write or read, sources that stopped logging, comments after a value,
# rejected lines that outlive their archive, modes and atomic writes.
. "$TOP/tests/lib.sh"

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
chmod 755 ro-state
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
chmod 711 nb/archive/2025/10
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
chmod 700 nb/archive
expect "drill -n: an unreadable ARCHIVE_DIR is named, exit 1" 1 \
    "^logbook-drill: $w/nb/archive: Permission denied$" \
    unpriv env LOGBOOK_ARCHIVE_DIR="$w/nb/archive" logbook-drill -n
expect "retention -n: an unreadable ARCHIVE_DIR is named, exit 1" 1 \
    "^logbook-retention: $w/nb/archive: .*Permission denied$" \
    unpriv env LOGBOOK_ARCHIVE_DIR="$w/nb/archive" logbook-retention -n
chmod 755 nb/archive
export LOGBOOK_SCRATCH_DIR="$w/scratch" LOGBOOK_STATE_DIR="$w/state"
