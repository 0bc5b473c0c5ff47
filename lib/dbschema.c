/*
 * The schema of the restore database (logbook-restore(1) documents it):
 * created in an empty file, recognised in one of ours, and anything else
 * refused before a byte of it is written.
 */
#include <errno.h>
#include <string.h>

#include "dbint.h"
#include "dbsql.h"

/* Changing this text is a new schema version, with a migration. */
static const char schema_sql[] = "CREATE TABLE schema_version (\n"
                                 "	version INTEGER PRIMARY KEY,\n"
                                 "	applied_at TEXT NOT NULL\n"
                                 ");\n"
                                 "CREATE TABLE events (\n"
                                 "	id TEXT PRIMARY KEY,\n"
                                 "	ts TEXT NOT NULL,\n"
                                 "	tz TEXT,\n"
                                 "	ip TEXT,\n"
                                 "	ident TEXT,\n"
                                 "	user TEXT,\n"
                                 "	method TEXT,\n"
                                 "	path TEXT,\n"
                                 "	query TEXT,\n"
                                 "	proto TEXT,\n"
                                 "	req TEXT,\n"
                                 "	status INTEGER,\n"
                                 "	bytes INTEGER,\n"
                                 "	referer TEXT,\n"
                                 "	ua TEXT,\n"
                                 "	rt REAL,\n"
                                 "	host TEXT,\n"
                                 "	src TEXT,\n"
                                 "	fmt TEXT,\n"
                                 "	x TEXT,\n"
                                 "	cr INTEGER NOT NULL DEFAULT 0,\n"
                                 "	raw64 TEXT\n"
                                 ");\n" HOURLY_SQL ARCHIVES_SQL ASRC_SQL
                                 "INSERT INTO schema_version VALUES (2, "
                                 "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));\n"
                                 "PRAGMA application_id = 1819240290;\n";

/*
 * The secondary indexes, part of the schema too; a new database gets
 * them once loaded (dbfresh.c), which sorts instead of inserting into
 * them row by row.
 */
static const char index_sql[] =
    EVENTS_TS_SQL "CREATE INDEX events_path ON events (path);\n";

/* Version 1's, for its migration. */
static const char *const columns_v1[] = {
	"events",
	"id ts tz ip ident user method path query proto req status bytes "
	"referer ua rt host src fmt x cr raw64",
	"hourly",
	"hour method path requests bytes bytes_null uniq_ips s1xx s2xx s3xx "
	"s4xx s5xx rt_p50 rt_p95 rt_p99 rt_max first last",
	"archives",
	"path date events hourly_rows sha256 added restored_at",
	NULL,
};

/* The columns each table must have, in order, for the loader's inserts. */
static const char *const columns[] = {
	"events",
	"id ts tz ip ident user method path query proto req status bytes "
	"referer ua rt host src fmt x cr raw64",
	"hourly",
	"hour sources method path requests bytes bytes_null uniq_ips s1xx s2xx "
	"s3xx s4xx s5xx rt_p50 rt_p95 rt_p99 rt_max first last",
	"archives",
	"path date sources events hourly_rows sha256 added restored_at",
	"archive_sources",
	"date sources sha256 src events digest",
	NULL,
};

