# logbook-archive reads each line back from its input through a window:
# on an input in time order (lines of a second a few KiB out of id order,
# as servers write them) the count of reads must stay near one per MiB.
# Counted with strace, so the check does not depend on the machine's speed.
. "$TOP/tests/lib.sh"

logbook-genlog --lines 60000 --days 1 --seed 5 | logbook-ingest >ev.ndjson
size=$(wc -c <ev.ndjson)
if ! command -v strace >/dev/null 2>&1; then
	notok "archive reads: strace is missing (tests/deps.sh installs it)"
	exit 0
fi
strace -f -qq -e trace=pread64 -o trace logbook-archive -d a ev.ndjson \
    >/dev/null
reads=$(grep -c 'pread64(' trace)
# One read per MiB, for each pass over the line windows, and a margin.
limit=$((2 * size / 1048576 + 64))
if [ "$reads" -le "$limit" ]; then
	ok "archive reads: $reads reads for $size bytes"
else
	notok "archive reads: $reads reads for $size bytes, want <= $limit"
fi
check "archive reads: the archive verifies" logbook-verify -q a
