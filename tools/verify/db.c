/*
 * --db: each archive's event count against the events of its date and
 * its sources in a database of logbook-restore, opened read-only.
 */
#include <errno.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "archfmt.h"
#include "check.h"
#include "dbdiff.h"
#include "dbdigest.h"
#include "diag.h"

/*
 * Before schema version 2 a database held one host's events: those of
 * the date are counted.  Since, the rows of the date are read, and each
 * source's count and digest (lib/dbrow.h) compared with the archive's.
 */
static const char count_v1_sql[] =
    "SELECT count(*) FROM events WHERE ts >= ?1 || 'T' AND ts < ?1 || 'U'";
static const char rows_sql[] =
    "SELECT " DBROW_COLS " FROM events WHERE ts >= ?1 AND ts < ?2";

/*
 * SQLite's words for the last error and, for an error of the system,
 * the system's: a read-only database still writes its -shm, and a full
 * disk came out as a bare "disk I/O error".
 */
static void
db_why(sqlite3 *db, char *buf, size_t size)
{
	int rc, e;

	if (db == NULL) {
		snprintf(buf, size, "out of memory");
		return;
	}
	rc = sqlite3_extended_errcode(db) & 0xff;
	e = sqlite3_system_errno(db);
	if (rc == SQLITE_NOMEM)
		snprintf(buf, size, "out of memory");
	else if (rc == SQLITE_FULL)
		snprintf(buf, size, "%s (%s)", sqlite3_errmsg(db),
		    strerror(e != 0 ? e : ENOSPC));
	else if (e != 0 &&
	    (rc == SQLITE_IOERR || rc == SQLITE_CANTOPEN ||
	        rc == SQLITE_READONLY))
		snprintf(buf, size, "%s (%s)", sqlite3_errmsg(db), strerror(e));
	else
		snprintf(buf, size, "%s", sqlite3_errmsg(db));
}

/* The schema's version; 0 when there is none to read. */
static int
version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = 0;

	if (sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_version",
	        -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
prepare(struct run *r)
{
	r->v1 = version(r->db) == 1;
	return sqlite3_prepare_v2(
	    r->db, r->v1 ? count_v1_sql : rows_sql, -1, &r->count, NULL);
}

int
db_attach(struct run *r)
{
	char why[256];

	if (sqlite3_open_v2(r->dbpath, &r->db, SQLITE_OPEN_READONLY, NULL) ==
	        SQLITE_OK &&
	    sqlite3_busy_timeout(r->db, 10000) == SQLITE_OK &&
	    prepare(r) == SQLITE_OK)
		return 0;
	db_why(r->db, why, sizeof(why));
	lb_warnx("%s: %s", lb_escs(r->dbpath), why);
	db_detach(r);
	return -1;
}

static void
fail(struct run *r, struct verify_result *res, const char *fmt, ...)
{
	va_list ap;
	int n;

	res->check = "db";
	n = snprintf(res->detail, sizeof(res->detail), "%s ", r->dbpath);
	if (n < 0 || (size_t)n >= sizeof(res->detail))
		return;
	va_start(ap, fmt);
	vsnprintf(res->detail + n, sizeof(res->detail) - (size_t)n, fmt, ap);
	va_end(ap);
}

/*
 * The database could not be read: check "db" with SQLite's words, or
 * "memory", which is no verdict on the archive (walk.c stops).
 */
static void
unread(struct run *r, struct verify_result *res)
{
	char why[256];

	db_why(r->db, why, sizeof(why));
	res->check =
	    (sqlite3_errcode(r->db) & 0xff) == SQLITE_NOMEM ? "memory" : "db";
	snprintf(res->detail, sizeof(res->detail), "%s: %s", r->dbpath, why);
}

static int
check_v1(struct run *r, struct verify_result *res, const char *date)
{
	sqlite3_int64 n;

	sqlite3_reset(r->count);
	if (sqlite3_bind_text(r->count, 1, date, ARCH_DATELEN, SQLITE_STATIC) !=
	        SQLITE_OK ||
	    sqlite3_step(r->count) != SQLITE_ROW) {
		unread(r, res);
		return -1;
	}
	n = sqlite3_column_int64(r->count, 0);
	if (n >= 0 && (uint64_t)n == res->manifest.events)
		return 0;
	fail(r, res, "has %lld event%s of %s, the archive %llu", (long long)n,
	    lb_s((unsigned long long)n), date,
	    (unsigned long long)res->manifest.events);
	return -1;
}

/* Differences named at most, per archive. */
#define NAMED 5

struct told {
	const char *path;
	struct verify_result *res;
	int n;
};

/* The first in the archive's line; each on stderr. */
static void
tell(void *arg, const char *msg)
{
	struct told *t = arg;
	size_t k = strlen(t->res->detail);

	if (t->n++ == 0 && k < sizeof(t->res->detail))
		snprintf(t->res->detail + k, sizeof(t->res->detail) - k,
		    "; first: %s", msg);
	lb_warnx("%s: db: %s", lb_escs(t->path), msg);
}

/* The events of e's source that make the difference, named. */
static void
name_events(struct run *r, struct verify_result *res, const char *path,
    const char *date, const struct srcsum *e)
{
	struct told t = { path, res, 0 };
	struct dbdiff q = { r->db, path, date, e->src, e->n, e->src == NULL,
		NAMED, tell, &t };
	const char *why;
	uint64_t found;

	if (dbdiff_run(&q, &found, &why) < 0)
		lb_warnx("%s: db: cannot name the events that differ: %s",
		    lb_escs(path), why);
	else if (found > NAMED)
		lb_warnx("%s: db: and %llu more", lb_escs(path),
		    (unsigned long long)(found - NAMED));
}

/* The database's events of the date, per source of the archive. */
static int
compare(struct run *r, struct verify_result *res, const char *path,
    const char *date)
{
	struct srcsums db = { NULL, 0, 0, 0 };
	char a[SHA256_HEXLEN + 1], b[SHA256_HEXLEN + 1];
	const struct srcsum *e, *f;
	size_t i;
	int rc = 0;

	for (i = 0; i < res->sums.n; i++)
		(void)srcsums_get(&db, res->sums.v[i].src, res->sums.v[i].n, 1);
	if (srcsums_day(&db, r->count, date, 0) != 0) {
		unread(r, res);
		rc = -1;
	}
	for (i = 0; rc == 0 && i < res->sums.n; i++) {
		e = &res->sums.v[i];
		f = &db.v[i];
		digest_hex(a, &e->dg);
		digest_hex(b, &f->dg);
		if (e->dg.rows != f->dg.rows || strcmp(a, b) != 0) {
			fail(r, res,
			    "has %llu event%s of %s from source %s, the "
			    "archive "
			    "%llu%s",
			    (unsigned long long)f->dg.rows, lb_s(f->dg.rows),
			    date, e->src != NULL ? lb_esc(e->src, e->n) : "-",
			    (unsigned long long)e->dg.rows,
			    e->dg.rows == f->dg.rows ? ", and they differ"
			                             : "");
			name_events(r, res, path, date, e);
			rc = -1;
		}
	}
	srcsums_free(&db);
	return rc;
}

/* Make res fail check "db" when the database disagrees. */
int
db_check(struct run *r, const char *path, struct verify_result *res)
{
	char date[ARCH_DATELEN + 1];
	int rc;

	arch_date(date, res->manifest.day);
	rc = r->v1 ? check_v1(r, res, date) : compare(r, res, path, date);
	return rc;
}

void
db_detach(struct run *r)
{
	sqlite3_finalize(r->count);
	sqlite3_close(r->db);
	r->count = NULL;
	r->db = NULL;
}
