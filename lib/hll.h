/*
 * Distinct counting of 64-bit hashes: an exact set while it holds at
 * most HLL_EXACT_MAX hashes, then a HyperLogLog sketch of 2^HLL_P
 * registers (relative standard error 1.04 / 2^(HLL_P/2) = 0.41%).
 *
 * The state depends only on the set of hashes added, never on their
 * order or on how the sets were split and merged: merging the counters
 * of any partition of a stream gives the counter of the whole stream,
 * bit for bit.  The empty counter is all zero bytes.
 */
#ifndef LB_HLL_H
#define LB_HLL_H

#include <stddef.h>
#include <stdint.h>

#include "obuf.h"

#define HLL_P 16
#define HLL_M (1u << HLL_P)
#define HLL_EXACT_MAX 4096
#define HLL_DENSE UINT32_MAX

struct hll {
	union {
		uint64_t one; /* cap 0: the only hash, when n is 1 */
		uint64_t *set; /* the hashes, ascending */
		uint8_t *reg; /* cap HLL_DENSE: the registers */
	} u;
	uint32_t n; /* hashes held, while exact */
	uint32_t cap;
};

void hll_add(struct hll *, uint64_t);
void hll_merge(struct hll *, const struct hll *);
uint64_t hll_count(const struct hll *);
void hll_free(struct hll *);
void hll_put(struct obuf *, const struct hll *);
int hll_get(struct hll *, const char *, size_t);

#endif
