# The bad-input catalogue (tests/README.md): each class of hostile input
# given to each program, with the exact outcome asserted: exit status,
# the message, the counts, the bytes.  Inputs are made here, big ones as
# streams, so that little is kept on disk.
. "$TOP/tests/lib.sh"
LC_ALL=C
TZ=UTC
export LC_ALL TZ
ESC=$(printf '\033')
L='192.0.2.1 - - [13/Oct/2025:06:15:02 +0000] "GET /a HTTP/1.1" 200 512 "-" "x"'
P=logbook-ingest

# run NAME CMD...: NAME.out, NAME.err, and the status in $rc.
run() {
	_n=$1
	shift
	"$@" >"$_n.out" 2>"$_n.err"
	rc=$?
}

# expect NAME STATUS [LINE...]: the status and stderr exactly the LINEs.
# (EXT=out: stdout instead, for logbook-verify's report.)
expect() {
	_n=$1
	_s=$2
	_e=${EXT:-err}
	shift 2
	if [ $# -gt 0 ]; then printf '%s\n' "$@"; else :; fi >"$_n.want"
	_why=
	[ "$rc" = "$_s" ] || _why="status $rc, want $_s;"
	cmp -s "$_n.$_e" "$_n.want" ||
	    _why="$_why std$_e '$(head -c 300 "$_n.$_e" | cat -v |
		tr '\n' '|')', want '$(cat -v "$_n.want" | tr '\n' '|')'"
	if [ -z "$_why" ]; then ok "$_n"; else notok "$_n: $_why"; fi
}

# lines NAME N: NAME.out has N lines.
lines() {
	check_eq "$1: $2 lines out" "$(wc -l <"$1.out" | tr -d ' ')" "$2"
}

# noesc NAME [EXT]: no raw ESC byte in NAME.err (or NAME.EXT), and its
# escaped form there.
noesc() {
	_f=$1.${2:-err}
	if grep -q "$ESC" "$_f"; then
		notok "$1: raw ESC in the message: $(cat -v "$_f" | head -2 | tr "\n" "|")"
	elif grep -qF '\x1b[' "$_f"; then
		ok "$1: ESC written \\x1b"
	else
		notok "$1: no \\x1b in the message: $(cat -v "$_f" | head -2 | tr "\n" "|")"
	fi
}

# maxrss NAME KIB CMD...: the command's peak RSS under KIB kilobytes.
maxrss() {
	_n=$1
	_k=$2
	shift 2
	if ! [ -x /usr/bin/time ]; then
		notok "$_n: /usr/bin/time is missing (apt-get install time)"
		return
	fi
	# AddressSanitizer (SAN=1) keeps freed blocks in quarantine and adds
	# its shadow: four times the room, still far below the input's size.
	if ldd "$TOP/bin/logbook-ingest" 2>/dev/null | grep -q libasan; then
		_k=$((_k * 4))
	fi
	/usr/bin/time -f %M -o "$_n.rss" "$@"
	_got=$(tail -n 1 "$_n.rss")
	check "$_n: max RSS ${_got} KiB < $_k KiB" [ "$_got" -lt "$_k" ]
}

# --- logbook-ingest: bytes in the fields

printf '192.0.2.1 - - [13/Oct/2025:06:15:02 +0000] "GET /a\000b HTTP/1.1" 200 512 "-" "x"\n' >nul.log
run nul-bytes-ingest $P nul.log
expect nul-bytes-ingest 0
check "nul-bytes-ingest: path \\u0000 in the event" \
    grep -qF '"path":"/a\u0000b"' nul-bytes-ingest.out

printf '192.0.2.1 - - [13/Oct/2025:06:15:02 +0000] "GET /a\300\257 HTTP/1.1" 200 512 "-" "x\355\240\200\370"\n' >utf.log
run bad-utf8-ingest $P utf.log
expect bad-utf8-ingest 0
R=$(printf '\357\277\275')
check "bad-utf8-ingest: overlong and surrogate become U+FFFD" \
    grep -qF "\"path\":\"/a$R$R\",\"query\":null,\"proto\":\"HTTP/1.1\",\"req\":null,\"status\":200,\"bytes\":512,\"referer\":null,\"ua\":\"x$R$R$R$R\"" \
    bad-utf8-ingest.out
check "bad-utf8-ingest: the line kept whole in raw64" \
    grep -q '"raw64":"' bad-utf8-ingest.out

