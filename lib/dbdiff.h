/*
 * The events of one source of a date in which an archive and the
 * database differ (lib/dbdiff.c), named one by one.
 */
#ifndef LB_DBDIFF_H
#define LB_DBDIFF_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct dbdiff {
	sqlite3 *h;
	const char *archive; /* its path */
	const char *date; /* YYYY-MM-DD */
	const char *src; /* srclen bytes; null set: events without one */
	size_t srclen;
	int null;
	int max; /* differences told */
	void (*say)(void *, const char *);
	void *arg;
};

int dbdiff_run(const struct dbdiff *, uint64_t *, const char **);

#endif
