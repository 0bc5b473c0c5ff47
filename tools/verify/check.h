/* logbook-verify: shared state of the program's files. */
#ifndef CHECK_H
#define CHECK_H

#include <stdint.h>
#include <stdio.h>

#include "obuf.h"
#include "verify.h"

struct sqlite3;
struct sqlite3_stmt;

struct run {
	int json, quiet, threads;
	const char *dbpath;
	struct sqlite3 *db;
	struct sqlite3_stmt *count; /* events of one date */
	int v1; /* schema version 1: one host's events */
	int expect_set;
	uint64_t expect;
	uint64_t archives, ok, failed, events;
	uint64_t errors; /* folders that could not be read */
	struct obuf out;
};

void check_path(struct run *, const char *);
void report(struct run *, const char *, const struct verify_result *);
void report_total(struct run *);
/* --db (db.c), named apart from the database of lib/db.h. */
int db_attach(struct run *);
int db_check(struct run *, const char *, struct verify_result *);
void db_detach(struct run *);

#endif
