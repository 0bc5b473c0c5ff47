# logbook-verify: the corruption catalogue, each damage failing the check
# that names it and never crashing; standard tools agree with a good
# archive; --db, --expect; what lib/verify hands a caller.
. "$TOP/tests/lib.sh"

# A day of 20000 events: several gzip members, several tar blocks.
logbook-genlog --lines 20000 --days 1 --seed 5 | logbook-ingest >ev.ndjson
logbook-archive -d arch ev.ndjson >/dev/null
A=arch/2025/10/logbook-2025-10-13.tar.gz
size=$(wc -c <$A)

# fails CHECK NAME FILE: exit 1 and the FAIL line names CHECK.
fails() {
	_out=$(logbook-verify "$3" 2>&1)
	_rc=$?
	if [ $_rc = 1 ] && printf '%s\n' "$_out" | head -n 1 |
	    grep -q "^FAIL $3: $1: "; then
		ok "verify: $2: FAIL $1"
	else
		notok "verify: $2: want FAIL $1, got status $_rc: $(
		    printf '%s\n' "$_out" | head -n 1)"
	fi
}

# flip FILE OFFSET: one byte of FILE changed in place.
flip() {
	_b=$(od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $(((_b + 1) % 256)))" |
	    dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# unpack DIR: the good archive's members in DIR.
unpack() {
	rm -rf "$1"
	mkdir "$1"
	tar -xzf $A -C "$1"
}

# repack DIR OUT [MEMBER ...]: a tar.gz by GNU tar and gzip.
repack() {
	_d=$1
	_o=$2
	shift 2
	[ $# -gt 0 ] || set -- MANIFEST events.ndjson hourly.ndjson
	tar -cf - -C "$_d" "$@" | gzip -6 >"$_o"
}

# fix DIR: the manifest's counts and checksums made those of the members.
fix() {
	_e=$(sha256sum <"$1/events.ndjson" | cut -c 1-64)
	_h=$(sha256sum <"$1/hourly.ndjson" | cut -c 1-64)
	sed -i "s/^events .*/events $(wc -l <"$1/events.ndjson")/
	    s/^hourly_rows .*/hourly_rows $(wc -l <"$1/hourly.ndjson")/
	    s/^[0-9a-f]\{64\}  events.ndjson\$/$_e  events.ndjson/
	    s/^[0-9a-f]\{64\}  hourly.ndjson\$/$_h  hourly.ndjson/" \
	    "$1/MANIFEST"
}

# A good archive: verify, and the standard tools, agree.
check "verify: a good archive passes" logbook-verify -q $A
unpack x
check "verify: sha256sum -c checks the manifest's lines" sh -c \
    "cd x && grep -E '^[0-9a-f]{64}  ' MANIFEST | sha256sum -c --quiet"
check_eq "verify: GNU tar lists the members in order" \
    "$(tar -tzf $A | tr '\n' ' ')" "MANIFEST events.ndjson hourly.ndjson "
check "verify: gzip -t passes" gzip -t $A
check_eq "verify: gzip -dc | tar gives the same events" \
    "$(gzip -dc $A | tar -xOf - events.ndjson | cksum)" \
    "$(sort ev.ndjson | cksum)"
repack x good.tar.gz
check "verify: the members repacked by GNU tar and gzip pass" \
    logbook-verify -q good.tar.gz

# Truncated anywhere inside a gzip member.
for cut in 1 10 1000 $((size / 3)) $((size / 2)) $((size - 8)) \
    $((size - 1)); do
	head -c $cut $A >cut$cut.tar.gz
	fails gzip "truncated to $cut bytes" cut$cut.tar.gz
done

# One flipped byte of compressed data, and of a header's time.
for at in $((size / 3)) $((size * 2 / 3)) $((size - 100)); do
	cp $A flip$at.tar.gz
	flip flip$at.tar.gz $at
	fails gzip "byte $at flipped" flip$at.tar.gz
done
cp $A flipt.tar.gz
flip flipt.tar.gz 5
fails gzip "a byte of the first member's header time flipped" flipt.tar.gz

# An edited event, re-packed as valid gzip: only the checksum sees it.
unpack x
sed -i '100s/"method":"GET"/"method":"PUT"/; 100s/"method":"POST"/"method":"PUT"/' \
    x/events.ndjson
repack x edited.tar.gz
fails sha256 "one edited event, re-packed" edited.tar.gz

unpack x
sed -i 's/^events .*/events 19999/' x/MANIFEST
repack x count.tar.gz
fails count "the manifest's event count edited" count.tar.gz

unpack x
repack x nohourly.tar.gz MANIFEST events.ndjson
fails members "hourly.ndjson missing" nohourly.tar.gz
unpack x
repack x nomanifest.tar.gz events.ndjson hourly.ndjson
fails members "MANIFEST missing" nomanifest.tar.gz
unpack x
echo note >x/notes.txt
repack x extra.tar.gz MANIFEST events.ndjson hourly.ndjson notes.txt
fails members "an unexpected member added" extra.tar.gz
unpack x
repack x swapped.tar.gz MANIFEST hourly.ndjson events.ndjson
fails members "members out of order" swapped.tar.gz

unpack x
sed -i '200p' x/events.ndjson
fix x
repack x dup.tar.gz
fails duplicate "an event twice" dup.tar.gz

unpack x
sed -i '300s/"ts":"2025-10-13T/"ts":"2025-10-14T/' x/events.ndjson
fix x
repack x date.tar.gz
fails date "an event of another date" date.tar.gz

unpack x
sed -i '400{h;d};401G' x/events.ndjson
fix x
repack x order.tar.gz
fails order "two events swapped" order.tar.gz

unpack x
sed -i '500s/"status":/"status":"/' x/events.ndjson
fix x
repack x invalid.tar.gz
fails event "a line that is not an event" invalid.tar.gz

unpack x
sed -i '1s/"requests":[0-9]*/"requests":999999/' x/hourly.ndjson
fix x
repack x hourly.tar.gz
fails hourly "hourly requests that do not add up" hourly.tar.gz

unpack x
sed -i 's/^first .*/first 2025-10-13T00:00:00.5Z/' x/MANIFEST
repack x first.tar.gz
fails manifest "the manifest's first ts edited" first.tar.gz
unpack x
sed -i '1s/1$/2/' x/MANIFEST
repack x schema.tar.gz
fails manifest "a manifest of another schema" schema.tar.gz

: >empty.tar.gz
fails gzip "an empty file" empty.tar.gz
head -c 5000 ev.ndjson >plain.tar.gz
fails gzip "a file that is not gzip" plain.tar.gz
echo hello >hello.txt
tar -czf other.tar.gz hello.txt
fails members "a tar.gz of something else" other.tar.gz
printf 'not a tar file at all\n' | gzip >notar.tar.gz
fails tar "a gzip file that is not a tar" notar.tar.gz
cp $A arch/2025/10/logbook-2025-10-12.tar.gz
fails name "an archive under another date's name" \
    arch/2025/10/logbook-2025-10-12.tar.gz
rm arch/2025/10/logbook-2025-10-12.tar.gz

# A folder: every archive in it, temporary files skipped.
logbook-genlog --lines 3000 --days 3 --seed 6 | logbook-ingest |
    logbook-archive -d multi >/dev/null
: >multi/2025/10/.logbook-2025-10-13.tar.gz.AbCdEf
check_eq "verify: a folder means its archives, hidden files skipped" \
    "$(logbook-verify multi | tail -n 1)" \
    "total: 3 archives, 3 ok, 0 failed, 3000 events"
check "verify: --expect with the ingested count passes" \
    logbook-verify -q --expect 3000 multi
check_eq "verify: --expect with another count fails" \
    "$(logbook-verify -q --expect 2999 multi; echo $?)" \
    "FAIL total: expect: 3000 events in the archives that passed, 2999 expected
total: 3 archives, 3 ok, 0 failed, 3000 events
1"

# --db: per-date counts against a database as logbook-restore writes it.
logbook-restore -q -d t.db multi
check "verify: --db agrees with a database of the same events" \
    logbook-verify -q --db t.db multi
sqlite3 t.db "DELETE FROM events WHERE id = (SELECT min(id) FROM events
    WHERE ts LIKE '2025-10-14%')"
check_eq "verify: --db: a date with an event less fails" \
    "$(logbook-verify -q --db t.db multi | head -n 1 | cut -d ' ' -f 2-3)" \
    "multi/2025/10/logbook-2025-10-14.tar.gz: db:"
sqlite3 other.db "CREATE TABLE t(x)"
check_eq "verify: --db without an events table is an error" \
    "$(logbook-verify --db other.db multi 2>&1; echo $?)" \
    "logbook-verify: other.db: no such table: events
1"
check_eq "verify: --db never writes" "$(sqlite3 other.db .tables)" "t"

# What a caller (logbook-restore) is handed: the manifest, every event
# line as it is with its parsed id, every row, then the verdict.
lb-verify-cb $A >cb.out
check_eq "verify: API: the manifest comes first" "$(head -n 1 cb.out)" \
    "manifest 2025-10-13"
check_eq "verify: API: the event lines, byte for byte, in order" \
    "$(sed -n 's/^event [^ ]* //p' cb.out | cksum)" \
    "$(tar -xzOf $A events.ndjson | cksum)"
check_eq "verify: API: each with the event it parses to" \
    "$(sed -n 's/^event \([^ ]*\) {"id":"\([^"]*\)".*/\1 \2/p' cb.out |
    awk '$1 != $2' | wc -l)" 0
check_eq "verify: API: the hourly rows" \
    "$(sed -n 's/^row //p' cb.out | cksum)" \
    "$(tar -xzOf $A hourly.ndjson | cksum)"
check_eq "verify: API: the verdict last" "$(tail -n 1 cb.out)" "ok"
lb-verify-cb edited.tar.gz >cb.out
check_eq "verify: API: a damaged archive's events are handed, then fail" \
    "$(grep -c '^event ' cb.out) $(tail -n 1 cb.out | cut -c 1-29)" \
    "20000 fail sha256: events.ndjson is"
lb-verify-cb -n 7 $A >cb.out
check_eq "verify: API: a callback that refuses stops the reading" \
    "$(grep -c '^event ' cb.out) $(tail -n 1 cb.out)" \
    "6 fail caller: events.ndjson:7: refused"
