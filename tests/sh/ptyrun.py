#!/usr/bin/env python3
"""Run a command with its standard error on a pseudo-terminal.

usage: ptyrun.py [--both] [--stdin FILE] [--feed FILE [--then ACTION]]
                 OUT -- COMMAND...
       ptyrun.py --last OUT
       ptyrun.py --tidy OUT

What the command writes to the terminal goes to OUT, its standard output
to OUT.stdout (with --both, standard output is the terminal too); the
exit status is printed (-N: killed by signal N).  The terminal is raw,
so OUT holds the bytes as written.

--last prints the text of the last progress line drawn in OUT (none:
nothing).  --tidy exits 1 when OUT is garbled: a progress line followed
by anything but a carriage return (the next line, or the erase before a
message, a result or the exit), or bytes that are neither progress
lines nor whole lines of text.

--feed FILE hands FILE to the command's standard input through a pipe,
slowly, until a progress line is drawn; then ACTION: INT or TERM sends
that signal (the rest is not fed), close closes the terminal (writes to
it fail from then on) and feeds the rest.
"""
import os
import re
import select
import signal
import subprocess
import sys
import time
import tty

DRAW = re.compile(rb"\r[^\r\033]+\033\[K")


ERASE = b"\r\033[K"
PIECE = re.compile(rb"\r[^\r\033]+\033\[K|\r\033\[K|[^\r\033]*\n")


def last(path):
    with open(path, "rb") as f:
        draws = DRAW.findall(f.read())
    if draws:
        sys.stdout.write(draws[-1][1:-3].decode("ascii", "replace") + "\n")


def tidy(path):
    """Draws, erases and lines of text only; each draw erased or redrawn."""
    with open(path, "rb") as f:
        b = f.read()
    i = 0
    while i < len(b):
        m = PIECE.match(b, i)
        if m is None:
            sys.stdout.write("garbled at byte %d: %r\n" % (i, b[i:i + 80]))
            sys.exit(1)
        if m.group(0) != ERASE and m.group(0).endswith(b"\033[K") and \
                not b.startswith(b"\r", m.end()):
            sys.stdout.write("not erased at byte %d: %r\n" %
                             (m.end(), b[m.start():m.end() + 80]))
            sys.exit(1)
        i = m.end()


def drain(master, out, wait):
    """What the terminal has within wait seconds; False at its end."""
    while True:
        r, _, _ = select.select([master], [], [], wait)
        if not r:
            return True
        try:
            b = os.read(master, 65536)
        except OSError:
            return False
        if not b:
            return False
        out.extend(b)
        wait = 0


def feed(p, master, out, data, then):
    """data to p's stdin, a block at a time, until a line is drawn."""
    i, seen = 0, False
    while i < len(data) and not seen:
        p.stdin.write(data[i:i + 16384])
        p.stdin.flush()
        i += 16384
        drain(master, out, 0.02)
        seen = DRAW.search(out) is not None
    deadline = time.time() + 10
    while not seen and time.time() < deadline:
        drain(master, out, 0.1)
        seen = DRAW.search(out) is not None
    if then in ("INT", "TERM"):
        p.send_signal(getattr(signal, "SIG" + then))
        drain(master, out, 0.5)
        return master
    os.close(master)
    p.stdin.write(data[i:])
    return -1


def main(argv):
    if argv[0] == "--last":
        return last(argv[1])
    if argv[0] == "--tidy":
        return tidy(argv[1])
    both, stdin, data, then = False, None, None, "close"
    while argv[0].startswith("--"):
        opt = argv.pop(0)
        if opt == "--both":
            both = True
        elif opt == "--stdin":
            stdin = open(argv.pop(0), "rb")
        elif opt == "--feed":
            with open(argv.pop(0), "rb") as f:
                data = f.read()
            stdin = subprocess.PIPE
        elif opt == "--then":
            then = argv.pop(0)
    out_path = argv.pop(0)
    assert argv.pop(0) == "--"
    master, slave = os.openpty()
    tty.setraw(slave)
    stdout = slave if both else open(out_path + ".stdout", "wb")
    p = subprocess.Popen(argv, stdin=stdin or subprocess.DEVNULL,
                         stdout=stdout, stderr=slave)
    os.close(slave)
    out = bytearray()
    if data is not None:
        master = feed(p, master, out, data, then)
        try:
            p.stdin.close()
        except BrokenPipeError:
            pass
    while master >= 0 and drain(master, out, 1):
        if p.poll() is not None:
            drain(master, out, 0.2)
            break
    rc = p.wait()
    with open(out_path, "wb") as f:
        f.write(out)
    print(rc)


if __name__ == "__main__":
    main(sys.argv[1:])
