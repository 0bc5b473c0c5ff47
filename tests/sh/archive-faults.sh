# logbook-archive on a full disk: a small tmpfs holds an archive of 50
# events, then a whole day is archived into the same folder, with less
# room each time than the run needs at some stage (spill, scratch files,
# the new archive).  Each run either succeeds with every event archived,
# or fails (exit 1, "logbook-archive: PATH: No space left on device")
# with the archive there unchanged and nothing of the run left behind.
# Then each step of replacing the archive fails in turn, injected with
# strace.  Needs root for mount(8); without it the test fails, it does
# not skip.
. "$TOP/tests/lib.sh"

# nolsan CMD...: CMD with LeakSanitizer off, which cannot run under
# ptrace (strace): in a SAN=1 build it would stop the program instead.
nolsan() {
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" "$@"
}

mnt=$PWD/mnt
mounted=0
cleanup() {
	if [ $mounted = 1 ]; then
		umount "$mnt" || umount -l "$mnt"
		mounted=0
	fi
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# mount_tmpfs SIZE: a fresh tmpfs of SIZE at $mnt, or fail the test.
mount_tmpfs() {
	mkdir -p "$mnt"
	if ! mount -t tmpfs -o "size=$1" tmpfs "$mnt"; then
		notok "archive faults: cannot mount a $1 tmpfs (must run as root)"
		exit 1
	fi
	mounted=1
}

logbook-genlog --lines 1600 --seed 3 | logbook-ingest >day.ndjson
logbook-genlog --lines 50 --seed 4 | logbook-ingest >first.ndjson
rel=2025/10/logbook-2025-10-13.tar.gz

# events DIR: the events its archive holds, as logbook-verify counts them.
events() {
	logbook-verify "$1" 2>/dev/null | sed -n 's/^OK .* events=//p'
}

# leftovers DIR: what a run may leave only while it runs.
leftovers() {
	find "$1" -name '.*' ! -name .logbook-archive.lock | wc -l
}

# attempt SIZE INPUT: one run with the day's events given as INPUT (a
# file name, or - for a pipe); the counters below tell what went wrong.
ran=0 failed=0 broken=0 lost=0 badmsg=0 left=0
attempt() {
	mount_tmpfs "$1"
	if ! logbook-archive -d "$mnt" first.ndjson >/dev/null 2>setup.err ||
	    [ "$(events "$mnt")" != 50 ]; then
		notok "archive faults: $1: the first 50 events: $(cat setup.err)"
		cleanup
		return
	fi
	cp "$mnt/$rel" before.tar.gz
	ran=$((ran + 1))
	if [ "$2" = - ]; then
		logbook-archive -d "$mnt" - <day.ndjson >/dev/null 2>run.err
	else
		logbook-archive -d "$mnt" "$2" >/dev/null 2>run.err
	fi
	st=$?
	if [ $st = 0 ]; then
		if ! logbook-verify -q "$mnt" >/dev/null 2>&1 ||
		    [ "$(events "$mnt")" != 1650 ]; then
			broken=$((broken + 1))
			echo "# $1 $2: exit 0, archive: $(events "$mnt") events"
		fi
	else
		failed=$((failed + 1))
		[ $st = 1 ] && grep -qx \
		    "logbook-archive: $mnt/.*: No space left on device" run.err ||
		    { badmsg=$((badmsg + 1)); echo "# $1 $2: $st $(cat run.err)"; }
		cmp -s before.tar.gz "$mnt/$rel" || {
			lost=$((lost + 1))
			echo "# $1 $2: the archive there changed"
		}
		[ "$(leftovers "$mnt")" = 0 ] || {
			left=$((left + 1))
			echo "# $1 $2: left: $(find "$mnt" -name '.*')"
		}
	fi
	cleanup
}

attempt 500k -
k=100
while [ $k -le 900 ]; do
	attempt ${k}k day.ndjson
	k=$((k + 20))
done

check "archive faults: $ran runs, some failed for want of room ($failed)" \
    [ $failed -gt 0 ]
check "archive faults: and some had room enough" [ $failed -lt $ran ]
check_eq "archive faults: no run exits 0 with a broken archive" $broken 0
check_eq "archive faults: a failed run leaves the archive there as it was" \
    $lost 0
check_eq "archive faults: a failed run says PATH: No space left on device" \
    $badmsg 0
check_eq "archive faults: a failed run leaves no temporary file" $left 0

# After a failed run, room again: the next run archives everything.
mount_tmpfs 300k
logbook-archive -d "$mnt" first.ndjson >/dev/null
logbook-archive -d "$mnt" day.ndjson >/dev/null 2>&1
mount -o remount,size=4m "$mnt"
logbook-archive -d "$mnt" day.ndjson >/dev/null
check_eq "archive faults: with room again the next run archives all" \
    "$(events "$mnt")" 1650
cleanup

# Each step of replacing the archive failing in turn (injected with
# strace): the syncs, the rename, making a file in the month folder (all
# through the folder's descriptor, open before any of them).
if ! command -v strace >/dev/null 2>&1; then
	notok "archive faults: strace is missing (tests/deps.sh installs it)"
	exit 0
fi
logbook-archive -d base first.ndjson >/dev/null

# inject NAME KEPT STRACE-ARGS...: a run into a copy of base with a call
# failing; KEPT: whether the old archive must be left (else the new one,
# already in place, must be whole).
inject() {
	_what=$1 _kept=$2
	shift 2
	rm -rf a
	cp -a base a
	nolsan strace -f -qq -o /dev/null "$@" logbook-archive -d a day.ndjson \
	    >/dev/null 2>inject.err
	check_eq "archive faults: $_what fails: exit 1" $? 1
	check "archive faults: $_what fails: says so" grep -qx \
	    "logbook-archive: a/$rel: Input/output error" inject.err
	if [ $_kept = 1 ]; then
		same_file "archive faults: $_what fails: the archive as it was" \
		    "base/$rel" "a/$rel"
	else
		check_eq "archive faults: $_what fails: the new archive is whole" \
		    "$(events a)" 1650
	fi
	check_eq "archive faults: $_what fails: no temporary file left" \
	    "$(leftovers a)" 0
}
inject "the new archive's fsync" 1 -e inject=fsync:error=EIO:when=1
inject rename 1 -e inject=rename,renameat,renameat2:error=EIO
inject "making a file in the month folder" 1 -P a/2025/10 \
    -e trace=openat -e inject=openat:error=EIO
# The folder's sync comes after the rename: the new archive is in place.
inject "the folder's fsync" 0 -e inject=fsync:error=EIO:when=2

# A read error on the archive there, read before the merge, is named as
# the system's error on its path, and the archive is left as it is.  Only
# the program's lines count: under strace, sanitizers add their own.
rm -rf a
cp -a base a
nolsan strace -f -qq -o /dev/null -P "a/$rel" -e trace=read \
    -e inject=read:error=EIO logbook-archive -d a day.ndjson \
    >/dev/null 2>inject.err
check_eq "archive faults: reading the archive there fails: exit 1" $? 1
check_eq "archive faults: reading the archive there fails: says so" \
    "$(grep "^logbook-archive: " inject.err)" \
    "logbook-archive: a/$rel: Input/output error"
same_file "archive faults: reading the archive there fails: it is kept" \
    "base/$rel" "a/$rel"

# A folder that cannot be read while a killed run's leftovers are swept
# is warned of, its name escaped; the run goes on.
esc=$(printf 'e\033x')
rm -rf "$esc"
cp -a base "$esc"
nolsan strace -f -qq -o /dev/null -P "$esc/2025/10" -e trace=getdents64 \
    -e inject=getdents64:error=EIO logbook-archive -d "$esc" day.ndjson \
    >/dev/null 2>inject.err
check_eq "archive faults: a month folder unreadable in the sweep: warned" \
    "$(grep "^logbook-archive: " inject.err)" \
    'logbook-archive: e\x1bx/2025/10: Input/output error'
check_eq "archive faults: and the run goes on" "$(events "$esc")" 1650
nolsan strace -f -qq -o /dev/null -P "$esc" -e trace=getdents64 \
    -e inject=getdents64:error=EIO:when=1 logbook-archive -d "$esc" \
    day.ndjson >/dev/null 2>inject.err
check_eq "archive faults: DIR unreadable in the sweep: warned" \
    "$(grep "^logbook-archive: " inject.err)" \
    'logbook-archive: e\x1bx: Input/output error'
