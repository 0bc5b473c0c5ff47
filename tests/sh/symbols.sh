# One definition of each global name: a function or variable that is not
# static is defined in one object of the library and the programs, so a
# program's name cannot stand in for the library's, nor one program's
# for another's if code moves between them.  main is each program's own.
. "$TOP/tests/lib.sh"

if ! command -v nm >/dev/null 2>&1; then
	notok "symbols: nm is not installed (binutils)"
	exit 0
fi
if [ ! -f "$TOP/build/liblogbook.a" ]; then
	notok "symbols: no build/liblogbook.a: make all first"
	exit 0
fi

# The objects of the programs whose source is still there: an object
# left behind by a removed file is not linked.
objs=
for o in "$TOP"/build/tools/*/*.o; do
	[ -f "$o" ] || continue
	s=${o#"$TOP"/build/}
	[ -f "$TOP/${s%.o}.c" ] && objs="$objs $o"
done

# "name object" for each global defined: code, data, bss, read-only.
# shellcheck disable=SC2086 # objs is a list of paths without spaces
nm -A -P -g --defined-only "$TOP/build/liblogbook.a" $objs 2>/dev/null |
    awk -v top="$TOP/build/" '
	$3 !~ /^[TDBRCGS]$/ { next }
	{
		o = $1
		sub(/:$/, "", o)
		if (index(o, top) == 1)
			o = substr(o, length(top) + 1)
		if ($2 == "main" && o ~ /^tools\//)
			next
		print $2, o
	}' | sort >defs

check "symbols: nm lists the globals of the library" grep -q ' liblogbook' defs
dups=$(awk '{ n[$1]++ } n[$1] == 2 { print $1 }' defs)
if [ -z "$dups" ]; then
	ok "symbols: no global name is defined twice"
fi
for s in $dups; do
	notok "symbols: $s is defined in $(awk -v s="$s" '
	    $1 == s { w = w (w == "" ? "" : " ") $2 } END { print w }' defs)"
done
