# Several hosts' archives in one database (schema version 2): archives of
# the same dates from two hosts restore side by side, in either order and
# with a merged folder of both, and logbook-restore --check,
# logbook-verify --db and logbook-retention work on the result; a check
# that fails names the sources; and a database of version 1, made by the
# logbook-restore before version 2 (hosts-v1.sql), is migrated in place.
. "$TOP/tests/lib.sh"

# Two hosts, 2025-10-13 of web1 alone; web1's first date archived twice,
# the first time with half its events (late data).
logbook-genlog --lines 240 --days 3 --seed 1 --start 2025-10-13 >web1.log
logbook-genlog --lines 120 --days 2 --seed 2 --start 2025-10-14 \
    --format nginx >web2.log
logbook-ingest -s web1 web1.log >e1
logbook-ingest -s web2 web2.log >e2
head -n 40 e1 >e1a
logbook-archive -d A0 e1a >/dev/null
logbook-archive -d A e1 >/dev/null
logbook-archive -d B e2 >/dev/null
logbook-restore --emit ndjson A B | logbook-archive -d C >/dev/null

q() {
	sqlite3 -batch "$1" "$2"
}
hourly_by_sources() {
	q "$1" "SELECT sources || '=' || sum(requests) FROM hourly
	    GROUP BY sources ORDER BY sources" | tr '\n' ' '
}

# ---- two hosts into one database ----------------------------------------
check "hosts: two hosts' archives of the same dates restore into one database" \
    logbook-restore -q -d ab.db A0 A B
check "hosts: ... and pass logbook-restore --check" \
    logbook-restore -q --check -d ab.db
check "hosts: ... and logbook-verify --db with both folders" \
    logbook-verify -q --db ab.db A B
check_eq "hosts: the hourly table has each host's rows, every request" \
    "$(hourly_by_sources ab.db)" "web1=240 web2=120 "
check_eq "hosts: archives are recorded with their sources" \
    "$(q ab.db "SELECT date || ':' || sources || ':' || events FROM archives
        ORDER BY date, sources, events" | tr '\n' ' ')" \
    "2025-10-13:web1:40 2025-10-13:web1:80 2025-10-14:web1:80 2025-10-14:web2:60 2025-10-15:web1:80 2025-10-15:web2:60 "
check_eq "hosts: --check -v counts each host of a date apart" \
    "$(logbook-restore -v --check -d ab.db --from 2025-10-14 --to 2025-10-14 2>&1)" \
    "logbook-restore: check: 2025-10-14: source web1: 80 events, as the manifest says
logbook-restore: check: 2025-10-14: source web2: 60 events, as the manifest says"

# The merged folder of both hosts, on top: its rows replace the hosts'.
check "hosts: the merged folder restores on top" logbook-restore -q -d ab.db C
check_eq "hosts: ... its hourly rows replace the hosts' where it has both" \
    "$(hourly_by_sources ab.db)" "web1=80 web1 web2=280 "
check "hosts: ... and every check still passes" \
    sh -c 'logbook-restore -q --check -d ab.db &&
        logbook-verify -q --db ab.db A B C'
# The other way round: the hosts' smaller archives leave the merged rows.
logbook-restore -q -d c.db C A B A0
check_eq "hosts: merged first, hosts after: the merged rows stay" \
    "$(hourly_by_sources c.db)" "web1=80 web1 web2=280 "
check "hosts: ... and every check passes" \
    sh -c 'logbook-restore -q --check -d c.db &&
        logbook-verify -q --db c.db A B C'

# ---- checks that fail name the sources ----------------------------------
cp ab.db bad.db
gone=$(q bad.db "SELECT min(id) FROM events WHERE src = 'web2' AND
    ts LIKE '2025-10-14%'")
q bad.db "DELETE FROM events WHERE id = '$gone'"
check_eq "hosts: --check names the host with an event less" \
    "$(logbook-restore --check -d bad.db --from 2025-10-14 --to 2025-10-14 2>&1; echo $?)" \
    "logbook-restore: check: 2025-10-14: source web2: 59 events in the database, 60 in the manifest
logbook-restore: check: 2025-10-14: source web2: id $gone: in the archive, not in the database
1"
check_eq "hosts: logbook-verify --db names the date and sources" \
    "$(logbook-verify -q --db bad.db B/2025/10/logbook-2025-10-14.tar.gz |
        head -n 1 | sed 's/^FAIL [^ ]* //')" \
    "db: bad.db has 59 events of 2025-10-14 from source web2, the archive 60; first: id $gone: in the archive, not in the database"
