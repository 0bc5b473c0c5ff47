# logbook-restore --ndjson: the rows of the archives' loader, by id;
# idempotence; NDJSON and archives in either order, one row per event,
# with --check and logbook-verify --db passing; kill -9, a full disk and
# a damaged file mid-load, each leaving the database as it was.
. "$TOP/tests/lib.sh"

# q DB SQL...: the rows, '|'-separated.
q() {
	_db=$1
	shift
	sqlite3 -batch "$_db" "$@"
}

# rows DB: every column of every event, in id order.
rows() {
	q "$1" 'SELECT * FROM events ORDER BY id'
}

# checks NAME DB: both per-date checks of the database pass.
checks() {
	logbook-restore -q -d "$2" --check a
	check_eq "$1: logbook-restore --check passes" "$?" 0
	logbook-verify -q --db "$2" a >/dev/null
	check_eq "$1: logbook-verify --db passes" "$?" 0
	check_eq "$1: one row per event" \
	    "$(q "$2" 'SELECT count(*), count(DISTINCT id) FROM events')" \
	    "30000|30000"
}

logbook-genlog --lines 30000 --days 3 --seed 7 | logbook-ingest >g.ndjson
logbook-archive -d a g.ndjson >/dev/null

# --- the same rows as the archives give, column for column
logbook-restore -d n.db --ndjson g.ndjson
check_eq "ndjson: exits 0" "$?" 0
logbook-restore -q -d a.db a
rows n.db >rows.ndjson
rows a.db >rows.archive
same_file "ndjson: every event's row equals the archive's" \
    rows.ndjson rows.archive
check_eq "ndjson: no archives row, no hourly rows" \
    "$(q n.db 'SELECT count(*) FROM archives' 'SELECT count(*) FROM hourly')" \
    "0
0"
check_eq "ndjson: integrity" "$(q n.db 'PRAGMA integrity_check')" ok

# --- idempotence: the file again, gzip-compressed, shuffled: nothing
q n.db .dump >dump.1
gzip -c g.ndjson >g.ndjson.gz
logbook-restore -d n.db --ndjson g.ndjson.gz 2>again.err
check_eq "again: exits 0" "$?" 0
check "again: says nothing was added" \
    grep -qx 'logbook-restore: g.ndjson.gz: already restored, nothing added' \
    again.err
python3 -c '
import random, sys
l = open(sys.argv[1]).readlines()
random.Random(1).shuffle(l)
sys.stdout.writelines(l)' g.ndjson | logbook-restore -q -d n.db --ndjson
check_eq "again: shuffled, from standard input, exits 0" "$?" 0
q n.db .dump >dump.2
same_file "again: the database is the same, row for row" dump.1 dump.2
python3 -c '
import random, sys
l = open(sys.argv[1]).readlines()
random.Random(2).shuffle(l)
sys.stdout.writelines(l)' g.ndjson | logbook-restore -q -d s.db --ndjson
rows s.db >rows.shuffled
same_file "shuffled into a new database: the same rows" \
    rows.shuffled rows.ndjson

# --- NDJSON, then the archives: one row per event, the archives' hourly
# rows, both checks pass
logbook-restore -v -d n.db a 2>na.err
check_eq "ndjson then archives: exits 0" "$?" 0
check_eq "ndjson then archives: no event added" \
    "$(q n.db 'SELECT sum(added) FROM archives')" 0
checks "ndjson then archives" n.db
check_eq "ndjson then archives: the archives' hourly rows" \
    "$(q n.db 'SELECT count(*), sum(requests) FROM hourly')" \
    "$(q a.db 'SELECT count(*), sum(requests) FROM hourly')"
rows n.db >rows.both
same_file "ndjson then archives: the rows are the archive's" \
    rows.both rows.archive

# --- the archives, then NDJSON: nothing changes
q a.db .dump >dump.a1
logbook-restore -d a.db --check --ndjson g.ndjson 2>an.err
check_eq "archives then ndjson: --check exits 0" "$?" 0
q a.db .dump >dump.a2
same_file "archives then ndjson: the database is the same" dump.a1 dump.a2
checks "archives then ndjson" a.db

