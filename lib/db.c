/* The restore database: opening it, and loading archives into it. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "dbdigest.h"
#include "dbint.h"
#include "diag.h"
#include "json.h"

/* Readers are not waited for long to make the WAL empty at the end. */
#define DB_TIDY_MS 1000

void
db_fail(struct db *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
}

/*
 * SQLite's own words for the last error, with what we were doing and,
 * for an error of the system, the system's words: a file our VFS could
 * not make (dbvfs.c), the errno of a failed read, write or sync, or a
 * full disk, which SQLite's VFS reports without the errno, or of the
 * open that left a file read-only.
 */
int
db_sqlfail(struct db *d, const char *doing)
{
	int rc = d->h != NULL ? sqlite3_extended_errcode(d->h) : SQLITE_NOMEM;
	int e = d->h != NULL ? sqlite3_system_errno(d->h) : ENOMEM;
	const char *what, *msg = d->h != NULL ? sqlite3_errmsg(d->h) : "";
	int ve = dbvfs_errno(&what), ie = dbvfs_ioerrno(), le = 0;

	/* SQLite may report a failed call with another's errno, or none. */
	if (ie != 0)
		e = ie;
	else if (e == 0 && d->h != NULL &&
	    sqlite3_file_control(d->h, "main", SQLITE_FCNTL_LAST_ERRNO, &le) ==
	        SQLITE_OK)
		e = le;

	switch (rc & 0xff) {
	case SQLITE_CANTOPEN:
		if (ve != 0)
			db_fail(d, "%s: %s: %s", doing, what, strerror(ve));
		else if (e != 0)
			db_fail(d, "%s: %s (%s)", doing, msg, strerror(e));
		else
			db_fail(d, "%s: %s", doing, msg);
		break;
	case SQLITE_IOERR:
		if (rc == SQLITE_IOERR_NOMEM)
			db_fail(d, "%s: out of memory", doing);
		else if (e != 0)
			db_fail(d, "%s: %s (%s)", doing, msg, strerror(e));
		else
			db_fail(d, "%s: %s", doing, msg);
		break;
	case SQLITE_FULL:
		db_fail(d, "%s: %s (%s)", doing, msg,
		    strerror(ie != 0 ? ie : ENOSPC));
		break;
	case SQLITE_NOMEM:
		db_fail(d, "%s: out of memory", doing);
		break;
	case SQLITE_READONLY:
		/* A file SQLite could not open to write, opened read-only. */
		if ((le = dbvfs_openerrno()) != 0)
			db_fail(d, "%s: %s (%s)", doing, msg, strerror(le));
		else
			db_fail(d, "%s: %s", doing, msg);
		break;
	default:
		db_fail(d, "%s: %s", doing, msg);
	}
	return -1;
}

