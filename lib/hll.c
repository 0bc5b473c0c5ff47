/* Exact sets of hashes that turn into HyperLogLog sketches when large. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "diag.h"
#include "hll.h"

#define Q (64 - HLL_P) /* hash bits left for the rank */

static void
reg_add(uint8_t *reg, uint64_t h)
{
	uint64_t w = h << HLL_P;
	uint8_t r = w == 0 ? Q + 1 : (uint8_t)(__builtin_clzll(w) + 1);

	if (reg[h >> Q] < r)
		reg[h >> Q] = r;
}

/* The hashes of an exact counter, in ascending order. */
static const uint64_t *
members(const struct hll *c)
{
	return c->cap == 0 ? &c->u.one : c->u.set;
}

static void
densify(struct hll *c)
{
	uint8_t *reg = xcalloc(HLL_M, 1);
	const uint64_t *p = members(c);
	uint32_t i;

	for (i = 0; i < c->n; i++)
		reg_add(reg, p[i]);
	if (c->cap != 0)
		free(c->u.set);
	c->u.reg = reg;
	c->cap = HLL_DENSE;
}

/* Where h is, or would go, in the sorted hashes of c. */
static uint32_t
find(const struct hll *c, uint64_t h)
{
	const uint64_t *p = members(c);
	uint32_t lo = 0, hi = c->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (p[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Room for want hashes.  Sets grow by half (a sorted array costs eight
 * bytes a hash, where a half-empty table would cost sixteen to thirty-
 * two), and the first hash lives in the counter itself.
 */
static void
reserve(struct hll *c, uint32_t want)
{
	uint64_t one = c->u.one;
	uint32_t cap = c->cap;

	if (want <= 1 || want <= cap)
		return;
	while (cap < want)
		cap = cap < 4 ? 4 : cap + cap / 2;
	if (cap > HLL_EXACT_MAX)
		cap = HLL_EXACT_MAX;
	if (c->cap == 0) {
		c->u.set = xreallocarray(NULL, cap, sizeof(uint64_t));
		c->u.set[0] = one;
	} else
		c->u.set = xreallocarray(c->u.set, cap, sizeof(uint64_t));
	c->cap = cap;
}

void
hll_add(struct hll *c, uint64_t h)
{
	uint32_t i;

	if (c->cap == HLL_DENSE) {
		reg_add(c->u.reg, h);
		return;
	}
	if (c->n == 0) {
		c->u.one = h;
		c->n = 1;
		return;
	}
	i = find(c, h);
	if (i < c->n && members(c)[i] == h)
		return;
	if (c->n == HLL_EXACT_MAX) {
		densify(c);
		reg_add(c->u.reg, h);
		return;
	}
	reserve(c, c->n + 1);
	memmove(c->u.set + i + 1, c->u.set + i, (c->n - i) * sizeof(h));
	c->u.set[i] = h;
	c->n++;
}

/* Two exact counters: a merge of sorted lists while the union is small. */
static void
union_exact(struct hll *c, const struct hll *from)
{
	const uint64_t *a = members(c), *b = members(from);
	uint64_t *u = xreallocarray(NULL, c->n + from->n, sizeof(*u));
	uint32_t i = 0, j = 0, k = 0;

	while (i < c->n || j < from->n) {
		if (j == from->n || (i < c->n && a[i] < b[j]))
			u[k++] = a[i++];
		else if (i == c->n || b[j] < a[i])
			u[k++] = b[j++];
		else {
			u[k++] = a[i++];
			j++;
		}
	}
	if (c->cap != 0)
		free(c->u.set);
	if (k == 1) {
		c->u.one = u[0];
		c->cap = 0;
		free(u);
	} else {
		c->u.set = xreallocarray(u, k, sizeof(*u));
		c->cap = k;
	}
	c->n = k;
	if (k > HLL_EXACT_MAX)
		densify(c);
}

void
hll_merge(struct hll *c, const struct hll *from)
{
	uint32_t i;

	if (from->cap == HLL_DENSE) {
		if (c->cap != HLL_DENSE)
			densify(c);
		for (i = 0; i < HLL_M; i++)
			if (c->u.reg[i] < from->u.reg[i])
				c->u.reg[i] = from->u.reg[i];
		return;
	}
	if (c->cap == HLL_DENSE) {
		for (i = 0; i < from->n; i++)
			reg_add(c->u.reg, members(from)[i]);
		return;
	}
	if (from->n > 0)
		union_exact(c, from);
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

/* The exact set: "s" and the sorted hashes, eight bytes each, big end
 * first, in base64. */
static void
put_set(struct obuf *ob, const struct hll *c)
{
	unsigned char *b = xreallocarray(NULL, c->n + 1, 8);
	const uint64_t *h = members(c);
	size_t i, j;

	for (i = 0; i < c->n; i++)
		for (j = 0; j < 8; j++)
			b[i * 8 + j] = (unsigned char)(h[i] >> (56 - 8 * j));
	ob_putc(ob, 's');
	base64_put(ob, b, c->n * 8);
	free(b);
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
