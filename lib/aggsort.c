/* Rows in output order: by bucket, then key values (null first). */
#include <stdlib.h>
#include <string.h>

#include "aggint.h"
#include "diag.h"

static int
ordcmp(const void *x, const void *y)
{
	const struct ord *a = x, *b = y;
	size_t i, n;
	int c;

	for (i = 0; i < 3; i++)
		if (a->k[i] != b->k[i])
			return a->k[i] < b->k[i] ? -1 : 1;
	n = a->r->keylen < b->r->keylen ? a->r->keylen : b->r->keylen;
	if ((c = memcmp(row_key(a->r), row_key(b->r), n)) != 0)
		return c;
	return (a->r->keylen > b->r->keylen) - (a->r->keylen < b->r->keylen);
}

/*
 * The first 24 key bytes are copied next to each row pointer, big end
 * first and zero-padded (which memcmp order allows), so most comparisons
 * touch no row.
 */
struct aggsorted *
agg_sort(struct agg *a)
{
	struct aggsorted *s = xcalloc(1, sizeof(*s));
	struct row *r;
	size_t i, j;

	agg_drop_index(a); /* room for the order, while it is made */
	s->a = a;
	s->n = a->nrows;
	s->v = xreallocarray(NULL, a->nrows + 1, sizeof(*s->v));
	for (i = 0; i < a->nrows; i++) {
		r = s->v[i].r = a->rows[i];
		memset(s->v[i].k, 0, sizeof(s->v[i].k));
		for (j = 0; j < 24 && j < r->keylen; j++)
			s->v[i].k[j / 8] |= (uint64_t)row_key(r)[j]
			    << (56 - 8 * (j % 8));
		s->maxkey = r->keylen > s->maxkey ? r->keylen : s->maxkey;
	}
	qsort(s->v, s->n, sizeof(*s->v), ordcmp);
	return s;
}

/*
 * y merged into x, in x's array made longer, from the back so that no
 * second array of both is needed; a row of both keeps x's, y's merged
 * in.  y is used up.
 */
static void
merge2(struct aggsorted *x, struct aggsorted *y)
{
	size_t i = x->n, j = y->n, out = x->n + y->n;
	const char *why;
	int c;

	if (!agg_same_opts(&x->a->o, &y->a->o))
		lb_errx(EX_FAIL, "agg_sort_merge: rows of other options");
	x->v = xreallocarray(x->v, x->n + y->n + 1, sizeof(*x->v));
	while (i > 0 || j > 0) {
		c = j == 0   ? 1
		    : i == 0 ? -1
		             : ordcmp(&x->v[i - 1], &y->v[j - 1]);
		if (c == 0 &&
		    agg_row_merge(x->v[i - 1].r, y->v[j - 1].r, &why) < 0)
			lb_errx(EX_FAIL, "%s", why);
		x->v[--out] = c >= 0 ? x->v[i - 1] : y->v[j - 1];
		i -= c >= 0;
		j -= c <= 0;
	}
	x->n = x->n + y->n - out;
	memmove(x->v, x->v + out, x->n * sizeof(*x->v));
	x->maxkey = x->maxkey > y->maxkey ? x->maxkey : y->maxkey;
	agg_sorted_free(y);
}

/* The rows of s[0..n-1], in one order; the s[i] are used up. */
struct aggsorted *
agg_sort_merge(struct aggsorted **s, size_t n)
{
	size_t i, k;

	if (n == 0)
		lb_errx(EX_FAIL, "agg_sort_merge: nothing to merge");
	for (k = 1; k < n; k *= 2)
		for (i = 0; i + k < n; i += 2 * k)
			merge2(s[i], s[i + k]);
	return s[0];
}

/* More requests first; as many, in output order. */
static int
topcmp(const void *x, const void *y)
{
	const struct ord *a = x, *b = y;

	if (a->r->requests != b->r->requests)
		return a->r->requests > b->r->requests ? -1 : 1;
	return ordcmp(x, y);
}

/*
 * The n rows of each bucket with the most requests.  A bucket's rows are
 * next to each other, and its start is the first 8 bytes of the key.
 */
void
agg_sorted_top(struct aggsorted *s, size_t n)
{
	size_t i, j, out = 0, keep;

	for (i = 0; i < s->n; i = j) {
		for (j = i + 1; j < s->n && s->v[j].k[0] == s->v[i].k[0]; j++)
			;
		qsort(s->v + i, j - i, sizeof(*s->v), topcmp);
		keep = j - i < n ? j - i : n;
		memmove(s->v + out, s->v + i, keep * sizeof(*s->v));
		out += keep;
	}
	s->n = out;
}

size_t
agg_sorted_count(const struct aggsorted *s)
{
	return s->n;
}

void
agg_sorted_free(struct aggsorted *s)
{
	if (s == NULL)
		return;
	free(s->v);
	free(s);
}
