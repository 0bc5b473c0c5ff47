/* Exact sets of hashes that turn into HyperLogLog sketches when large. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "diag.h"
#include "hll.h"

#define Q (64 - HLL_P) /* hash bits left for the rank */
#define LIST_MAX 8

/* 0 marks an empty slot, so the hash 0 is counted as 1. */
static uint64_t
fix(uint64_t h)
{
	return h != 0 ? h : 1;
}

static void
reg_add(uint8_t *reg, uint64_t h)
{
	uint64_t w = h << HLL_P;
	uint8_t r = w == 0 ? Q + 1 : (uint8_t)(__builtin_clzll(w) + 1);

	if (reg[h >> Q] < r)
		reg[h >> Q] = r;
}

/* Every hash held by an exact counter, in slot order. */
static size_t
members(const struct hll *c, const uint64_t **p)
{
	*p = c->cap == 0 ? &c->u.one : c->u.set;
	return c->cap <= LIST_MAX ? c->n : c->cap;
}

static void
densify(struct hll *c)
{
	uint8_t *reg = xcalloc(HLL_M, 1);
	const uint64_t *p;
	size_t i, k;

	k = members(c, &p);
	for (i = 0; i < k; i++)
		if (p[i] != 0)
			reg_add(reg, p[i]);
	if (c->cap != 0)
		free(c->u.set);
	c->u.reg = reg;
	c->cap = HLL_DENSE;
}

static int
tab_put(uint64_t *t, uint32_t cap, uint64_t h)
{
	size_t i = (size_t)(h ^ h >> 29) & (cap - 1);

	while (t[i] != 0) {
		if (t[i] == h)
			return 0;
		i = (i + 1) & (cap - 1);
	}
	t[i] = h;
	return 1;
}

static void
tab_grow(struct hll *c, uint32_t cap)
{
	uint64_t *t = xcalloc(cap, sizeof(*t));
	const uint64_t *p;
	size_t i, k;

	k = members(c, &p);
	for (i = 0; i < k; i++)
		if (p[i] != 0)
			tab_put(t, cap, p[i]);
	if (c->cap != 0)
		free(c->u.set);
	c->u.set = t;
	c->cap = cap;
}

/* Whether the exact counter c holds h. */
static int
holds(const struct hll *c, uint64_t h)
{
	const uint64_t *p;
	size_t i, k;

	if (c->cap > LIST_MAX) {
		i = (size_t)(h ^ h >> 29) & (c->cap - 1);
		while (c->u.set[i] != 0 && c->u.set[i] != h)
			i = (i + 1) & (c->cap - 1);
		return c->u.set[i] == h;
	}
	k = members(c, &p);
	for (i = 0; i < k; i++)
		if (p[i] == h)
			return 1;
	return 0;
}

/* Room for one more hash: lists double up to LIST_MAX, tables stay at
 * most half full. */
static void
make_room(struct hll *c)
{
	uint64_t one;

	if (c->cap == 0) {
		one = c->u.one;
		c->u.set = xreallocarray(NULL, 2, sizeof(uint64_t));
		c->u.set[0] = one;
		c->cap = 2;
	} else if (c->cap < LIST_MAX && c->n == c->cap) {
		c->cap *= 2;
		c->u.set = xreallocarray(c->u.set, c->cap, sizeof(uint64_t));
	} else if (c->cap == LIST_MAX && c->n == c->cap)
		tab_grow(c, LIST_MAX * 4);
	else if (c->cap > LIST_MAX && c->n + 1 > c->cap / 2)
		tab_grow(c, c->cap * 2);
}

void
hll_add(struct hll *c, uint64_t h)
{
	h = fix(h);
	if (c->cap == HLL_DENSE) {
		reg_add(c->u.reg, h);
		return;
	}
	if (c->n == 0) {
		c->u.one = h;
		c->n = 1;
		return;
	}
	if (holds(c, h))
		return;
	if (c->n == HLL_EXACT_MAX) {
		densify(c);
		reg_add(c->u.reg, h);
		return;
	}
	make_room(c);
	if (c->cap > LIST_MAX)
		tab_put(c->u.set, c->cap, h);
	else
		c->u.set[c->n] = h;
	c->n++;
}

void
hll_merge(struct hll *c, const struct hll *from)
{
	const uint64_t *p;
	size_t i, k;

	if (from->cap == HLL_DENSE) {
		if (c->cap != HLL_DENSE)
			densify(c);
		for (i = 0; i < HLL_M; i++)
			if (c->u.reg[i] < from->u.reg[i])
				c->u.reg[i] = from->u.reg[i];
		return;
	}
	k = members(from, &p);
	for (i = 0; i < k; i++)
		if (p[i] != 0)
			hll_add(c, p[i]);
}

static double
sigma(double x)
{
	double y = 1, z = x, zp;

	if (x == 1)
		return INFINITY;
	do {
		x *= x;
		zp = z;
		z += x * y;
		y += y;
	} while (z != zp);
	return z;
}