printf '192.0.2.1 - - [13/Oct/2025:06:15:02 +0000] "GET /\033[31mred HTTP/1.1" 200 512 "-" "\033]0;t\007"\n' >esc.log
run esc-field-ingest $P esc.log
expect esc-field-ingest 0
check "esc-field-ingest: ESC and BEL as \\u001b \\u0007, never raw" \
    sh -c "grep -qF '\"path\":\"/\\u001b[31mred\"' esc-field-ingest.out &&
    grep -qF '\"ua\":\"\\u001b]0;t\\u0007\"' esc-field-ingest.out &&
    ! grep -q '$ESC' esc-field-ingest.out"

# A reject's reason names the format, never the line's bytes.
printf '\033[2J\033]0;x\007\n' >escrej.log
run esc-reject-ingest $P escrej.log
expect esc-reject-ingest 0 \
    "logbook-ingest: escrej.log:1: fits no known format" \
    "logbook-ingest: escrej.log: 1 line, 0 events, 1 rejected"

fn="f${ESC}[2Jx.log"
printf 'x\n' >"$fn"
run esc-filename-ingest $P "$fn"
expect esc-filename-ingest 0 \
    'logbook-ingest: f\x1b[2Jx.log:1: fits no known format' \
    'logbook-ingest: f\x1b[2Jx.log: 1 line, 0 events, 1 rejected'
run esc-missing-file-ingest $P "no${ESC}[2J.log"
expect esc-missing-file-ingest 1 \
    'logbook-ingest: no\x1b[2J.log: No such file or directory'

# -f with ESC: the format is named in usage errors and in reject reasons.
run esc-format-usage-ingest $P -f "%h %{${ESC}[31m}x" nul.log
noesc esc-format-usage-ingest
check_eq "esc-format-usage-ingest: status" "$rc" 2
run esc-format-reject-ingest $P -f "${ESC}[31m%h %t" escrej.log
noesc esc-format-reject-ingest
check_eq "esc-format-reject-ingest: status" "$rc" 0

# --- logbook-ingest: line shapes

printf 'x' >one.log
run one-byte-line-ingest $P -r one.rej one.log
expect one-byte-line-ingest 0 \
    "logbook-ingest: one.log:1: fits no known format" \
    "logbook-ingest: one.log: 1 line, 0 events, 1 rejected"
same_file "one-byte-line-ingest: kept verbatim in -r" one.log one.rej

: >empty.log
run empty-file-ingest $P -v empty.log
lines empty-file-ingest 0
check_eq "empty-file-ingest: status" "$rc" 0

# CR-only line ends are not line ends: the file is one line, rejected
# whole and kept verbatim, never half read.
printf '%s\r%s\r' "$L" "$L" >cr.log
run cr-only-ingest $P -r cr.rej cr.log
expect cr-only-ingest 0 \
    "logbook-ingest: cr.log:1: fits no known format" \
    "logbook-ingest: cr.log: 1 line, 0 events, 1 rejected"
same_file "cr-only-ingest: the whole file in -r" cr.log cr.rej

# 100 MiB with no newline, after one good line: rejected, and all of it
# reaches the rejects file (here a pipe), in bounded memory.
big() {
	printf '%s\n' "$L"
	head -c 104857600 /dev/zero | tr '\0' a
}
maxrss long-line-ingest 65536 sh -c \
    'big() { printf "%s\n" "$1"; head -c 104857600 /dev/zero | tr "\0" a; }
    big "$1" | logbook-ingest -r /dev/fd/3 3>&1 >long-line-ingest.out \
	2>long-line-ingest.err | wc -c >long.rejbytes' sh "$L"
rc=0
expect long-line-ingest 0 \
    "logbook-ingest: -:2: line longer than 4194304 bytes" \
    "logbook-ingest: -: 2 lines, 1 event, 1 rejected"
lines long-line-ingest 1
check_eq "long-line-ingest: 100 MiB of rejects, no newline added" \
    "$(tr -d ' ' <long.rejbytes)" 104857600

python3 -c "import sys; sys.stdout.write(sys.argv[1] + ' f' * 1000000 + '\n')" \
    "$L" >fields.log
run million-fields-ingest $P fields.log
expect million-fields-ingest 0 \
    "logbook-ingest: fields.log:1: fits no known format" \
    "logbook-ingest: fields.log: 1 line, 0 events, 1 rejected"
