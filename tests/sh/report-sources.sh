# logbook-report's Sources section: the requests, bytes, 4xx and 5xx of
# each src label equal logbook-aggregate -b src's, from a folder of
# archives, from rows by src, method and path (final and partial) and
# from a restored database, which all give the same table; names are
# escaped; one source only; the monthly tier, which has no sources, is
# said; more than 64 sources are capped; it renders in Chromium.
. "$TOP/tests/lib.sh"

# table FILE: the rows of the sources table, one a line, tab-separated:
# name, requests, bytes, 4xx, 5xx, clients, first, last.
table() {
	python3 - "$1" <<'PY'
import html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<table id="sources">(.*?)</table>', page)
for tr in re.findall(r'<tr ([^>]*)>(.*?)</tr>', m.group(1) if m else ""):
    a, cells = tr
    n = re.match(r'data-src="([^"]*)"', a)
    name = html.unescape(n.group(1)) if n else \
        "(none)" if "data-src-null" in a else re.sub(r'id="|"', "", a)
    v = re.findall(r'data-value="([^"]*)"', cells)
    t = re.findall(r'<td class="opt">([^<]*)</td>', cells)
    print("\t".join([name] + v + t))
PY
}

# want FILE: the same four counts from logbook-aggregate -b src --bucket
# all rows, with the src as the first column.
want() {
	python3 - "$1" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    name = "(none)" if r["src"] is None else r["src"]
    print("\t".join([name] + [str(r[k]) for k in
        ("requests", "bytes", "s4xx", "s5xx")]))
PY
}

# counts: the first five columns of the named sources' lines, sorted.
counts() {
	grep -v -e '^all-sources' -e '^no-source' -e '^other-sources' |
	    cut -f1-5 | sort
}

odd='web<1>&"q"'
logbook-genlog --format nginx --lines 3000 --days 3 --seed 21 |
    logbook-ingest -s "$odd" >x.ndjson 2>/dev/null
logbook-genlog --format nginx --lines 2000 --days 2 --seed 22 |
    logbook-ingest -s api >y.ndjson 2>/dev/null
logbook-genlog --format combined --lines 1000 --days 3 --seed 23 |
    logbook-ingest -s static >z.ndjson 2>/dev/null
cat x.ndjson y.ndjson z.ndjson >all.ndjson
logbook-archive -d a x.ndjson y.ndjson z.ndjson >/dev/null
logbook-aggregate -b src --bucket all all.ndjson >src.all
want src.all | sort >want.tsv

check "sources: the folder's page, exit 0" sh -c 'logbook-report a >a.html'
table a.html >a.tsv
check_eq "sources: ... has three sources and the total" \
    "$(cut -f1 a.tsv | tr '\n' '|')" "$odd|api|static|all-sources|"
check_eq "sources: ... their counts are logbook-aggregate -b src's" \
    "$(counts <a.tsv)" "$(cat want.tsv)"
check_eq "sources: ... the total row is the page's total" \
    "$(grep '^all-sources' a.tsv | cut -f2)" \
    "$(grep -o 'id="total-requests" data-value="[0-9]*"' a.html | sed 's/.*="//; s/"//')"
check "sources: ... their clients are counted" \
    sh -c "! cut -f6 a.tsv | grep -qx ''"
check_eq "sources: ... a chart, one line per source" \
    "$(grep -c 'id="chart-sources"' a.html) $(sed 's/<svg class="narrow"/\n&/g' a.html |
        grep -o 'id="chart-sources".*' | grep -o '<path fill="none"' | wc -l)" "1 3"

logbook-aggregate -b src,method,path all.ndjson >rows.ndjson
logbook-report rows.ndjson >rows.html
table rows.html >rows.tsv
check_eq "sources: final rows by src give the same counts and hours" \
    "$(cut -f1-5,7,8 rows.tsv)" "$(cut -f1-5,7,8 a.tsv)"
check_eq "sources: ... and no client counts (n/a)" \
    "$(cut -f6 rows.tsv | sort -u | tr -d '\n')" ""
logbook-aggregate -p -b src,method,path all.ndjson | logbook-report >p.html
check_eq "sources: partial rows give the same table, clients too" \
    "$(table p.html)" "$(cat a.tsv)"
logbook-restore -q -d r.db a
logbook-report --db r.db >db.html
check_eq "sources: a restored database gives the same table" \
    "$(table db.html)" "$(cat a.tsv)"
logbook-report --from 2025-10-13 --to 2025-10-13 a >d13.html
check_eq "sources: --from and --to keep the sources of those days" \
    "$(table d13.html | counts)" \
    "$(grep '"ts":"2025-10-13T' all.ndjson |
        logbook-aggregate -b src --bucket all >d13.all; want d13.all | sort)"

logbook-aggregate --bucket day -b src all.ndjson | logbook-report >day.html
check_eq "sources: daily rows by src give the same counts, by day" \
    "$(table day.html | cut -f1-5,8 | tr '\t\n' ' |') $(grep -c 'Last day (UTC)' day.html)" \
    "$(cut -f1-5,8 a.tsv | sed 's/ 23:00$/ 00:00/' | tr '\t\n' ' |') 1"

