# Compressed input, told by its magic bytes and never by its name: each
# program that reads logs, events or hourly rows gives the same bytes for
# the same input plain, gzip, xz, zstd and bzip2, from a file and from
# standard input; a damaged or truncated stream is an error naming the
# input; a file named .gz that holds text is read as text.
. "$TOP/tests/lib.sh"
LC_ALL=C
TZ=UTC
export LC_ALL TZ

for c in gzip xz zstd bzip2; do
	if ! command -v $c >/dev/null 2>&1; then
		notok "$c is not installed (tests/deps.sh)"
		exit 0
	fi
done

# pack FILE: FILE.gz, FILE.xz, FILE.zst and FILE.bz2 beside it.
pack() {
	gzip -c "$1" >"$1.gz"
	xz -c "$1" >"$1.xz"
	zstd -q -c "$1" >"$1.zst"
	bzip2 -c "$1" >"$1.bz2"
}

logbook-genlog --lines 3000 --days 2 >log
logbook-ingest log >ev.ndjson
logbook-aggregate ev.ndjson >rows.ndjson
pack log
pack ev.ndjson
pack rows.ndjson

# same NAME CMD IN: CMD with IN as its last argument and on standard
# input, for IN plain and in each compression, gives what it gives for
# the plain file (NAME.want), exit status 0.
same() {
	sn=$1
	sc=$2
	si=$3
	$sc "$si" >"$sn.want" 2>"$sn.err"
	check "$sn: plain, exit 0" test $? -eq 0
	for k in gz xz zst bz2; do
		$sc "$si.$k" >"$sn.$k" 2>"$sn.$k.err"
		src=$?
		if [ $src -eq 0 ] && cmp -s "$sn.want" "$sn.$k"; then
			ok "$sn: .$k file"
		else
			notok "$sn: .$k file: exit $src, $(head -c 200 "$sn.$k.err")"
		fi
		$sc <"$si.$k" >"$sn.$k.in" 2>"$sn.$k.err"
		src=$?
		if [ $src -eq 0 ] && cmp -s "$sn.want" "$sn.$k.in"; then
			ok "$sn: .$k on standard input"
		else
			notok "$sn: .$k on standard input: exit $src"
		fi
	done
}

same ingest logbook-ingest log
same aggregate logbook-aggregate ev.ndjson
same aggregate-j2 "logbook-aggregate -j 2 --by status" ev.ndjson
same report logbook-report rows.ndjson

# archive: its listing and the archives themselves, byte for byte.
archive_of() {
	rm -rf "$1"
	mkdir "$1"
	if [ -n "${3:-}" ]; then
		(cd "$1" && logbook-archive -d a "../$2")
	else
		(cd "$1" && logbook-archive -d a <"../$2")
	fi >"$1.out" 2>"$1.err" || return 1
	(cd "$1/a" && find . -name '*.tar.gz' | sort | xargs sha256sum) >>"$1.out"
}
archive_of arch-plain ev.ndjson file
check "archive: plain, two archives" test "$(grep -c 'tar.gz$' arch-plain.out)" -eq 2
for k in gz xz zst bz2; do
	if archive_of "arch-$k" "ev.ndjson.$k" file &&
	    cmp -s arch-plain.out "arch-$k.out"; then
		ok "archive: .$k file"
	else
		notok "archive: .$k file: $(head -c 200 "arch-$k.err")"
	fi
	if archive_of "arch-$k-in" "ev.ndjson.$k" &&
	    cmp -s arch-plain.out "arch-$k-in.out"; then
		ok "archive: .$k on standard input"
	else
		notok "archive: .$k on standard input: $(head -c 200 "arch-$k-in.err")"
	fi
done

# archive --hourly: the rows of a month from hourly files.
rm -rf h-base
cp -R arch-plain h-base
(cd arch-plain && logbook-archive --hourly -d a ../rows.ndjson >../hourly.want 2>&1 &&
    sha256sum a/2025/10/logbook-2025-10.hourly.tar.gz >>../hourly.want)
for k in gz xz zst bz2; do
	rm -rf "h-$k"
	cp -R h-base "h-$k"
	(cd "h-$k" && logbook-archive --hourly -d a "../rows.ndjson.$k" >../"h-$k.out" 2>&1 &&
	    sha256sum a/2025/10/logbook-2025-10.hourly.tar.gz >>../"h-$k.out")
	sed "s|rows.ndjson.$k|rows.ndjson|" "h-$k.out" >"h-$k.cmp"
	same_file "archive --hourly: .$k file" hourly.want "h-$k.cmp"
done

# The name says nothing: text named .gz is text, xz named .txt is xz.
cp log text.gz
logbook-ingest text.gz >text.out 2>text.err
check "ingest: text named .gz, exit 0" test $? -eq 0
same_file "ingest: text named .gz is read as text" ingest.want text.out
cp log.xz xz.txt
logbook-ingest xz.txt >xz.out 2>xz.err
same_file "ingest: xz named .txt is read as xz" ingest.want xz.out
cp ev.ndjson.zst events
logbook-aggregate events >zst.out 2>zst.err
same_file "aggregate: zstd named events is read as zstd" aggregate.want zst.out

# Truncated streams: an error naming the input, exit 1, never silence.
# expect NAME STATUS WANT CMD...: exit STATUS, WANT in its stderr.
expect() {
	_n=$1
	_s=$2
	_w=$3
	shift 3
	"$@" >"$_n.out" 2>"$_n.err"
	_rc=$?
	if [ $_rc -eq "$_s" ] && grep -qxF "$_w" "$_n.err"; then
		ok "$_n"
	else
		notok "$_n: exit $_rc, want $_s; stderr $(head -c 300 "$_n.err" | tr '\n' '|'), want '$_w'"
	fi
}