# --- one day from NDJSON, the others from their archives
grep '"ts":"2025-10-14' g.ndjson >day.ndjson
logbook-restore -q -d m.db --ndjson day.ndjson
logbook-restore -q -d m.db --from 2025-10-13 --to 2025-10-13 a
logbook-restore -q -d m.db --from 2025-10-15 a
logbook-restore -q -d m.db a
checks "a day from NDJSON, then every archive" m.db

# --- events an archive does not hold: --check says so
head -n 100 g.ndjson >early.ndjson
logbook-archive -d e early.ndjson >/dev/null
logbook-restore -q -d e.db e
logbook-restore -q -d e.db --check --ndjson g.ndjson 2>more.err
check_eq "more than the archive: --check exits 1" "$?" 1
check "more than the archive: --check names the date" \
    grep -q '^logbook-restore: check: 2025-10-13: [0-9]* events in the database, 100 in the manifest$' \
    more.err

# --- a damaged gzip file: nothing of it stays
head -c 200000 g.ndjson.gz >cut.ndjson.gz
logbook-restore -q -d c.db --check
logbook-restore -d c.db --ndjson g.ndjson cut.ndjson.gz 2>cut.err
check_eq "damaged gzip: exits 1" "$?" 1
check "damaged gzip: names the file not restored" \
    grep -qx 'logbook-restore: cut.ndjson.gz: not restored' cut.err
check_eq "damaged gzip: the file before it stays whole" \
    "$(q c.db 'SELECT count(*) FROM events')" 30000

# --- kill -9 mid-load: nothing of the file, or all of it
logbook-genlog --lines 300000 --days 2 --seed 3 | logbook-ingest >big.ndjson
killed=0
for t in 0.3 1.0 2.0; do
	rm -f k.db k.db-wal k.db-shm
	logbook-restore -q -d k.db --check
	logbook-restore -q -d k.db --ndjson big.ndjson &
	pid=$!
	sleep $t
	kill -9 $pid 2>/dev/null
	wait $pid
	[ $? = 137 ] && killed=$((killed + 1))
	n=$(q k.db 'SELECT count(*) FROM events')
	case $n in
	0 | 300000) ok "kill -9 after ${t}s: none of the file or all ($n)" ;;
	*) notok "kill -9 after ${t}s: $n events, part of the file" ;;
	esac
	check_eq "kill -9 after ${t}s: integrity" \
	    "$(q k.db 'PRAGMA integrity_check')" ok
	logbook-restore -q -d k.db --ndjson big.ndjson
	check_eq "kill -9 after ${t}s: loading again completes it" \
	    "$(q k.db 'SELECT count(*), count(DISTINCT id) FROM events')" \
	    "300000|300000"
done
check "kill -9: at least two loads were killed" [ $killed -ge 2 ]

# --- a full disk mid-load: exit 1, the file not restored, the database
# as before it
rm -f f.db f.db-wal f.db-shm
mkdir -p small
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=32m tmpfs small 2>/dev/null
then
	logbook-restore -q -d small/f.db --ndjson day.ndjson
	logbook-restore -d small/f.db --ndjson big.ndjson 2>full.err
	s=$?
	n=$(q small/f.db 'SELECT count(*) FROM events')
	umount small
	check "full disk: says so" grep -q 'small/f.db: .*disk is full' full.err
else
	logbook-restore -q -d f.db --ndjson day.ndjson
	(trap '' XFSZ; ulimit -f 16000; exec logbook-restore -d f.db --ndjson \
	    big.ndjson) 2>full.err
	s=$?
	n=$(q f.db 'SELECT count(*) FROM events')
	check "full disk: names the database" \
	    grep -q '^logbook-restore: f.db: ' full.err
fi
check_eq "full disk: exit status 1" "$s" 1
check "full disk: names the file not restored" \
    grep -qx 'logbook-restore: big.ndjson: not restored' full.err
check_eq "full disk: the database as before the file" "$n" \
    "$(grep -c . day.ndjson)"