# Events of a third host that no archive of the date has.
sed -n '1p' e2 | sed 's/"src":"web2"/"src":"web3"/' >e3
logbook-restore -q --ndjson -d bad.db e3
check_eq "hosts: --check: events of sources no archive of the date has" \
    "$(logbook-restore --check -d bad.db --from 2025-10-14 --to 2025-10-14 2>&1 |
        grep -c 'of sources that no archive of the date has')" 1

# ---- retention: one host's folder prunes only that host's events ---------
export LOGBOOK_CONF=
export LOGBOOK_ARCHIVE_DIR="$(pwd)/A"
export LOGBOOK_STATE_DIR="$(pwd)/state"
export LOGBOOK_METRICS_DIR="$(pwd)/metrics"
export LOGBOOK_SCRATCH_DIR="$(pwd)/scratch"
export LOGBOOK_NOW=1767225600 # 2026-01-01
mkdir -p state metrics scratch
logbook-restore -q -d r.db A0 A B
logbook-retention -v --db r.db -o DB_KEEP_DAYS=30 -o KEEP_DAYS=100000 \
    -o MAX_ARCHIVE_AGE_DAYS=0 >ret.out 2>ret.err
check_eq "hosts: retention with web1's folder exits 0" $? 0
check_eq "hosts: ... deletes web1's old events and keeps web2's" \
    "$(q r.db "SELECT coalesce(src, '-') || '=' || count(*) FROM events
        GROUP BY src ORDER BY src" | tr '\n' ' ')" "web2=120 "
check "hosts: ... and says why web2's stay" \
    grep -q 'keep.*database events of 2025-10-14.*60 events.*of sources that .*logbook-2025-10-14.tar.gz does not have' \
    ret.err
check_eq "hosts: ... the archives of web2 stay recorded" \
    "$(q r.db "SELECT group_concat(sources, ' ') FROM archives")" "web2 web2"
check "hosts: ... and web2's archives still verify against it" \
    logbook-verify -q --db r.db B

# ---- a version 1 database is migrated ------------------------------------
sqlite3 -batch v1.db <"$TOP/tests/sh/hosts-v1.sql"
check_eq "hosts: the fixture is at schema version 1" \
    "$(q v1.db 'SELECT max(version) FROM schema_version')" 1
check "hosts: logbook-verify --db reads version 1 as it was (one host's dates)" \
    logbook-verify -q --db v1.db A/2025/10/logbook-2025-10-13.tar.gz
check "hosts: logbook-restore --check migrates it, and it passes" \
    logbook-restore -q --check -d v1.db
check_eq "hosts: ... now at schema version 2" \
    "$(q v1.db 'SELECT group_concat(version) FROM schema_version')" "1,2"
check_eq "hosts: ... each archive given its host, by its events" \
    "$(q v1.db "SELECT date || ':' || sources || ':' || events FROM archives
        ORDER BY date, sources, events" | tr '\n' ' ')" \
    "2025-10-13:web1:40 2025-10-13:web1:80 2025-10-14:web1:80 2025-10-14:web2:60 2025-10-15:web1:80 2025-10-15:web2:60 "
check_eq "hosts: ... version 1 kept web1's hourly rows of shared dates" \
    "$(hourly_by_sources v1.db)" "web1=240 "
check_eq "hosts: restoring web2 again puts its hourly rows back" \
    "$(logbook-restore -d v1.db B 2>&1)" \
    "logbook-restore: B/2025/10/logbook-2025-10-14.tar.gz: restored before; its 59 hourly rows put back
logbook-restore: B/2025/10/logbook-2025-10-15.tar.gz: restored before; its 58 hourly rows put back"
check_eq "hosts: ... each host's rows, every request" \
    "$(hourly_by_sources v1.db)" "web1=240 web2=120 "
check "hosts: ... and every check passes" \
    sh -c 'logbook-restore -q --check -d v1.db &&
        logbook-verify -q --db v1.db A B'
check_eq "hosts: ... with the events and hourly rows of a new database" \
    "$(q v1.db 'SELECT * FROM events ORDER BY id; SELECT * FROM hourly
        ORDER BY hour, sources, method, path' | sha256sum)" \
    "$(logbook-restore -q -d new.db A0 A B && q new.db 'SELECT * FROM events
        ORDER BY id; SELECT * FROM hourly ORDER BY hour, sources, method,
        path' | sha256sum)"
check_eq "hosts: ... and its indexes" \
    "$(q v1.db "SELECT name || ' ' || sql FROM sqlite_master WHERE type = 'index'
        AND sql IS NOT NULL ORDER BY name")" \
    "$(q new.db "SELECT name || ' ' || sql FROM sqlite_master WHERE type = 'index'
        AND sql IS NOT NULL ORDER BY name")"
check_eq "hosts: ... PRAGMA integrity_check" \
    "$(q v1.db 'PRAGMA integrity_check')" ok
