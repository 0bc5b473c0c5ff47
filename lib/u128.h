/*
 * Unsigned 128-bit counters as two 64-bit halves, for sums that no input
 * may overflow (2^64 events of at most 2^63 bytes each fit).  ISO C has
 * no 128-bit type.
 */
#ifndef LB_U128_H
#define LB_U128_H

#include <stddef.h>
#include <stdint.h>

#include "obuf.h"

struct u128 {
	uint64_t hi, lo;
};

static inline void
u128_add64(struct u128 *x, uint64_t y)
{
	x->lo += y;
	x->hi += x->lo < y;
}

int u128_add(struct u128 *, const struct u128 *);
void u128_put(struct obuf *, struct u128);
int u128_parse(const char *, size_t, struct u128 *);

#endif
