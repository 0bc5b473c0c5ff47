# logbook-report: the page's totals equal logbook-aggregate's for the same
# span, from rows, partial rows and archives (daily and monthly, never
# counted twice); --from and --to; damaged archives; the page is bounded,
# self-contained, and renders in headless Chromium at desktop and phone
# widths without console errors.
. "$TOP/tests/lib.sh"

. "$TOP/tests/pagevals.sh"

logbook-genlog --format nginx --lines 40000 --days 9 --seed 7 |
    logbook-ingest >ev.ndjson 2>/dev/null
logbook-genlog --format nginx --lines 5000 --days 3 --seed 8 \
    --start 2025-09-01 | logbook-ingest >old.ndjson 2>/dev/null
logbook-archive -d a ev.ndjson >/dev/null
logbook-aggregate old.ndjson | logbook-archive --hourly -d a >/dev/null
logbook-aggregate --bucket day -b class ev.ndjson old.ndjson >want.ndjson

check "report: reads the archive folder, exit 0" sh -c 'logbook-report a >a.html'
check_eq "report: archive totals equal logbook-aggregate's" \
    "$(page a.html)" "$(sums want.ndjson)"
check_eq "report: the archives, verified" \
    "$(val archives a.html) $(val archives-failed a.html)" "9 0"
# titles ID FILE: the bars' titles of the chart with that id, wide drawing.
titles() {
	sed 's/<svg class="narrow"/\n&/g' "$2" | grep -o "id=\"$1\".*" |
	    grep -o '<title>[^<]*</title>' | sed 's/<[^>]*>//g'
}
check_eq "report: the events chart has each archive's events" \
    "$(titles chart-archive-events a.html | sed 's/ events: / /' | sort | tr '\n' ' ')" \
    "$(sed 's/.*"ts":"\(..........\).*/\1/' ev.ndjson | sort | uniq -c |
        awk '{ printf "%s %.3g k ", $2, $1 / 1000 }')"
check_eq "report: no size of a failed archive when none failed" \
    "$(titles chart-archive-bytes a.html | grep -c 'failed its checks')" 0

# A monthly archive of days the daily archives hold adds nothing.
for f in a/2025/10/logbook-2025-10-*.tar.gz; do
	tar -xzOf "$f" hourly.ndjson
done | logbook-archive --hourly -d a >/dev/null
logbook-report a >b.html
check_eq "report: days in daily and monthly archives count once" \
    "$(page b.html)" "$(sums want.ndjson)"

# --from and --to: whole UTC days, inclusive.
grep -E '"ts":"2025-10-1[45]T' ev.ndjson |
    logbook-aggregate --bucket day -b class >span.ndjson
logbook-report --from 2025-10-14 --to 2025-10-15 a >span.html
check_eq "report: --from and --to keep those days" \
    "$(page span.html)" "$(sums span.ndjson)"
check "report: the span is shown" \
    grep -q '2025-10-14 00:00 to 2025-10-16 00:00 UTC' span.html

# Drops against a week before, from the events: hours of the 9 days,
# one of them gone quiet (no rows at all), computed here in Python.
grep -v '"ts":"2025-10-20T10' ev.ndjson >quiet.ndjson
logbook-aggregate quiet.ndjson | logbook-report >quiet.html
python3 - quiet.ndjson >drops.want <<'PY'
import collections, datetime, sys
n = collections.Counter()
for line in open(sys.argv[1]):
    ts = line.split('"ts":"', 1)[1][:13]
    n[datetime.datetime.strptime(ts, "%Y-%m-%dT%H")] += 1
t0, t1 = min(n), max(n)
week, d = datetime.timedelta(days=7), []
h = t0 + week
while h <= t1:
    if n[h] < n[h - week]:
        d.append((n[h] - n[h - week], h, n[h], n[h - week]))
    h += datetime.timedelta(hours=1)
for drop, h, cur, before in sorted(d)[:10]:
    print(h.strftime("%Y-%m-%d %H:%M"), cur, before,
          "%.2f%%" % (100.0 * (before - cur) / before))
PY
tr -d '\n' <quiet.html | sed 's/.*id="drops"//; s/<\/table>.*//' |
    sed 's/<tr>/\n/g' | grep '^<td>' |
    sed 's/<[^>]*>/ /g; s/  */ /g; s/^ //; s/ $//' >drops.got
