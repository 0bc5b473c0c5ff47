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
    "INSERT INTO source_sets SELECT '-', NULL WHERE (EXISTS (SELECT 1 FROM"
    " archives WHERE sources = '-') OR EXISTS (SELECT 1 FROM hourly WHERE"
    " sources = '-'));\n"
    "DELETE FROM source_sets WHERE rowid NOT IN (SELECT min(rowid) FROM"
    " source_sets GROUP BY sources, src);\n"
    "DROP INDEX IF EXISTS events_ts;\n" EVENTS_TS_SQL
    "INSERT INTO schema_version VALUES (2,"
    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));\n"
    "DROP TABLE temp.v1_dates;\n"
    "DROP TABLE temp.v1_srcs;\n"
    "DROP TABLE temp.v1_hourly;\n";

struct scan {
	struct db *d;
	sqlite3_stmt *date, *src, *set;
	char day[DB_DATE_LEN + 1];
	struct srcset *all; /* the day's labels */
	const char *line; /* the line add_label files under */
	size_t len;
};

/* One label of a sources line into source_sets; v2_sql drops repeats. */
static int
add_label(void *arg, const char *p, size_t n)
{
	struct scan *x = arg;
	sqlite3_stmt *st = x->set;
	int rc;

	rc = sqlite3_bind_text(st, 1, x->line, (int)x->len, SQLITE_STATIC) |
	    (p == NULL ? sqlite3_bind_null(st, 2)
	               : sqlite3_bind_text(
	                     st, 2, n > 0 ? p : "", (int)n, SQLITE_STATIC));
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		return db_sqlfail(x->d, "migrate: source sets");
	}
	return sqlite3_reset(st) == SQLITE_OK ? 0 : -1;
}

/*
 * The line of set into st (v1_dates, or v1_srcs with n events), and its
 * labels into source_sets.
 */
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
	if (rc == 0 && srcset_each(t, x->len, add_label, x) < 0)
		rc = -1;
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
to_v2(struct db *d)
{
	struct scan x;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	x.d = d;
	if (db_exec(d, temp_sql, "migrate") == 0 &&
	    db_exec(d, SETS_SQL, "migrate") == 0 &&
	    prep(d, "INSERT INTO temp.v1_dates VALUES (?,?)", &x.date) == 0 &&
	    prep(d, "INSERT INTO temp.v1_srcs VALUES (?,?,?)", &x.src) == 0 &&
	    prep(d, "INSERT INTO source_sets VALUES (?,?)", &x.set) == 0 &&
	    scan_dates(&x) == 0)
		rc = db_exec(d, v2_sql, "migrate to schema version 2");
	sqlite3_finalize(x.date);
	sqlite3_finalize(x.src);
	sqlite3_finalize(x.set);
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
