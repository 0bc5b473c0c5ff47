# logbook-restore into a database that is not there yet: built under a
# temporary name and linked into place whole (lib/dbfresh.c).  The new
# database holds what a restore into an existing empty one holds, in
# WAL mode with its indexes and mode 0640, its -wal and -shm there as
# after any restore (a reader who may not write the folder needs them),
# and nothing else is left beside it; a killed run leaves no database, and the next run removes its
# temporary files but never a live run's, nor what a link points to.
. "$TOP/tests/lib.sh"

q() {
	_db=$1
	shift
	sqlite3 -batch "$_db" "$@"
}

# content DB: every row of the events and hourly tables, and the
# archives but for when and where they were restored.
content() {
	q "$1" 'SELECT * FROM events ORDER BY id' | sha256sum
	q "$1" 'SELECT * FROM hourly ORDER BY hour, method, path' | sha256sum
	q "$1" 'SELECT date, events, hourly_rows, sha256, added FROM archives
	    ORDER BY date, sha256'
}

logbook-genlog --lines 30000 --days 3 --seed 11 | logbook-ingest -q >ev.ndjson
logbook-archive -d arch ev.ndjson >/dev/null

# --- a new database against an existing empty one
mkdir new old
logbook-restore -q -d old/r.db --check
logbook-restore -q -d old/r.db arch
check_eq "new db: restored, exit 0" "$(logbook-restore -q -d new/r.db arch \
    2>&1; echo $?)" 0
# Before any query: the sqlite3 shell's close removes the -wal and -shm.
check_eq "new db: mode 0640, and its -wal and -shm" \
    "$(stat -c %a new/r.db new/r.db-wal new/r.db-shm | tr '\n' ' ')" "640 640 640 "
check_eq "new db: the same content as an existing db's" \
    "$(content new/r.db)" "$(content old/r.db)"
check_eq "new db: the same schema" \
    "$(q new/r.db 'SELECT type, name, tbl_name, sql FROM sqlite_master
    ORDER BY name')" \
    "$(q old/r.db 'SELECT type, name, tbl_name, sql FROM sqlite_master
    ORDER BY name')"
check_eq "new db: WAL mode" "$(q new/r.db 'PRAGMA journal_mode')" wal
check_eq "new db: integrity" "$(q new/r.db 'PRAGMA integrity_check')" ok
check_eq "new db: queries by ts use its index" \
    "$(q new/r.db "EXPLAIN QUERY PLAN SELECT count(*) FROM events
    WHERE ts >= '2025' AND ts < '2026'" | grep -c 'USING COVERING INDEX events_ts')" 1
check_eq "new db: only the database in its folder" "$(ls -A new | grep -v -e '-wal$' -e '-shm$')" r.db
check_eq "new db: --check passes" \
    "$(logbook-restore -q -d new/r.db --check arch 2>&1; echo $?)" 0
rm -rf new
mkdir new
check_eq "new db with --check: exit 0" \
    "$(logbook-restore -q -d new/r.db --check arch 2>&1; echo $?)" 0
check_eq "new db with --check: the same content" \
    "$(content new/r.db)" "$(content old/r.db)"
rm -rf new
mkdir new
check_eq "new db from --ndjson: exit 0" \
    "$(logbook-restore -q -d new/r.db --ndjson ev.ndjson 2>&1; echo $?)" 0
check_eq "new db from --ndjson: every event" \
    "$(q new/r.db 'SELECT * FROM events ORDER BY id' | sha256sum)" \
    "$(q old/r.db 'SELECT * FROM events ORDER BY id' | sha256sum)"
check_eq "new db from --ndjson: only the database in its folder" \
    "$(ls -A new | grep -v -e '-wal$' -e '-shm$')" r.db

# --- a refused archive: the others make the new database
rm -rf new bad
mkdir new
cp -r arch bad
f=$(find bad -name '*-14.tar.gz')
printf 'x' | dd of="$f" bs=1 seek=200 conv=notrunc 2>/dev/null
logbook-restore -q -d new/r.db bad 2>err
check_eq "refused archive: exit 1" "$?" 1
check_eq "refused archive: the others are in the new database" \
    "$(q new/r.db 'SELECT count(*) FROM archives')" 2
check_eq "refused archive: only the database in its folder" \
    "$(ls -A new | grep -v -e '-wal$' -e '-shm$')" r.db

# --- a folder that is not there
logbook-restore -q -d nowhere/r.db arch 2>err
check_eq "no folder: exit 1" "$?" 1
check "no folder: says why" \
    grep -q '^logbook-restore: nowhere/r.db: cannot open: cannot create r.db: No such file or directory$' err

# --- killed: no database, and the next run removes what it left
rm -rf new
mkdir new
# Its input held open: killed while it waits for more.
mkfifo in.fifo
logbook-restore -q -d new/r.db --ndjson in.fifo &
pid=$!
exec 3>in.fifo
cat ev.ndjson >&3
i=0
while [ -z "$(find new -name '.r.db.??????')" ] && [ $i -lt 500 ]; do
	sleep 0.01
	i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid
check_eq "killed: exit status" "$?" 137
exec 3>&-
check "killed: no database" [ ! -e new/r.db ]
check "killed: its temporary file is left" \
    [ -n "$(find new -name '.r.db.??????')" ]
logbook-restore -q -d new/r.db arch
check_eq "killed, restored again: the same content" \
    "$(content new/r.db)" "$(content old/r.db)"
check_eq "killed, restored again: only the database in its folder" \
    "$(ls -A new | grep -v -e '-wal$' -e '-shm$')" r.db

# --- leftovers: a dead run's go; a live run's, a link, others' stay
rm -rf new
mkdir new keep
echo precious >keep/file
: >new/.r.db.DEADaa
: >new/.r.db.DEADaa-journal
: >new/.r.db.LIVEaa
ln -s ../keep/file new/.r.db.LINKaa
: >new/.other.db.DEADbb
flock -x new/.r.db.LIVEaa sleep 30 &
holder=$!
i=0
while flock -n -x new/.r.db.LIVEaa true && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
logbook-restore -q -d new/r.db arch
check_eq "leftovers: restored" "$?" 0
check_eq "leftovers: a dead run's files removed, the rest kept" \
    "$(ls -A new | sort | tr '\n' ' ')" \
    ".other.db.DEADbb .r.db.LINKaa .r.db.LIVEaa r.db r.db-shm r.db-wal "
check_eq "leftovers: the link's target untouched" "$(cat keep/file)" precious
kill $holder 2>/dev/null
wait $holder 2>/dev/null

# --- a name that is there but empty is made ours in place, as before
rm -rf new
mkdir new
: >new/r.db
check_eq "empty file: restored into, exit 0" \
    "$(logbook-restore -q -d new/r.db arch 2>&1; echo $?)" 0
check_eq "empty file: the same content" "$(content new/r.db)" \
    "$(content old/r.db)"