check "report: the biggest drops against a week before" \
    cmp -s drops.got drops.want
check "report: ... the quiet hour first, at no requests" \
    grep -q '^2025-10-20 10:00 0 ' drops.got
logbook-report --from 2025-10-13 --to 2025-10-19 a >week.html
check "report: a span of a week compares nothing" \
    grep -q 'id="no-drops">The span is not longer than a week' week.html

# Rows in files and on standard input, final and partial.
logbook-aggregate ev.ndjson old.ndjson >rows.ndjson
logbook-report rows.ndjson >rows.html
check_eq "report: final rows from a file" "$(page rows.html)" \
    "$(sums want.ndjson)"
logbook-aggregate -p ev.ndjson | logbook-report >p.html
logbook-aggregate --bucket day -b class ev.ndjson >ev.day
check_eq "report: partial rows on standard input" "$(page p.html)" \
    "$(sums ev.day)"
logbook-report --from 2025-10-13 a >a10.html
check "report: partial rows give a client count and percentiles" \
    sh -c "[ -n '$(val total-clients p.html)' ] && [ -n '$(val total-p95 p.html)' ]"
check_eq "report: clients from partial rows equal those of the archives" \
    "$(val total-clients p.html)" "$(val total-clients a10.html)"
check_eq "report: percentiles from partial rows equal the archives'" \
    "$(val total-p95 p.html) $(val total-p99 p.html)" \
    "$(val total-p95 a10.html) $(val total-p99 a10.html)"
check_eq "report: final rows give no client count" \
    "$(val total-clients rows.html)" ""
logbook-aggregate --bucket day -b src ev.ndjson >src.day
check_eq "report: one day's clients are logbook-aggregate's uniq_ips" \
    "$(logbook-aggregate -p ev.ndjson | logbook-report --from 2025-10-15 \
        --to 2025-10-15 | grep -o 'id="total-clients" data-value="[0-9]*"' |
        sed 's/.*="//; s/"//')" \
    "$(grep '"day":"2025-10-15"' src.day | sed 's/.*"uniq_ips":\([0-9]*\).*/\1/')"

# A damaged archive: reported, left out, exit 1, and said on the page.
cp -R a d
printf 'x' | dd of=d/2025/10/logbook-2025-10-14.tar.gz bs=1 seek=100 \
    conv=notrunc 2>/dev/null
logbook-report d >d.html 2>d.err
check_eq "report: a damaged archive exits 1" "$?" 1
check "report: ... names it on standard error" \
    grep -q 'logbook-2025-10-14.tar.gz: ' d.err
check_eq "report: ... and counts it on the page" \
    "$(val archives-failed d.html)" 1
check "report: ... with a warning" grep -q 'id="failed"' d.html
check_eq "report: ... its size drawn as failed, its events not drawn" \
    "$(titles chart-archive-bytes d.html | grep 'failed its checks' | cut -c1-10)
$(titles chart-archive-events d.html | grep -c 2025-10-14)" "2025-10-14
0"

# An archive found bad only at its end (a member's SHA-256) gives nothing,
# though its rows were read before the check failed.
logbook-archive -d e ev.ndjson >/dev/null
mkdir x
(cd x && tar -xzf ../e/2025/10/logbook-2025-10-14.tar.gz)
sed -i '1s/"requests":[0-9]*/"requests":999999/' x/hourly.ndjson
(cd x && tar --format=ustar --owner=0 --group=0 -cf - MANIFEST \
    events.ndjson hourly.ndjson) | gzip -n >e/2025/10/logbook-2025-10-14.tar.gz
grep -v '"ts":"2025-10-14T' ev.ndjson |
    logbook-aggregate --bucket day -b class >e.want
logbook-report e >e.html 2>e.err
check_eq "report: an archive failing at its end exits 1" "$?" 1
check "report: ... says why" grep -q 'logbook-2025-10-14.tar.gz: sha256: ' e.err
check_eq "report: ... and none of its rows count" "$(page e.html)" \
    "$(sums e.want)"

