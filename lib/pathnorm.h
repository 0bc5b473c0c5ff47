/*
 * Folding the parts of URL paths that name one object among millions
 * (numeric ids, UUIDs, long hex digests) into ":id", so that a report
 * counts /users/:id rather than a million one-request rows.
 */
#ifndef LB_PATHNORM_H
#define LB_PATHNORM_H

#include <stddef.h>

#define PATHNORM_HEX_MIN 16 /* shorter hex runs may be words */

size_t pathnorm(char *, const char *, size_t);

#endif
