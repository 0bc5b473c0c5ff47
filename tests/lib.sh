# Helpers for tests/sh/*.sh: each check prints "ok - name" or "not ok".
# Scripts run in a scratch folder; $TOP is the project root.
PATH=$TOP/bin:$TOP/build/testtools:$PATH
export PATH
SHARED=$TOP/../shared

ok() {
	echo "ok - $*"
}

notok() {
	echo "not ok - $*"
}

# skip NAME: WHY: a test that cannot run on this machine, counted and
# named in the closing line of tests/run, never passed.
skip() {
	echo "skip - $*"
}

# check NAME COMMAND...: ok when the command succeeds.
check() {
	_n=$1
	shift
	if "$@"; then ok "$_n"; else notok "$_n"; fi
}

# check_eq NAME GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		notok "$1: got '$2', want '$3'"
	fi
}

# same_file NAME A B: byte-identical files.
same_file() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		notok "$1: $2 and $3 differ: $(cmp "$2" "$3" 2>&1 | head -1)"
	fi
}
