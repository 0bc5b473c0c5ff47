# logbook-restore when a call fails (tests/faults/faultshim.so): every
# failed fsync and write, at any moment up to the checkpoint and the
# close, ends with exit 1 and a message naming the OS error; a database
# that cannot be created says why; the files it makes get mode 0640.
. "$TOP/tests/lib.sh"

shim=$TOP/build/faults/faultshim.so
if [ ! -f "$shim" ]; then
	notok "restore-faults: $shim is not built (make $shim)"
	exit 0
fi
# Under AddressSanitizer its runtime must come first.
asan=$(ldd "$TOP/bin/logbook-restore" | awk '/libasan/ { print $3 }')
pre=${asan:+$asan:}$shim
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"

q() {
	sqlite3 -batch "$@"
}

# faulty FAULT CMD...: CMD with LB_FAULT=FAULT, counts appended to cnt.
faulty() {
	_f=$1
	shift
	LD_PRELOAD=$pre LB_FAULT=$_f LB_FAULT_COUNT=$PWD/cnt "$@"
}

# calls CLASS: how many calls of CLASS the last counted run made.
calls() {
	awk -v c="$1" '$1 == c { n = $2 } END { print n + 0 }' cnt
}

logbook-genlog --lines 200 --days 2 --end 2025-10-20T00:00:00Z --seed 5 |
    logbook-ingest -q -s web >ev.ndjson
logbook-archive -d arch ev.ndjson >/dev/null
d1=arch/2025/10/logbook-2025-10-18.tar.gz
d2=arch/2025/10/logbook-2025-10-19.tar.gz
logbook-restore -q -d good.db "$d1" "$d2"
events=$(q good.db 'SELECT count(*) FROM events')

# sweep CLASS ERRTEXT SETUP: restore both archives with the Nth call of
# CLASS failing, for every N; SETUP "new" starts with no database,
# "old" with one holding the first archive.  Each run that fails must
# exit 1 and say ERRTEXT; each must leave a database that a plain
# restore completes to every event.
sweep() {
	_c=$1 _t=$2 _s=$3
	setup "$_s"
	rm -f cnt
	faulty "$_c:999999" logbook-restore -q -d t.db "$d1" "$d2"
	_n=$(calls "$_c")
	_i=1 _bad=0 _failed=0
	while [ "$_i" -le "$_n" ]; do
		setup "$_s"
		faulty "$_c:$_i" logbook-restore -q -d t.db "$d1" "$d2" \
		    2>err
		_rc=$?
		if [ "$_rc" -ne 0 ]; then
			_failed=$((_failed + 1))
			if [ "$_rc" -ne 1 ] || ! grep -q "$_t" err ||
			    ! grep -q 't\.db' err; then
				notok "restore-faults: $_s db, $_c:$_i: exit" \
				    "$_rc, $(head -c 300 err)"
				_bad=$((_bad + 1))
			fi
		elif [ "$(q t.db 'SELECT count(*) FROM events')" != \
		    "$events" ]; then
			notok "restore-faults: $_s db, $_c:$_i: exit 0" \
			    "with events missing"
			_bad=$((_bad + 1))
		fi
		logbook-restore -q -d t.db --check "$d1" "$d2" 2>err
		if [ $? -ne 0 ] || [ "$(q t.db 'SELECT count(*) FROM events')" \
		    != "$events" ]; then
			notok "restore-faults: $_s db, $_c:$_i: restoring" \
			    "again: $(head -c 300 err)"
			_bad=$((_bad + 1))
		fi
		_i=$((_i + 1))
	done
	check_eq "restore-faults: $_s db: $_c: $_n calls, each failure said and undone" \
	    "$_bad" 0
	[ "$_n" -gt 0 ] ||
	    notok "restore-faults: $_s db: $_c: no call was counted"
}

setup() {
	rm -f t.db t.db-wal t.db-shm t.db-journal
	[ "$1" = old ] && logbook-restore -q -d t.db "$d1"
	return 0
}

sweep fsync 'Input/output error' new
sweep fsync 'Input/output error' old
sweep write 'No space left on device' new
sweep write 'No space left on device' old

# ---- a database that cannot be created says why

for e in EACCES:'Permission denied' EROFS:'Read-only file system' \
    ENOSPC:'No space left on device'; do
	rm -f t.db t.db-wal t.db-shm
	faulty "open:1:${e%%:*}" logbook-restore -q -d t.db "$d1" 2>err
	rc=$?
	check_eq "restore-faults: new db, creating it fails ${e%%:*}: exit 1" \
	    "$rc" 1
	check "restore-faults: new db, ${e%%:*}: says ${e#*:}" \
	    grep -q "t\.db.*${e#*:}" err
	check "restore-faults: new db, ${e%%:*}: not 'No such file'" \
	    sh -c '! grep -q "No such file" err'