# A format of 1000 fields is refused, not built.
run thousand-directives-ingest $P -f "$(python3 -c "print('%{X}i ' * 1000 + '%t')")" fields.log
check_eq "thousand-directives-ingest: usage error" "$rc" 2
check "thousand-directives-ingest: says format too long" \
    grep -q '^logbook-ingest: format longer than 4095 bytes$' \
    thousand-directives-ingest.err

# --- logbook-ingest: numbers and dates, -f combined so that the reason
# names the field
pl() {
	printf '192.0.2.1 - - [%s] "GET /a HTTP/1.1" %s %s "-" "x"\n' "$@"
}
T='13/Oct/2025:06:15:02 +0000'
numrow() {
	pl "$T" "$2" "$3" >"$1.log"
	run "$1" $P -f combined "$1.log"
	expect "$1" 0 "logbook-ingest: $1.log:1: not combined: byte $4: $5" \
	    "logbook-ingest: $1.log: 1 line, 0 events, 1 rejected"
}
numrow overflow-status-ingest 99999999999999999999 1 62 'bad status (%>s)'
numrow status-1000-ingest 1000 1 62 'bad status (%>s)'
numrow overflow-bytes-ingest 200 18446744073709551616 66 \
    'bad byte count (%b)'
numrow negative-bytes-ingest 200 -5 66 'bad byte count (%b)'
# Up to 18 digits are taken; more is refused whatever the value.
pl "$T" 200 999999999999999999 >bytes18.log
run bytes-18-digits-ingest $P bytes18.log
expect bytes-18-digits-ingest 0
check "bytes-18-digits-ingest: exact" \
    grep -qF '"bytes":999999999999999999,' bytes-18-digits-ingest.out

printf '192.0.2.1 - - [13/Oct/2025:06:15:02 +0000] "GET /a HTTP/1.1" 200 5 "-" "x" 99999999999999999999\n' >rt.log
run overflow-duration-ingest $P -f '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D' rt.log
check_eq "overflow-duration-ingest: status" "$rc" 0
check "overflow-duration-ingest: rejected with a reason" \
    grep -q '^logbook-ingest: rt.log:1: not .*: byte 76: bad request time (%D)$' \
    overflow-duration-ingest.err
lines overflow-duration-ingest 0

printf 'www.example.com:99999999 192.0.2.1 - - [13/Oct/2025:06:15:02 +0000] "GET /a HTTP/1.1" 200 5 "-" "x"\n' >port.log
run overflow-port-ingest $P -f vhost_combined port.log
check_eq "overflow-port-ingest: status" "$rc" 0
lines overflow-port-ingest 1
check "overflow-port-ingest: the port kept as text" \
    grep -qF '"host":"www.example.com","src":null,"fmt":"vhost_combined","x":{"%p":"99999999"}}' \
    overflow-port-ingest.out

daterow() {
	pl "$2" 200 1 >"$1.log"
	run "$1" $P -f combined "$1.log"
	expect "$1" 0 "logbook-ingest: $1.log:1: not combined: byte 16: bad timestamp (%t)" \
	    "logbook-ingest: $1.log: 1 line, 0 events, 1 rejected"
}
daterow year-0-ingest '13/Oct/0000:06:15:02 +0000'
daterow year-9999-ingest '13/Oct/9999:06:15:02 +0000'
daterow feb-30-ingest '30/Feb/2025:06:15:02 +0000'
daterow offset-9999-ingest '13/Oct/2025:06:15:02 +9999'
daterow leap-second-ingest '13/Oct/2025:06:59:60 +0000'
daterow overflow-timestamp-ingest '13/Oct/99999999999:06:15:02 +0000'
pl '29/Feb/2024:23:30:00 -2359' 200 1 >leap.log
run edge-dates-ingest $P leap.log
expect edge-dates-ingest 0
check "edge-dates-ingest: Feb 29 of a leap year, offset -2359 to UTC" \
    grep -qF '"ts":"2024-03-01T23:29:00Z","tz":"-2359"' edge-dates-ingest.out

# --- logbook-ingest: gzip
printf '%s\n' "$L" "$L" | gzip >g.gz
{
	cat g.gz
	printf 'garbage'
} >trail.gz
run gzip-trailing-garbage-ingest $P trail.gz
expect gzip-trailing-garbage-ingest 1 \
    "logbook-ingest: trail.gz: trailing garbage after gzip data"