static double
tau(double x)
{
	double y = 1, z, zp;

	if (x == 0 || x == 1)
		return 0;
	z = 1 - x;
	do {
		x = sqrt(x);
		zp = z;
		y *= 0.5;
		z -= (1 - x) * (1 - x) * y;
	} while (z != zp);
	return z / 3;
}

/*
 * Ertl's improved raw estimator ("New cardinality estimation algorithms
 * for HyperLogLog sketches", 2017): no bias tables, no range switches,
 * and only correctly rounded operations, so every machine agrees.
 */
uint64_t
hll_count(const struct hll *c)
{
	uint32_t hist[Q + 2] = { 0 };
	double m = HLL_M, z;
	size_t i;
	int k;

	if (c->cap != HLL_DENSE)
		return c->n;
	for (i = 0; i < HLL_M; i++)
		hist[c->u.reg[i]]++;
	z = m * tau((m - hist[Q + 1]) / m);
	for (k = Q; k >= 1; k--)
		z = 0.5 * (z + hist[k]);
	z += m * sigma(hist[0] / m);
	return (uint64_t)llround(m * m / (2 * 0.693147180559945309417) / z);
}

void
hll_free(struct hll *c)
{
	if (c->cap != 0)
		free(c->u.set);
	memset(c, 0, sizeof(*c));
}

static int
cmp64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The exact set: "s" and the sorted hashes, eight bytes each, big end
 * first, in base64. */
static void
put_set(struct obuf *ob, const struct hll *c)
{
	unsigned char *b = xreallocarray(NULL, c->n + 1, 8);
	uint64_t *h = xreallocarray(NULL, c->n + 1, sizeof(*h));
	const uint64_t *p;
	size_t i, j, k, n = 0;

	k = members(c, &p);
	for (i = 0; i < k; i++)
		if (p[i] != 0)
			h[n++] = p[i];
	qsort(h, n, sizeof(*h), cmp64);
	for (i = 0; i < n; i++)
		for (j = 0; j < 8; j++)
			b[i * 8 + j] = (unsigned char)(h[i] >> (56 - 8 * j));
	ob_putc(ob, 's');
	base64_put(ob, b, n * 8);
	free(b);
	free(h);
}

/* The registers: "h", then in base64 a byte per non-zero register and
 * 0x80 + k - 1 for a run of k zero registers (k <= 128). */
static void
put_dense(struct obuf *ob, const struct hll *c)
{
	unsigned char *b = xmalloc(HLL_M);
	size_t i = 0, j, n = 0;

	while (i < HLL_M) {
		if (c->u.reg[i] != 0) {
			b[n++] = c->u.reg[i++];
			continue;
		}
		for (j = i; j < HLL_M && j - i < 128 && c->u.reg[j] == 0; j++)
			;
		b[n++] = (unsigned char)(0x80 + (j - i - 1));
		i = j;
	}
	ob_putc(ob, 'h');
	base64_put(ob, b, n);
	free(b);
}

/* The counter as a JSON string, for partial rows. */
void
hll_put(struct obuf *ob, const struct hll *c)
{
	ob_putc(ob, '"');
	if (c->cap == HLL_DENSE)
		put_dense(ob, c);
	else
		put_set(ob, c);
	ob_putc(ob, '"');
}

static int
get_dense(struct hll *c, const unsigned char *b, size_t n)
{
	struct hll d;
	size_t i, o = 0, k;
	int rc = -1;

	d.u.reg = xcalloc(HLL_M, 1);
	d.cap = HLL_DENSE;
	d.n = 0;
	for (i = 0; i < n; i++) {
		k = b[i] >= 0x80 ? (size_t)(b[i] - 0x80) + 1 : 1;
		if ((b[i] > Q + 1 && b[i] < 0x80) || b[i] == 0 || k > HLL_M - o)
			goto out;
		if (b[i] < 0x80)
			d.u.reg[o] = b[i];
		o += k;
	}
	if (o == HLL_M) {
		hll_merge(c, &d);
		rc = 0;
	}
out:
	free(d.u.reg);
	return rc;
}

/* Merge the text of hll_put (without its quotes) into c; -1 if bad. */
int
hll_get(struct hll *c, const char *s, size_t n)
{
	unsigned char *b;
	long k;
	size_t i, j;
	uint64_t h;
	int rc = 0;

	if (n == 0 || (s[0] != 's' && s[0] != 'h'))
		return -1;
	b = xmalloc(n / 4 * 3 + 1);
	k = base64_decode((char *)b, s + 1, n - 1);
	if (k < 0 || (s[0] == 's' && k % 8 != 0))
		rc = -1;
	else if (s[0] == 'h')
		rc = get_dense(c, b, (size_t)k);
	else
		for (i = 0; i < (size_t)k; i += 8) {
			for (h = 0, j = 0; j < 8; j++)
				h = h << 8 | b[i + j];
			hll_add(c, h);
		}
	free(b);
	return rc;
}
