# bench stage "aggregate" (sourced by bench/run, which see): events to
# hourly rows by method and path.  logbook-aggregate on one thread (-j 1),
# on one thread per core (-j N, its default), and split over the cores
# with GNU parallel, against Miller, sqlite3 and DuckDB, on the events of
# 1,000,000 generated nginx lines (with request times); then
# logbook-aggregate's peak memory on 1M and on 5M events over 3 days.
#
# The peers, each over the same NDJSON file:
#   mlr         mlr --ijson stats1 -a count,sum -f bytes -g hour,method,path
#               (count and sum only: Miller's fastest; with distinct counts
#               and percentiles it takes about twice as long and 11 GB)
#   sqlite3     .import of the lines as text into an in-memory table, then
#               GROUP BY with ->> : count, sum, count(DISTINCT ip), max(rt),
#               min and max ts (sqlite3 has no percentiles)
#   duckdb      @duckdb/node-api from npm (installed under bench/out when
#               npm is there), its default threads (one per core):
#               read_json, then count, sum, count(DISTINCT ip), status
#               classes, quantile_disc(rt, [0.5, 0.95, 0.99]), max(rt),
#               min and max ts
# Goals: 1,000,000 events/s on one core (-j 1); 15x Miller (-j 1); 2x
# DuckDB, both with one thread per core; under 200 MiB for 5M events over
# 3 days with 5,000 paths (the default -j).

LINES=1000000
LOG=$OUT/access-rt-1m.log
EV=$OUT/events-rt-1m.ndjson
BIG=$OUT/events-rt-5m.ndjson
GOAL_RATE=1000000
GOAL_MLR=15
GOAL_DUCKDB=2
GOAL_RSS_KIB=204800

events() {
	logbook-genlog --lines "$1" --seed 1 --days 3 --format nginx |
	    logbook-ingest
}

if [ ! -s "$EV" ]; then
	echo "generating $EV" >&2
	gen "$EV" events $LINES || exit 1
fi
peer /usr/bin/time time || exit 1

# DuckDB comes from npm, with its own prebuilt engine, into bench/out.
duck=
if command -v node >/dev/null 2>&1; then
	if [ ! -d "$OUT/duckdb/node_modules/@duckdb/node-api" ] &&
	    command -v npm >/dev/null 2>&1; then
		echo "bench: installing @duckdb/node-api under $OUT/duckdb" >&2
		npm install --silent --prefix "$OUT/duckdb" @duckdb/node-api \
		    >&2 || true
	fi
	if [ -d "$OUT/duckdb/node_modules/@duckdb/node-api" ]; then
		duck=$OUT/duckdb/aggregate.mjs
		cat >"$duck" <<'EOF'
import { DuckDBInstance } from '@duckdb/node-api';
const [file, out] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`COPY (
  SELECT date_trunc('hour', ts::TIMESTAMP) AS hour, method, path,
    count(*) AS requests, sum(bytes) AS bytes,
    count(*) FILTER (WHERE bytes IS NULL) AS bytes_null,
    count(DISTINCT ip) AS uniq_ips,
    count(*) FILTER (WHERE status BETWEEN 100 AND 199) AS s1xx,
    count(*) FILTER (WHERE status BETWEEN 200 AND 299) AS s2xx,
    count(*) FILTER (WHERE status BETWEEN 300 AND 399) AS s3xx,
    count(*) FILTER (WHERE status BETWEEN 400 AND 499) AS s4xx,
    count(*) FILTER (WHERE status BETWEEN 500 AND 599) AS s5xx,
    quantile_disc(rt, [0.5, 0.95, 0.99]) AS rt_p, max(rt) AS rt_max,
    min(ts) AS first, max(ts) AS last
  FROM read_json('${file}', format = 'newline_delimited',
    columns = {ts: 'VARCHAR', ip: 'VARCHAR', method: 'VARCHAR',
      path: 'VARCHAR', status: 'INTEGER', bytes: 'BIGINT', rt: 'DOUBLE'})
  GROUP BY ALL ORDER BY ALL) TO '${out}' (FORMAT csv, HEADER false)`);
EOF
	else
		echo "bench: DuckDB (npm @duckdb/node-api) missing: skipping it" >&2
	fi
fi

