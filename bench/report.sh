# bench stage "report" (sourced by bench/run, which see): one HTML page
# over 400 days.  logbook-report reads the monthly tier (the hourly rows
# of 14 monthly archives, as logbook-retention leaves them) of 1,000,000
# generated combined lines spread over 400 days; GoAccess makes its HTML
# report from the log itself, as its users do for a span of months.
# Goals (the report issue): under a second and a page under 2 MB for
# the 400 days; and the page's requests equal the log's lines.

LINES=1000000
LOG=$OUT/access-400d.log
DIR=$OUT/report-monthly
GOAL_S=1
GOAL_BYTES=2000000

if [ ! -s "$LOG" ]; then
	echo "generating $LOG" >&2
	gen "$LOG" logbook-genlog --lines $LINES --days 400 --seed 3 \
	    --start 2024-09-01 || exit 1
fi
if [ ! -d "$DIR" ]; then
	logbook-ingest -q "$LOG" | logbook-aggregate |
	    logbook-archive --hourly -d "$DIR.tmp" >/dev/null &&
	    mv "$DIR.tmp" "$DIR" || exit 1
fi
peer /usr/bin/time time || exit 1
if peer goaccess goaccess; then
	ga="goaccess --log-format=COMBINED --no-global-config -o $OUT/goaccess.html $LOG"
	measure "$OUT/report-page.json" logbook-report \
	    "logbook-report -o $OUT/report.html $DIR" goaccess "$ga" \
	    >"$OUT/report-page.times" || exit 1
else
	measure "$OUT/report-page.json" logbook-report \
	    "logbook-report -o $OUT/report.html $DIR" >"$OUT/report-page.times" ||
	    exit 1
fi
rss=$(peak_rss logbook-report "$DIR")
req=$(grep -o 'id="total-requests" data-value="[0-9]*"' "$OUT/report.html" |
    sed 's/.*="//; s/"//')
bytes=$(wc -c <"$OUT/report.html")
gbytes=$( [ -s "$OUT/goaccess.html" ] && wc -c <"$OUT/goaccess.html" || echo -)
awk -v lines=$LINES -v bytes="$bytes" -v gbytes="$gbytes" -v rss="$rss" \
    -v req="$req" -v gs=$GOAL_S -v gb=$GOAL_BYTES '
	{ t[$1] = $2; c[$1] = $3 == "-" ? "-" : sprintf("%.3f", $3) }
	END {
		printf "\nreport: %d lines over 400 days, the page from 14 monthly archives\n\n", lines
		printf "%-16s %9s %9s %12s\n", "tool", "seconds", "cpu s", "page bytes"
		printf "%-16s %9.3f %9s %12d\n", "logbook-report", t["logbook-report"], c["logbook-report"], bytes
		if ("goaccess" in t)
			printf "%-16s %9.3f %9s %12s   (%.0fx logbook-report)\n", "goaccess",
			    t["goaccess"], c["goaccess"], gbytes, t["goaccess"] / t["logbook-report"]
		printf "\n%-40s %-16s %s\n", "goal", "measured", ""
		printf "%-40s %-16s %s\n", "400 days in under " gs " s", sprintf("%.3f s", t["logbook-report"]),
		    t["logbook-report"] < gs ? "met" : "MISSED"
		printf "%-40s %-16s %s\n", "a page under " gb " bytes", bytes, bytes < gb ? "met" : "MISSED"
		printf "%-40s %-16s %s\n", "requests on the page = lines", req, req == lines ? "met" : "MISSED"
		printf "%-40s %-16s\n", "peak RSS", sprintf("%.1f MiB", rss / 1024)
	}' "$OUT/report-page.times"
