# logbook-genlog: determinism, and logs that logbook-ingest agrees with.
. "$TOP/tests/lib.sh"

# ts ARGS...: the UTC times logbook-ingest reads from a generated log.
ts() {
	logbook-genlog "$@" | logbook-ingest -q |
	    sed 's/^.*"ts":"\([^"]*\)".*$/\1/'
}

# Same arguments, same bytes; whatever the locale and the time zone.
A="--lines 20000 --days 2 --format nginx --bad-rate 0.05 --tz -0530"
logbook-genlog $A > a.log
logbook-genlog $A > b.log
same_file "genlog: two runs are identical" a.log b.log
TZ=America/New_York LC_ALL=C.UTF-8 logbook-genlog $A > c.log
same_file "genlog: independent of TZ and the locale" a.log c.log
logbook-genlog $A --seed 2 > d.log
check "genlog: another seed, another log" sh -c '! cmp -s a.log d.log'

# Every line of every format is one logbook-ingest takes, strictly.
for f in combined common vhost_combined nginx; do
	logbook-genlog --lines 2000 --days 2 --tz -0530 --format $f > $f.log
	logbook-ingest -f $f --strict -q $f.log > $f.ev
	check_eq "genlog: $f: logbook-ingest --strict exits 0" $? 0
	check_eq "genlog: $f: one event per line" "$(wc -l < $f.ev)" 2000
done
check_eq "genlog: nginx: every event has a request time" \
    "$(grep -c '"rt":null' nginx.ev)" 0
check_eq "genlog: nginx: request times are numbers" \
    "$(grep -c '"rt":[0-9]' nginx.ev)" 2000

# The formats describe the same requests.
awk '{ print $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }' combined.log \
    > combined.cut
same_file "genlog: common is combined without its last fields" \
    combined.cut common.log
cut -d ' ' -f 2- vhost_combined.log > vhost.cut
same_file "genlog: vhost_combined is combined after the host" \
    vhost.cut combined.log

# --bad-rate: logbook-ingest rejects exactly the rejectable lines.
logbook-genlog --lines 20000 --bad-rate 0.05 --stats > bad.log 2> stats.json
logbook-ingest -f combined -q -r rejects bad.log > bad.ev
rej=$(sed 's/.*"rejectable":\([0-9]*\).*/\1/' stats.json)
mal=$(sed 's/.*"malformed":\([0-9]*\).*/\1/' stats.json)
check "genlog: some lines are rejectable" test "$rej" -gt 500
check_eq "genlog: rejected lines = rejectable" "$(wc -l < rejects)" "$rej"
check_eq "genlog: events = lines - rejectable" "$(wc -l < bad.ev)" \
    "$((20000 - rej))"

# ... and leaves the well-formed lines alone: only malformed ones differ.
logbook-genlog --lines 20000 > good.log
LC_ALL=C awk 'NR == FNR { a[FNR] = $0; next } a[FNR] != $0 { d++ }
    END { print d + 0 }' good.log bad.log > ndiff
check_eq "genlog: lines that differ = malformed" "$(cat ndiff)" "$mal"

# --tz writes other clocks for the same instants.
ts --lines 3000 > utc.ts
ts --lines 3000 --tz -0530 > west.ts
ts --lines 3000 --tz +0330 > east.ts
same_file "genlog: -0530 is the same instants" utc.ts west.ts
same_file "genlog: +0330 is the same instants" utc.ts east.ts
check_eq "genlog: -0530 writes local time" \
    "$(logbook-genlog --lines 1 --tz -0530 | cut -d ' ' -f 4-5)" \
    "[13/Oct/2025:18:03:31 -0530]"

# --end: the log lies in the days before that instant.
ts --lines 5000 --days 2 --end 2025-10-14T12:34:56Z | sort > end.ts
check "genlog: --end: nothing before the window" \
    test "$(head -n 1 end.ts)" \> "2025-10-12T12:34:55Z"
check "genlog: --end: nothing at or after the end" \
    test "$(tail -n 1 end.ts)" \< "2025-10-14T12:34:56Z"
check "genlog: --end: the newest line is less than an hour old" \
    test "$(tail -n 1 end.ts)" \> "2025-10-14T11:34:56Z"
hour_ago=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
check "genlog: --end now: the newest line is less than an hour old" \
    test "$(ts --end now | sort | tail -n 1)" \> "$hour_ago"

# The realism the benchmarks rely on, roughly.
logbook-genlog --lines 100000 --days 3 > big.log
LC_ALL=C awk '
	$1 ~ /:/ { v6++ }
	$9 == 200 { ok++ }
	{ none = $9 == 304 || $9 == 204 || $6 == "\"HEAD" }
	none && $10 != "-" { bytes++ }
	!none && $10 == "-" && $9 != 200 && $9 != 201 { bytes++ }
	{ split($4, t, ":"); s = t[2] * 3600 + t[3] * 60 + t[4] }
	NR > 1 && s < p && p - s < 60 { ooo++ }
	{ p = s; ip[$1]; tg[$7] }
	END {
		n = 0; for (k in ip) n++
		m = 0; for (k in tg) m++
		printf "%d %d %d %d %d %d\n", v6 * 1000 / NR, ok * 100 / NR,
		    bytes, ooo * 10000 / NR, n, m
	}' big.log > shape
read v6 ok bytes ooo nip ntg < shape
check "genlog: IPv6 about 8% ($v6 per mille)" test "$v6" -ge 50 -a "$v6" -le 120
check "genlog: 200 about 81% ($ok%)" test "$ok" -ge 75 -a "$ok" -le 87
check_eq "genlog: '-' bytes exactly for 304, 204, HEAD, empty pages" \
    "$bytes" 0
check "genlog: some lines out of order ($ooo per 10000)" \
    test "$ooo" -ge 10 -a "$ooo" -le 60
check "genlog: thousands of clients ($nip)" test "$nip" -ge 5000
check "genlog: thousands of targets ($ntg)" test "$ntg" -ge 2000
