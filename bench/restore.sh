# bench stage "restore" (sourced by bench/run, which see): archives into
# SQLite.  logbook-restore loads the archives of the 1,000,000-line
# benchmark log (bench/out/access-1m.log, three days) into a new
# database, against:
#
#   ceiling       a minimal C loop (compiled here, with lib/): the same
#                 NDJSON, uncompressed, parsed by lib/event, one prepared
#                 INSERT OR IGNORE, one transaction, into the schema
#                 logbook-restore makes, with its settings (WAL,
#                 synchronous FULL, 64 MiB cache, no mutexes); no
#                 verification, no gzip, no hourly rows
#   sqlite3       .import --csv of the same events as CSV (from
#                 logbook-restore --emit csv) into that same schema
#   bare .import  the same .import into a new file and a table it makes
#                 from the CSV's header: no key, no index, no checks,
#                 the bar logbook-restore into a new database must clear
#   sqlite-utils  sqlite-utils insert --nl --pk id of the same NDJSON
#                 (one run: it takes a minute)
#
# and logbook-restore --ndjson of that same NDJSON file into a new
# database (every line checked as an archive's event, one transaction,
# no hourly rows), against sqlite-utils, the tool its users know.
#
# Each starts from no database.  Then, timed apart (median of 3, the
# copy not timed): the same events of a second host (source "b", so
# other ids) into a copy of the database that holds the first's, an
# existing database of a million events.  Goals: a new database no
# slower than the bare .import (<= 1.0x; 0.8x the moonshot), an
# existing one at least 70% of its speed, at least 70% of the ceiling's
# speed, at least 10x sqlite-utils (the archives and the NDJSON), and a
# peak RSS under 128 MiB, SQLite's page cache included.  Then a second
# restore of the same archives (nothing to add) is timed once.

LINES=1000000
LOG=$OUT/access-1m.log
ARCH=$OUT/restore-archives
EV=$OUT/restore-events.ndjson
CSV=$OUT/restore-events.csv
DB=$OUT/restore.db
ARCHB=$OUT/restore-archives-b
GOAL_CEILING=0.70
GOAL_SQLITE_UTILS=10
GOAL_BARE=1.0
GOAL_EXISTING=0.70
GOAL_RSS_KIB=$((128 * 1024))

archives() {
	rm -rf "$ARCH" "$ARCH.tmp"
	logbook-ingest "$LOG" | logbook-archive -d "$ARCH.tmp" >/dev/null &&
	    mv "$ARCH.tmp" "$ARCH"
}

# fresh DB: no database, or an empty one of logbook-restore's schema.
fresh() {
	rm -f "$1" "$1-wal" "$1-shm"
	[ "${2:-}" = schema ] && logbook-restore -q -d "$1" --check
	return 0
}

if [ ! -s "$LOG" ]; then
	echo "generating $LOG" >&2
	gen "$LOG" logbook-genlog --lines $LINES --seed 1 --days 3 || exit 1
fi
if [ ! -d "$ARCH" ] || [ "$LOG" -nt "$ARCH" ]; then
	echo "archiving $LOG into $ARCH" >&2
	archives || exit 1
	rm -f "$EV" "$CSV"
fi
if [ ! -d "$ARCHB" ] || [ "$LOG" -nt "$ARCHB" ]; then
	echo "archiving $LOG as a second host into $ARCHB" >&2
	rm -rf "$ARCHB" "$ARCHB.tmp"
	logbook-ingest -s b "$LOG" | logbook-archive -d "$ARCHB.tmp" >/dev/null &&
	    mv "$ARCHB.tmp" "$ARCHB" || exit 1
fi
[ -s "$EV" ] || gen "$EV" logbook-restore --emit ndjson "$ARCH" || exit 1
[ -s "$CSV" ] || gen "$CSV" logbook-restore --emit csv "$ARCH" || exit 1
peer /usr/bin/time time || exit 1
peer sqlite3 sqlite3 || exit 1

