#!/bin/sh
# make lint: cppcheck and clang-tidy (configured by .clang-tidy) on the C
# sources, shellcheck -x on the jobs and their library.  One `ok - lint:
# TOOL` or `not ok - lint: TOOL` line each, the findings after a failure;
# exits non-zero when any tool found something.
set -u
cd "$(dirname "$0")/.." || exit 2
rc=0
out=${TMPDIR:-/tmp}/logbook-lint.$$
ver=${TMPDIR:-/tmp}/logbook-lint-version.$$.h
trap 'rm -f "$out" "$ver"' EXIT INT TERM
# VERSION, which the Makefile gives as a quoted -D, from a header: the
# flags below pass through sh -c unquoted.
echo '#define VERSION "0"' >"$ver"
LINT_CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -include $ver -I$(pwd)/lib \
$(pkg-config --cflags zlib libarchive sqlite3 2>/dev/null)"
export LINT_CFLAGS
set -- lib/*.c tools/*/*.c

# report NAME: ok when $out is empty, else the findings and not ok.
report() {
	if [ -s "$out" ]; then
		echo "not ok - lint: $1"
		sed 's/^/# /' "$out"
		rc=1
	else
		echo "ok - lint: $1"
	fi
}

for t in cppcheck clang-tidy shellcheck; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "not ok - lint: $t is not installed"
		rc=1
	fi
done

# Warnings and portability: style is clang-format's and the reviewer's.
cppcheck -q -j 2 --std=c11 --enable=warning,portability --inline-suppr \
    --error-exitcode=0 --template='{file}:{line}: {message} [{id}]' \
    -D_POSIX_C_SOURCE=200809L -Ilib "$@" >"$out" 2>&1
report cppcheck

# shellcheck disable=SC2016 # sh -c expands them
printf '%s\n' "$@" | xargs -P 2 -n 4 sh -c \
    'clang-tidy --quiet "$@" -- $LINT_CFLAGS 2>/dev/null' sh |
    grep -E '(warning|error):' >"$out"
report clang-tidy

shellcheck -x bin/logbook-backup bin/logbook-retention bin/logbook-drill \
    lib/logbook.sh tests/lint.sh >"$out" 2>&1
report shellcheck
exit $rc
