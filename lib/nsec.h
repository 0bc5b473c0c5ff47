/*
 * Durations as whole nanoseconds: JSON numbers of seconds in and out
 * without binary floating point, so sums, minima and maxima are exact
 * and print back as they were read.
 */
#ifndef LB_NSEC_H
#define LB_NSEC_H

#include <stddef.h>
#include <stdint.h>

#include "obuf.h"

#define NSEC_MAX INT64_C(1000000000000000000) /* 1e9 seconds */

int nsec_parse(const char *, size_t, int64_t *);
void nsec_put(struct obuf *, int64_t);
int64_t nsec_round(int64_t, int);

#endif
