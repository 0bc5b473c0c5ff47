#!/usr/bin/env python3
"""Run the peer cases of ../shared/vectors through logbook-ingest.

Each case's expected fields are compared with our event.  A field that
differs must be listed in differences.tsv (case id, field, reason code);
the reason codes are explained in README.md.  Prints TAP-like lines.
"""
import json
import os
import subprocess
import sys
from urllib.parse import unquote

TOP = os.environ.get("TOP", os.path.join(os.path.dirname(__file__), "../.."))
CASES = os.path.join(TOP, "../shared/vectors/access-log-cases.jsonl")
HERE = os.path.dirname(os.path.abspath(__file__))
SYNTH = '192.0.2.1 - - [01/Jan/2020:00:00:00 +0000] "%s" 200 0'


def load_table(name):
    rows = {}
    with open(os.path.join(HERE, name)) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            rows[tuple(parts[:2])] = parts[2]
    return rows


def ingest(line, fmt):
    cmd = [os.path.join(TOP, "bin/logbook-ingest"), "-q"]
    if fmt:
        cmd += ["-f", fmt]
    p = subprocess.run(cmd, input=line.encode() + b"\n", capture_output=True)
    out = p.stdout.decode().splitlines()
    return json.loads(out[0]) if out else None


def request(ev):
    if ev["method"] is None:
        return ev["req"]
    s = ev["method"] + " " + url(ev)
    return s + " " + ev["proto"] if ev["proto"] else s


def url(ev):
    if ev["path"] is None:
        return None
    return ev["path"] + ("?" + ev["query"] if ev["query"] is not None else "")


def ours(ev, field):
    """Our value for one of the canonical fields of the vectors."""
    if field == "client":
        return ev["ip"]
    if field == "timestamp_utc":
        return ev["ts"]
    if field == "request":
        return request(ev)
    if field == "url":
        return url(ev)
    if field == "protocol":
        return ev["proto"]
    if field == "http_version":
        return ev["proto"][5:] if ev["proto"] else None
    if field == "user_agent":
        return ev["ua"]
    return ev.get(field)


SKIP = {"timestamp_raw", "extra"}


def compare(case, ev, diffs, seen):
    bad = []
    for field, want in case["expected"].items():
        if field in SKIP:
            continue
        got = ours(ev, field)
        if got == want or (isinstance(want, str) and str(got) == want):
            continue
        key = (case["id"], field)
        seen.add(key)
        if key not in diffs:
            bad.append("%s: ours %r, peer %r" % (field, got, want))
    return bad


def main():
    diffs = load_table("differences.tsv")
    fmts = load_table("formats.tsv")
    seen = set()
    n = 0
    for line in open(CASES):
        case = json.loads(line)
        cid = case["id"]
        text = case["input"]
        if case["scope"] == "request_line":
            text = SYNTH % text
        fmt = fmts.get((cid, "format"))
        ev = ingest(text, fmt)
        n += 1
        if not case["accepted"] or ev is None:
            ok = (ev is None) == (not case["accepted"])
            key = (cid, "accepted")
            if not ok:
                seen.add(key)
                ok = key in diffs
            print("%s - vectors %s: %s" % ("ok" if ok else "not ok", cid,
                  "accepted as peer" if ok else
                  "peer accepted=%s, ours %s" % (case["accepted"],
                                                ev is not None)))
            continue
        bad = compare(case, ev, diffs, seen)
        print("%s - vectors %s%s" % ("not ok" if bad else "ok", cid,
              ": " + "; ".join(bad) if bad else ""))
    for key in sorted(set(diffs) - seen):
        print("not ok - vectors: differences.tsv lists %s %s, which no "
              "longer differs" % key)
    print("ok - vectors: %d cases run" % n if n == 90 else
          "not ok - vectors: %d cases, want 90" % n)


main()
