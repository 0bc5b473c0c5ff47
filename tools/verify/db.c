/*
 * --db: each archive's event count against the events of its date and
 * its sources in a database of logbook-restore, opened read-only.
 */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "archfmt.h"
#include "check.h"
#include "diag.h"
#include "manifest.h"

/*
 * A range of ts, so that the events_ts index serves it, and of the src
 * labels of the archive's sources line, which temp.want holds.  Before
 * schema version 2 a database held one host's events: all of the date.
 */
static const char count_sql[] =
    "SELECT count(*) FROM events AS e WHERE ts >= ?1 || 'T' AND "
    "ts < ?1 || 'U' AND EXISTS (SELECT 1 FROM temp.want AS w "
    "WHERE w.src IS e.src)";
static const char count_v1_sql[] =
    "SELECT count(*) FROM events WHERE ts >= ?1 || 'T' AND ts < ?1 || 'U'";
static const char want_sql[] = "CREATE TEMP TABLE want (src TEXT);";

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
	if (r->v1)
		return sqlite3_prepare_v2(
		    r->db, count_v1_sql, -1, &r->count, NULL);
	if (sqlite3_exec(r->db, want_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "INSERT INTO temp.want VALUES (?)", -1,
	        &r->want, NULL) != SQLITE_OK)
		return SQLITE_ERROR;
	return sqlite3_prepare_v2(r->db, count_sql, -1, &r->count, NULL);
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

/* One label of the archive's sources line into temp.want. */
static int
want_label(void *arg, const char *p, size_t n)
{
	sqlite3_stmt *st = arg;
	int rc;

	rc = p == NULL ? sqlite3_bind_null(st, 1)
	               : sqlite3_bind_text(
	                     st, 1, n > 0 ? p : "", (int)n, SQLITE_TRANSIENT);
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		return -1;
	}
	return sqlite3_reset(st) == SQLITE_OK ? 0 : -1;
}

static int
want_sources(struct run *r, const struct manifest *m)
{
	if (r->v1)
		return 0;
	if (sqlite3_exec(r->db, "DELETE FROM temp.want", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return -1;
	if (m->sources == NULL)
		return want_label(r->want, NULL, 0);
	return srcset_each(m->sources, m->sourceslen, want_label, r->want);
}

/* Make res fail check "db" when the database disagrees. */
int
db_check(struct run *r, struct verify_result *res)
{
	char date[ARCH_DATELEN + 1], why[256];
	sqlite3_int64 n;

	arch_date(date, res->manifest.day);
	sqlite3_reset(r->count);
	if (want_sources(r, &res->manifest) < 0 ||
	    sqlite3_bind_text(r->count, 1, date, ARCH_DATELEN, SQLITE_STATIC) !=
	        SQLITE_OK ||
	    sqlite3_step(r->count) != SQLITE_ROW) {
		res->check = "db";
		db_why(r->db, why, sizeof(why));
		snprintf(
		    res->detail, sizeof(res->detail), "%s: %s", r->dbpath, why);
		return -1;
	}
	n = sqlite3_column_int64(r->count, 0);
	if (n >= 0 && (uint64_t)n == res->manifest.events)
		return 0;
	res->check = "db";
	snprintf(res->detail, sizeof(res->detail),
	    "%s has %lld event%s of %s%s%s, the archive %llu", r->dbpath,
	    (long long)n, lb_s((unsigned long long)n), date,
	    r->v1 ? "" : " from sources ", r->v1 ? "" : res->manifest.sources,
	    (unsigned long long)res->manifest.events);
	return -1;
}

void
db_detach(struct run *r)
{
	sqlite3_finalize(r->count);
	sqlite3_finalize(r->want);
	sqlite3_close(r->db);
	r->count = NULL;
	r->want = NULL;
	r->db = NULL;
}
