# logbook-archive: what the archives hold, merging by id, the same bytes
# for the same events, modes, the lock, leftovers, write errors.
. "$TOP/tests/lib.sh"

logbook-genlog --lines 30000 --days 3 --seed 11 | logbook-ingest >ev.ndjson
D1=2025/10/logbook-2025-10-13.tar.gz
D2=2025/10/logbook-2025-10-14.tar.gz
D3=2025/10/logbook-2025-10-15.tar.gz

# day DATE: the input's events of a UTC date.
day() {
	grep "\"ts\":\"$1T" ev.ndjson
}

logbook-archive -d a ev.ndjson >out
check_eq "archive: a line per archive: path, events, added" "$(cat out)" \
    "$(printf 'a/%s\t%s\t%s\n' $D1 $(day 2025-10-13 | wc -l) \
    $(day 2025-10-13 | wc -l) $D2 $(day 2025-10-14 | wc -l) \
    $(day 2025-10-14 | wc -l) $D3 $(day 2025-10-15 | wc -l) \
    $(day 2025-10-15 | wc -l))"
check "archive: the archives verify" logbook-verify -q a
check_eq "archive: events.ndjson is the day's lines sorted by id" \
    "$(tar -xzOf a/$D2 events.ndjson | cksum)" \
    "$(day 2025-10-14 | sort -t '"' -k 4,4 | cksum)"
check_eq "archive: hourly.ndjson is logbook-aggregate's output" \
    "$(tar -xzOf a/$D2 hourly.ndjson | cksum)" \
    "$(day 2025-10-14 | logbook-aggregate | cksum)"
check_eq "archive: the members' tar headers" \
    "$(tar -tvzf a/$D2 | awk '{ print $1, $2, $4, $5, $6 }')" \
    "-rw-r----- 0/0 2025-10-14 00:00 MANIFEST
-rw-r----- 0/0 2025-10-14 00:00 events.ndjson
-rw-r----- 0/0 2025-10-14 00:00 hourly.ndjson"
check "archive: GNU gzip reads the series of members" gzip -t a/$D1
if command -v pigz >/dev/null 2>&1; then
	check_eq "archive: pigz reads them" \
	    "$(pigz -dc a/$D1 | tar -xOf - events.ndjson | wc -l)" \
	    "$(day 2025-10-13 | wc -l)"
fi
check_eq "archive: files 0640, folders 0750" \
    "$(ls -ld a a/2025 a/2025/10 a/$D1 | cut -c 1-10 | tr '\n' ' ')" \
    "drwxr-x--- drwxr-x--- drwxr-x--- -rw-r----- "

# Idempotent, and the same bytes whatever the order or the split.
cp a/$D1 a/$D2 a/$D3 .
logbook-archive -d a ev.ndjson >out
check_eq "archive: the same events again add nothing" \
    "$(cut -f 3 out | tr '\n' ' ')" "0 0 0 "
check "archive: and leave the archives byte for byte" sh -c \
    "cmp -s a/$D1 ${D1##*/} && cmp -s a/$D2 ${D2##*/} && cmp -s a/$D3 ${D3##*/}"
awk 'BEGIN { srand(3) } { print rand() "\t" $0 }' ev.ndjson | sort |
    cut -f 2- >shuffled.ndjson
logbook-archive -d b shuffled.ndjson >/dev/null
check "archive: shuffled input, the same bytes" sh -c \
    "cmp -s a/$D1 b/$D1 && cmp -s a/$D2 b/$D2 && cmp -s a/$D3 b/$D3"
split -l 7000 shuffled.ndjson part.
for p in part.ad part.ab part.ae part.aa part.ac; do
	logbook-archive -d c $p >/dev/null || notok "archive: $p"
done
check "archive: five parts in any order, the same bytes" sh -c \
    "cmp -s a/$D1 c/$D1 && cmp -s a/$D2 c/$D2 && cmp -s a/$D3 c/$D3"