# The contenders, side by side in one hyperfine run.
NJ=$(nproc)
set -- "logbook-aggregate -j 1" "logbook-aggregate -j 1 '$EV' >'$OUT/agg.rows'" \
    "logbook-aggregate -j $NJ" "logbook-aggregate -j $NJ '$EV' >'$OUT/agg-j.rows'"
have_par=0
if peer parallel parallel; then
	have_par=1
	set -- "$@" "logbook-aggregate -p | -m, $(nproc) jobs" \
	    "parallel --pipepart --block -1 -a '$EV' logbook-aggregate -p |
logbook-aggregate -m >'$OUT/agg-par.rows'"
fi
if [ -n "$duck" ]; then
	set -- "$@" duckdb "NODE_PATH='$OUT/duckdb/node_modules' \
node '$duck' '$EV' '$OUT/duckdb.rows'"
fi
have_sqlite=0
if peer sqlite3 sqlite3; then
	have_sqlite=1
	cat >"$OUT/aggregate.sql" <<EOF
CREATE TABLE t(j TEXT);
.mode ascii
.separator "\\037" "\\n"
.import '$EV' t
.mode list
.output '$OUT/sqlite.rows'
SELECT substr(j->>'ts', 1, 13), j->>'method', j->>'path', count(*),
  sum(j->>'bytes'), count(DISTINCT j->>'ip'), max(j->>'rt'),
  min(j->>'ts'), max(j->>'ts')
FROM t GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
EOF
	set -- "$@" sqlite3 "sqlite3 :memory: <'$OUT/aggregate.sql'"
fi
have_mlr=0
if peer mlr miller; then
	have_mlr=1
	set -- "$@" mlr "mlr --ijson --ojsonl put '\$hour = substr(\$ts, 0, 12)' \
then stats1 -a count,sum -f bytes -g hour,method,path '$EV' >'$OUT/mlr.rows'"
fi
peer hyperfine hyperfine || true
measure "$OUT/aggregate.json" "$@" >"$OUT/aggregate.times" || exit 1

# Each did the whole job: as many rows as logbook-aggregate, every event.
n_lb=$(wc -l <"$OUT/agg.rows")
req=$(sed 's/.*"requests":\([0-9]*\).*/\1/' "$OUT/agg.rows" |
    awk '{ s += $1 } END { print s }')
n_j=$(cmp -s "$OUT/agg.rows" "$OUT/agg-j.rows" && echo same || echo differ)
n_par=-
[ $have_par = 1 ] && n_par=$(cmp -s "$OUT/agg.rows" "$OUT/agg-par.rows" &&
    echo same || echo differ)
n_duck=-
[ -n "$duck" ] && n_duck=$(wc -l <"$OUT/duckdb.rows")
n_sqlite=-
[ $have_sqlite = 1 ] && n_sqlite=$(wc -l <"$OUT/sqlite.rows")
n_mlr=-
[ $have_mlr = 1 ] && n_mlr=$(wc -l <"$OUT/mlr.rows")

rss1=$(peak_rss logbook-aggregate "$EV") || exit 1
echo "generating $BIG" >&2
trap 'rm -f "$BIG" "$BIG.tmp"' EXIT
trap 'exit 130' INT TERM
gen "$BIG" events $((5 * LINES)) || exit 1
rss5=$(peak_rss logbook-aggregate "$BIG") || exit 1
rss5j1=$(peak_rss logbook-aggregate -j 1 "$BIG") || exit 1
rows5=$(logbook-aggregate "$BIG" | wc -l)
rm -f "$BIG"

size=$(wc -c <"$EV")
peers="logbook-aggregate $(logbook-aggregate --version | cut -d ' ' -f 2)"
[ $have_par = 1 ] && peers="$peers, GNU parallel $(parallel --version |
    head -n 1 | awk '{ print $3 }')"
[ -n "$duck" ] && peers="$peers, DuckDB $(cd "$OUT/duckdb" &&
    npm ls @duckdb/node-api 2>/dev/null | sed -n 's/.*@duckdb\/node-api@//p')"
[ $have_sqlite = 1 ] && peers="$peers, sqlite3 $(sqlite3 --version |
    cut -d ' ' -f 1)"
