/*
 * The MANIFEST member of an archive (logbook-archive(1)): text lines,
 *
 *	logbook-manifest 1
 *	date 2025-10-13
 *	events 333421
 *	hourly_rows 71234
 *	first 2025-10-13T00:00:00Z
 *	last 2025-10-13T23:59:59.5Z
 *	sources - web1 web2
 *	digests 12:<64 hex> 333000:<64 hex> 409:<64 hex>
 *	created_by logbook-archive 0.1.0
 *	<64 hex>  events.ndjson
 *	<64 hex>  hourly.ndjson
 *
 * The keys come in this order; a reader takes them in any order and
 * ignores keys it does not know.  The last lines are sha256sum(1)'s
 * format.  first and last are the smallest and largest ts (by time),
 * "-" without events.  sources lists the distinct src labels sorted
 * bytewise, "-" standing for events without one; in a label every byte
 * outside '!' to '~', and '%', is written %XX, a label "-" as %2D and an
 * empty one as "".  digests, which older manifests lack, gives for each
 * label of sources, in its order, its events and the digest of the rows
 * they give the restore database (lib/dbrow.h), as N:HEX.
 */
#ifndef LB_MANIFEST_H
#define LB_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

#define MANIFEST_MAGIC "logbook-manifest 1"
#define MANIFEST_MAX (16u * 1024 * 1024) /* a reader's limit */
#define MANIFEST_TSMAX 40

struct tsrange {
	int64_t sec[2]; /* first, last */
	char ts[2][MANIFEST_TSMAX + 1];
	int any;
};

struct manifest {
	int64_t day;
	uint64_t events, hourly_rows;
	struct tsrange range;
	char *sources; /* as written: encoded, space-separated */
	size_t sourceslen;
	char *digests; /* as written; NULL: none */
	size_t digestslen;
	char created_by[128];
	unsigned char sha_events[SHA256_LEN], sha_hourly[SHA256_LEN];
};

char *manifest_text(const struct manifest *, size_t *);
int manifest_parse(struct manifest *, const char *, size_t, const char **);
void manifest_free(struct manifest *);

int tsrange_add(struct tsrange *, const char *, size_t, int64_t);

struct srcset;

struct srcset *srcset_new(void);
void srcset_add(struct srcset *, const char *, size_t);
char *srcset_text(const struct srcset *, size_t *);
void srcset_free(struct srcset *);
int srcset_each(
    const char *, size_t, int (*)(void *, const char *, size_t), void *);

#endif
