/* XXH64, the 64-bit xxHash (its published specification, version 0.1.1). */
#ifndef LB_XXHASH_H
#define LB_XXHASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t xxh64(const void *, size_t, uint64_t);

#endif
