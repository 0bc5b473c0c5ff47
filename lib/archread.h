/*
 * The members of a gzip-compressed tar, read once from start to end:
 * the gzip layer by lib/gzread.h (strict, parallel), the tar layer by
 * libarchive.  After the last member the rest of the file is read too,
 * so that every gzip checksum is checked and nothing is ignored.
 *
 * Use:
 *	struct archread *r = ar_open(fd, threads, filehash);
 *	while ((rc = ar_next(r, &name, &size)) > 0)
 *		while ((rc = ar_data(r, &p, &n)) > 0)
 *			use n bytes at p (valid until the next call);
 *	rc == 0: ar_end(r) reads to the end of the file;
 *	rc < 0: ar_check(r) is "read", "gzip" or "tar", ar_error(r) says
 *	    what and where; or "memory" ("out of memory") when an
 *	    allocation of libarchive failed;
 *	ar_close(r);
 *
 * ar_next gives regular files only: any other kind of tar entry is an
 * error of check "tar".
 */
#ifndef LB_ARCHREAD_H
#define LB_ARCHREAD_H

#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

struct archread;

struct archread *ar_open(int, int, struct sha256 *);
int ar_next(struct archread *, const char **, int64_t *);
int ar_data(struct archread *, const void **, size_t *);
int ar_end(struct archread *);
const char *ar_check(const struct archread *);
const char *ar_error(const struct archread *);
void ar_close(struct archread *);

#endif