# The ceiling, built against lib/ as the programs are.
CEIL=$OUT/restore-ceiling
cat >"$CEIL.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "event.h"
#include "lineread.h"

static sqlite3 *db;

static void
die(const char *what)
{
	fprintf(stderr, "ceiling: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static void
text(sqlite3_stmt *st, int i, const struct span *s)
{
	int rc = s->p == NULL ? sqlite3_bind_null(st, i) :
	    sqlite3_bind_text(st, i, s->n ? s->p : "", (int)s->n,
	    SQLITE_STATIC);

	if (rc != SQLITE_OK)
		die("bind");
}

static void
bind(sqlite3_stmt *st, const struct event *ev)
{
	const struct rec *r = &ev->r;
	char rt[64];

	text(st, 1, &ev->id);
	text(st, 2, &ev->ts);
	text(st, 3, &r->tz);
	text(st, 4, &r->ip);
	text(st, 5, &r->ident);
	text(st, 6, &r->user);
	text(st, 7, &r->method);
	text(st, 8, &r->path);
	text(st, 9, &r->query);
	text(st, 10, &r->proto);
	text(st, 11, &r->req);
	if (ev->status < 0)
		sqlite3_bind_null(st, 12);
	else
		sqlite3_bind_int(st, 12, ev->status);
	if (ev->bytes < 0)
		sqlite3_bind_null(st, 13);
	else
		sqlite3_bind_int64(st, 13, ev->bytes);
	text(st, 14, &r->referer);
	text(st, 15, &r->ua);
	if (r->rt.p == NULL || r->rt.n >= sizeof(rt))
		sqlite3_bind_null(st, 16);
	else {
		memcpy(rt, r->rt.p, r->rt.n);
		rt[r->rt.n] = '\0';
		sqlite3_bind_double(st, 16, strtod(rt, NULL));
	}
	text(st, 17, &r->host);
	text(st, 18, &ev->src);
	text(st, 19, &ev->fmt);
	sqlite3_bind_null(st, 20);
	sqlite3_bind_int(st, 21, ev->cr);
	text(st, 22, &ev->raw64);
}

int
main(int argc, char **argv)
{
	struct lreader lr;
	struct line l;
	struct event ev;
	sqlite3_stmt *st;
	const char *why;
	long n = 0;

	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	if (argc != 3 || sqlite3_open(argv[1], &db) != SQLITE_OK)
		die("open");
	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = FULL; PRAGMA cache_size = -65536; BEGIN",
	    NULL, NULL, NULL) != SQLITE_OK)
		die("begin");
	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO events VALUES "
	    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st,
	    NULL) != SQLITE_OK)
		die("prepare");
	if (lr_open(&lr, argv[2]) < 0)
		die(argv[2]);
	event_init(&ev);
	while (lr_next(&lr, &l) > 0) {
		if (event_read(&ev, l.p, l.n, &why) < 0) {
			fprintf(stderr, "ceiling: %s\n", why);
			return 1;
		}
		bind(st, &ev);
		if (sqlite3_step(st) != SQLITE_DONE ||
		    sqlite3_reset(st) != SQLITE_OK)
			die("insert");
		n++;
	}
	if (sqlite3_finalize(st) != SQLITE_OK ||
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_close(db) != SQLITE_OK)
		die("commit");
	event_free(&ev);
	lr_close(&lr);
	return n > 0 ? 0 : 1;
}
EOF
# shellcheck disable=SC2046
${CC:-cc} -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I"$TOP/lib" \
    $(pkg-config --cflags sqlite3 2>/dev/null) -o "$CEIL" "$CEIL.c" \
    "$TOP/build/liblogbook.a" -lsqlite3 -larchive -lcsv -ldeflate -lz -lm \
    -lpthread || exit 1