# --db: a database of logbook-restore gives the page its archives give,
# but for the backups, which only the folder knows.
logbook-archive -d dba ev.ndjson >/dev/null
logbook-restore -q -d r.db dba
# main FILE: the page's traffic panels, one tag a line, with the line
# that names the input left out.
main() {
	sed 's/></>\n</g' "$1" | sed -n '/<main>/,/^<h2>Backups\|^<\/main>/p' |
	    grep -v -e 'archives read from' -e 'the database' -e '^<h2>Backups' \
	    -e '^</main>'
}
check "report: --db reads the database, exit 0" \
    sh -c 'logbook-report --db r.db >db.html'
logbook-report dba >dba.html
check_eq "report: ... its traffic panels are the archives' (diff lines)" \
    "$(main db.html >db.main; main dba.html >dba.main
        diff db.main dba.main | wc -l)" 0
check_eq "report: ... with its clients and percentiles" \
    "$(val total-clients db.html) $(val total-p99 db.html)" \
    "$(val total-clients dba.html) $(val total-p99 dba.html)"
check "report: ... and names the database" \
    grep -q '&middot; the database r.db</p>' db.html
check "report: ... and has no backups panel" \
    sh -c '! grep -q "<h2>Backups" db.html'
logbook-report --db r.db --from 2025-10-15 --to 2025-10-16 >db2.html
logbook-report --from 2025-10-15 --to 2025-10-16 dba >dba2.html
check_eq "report: --db with --from and --to: the archives' page of the span" \
    "$(main db2.html >db2.main; main dba2.html >dba2.main
        diff db2.main dba2.main | wc -l) $(val total-requests db2.html)" \
    "0 $(grep -c -e '"ts":"2025-10-15T' -e '"ts":"2025-10-16T' ev.ndjson)"
logbook-report --db r.db dba >/dev/null 2>db.err
check_eq "report: --db beside another input is a usage error" \
    "$? $(head -1 db.err)" \
    "2 logbook-report: --db is the input: no other input beside it"
logbook-report --db nosuch.db >/dev/null 2>db.err
check_eq "report: a missing database exits 1, said on standard error" \
    "$? $(cat db.err)" \
    "1 logbook-report: nosuch.db: open: unable to open database file"
sqlite3 other.db 'CREATE TABLE t (x); PRAGMA application_id = 42;'
logbook-report --db other.db >/dev/null 2>db.err
check_eq "report: another application's database exits 1" \
    "$? $(cat db.err)" \
    "1 logbook-report: other.db: not a database of logbook-restore"
cp r.db bad.db
sqlite3 bad.db "UPDATE hourly SET requests = 'many' WHERE rowid = 3"
logbook-report --db bad.db >bad.html 2>db.err
check_eq "report: an hourly row of the database that is not one exits 65" \
    "$? $(cat db.err)" \
    "65 logbook-report: bad.db: hourly row 3: a count is not a whole number"
check_eq "report: ... and is left out of the totals" \
    "$(val badlines bad.html) $(($(val total-requests db.html) - $(val total-requests bad.html)))" \
    "1 $(sqlite3 r.db 'SELECT requests FROM hourly WHERE rowid = 3')"

# --state-dir: the restore drills of STATE_DIR/drills.ndjson.
mkdir st
cat >st/drills.ndjson <<'EOF'
{"time":"2025-10-14T04:30:00Z","ok":true,"rto_seconds":1.5,"rpo_seconds":16200,"events":4000,"archives":5,"failed":""}
{"time":"2025-10-21T04:30:00Z","ok":false,"rto_seconds":2.25,"rpo_seconds":null,"events":0,"archives":0,"failed":"no archive <b>to</b> restore"}
{"time":"2025-10-28T04:30:00Z","ok":true,"rto_seconds":0.75,"rpo_seconds":7200,"events":4100,"archives":5,"failed":"","later":1}
EOF
logbook-report --state-dir st dba >st.html 2>st.err
check_eq "report: --state-dir reads the drills, exit 0" "$? $(cat st.err)" "0 "
check_eq "report: ... the last drill, the failed ones, its RTO and RPO" \
    "$(val drill-last st.html) $(val drills-failed st.html) $(val drill-rto st.html) $(val drill-rpo st.html)" \
    "2025-10-28T04:30:00Z 1 0.750 7200"
