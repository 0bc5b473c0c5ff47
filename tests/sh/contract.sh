# The contract between the stages: whatever logbook-ingest writes every
# later stage reads, and what logbook-verify passes logbook-restore loads
# and gives back, and the reverse.
. "$TOP/tests/lib.sh"

# worst N FILE: a combined line of N bytes whose user agent is control
# bytes (6 bytes each in JSON) ending in one byte that is not UTF-8 (so
# the event carries raw64 too): the largest event a line of N makes.
worst() {
	_pre='192.0.2.1 - - [13/Oct/2025:06:15:02 +0000] "GET / HTTP/1.1" 200 1 "-" "'
	{
		printf '%s' "$_pre"
		head -c $(($1 - ${#_pre} - 2)) /dev/zero | tr '\0' '\001'
		printf '\377"\n'
	} >"$2"
}

# 1. The longest line ingest takes, at its worst, through every stage.
worst $((4 * 1024 * 1024)) worst.log
logbook-ingest -q -f combined worst.log >worst.ndjson
check_eq "contract: the longest line ingest takes is an event" \
    "$(wc -l <worst.ndjson | tr -d ' ')" 1
# shellcheck disable=SC2002 # a pipe, which hands the line over in pieces
cat worst.log | logbook-ingest -q -f combined >pipe.ndjson
same_file "contract: through a pipe too, whatever the reads" \
    worst.ndjson pipe.ndjson
worst $((4 * 1024 * 1024 + 1)) over.log
check_eq "contract: a byte more is a reject" \
    "$(logbook-ingest -f combined over.log 2>&1 >/dev/null | head -n 1)" \
    "logbook-ingest: over.log:1: line longer than 4194304 bytes"
logbook-archive -d wa worst.ndjson >/dev/null 2>archive.err
check_eq "contract: logbook-archive files the largest event" \
    "$? $(cat archive.err)" "0 "
check "contract: logbook-verify passes its archive" \
    logbook-verify -q wa
logbook-restore -q --emit original wa >worst.back 2>restore.err
check_eq "contract: logbook-restore --emit original reads it" \
    "$? $(cat restore.err)" "0 "
same_file "contract: and gives the line back byte for byte" \
    worst.log worst.back
logbook-aggregate worst.ndjson >worst.agg 2>aggregate.err
check_eq "contract: logbook-aggregate reads the largest event" \
    "$? $(cat aggregate.err)" "0 "
logbook-restore -q -d worst.db wa 2>restore.err
check_eq "contract: logbook-restore loads it into a database" \
    "$? $(cat restore.err) $(sqlite3 worst.db 'SELECT count(*) FROM events')" \
    "0  1"
# With the longest source label, of control bytes too.
src=$(head -c 4096 /dev/zero | tr '\0' '\002')
logbook-ingest -q -f combined -s "$src" worst.log >src.ndjson
logbook-archive -d sa src.ndjson >/dev/null 2>archive.err
check_eq "contract: the largest event with the longest label is filed" \
    "$? $(cat archive.err)" "0 "
check "contract: and its archive passes" logbook-verify -q sa

# The longest format string ingest takes comes back as the line's format.
base='%h %l %u %t "%r" %>s %b ""'
pad=$(head -c $((4095 - ${#base})) /dev/zero | tr '\0' x)
fmt="%h %l %u %t \"%r\" %>s %b \"$pad\""
printf '192.0.2.1 - - [13/Oct/2025:06:15:02 +0000] "GET / HTTP/1.1" 200 1 "%s"\n' \
    "$pad" >fmt.log
check_eq "contract: a format of 4095 bytes" "${#fmt}" 4095
logbook-ingest -q -f "$fmt" fmt.log | logbook-archive -d fa >/dev/null
logbook-restore -q --emit original fa >fmt.back
same_file "contract: an event of the longest format gives its line back" \
    fmt.log fmt.back

# 2. What verify passes restore loads and gives back, and the reverse,
# against archives crafted with a MANIFEST rewritten to match.
logbook-genlog --lines 300 --days 1 --seed 7 | logbook-ingest >ev.ndjson
logbook-archive -d ga ev.ndjson >/dev/null
A=ga/2025/10/logbook-2025-10-13.tar.gz
craft() {
	python3 "$TOP/tests/tools/lb-craft.py" "$@"
}
unpack() {
	rm -rf "$1"
	mkdir "$1"
	tar -xzf $A -C "$1"
}

# refused CHECK NAME FILE: verify fails CHECK, restore loads nothing
# and --emit original writes nothing.
refused() {
	_v=$(logbook-verify "$3" 2>&1 | head -n 1)
	case $_v in
	"FAIL $3: $1: "*) ok "contract: $2: verify fails $1" ;;
	*) notok "contract: $2: verify: want FAIL $1, got: $_v" ;;
	esac
	rm -f r.db
	logbook-restore -q -d r.db "$3" 2>/dev/null
	check_eq "contract: $2: restore refuses it" \
	    "$? $(sqlite3 r.db 'SELECT count(*) FROM events')" "1 0"
	check_eq "contract: $2: --emit original gives nothing back" \
	    "$(logbook-restore -q --emit original "$3" 2>/dev/null | wc -c |
	    tr -d ' ')" 0
}

unpack x
craft x same.tar.gz
check "contract: a crafted copy of a good archive passes" \
    logbook-verify -q same.tar.gz
logbook-restore -q --emit original same.tar.gz >same.back
check_eq "contract: and gives its lines back" \
    "$(wc -l <same.back | tr -d ' ')" 300

unpack x
sed -i '2s/"hour":"2025-10-13T/"hour":"2025-10-14T/' x/hourly.ndjson
craft x hour.tar.gz
refused hourly "an hourly row of another date" hour.tar.gz
unpack x
sed -i '2s/"hour":"[^"]*",//' x/hourly.ndjson
craft x nohour.tar.gz
refused hourly "an hourly row without an hour" nohour.tar.gz

unpack x
sed -i '5s/,"fmt":"[^"]*"//' x/events.ndjson
craft x nofmt.tar.gz
refused event "an event without fmt" nofmt.tar.gz
unpack x
sed -i '5s/,"fmt":"[^"]*"/,"fmt":"no such format"/' x/events.ndjson
craft x badfmt.tar.gz
refused event "an event whose fmt is no format" badfmt.tar.gz
unpack x
sed -i '5s/}$/,"raw64":"!!!!"}/' x/events.ndjson
craft x raw64.tar.gz
refused event "an event whose raw64 is not base64" raw64.tar.gz
unpack x
sed -i '5s/"tz":"[^"]*"/"tz":"+02:00"/' x/events.ndjson
craft x tz.tar.gz
refused event "an event whose tz its format cannot write" tz.tar.gz

unpack x
craft x trail.tar.gz --trail 41424344
refused tar "bytes after the tar's end inside the gzip stream" trail.tar.gz
craft x zeros.tar.gz --trail 00000000
check "contract: zeros after the tar's end pass" logbook-verify -q zeros.tar.gz

craft x big.tar.gz --size events.ndjson=8000000000
refused tar "a member that declares 8 GB" big.tar.gz

# 3. A folder that cannot be read is an error that names its cause, not
# a folder without archives.  Run as nobody, for root reads anything; in
# a folder of /tmp, which nobody can reach wherever the tree is.
tmp=$(mktemp -d /tmp/lbcontract.XXXXXX)
chmod 755 "$tmp"
cp "$(command -v logbook-verify)" "$tmp/logbook-verify"
mkdir -p "$tmp/d/2025/10" "$tmp/d/2024"
cp $A "$tmp/d/2025/10/"
cp $A "$tmp/d/2024/logbook-2025-10-13.tar.gz"
chmod -R a+rX "$tmp/d"
chmod 700 "$tmp/d/2025"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$tmp/logbook-verify" \
    "$tmp/d" >ur.out 2>ur.err
check_eq "contract: verify: an unreadable folder fails, exit 1" "$?" 1
check_eq "contract: verify: and names the cause" "$(cat ur.err)" \
    "logbook-verify: $tmp/d/2025: Permission denied"
check_eq "contract: verify: the archives it could read are checked" \
    "$(head -n 1 ur.out)" \
    "OK $tmp/d/2024/logbook-2025-10-13.tar.gz events=300"
chmod 744 "$tmp/d/2025"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$tmp/logbook-verify" \
    "$tmp/d/2025" >ur.out 2>ur.err
check_eq "contract: verify: a folder listed but not searchable" \
    "$? $(cat ur.err)" \
    "1 logbook-verify: $tmp/d/2025/10: Permission denied"
chmod 700 "$tmp/d/2025"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$tmp/logbook-verify" \
    "$tmp/d/2025/10/logbook-2025-10-13.tar.gz" >ur.out 2>&1
check_eq "contract: verify: an archive in it, named, fails read" \
    "$? $(head -n 1 ur.out)" \
    "1 FAIL $tmp/d/2025/10/logbook-2025-10-13.tar.gz: read: Permission denied"
rm -rf "$tmp"

# 4. Paths and data in messages are escaped: ESC and newline as \xHH.
bad=$(printf 'a\033[31m\nb')
cp $A "$bad.tar.gz"
check_eq "contract: verify: an OK line escapes its path" \
    "$(logbook-verify "$bad.tar.gz" | head -n 1)" \
    'OK a\x1b[31m\x0ab.tar.gz events=300'
check_eq "contract: verify: a FAIL line escapes its path" \
    "$(logbook-verify "$bad.missing" | head -n 1)" \
    'FAIL a\x1b[31m\x0ab.missing: read: No such file or directory'
check_eq "contract: verify --json keeps the path as JSON" \
    "$(logbook-verify --json "$bad.tar.gz" | head -c 30)" \
    '{"path":"a\u001b[31m\nb.tar.gz'
check_eq "contract: ingest: a rejects file that cannot be made" \
    "$(logbook-ingest -r "$bad/r" </dev/null 2>&1)" \
    'logbook-ingest: a\x1b[31m\x0ab/r: No such file or directory'
check_eq "contract: ingest: a format string in a reject reason" \
    "$(echo 'x y' | logbook-ingest -f "%h $bad %t" 2>&1 | head -n 1)" \
    'logbook-ingest: -:1: not %h a\x1b[31m\x0ab %t: byte 2: expected '"'"' a\x1b[31m\x0ab ['"'"
check_eq "contract: ingest: a format string that cannot be used" \
    "$(logbook-ingest -f "%{$bad" 2>&1 | head -n 1)" \
    'logbook-ingest: bad format: unterminated %{: %{a\x1b[31m\x0ab'
check_eq "contract: aggregate: a file that cannot be read" \
    "$(logbook-aggregate "$bad" 2>&1)" \
    'logbook-aggregate: a\x1b[31m\x0ab: No such file or directory'

# 5. Files ingest makes get the archives' mode rule: 0640, whatever the
# umask, for they hold client addresses; what is there keeps its own.
echo 'not a log line' >junk.log
(umask 000 && logbook-ingest -q -r rej000 junk.log)
(umask 077 && logbook-ingest -q -r rej077 junk.log)
check_eq "contract: ingest -r at umask 000 makes a file of mode 640" \
    "$(stat -c %a rej000)" 640
check_eq "contract: ingest -r at umask 077 makes a file of mode 640" \
    "$(stat -c %a rej077)" 640
check_eq "contract: and the reject is in it" "$(cat rej000)" "not a log line"
: >rej600
chmod 600 rej600
(umask 000 && logbook-ingest -q -r rej600 junk.log)
check_eq "contract: an existing rejects file keeps its mode" \
    "$(stat -c %a rej600) $(cat rej600)" "600 not a log line"
(umask 000 && logbook-ingest -q -R why000 junk.log)
(umask 077 && logbook-ingest -q -R why077 junk.log)
check_eq "contract: ingest -R at umask 000 and 077 makes files of mode 640" \
    "$(stat -c %a why000) $(stat -c %a why077)" "640 640"
check_eq "contract: and the reason is in it" "$(cat why000)" \
    "junk.log:1: fits no known format"
: >why600
chmod 600 why600
(umask 000 && logbook-ingest -q -R why600 junk.log)
check_eq "contract: an existing reasons file keeps its mode" \
    "$(stat -c %a why600) $(wc -l <why600)" "600 1"
m=$(stat -c %a /dev/null)
logbook-ingest -q -r /dev/null junk.log
check_eq "contract: -r /dev/null is written, its mode untouched" \
    "$? $(stat -c %a /dev/null)" "0 $m"

# 6. What cppcheck finds in the archive checks (a pointer past NULL, a
# mode read after a failed fstat) stays fixed.
check "contract: cppcheck finds nothing in lib/verify.c, lib/monthly.c" \
    cppcheck -q --enable=warning,portability --error-exitcode=1 \
    --inline-suppr -I"$TOP/lib" "$TOP/lib/verify.c" "$TOP/lib/monthly.c"
