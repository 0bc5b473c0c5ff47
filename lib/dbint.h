/* Internals shared by lib/db*.c; not an interface. */
#ifndef LB_DBINT_H
#define LB_DBINT_H

#include <sqlite3.h>

#include "atomic.h"
#include "db.h"
#include "dbdigest.h"

/* The page cache, in KiB: room for the path index of a large archive. */
#define DB_CACHE_KIB "65536"
/* A new database only appends, and sorts its indexes at the end in as
 * much memory again: half the cache keeps the two under 128 MiB. */
#define DB_FRESH_CACHE_KIB "32768"
/* The files of a new database: as logbook-archive's default. */
#define DB_MODE 0640
/* For a new database: fewer, larger pages write a bulk load faster. */
#define DB_PAGE_SIZE "65536"

enum {
	ST_EVENT,
	ST_HOURLY,
	ST_HOURLY_DEL,
	ST_KNOWN,
	ST_HAS_HOURLY,
	ST_ASRC_ADD,
	ST_ASRC_SET,
	ST_OVERLAP,
	ST_ARCHIVE,
	ST_SRCS,
	ST_DAYROWS,
	ST_DATES,
	DB_NSTMT
};

struct db {
	sqlite3 *h;
	sqlite3_stmt *st[DB_NSTMT];
	struct db_archive arch; /* the archive going in */
	char *path; /* its path, ours */
	char *sources; /* its sources line, ours */
	struct db_result res;
	struct dbrow row; /* the event going in */
	struct srcsums sums; /* the archive's events per source */
	int given; /* by db_sums: db_event hashes nothing */
	int ours; /* the schema is ours: the session is set up */
	int noarch; /* events alone: no archive, no hourly rows */
	int replace_hourly; /* its hourly rows replace the date's */
	char lo[DB_DATE_LEN + 2], hi[DB_DATE_LEN + 2]; /* the date's range */
	char *xbuf; /* a number's text, NUL-terminated */
	size_t xcap;
	char err[512];
	struct atomic tmp; /* a new database's temporary file (dbfresh.c) */
	int fresh; /* being built in tmp */
	char *newpath; /* its own name, once in place */
	int noindex; /* its secondary indexes are yet to be made */
	int discard; /* the run failed: a new database is not kept */
};

void db_fail(struct db *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
int db_sqlfail(struct db *, const char *);
int db_exec(struct db *, const char *, const char *);
int db_int(struct db *, sqlite3_stmt *, int64_t *);
int db_int_sql(struct db *, const char *, int64_t *);
int db_schema(struct db *);
int db_indexes(struct db *);
int db_migrate(struct db *, int64_t);
int dbfresh_make(struct db *, const char *, char **);
int dbfresh_commit(struct db *);
void dbfresh_abort(struct db *);
const char *dbvfs_name(void);
int dbvfs_errno(const char **);
int dbvfs_ioerrno(void);
int dbvfs_openerrno(void);

#endif