check_eq "report: ... each drill a bar, the failed one as failed" \
    "$(titles chart-drill-rto st.html | tr '\n' '|')" \
    "2025-10-14 passed: 1.5 s|2025-10-21 failed: 2.25 s|2025-10-28 passed: 750 ms|"
check_eq "report: ... a table of them, newest first, text escaped" \
    "$(sed 's/<tr>/\n/g' st.html | sed -n '/<table id="drills">/,/<\/table>/p' |
        grep -c '^<td>2025-10-') $(grep -c 'no archive &lt;b&gt;to&lt;/b&gt; restore' st.html)" \
    "3 1"
logbook-report --state-dir st --from 2025-10-20 --to 2025-10-25 dba >st2.html
check_eq "report: ... only the drills of the span" \
    "$(val drill-last st2.html) $(val drills-failed st2.html)" \
    "2025-10-21T04:30:00Z 1"
echo 'not a drill' >>st/drills.ndjson
logbook-report --state-dir st dba >/dev/null 2>st.err
check_eq "report: a line of drills.ndjson that is not a drill exits 65" \
    "$? $(cat st.err)" \
    "65 logbook-report: st/drills.ndjson:4: not a drill of logbook-drill"
mkdir st3
logbook-report --state-dir st3 dba >st3.html
check "report: a STATE_DIR without drills says so" \
    grep -q 'No drill recorded: there is no drills.ndjson' st3.html
check "report: without --state-dir the page says how to get the drills" \
    grep -q 'give --state-dir the STATE_DIR of logbook-drill' dba.html

# Bounded: 400 days of rows through the monthly tier.
logbook-genlog --lines 20000 --days 400 --seed 9 --start 2024-01-01 |
    logbook-ingest 2>/dev/null | logbook-aggregate |
    logbook-archive --hourly -d long >/dev/null
logbook-report long >long.html
check_eq "report: 400 days in monthly archives" \
    "$(val total-requests long.html)" 20000
check "report: ... rolled up to weeks" grep -q 'week from Monday' long.html
bars=$(sed 's/<svg class="narrow"/\n&/g' long.html |
    grep -o '<rect fill="#2e7d32"' | wc -l)
check "report: ... at most 168 points a chart (got $bars bars of 2xx)" \
    test "$bars" -le $((168 * 2))
check "report: ... and the page stays small ($(wc -c <long.html) bytes)" \
    test "$(wc -c <long.html)" -lt 400000

logbook-report --from 1970-01-01 --to 2100-12-31 </dev/null >years.html
check "report: a span of 131 years is drawn in years" \
    grep -q 'year (UTC)' years.html
check "report: ... and stays small ($(wc -c <years.html) bytes)" \
    test "$(wc -c <years.html)" -lt 100000

# Self-contained: nothing to fetch, no script.
check "report: no script, link, image or url() in the page" \
    sh -c '! grep -Eiq "<script|<link|<img|<iframe|src=|url\(|@import|https?://" a.html'

# In a browser.
if ! command -v chromium >/dev/null 2>&1; then
	notok "report: chromium is not installed (tests/deps.sh installs it)"
	exit 0
fi
shot() {
	chromium --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$(mktemp -d "$PWD/chr.XXXXXX")" \
	    --enable-logging=stderr --v=0 \
	    --screenshot="$PWD/$1" --window-size="$2" "file://$PWD/$3" \
	    >"$1.out" 2>&1
}
for w in 1280,2400 390,2400; do
	png=shot-${w%%,*}.png
	shot "$png" "$w" a.html
	check_eq "report: chromium renders the page at $w" "$?" 0
	check "report: ... a screenshot of it ($(wc -c <"$png" 2>/dev/null) bytes)" \
	    test "$(wc -c <"$png" 2>/dev/null || echo 0)" -gt 50000
	check "report: ... without console errors or failed loads" \
	    sh -c "! grep -Eiq 'CONSOLE|Uncaught|Failed to load|ERR_' $png.out"
done
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$(mktemp -d "$PWD/chr.XXXXXX")" \
    --dump-dom "file://$PWD/a.html" >dom.html 2>/dev/null
check_eq "report: the browser's document has the totals" \
    "$(page dom.html)" "$(sums want.ndjson)"