lines gzip-trailing-garbage-ingest 2
head -c 40 g.gz >trunc.gz
run gzip-truncated-ingest $P trunc.gz
expect gzip-truncated-ingest 1 \
    "logbook-ingest: trunc.gz: unexpected end of gzip data"
lines gzip-truncated-ingest 0
cat g.gz g.gz >cat.gz
run gzip-concatenated-ingest $P cat.gz
expect gzip-concatenated-ingest 0
lines gzip-concatenated-ingest 4

# A gzip bomb: 1 MiB of deflate that expands to 1 GiB of one line
# between two good lines, streamed: bounded memory, the line rejected.
cat >bomb.py <<'EOF'
import sys, zlib
c = zlib.compressobj(9, zlib.DEFLATED, 31)
line = sys.argv[1].encode() + b'\n'
w = sys.stdout.buffer.write
w(c.compress(line))
z = b'a' * (1 << 20)
for i in range(1024):
    w(c.compress(z))
w(c.compress(b'\n' + line))
w(c.flush())
EOF
# 1 MiB on disk, made once; each program reads it through a pipe.
python3 bomb.py "$L" >bomb.gz
maxrss gzip-bomb-ingest 65536 sh -c \
    'cat bomb.gz | logbook-ingest >gzip-bomb-ingest.out \
	2>gzip-bomb-ingest.err'
rc=0
expect gzip-bomb-ingest 0 \
    "logbook-ingest: -:2: line longer than 4194304 bytes" \
    "logbook-ingest: -: 3 lines, 2 events, 1 rejected"
lines gzip-bomb-ingest 2

# --- events: JSON given to aggregate, archive, restore
printf '%s\n' "$L" | $P >good.ndjson
B=$(sed 's/}$//' good.ndjson)
python3 - "$B" <<'EOF'
import sys
b = sys.argv[1]
open('deep.ndjson', 'w').write(b + ',"x":' + '{"a":' * 100000 + '1' + '}' * 100000 + '}\n')
open('dup.ndjson', 'w').write(b + ',"status":500}\n')
open('huge.ndjson', 'w').write(b.replace('"ua":"x"', '"ua":"' + 'u' * (40 << 20) + '"') + '}\n')
open('big.ndjson', 'w').write(b.replace('"ua":"x"', '"ua":"' + 'u' * (3 << 20) + '"') + '}\n')
EOF
run deep-json-aggregate logbook-aggregate deep.ndjson
expect deep-json-aggregate 65 "logbook-aggregate: deep.ndjson:1: malformed JSON"
run deep-json-archive logbook-archive -d dj deep.ndjson
expect deep-json-archive 65 "logbook-archive: deep.ndjson:1: malformed JSON"
check_eq "deep-json-archive: no archive made" \
    "$(find dj -name '*.tar.gz' | wc -l | tr -d ' ')" 0
run huge-string-aggregate logbook-aggregate huge.ndjson
expect huge-string-aggregate 65 \
    "logbook-aggregate: huge.ndjson:1: line longer than 33554432 bytes"
run huge-string-archive logbook-archive -d hj huge.ndjson
expect huge-string-archive 65 \
    "logbook-archive: huge.ndjson:1: line longer than 33554432 bytes"
# Under the limit, a 3 MiB string goes through whole.
run big-string-archive logbook-archive -d bj big.ndjson
expect big-string-archive 0
run big-string-restore logbook-restore --emit ndjson bj
expect big-string-restore 0
same_file "big-string-restore: the event back byte for byte" \
    big.ndjson big-string-restore.out
# Duplicate keys: the last one counts, in every program alike.
run dup-key-aggregate logbook-aggregate --by status dup.ndjson
expect dup-key-aggregate 0
check "dup-key-aggregate: the last status (500) counted" \
    grep -q '"status":500,"requests":1,' dup-key-aggregate.out
run dup-key-archive logbook-archive -d dk dup.ndjson
expect dup-key-archive 0
run dup-key-restore logbook-restore -q -d dk.db dk
expect dup-key-restore 0
check_eq "dup-key-restore: the last status in the database" \
    "$(sqlite3 dk.db 'select status from events')" 500

