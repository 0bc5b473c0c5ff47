# logbook-report's top clients and top 404 paths, from events: exact
# (the same rows as a count in Python) while the keys fit the summary's
# 1024 counters, and within the bounds the page shows beyond; the same
# from an archive folder and from the database it was restored into;
# rows alone say that they need events; a damaged archive's events are
# not counted; the keys are escaped.
. "$TOP/tests/lib.sh"

# top ID FILE: "key count [bound]" lines of that table, as the page has
# them (text unescaped).
top() {
	python3 - "$1" "$2" <<'PY'
import html, re, sys
s = open(sys.argv[2]).read()
m = re.search(r'<table id="%s">(.*?)</table>' % sys.argv[1], s)
for row in re.findall(r"<tr><td class=\"p\">(.*?)</tr>", m.group(1) if m else ""):
    cells = re.findall(r"(?:^|<td[^>]*>)([^<]*)</td>", row)
    print(html.unescape(cells[0]), *[c.replace(",", "") for c in cells[1:] if not c.endswith("%")])
PY
}

# want WHAT FILE...: the top 20 exact, most first, ties by key (bytes).
want() {
	python3 - "$@" <<'PY'
import json, sys
what, files = sys.argv[1], sys.argv[2:]
c = {}
for f in files:
    for l in open(f):
        e = json.loads(l)
        if what == "ip":
            k = e["ip"]
        elif e["status"] == 404:
            k = (e["method"] or "-") + " " + (e["path"] or "-")
        else:
            continue
        if k is not None:
            c[k] = c.get(k, 0) + 1
for k, n in sorted(c.items(), key=lambda x: (-x[1], x[0].encode()))[:20]:
    print(k, n)
PY
}

# A small log (under 1024 clients), and a path with markup in it.
logbook-genlog --lines 1500 --days 2 --seed 4 >small.log
printf '%s\n' \
    '10.9.9.9 - - [13/Oct/2025:10:00:00 +0000] "GET /<b>&x HTTP/1.1" 404 5 "-" "t"' \
    '10.9.9.9 - - [13/Oct/2025:10:00:01 +0000] "GET /<b>&x HTTP/1.1" 404 5 "-" "t"' >>small.log
logbook-ingest small.log >small.ndjson 2>/dev/null
logbook-archive -d s small.ndjson >/dev/null
logbook-report s >s.html
check_eq "report: top clients, exact, as counted from the events" \
    "$(top top-ips s.html)" "$(want ip small.ndjson)"
check_eq "report: top 404 paths, exact" \
    "$(top top-404 s.html)" "$(want 404 small.ndjson)"
check "report: ... which says it is exact" \
    grep -q '<p class="note">Exact; from the events of 2 days (daily archives' s.html
check "report: ... with the keys escaped" grep -q 'GET /&lt;b&gt;&amp;x' s.html

logbook-restore -q -d s.db s
logbook-report --db s.db >d.html
check_eq "report --db: the same top clients as the archives" \
    "$(top top-ips d.html)" "$(top top-ips s.html)"
check_eq "report --db: the same top 404 paths" \
    "$(top top-404 d.html)" "$(top top-404 s.html)"

logbook-report --from 2025-10-14 --to 2025-10-14 s >s14.html
grep '"ts":"2025-10-14' small.ndjson >d14.ndjson
check_eq "report --from --to: the top clients of the span" \
    "$(top top-ips s14.html)" "$(want ip d14.ndjson)"

logbook-aggregate small.ndjson | logbook-report >rows.html
check "report: rows alone: the panels say they need events" \
    grep -q 'Needs events: a folder of daily archives or --db' rows.html

# A damaged archive: its events are not in the lists.
cp -r s broken
f=broken/2025/10/logbook-2025-10-13.tar.gz
printf 'X' | dd of="$f" bs=1 seek=100 conv=notrunc 2>/dev/null
logbook-report broken >b.html 2>/dev/null
check_eq "report: a damaged archive's clients are not counted" \
    "$(top top-ips b.html)" "$(want ip d14.ndjson)"

# Beyond 1024 clients: bounds.  A count is never under the true one,
# and over it by at most the bound shown; the true top 5 are listed.
logbook-genlog --lines 40000 --days 3 --seed 5 | logbook-ingest >big.ndjson 2>/dev/null
logbook-archive -d b big.ndjson >/dev/null
logbook-report b >big.html
check "report: many clients: the note says it is an estimate" \
    grep -q 'Space-Saving estimate over 1024 counters' big.html
top top-ips big.html >got.top
python3 - big.ndjson got.top <<'PY' >bounds
import json, sys
c = {}
for l in open(sys.argv[1]):
    ip = json.loads(l)["ip"]
    c[ip] = c.get(ip, 0) + 1
bad = 0
got = {}
for l in open(sys.argv[2]):
    k, n, e = l.split()
    got[k] = 1
    if not (c.get(k, 0) <= int(n) <= c.get(k, 0) + int(e)):
        bad += 1
top5 = [k for k, n in sorted(c.items(), key=lambda x: -x[1])[:5]]
print(bad, sum(1 for k in top5 if k in got), len(got))
PY
read -r bad in5 n <bounds
check_eq "report: many clients: every count within its bound" "$bad" 0
check_eq "report: many clients: the true top 5 are listed" "$in5" 5
check_eq "report: many clients: 20 rows" "$n" 20
