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
    "$? $(cat restore.err)" "0 "

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
