# The progress meter (lib/progress.h) on a pseudo-terminal: ingest,
# archive, restore and aggregate draw a percentage that ends at 100% or
# N of N, erase it before every message, result line and exit (SIGINT
# and SIGTERM too), draw nothing with -q or when stderr is no terminal,
# and go on when the terminal fails.
. "$TOP/tests/lib.sh"

# pty ARGS...: tests/sh/ptyrun.py, which says what they are.
pty() {
	python3 "$TOP/tests/sh/ptyrun.py" "$@"
}

# last NAME OUT PATTERN: the last line drawn in OUT matches PATTERN
# (an extended regular expression, whole).
last() {
	_l=$(pty --last "$2")
	if printf '%s\n' "$_l" | grep -Eqx "$3"; then
		ok "$1"
	else
		notok "$1: last line drawn '$_l', want /$3/"
	fi
}

# tidy NAME OUT: only lines drawn, erased, and whole lines of text.
tidy() {
	check "$1" pty --tidy "$2"
}

# empty NAME FILE
empty() {
	if [ -s "$2" ]; then
		notok "$1: $(head -c 200 "$2" | od -c | head -3)"
	else
		ok "$1"
	fi
}

logbook-genlog --lines 6000 --days 2 --seed 11 >g.log
logbook-ingest g.log >want.ndjson

# --- logbook-ingest: a regular file's bytes, to 100%
rc=$(pty i1 -- logbook-ingest g.log)
check_eq "ingest: exit status" "$rc" 0
last "ingest: ends at 100% of the file" i1 \
    'logbook-ingest: g\.log: 100% ([0-9.]+) of \1 MB, 6000 lines'
check "ingest: a percentage" grep -q '% ' i1
tidy "ingest: erased at the end" i1
same_file "ingest: the same events" i1.stdout want.ndjson

# Reject reasons and the summary start on a line of their own.
{ head -n 3000 g.log; echo 'not a log line'; tail -n 3000 g.log; } >r.log
rc=$(pty i2 -- logbook-ingest -v r.log)
check_eq "ingest -v: exit status" "$rc" 0
tidy "ingest -v: messages after the line is erased" i2
check "ingest -v: the reject reason" grep -q 'r.log:3001: ' i2
last "ingest -v: ends at 100%" i2 \
    'logbook-ingest: r\.log: 100% ([0-9.]+) of \1 MB, 6001 lines'

rc=$(pty i3 -- logbook-ingest -q g.log)
check_eq "ingest -q: exit status" "$rc" 0
empty "ingest -q: nothing on the terminal" i3
logbook-ingest g.log 2>i4 >/dev/null
empty "ingest: nothing when stderr is a file" i4

# Standard input from a pipe: counts and a rate, then a signal.
for sig in INT TERM; do
	rc=$(pty --feed g.log --then $sig i5 -- logbook-ingest)
	case $sig in INT) want=-2 ;; *) want=-15 ;; esac
	check_eq "ingest SIG$sig: killed by it" "$rc" $want
	last "ingest SIG$sig: counts and a rate" i5 \
	    'logbook-ingest: -: [0-9.]+ MB, [0-9]+ lines, [0-9.]+ MB/s'
	tidy "ingest SIG$sig: erased by the handler" i5
done

# A terminal that goes away: progress stops, the events do not.
rc=$(pty --feed g.log --then close i6 -- logbook-ingest)
check_eq "ingest, terminal closed: exit status" "$rc" 0
same_file "ingest, terminal closed: every event" i6.stdout want.ndjson

# --- logbook-archive: result lines on the same terminal, N of N
rc=$(pty --both a1 -- logbook-archive -d arch want.ndjson)
check_eq "archive: exit status" "$rc" 0
tidy "archive: result lines after the line is erased" a1
last "archive: ends at N of N archives" a1 \
    'logbook-archive: 100% 2 of 2 archives, 6000 events'
n=$(grep -c 'logbook-.*\.tar\.gz	' a1)
check_eq "archive: the result lines" "$n" 2
logbook-archive -d arch2 want.ndjson >/dev/null 2>a2
empty "archive: nothing when stderr is a file" a2

# --- logbook-restore: archives, N of N
rc=$(pty r1 -- logbook-restore -d db.sqlite arch)
check_eq "restore: exit status" "$rc" 0
last "restore: ends at N of N archives" r1 \
    'logbook-restore: 100% 2 of 2 archives, 6000 events'
tidy "restore: erased at the end" r1
rc=$(pty r2 -- logbook-restore -d db.sqlite arch)
check_eq "restore again: exit status" "$rc" 0
tidy "restore again: its notes after the line is erased" r2
n=$(grep -c 'already restored' r2)
check_eq "restore again: the notes" "$n" 2
rc=$(pty r3 -- logbook-restore -q -d db.sqlite arch)
check_eq "restore -q: exit status" "$rc" 0
empty "restore -q: nothing on the terminal" r3
rc=$(pty r4 -- logbook-restore --emit ndjson arch)
check_eq "restore --emit: exit status" "$rc" 0
last "restore --emit: ends at N of N archives" r4 \
    'logbook-restore: 100% 2 of 2 archives, 6000 events'
logbook-restore --emit ndjson arch >want.emit
same_file "restore --emit: the same events" r4.stdout want.emit

# --- logbook-aggregate: bytes of its files, threads counting
logbook-aggregate want.ndjson >want.rows
rc=$(pty g1 -- logbook-aggregate want.ndjson)
check_eq "aggregate: exit status" "$rc" 0
last "aggregate: ends at 100%" g1 \
    'logbook-aggregate: 100% ([0-9.]+) of \1 MB, 6000 lines'
tidy "aggregate: erased at the end" g1
same_file "aggregate: the same rows" g1.stdout want.rows
logbook-aggregate want.ndjson 2>g2 >/dev/null
empty "aggregate: nothing when stderr is a file" g2

# A file large enough (16 MiB) to be cut among threads, with bad lines.
for _ in 1 2 3 4 5 6 7; do cat want.ndjson; echo 'bad'; done >big.ndjson
rc=$(pty g3 -- logbook-aggregate -j 4 big.ndjson)
check_eq "aggregate -j 4: exit status" "$rc" 65
tidy "aggregate -j 4: bad lines after the line is erased" g3
last "aggregate -j 4: ends at 100%" g3 \
    'logbook-aggregate: 100% ([0-9.]+) of \1 MB, 42007 lines'
n=$(grep -c 'big.ndjson:[0-9]*: ' g3)
check_eq "aggregate -j 4: the bad lines" "$n" 7

rc=$(pty --feed want.ndjson --then TERM g4 -- logbook-aggregate)
check_eq "aggregate SIGTERM: killed by it" "$rc" -15
last "aggregate SIGTERM: counts and a rate" g4 \
    'logbook-aggregate: [0-9.]+ MB, [0-9]+ lines, [0-9.]+ MB/s'
tidy "aggregate SIGTERM: erased by the handler" g4