# An archive whose events.ndjson holds such an event, MANIFEST updated
# to match: refused by restore before anything is loaded.
cat >mk.py <<'EOF'
# mk.py GOOD KIND OUT [EVENTS]: GOOD's members, made hostile by KIND.
import sys, tarfile, io, gzip, hashlib
src, kind, out = sys.argv[1:4]
t = tarfile.open(src, 'r:gz')
mem = [(m.name, t.extractfile(m).read()) for m in t.getmembers()]
if kind == 'events':
    ev = open(sys.argv[4], 'rb').read()
    man = mem[0][1].replace(hashlib.sha256(mem[1][1]).hexdigest().encode(),
        hashlib.sha256(ev).hexdigest().encode())
    mem = [(mem[0][0], man), (mem[1][0], ev)] + mem[2:]
buf = io.BytesIO()
o = tarfile.open(fileobj=buf, mode='w', format=tarfile.USTAR_FORMAT)
def add(name, data=b'', typ=tarfile.REGTYPE, link=''):
    ti = tarfile.TarInfo(name)
    ti.type = typ
    ti.linkname = link
    ti.size = len(data) if typ == tarfile.REGTYPE else 0
    ti.mode = 0o640
    o.addfile(ti, io.BytesIO(data) if typ == tarfile.REGTYPE else None)
for name, d in mem:
    add(name, d)
    if kind == 'dupmanifest' and name == 'MANIFEST':
        add('MANIFEST', d)
if kind == 'dotdot':
    add('../../badinput-evil', b'x\n')
if kind == 'absolute':
    add('/tmp/badinput-evil-abs', b'x\n')
if kind == 'symlink':
    add('evil-link', typ=tarfile.SYMTYPE, link='/etc/passwd')
if kind == 'hardlink':
    add('evil-hard', typ=tarfile.LNKTYPE, link='events.ndjson')
if kind == 'device':
    add('evil-dev', typ=tarfile.CHRTYPE)
o.close()
raw = bytearray(buf.getvalue())
if kind == 'lyingsize':
    # events.ndjson's header says 100000 bytes
    off = 512 + ((len(mem[0][1]) + 511) // 512) * 512
    raw[off + 124:off + 136] = b'%011o\0' % 100000
    s = sum(raw[off:off + 148]) + 8 * 32 + sum(raw[off + 156:off + 512])
    raw[off + 148:off + 156] = b'%06o\0 ' % s
open(out, 'wb').write(gzip.compress(bytes(raw)))
EOF
logbook-archive -d good good.ndjson >/dev/null
G=good/2025/10/logbook-2025-10-13.tar.gz
printf '%s\n' "$(cat deep.ndjson)" >deep1.ndjson
mkdir -p h/deep
python3 mk.py $G events h/deep/logbook-2025-10-13.tar.gz deep1.ndjson
run deep-json-restore logbook-restore -q -d deep.db h/deep
expect deep-json-restore 1 "logbook-restore: h/deep/logbook-2025-10-13.tar.gz: refused: event: events.ndjson:1: malformed JSON"
check_eq "deep-json-restore: no event loaded" \
    "$(sqlite3 deep.db 'select count(*) from events')" 0
mkdir -p h/huge
python3 mk.py $G events h/huge/logbook-2025-10-13.tar.gz huge.ndjson
run huge-string-restore logbook-restore -q -d huge.db h/huge
expect huge-string-restore 1 "logbook-restore: h/huge/logbook-2025-10-13.tar.gz: refused: event: events.ndjson:1: line longer than 33554432 bytes"
check_eq "huge-string-restore: no event loaded" \
    "$(sqlite3 huge.db 'select count(*) from events')" 0
python3 -c "import sys; sys.stdout.write(sys.argv[1][:-1] + ''.join(',\"k%d\":0' % i for i in range(1000000)) + '}\n')" \
    "$(cat good.ndjson)" >members.ndjson
# A million members fit the event limit: the unknown ones are passed
# over and the event counted.
run million-members-aggregate logbook-aggregate members.ndjson
expect million-members-aggregate 0
check "million-members-aggregate: the event counted" \
    grep -q '"requests":1,' million-members-aggregate.out

# --- hostile tar members for verify and restore: each refused with the
# reason, and nothing of the archive written anywhere by its name.
tarrow() {
	mkdir -p "h/$1"
	python3 mk.py $G "$1" "h/$1/logbook-2025-10-13.tar.gz"
	(
		cd "h/$1" || exit 1
		run "tar-$1-verify" logbook-verify logbook-2025-10-13.tar.gz
		EXT=out expect "tar-$1-verify" 1 \
		    "FAIL logbook-2025-10-13.tar.gz: $2" \
		    "total: 1 archives, 0 ok, 1 failed, 0 events"
		run "tar-$1-restore" logbook-restore -q -d db logbook-2025-10-13.tar.gz
		expect "tar-$1-restore" 1 \
		    "logbook-restore: logbook-2025-10-13.tar.gz: refused: $2"
		check_eq "tar-$1-restore: no event loaded" \
		    "$(sqlite3 db 'select count(*) from events')" 0
		run "tar-$1-emit" logbook-restore --emit original logbook-2025-10-13.tar.gz
		expect "tar-$1-emit" 1 \
		    "logbook-restore: logbook-2025-10-13.tar.gz: refused: $2"
		lines "tar-$1-emit" 0
		check_eq "tar-$1: nothing in its folder but the database" \
		    "$(ls | grep -v '\.\(out\|err\|want\)$\|^db-\(shm\|wal\)$' |
			tr '\n' ' ')" "db logbook-2025-10-13.tar.gz "
	)
	check_eq "tar-$1: nothing new outside its folder" \
	    "$(find . -path ./h -prune -o -newer h/$1/db -print)" ""
	check "tar-$1: no member made by its name" sh -c '[ ! -e badinput-evil ] &&
	    [ ! -e ../badinput-evil ] && [ ! -e /tmp/badinput-evil-abs ]'
}
tarrow dotdot 'members: unexpected member ../../badinput-evil'
tarrow absolute 'members: unexpected member /tmp/badinput-evil-abs'
tarrow symlink 'tar: an entry that is not a regular file'
tarrow hardlink 'tar: an entry that is not a regular file'
tarrow device 'tar: an entry that is not a regular file'
tarrow dupmanifest 'members: MANIFEST where events.ndjson should be'
tarrow lyingsize 'tar: Truncated tar archive'