/* The column names of table t, space-separated, into buf. */
static int
table_columns(struct db *d, const char *t, char *buf, size_t size)
{
	sqlite3_stmt *st;
	size_t len = 0, n;
	int rc;

	buf[0] = '\0';
	if (sqlite3_prepare_v2(d->h,
	        "SELECT name FROM pragma_table_info(?1) ORDER BY cid", -1, &st,
	        NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_finalize(st);
		return db_sqlfail(d, "read the schema");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 0);
		/* A name is never NULL but when SQLite ran out of memory. */
		if (c == NULL) {
			sqlite3_finalize(st);
			db_fail(d, "read the schema: out of memory");
			return -1;
		}
		n = strlen(c);
		if (len + n + 2 > size)
			break;
		if (len > 0)
			buf[len++] = ' ';
		memcpy(buf + len, c, n);
		buf[len += n] = '\0';
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_sqlfail(d, "read the schema");
	return 0;
}

/* Every table of the list, with its columns in order. */
static int
has_columns(struct db *d, const char *const *cols)
{
	char have[512];
	int i;

	for (i = 0; cols[i] != NULL; i += 2) {
		if (table_columns(d, cols[i], have, sizeof(have)) < 0)
			return -1;
		if (strcmp(have, cols[i + 1]) != 0) {
			db_fail(d, "damaged logbook database: table %s %s",
			    cols[i],
			    have[0] == '\0' ? "is missing"
			                    : "has other columns");
			return -1;
		}
	}
	return 0;
}

/*
 * One of ours, at a version we know, with every column in its place; 2
 * for an older version, which is brought to this one when migrate is
 * set (inside a transaction that writes).
 */
static int
check_ours(struct db *d, int migrate)
{
	int64_t v;

	if (db_int_sql(d, "SELECT max(version) FROM schema_version", &v) < 0) {
		db_fail(d, "damaged logbook database: no schema_version");
		return -1;
	}
	if (v > DB_SCHEMA_VERSION) {
		db_fail(d,
		    "schema version %lld is newer than this program's (%d); "
		    "use a newer logbook-restore",
		    (long long)v, DB_SCHEMA_VERSION);
		return -1;
	}
	if (v < 1) {
		db_fail(d, "damaged logbook database: schema version %lld",
		    (long long)v);
		return -1;
	}
	if (has_columns(d, v == 1 ? columns_v1 : columns) < 0)
		return -1;
	if (v == DB_SCHEMA_VERSION)
		return 0;
	if (!migrate)
		return 2;
	if (db_migrate(d, v) < 0)
		return -1;
	return has_columns(d, columns);
}

/*
 * Inside a transaction: 0 for ours, 1 for an empty database, which is
 * made ours when create is set, 2 for ours at an older version, which
 * is migrated when create is set (the transaction then writes).
 */
static int
classify(struct db *d, int create)
{
	int64_t ntab, appid;

	if (db_int_sql(d, "SELECT count(*) FROM sqlite_master", &ntab) < 0 ||
	    db_int_sql(d, "PRAGMA application_id", &appid) < 0)
		return -1;
	if (appid == DB_APPLICATION_ID)
		return check_ours(d, create);
	if (appid != 0 || ntab != 0) {
		db_fail(d, "not a logbook database (%s); refusing to touch it",
		    appid != 0 ? "another application's"
		               : "it has other tables");
		return -1;
	}
	if (!create)
		return 1;
	if (db_exec(d, schema_sql, "create the schema") < 0)
		return -1;
	if (d->fresh) {
		d->noindex = 1;
		return 0;
	}
	return db_exec(d, index_sql, "create the schema");
}

/* A new database's indexes, before anything reads it by them. */
int
db_indexes(struct db *d)
{
	if (!d->noindex)
		return 0;
	if (db_exec(d, index_sql, "create the indexes") < 0)
		return -1;
	d->noindex = 0;
	return 0;
}

/* One look in a transaction of its own: BEGIN, or BEGIN IMMEDIATE. */
static int
look(struct db *d, const char *begin, int create)
{
	int rc;

	if (db_exec(d, begin, "lock the database") < 0)
		return -1;
	if ((rc = classify(d, create)) < 0) {
		(void)sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (db_exec(d, "COMMIT", "create the schema") < 0)
		return -1;
	return rc;
}

/*
 * A file we may not write is refused at once: reading one in WAL mode
 * could fail for want of its -shm file, with a message that says less.
 * Then reads, so that a file that is not SQLite, or not ours, is refused
 * before anything writes to it; only an empty one is locked for writing,
 * and looked at again under the lock, since another restore may have
 * made it meanwhile.  The page size applies to a new file.
 */
int
db_schema(struct db *d)
{
	int64_t n;
	int rc;

	if (sqlite3_db_readonly(d->h, "main") == 1) {
		if (dbvfs_openerrno() != 0)
			db_fail(d,
			    "read-only database (%s): cannot restore "
			    "into it",
			    strerror(dbvfs_openerrno()));
		else
			db_fail(
			    d, "read-only database: cannot restore into it");
		return -1;
	}
	if (db_int_sql(d, "SELECT count(*) FROM sqlite_master", &n) < 0) {
		if (sqlite3_errcode(d->h) == SQLITE_NOTADB)
			db_fail(
			    d, "not an SQLite database; refusing to touch it");
		return -1;
	}
	if ((rc = look(d, "BEGIN", 0)) < 0)
		return -1;
	/* Another restore may have migrated it meanwhile: then it is 0. */
	if (rc == 2 && look(d, "BEGIN IMMEDIATE", 1) < 0)
		return -1;
	if (rc == 1 &&
	    (db_exec(d, "PRAGMA page_size = " DB_PAGE_SIZE, "page size") < 0 ||
	        look(d, "BEGIN IMMEDIATE", 1) < 0))
		return -1;
	/* A new one: its journal is only for an archive's rollback. */
	if (d->fresh)
		return db_exec(
		    d, "PRAGMA journal_mode = TRUNCATE", "set the journal");
	return db_exec(d, "PRAGMA journal_mode = WAL", "set WAL");
}
