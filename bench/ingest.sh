# bench stage "ingest" (sourced by bench/run, which see): access log lines
# to events.  logbook-ingest against a careful mawk script (clf2json.awk)
# and GoAccess's JSON report, on 1,000,000 generated combined lines, then
# logbook-ingest's peak memory on 1M and 5M lines.

LINES=1000000
LOG=$OUT/access-1m.log
BIG=$OUT/access-5m.log
GOAL_RATE=2000000
GOAL_MAWK=10
GOAL_GOACCESS=25
GOAL_RSS_KIB=16384

if [ ! -s "$LOG" ]; then
	echo "generating $LOG" >&2
	gen "$LOG" logbook-genlog --lines $LINES --seed 1 --days 3 || exit 1
fi
peer /usr/bin/time time || exit 1

# The contenders, side by side in one hyperfine run.
set -- logbook-ingest "logbook-ingest '$LOG' >/dev/null"
have_mawk=0
if peer mawk mawk; then
	have_mawk=1
	set -- "$@" mawk "mawk -f '$TOP/bench/clf2json.awk' '$LOG' >/dev/null"
fi
have_goaccess=0
if peer goaccess goaccess; then
	have_goaccess=1
	set -- "$@" goaccess "goaccess --log-format=COMBINED --no-progress \
-o '$OUT/report.json' '$LOG' </dev/null >/dev/null 2>&1"
fi
peer hyperfine hyperfine || true
measure "$OUT/ingest.json" "$@" >"$OUT/ingest.times" || exit 1

# Each did the whole job: as many events as lines, a full report.
n_lb=$(logbook-ingest "$LOG" | wc -l)
n_mawk=-
[ $have_mawk = 1 ] &&
    n_mawk=$(mawk -f "$TOP/bench/clf2json.awk" "$LOG" | wc -l)
n_goa=-
[ $have_goaccess = 1 ] &&
    n_goa=$(sed -n 's/.*"valid_requests": *\([0-9]*\).*/\1/p' \
    "$OUT/report.json" | head -n 1)

rss1=$(peak_rss logbook-ingest "$LOG") || exit 1
echo "generating $BIG" >&2
trap 'rm -f "$BIG" "$BIG.tmp"' EXIT
trap 'exit 130' INT TERM
gen "$BIG" logbook-genlog --lines $((5 * LINES)) --seed 1 --days 3 || exit 1
rss5=$(peak_rss logbook-ingest "$BIG") || exit 1
rm -f "$BIG"

size=$(wc -c <"$LOG")
peers="logbook-ingest $(logbook-ingest --version | cut -d ' ' -f 2)"
[ $have_mawk = 1 ] && peers="$peers, $(mawk -W version 2>&1 | head -n 1)"
[ $have_goaccess = 1 ] &&
    peers="$peers, $(goaccess --version | head -n 1 | sed 's/ - / /; s/\.$//')"
command -v hyperfine >/dev/null 2>&1 && peers="$peers, $(hyperfine --version)"
peers="$peers; $(nproc) cores"
how="one run"
command -v hyperfine >/dev/null 2>&1 && how="hyperfine median of 3 runs"
awk -v lines=$LINES -v size="$size" -v rss1="$rss1" -v rss5="$rss5" \
    -v n_lb="$n_lb" -v n_mawk="$n_mawk" -v n_goa="$n_goa" \
    -v g_rate=$GOAL_RATE -v g_mawk=$GOAL_MAWK -v g_goa=$GOAL_GOACCESS \
    -v g_rss=$GOAL_RSS_KIB -v how="$how" -v peers="$peers" \
    "$(cat "$TOP/bench/table.awk")"'
END {
	lb = t["logbook-ingest"]
	printf "\ningest: %s combined lines, %.1f MB, %s\n", commas(lines),
	    size / 1e6, how
	printf "peers: %s\n\n", peers
	printf "%-16s %9s %9s %12s %12s\n", "tool", "seconds", "cpu s",
	    "lines/s", "logbook is"
	for (i = 1; i <= n; i++) {
		k = order[i]
		printf "%-16s %9.3f %9s %12s", k, t[k], cpu[k] == "-" ? "-" : \
		    sprintf("%.3f", cpu[k]), commas(lines / t[k])
		if (k != "logbook-ingest")
			printf " %11.1fx", t[k] / lb
		printf "\n"
	}
	printf "\n%-44s %-20s %s\n", "goal", "measured", ""
	printf "%-44s %-20s %s\n", "logbook-ingest >= " commas(g_rate) \
	    " lines/s", commas(lines / lb), verdict(lines / lb >= g_rate)
	if ("mawk" in t)
		printf "%-44s %-20s %s\n", ">= " g_mawk "x mawk clf2json.awk",
		    sprintf("%.1fx", t["mawk"] / lb),
		    verdict(t["mawk"] / lb >= g_mawk)
	if ("goaccess" in t)
		printf "%-44s %-20s %s\n", ">= " g_goa "x goaccess",
		    sprintf("%.1fx", t["goaccess"] / lb),
		    verdict(t["goaccess"] / lb >= g_goa)
	printf "%-44s %-20s %s\n", "peak RSS < 16 MiB, 1M lines",
	    sprintf("%.1f MiB", rss1 / 1024), verdict(rss1 < g_rss)
	printf "%-44s %-20s %s\n", "peak RSS < 16 MiB, 5M lines",
	    sprintf("%.1f MiB", rss5 / 1024), verdict(rss5 < g_rss)
	printf "\n%-44s %-20s %s\n", "check", "counted", ""
	printf "%-44s %-20s %s\n", "logbook-ingest: one event per line",
	    n_lb, n_lb == lines ? "ok" : "WRONG"
	if (n_mawk != "-")
		printf "%-44s %-20s %s\n", "mawk: as many lines as logbook-ingest",
		    n_mawk, n_mawk == n_lb ? "ok" : "WRONG"
	if (n_goa != "-")
		printf "%-44s %-20s %s\n", "goaccess: valid requests",
		    n_goa, n_goa == lines ? "ok" : "WRONG"
}' "$OUT/ingest.times"

[ "$n_lb" = $LINES ] || exit 1
[ "$n_mawk" = - ] || [ "$n_mawk" = "$n_lb" ] || exit 1
[ "$n_goa" = - ] || [ "$n_goa" = $LINES ] || exit 1
