# logbook-restore: round trips through the database, idempotence, late
# data, kill -9 and a full disk mid-restore, a busy database, readers
# during a restore, and the man page's queries on their indexes.
. "$TOP/tests/lib.sh"

# q DB SQL...: the rows, '|'-separated.
q() {
	_db=$1
	shift
	sqlite3 -batch "$_db" "$@"
}

# archive DIR [FILE]: events into archives, quietly.
archive() {
	logbook-archive -d "$@" >/dev/null
}

# Per UTC hour: requests and bytes from the events, from the hourly
# rows, and from logbook-aggregate run on the ingested events.
per_hour() {
	q "$1" "SELECT substr(ts, 1, 13), count(*), total(bytes) FROM events
	    GROUP BY 1 ORDER BY 1" >hour.events
	q "$1" "SELECT substr(hour, 1, 13), sum(requests), total(bytes)
	    FROM hourly GROUP BY 1 ORDER BY 1" >hour.rows
	logbook-aggregate "$2" | python3 -c '
import json, sys
h = {}
for l in sys.stdin:
    r = json.loads(l)
    k = r["hour"][:13]
    n, b = h.get(k, (0, 0))
    h[k] = (n + r["requests"], b + r["bytes"])
for k in sorted(h):
    print("%s|%d|%.1f" % (k, h[k][0], h[k][1]))' >hour.agg
}

# --- round trip: ingest, archive, restore; counts and bytes per hour
logbook-genlog --lines 30000 --days 3 --seed 7 >g.log
logbook-ingest g.log >g.ndjson
archive a g.ndjson
logbook-restore -d r.db --check a
check_eq "round trip: restore --check exits 0" "$?" 0
check_eq "round trip: every line is an event" \
    "$(q r.db 'SELECT count(*) FROM events')" 30000
check_eq "round trip: one archives row per date" \
    "$(q r.db 'SELECT group_concat(date || "=" || events) FROM archives')" \
    "$(sed 's/.*"ts":"\([0-9-]*\)T.*/\1/' g.ndjson | sort | uniq -c |
    awk '{ printf "%s%s=%s", (NR > 1 ? "," : ""), $2, $1 }')"
per_hour r.db g.ndjson
same_file "round trip: per hour, events and hourly rows agree" \
    hour.events hour.rows
same_file "round trip: per hour, events and logbook-aggregate agree" \
    hour.events hour.agg
check_eq "round trip: 72 hours" "$(wc -l <hour.events)" 72
check_eq "round trip: integrity" "$(q r.db 'PRAGMA integrity_check')" ok

# --- idempotence: the same archives again change nothing
q r.db .dump >dump.1
logbook-restore -d r.db a 2>again.err
check_eq "again: exits 0" "$?" 0
q r.db .dump >dump.2
same_file "again: the database is the same, row for row" dump.1 dump.2
check_eq "again: says so for each archive" \
    "$(grep -c 'already restored, nothing added' again.err)" 3

# --- late data: the last day archived again with 250 more lines
head -n 29750 g.log >early.log
logbook-ingest early.log >early.ndjson
archive late early.ndjson
logbook-restore -q -d late.db late
check_eq "late: first restore has the early lines" \
    "$(q late.db 'SELECT count(*) FROM events')" 29750
archive late g.ndjson
logbook-restore -v -d late.db --check late 2>late.err
check_eq "late: --check passes after the late data" "$?" 0
check_eq "late: exactly the new events added" \
    "$(q late.db 'SELECT sum(added) FROM archives')" 30000
check_eq "late: the newest archive of the day added 250" \
    "$(q late.db "SELECT added FROM archives
    ORDER BY date DESC, restored_at DESC, rowid DESC LIMIT 1")" 250
check_eq "late: the database holds every event once" \
    "$(q late.db 'SELECT count(*), count(DISTINCT id) FROM events')" \
    "30000|30000"
per_hour late.db g.ndjson
same_file "late: hourly rows are the larger archive's" hour.events hour.rows
nodates='^INSERT INTO \(archives\|archive_sources\|schema_version\)'
q late.db .dump | grep -v "$nodates" | sort >late.dump
q r.db .dump | grep -v "$nodates" | sort >r.dump
same_file "late: events and rows as a restore of the full archives" \
    late.dump r.dump