# The contenders, side by side: each run starts from no database.
D=$OUT/restore-peer.db
DN=$OUT/restore-ndjson.db
set -- logbook-restore "rm -f $DB $DB-wal $DB-shm &&
logbook-restore -q -d $DB $ARCH"
set -- "$@" ceiling "rm -f $D $D-wal $D-shm &&
logbook-restore -q -d $D --check && $CEIL $D $EV"
set -- "$@" "restore --ndjson" "rm -f $DN $DN-wal $DN-shm &&
logbook-restore -q -d $DN --ndjson $EV"
set -- "$@" "sqlite3 .import" "rm -f $D $D-wal $D-shm &&
logbook-restore -q -d $D --check &&
sqlite3 $D '.import --csv --skip 1 $CSV events'"
DBARE=$OUT/restore-bare.db
set -- "$@" "bare .import" "rm -f $DBARE &&
sqlite3 $DBARE '.import --csv $CSV events'"
peer hyperfine hyperfine || true
measure "$OUT/restore.json" "$@" >"$OUT/restore.times" || exit 1
n_sqlite3=$(sqlite3 "$D" 'SELECT count(*) FROM events')
n_bare=$(sqlite3 "$DBARE" 'SELECT count(*) FROM events')
rm -f "$DBARE"
n_nd=$(sqlite3 "$DN" 'SELECT count(*) FROM events')
rm -f "$DN" "$DN-wal" "$DN-shm"
have_su=0
if peer sqlite-utils sqlite-utils; then
	have_su=1
	fresh "$D"
	t0=$(date +%s.%N)
	sqlite-utils insert "$D" events "$EV" --nl --pk id || exit 1
	t1=$(date +%s.%N)
	echo "sqlite-utils $(echo "$t0 $t1" | awk '{ print $2 - $1 }') -" \
	    >>"$OUT/restore.times"
	n_su=$(sqlite3 "$D" 'SELECT count(*) FROM events')
fi

# Into an existing database: a second host's archives.
BASE=$OUT/restore-base.db
DE=$OUT/restore-existing.db
fresh "$BASE"
logbook-restore -q -d "$BASE" "$ARCH" || exit 1
: >"$OUT/restore-existing.times"
for i in 1 2 3; do
	rm -f "$DE" "$DE-wal" "$DE-shm"
	cp "$BASE" "$DE" || exit 1
	t0=$(date +%s.%N)
	logbook-restore -q -d "$DE" "$ARCHB" || exit 1
	t1=$(date +%s.%N)
	echo "$t0 $t1" | awk '{ print $2 - $1 }' >>"$OUT/restore-existing.times"
done
existing=$(sort -n "$OUT/restore-existing.times" | sed -n 2p)
n_existing=$(sqlite3 "$DE" 'SELECT count(*) FROM events')
rm -f "$BASE" "$DE" "$DE-wal" "$DE-shm"

# The checks: each did the whole job.
fresh "$DB"
rss=$(peak_rss logbook-restore -q -d "$DB" --check "$ARCH") || exit 1
n_lb=$(sqlite3 "$DB" 'SELECT count(*) FROM events')
n_hourly=$(sqlite3 "$DB" 'SELECT sum(requests) FROM hourly')
t0=$(date +%s.%N)
logbook-restore -q -d "$DB" "$ARCH" || exit 1
t1=$(date +%s.%N)
again=$(echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }')
n_again=$(sqlite3 "$DB" 'SELECT count(*) FROM events')
fresh "$D" schema
"$CEIL" "$D" "$EV" || exit 1
n_ceil=$(sqlite3 "$D" 'SELECT count(*) FROM events')
rm -f "$D" "$D-wal" "$D-shm"

how="one run"
command -v hyperfine >/dev/null 2>&1 &&
    how="hyperfine median of 3 runs; sqlite-utils one run"