done
# Its -wal, -shm and journal, made later: the same.  The files are made
# with openat (lib/dbvfs.c); SQLite then opens each again with open.  A
# file just made is ours to write, so a failure there is one of the
# moment: the open is tried again and the restore completes, or it ends
# with exit 1 and a message.
rm -f t.db t.db-wal t.db-shm cnt
faulty open:999999 logbook-restore -q -d t.db "$d1"
n=$(calls open)
i=1
bad=0
made=0
while [ "$i" -le "$n" ]; do
	rm -f t.db t.db-wal t.db-shm cnt
	faulty "open:$i:EACCES" logbook-restore -q -d t.db "$d1" 2>err
	rc=$?
	if grep -q '^injected open [0-9]* openat$' cnt; then
		made=$((made + 1))
		if [ "$rc" -ne 1 ] || ! grep -q 't\.db.*Permission denied' err
		then
			notok "restore-faults: open:$i:EACCES: $(head -c 300 err)"
			bad=$((bad + 1))
		fi
	elif [ "$rc" -eq 0 ]; then
		[ "$(q t.db 'SELECT count(*) FROM events')" = \
		    "$(q good.db "SELECT count(*) FROM events
		    WHERE ts < '2025-10-19'")" ] || {
			notok "restore-faults: open:$i:EACCES: exit 0," \
			    "events missing"
			bad=$((bad + 1))
		}
	elif [ "$rc" -ne 1 ] || [ ! -s err ]; then
		notok "restore-faults: open:$i:EACCES: exit $rc, $(cat err)"
		bad=$((bad + 1))
	fi
	i=$((i + 1))
done
check_eq "restore-faults: each of $n failed opens, $made of them making a file, said or recovered" \
    "$bad" 0
check "restore-faults: the db, -wal, -shm and journal are made" \
    [ "$made" -ge 4 ]

# ---- an existing database SQLite fails to open for writing
#
# SQLite opens read-only a file it could not open to write, and forgets
# why: a full disk was reported as a read-only database, a -shm that
# could not be opened as "attempt to write a readonly database".  Each
# failed open must name its errno; a file we may not write (EACCES) is
# still a read-only database.
rm -f t.db t.db-wal t.db-shm cnt
logbook-restore -q -d t.db "$d1"
faulty open:999999 logbook-restore -q -d t.db "$d2"
n=$(calls open)
i=1
bad=0
sqlopen=0
while [ "$i" -le "$n" ]; do
	setup old
	rm -f cnt
	faulty "open:$i" logbook-restore -q -d t.db "$d2" 2>err
	rc=$?
	grep -q '^injected open [0-9]* open' cnt &&
	    ! grep -q '^injected open [0-9]* openat$' cnt &&
	    sqlopen=$((sqlopen + 1))
	if [ "$rc" -ne 0 ] && { [ "$rc" -ne 1 ] ||
	    ! grep -q 't\.db.*No space left on device' err; }; then
		notok "restore-faults: old db, open:$i: exit $rc," \
		    "$(head -c 300 err)"
		bad=$((bad + 1))
	fi
	i=$((i + 1))
done
check_eq "restore-faults: old db: each of $n failed opens names its errno" \
    "$bad" 0
check "restore-faults: old db: SQLite's own opens were failed" \
    [ "$sqlopen" -ge 2 ]
setup old
faulty open:2:EACCES logbook-restore -q -d t.db "$d2" 2>err
check_eq "restore-faults: old db, open for writing EACCES: exit 1" "$?" 1
check "restore-faults: old db, EACCES: a read-only database, Permission denied" \
    grep -q 't\.db: read-only database (Permission denied)' err

# ---- the files made have the archives' mode, 0640, whatever the umask

perms() {
	stat -c %a "$@" | tr '\n' ' '
}
for u in 022 077 000; do
	rm -f t.db t.db-wal t.db-shm
	(umask $u && logbook-restore -q -d t.db "$d1")
	check_eq "restore-faults: umask $u: a new db, its -wal and -shm are 0640" \
	    "$(perms t.db t.db-wal t.db-shm)" "640 640 640 "
	(umask $u && logbook-restore -q -d t.db "$d2")
	check_eq "restore-faults: umask $u: db, -wal and -shm are 0640" \
	    "$(perms t.db t.db-wal t.db-shm)" "640 640 640 "
done
# A database that exists keeps its mode.
rm -f t.db t.db-wal t.db-shm
logbook-restore -q -d t.db "$d1"
chmod 600 t.db
rm -f t.db-wal t.db-shm
logbook-restore -q -d t.db "$d2"
check_eq "restore-faults: an existing database keeps its mode 0600" \
    "$(perms t.db t.db-wal t.db-shm)" "600 600 600 "
