# logbook-report --tz: the days, hours and span of a zone's clock.  The
# page's totals of local dates equal logbook-aggregate --tz's for the
# same dates, from an archive folder (daily and monthly tier), final and
# partial rows, rows of aggregate --tz itself and a restored database;
# a day's clients from events and from partial rows equal aggregate's
# uniq_ips of that local day; the labels say the zone; UTC is no --tz.
. "$TOP/tests/lib.sh"

. "$TOP/tests/pagevals.sh"

# Nine days across New York's change of 2 November, at -0400 then on.
logbook-genlog --lines 30000 --days 9 --start 2025-10-28 --tz -0400 \
    --seed 5 | logbook-ingest >ev.ndjson 2>/dev/null
logbook-genlog --lines 4000 --days 3 --start 2025-09-01 --tz -0400 \
    --seed 6 | logbook-ingest >old.ndjson 2>/dev/null
logbook-archive -d a ev.ndjson >/dev/null
logbook-aggregate old.ndjson | logbook-archive --hourly -d a >/dev/null
Z=America/New_York

# want FROM TO: aggregate --tz's rows of those local dates.
want() {
	logbook-aggregate --tz $Z --bucket day -b class --from "$1" --to "$2" \
	    ev.ndjson old.ndjson
}

want 2025-11-01 2025-11-03 >w1
logbook-report --tz $Z --from 2025-11-01 --to 2025-11-03 a >a1.html
check_eq "report --tz: archive totals of local dates equal aggregate --tz's" \
    "$(page a1.html)" "$(sums w1)"
check "report --tz: ... which are not those of the UTC dates" \
    sh -c "[ '$(page a1.html)' != \
        '$(logbook-report --from 2025-11-01 --to 2025-11-03 a | { cat >u1.html; page u1.html; })' ]"
want 2025-09-01 2025-09-02 >w2
logbook-report --tz $Z --from 2025-09-01 --to 2025-09-02 a >a2.html
check_eq "report --tz: the monthly tier by local dates" \
    "$(page a2.html)" "$(sums w2)"
want 2025-01-01 2025-12-31 >w3
logbook-report --tz $Z a >a3.html
check_eq "report --tz: all of the folder" "$(page a3.html)" "$(sums w3)"

logbook-aggregate ev.ndjson old.ndjson >rows.ndjson
logbook-report --tz $Z --from 2025-11-01 --to 2025-11-03 rows.ndjson >r1.html
check_eq "report --tz: final rows by local dates" "$(page r1.html)" "$(sums w1)"
logbook-aggregate --tz $Z ev.ndjson old.ndjson >tzrows.ndjson
logbook-report --tz $Z --from 2025-11-01 --to 2025-11-03 tzrows.ndjson >t1.html
check_eq "report --tz: rows of aggregate --tz, with their offsets" \
    "$(page t1.html)" "$(sums w1)"
logbook-report tzrows.ndjson >t0.html
logbook-report rows.ndjson >r0.html
check_eq "report: rows of aggregate --tz are the UTC hours they name" \
    "$(page t0.html) $(grep -o '<title>[^<]*</title>' t0.html | md5sum)" \
    "$(page r0.html) $(grep -o '<title>[^<]*</title>' r0.html | md5sum)"

logbook-restore -q -d r.db a
logbook-report --tz $Z --from 2025-11-01 --to 2025-11-03 --db r.db >d1.html
check_eq "report --tz --db: totals of local dates" "$(page d1.html)" "$(sums w1)"

# One local day's clients: events (archives, database) and partial rows.
for d in 2025-11-02 2025-10-30; do
	u=$(logbook-aggregate --tz $Z --bucket day -b src --from $d --to $d \
	    ev.ndjson | sed 's/.*"uniq_ips":\([0-9]*\).*/\1/')
	logbook-report --tz $Z --from $d --to $d a >c.html
	check_eq "report --tz: clients of $d from the archives' events" \
	    "$(val total-clients c.html)" "$u"
	logbook-report --tz $Z --from $d --to $d --db r.db >c.html
	check_eq "report --tz: clients of $d from the database's events" \
	    "$(val total-clients c.html)" "$u"
	logbook-aggregate -p ev.ndjson |
	    logbook-report --tz $Z --from $d --to $d >c.html
	check_eq "report --tz: clients of $d from partial rows" \
	    "$(val total-clients c.html)" "$u"
done

check "report --tz: the span on the zone's clock" \
    grep -q "2025-11-01 00:00 to 2025-11-04 00:00 $Z" a1.html
check "report --tz: the footer names the clock" \
    grep -q "Times are $Z (the dates of archives are UTC" a1.html
check "report --tz: the hours' axis names it" grep -q "hour ($Z)" a1.html
check "report --tz: the first hour of 1 November is local midnight" \
    grep -q '<title>11-01 00:00 2xx: ' a1.html
logbook-report --tz -0400 --from 2025-10-29 --to 2025-10-29 a >f.html
want_f=$(logbook-aggregate --tz -0400 --bucket day -b class --from 2025-10-29 \
    --to 2025-10-29 ev.ndjson | { cat >wf; sums wf; })
check_eq "report --tz -0400: a fixed offset" "$(page f.html)" "$want_f"

logbook-report a >u.html
for z in UTC +0000; do
	logbook-report --tz $z a >z.html
	check "report --tz $z: the page of no --tz" cmp -s u.html z.html
done
for z in Nowhere/Zone +2500 ../etc/passwd; do
	logbook-report --tz "$z" a >x.html 2>err
	check_eq "report --tz $z: usage, exit 2" "$?" 2
	check "report --tz $z: says why" grep -q -- "--tz" err
done

# Sources on the zone's days: their requests equal aggregate --tz -b src.
logbook-genlog --lines 5000 --days 4 --seed 1 --tz -0400 |
    logbook-ingest -s a >s.ndjson 2>/dev/null
logbook-genlog --lines 3000 --days 4 --seed 2 --tz -0400 |
    logbook-ingest -s b >>s.ndjson 2>/dev/null
logbook-archive -d sa s.ndjson >/dev/null
logbook-report --tz $Z --from 2025-10-14 --to 2025-10-15 sa >s.html
check_eq "report --tz: each source's requests of local dates" \
    "$(grep -o '<tr data-src="[ab]"><td class="p">[ab]</td><td class="n" data-value="[0-9]*"' s.html |
        sed 's/.*data-src="\(.\)".*data-value="\([0-9]*\)"/\1 \2/' | tr '\n' ' ')" \
    "$(logbook-aggregate --tz $Z -b src --bucket all --from 2025-10-14 \
        --to 2025-10-15 s.ndjson | sed 's/{"src":"\(.\)","requests":\([0-9]*\).*/\1 \2/' | tr '\n' ' ')"
