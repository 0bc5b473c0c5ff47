/* Lines out of blocks of bytes, with the split line carried over. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "lineread.h"
#include "lsplit.h"

/* Keep the start of a line the next block ends; -2 when too long. */
static int
carry(struct lsplit *s, const char *p, size_t n)
{
	if (n > LR_MAXLINE - s->ncarry)
		return -2;
	if (s->cap - s->ncarry < n) {
		s->cap = s->ncarry + n + 4096;
		s->carry = xrealloc(s->carry, s->cap);
	}
	memcpy(s->carry + s->ncarry, p, n);
	s->ncarry += n;
	return 0;
}

/* Split one block into lines; the last, unfinished, is carried. */
int
ls_block(struct lsplit *s, const char *p, size_t n, lsplit_fn *fn, void *arg)
{
	const char *e;
	size_t k, len;
	int rc;

	while (n > 0 && (e = memchr(p, '\n', n)) != NULL) {
		k = (size_t)(e - p);
		if (s->ncarry > 0) {
			if ((rc = carry(s, p, k)) < 0)
				return rc;
			len = s->ncarry;
			s->ncarry = 0;
			s->line++;
			if (fn(arg, s->carry, len) < 0)
				return -1;
		} else {
			s->line++;
			if (fn(arg, p, k) < 0)
				return -1;
		}
		p = e + 1;
		n -= k + 1;
	}
	return n > 0 ? carry(s, p, n) : 0;
}

void
ls_reset(struct lsplit *s)
{
	s->ncarry = 0;
	s->line = 0;
}

void
ls_free(struct lsplit *s)
{
	free(s->carry);
	memset(s, 0, sizeof(*s));
}
