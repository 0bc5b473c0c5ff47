/*
 * Older schemas brought to this one, inside the transaction that found
 * them, so that a crash leaves the old version whole.
 *
 * Version 1 to 2: hourly rows and archives gain the sources line of the
 * archive that gave them, which version 1 did not keep.  An archive's
 * line is that of its date's events (one host's, as version 1 could
 * check), or, when the date has events of several sources, the one
 * source with exactly as many events as the archive, the way several
 * hosts' archives went in; else all of the date's.  A date's hourly rows
 * are those of its largest archive, so they take that archive's line.
 */
#include <stdlib.h>
#include <string.h>

#include "dbdigest.h"
#include "dbint.h"
#include "dbsql.h"
#include "manifest.h"

#define V1_HOURLY                                                              \
	"method, path, requests, bytes, bytes_null, uniq_ips, s1xx, s2xx, "    \
	"s3xx, s4xx, s5xx, rt_p50, rt_p95, rt_p99, rt_max, first, last"

/* temp.v1_dates: each date's line; temp.v1_srcs: each source's alone. */
static const char temp_sql[] =
    "CREATE TEMP TABLE v1_dates (date TEXT PRIMARY KEY, sources TEXT);\n"
    "CREATE TEMP TABLE v1_srcs (date TEXT, sources TEXT, n INTEGER);\n"
    "CREATE INDEX temp.v1_srcs_key ON v1_srcs (date, n);\n";

static const char v2_sql[] =
    "ALTER TABLE archives RENAME TO archives_v1;\n" ARCHIVES_SQL
    "INSERT INTO archives SELECT a.path, a.date, coalesce("
    "(SELECT min(s.sources) FROM temp.v1_srcs AS s WHERE s.date = a.date"
    " AND s.n = a.events HAVING count(*) = 1),"
    " (SELECT sources FROM temp.v1_dates WHERE date = a.date), '-'),"
    " a.events, a.hourly_rows, a.sha256, a.added, a.restored_at"
    " FROM archives_v1 AS a;\n"
    "DROP TABLE archives_v1;\n"
    "CREATE TEMP TABLE v1_hourly AS SELECT date, sources FROM (SELECT"
    " date, sources, row_number() OVER (PARTITION BY date ORDER BY"
    " events DESC) AS k FROM archives) WHERE k = 1;\n"
    "ALTER TABLE hourly RENAME TO hourly_v1;\n" HOURLY_SQL
    "INSERT INTO hourly SELECT h.hour, coalesce(a.sources, s.sources, "
    "'-'), " V1_HOURLY " FROM hourly_v1 AS h"
    " LEFT JOIN temp.v1_hourly AS a ON a.date = substr(h.hour, 1, 10)"
    " LEFT JOIN temp.v1_dates AS s ON s.date = substr(h.hour, 1, 10);\n"
    "DROP TABLE hourly_v1;\n"
    "DROP INDEX IF EXISTS events_ts;\n" EVENTS_TS_SQL
    "DROP TABLE temp.v1_dates;\n"
    "DROP TABLE temp.v1_srcs;\n"
    "DROP TABLE temp.v1_hourly;\n";

struct scan {
	struct db *d;
	sqlite3_stmt *date, *src, *set, *dg, *rows;
	char day[DB_DATE_LEN + 1];
	struct srcset *all; /* the day's labels */
	size_t len;
	const char *line; /* the archive add_label files under */
	sqlite3_stmt *arch;
	int labels; /* how many its line has */
};

/* The line of set into st: v1_dates, or v1_srcs with n events. */
static int
put_line(struct scan *x, sqlite3_stmt *st, struct srcset *set, int64_t n)
{
	char *t = srcset_text(set, &x->len);
	int rc;

	x->line = t;
	rc = sqlite3_bind_text(st, 1, x->day, DB_DATE_LEN, SQLITE_STATIC) |
	    sqlite3_bind_text(st, 2, t, (int)x->len, SQLITE_STATIC);
	if (n >= 0)
		rc |= sqlite3_bind_int64(st, 3, n);
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
		rc = db_sqlfail(x->d, "migrate: dates");
	sqlite3_reset(st);
	free(t);
	return rc;
}