int
db_exec(struct db *d, const char *sql, const char *doing)
{
	if (sqlite3_exec(d->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_sqlfail(d, doing);
	return 0;
}

/* A statement that returns at most one integer; *v is -1 for none. */
int
db_int(struct db *d, sqlite3_stmt *st, int64_t *v)
{
	int rc = sqlite3_step(st);

	*v = -1;
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*v = sqlite3_column_int64(st, 0);
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	if (sqlite3_reset(st) != SQLITE_OK || rc != SQLITE_DONE)
		return db_sqlfail(d, "query");
	return 0;
}

/* The same for SQL text, prepared for the one use. */
int
db_int_sql(struct db *d, const char *sql, int64_t *v)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(d->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_sqlfail(d, "query");
	rc = db_int(d, st, v);
	sqlite3_finalize(st);
	return rc;
}

const char *
db_errmsg(const struct db *d)
{
	return d->err;
}

/*
 * A sources line names a set of src labels (archive_sources): an event
 * is of the line when its src is in the set, and two lines overlap when
 * their sets share a label.
 */
static const char *const stmt_sql[DB_NSTMT] = {
	[ST_EVENT] = "INSERT OR IGNORE INTO events VALUES "
	             "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_HOURLY] = "INSERT INTO hourly (hour, method, path, requests, "
	              "bytes, bytes_null, uniq_ips, s1xx, s2xx, s3xx, s4xx, "
	              "s5xx, rt_p50, rt_p95, rt_p99, rt_max, first, last, "
	              "sources) VALUES "
	              "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_HOURLY_DEL] = "DELETE FROM hourly "
	                  "WHERE hour >= ?1 AND hour < ?2 AND sources = ?3",
	[ST_KNOWN] = "SELECT count(*) FROM archives "
	             "WHERE date = ?1 AND sha256 = ?2 AND sources = ?3",
	[ST_HAS_HOURLY] = "SELECT count(*) FROM (SELECT 1 FROM hourly "
	                  "WHERE hour >= ?1 AND hour < ?2 AND sources = ?3 "
	                  "LIMIT 1)",
	[ST_ASRC_ADD] = "INSERT INTO archive_sources VALUES "
	                "(?1, ?2, ?3, ?4, 0, NULL)",
	[ST_ASRC_SET] = "UPDATE archive_sources SET events = ?5, digest = ?6 "
	                "WHERE date = ?1 AND sources = ?2 AND sha256 = ?3 "
	                "AND src IS ?4",
	/* The sources lines of a date's hourly rows that overlap ?4, with
	 * the most events an archive of each said. */
	[ST_OVERLAP] = "SELECT h.sources, (SELECT max(events) FROM archives "
	               "WHERE date = ?3 AND sources = h.sources) FROM "
	               "(SELECT DISTINCT sources FROM hourly "
	               "WHERE hour >= ?1 AND hour < ?2) AS h WHERE EXISTS "
	               "(SELECT 1 FROM archive_sources AS x JOIN "
	               "archive_sources AS y ON x.src IS y.src WHERE "
	               "x.sources = h.sources AND y.sources = ?4)",
	[ST_ARCHIVE] = "INSERT OR IGNORE INTO archives (path, date, sources, "
	               "events, hourly_rows, sha256, added, restored_at) "
	               "VALUES (?,?,?,?,?,?,?, "
	               "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
	/* Per source of a date's archives, the most events one said, and
	 * the digest of that one (SQLite takes it from the max row). */
	[ST_SRCS] = "SELECT src, max(events), digest FROM archive_sources "
	            "WHERE date = ?1 GROUP BY src ORDER BY src",
	[ST_DAYROWS] = "SELECT " DBROW_COLS " FROM events "
	               "WHERE ts >= ?1 AND ts < ?2",
	[ST_DATES] = "SELECT DISTINCT date FROM archives "
	             "WHERE date >= ?1 AND date <= ?2 ORDER BY date",
};

static int
prepare(struct db *d)
{
	int i;

	for (i = 0; i < DB_NSTMT; i++)
		if (sqlite3_prepare_v3(d->h, stmt_sql[i], -1,
		        SQLITE_PREPARE_PERSISTENT, &d->st[i],
		        NULL) != SQLITE_OK)
			return db_sqlfail(d, "prepare");
	return 0;
}

/*
 * Settings for each session: durability of every commit (one per
 * archive, so a full sync costs little), and a page cache that holds the
 * path index while an archive goes in.
 */
static int
session(struct db *d)
{
	d->ours = 1;
	if (sqlite3_db_config(
	        d->h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL) != SQLITE_OK)
		return db_sqlfail(d, "set checkpoints");
	/* A new one is synced once, whole, when it is complete. */
	if (db_exec(d,
	        d->fresh ? "PRAGMA synchronous = OFF"
	                 : "PRAGMA synchronous = FULL",
	        "set synchronous") < 0 ||
	    db_exec(d,
	        d->fresh ? "PRAGMA cache_size = -" DB_FRESH_CACHE_KIB
	                 : "PRAGMA cache_size = -" DB_CACHE_KIB,
	        "set cache") < 0 ||
	    db_exec(d, "PRAGMA foreign_keys = OFF", "set foreign keys") < 0)
		return -1;
	return prepare(d);
}

/* busy_ms: how long to wait for another writer, each time. */
struct db *
db_open(const char *path, int busy_ms, const char **why)
{
	static _Thread_local char msg[sizeof(((struct db *)0)->err)];
	struct db *d = xcalloc(1, sizeof(*d));
	int flags =
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	const char *vfs;
	char *as = NULL;

	/* One thread uses SQLite: its mutexes would cost 5% for nothing.
	 * Too late (SQLITE_MISUSE) when the program used SQLite before. */
	(void)sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	if (sqlite3_initialize() != SQLITE_OK)
		db_fail(d, "cannot open: out of memory");
	else if ((vfs = dbvfs_name()) == NULL)
		db_fail(d, "cannot open: SQLite has no file system");
	else if (dbfresh_make(d, path, &as) < 0)
		;
	else if (sqlite3_open_v2(as != NULL ? as : path, &d->h, flags, vfs) !=
	    SQLITE_OK) {
		if (d->h == NULL)
			db_fail(d, "cannot open: out of memory");
		else
			db_sqlfail(d, "cannot open");
	} else if (sqlite3_extended_result_codes(d->h, 1) != SQLITE_OK ||
	    sqlite3_busy_timeout(d->h, busy_ms) != SQLITE_OK)
		db_sqlfail(d, "cannot open");
	else if (db_schema(d) == 0 && session(d) == 0) {
		free(as);
		return d;
	}
	free(as);
	snprintf(msg, sizeof(msg), "%s", d->err);
	d->discard = 1;
	*why = msg;
	db_close(d, NULL);
	return NULL;
}

/*
 * The WAL back to nothing, as SQLite's close would do, but without its
 * exclusive lock, which turns readers away with SQLITE_BUSY.  Readers
 * still on an older snapshot keep the WAL: that is no failure.
 */
static int
tidy(struct db *d)
{
	int rc;

	if (sqlite3_busy_timeout(d->h, DB_TIDY_MS) != SQLITE_OK)
		return db_sqlfail(d, "checkpoint");
	rc = sqlite3_wal_checkpoint_v2(
	    d->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		return db_sqlfail(d, "checkpoint");
	return 0;
}

/*
 * A new database made whole: its indexes, the WAL mode every later run
 * uses, and a close that checkpoints, so that the file synced and linked
 * holds everything (dbfresh.c then opens it once under its name).
 */
static int
complete(struct db *d)
{
	if (db_indexes(d) < 0 ||
	    db_exec(d, "PRAGMA journal_mode = WAL", "set WAL") < 0)
		return -1;
	if (sqlite3_db_config(
	        d->h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL) != SQLITE_OK)
		return db_sqlfail(d, "set checkpoints");
	return 0;
}

/* The run failed: a database it was making is not kept. */
void
db_discard(struct db *d)
{
	d->discard = 1;
}

/* 1 when d is a new database, not in place until db_close. */
int
db_is_new(const struct db *d)
{
	return d->fresh;
}

/* why, when not NULL, says what failed: the checkpoint or the close. */
int
db_close(struct db *d, const char **why)
{
	static _Thread_local char msg[sizeof(((struct db *)0)->err)];
	int i, rc = 0;

	if (d == NULL)
		return 0;
	if (d->fresh && !d->discard && complete(d) < 0)
		rc = -1;
	for (i = 0; i < DB_NSTMT; i++)
		sqlite3_finalize(d->st[i]);
	free(d->xbuf);
	free(d->path);
	free(d->sources);
	srcsums_free(&d->sums);
	if (d->ours && !d->fresh && tidy(d) < 0)
		rc = -1;
	if (d->h != NULL && sqlite3_close_v2(d->h) != SQLITE_OK && rc == 0)
		rc = db_sqlfail(d, "close");
	d->h = NULL;
	if (d->fresh && (rc < 0 || d->discard))
		dbfresh_abort(d);
	else if (d->fresh && dbfresh_commit(d) < 0)
		rc = -1;
	if (rc < 0 && why != NULL) {
		snprintf(msg, sizeof(msg), "%s", d->err);
		*why = msg;
	}
	free(d);
	return rc;
}
