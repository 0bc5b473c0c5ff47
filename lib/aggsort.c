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

	agg_flush(a);
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

/* x and y merged into one order; a row of both keeps x's, y's merged in. */
static struct aggsorted *
merge2(struct aggsorted *x, struct aggsorted *y)
{
	struct aggsorted *m = xcalloc(1, sizeof(*m));
	size_t i = 0, j = 0;
	const char *why;
	int c;

	if (!agg_same_opts(&x->a->o, &y->a->o))
		lb_errx(EX_FAIL, "agg_sort_merge: rows of other options");
	m->a = x->a;
	m->maxkey = x->maxkey > y->maxkey ? x->maxkey : y->maxkey;
	m->v = xreallocarray(NULL, x->n + y->n + 1, sizeof(*m->v));
	while (i < x->n || j < y->n) {
		c = i == x->n ? 1 : j == y->n ? -1 : ordcmp(&x->v[i], &y->v[j]);
		if (c == 0 && agg_row_merge(x->v[i].r, y->v[j].r, &why) < 0)
			lb_errx(EX_FAIL, "%s", why);
		m->v[m->n++] = c <= 0 ? x->v[i] : y->v[j];
		i += c <= 0;
		j += c >= 0;
	}
	agg_sorted_free(x);
	agg_sorted_free(y);
	return m;
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
			s[i] = merge2(s[i], s[i + k]);
	return s[0];
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