/* One row of the scan: a date, a src of it, and its events. */
static int
one_src(struct scan *x, sqlite3_stmt *q)
{
	const char *t = (const char *)sqlite3_column_text(q, 0);
	const char *p = NULL;
	struct srcset *one;
	size_t n = 0;
	int rc;

	if (t == NULL || strlen(t) != DB_DATE_LEN)
		return 0;
	if (x->all != NULL && strcmp(t, x->day) != 0) {
		rc = put_line(x, x->date, x->all, -1);
		srcset_free(x->all);
		x->all = NULL;
		if (rc < 0)
			return -1;
	}
	if (x->all == NULL) {
		x->all = srcset_new();
		memcpy(x->day, t, sizeof(x->day));
	}
	if (sqlite3_column_type(q, 1) != SQLITE_NULL) {
		p = (const char *)sqlite3_column_text(q, 1);
		n = (size_t)sqlite3_column_bytes(q, 1);
	}
	srcset_add(x->all, p, n);
	one = srcset_new();
	srcset_add(one, p, n);
	rc = put_line(x, x->src, one, sqlite3_column_int64(q, 2));
	srcset_free(one);
	return rc;
}

/* Each date's src labels and their events, from the events_ts index. */
static int
scan_dates(struct scan *x)
{
	sqlite3_stmt *q;
	int rc, err = 0;

	if (sqlite3_prepare_v2(x->d->h,
	        "SELECT substr(ts, 1, 10), src, count(*) FROM events "
	        "GROUP BY 1, 2 ORDER BY 1",
	        -1, &q, NULL) != SQLITE_OK)
		return db_sqlfail(x->d, "migrate: read events");
	while (!err && (rc = sqlite3_step(q)) == SQLITE_ROW)
		err = one_src(x, q) < 0;
	if (!err && rc != SQLITE_DONE)
		err = db_sqlfail(x->d, "migrate: read events") < 0;
	if (!err && x->all != NULL)
		err = put_line(x, x->date, x->all, -1) < 0;
	srcset_free(x->all);
	x->all = NULL;
	sqlite3_finalize(q);
	return err ? -1 : 0;
}

static int
prep(struct db *d, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(d->h, sql, -1, st, NULL) != SQLITE_OK)
		return db_sqlfail(d, "migrate");
	return 0;
}

static int
count_label(void *arg, const char *p, size_t n)
{
	(void)p;
	(void)n;
	((struct scan *)arg)->labels++;
	return 0;
}

/* One label of an archive's line into archive_sources. */
static int
add_label(void *arg, const char *p, size_t n)
{
	struct scan *x = arg;
	sqlite3_stmt *a = x->arch, *st = x->set;
	int rc, i;

	rc = SQLITE_OK;
	for (i = 0; i < 3; i++)
		rc |= sqlite3_bind_value(st, i + 1, sqlite3_column_value(a, i));
	rc |= p == NULL ? sqlite3_bind_null(st, 4)
	                : sqlite3_bind_text(
	                      st, 4, n > 0 ? p : "", (int)n, SQLITE_TRANSIENT);
	/* A line of one label: the archive's events are all of it. */
	rc |= x->labels == 1
	    ? sqlite3_bind_value(st, 5, sqlite3_column_value(a, 3))
	    : sqlite3_bind_null(st, 5);
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		return db_sqlfail(x->d, "migrate: archive_sources");
	}
	return sqlite3_reset(st) == SQLITE_OK ? 0 : -1;
}