for k in gz xz zst bz2; do
	case $k in
	gz) name=gzip ;;
	zst) name=zstd ;;
	bz2) name=bzip2 ;;
	*) name=$k ;;
	esac
	for f in log ev.ndjson rows.ndjson; do
		s=$(wc -c <"$f.$k")
		head -c $((s - 9)) "$f.$k" >"cut-$f.$k"
		head -c $((s / 2)) "$f.$k" >"half-$f.$k"
	done
	m="unexpected end of $name data"
	expect "ingest: truncated .$k" 1 "logbook-ingest: cut-log.$k: $m" \
	    logbook-ingest "cut-log.$k"
	expect "ingest: half a .$k on standard input" 1 "logbook-ingest: -: $m" \
	    sh -c "logbook-ingest <half-log.$k"
	expect "aggregate: truncated .$k" 1 \
	    "logbook-aggregate: cut-ev.ndjson.$k: $m" \
	    logbook-aggregate "cut-ev.ndjson.$k"
	expect "aggregate: half a .$k on standard input" 1 \
	    "logbook-aggregate: -: $m" sh -c "logbook-aggregate <half-ev.ndjson.$k"
	expect "archive: truncated .$k" 1 \
	    "logbook-archive: cut-ev.ndjson.$k: $m" \
	    logbook-archive -d "cut-$k" "cut-ev.ndjson.$k"
	expect "archive --hourly: truncated .$k" 1 \
	    "logbook-archive: cut-rows.ndjson.$k: $m" \
	    logbook-archive --hourly -d "cut-$k" "cut-rows.ndjson.$k"
	expect "report: truncated .$k" 1 \
	    "logbook-report: cut-rows.ndjson.$k: $m" \
	    logbook-report "cut-rows.ndjson.$k"
done

# Damage, bytes after the end, concatenation, emptiness, nesting.
for k in xz zst bz2; do
	case $k in
	zst) name=zstd c="zstd -q" ;;
	bz2) name=bzip2 c=bzip2 ;;
	*) name=$k c=xz ;;
	esac
	python3 -c 'import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[len(d) // 2] ^= 0x55
open(sys.argv[2], "wb").write(d)' "log.$k" "bad.$k"
	expect "ingest: a damaged .$k" 1 "logbook-ingest: bad.$k: corrupt $name data" \
	    logbook-ingest "bad.$k"
	cat "log.$k" "log.$k" >"two.$k"
	logbook-ingest "two.$k" >two.out 2>two.err
	check_eq "ingest: two .$k streams one after the other" \
	    "$(wc -l <two.out | tr -d ' ')" $((2 * $(wc -l <ingest.want)))
	printf '' | $c >"empty.$k"
	logbook-ingest "empty.$k" >empty.out 2>empty.err
	check_eq "ingest: an empty .$k, exit 0 and nothing said" \
	    "$?$(cat empty.out empty.err)" 0
	$c <"log.$k" >"twice.$k"
	expect "ingest: .$k inside .$k" 1 \
	    "logbook-ingest: twice.$k: $name data inside $name data" \
	    logbook-ingest "twice.$k"
done
{ cat log.bz2; echo garbage; } >trail.bz2
expect "ingest: bytes after the end of a .bz2" 1 \
    "logbook-ingest: trail.bz2: trailing garbage after bzip2 data" \
    logbook-ingest trail.bz2
logbook-ingest trail.bz2 2>/dev/null | cmp -s - ingest.want
check "ingest: ... after all its lines" test $? -eq 0

# Bounded memory: 128 MiB of one line, in each compression, on a pipe.
if [ -x /usr/bin/time ]; then
	for k in xz zst bz2; do
		case $k in
		zst) c="zstd -q" ;;
		bz2) c=bzip2 ;;
		*) c="xz -1" ;;
		esac
		head -c 134217728 /dev/zero | tr '\0' a | $c >"bomb.$k"
		/usr/bin/time -f %M -o "bomb.$k.rss" sh -c \
		    "logbook-ingest <bomb.$k >/dev/null 2>bomb.$k.err"
		kib=$(tail -1 "bomb.$k.rss")
		check "ingest: 128 MiB line of .$k in $kib KiB (under 65536)" \
		    test "$kib" -lt 65536
		rm -f "bomb.$k"
	done
else
	skip "bounded memory: /usr/bin/time is missing"
fi

# A libarchive built without a decoder says ARCHIVE_WARN and would run
# the external program: an error of the input instead.  A shim makes the
# three say so (ARCHIVE_WARN is -20).
cat >nodec.c <<'EOC'
int archive_read_support_filter_xz(void *a) { (void)a; return -20; }
int archive_read_support_filter_zstd(void *a) { (void)a; return -20; }
int archive_read_support_filter_bzip2(void *a) { (void)a; return -20; }
EOC
if ${CC:-cc} -shared -fPIC -o nodec.so nodec.c 2>nodec.err; then
	asan=$(ldd "$TOP/bin/logbook-ingest" | awk '/libasan/ { print $3 }')
	export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
	for k in xz zst bz2; do
		case $k in
		zst) name=zstd ;;
		bz2) name=bzip2 ;;
		*) name=$k ;;
		esac
		expect "ingest: no $name decoder in libarchive" 1 \
		    "logbook-ingest: log.$k: libarchive has no $name decoder but an external program" \
		    env LD_PRELOAD="${asan:+$asan:}$PWD/nodec.so" logbook-ingest "log.$k"
	done
	LD_PRELOAD="${asan:+$asan:}$PWD/nodec.so" logbook-ingest log.gz >nodec.out 2>&1
	same_file "ingest: ... while gzip is still read" ingest.want nodec.out
else
	notok "cannot build the shim: $(head -c 200 nodec.err)"
fi
