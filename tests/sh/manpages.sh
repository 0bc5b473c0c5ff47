# Man pages: mandoc finds nothing to warn about, each program's --help
# and man page name the same options, and the pages name the formats of
# lib/logformat.c's table (lb-formats).
. "$TOP/tests/lib.sh"

# words FILE: the lines of FILE on one line.
words() {
	tr '\n' ' ' <"$1"
}

# The names .Cm gives at the start of the lines of stdin.
cm_names() {
	sed -n 's/^\.\(It \)\{0,1\}Cm \([A-Za-z0-9_ ,]*\).*/\2/p' |
	    tr -d ' ' | tr ',' '\n' | grep .
}

lb-formats -l >heads
sort heads >heads.sorted
lb-formats | awk '$1 != $2 { print $1 }' | sort >variants
m=$TOP/man/logbook-ingest.1
sed -n '/^\.It Fl f Ar format/,/^\.It Fl h/p' "$m" | cm_names |
    grep -vx auto >man.f
check_eq "manpages: logbook-ingest: -f names the heads of the table" \
    "$(words man.f)" "$(words heads)"
sed -n '/^\.Ss Named formats/,/^\.Ss /p' "$m" >named.ms
grep '^\.It Cm' named.ms | cm_names | sort >man.heads
check_eq "manpages: logbook-ingest: Named formats has an item for each head" \
    "$(words man.heads)" "$(words heads.sorted)"
sed -n '/^The names$/,/^are not accepted by$/p' named.ms | cm_names |
    sort >man.variants
check_eq "manpages: logbook-ingest: the variants -f does not take" \
    "$(words man.variants)" "$(words variants)"
sed -n '/^\.It Fl -emit/,/^\.El/p' "$TOP/man/logbook-restore.1" |
    grep '^\.It Cm' | cm_names | grep -vxE 'original|ndjson|csv' |
    sort >man.emit
check_eq "manpages: logbook-restore: --emit names the heads of the table" \
    "$(words man.emit)" "$(words heads.sorted)"
logbook-restore --help | sed -n '/--emit FORMAT/,/--csv-safe/p' |
    sed '1d;$d' | tr -d ' ' | tr ',' '\n' | grep . |
    grep -vxE 'original|ndjson|csv' | sort >help.emit
check_eq "manpages: logbook-restore --help: --emit names the heads" \
    "$(words help.emit)" "$(words heads.sorted)"
logbook-restore --emit - none 2>&1 | sed -n 's/.*; one of //p' | tr -d ' ' |
    tr ',' '\n' | grep -vxE 'original|ndjson|csv' | sort >usage.emit
check_eq "manpages: logbook-restore: a bad --emit names the heads" \
    "$(words usage.emit)" "$(words heads.sorted)"

if ! command -v mandoc >/dev/null 2>&1; then
	notok "manpages: mandoc is not installed (apt-get install mandoc)"
	exit 0
fi

# Lint: warnings and worse.  Style messages (such as a reference to a page
# not installed yet) are not counted.
for m in "$TOP"/man/*.[1-8]; do
	[ -f "$m" ] || continue
	n=${m##*/}
	if out=$(mandoc -Tlint -W warning "$m" 2>&1) && [ -z "$out" ]; then
		ok "manpages: $n: mandoc -Tlint -W warning is clean"
	else
		notok "manpages: $n: $(printf '%s\n' "$out" | head -3 |
		    sed "s|$TOP/||g" | tr '\n' ' ')"
	fi
done