[ $have_mlr = 1 ] && peers="$peers, $(mlr --version)"
command -v hyperfine >/dev/null 2>&1 && peers="$peers, $(hyperfine --version)"
peers="$peers; $(nproc) cores"
how="one run"
command -v hyperfine >/dev/null 2>&1 && how="hyperfine median of 3 runs"
awk -v events=$LINES -v size="$size" -v rss1="$rss1" -v rss5="$rss5" \
    -v rows5="$rows5" -v n_lb="$n_lb" -v req="$req" -v n_par="$n_par" \
    -v nj="$NJ" -v n_j="$n_j" -v rss5j1="$rss5j1" \
    -v n_duck="$n_duck" -v n_sqlite="$n_sqlite" -v n_mlr="$n_mlr" \
    -v g_rate=$GOAL_RATE -v g_mlr=$GOAL_MLR -v g_duck=$GOAL_DUCKDB \
    -v g_rss=$GOAL_RSS_KIB -v how="$how" -v peers="$peers" \
    "$(cat "$TOP/bench/table.awk")"'
END {
	one = "logbook-aggregate -j 1"
	all = "logbook-aggregate -j " nj
	lb = t[one]
	lbn = t[all]
	printf "\naggregate: %s events, %.1f MB of NDJSON, %s\n",
	    commas(events), size / 1e6, how
	printf "peers: %s\n\n", peers
	printf "%-32s %9s %9s %12s %10s %10s\n", "tool", "seconds", "cpu s",
	    "events/s", "-j 1 is", "-j " nj " is"
	for (i = 1; i <= n; i++) {
		k = order[i]
		printf "%-32s %9.3f %9s %12s", k, t[k], cpu[k] == "-" ? "-" : \
		    sprintf("%.3f", cpu[k]), commas(events / t[k])
		if (k != one)
			printf " %9.2fx", t[k] / lb
		else
			printf " %10s", ""
		if (k != all && k != one)
			printf " %9.2fx", t[k] / lbn
		printf "\n"
	}
	printf "\n%-44s %-20s %s\n", "goal", "measured", ""
	printf "%-44s %-20s %s\n", "-j 1 >= " commas(g_rate) \
	    " events/s", commas(events / lb), verdict(events / lb >= g_rate)
	c = cpu[one]
	if (c != "-" && c > 0)
		printf "%-44s %-20s %s\n", "  the same per CPU second (busy machine)",
		    commas(events / c), verdict(events / c >= g_rate)
	if ("mlr" in t)
		printf "%-44s %-20s %s\n", "-j 1 >= " g_mlr "x Miller (count, sum)",
		    sprintf("%.1fx", t["mlr"] / lb),
		    verdict(t["mlr"] / lb >= g_mlr)
	if ("duckdb" in t) {
		printf "%-44s %-20s %s\n", "-j " nj " >= " g_duck \
		    "x DuckDB, " nj " threads each",
		    sprintf("%.2fx", t["duckdb"] / lbn),
		    verdict(t["duckdb"] / lbn >= g_duck)
		printf "%-44s %-20s %s\n", "  -j 1 against DuckDB with " nj " threads",
		    sprintf("%.2fx", t["duckdb"] / lb), ""
	}
	printf "%-44s %-20s %s\n", "peak RSS, 1M events",
	    sprintf("%.1f MiB", rss1 / 1024), ""
	printf "%-44s %-20s %s\n", "peak RSS < 200 MiB, 5M events, " \
	    commas(rows5) " rows", sprintf("%.1f MiB", rss5 / 1024),
	    verdict(rss5 < g_rss)
	printf "%-44s %-20s %s\n", "  the same with -j 1",
	    sprintf("%.1f MiB", rss5j1 / 1024), verdict(rss5j1 < g_rss)
	printf "\n%-44s %-20s %s\n", "check", "counted", ""
	row("logbook-aggregate: requests of all rows", req, events)
	row("-j " nj ": the same rows as -j 1", n_j, "same")
	if (n_par != "-")
		row("parallel -p | -m: the same rows", n_par, "same")
	if (n_duck != "-")
		row("duckdb: as many rows", n_duck, n_lb)
	if (n_sqlite != "-")
		row("sqlite3: as many rows", n_sqlite, n_lb)
	if (n_mlr != "-")
		row("mlr: as many rows", n_mlr, n_lb)
}' "$OUT/aggregate.times"

[ "$req" = $LINES ] || exit 1
for n in "$n_duck" "$n_sqlite" "$n_mlr"; do
	[ "$n" = - ] || [ "$n" = "$n_lb" ] || exit 1
done
[ "$n_par" = - ] || [ "$n_par" = same ] || exit 1
[ "$n_j" = same ] || exit 1
