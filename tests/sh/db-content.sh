# Database checks that see content: logbook-restore --check and
# logbook-verify --db compare each source's digest of a date with its
# archive's, so one field changed, one event swapped for another, one
# deleted and one added are each caught, and the event is named with
# its id, the field and both values.
. "$TOP/tests/lib.sh"

logbook-genlog --lines 3000 --days 3 --seed 4 --start 2025-10-13 >web.log
logbook-ingest -s web web.log >e
logbook-archive -d A e >/dev/null
logbook-restore -q -d ok.db A
check "content: a database restored passes --check" \
    logbook-restore -q --check -d ok.db
check "content: ... and logbook-verify --db" logbook-verify -q --db ok.db A

q() {
	sqlite3 -batch "$1" "$2"
}
# nth N DATE: the id of the N-th event of DATE, by id.
nth() {
	q ok.db "SELECT id FROM events WHERE ts LIKE '$2%' ORDER BY id
	    LIMIT 1 OFFSET $1"
}
a14=A/2025/10/logbook-2025-10-14.tar.gz

# tampered NAME SQL: a copy of the database with SQL run on it.
tampered() {
	cp ok.db "$1.db"
	q "$1.db" "$2"
}
# caught NAME WANT: --check and verify --db fail on it, naming WANT.
caught() {
	logbook-restore --check -d "$1.db" --from 2025-10-14 \
	    --to 2025-10-14 >"$1.check" 2>&1
	check_eq "content: $1: --check exits 1" $? 1
	check "content: $1: --check names it: $2" grep -qF -- "$2" "$1.check"
	logbook-verify -q --db "$1.db" "$a14" >"$1.out" 2>"$1.err"
	check_eq "content: $1: logbook-verify --db exits 1" $? 1
	check "content: $1: ... and names it in its line" \
	    grep -qF -- "first: $2" "$1.out"
	check "content: $1: ... and on stderr" \
	    grep -qF -- "logbook-verify: $a14: db: $2" "$1.err"
}

id=$(nth 10 2025-10-14)
st=$(q ok.db "SELECT status FROM events WHERE id = '$id'")
tampered field "UPDATE events SET status = 599 WHERE id = '$id'"
caught field "id $id: status: $st in the archive, 599 in the database"
check "content: field: the counts alone agree" \
    grep -q 'events, but not the archive.s: digest' field.check

id=$(nth 20 2025-10-14)
tampered swapped "UPDATE events SET id = substr(id, 1, 16) || '0000000000000000'
    WHERE id = '$id'"
caught swapped "id $id: in the archive, not in the database"
check "content: swapped: the fake is named too" \
    grep -qF "id ${id%-*}-0000000000000000: in the database, not in the archive" \
    swapped.check

id=$(nth 30 2025-10-14)
tampered deleted "DELETE FROM events WHERE id = '$id'"
caught deleted "id $id: in the archive, not in the database"

tampered added "INSERT INTO events SELECT '20251014T235959-00000000deadbeef',
    '2025-10-14T23:59:59Z', tz, ip, ident, user, method, path, query, proto,
    req, status, bytes, referer, ua, rt, host, src, fmt, x, cr, raw64
    FROM events WHERE id = '$(nth 5 2025-10-14)'"
caught added "id 20251014T235959-00000000deadbeef: in the database, not in the archive"

# The same bytes as another type: a user agent made a BLOB.
id=$(nth 40 2025-10-14)
tampered typed "UPDATE events SET ua = CAST(ua AS BLOB) WHERE id = '$id'"
caught typed "id $id: ua: \"$(q ok.db "SELECT ua FROM events WHERE id = '$id'")\" in the archive, a BLOB"

# Many differences: five named, and how many more.
tampered many "UPDATE events SET ua = 'x' WHERE ts LIKE '2025-10-14%'"
logbook-restore --check -d many.db 2>many.check
check_eq "content: many: five events named" \
    "$(grep -c ': ua: ' many.check)" 5
check "content: many: and how many more" \
    grep -q 'check: 2025-10-14: and 99[0-9] more' many.check

# The archive gone: the difference is still caught, and said why unnamed.
mv A B
check_eq "content: archive gone: --check still fails" \
    "$(logbook-restore --check -d field.db 2>&1; echo $?)" \
    "$(printf '%s\n%s\n1' \
        "logbook-restore: check: 2025-10-14: $(q ok.db "SELECT count(*) FROM events WHERE ts LIKE '2025-10-14%'") events, but not the archive's: digest $(grep -o 'digest [0-9a-f]*' field.check | head -n 1 | cut -d ' ' -f 2), the archive's $(grep -o "archive's [0-9a-f]*" field.check | head -n 1 | cut -d ' ' -f 2)" \
        "logbook-restore: check: 2025-10-14: its archive is not at hand to name the events")"
mv B A
check "content: the untouched database still passes both" \
    sh -c 'logbook-restore -q --check -d ok.db && logbook-verify -q --db ok.db A'

# ---- the manifest's digests ----------------------------------------------
# An event forged, and the manifest's SHA-256 rewritten to match: the
# digests line of the manifest still tells.
mkdir forge
(cd forge && tar -xzf "../$a14")
check "content: the manifest has a digests line per source" \
    grep -qE '^digests [0-9]+:[0-9a-f]{64}$' forge/MANIFEST
id=$(nth 50 2025-10-14)
sed "/\"id\":\"$id\"/s/\"status\":[0-9]*/\"status\":599/" \
    forge/events.ndjson >forge/e && mv forge/e forge/events.ndjson
sum=$(sha256sum forge/events.ndjson | cut -d ' ' -f 1)
sed "s/^[0-9a-f]*  events.ndjson\$/$sum  events.ndjson/" forge/MANIFEST \
    >forge/m && mv forge/m forge/MANIFEST
(cd forge && tar -czf ../forged.tar.gz MANIFEST events.ndjson hourly.ndjson)
logbook-verify -q forged.tar.gz >forged.out
check_eq "content: a forged event under a rewritten SHA-256 fails verify" $? 1
check "content: ... on the digest of its source" \
    grep -qE '^FAIL forged.tar.gz: digest: source web: the events give [0-9]+:[0-9a-f]{64}, the manifest says [0-9]+:[0-9a-f]{64}$' \
    forged.out
# A manifest of before the digests, without the line, still verifies.
(cd forge && tar -xzf "../$a14" && grep -v '^digests ' MANIFEST >m &&
    mv m MANIFEST && tar -czf ../old.tar.gz MANIFEST events.ndjson \
    hourly.ndjson)
check "content: an archive without a digests line still verifies" \
    logbook-verify -q old.tar.gz
check "content: ... and restores, with the digests of its events" \
    sh -c 'logbook-restore -q -d old.db old.tar.gz &&
        logbook-restore -q --check -d old.db'
check_eq "content: ... the same digests as the archive's own" \
    "$(q old.db 'SELECT src, events, digest FROM archive_sources')" \
    "$(q ok.db "SELECT src, events, digest FROM archive_sources
        WHERE date = '2025-10-14'")"
