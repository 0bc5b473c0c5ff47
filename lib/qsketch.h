/*
 * A mergeable quantile sketch for durations in nanoseconds, in the
 * manner of DDSketch (Masson, Rim and Lee, VLDB 2019): values fall into
 * buckets (g^(i-1), g^i] with g = (1 + QS_ALPHA) / (1 - QS_ALPHA), and a
 * bucket is reported as 2 g^i / (g + 1), within QS_ALPHA of every value
 * in it.  Zero has a bucket of its own.
 *
 * While it holds at most QS_EXACT values the sketch keeps them as they
 * are, and ranks are exact.  The state is a function of the multiset of
 * values added (counts simply add), so the sketch of a stream is the
 * same, bit for bit, however the stream was split and merged.  The empty
 * sketch is all zero bytes.
 */
#ifndef LB_QSKETCH_H
#define LB_QSKETCH_H

#include <stddef.h>
#include <stdint.h>

#include "obuf.h"

#define QS_ALPHA 0.005
#define QS_EXACT 32

struct qsketch {
	union {
		uint64_t *e; /* sorted: values, or bucket << 48 | count */
		uint64_t one; /* cap 0: the only entry */
	} u;
	uint32_t n;
	uint32_t cap;
	uint64_t total; /* of the counts */
};

void qs_add(struct qsketch *, int64_t);
int qs_exact(const struct qsketch *);
void qs_merge(struct qsketch *, const struct qsketch *);
uint64_t qs_total(const struct qsketch *);
void qs_ranks(const struct qsketch *, const uint64_t *, size_t, int64_t *);
void qs_free(struct qsketch *);
void qs_put(struct obuf *, const struct qsketch *);
int qs_get(struct qsketch *, const char *, size_t);

#endif
