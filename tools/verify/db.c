/*
 * --db: each archive's event count against the events of its date in a
 * database of logbook-restore, opened read-only.
 */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "archfmt.h"
#include "check.h"
#include "diag.h"

/* A range of ts, so that the events_ts index serves it. */
static const char count_sql[] =
    "SELECT count(*) FROM events WHERE ts >= ?1 || 'T' AND ts < ?1 || 'U'";

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

int
db_attach(struct run *r)
{
	char why[256];

	if (sqlite3_open_v2(r->dbpath, &r->db, SQLITE_OPEN_READONLY, NULL) ==
	        SQLITE_OK &&
	    sqlite3_busy_timeout(r->db, 10000) == SQLITE_OK &&
	    sqlite3_prepare_v2(r->db, count_sql, -1, &r->count, NULL) ==
	        SQLITE_OK)
		return 0;
	db_why(r->db, why, sizeof(why));
	lb_warnx("%s: %s", lb_escs(r->dbpath), why);
	db_detach(r);
	return -1;
}

/* Make res fail check "db" when the database disagrees. */
int
db_check(struct run *r, struct verify_result *res)
{
	char date[ARCH_DATELEN + 1], why[256];
	sqlite3_int64 n;

	arch_date(date, res->manifest.day);
	sqlite3_reset(r->count);
	if (sqlite3_bind_text(r->count, 1, date, ARCH_DATELEN, SQLITE_STATIC) !=
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
	    "%s has %lld event%s of %s, the archive %llu", r->dbpath,
	    (long long)n, lb_s((unsigned long long)n), date,
	    (unsigned long long)res->manifest.events);
	return -1;
}

void
db_detach(struct run *r)
{
	sqlite3_finalize(r->count);
	sqlite3_close(r->db);
	r->count = NULL;
	r->db = NULL;
}