gzip -c part.aa >part.aa.gz
logbook-archive -d e part.aa.gz part.ab - part.ad part.ae <part.ac >/dev/null
check "archive: gzip, several files and stdin, the same bytes" sh -c \
    "cmp -s a/$D1 e/$D1 && cmp -s a/$D2 e/$D2 && cmp -s a/$D3 e/$D3"
logbook-archive -d f -l 1 ev.ndjson >/dev/null
check_eq "archive: -l 1 holds the same members" \
    "$(tar -xzOf f/$D1 | cksum)" "$(tar -xzOf a/$D1 | cksum)"

# Late data: only its day is written again.
sed '15000d' ev.ndjson >early.ndjson
logbook-archive -d g early.ndjson >/dev/null
cp g/$D1 d1.before
cp g/$D3 d3.before
sed -n '15000p' ev.ndjson | logbook-archive -d g >out
check_eq "archive: a late event adds one to its day only" "$(cat out)" \
    "$(printf 'g/%s\t%s\t1' $D2 $(day 2025-10-14 | wc -l))"
check "archive: the other days are untouched" sh -c \
    "cmp -s g/$D1 d1.before && cmp -s g/$D3 d3.before"
check "archive: the day is as if archived at once" cmp -s g/$D2 a/$D2

# An id already archived with other bytes: the archived line is kept.
sed -n '5p' ev.ndjson | sed 's/"method":"[A-Z]*"/"method":"BREW"/' >clash
logbook-archive -d a clash >out 2>err
check_eq "archive: a clashing id is not added" "$(cut -f 3 out)" 0
check_eq "archive: and a warning says so" "$(cat err)" \
    "logbook-archive: a/$D1: 1 event not added: another event has its id"
check "archive: the archive is unchanged" cmp -s a/$D1 ${D1##*/}

# -m, whatever the umask.
(umask 077 && logbook-archive -d m -m 0604 part.aa >/dev/null)
check_eq "archive: -m 0604: files 0604, folders 0705" \
    "$(for f in m m/2025 m/$D1 m/.logbook-archive.lock; do
    ls -ld $f | cut -c 1-10; done | tr '\n' ' ')" \
    "drwx---r-x drwx---r-x -rw----r-- -rw----r-- "

# Many dates: more than the spill files kept open at once.
logbook-genlog --lines 1500 --days 300 --seed 4 | logbook-ingest >many.ndjson
n=$(sed 's/.*"ts":"\([0-9-]*\)T.*/\1/' many.ndjson | sort -u | wc -l)
logbook-archive -d many many.ndjson >out
check_eq "archive: $n dates, each its archive" "$(wc -l <out)" $n
check_eq "archive: all verify" "$(logbook-verify many | tail -n 1)" \
    "total: $n archives, $n ok, 0 failed, 1500 events"

# The lock: a second writer waits, then gives up with a message.
if command -v flock >/dev/null 2>&1; then
	flock a/.logbook-archive.lock sleep 3 &
	n=0
	while [ $n -lt 50 ] && flock -n a/.logbook-archive.lock true; do
		sleep 0.1
		n=$((n + 1))
	done
	logbook-archive -d a --lock-wait 0.5 part.aa >out 2>err
	check_eq "archive: a second writer gives up after --lock-wait, exit 75 as the jobs" \
	    "$?:$(cat out):$(cat err)" \
	    "75::logbook-archive: a: another logbook-archive is writing there; waited 0.5 s"
	logbook-archive -d a --lock-wait 20 part.aa >out 2>err
	check_eq "archive: and within it, waits its turn" "$?:$(cut -f 3 out |
	    tr '\n' ' ')" "0:0 0 0 "
	wait
fi

# What a killed run leaves, the next run removes; nothing else.
mkdir a/.logbook-archive.Zz9Yy8
: >a/.logbook-archive.Zz9Yy8/20374.lines
: >a/2025/10/.logbook-2025-10-13.tar.gz.Q1w2E3
: >a/2025/10/.keep
: >a/2025/10/notes.tar.gz.Q1w2E3
logbook-archive -d a part.aa >/dev/null
check_eq "archive: leftovers removed, other files kept" \
    "$(ls -A a | tr '\n' ' ')$(ls -A a/2025/10 | tr '\n' ' ')" \
    ".logbook-archive.lock 2025 .keep logbook-2025-10-13.tar.gz logbook-2025-10-14.tar.gz logbook-2025-10-15.tar.gz notes.tar.gz.Q1w2E3 "

