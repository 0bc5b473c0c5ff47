/*
 * The monthly aggregate archives of logbook-archive --hourly: one
 * gzip-compressed tar per UTC month, DIR/YYYY/MM/logbook-YYYY-MM.hourly.tar.gz,
 * holding the members MANIFEST and hourly.ndjson in that order.  The rows
 * are those of the daily archives' hourly.ndjson (lib/agg.h, method and
 * path per UTC hour), sorted by hour, then key, no (hour, key) twice.
 *
 * The MANIFEST:
 *
 *	logbook-manifest 1
 *	month 2025-10
 *	hourly_rows 1234
 *	events 56789			(the sum of requests)
 *	first 2025-10-13T00:00:00Z	(the earliest hour; "-" without rows)
 *	last 2025-10-14T23:00:00Z	(the latest hour)
 *	days 2025-10-13 2025-10-14	(the dates held; "-" without rows)
 *	created_by logbook-archive 0.1.0
 *	<64 hex>  hourly.ndjson
 *
 * monthly_verify checks a file as lib/verify.h checks a daily archive,
 * with the checks read, gzip, tar, members, manifest, sha256, count,
 * hourly (a row is not a valid hourly row, or requests do not add up to
 * events), date (an hour outside the month), order, duplicate, name,
 * caller; res->monthly is set, res->month holds the month, and the
 * manifest's hourly_rows and events its counts.
 */
#ifndef LB_MONTHLY_H
#define LB_MONTHLY_H

#include <stddef.h>
#include <stdint.h>

#include "verify.h"

#define MONTHLY_BASELEN 29 /* logbook-YYYY-MM.hourly.tar.gz */
#define MONTHLY_SUFFIX ".hourly.tar.gz"
#define MONTHLY_HOURLEN 20 /* YYYY-MM-DDTHH:00:00Z */

/* A row: its line (a copy), its hour and its key as lib/agg orders it. */
struct mrow {
	char *line;
	size_t n;
	char hour[MONTHLY_HOURLEN + 1];
	unsigned char *key;
	size_t keylen;
	uint64_t requests;
	uint64_t file, lineno; /* where it was read, for messages */
};

int monthly_hour_ok(const char *, size_t);
int mrow_parse(struct mrow *, const char *, size_t, const char **);
int mrow_cmp(const struct mrow *, const struct mrow *);
void mrow_free(struct mrow *);

int monthly_parse_base(const char *, size_t, char[8]);
int monthly_verify(const char *, int, int (*)(void *, const char *, size_t),
    void *, struct verify_result *);

#endif