# A damaged archive adds none of its sources, as none of its rows.
cp -R a dmg
printf 'x' | dd of=dmg/2025/10/logbook-2025-10-14.tar.gz bs=1 seek=100 \
    conv=notrunc 2>/dev/null
logbook-report dmg >dmg.html 2>/dev/null
grep -v '"ts":"2025-10-14T' all.ndjson |
    logbook-aggregate -b src --bucket all >dmg.all
check_eq "sources: a damaged archive's events are left out" \
    "$(table dmg.html | counts)" "$(want dmg.all | sort)"

check "sources: a name with <, & and a quote is escaped" \
    grep -q 'data-src="web&lt;1&gt;&amp;&quot;q&quot;"><td class="p">web&lt;1&gt;&amp;&quot;q&quot;</td>' a.html
check "sources: ... in the chart's legend too" \
    grep -q '</i>web&lt;1&gt;&amp;&quot;q&quot;</li>' a.html
check "sources: ... and nowhere raw" sh -c '! grep -qF "web<1>" a.html'

logbook-archive -d one y.ndjson >/dev/null
logbook-report one >one.html
check_eq "sources: one source only: its row and the total" \
    "$(table one.html | cut -f1,2 | tr '\t\n' ' |')" \
    "api 2000|all-sources 2000|"
logbook-genlog --format nginx --lines 500 --days 1 --seed 24 |
    logbook-ingest 2>/dev/null >nolabel.ndjson
logbook-archive -d nolabel nolabel.ndjson >/dev/null
check "sources: no src label at all: no Sources section" \
    sh -c '! logbook-report nolabel | grep -q "id=\"sources-section\""'
logbook-aggregate -b src,method,path nolabel.ndjson y.ndjson |
    logbook-report >mixed.html
check_eq "sources: a null src is a source, (none), in italics" \
    "$(table mixed.html | cut -f1,2 | tr '\t\n' ' |') $(grep -c '<td><i>(none)</i></td>' mixed.html)" \
    "api 2000|(none) 500|all-sources 2500| 1"

# The monthly tier: rows by method and path, no source.
logbook-genlog --format nginx --lines 700 --days 3 --seed 25 \
    --start 2025-09-01 | logbook-ingest -s api 2>/dev/null >old.ndjson
logbook-aggregate old.ndjson | logbook-archive --hourly -d a >/dev/null
logbook-report a >m.html
table m.html >m.tsv
check_eq "sources: the monthly tier counts in the total only" \
    "$(counts <m.tsv)" "$(cat want.tsv)"
check_eq "sources: ... its requests are the no-source row" \
    "$(grep '^no-source' m.tsv | cut -f2) $(grep '^all-sources' m.tsv | cut -f2)" \
    "700 $((700 + $(grep '^all-sources' a.tsv | cut -f2)))"
check_eq "sources: ... and the page says which days have no source" \
    "$(grep -o 'id="sources-none" data-value="[0-9]*">[^<]*' m.html | sed 's/.*">//')" \
    "700 requests have no source: they come from rows without a src, as those of the monthly archives are, on 2025-09-01 to 2025-09-03 (3 days). They count in all sources only."
check_eq "sources: ... and draws them as a line of their own" \
    "$(grep -c '</i>no source</li>' m.html)" 1

# More than 64 sources: the rest summed into other sources, said.
i=0
while [ $i -lt 70 ]; do
	printf '{"hour":"2025-10-13T00:00:00Z","src":"s%02d","requests":%d,"bytes":1,"s4xx":0,"s5xx":0}\n' \
	    $i $((100 - i))
	i=$((i + 1))
done >many.ndjson
logbook-report many.ndjson >many.html
table many.html >many.tsv
check_eq "sources: 70 sources: 64 kept, the rest in other sources" \
    "$(grep -c '^s[0-9]' many.tsv) $(grep '^other-sources' many.tsv | cut -f2)" \
    "64 $((36 + 35 + 34 + 33 + 32 + 31))"
check "sources: ... said on the page" grep -q 'id="sources-capped"' many.html
check_eq "sources: ... the chart has the top 7 and other" \
    "$(grep -o 'id="chart-sources".*' many.html |
        sed 's/<\/ul>.*//; s/.*<ul class="legend">//; s/<[^>]*>/ /g; s/  */ /g')" \
    " s00 s01 s02 s03 s04 s05 s06 other "

# In a browser.
if ! command -v chromium >/dev/null 2>&1; then
	notok "sources: chromium is not installed (tests/deps.sh installs it)"
	exit 0
fi
chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d "$PWD/chr.XXXXXX")" \
    --enable-logging=stderr --v=0 \
    --screenshot="$PWD/sources.png" --window-size=1280,4200 \
    "file://$PWD/m.html" >shot.out 2>&1
check_eq "sources: chromium renders the page" "$?" 0
check "sources: ... without console errors or failed loads" \
    sh -c "! grep -Eiq 'CONSOLE|Uncaught|Failed to load|ERR_' shot.out"
if [ -n "${SOURCES_PNG:-}" ]; then
	cp sources.png "$SOURCES_PNG"
fi