# A damaged archive there is left alone; the other dates go on.
cp -r a h
printf 'x' | dd of=h/$D2 bs=1 seek=300 conv=notrunc 2>/dev/null
cp h/$D2 d2.damaged
logbook-genlog --lines 3000 --days 3 --seed 12 | logbook-ingest >more
logbook-archive -d h more >out 2>err
check_eq "archive: a damaged archive: exit 1, its check named" \
    "$?:$(sed 's/ at byte [0-9]*//' err)" \
    "1:logbook-archive: h/$D2: the archive there fails gzip: corrupt gzip member; left as it is"
check "archive: and it is left as it was" cmp -s h/$D2 d2.damaged
check_eq "archive: the other dates are archived" "$(cut -f 1 out)" \
    "h/$D1
h/$D3"

# A write that fails (here the file size limit) exits 1 with the system's
# message, and the archive there stays whole.
cp a/$D1 d1.before
sh -c "trap '' XFSZ; ulimit -f 40; exec logbook-archive -d a more" \
    >out 2>err
check_eq "archive: a failed write exits 1" "$?" 1
check "archive: with the system's message" grep -q 'File too large' err
check "archive: the archive there is unchanged" cmp -s a/$D1 d1.before
check "archive: and still verifies" logbook-verify -q a
check_eq "archive: no temporary file stays" \
    "$(find a -name '.*.??????' | wc -l)" 0

# Malformed lines in a plain file (its lines read again, not copied) are
# reported as from standard input (copied).
cp "$TOP/tests/golden/archive/bad-lines/stdin" bad.ndjson
logbook-archive -d bf bad.ndjson >out 2>err
check_eq "archive: bad lines of a file: exit 65" "$?" 65
check_eq "archive: the same reports as from standard input" \
    "$(sed 's/bad.ndjson/-/' err)" \
    "$(cat "$TOP/tests/golden/archive/bad-lines/stderr")"
check_eq "archive: the same archives" \
    "$(cd bf && find . -name '*.gz' | sort | xargs cksum)" \
    "$(logbook-archive -d bs <bad.ndjson >/dev/null 2>&1
    cd bs && find . -name '*.gz' | sort | xargs cksum)"

# An event logbook-restore --emit original could not give back is a
# malformed line, so that whatever is archived verifies.  The build finds
# them, in the order of their ids.
logbook-genlog --lines 20 --days 1 --seed 5 | logbook-ingest >giv.ndjson
sed -i -e '3s/,"fmt":"[^"]*"//' -e '7s/}$/,"raw64":"!!!!"}/' \
    -e '9s/,"fmt":"[^"]*"/,"fmt":"no such format"/' giv.ndjson
# The same event with its members in another order, past the quick path.
sed -n '3p' giv.ndjson | sed 's/^{\("id":"[^"]*"\),\("ts":"[^"]*"\)/{\2,\1/' |
    sed 's/-[0-9a-f]\{16\}"/-0123456789abcdef"/' >>giv.ndjson
logbook-archive -d ga giv.ndjson >out 2>err
check_eq "archive: events that cannot be given back: exit 65" "$?" 65
check_eq "archive: each reported with its line and reason" "$(cat err)" \
    "logbook-archive: giv.ndjson:21: no fmt
logbook-archive: giv.ndjson:3: no fmt
logbook-archive: giv.ndjson:7: bad raw64
logbook-archive: giv.ndjson:9: no time field (%t or \$time_local): no such format
logbook-archive: giv.ndjson: 4 of 21 lines bad"
check_eq "archive: the others are archived" "$(cut -f 2 out)" 17
check "archive: and the archive verifies" logbook-verify -q ga
