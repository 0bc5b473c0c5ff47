/*
 * Lines out of blocks of bytes, as an archive member is handed over:
 * each whole line goes to a callback without its newline, and the start
 * of a line that a block ends is kept for the next block, up to
 * LR_MAXLINE bytes (lib/lineread.h), so memory is bounded by the longest
 * line, not by the member.
 *
 *	struct lsplit s = { 0 };
 *	while (a block p, n comes)
 *		ls_block(&s, p, n, fn, arg);	(0, -1 from fn, -2 too long)
 *	s.ncarry > 0: the last line has no newline;
 *	ls_free(&s);
 *
 * s.line counts the lines handed over, the one being handed included:
 * the callback's line number, from 1.
 */
#ifndef LB_LSPLIT_H
#define LB_LSPLIT_H

#include <stddef.h>
#include <stdint.h>

struct lsplit {
	char *carry; /* the start of a line the blocks split */
	size_t ncarry, cap;
	uint64_t line;
};

typedef int lsplit_fn(void *, const char *, size_t);

int ls_block(struct lsplit *, const char *, size_t, lsplit_fn *, void *);
void ls_reset(struct lsplit *);
void ls_free(struct lsplit *);

#endif
