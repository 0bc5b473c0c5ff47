/*
 * Per source, the events and digest of a set of events table rows
 * (lib/dbrow.h): what an archive gave, or what the database has of a
 * date.
 */
#ifndef LB_DBDIGEST_H
#define LB_DBDIGEST_H

#include <sqlite3.h>

#include "dbrow.h"

struct srcsum {
	char *src; /* NULL: events without one */
	size_t n;
	struct digest dg;
	int64_t want; /* what an archive said; -1 unknown */
	char wantdg[SHA256_HEXLEN + 1]; /* "" unknown */
};

struct srcsums {
	struct srcsum *v;
	size_t n, last;
	uint64_t others; /* rows of no source in v, when not added */
};

struct srcsum *srcsums_get(struct srcsums *, const char *, size_t, int);
struct srcsum *srcsums_row(struct srcsums *, const struct dbrow *, int);
int srcsums_day(struct srcsums *, sqlite3_stmt *, const char *, int);
void srcsums_free(struct srcsums *);
char *srcsums_text(struct srcsums *, const char *, size_t, size_t *);

/* The 22 columns, for a statement dbrow_stmt reads. */
#define DBROW_COLS                                                             \
	"id, ts, tz, ip, ident, user, method, path, query, proto, req, "       \
	"status, bytes, referer, ua, rt, host, src, fmt, x, cr, raw64"

#endif
