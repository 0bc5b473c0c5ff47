# logbook-aggregate against an independent computation (Python, exact
# sets and sorted lists) on a generated log: counts, bytes, statuses,
# first and last equal; distinct IPs exact up to 4096 and within 2%
# above; rt percentiles exact up to 32 values and within 1% above.
. "$TOP/tests/lib.sh"
command -v python3 >/dev/null 2>&1 || {
	notok "aggregate oracle: python3 is not installed"
	exit 0
}

logbook-genlog --lines 60000 --days 1 --seed 11 --format nginx |
    logbook-ingest >ev.ndjson
logbook-aggregate --by class --bucket day ev.ndjson >class.ndjson
logbook-aggregate ev.ndjson >paths.ndjson
logbook-aggregate --by status ev.ndjson >status.ndjson

cat >oracle.py <<'PY'
import json, math, sys
from decimal import Decimal

def key(e, by, bucket):
    ts = e["ts"]
    b = ts[:10] if bucket == "day" else ts[:13] + ":00:00Z"
    out = [b]
    for k in by:
        if k == "class":
            s = e["status"]
            out.append("%dxx" % (s // 100) if s is not None and 100 <= s <= 599 else None)
        else:
            out.append(e[k])
    return tuple(out)

def check(events, rows, by, bucket, name):
    groups = {}
    for e in events:
        groups.setdefault(key(e, by, bucket), []).append(e)
    bad = []
    worst_ip = worst_rt = 0.0
    if len(rows) != len(groups):
        bad.append("%d rows, want %d" % (len(rows), len(groups)))
    for r in rows:
        k = tuple([r[bucket]] + [r[x] for x in by])
        g = groups.get(k)
        if g is None:
            bad.append("extra row %s" % (k,))
            continue
        want = {
            "requests": len(g),
            "bytes": sum(e["bytes"] or 0 for e in g),
            "bytes_null": sum(e["bytes"] is None for e in g),
            "first": min(e["ts"] for e in g),
            "last": max(e["ts"] for e in g),
        }
        for c in range(1, 6):
            want["s%dxx" % c] = sum(e["status"] is not None and e["status"] // 100 == c for e in g)
        for f, v in want.items():
            if r[f] != v:
                bad.append("%s %s: %s, want %s" % (k, f, r[f], v))
        ips = len(set(e["ip"] for e in g))
        err = abs(r["uniq_ips"] - ips) / ips
        worst_ip = max(worst_ip, err)
        if (ips <= 4096 and err != 0) or err >= 0.02:
            bad.append("%s uniq_ips %s, want %s" % (k, r["uniq_ips"], ips))
        rts = sorted(Decimal(str(e["rt"])) for e in g if e["rt"] is not None)
        if not rts:
            continue
        if Decimal(str(r["rt_max"])) != rts[-1]:
            bad.append("%s rt_max %s, want %s" % (k, r["rt_max"], rts[-1]))
        for q in (50, 95, 99):
            x = rts[max(1, math.ceil(len(rts) * q / 100)) - 1]
            got = Decimal(str(r["rt_p%d" % q]))
            err = abs(got - x) / x if x else abs(got)
            worst_rt = max(worst_rt, float(err))
            if (len(rts) <= 32 and err != 0) or err >= Decimal("0.01"):
                bad.append("%s rt_p%d %s, want %s" % (k, q, got, x))
    ok = "ok" if not bad else "not ok"
    print("%s - aggregate oracle: %s: %d rows (worst uniq_ips error %.4f, "
          "worst percentile error %.4f)" % (ok, name, len(rows), worst_ip, worst_rt))
    for b in bad[:5]:
        print("# " + b)

events = [json.loads(l) for l in open("ev.ndjson")]
check(events, [json.loads(l) for l in open("class.ndjson")], ["class"], "day", "--by class --bucket day")
check(events, [json.loads(l) for l in open("paths.ndjson")], ["method", "path"], "hour", "method,path hourly")
check(events, [json.loads(l) for l in open("status.ndjson")], ["status"], "hour", "status hourly")
PY
python3 oracle.py

# The distinct counts above 4096 really were estimates.
check "aggregate oracle: rows past 4096 distinct IPs were tested" \
    test "$(logbook-aggregate --partial --by class --bucket day ev.ndjson |
    grep -c '"ips":"h')" -gt 0
check "aggregate oracle: rows past 32 rt values were tested" \
    test "$(logbook-aggregate --partial ev.ndjson | grep -c '"rt":"b')" -gt 0