# The Fl arguments of a page, one per line as "where -x" or "where --xx":
# where is "listed" in SYNOPSIS or in the head of an .It (the options
# list), "text" elsewhere.  From mandoc's syntax tree, by indentation.
fl_options() {
	mandoc -Ttree "$1" | awk '
	function indent(s) { match(s, /^ */); return RLENGTH }
	function text(s) {
		sub(/ \(text\) .*$/, "", s)
		sub(/^ */, "", s)
		return s
	}
	{
		d = indent($0)
		if (infl && d <= fld) infl = 0
		if (init && d <= itd) init = 0
		if (wanthead && $0 ~ / \(text\) /) {
			sect = text($0)
			wanthead = 0
			next
		}
		if ($0 ~ /^ *Sh \(head\)/) { wanthead = 1; next }
		if ($0 ~ /^ *It \(head\)/) { init = 1; itd = d; next }
		if ($0 ~ /^ *Fl \(elem\)/) {
			infl = 1
			fld = d
			where = init ? "listed" : "text"
			if (sect == "SYNOPSIS") where = "synopsis"
			next
		}
		if (infl && $0 ~ / \(text\) /) {
			a = text($0)
			if (a ~ /^-?[A-Za-z0-9]/)
				print where, "-" a
		}
	}'
}

# The options --help names: --long ones, and the letters of -x and -xyz.
help_long() {
	grep -oE -- '--[A-Za-z0-9][A-Za-z0-9-]*' | sort -u
}
help_short() {
	grep -oE -- '(^|[][ ,(|])-[A-Za-z]+' | sed 's/^[][ ,(|]*-//' |
	    fold -w 1 | sort -u
}
short_letters() {
	grep -v -- '^--' | sed 's/^-//' | fold -w 1 | sort -u
}

# none NAME LIST: ok when LIST is empty.
none() {
	if [ -z "$2" ]; then
		ok "$1"
	else
		notok "$1: missing $(echo $2)"
	fi
}

for p in "$TOP"/bin/logbook-*; do
	[ -x "$p" ] || continue
	n=${p##*/}
	m=
	for f in "$TOP"/man/"$n".[1-8]; do
		[ -f "$f" ] && m=$f
	done
	[ -n "$m" ] || continue
	if ! "$p" --help >help.txt 2>&1; then
		notok "manpages: $n --help exits non-zero"
		continue
	fi
	fl_options "$m" >fl.all
	sed -n 's/^listed //p; s/^synopsis //p' fl.all | sort -u >fl.listed
	sed -n 's/^synopsis //p' fl.all | sort -u >fl.synopsis
	# The usage: --help up to its first empty line.  -h and -V, which
	# every program takes, are left to each page's own choice.
	sed '/^$/q' help.txt >usage.txt
	grep -v -e '^-h$' -e '^-V$' fl.synopsis >fl.syn
	mv fl.syn fl.synopsis
	sed 's/^[a-z]* //' fl.all | sort -u >fl.any
	help_long <help.txt >help.long
	help_short <help.txt >help.short
	grep -- '^--' fl.listed >man.long
	short_letters <fl.listed >man.short

	none "manpages: $n: every --option of --help is in the man page" \
	    "$(comm -23 help.long man.long)"
	none "manpages: $n: every -x option of --help is in the man page" \
	    "$(comm -23 help.short man.short | sed 's/^/-/')"
	none "manpages: $n: the usage and the SYNOPSIS name the same options" \
	    "$(help_long <usage.txt | sort -u >usage.long
	    grep -- '^--' fl.synopsis | comm -3 - usage.long
	    help_short <usage.txt | grep -v -e '^h$' -e '^V$' >usage.short
	    short_letters <fl.synopsis | comm -3 - usage.short | sed 's/^/-/')"
	none "manpages: $n: every Fl of the man page is in --help" \
	    "$(grep -- '^--' fl.any | comm -23 - help.long
	    short_letters <fl.any | comm -23 - help.short | sed 's/^/-/')"
done

# Every page of the project a page refers to exists, in that section.
for m in "$TOP"/man/*.[1-8]; do
	sed -n 's/^\.Xr \(logbook[a-z-]*\) \([1-8]\).*/\1.\2/p' "$m" |
	    sort -u | while read -r x; do
		[ -f "$TOP/man/$x" ] || echo "${m##*/}: $x"
	done
done >xr.bad
check_eq "manpages: every .Xr of a logbook page names a page there is" \
    "$(words xr.bad)" ""