awk -v lines=$LINES -v rss="$rss" -v again="$again" -v how="$how" \
    -v n_lb="$n_lb" -v n_hourly="$n_hourly" -v n_again="$n_again" \
    -v n_ceil="$n_ceil" -v n_sqlite3="$n_sqlite3" -v n_su="${n_su:--}" \
    -v n_nd="$n_nd" -v existing="$existing" -v n_existing="$n_existing" \
    -v n_bare="$n_bare" -v g_bare=$GOAL_BARE -v g_existing=$GOAL_EXISTING \
    -v g_ceil=$GOAL_CEILING -v g_su=$GOAL_SQLITE_UTILS -v g_rss=$GOAL_RSS_KIB \
    "$(cat "$TOP/bench/table.awk")"'
END {
	lb = t["logbook-restore"]
	printf "\nrestore: %s events in 3 archives, %s\n\n", commas(lines), how
	printf "%-16s %9s %9s %12s %12s\n", "tool", "seconds", "cpu s",
	    "events/s", "logbook is"
	for (i = 1; i <= n; i++) {
		k = order[i]
		printf "%-16s %9.3f %9s %12s", k, t[k], cpu[k] == "-" ? "-" : \
		    sprintf("%.3f", cpu[k]), commas(lines / t[k])
		if (k != "logbook-restore")
			printf " %11.2fx", t[k] / lb
		printf "\n"
	}
	printf "%-16s %9.3f %9s %12s\n", "again (no-op)", again, "-",
	    commas(lines / again)
	printf "%-16s %9.3f %9s %12s %11.2fx\n", "existing db", existing, "-",
	    commas(lines / existing), existing / lb
	bare = t["bare .import"]
	printf "\n%-44s %-20s %s\n", "goal", "measured", ""
	printf "%-44s %-20s %s\n", "new db <= " g_bare "x bare .import (0.8x moonshot)",
	    sprintf("%.2fx", lb / bare), verdict(lb / bare <= g_bare)
	printf "%-44s %-20s %s\n", "existing db >= " g_existing * 100 "% of bare .import speed",
	    sprintf("%.0f%%", 100 * bare / existing),
	    verdict(bare / existing >= g_existing)
	printf "%-44s %-20s %s\n", ">= " g_ceil * 100 "% of the ceiling",
	    sprintf("%.0f%%", 100 * t["ceiling"] / lb),
	    verdict(t["ceiling"] / lb >= g_ceil)
	if ("sqlite-utils" in t)
		printf "%-44s %-20s %s\n", ">= " g_su "x sqlite-utils insert --nl",
		    sprintf("%.1fx", t["sqlite-utils"] / lb),
		    verdict(t["sqlite-utils"] / lb >= g_su)
	nd = t["restore --ndjson"]
	if ("sqlite-utils" in t)
		printf "%-44s %-20s %s\n",
		    "--ndjson >= " g_su "x sqlite-utils insert --nl",
		    sprintf("%.1fx", t["sqlite-utils"] / nd),
		    verdict(t["sqlite-utils"] / nd >= g_su)
	printf "%-44s %-20s %s\n", "peak RSS < 128 MiB, page cache included",
	    sprintf("%.1f MiB", rss / 1024), verdict(rss < g_rss)
	printf "\n%-44s %-20s %s\n", "check", "counted", ""
	row("logbook-restore: every event", n_lb, lines)
	row("logbook-restore: hourly requests", n_hourly, lines)
	row("logbook-restore again: nothing added", n_again, lines)
	row("ceiling: every event", n_ceil, lines)
	row("restore --ndjson: every event", n_nd, lines)
	row("sqlite3 .import: every event", n_sqlite3, lines)
	row("bare .import: every event", n_bare, lines)
	row("existing db: both hosts, every event", n_existing, 2 * lines)
	if (n_su != "-")
		row("sqlite-utils: every event", n_su, lines)
}' "$OUT/restore.times"

for n in "$n_lb" "$n_hourly" "$n_again" "$n_ceil" "$n_sqlite3" "$n_nd" \
    "$n_bare"; do
	[ "$n" = $LINES ] || exit 1
done
[ "$n_existing" = $((2 * LINES)) ] || exit 1
[ $have_su = 0 ] || [ "$n_su" = $LINES ] || exit 1