# Archive names with ESC: escaped in verify's and restore's messages.
printf 'not gzip\n' >"logbook-2025-10-1${ESC}[2J.tar.gz"
run esc-filename-verify logbook-verify "logbook-2025-10-1${ESC}[2J.tar.gz"
noesc esc-filename-verify out
check_eq "esc-filename-verify: status" "$rc" 1
run esc-filename-restore logbook-restore --emit original "logbook-2025-10-1${ESC}[2J.tar.gz"
noesc esc-filename-restore
check_eq "esc-filename-restore: status" "$rc" 1

# --- SQL metacharacters in every field, through ingest | archive |
# restore into SQLite and back with --emit original, byte for byte.
cat >sql.log <<'EOF'
192.0.2.7 i';-- u"x% [13/Oct/2025:06:15:02 +0000] "GET /p';DROP%20TABLE events;--?q=1\"%_ HTTP/1.1" 200 5 "r'\"; --%" "ua'); DELETE FROM events;--"
EOF
printf '192.0.2.8 - - [13/Oct/2025:06:15:03 +0000] "GET /n\000ul HTTP/1.1" 200 5 "-" "a\000b'"'"'"\n' >>sql.log
run sql-meta-ingest $P -r sql.rej sql.log
expect sql-meta-ingest 0
lines sql-meta-ingest 2
logbook-archive -d sq sql-meta-ingest.out >/dev/null
run sql-meta-restore logbook-restore -q -d sq.db sq
expect sql-meta-restore 0
check_eq "sql-meta-restore: every field as in the event" \
    "$(sqlite3 sq.db "select ident, user, path, query, referer, ua from
	events where ip = '192.0.2.7'")" \
    "i';--|u\"x%|/p';DROP%20TABLE events;--|q=1\\\"%_|r'\\\"; --%|ua'); DELETE FROM events;--"
check_eq "sql-meta-restore: NUL kept inside the value" \
    "$(sqlite3 sq.db "select hex(path), hex(ua) from events where
	ip = '192.0.2.8'")" "2F6E00756C|61006227"
run sql-meta-emit logbook-restore --emit original sq
expect sql-meta-emit 0
same_file "sql-meta-emit: the log back byte for byte" sql.log sql-meta-emit.out