/* Each archive's labels, with their events when the line has one. */
static int
archive_sources(struct scan *x)
{
	sqlite3_stmt *a = x->arch;
	const char *t;
	int rc, err = 0;

	while (!err && (rc = sqlite3_step(a)) == SQLITE_ROW) {
		t = (const char *)sqlite3_column_text(a, 1);
		if (t == NULL)
			continue;
		x->labels = 0;
		(void)srcset_each(t, strlen(t), count_label, x);
		err = srcset_each(t, strlen(t), add_label, x) < 0;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_sqlfail(x->d, "migrate: archives") < 0;
	sqlite3_reset(a);
	return err ? -1 : 0;
}

/*
 * The digest of each source's events of each date, given to the
 * archives of the date with exactly as many events of it: the events of
 * an older, smaller version are not known apart, and stay unknown.
 */
static int
digests(struct scan *x, sqlite3_stmt *dates)
{
	struct srcsums s = { NULL, 0, 0, 0 };
	char hex[SHA256_HEXLEN + 1];
	const char *day;
	size_t i;
	int rc, err = 0;

	while (!err && (rc = sqlite3_step(dates)) == SQLITE_ROW) {
		day = (const char *)sqlite3_column_text(dates, 0);
		if (day == NULL || srcsums_day(&s, x->rows, day, 1) != 0) {
			err = db_sqlfail(x->d, "migrate: digests") < 0;
			break;
		}
		for (i = 0; !err && i < s.n; i++) {
			digest_hex(hex, &s.v[i].dg);
			if (sqlite3_bind_text(
			        x->dg, 1, hex, -1, SQLITE_TRANSIENT) ||
			    sqlite3_bind_text(
			        x->dg, 2, day, -1, SQLITE_TRANSIENT) ||
			    (s.v[i].src == NULL
			            ? sqlite3_bind_null(x->dg, 3)
			            : sqlite3_bind_text(x->dg, 3, s.v[i].src,
			                  (int)s.v[i].n, SQLITE_STATIC)) ||
			    sqlite3_bind_int64(
			        x->dg, 4, (int64_t)s.v[i].dg.rows) ||
			    sqlite3_step(x->dg) != SQLITE_DONE)
				err = db_sqlfail(x->d, "migrate: digests") < 0;
			sqlite3_reset(x->dg);
		}
		srcsums_free(&s);
	}
	if (!err && rc != SQLITE_DONE)
		err = db_sqlfail(x->d, "migrate: digests") < 0;
	srcsums_free(&s);
	return err ? -1 : 0;
}

static const char done_sql[] = "INSERT INTO schema_version VALUES (2,"
                               " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));\n";

static int
to_v2(struct db *d)
{
	struct scan x;
	sqlite3_stmt *dates = NULL;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	x.d = d;
	if (db_exec(d, temp_sql, "migrate") == 0 &&
	    prep(d, "INSERT INTO temp.v1_dates VALUES (?,?)", &x.date) == 0 &&
	    prep(d, "INSERT INTO temp.v1_srcs VALUES (?,?,?)", &x.src) == 0 &&
	    scan_dates(&x) == 0 &&
	    db_exec(d, v2_sql, "migrate to schema version 2") == 0 &&
	    db_exec(d, ASRC_SQL, "migrate") == 0 &&
	    prep(d, "INSERT INTO archive_sources VALUES (?,?,?,?,?,NULL)",
	        &x.set) == 0 &&
	    prep(d, "SELECT date, sources, sha256, events FROM archives",
	        &x.arch) == 0 &&
	    archive_sources(&x) == 0 &&
	    prep(d,
	        "SELECT " DBROW_COLS " FROM events WHERE ts >= ?1 AND "
	        "ts < ?2",
	        &x.rows) == 0 &&
	    prep(d,
	        "UPDATE archive_sources SET digest = ?1 WHERE date = ?2 "
	        "AND src IS ?3 AND events = ?4",
	        &x.dg) == 0 &&
	    prep(d, "SELECT DISTINCT date FROM archives", &dates) == 0 &&
	    digests(&x, dates) == 0)
		rc = db_exec(d, done_sql, "migrate to schema version 2");
	sqlite3_finalize(x.date);
	sqlite3_finalize(x.src);
	sqlite3_finalize(x.set);
	sqlite3_finalize(x.arch);
	sqlite3_finalize(x.rows);
	sqlite3_finalize(x.dg);
	sqlite3_finalize(dates);
	return rc;
}

/* From version v, inside a transaction that writes. */
int
db_migrate(struct db *d, int64_t v)
{
	if (v == 1 && to_v2(d) < 0)
		return -1;
	return 0;
}
