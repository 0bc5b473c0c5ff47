# logbook-restore under trouble: killed with SIGKILL mid-restore, a full
# disk, another writer holding the database, readers while it writes.
# After each, the database holds whole archives only, and restoring
# again gives exact counts.
. "$TOP/tests/lib.sh"

q() {
	_db=$1
	shift
	sqlite3 -batch "$_db" "$@"
}

# whole NAME DB: every date holds exactly its archive's events, and no
# event lacks its archive.
whole() {
	check_eq "$1: integrity" "$(q "$2" 'PRAGMA integrity_check')" ok
	check_eq "$1: only whole archives" "$(q "$2" "
	    SELECT count(*) FROM (SELECT substr(ts, 1, 10) AS d,
	    count(*) AS n FROM events GROUP BY d) AS e
	    LEFT JOIN (SELECT date, max(events) AS m FROM archives
	    GROUP BY date) AS a ON a.date = e.d
	    WHERE a.m IS NOT e.n")" 0
}

# again NAME DB: a second restore completes the database exactly.
again() {
	logbook-restore -q -d "$2" --check big
	check_eq "$1: restore again, --check passes" "$?" 0
	check_eq "$1: every event once" \
	    "$(q "$2" 'SELECT count(*), count(DISTINCT id) FROM events')" \
	    "300000|300000"
	check_eq "$1: hourly rows of every date" \
	    "$(q "$2" 'SELECT sum(requests) FROM hourly')" 300000
}

logbook-genlog --lines 300000 --days 2 --seed 3 | logbook-ingest >big.ndjson
logbook-archive -d big big.ndjson >/dev/null

# --- kill -9 at several moments of a restore into an existing database
# (a new one appears only whole: tests/sh/restore-new.sh), the moments
# spread over how long one whole restore takes on this machine
empty() {
	rm -f k.db k.db-wal k.db-shm
	logbook-restore -q -d k.db --check
}
empty
t0=$(date +%s.%N)
logbook-restore -q -d k.db big
t1=$(date +%s.%N)
killed=0
for f in 0.1 0.35 0.6 0.85; do
	t=$(echo "$t0 $t1 $f" | awk '{ printf "%.3f", ($2 - $1) * $3 }')
	empty
	logbook-restore -q -d k.db big &
	pid=$!
	sleep $t
	kill -9 $pid 2>/dev/null
	wait $pid
	[ $? = 137 ] && killed=$((killed + 1))
	if [ -s k.db ]; then
		whole "kill -9 at $f of a restore" k.db
	fi
	again "kill -9 at $f of a restore" k.db
done
check "kill -9: at least three restores were killed" [ $killed -ge 3 ]

# --- a full disk: a small tmpfs when we may mount one, else a file size
# limit (SIGXFSZ ignored, so writes fail with EFBIG).  full NAME SETUP:
# SETUP "new" starts with no database, "old" with an empty one.
full() {
	rm -f f.db f.db-wal f.db-shm
	mkdir -p small
	if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=8m tmpfs small \
	    2>/dev/null; then
		[ "$2" = old ] && logbook-restore -q -d small/f.db --check
		logbook-restore -d small/f.db big 2>full.err
		s=$?
		[ -f small/f.db ] && cp small/f.db f.db
		check_eq "$1: nothing left beside it" \
		    "$(ls -A small | grep -v '^f\.db' | wc -l)" 0
		umount small
		check "$1: says so" grep -q 'small/f.db: .*disk is full' \
		    full.err
	else
		[ "$2" = old ] && logbook-restore -q -d f.db --check
		(trap '' XFSZ; ulimit -f 16000; exec logbook-restore -d f.db big) \
		    2>full.err
		s=$?
		check "$1: names the database" \
		    grep -q '^logbook-restore: f.db: ' full.err
	fi
	check_eq "$1: exit status 1" "$s" 1
	check "$1: names the archive not restored" \
	    grep -q 'logbook-2025-10-13.tar.gz: not restored' full.err
}
# A new database appears whole or not at all.
full "full disk, new db" new
check "full disk, new db: no database" [ ! -e f.db ]
check "full disk, new db: says it was not made" \
    grep -q 'f.db: not made; restore again' full.err
again "full disk, new db" f.db
# An existing one keeps the archives committed before.
full "full disk, old db" old
whole "full disk, old db" f.db
again "full disk, old db" f.db

# --- another writer holds the database for 2 s: restore waits for it
rm -f b.db b.db-wal b.db-shm
logbook-restore -q -d b.db --check
(printf 'BEGIN IMMEDIATE;\nINSERT INTO schema_version VALUES (0, 1);\n'
 sleep 3
 date +%s.%N >released
 printf 'ROLLBACK;\n') | sqlite3 b.db &
sleep 0.5
logbook-restore -q -d b.db big
s=$?
t1=$(date +%s.%N)
wait
check_eq "busy: restore waits for the other writer, then succeeds" "$s" 0
check "busy: it finished after the other writer let go" \
    awk -v a="$(cat released)" -v b="$t1" 'BEGIN { exit !(b > a) }'
again "busy" b.db

# --- readers count while a restore writes: never locked out, never a
# part of an archive
rm -f w.db w.db-wal w.db-shm
logbook-restore -q -d w.db --check
logbook-restore -q -d w.db big &
pid=$!
bad=0
reads=0
while kill -0 $pid 2>/dev/null; do
	n=$(q w.db 'SELECT count(*) FROM events' 2>&1)
	case $n in
	0 | 150000 | 300000) ;;
	*) bad=$((bad + 1)); echo "read: $n" >&2 ;;
	esac
	reads=$((reads + 1))
done
wait $pid
check_eq "readers: the restore succeeds" "$?" 0
check_eq "readers: $reads reads, each saw whole archives" "$bad" 0