# --- CSV formula injection in every CSV output
pl "$T" 200 1 | sed 's/"x"$/"=HYPERLINK(1)"/' >f.log
printf '192.0.2.1 - - [%s] "GET /a HTTP/1.1" 200 1 "-" "\t+1"\n' "$T" >>f.log
printf '192.0.2.1 - - [%s] "GET /a HTTP/1.1" 200 1 "-" "\r-1"\n' "$T" >>f.log
printf '192.0.2.1 - - [%s] "GET /a HTTP/1.1" 200 1 "-" "@A1"\n' "$T" >>f.log
$P f.log >f.ndjson
run csv-formula-aggregate logbook-aggregate --csv-safe --by ua f.ndjson
expect csv-formula-aggregate 0
check_eq "csv-formula-aggregate: every risky ua quoted with '" \
    "$(cut -d, -f2 csv-formula-aggregate.out | tail -n +2 | tr -d '\r\t' |
	sort | tr '\n' ' ')" "\"'+1\" \"'-1\" \"'=HYPERLINK(1)\" \"'@A1\" "
logbook-archive -d fc f.ndjson >/dev/null
run csv-formula-restore logbook-restore --emit csv --csv-safe fc
expect csv-formula-restore 0
check_eq "csv-formula-restore: every risky ua quoted with '" \
    "$(cut -d, -f15 csv-formula-restore.out | tail -n +2 | tr -d '\r\t' |
	sort | tr '\n' ' ')" "\"'+1\" \"'-1\" \"'=HYPERLINK(1)\" \"'@A1\" "
check "csv-formula-restore: no field begins with = + - @ unguarded" \
    sh -c '! tail -n +2 csv-formula-restore.out | tr , "\n" |
    grep -q "^\"[-=+@]"'

# --- aggregate and archive: the same bytes as events
E=$(cat good.ndjson)
printf '%s\n' "$E" | sed 's/"ua":"x"/"ua":"x\x00y"/' >nulj.ndjson
run nul-bytes-aggregate logbook-aggregate nulj.ndjson
expect nul-bytes-aggregate 65 "logbook-aggregate: nulj.ndjson:1: malformed JSON"
run nul-bytes-archive logbook-archive -d nj nulj.ndjson
expect nul-bytes-archive 65 "logbook-archive: nulj.ndjson:1: malformed JSON"
# Invalid UTF-8 inside a JSON string: aggregate counts it as U+FFFD;
# archive and restore keep its bytes.
printf '%s\n' "$E" | sed 's/"ua":"x"/"ua":"x\xc0\xafy"/' >utfj.ndjson
run bad-utf8-aggregate logbook-aggregate --by ua utfj.ndjson
expect bad-utf8-aggregate 0
check "bad-utf8-aggregate: the key with U+FFFD" \
    grep -qF "\"ua\":\"x$R${R}y\",\"requests\":1," bad-utf8-aggregate.out
run bad-utf8-archive logbook-archive -d uj utfj.ndjson
expect bad-utf8-archive 0
run bad-utf8-restore logbook-restore -q -d uj.db uj
expect bad-utf8-restore 0
check_eq "bad-utf8-restore: the bytes in the database" \
    "$(sqlite3 uj.db 'select hex(ua) from events')" 78C0AF79
run bad-utf8-emit logbook-restore --emit ndjson uj
same_file "bad-utf8-emit: the event back byte for byte" utfj.ndjson \
    bad-utf8-emit.out
printf '%s\r%s\r' "$E" "$E" >crj.ndjson
run cr-only-aggregate logbook-aggregate crj.ndjson
expect cr-only-aggregate 65 \
    "logbook-aggregate: crj.ndjson:1: text after the JSON object"
run cr-only-archive logbook-archive -d cj crj.ndjson
expect cr-only-archive 65 \
    "logbook-archive: crj.ndjson:1: text after the JSON object"
: >empty.ndjson
run empty-file-aggregate logbook-aggregate --csv empty.ndjson
expect empty-file-aggregate 0
lines empty-file-aggregate 1
run empty-file-archive logbook-archive -d ej empty.ndjson
expect empty-file-archive 0
check_eq "empty-file-archive: no archive made" \
    "$(find ej -name '*.tar.gz' 2>/dev/null | wc -l | tr -d ' ')" 0
printf 'x' >one.ndjson
run one-byte-line-aggregate logbook-aggregate one.ndjson
expect one-byte-line-aggregate 65 \
    "logbook-aggregate: one.ndjson:1: not a JSON object: a log, not events? pipe it through logbook-ingest first"
