#!/bin/sh
# `make drill` until the restore drill exists: the pipeline on built-in
# sample data, with every count checked.  Exits 0 only when all match.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$top/build/testtools:$PATH
tmp=$(mktemp -d "${TMPDIR:-/tmp}/logbook-drill.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 1
fail=0

row() {
	printf '%-44s %12s %12s  %s\n' "$1" "$2" "$3" "$4"
	[ "$4" = ok ] || fail=1
}
same() { [ "$1" = "$2" ] && echo ok || echo FAIL; }

lines=200000
logbook-genlog --lines $lines --days 3 --end now --seed 42 \
    --bad-rate 0.01 --stats > access.log 2> gen.json || exit 1
bad=$(sed 's/.*"rejectable": *\([0-9]*\).*/\1/' gen.json)
logbook-ingest -q -s demo -r rejects.log access.log > events.ndjson
rc=$?
ev=$(wc -l < events.ndjson)
rj=$(wc -l < rejects.log)

printf '%-44s %12s %12s  %s\n' check got want result
row "ingest exit status" "$rc" 0 "$(same "$rc" 0)"
row "lines in = events + rejects" "$((ev + rj))" "$lines" \
    "$(same $((ev + rj)) $lines)"
row "rejects (malformed lines the generator made)" "$rj" "$bad" \
    "$(same "$rj" "$bad")"
lb-evline < events.ndjson > back.log
cat back.log rejects.log | sort > got
sort access.log > want
r=$(cmp -s got want && echo ok || echo FAIL)
row "every line given back byte for byte" "$(wc -l < got)" "$lines" "$r"
newest=$(cut -d'"' -f8 events.ndjson | sort | tail -n 1)
row "newest event (UTC)" "$newest" "-" ok
if command -v logbook-aggregate >/dev/null 2>&1; then
	logbook-aggregate events.ndjson > hourly.ndjson
	n=$(sed 's/.*"requests":\([0-9]*\).*/\1/' hourly.ndjson |
	    awk '{ s += $1 } END { print s + 0 }')
	row "hourly requests add up to events" "$n" "$ev" "$(same "$n" "$ev")"
fi
[ "$fail" = 0 ] && echo "drill: all checks passed" ||
	echo "drill: FAILED" >&2
exit "$fail"
