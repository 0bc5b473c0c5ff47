/*
 * The SQLite database of logbook-restore(1): its schema, and loading one
 * archive's events and hourly rows in one transaction.
 *
 * Use:
 *	struct db *d = db_open(path, ms, &why);	NULL: why says what is wrong
 *	db_begin(d, &arch);			BEGIN IMMEDIATE
 *	db_begin(d, NULL);			or events alone (NDJSON)
 *	db_event(d, &ev, line, n) ...		INSERT OR IGNORE by id
 *	db_hourly(d, line, n) ...
 *	db_commit(d, &res);			or db_rollback(d)
 *	db_close(d, &why);			-1: why says what failed
 *
 * Begun without an archive, a transaction takes events only: the commit
 * records no row in "archives", and db_hourly leaves the hourly rows
 * alone, so that they stay those of the archives.
 *
 * Every function but db_open returns 0, or -1 with db_errmsg() saying
 * why; after a failure inside a transaction the caller rolls back.
 * db_open refuses, without writing a byte, a file that is not SQLite or
 * that holds another schema, or a newer version of ours.
 */
#ifndef LB_DB_H
#define LB_DB_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define DB_SCHEMA_VERSION 2
/* PRAGMA application_id: "logb", so file(1) and we know the database. */
#define DB_APPLICATION_ID 0x6c6f6762
#define DB_DATE_LEN 10 /* YYYY-MM-DD */

/* What the manifest of one archive says, for its row in "archives". */
struct db_archive {
	const char *path;
	char date[DB_DATE_LEN + 1];
	uint64_t events;
	uint64_t hourly_rows;
	char sha256[65]; /* of events.ndjson, lower-case hex */
	const char *sources; /* its sources line, as written */
	size_t sourceslen;
};

/*
 * A date's events of one source in the database, against the archive of
 * the date with the most of them; src NULL, with null unset, stands for
 * the events of sources that no archive of the date has.
 */
struct db_count {
	const char *src; /* NUL-terminated, srclen bytes */
	size_t srclen;
	int null; /* the events without a src */
	uint64_t have; /* events in the database */
	int64_t want; /* the most an archive had; -1 unknown */
	const char *digest; /* of those in the database */
	const char *want_digest; /* that archive's; "" unknown */
	int nsrcs; /* sources of the date's archives */
};

struct db_result {
	uint64_t events; /* event lines given */
	uint64_t added; /* of those, new to the database */
	uint64_t hourly; /* hourly rows written */
	int hourly_kept; /* a larger archive of the date gave them */
	int known; /* this very archive was restored before */
};

struct db;

struct db *db_open(const char *, int, const char **);
int db_begin(struct db *, const struct db_archive *);
int db_event(struct db *, const struct event *, const char *, size_t);
int db_hourly(struct db *, const char *, size_t);
struct srcsums;
void db_sums(struct db *, struct srcsums *);
int db_commit(struct db *, struct db_result *);
void db_rollback(struct db *);
int db_date_check(struct db *, const char *,
    int (*)(void *, const struct db_count *), void *);
int db_diff(struct db *, const char *, const struct db_count *, int,
    void (*)(void *, const char *), void *, uint64_t *);
int db_dates(struct db *, const char *, const char *,
    int (*)(void *, const char *), void *);
const char *db_errmsg(const struct db *);
void db_discard(struct db *);
int db_is_new(const struct db *);
int db_close(struct db *, const char **);

#endif
