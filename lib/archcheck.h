/*
 * The reading both archive checkers share: lib/verify.c's of the daily
 * archives, lib/monthly.c's of the monthly aggregate ones.  The file is
 * opened and read once; its tar members must be a kind's, in its order;
 * the MANIFEST, first, is read whole and given to the kind to parse;
 * every other member is hashed and split into lines for the kind's line
 * check; then the kind compares what it read, and the file's name.  The
 * first failure is kept in the verify_result (lib/verify.h), whose
 * check and detail the checkers report.
 *
 * A kind's state begins with its struct archcheck, which its functions
 * get: the member being read is c->ls (c->ls.line, its line number) and
 * member i's SHA-256 is c->dig[i] once it is read.
 *
 *	static const struct ac_kind daily = { members, 3, parse, compare,
 *	    name, AC_SIZED | AC_KNOWN | AC_DRAIN | AC_NOMEM };
 *	struct mine v = { .c.k = &daily, .c.res = res };	(res zeroed)
 *	rc = ac_run(&v.c, path, threads);	0: passed, else res->check
 */
#ifndef LB_ARCHCHECK_H
#define LB_ARCHCHECK_H

#include <stddef.h>

#include "lsplit.h"
#include "sha256.h"
#include "verify.h"

#define AC_MAXMEMBERS 3 /* the most a kind has */

struct archcheck;
struct archread;
struct shabg;

/* A member of the tar: the MANIFEST (line NULL) or a member of lines. */
struct ac_member {
	const char *name;
	const char *check; /* what its lines fail: too long, no newline */
	int (*line)(struct archcheck *, const char *, size_t);
};

/*
 * A kind of archive.  The flags are where the two checkers differ: the
 * daily one has them all, the monthly one none.
 */
struct ac_kind {
	const struct ac_member *m; /* the MANIFEST first */
	int n;
	int (*manifest)(struct archcheck *, const char *, size_t);
	int (*compare)(struct archcheck *); /* after the last member */
	int (*name)(struct archcheck *, const char *); /* the base name */
	unsigned flags;
};

#define AC_SIZED 1 /* a MANIFEST too large says its size */
#define AC_KNOWN 2 /* a name no member has is "unexpected" anywhere */
#define AC_DRAIN 4 /* after a bad line, the rest of its member read */
#define AC_NOMEM 8 /* out of memory ends the program, as xmalloc would */

struct archcheck {
	const struct ac_kind *k;
	struct verify_result *res;
	struct archread *ar;
	struct shabg *sha; /* of the member being read */
	struct lsplit ls; /* the member being read, in lines */
	unsigned char dig[AC_MAXMEMBERS][SHA256_LEN];
};

int ac_run(struct archcheck *, const char *, int);

int verify_fail(struct verify_result *, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

#endif