run one-byte-line-archive logbook-archive -d oj one.ndjson
expect one-byte-line-archive 65 \
    "logbook-archive: one.ndjson:1: not a JSON object: a log, not events? pipe it through logbook-ingest first"
run esc-filename-aggregate logbook-aggregate "n${ESC}[2J"
expect esc-filename-aggregate 1 \
    'logbook-aggregate: n\x1b[2J: No such file or directory'
run esc-filename-archive logbook-archive -d x "n${ESC}[2J"
expect esc-filename-archive 1 \
    'logbook-archive: n\x1b[2J: No such file or directory'
# The gzip bomb as events: a log line (not JSON), one line of 1 GiB,
# a log line; in bounded memory, each line a reason.
maxrss gzip-bomb-aggregate 65536 sh -c \
    'cat bomb.gz | logbook-aggregate >gzip-bomb-aggregate.out \
	2>gzip-bomb-aggregate.err; echo $? >gzip-bomb-aggregate.rc'
rc=$(cat gzip-bomb-aggregate.rc)
expect gzip-bomb-aggregate 65 \
    "logbook-aggregate: -:1: not a JSON object: a log, not events? pipe it through logbook-ingest first" \
    "logbook-aggregate: -:2: line longer than 33554432 bytes" \
    "logbook-aggregate: -:3: not a JSON object" \
    "logbook-aggregate: -: 3 of 3 lines bad"

# --- verify and restore: archives that are not gzip or are cut
: >empty.tar.gz
run empty-file-verify logbook-verify empty.tar.gz
EXT=out expect empty-file-verify 1 \
    "FAIL empty.tar.gz: gzip: empty file, not gzip at byte 0" \
    "total: 1 archives, 0 ok, 1 failed, 0 events"
run empty-file-restore logbook-restore --emit original empty.tar.gz
expect empty-file-restore 1 \
    "logbook-restore: empty.tar.gz: refused: gzip: empty file, not gzip at byte 0"
head -c 100 $G >trunc.tar.gz
run gzip-truncated-verify logbook-verify trunc.tar.gz
EXT=out expect gzip-truncated-verify 1 \
    "FAIL trunc.tar.gz: gzip: unexpected end of file at byte 100" \
    "total: 1 archives, 0 ok, 1 failed, 0 events"
run gzip-truncated-restore logbook-restore -q -d tr.db trunc.tar.gz
expect gzip-truncated-restore 1 \
    "logbook-restore: trunc.tar.gz: refused: gzip: unexpected end of file at byte 100"
{
	cat $G
	printf junk
} >trail.tar.gz
gsz=$(wc -c <$G | tr -d ' ')
run gzip-trailing-garbage-verify logbook-verify trail.tar.gz
EXT=out expect gzip-trailing-garbage-verify 1 \
    "FAIL trail.tar.gz: gzip: data after the last gzip member at byte $gsz" \
    "total: 1 archives, 0 ok, 1 failed, 0 events"
run gzip-trailing-garbage-restore logbook-restore --emit original trail.tar.gz
expect gzip-trailing-garbage-restore 1 \
    "logbook-restore: trail.tar.gz: refused: gzip: data after the last gzip member at byte $gsz"
lines gzip-trailing-garbage-restore 0

# --- the jobs: names from the configuration and the command line
printf 'ARCHIVE_DIR=/nonexistent%s[2J\n' "$ESC" >esc1.conf
run esc-archive-dir-retention logbook-retention -c esc1.conf -n
expect esc-archive-dir-retention 1 \
    'logbook-retention: /nonexistent\x1b[2J: no such folder (ARCHIVE_DIR)'
printf 'B%s[2JOGUS=1\n' "$ESC" >esc2.conf
run esc-config-key-backup logbook-backup -c esc2.conf -n
expect esc-config-key-backup 1 \
    "logbook-backup: esc2.conf:1: unknown key 'B\\x1b[2JOGUS'"
run esc-config-file-backup logbook-backup -c "no${ESC}[2J.conf" -n
expect esc-config-file-backup 1 \
    'logbook-backup: no\x1b[2J.conf: cannot read the configuration file'
run esc-option-backup logbook-backup -o "X${ESC}[2J=1"
check_eq "esc-option-backup: status" "$rc" 2
check_eq "esc-option-backup: the message" "$(head -n 1 esc-option-backup.err)" \
    "logbook-backup: -o: unknown key 'X\\x1b[2J'"
