#!/usr/bin/env python3
"""Craft an archive as an attacker would: the members of DIR (MANIFEST,
events.ndjson, hourly.ndjson) packed as tar.gz with the MANIFEST rewritten
to match them (counts and SHA-256 digests), so only the checks beyond the
digests can catch what was changed.

usage: lb-craft.py DIR OUT [--trail HEX] [--size MEMBER=BYTES]
  --trail HEX          these bytes after the tar's end, inside the gzip
  --size MEMBER=BYTES  the tar header of MEMBER declares BYTES
"""
import argparse
import gzip
import hashlib
import io
import re
import tarfile

MEMBERS = ("MANIFEST", "events.ndjson", "hourly.ndjson")


def fixed_manifest(d):
    ev = open(d + "/events.ndjson", "rb").read()
    hr = open(d + "/hourly.ndjson", "rb").read()
    m = open(d + "/MANIFEST", "rb").read().decode()
    m = re.sub(r"(?m)^events .*$", "events %d" % ev.count(b"\n"), m)
    m = re.sub(r"(?m)^hourly_rows .*$", "hourly_rows %d" % hr.count(b"\n"), m)
    m = re.sub(r"(?m)^[0-9a-f]{64}  events\.ndjson$",
               hashlib.sha256(ev).hexdigest() + "  events.ndjson", m)
    m = re.sub(r"(?m)^[0-9a-f]{64}  hourly\.ndjson$",
               hashlib.sha256(hr).hexdigest() + "  hourly.ndjson", m)
    return m.encode()


def header(name, size, declared):
    ti = tarfile.TarInfo(name)
    ti.size = size
    ti.mode = 0o640
    ti.mtime = 1760313600
    h = bytearray(ti.tobuf(format=tarfile.USTAR_FORMAT))
    if declared is not None:
        h[124:136] = b"%011o\0" % declared
        h[148:156] = b" " * 8
        h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("out")
    ap.add_argument("--trail", default="")
    ap.add_argument("--size", action="append", default=[])
    a = ap.parse_args()
    sizes = dict((k, int(v)) for k, v in (s.split("=") for s in a.size))
    data = {n: open(a.dir + "/" + n, "rb").read() for n in MEMBERS}
    data["MANIFEST"] = fixed_manifest(a.dir)
    out = io.BytesIO()
    for n in MEMBERS:
        out.write(header(n, len(data[n]), sizes.get(n)))
        out.write(data[n])
        out.write(b"\0" * (-len(data[n]) % 512))
    out.write(b"\0" * 1024)
    out.write(bytes.fromhex(a.trail))
    with gzip.open(a.out, "wb") as f:
        f.write(out.getvalue())


main()
