# logbook-aggregate --tz against Python's zoneinfo: rows by the hours and
# days of a zone's clock, across the days its clocks change (New York:
# the hour repeated in November, the hour skipped in March; Lord Howe's
# half hours; Kathmandu's +05:45; a fixed -0400), --from and --to as
# local dates, the same with -j 1 and -j 2; UTC itself changes nothing;
# the refusals.
. "$TOP/tests/lib.sh"
command -v python3 >/dev/null 2>&1 || {
	notok "aggregate --tz: python3 is not installed"
	exit 0
}

{
	logbook-genlog --lines 6000 --days 6 --start 2025-03-06 --tz -0500 --seed 3
	logbook-genlog --lines 20000 --days 40 --start 2025-10-01 --tz -0400 --seed 4
} | logbook-ingest >ev.ndjson

# oracle ZONE BUCKET [FROM TO]: "label status requests bytes" per row.
oracle() {
	python3 - "$@" <<'PY'
import json, sys, datetime as dt
from zoneinfo import ZoneInfo
zone, bucket = sys.argv[1], sys.argv[2]
if zone[0] in "+-":
    m = int(zone[1:3]) * 60 + int(zone[3:5])
    z = dt.timezone(dt.timedelta(minutes=m if zone[0] == "+" else -m))
else:
    z = ZoneInfo(zone)
lo = hi = None
if len(sys.argv) > 3:
    lo, hi = dt.date.fromisoformat(sys.argv[3]), dt.date.fromisoformat(sys.argv[4])
rows = {}
for l in open("ev.ndjson"):
    e = json.loads(l)
    t = dt.datetime.fromisoformat(e["ts"].replace("Z", "+00:00")).astimezone(z)
    if lo and not (lo <= t.date() <= hi):
        continue
    if bucket == "day":
        key, label = t.date(), t.date().isoformat()
    else:
        h = t.replace(minute=0, second=0, microsecond=0)
        # the UTC instant the local hour began, at the offset of t
        key = h.astimezone(dt.timezone.utc) if bucket else h
        label = h.isoformat()
    r = rows.setdefault((key, e["status"]), [label, 0, 0])
    r[1] += 1
    r[2] += e["bytes"] or 0
for (k, s), (label, n, b) in sorted(rows.items(), key=lambda x: (x[0][0], x[0][1])):
    print(label, s, n, b)
PY
}

# ours ARGS...: the same fields of logbook-aggregate -b status's rows.
ours() {
	logbook-aggregate -b status "$@" ev.ndjson | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    print(r.get("hour") or r.get("day"), r["status"], r["requests"], r["bytes"])'
}

for z in America/New_York Australia/Lord_Howe Asia/Kathmandu -0400; do
	for b in hour day; do
		oracle "$z" "$b" >want
		ours --tz "$z" --bucket "$b" >got
		if [ -s want ] && cmp -s want got; then
			ok "aggregate --tz $z --bucket $b: as zoneinfo ($(wc -l <got) rows)"
		else
			notok "aggregate --tz $z --bucket $b: differs from zoneinfo"
			diff want got | head -5
		fi
	done
done

# The November hour New York's clock repeats: two rows, each with its
# offset; the March hour it skips: none.
ours --tz America/New_York >got.ny
check_eq "aggregate --tz America/New_York: 01:00 of 2 November at -04:00 and -05:00" \
    "$(grep '^2025-11-02T01:00:00-0' got.ny | cut -c20-25 | sort -u | tr '\n' ' ')" \
    "-04:00 -05:00 "
check_eq "aggregate --tz America/New_York: no 02:00 on 9 March" \
    "$(grep -c '^2025-03-09T02:' got.ny)" 0

oracle America/New_York day 2025-11-01 2025-11-03 >want
ours --tz America/New_York --bucket day --from 2025-11-01 --to 2025-11-03 >got
if [ -s want ] && cmp -s want got; then
	ok "aggregate --tz --from --to: local dates, as zoneinfo"
else
	notok "aggregate --tz --from --to: differs"
	diff want got | head -5
fi

logbook-aggregate --tz Europe/Paris -j 1 ev.ndjson >j1
logbook-aggregate --tz Europe/Paris -j 2 ev.ndjson >j2
check "aggregate --tz: -j 2 writes what -j 1 does" cmp -s j1 j2
logbook-aggregate --tz Europe/Paris -c -b status ev.ndjson >tz.csv
check_eq "aggregate --tz --csv: the hour column with its offset" \
    "$(sed -n 2p tz.csv | cut -d, -f1)" "$(head -1 j1 | cut -c10-34)"

logbook-aggregate ev.ndjson >utc
for z in UTC +0000 -00:00; do
	logbook-aggregate --tz "$z" ev.ndjson >z
	check "aggregate --tz $z: the rows of no --tz" cmp -s utc z
done

for a in "--tz Nowhere/Zone" "--tz +2500" "--tz ../../etc/passwd" \
    "--tz America/New_York -p" "--tz America/New_York -m"; do
	# shellcheck disable=SC2086
	logbook-aggregate $a ev.ndjson >out 2>err
	rc=$?
	check_eq "aggregate $a: usage, exit 2" "$rc" 2
	check "aggregate $a: says why" grep -q -- '--tz' err
done
