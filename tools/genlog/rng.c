/*
 * Random numbers and distributions.  Only IEEE basic operations and sqrt
 * are used, never the C library's exp or pow, whose last bits differ
 * between systems: the same seed must give the same bytes everywhere.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "diag.h"
#include "genlog.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Streams of one seed are independent: each has its own state. */
void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = splitmix64(&seed) ^ (stream * 0xd1342543de82ef95u);
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

/* Standard normal, close enough: the sum of twelve uniforms (|z| < 6). */
double
rng_normal(struct rng *r)
{
	double z = -6;
	uint64_t v;
	int i;

	for (i = 0; i < 6; i++) {
		v = rng_next(r);
		z += ((double)(v >> 32) + 0.5) * 0x1p-32;
		z += ((double)(v & 0xffffffffu) + 0.5) * 0x1p-32;
	}
	return z;
}

/* e^x by range reduction to |r| <= ln2/2 and a Taylor series. */
double
det_exp(double x)
{
	const double ln2 = 0.6931471805599453;
	double k, r, t = 1, s = 1;
	int i, e;

	if (x > 700)
		x = 700;
	if (x < -700)
		x = -700;
	k = x * 1.4426950408889634;
	e = (int)(k < 0 ? k - 0.5 : k + 0.5);
	r = x - e * ln2;
	for (i = 1; i < 16; i++) {
		t = t * r / i;
		s += t;
	}
	for (; e > 0; e--)
		s *= 2;
	for (; e < 0; e++)
		s /= 2;
	return s;
}

void
cdf_build(struct cdf *c, const double *w, size_t n)
{
	double tot = 0, acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		tot += w[i];
	c->thr = xreallocarray(NULL, n, sizeof(*c->thr));
	c->n = n;
	for (i = 0; i < n; i++) {
		acc += w[i];
		c->thr[i] = (uint64_t)(acc / tot * 0x1p53);
	}
	c->thr[n - 1] = (uint64_t)1 << 53;
}

/* Zipf over n ranks with exponent eighths/8: weights 1/k^s. */
void
cdf_zipf(struct cdf *c, size_t n, int eighths)
{
	double *w = xreallocarray(NULL, n, sizeof(*w)), r, p;
	size_t k;
	int i;

	for (k = 1; k <= n; k++) {
		r = sqrt(sqrt(sqrt((double)k)));
		for (p = 1, i = 0; i < eighths; i++)
			p *= r;
		w[k - 1] = 1 / p;
	}
	cdf_build(c, w, n);
	free(w);
}

/* The first index whose threshold is above a 53-bit draw. */
size_t
cdf_draw(const struct cdf *c, struct rng *r)
{
	uint64_t v = rng_next(r) >> 11;
	size_t lo = 0, hi = c->n - 1, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->thr[mid] > v)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* An index of a small table of integer weights. */
size_t
pick(struct rng *r, const uint16_t *w, size_t n)
{
	uint32_t tot = 0, v;
	size_t i;

	for (i = 0; i < n; i++)
		tot += w[i];
	v = rng_below(r, tot);
	for (i = 0; i + 1 < n && v >= w[i]; i++)
		v -= w[i];
	return i;
}
