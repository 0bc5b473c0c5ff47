/*
 * The archives under a folder: one walker for every program, each with
 * its own policy.  The policy says which archives count (daily
 * logbook-YYYY-MM-DD.tar.gz, monthly logbook-YYYY-MM.hourly.tar.gz),
 * which symbolic links are followed, which folders are entered (any,
 * down to a depth, or only DIR/YYYY/MM/ of the archive's own month),
 * what is an error, and the order.  Names beginning with a dot are
 * skipped under every policy: a running logbook-archive keeps its
 * temporary files there.
 *
 * An error is reported on standard error as "prog: path: cause"
 * (lb_warn) and counted; the archives that could be found are listed
 * all the same.  A folder that cannot be opened is always an error.
 */
#ifndef LB_WALK_H
#define LB_WALK_H

#include <stddef.h>
#include <stdint.h>

/* kinds */
#define WALK_DAILY 0x1
#define WALK_MONTHLY 0x2

/* follow */
#define WALK_NOLINKS 0 /* links are neither entered nor listed */
#define WALK_FILELINKS 1 /* links to archives listed, to folders not */
#define WALK_ALLLINKS 2 /* links followed: bound loops with maxdepth */

/* errors, besides a folder that cannot be opened */
#define WALK_EREAD 0x1 /* a folder whose listing fails half way */
/* An entry that cannot be examined, unless gone (ENOENT) and not named
 * as an archive: a dangling link of no archive is not one. */
#define WALK_ESTAT 0x2

/* order */
#define WALK_BYPATH 0 /* strcmp of the paths */
#define WALK_BYDATE 1 /* daily before monthly, then by date, then path */

#define WALK_ANYDEPTH ((unsigned)-1)

struct walk_policy {
	int kinds;
	int follow;
	int layout; /* only DIR/YYYY/MM/logbook-YYYY-MM...: depth 2 */
	unsigned maxdepth; /* levels of folders entered below DIR */
	int errors;
	int order;
};

struct walk_item {
	char *path; /* DIR as given, "/", the rest */
	int64_t day; /* days since 1970: the date, or the month's first */
	int monthly;
	uint64_t size; /* as the walk found it */
};

struct walk_list {
	struct walk_item *v;
	size_t n, cap;
};

size_t walk_dir(const char *, const struct walk_policy *, struct walk_list *);
void walk_free(struct walk_list *);

#endif
