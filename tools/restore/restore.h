/* logbook-restore: shared state of the program's files. */
#ifndef RESTORE_H
#define RESTORE_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "dbdigest.h"
#include "emit.h"
#include "obuf.h"

/* One archive to read: a path, and its date when its name gives one. */
struct item {
	char *path;
	char date[DB_DATE_LEN + 1]; /* "": not named by date */
};

struct restore {
	const char *dbpath;
	char from[DB_DATE_LEN + 1], to[DB_DATE_LEN + 1];
	const char *emit; /* NULL: into the database */
	int ndjson; /* --ndjson: the files hold events, not archives */
	int csvsafe; /* --csv-safe, with --emit csv */
	int check, quiet, verbose, threads;
	int lockwait; /* seconds */
	struct db *db;
	int told; /* --check: a failure was said */
	struct srcsums sums; /* the digests of the archive's events */
	char sumsha[65]; /* the SHA-256 of the events they are of */
	struct emit *em;
	struct obuf out;
	struct item *items;
	size_t nitems, capitems;
	char (*dates)[DB_DATE_LEN + 1]; /* restored in this run */
	size_t ndates, capdates;
	uint64_t events, added; /* over all archives */
	uint64_t bad; /* --ndjson: lines that are no event (exit 65) */
	int64_t seenlo, seenhi; /* --ndjson: the days loaded, if seen */
	int seen;
	size_t done; /* archives finished */
	int failed; /* exit 1 */
	int stop; /* a database or output error: go no further */
};

void list_add(struct restore *, const char *);
void list_free(struct restore *);
int in_range(const struct restore *, const char *);
void first_start(struct restore *);
void first_stop(void);
int first_reading(struct restore *, size_t);
void load_archive(struct restore *, size_t);
void load_ndjson(struct restore *, const char *);
void emit_archive(struct restore *, size_t);
void check_dates(struct restore *);
void warn_file(const char *, const char *, const char *);
void warn_refused(const char *, const char *, const char *);

#endif
