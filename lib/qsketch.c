/* DDSketch-style log buckets, kept as a sorted sparse list. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "diag.h"
#include "qsketch.h"

#define CMASK ((UINT64_C(1) << 48) - 1)
#define MAXBUCKET NBOUND /* decoding limit */
#define NBOUND 4200 /* g^4199 > 2^63 */

/*
 * The bucket bounds g^j, j = 0, 1, ..., by repeated multiplication: IEEE
 * 754 rounds each product exactly, so every machine computes the same
 * table and puts each value in the same bucket, where log(3) and pow(3)
 * may differ in their last bits between C libraries.  Sketches made on
 * different machines then merge as if made on one.
 */
static const double *
bounds(void)
{
	static _Thread_local double g[NBOUND];
	double gamma = (1 + QS_ALPHA) / (1 - QS_ALPHA);
	size_t j;

	if (g[0] == 0)
		for (g[0] = 1, j = 1; j < NBOUND; j++)
			g[j] = g[j - 1] * gamma;
	return g;
}

/* Bucket 0 holds zero; bucket 1 + j the values in (g^(j-1), g^j]. */
static uint64_t
bucket(int64_t ns)
{
	const double *g = bounds();
	double x = (double)ns;
	uint32_t lo = 0, hi = NBOUND - 1, mid;

	if (ns <= 0)
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (g[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 1 + lo;
}

/* The entries: the first lives in the sketch itself. */
static uint64_t *
ents(struct qsketch *s)
{
	return s->cap == 0 ? &s->u.one : s->u.e;
}

static const uint64_t *
cents(const struct qsketch *s)
{
	return s->cap == 0 ? &s->u.one : s->u.e;
}

/* Room for one more entry; by half again, as rows are many and small. */
static uint64_t *
room(struct qsketch *s)
{
	uint64_t one = s->u.one;

	if (s->n < (s->cap == 0 ? 1 : s->cap))
		return ents(s);
	if (s->cap == 0) {
		s->u.e = xreallocarray(NULL, 2, sizeof(uint64_t));
		s->u.e[0] = one;
		s->cap = 2;
		return s->u.e;
	}
	s->cap = s->cap < 4 ? s->cap + 2 : s->cap + s->cap / 2;
	s->u.e = xreallocarray(s->u.e, s->cap, sizeof(uint64_t));
	return s->u.e;
}

/* The first entry whose bucket is not below b. */
static uint32_t
find(const struct qsketch *s, uint64_t b)
{
	const uint64_t *e = cents(s);
	uint32_t lo = 0, hi = s->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (e[mid] >> 48 < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Add k to bucket b; counts saturate at 2^48 - 1. */
static void
bump(struct qsketch *s, uint64_t b, uint64_t k)
{
	uint32_t i = find(s, b);
	uint64_t c = 0, *e = ents(s);

	k = k > CMASK ? CMASK : k;
	if (i < s->n && e[i] >> 48 == b) {
		c = e[i] & CMASK;
		k = k > CMASK - c ? CMASK - c : k;
		e[i] = b << 48 | (c + k);
	} else {
		e = room(s);
		memmove(e + i + 1, e + i, (s->n - i) * sizeof(*e));
		e[i] = b << 48 | k;
		s->n++;
	}
	s->total = k > UINT64_MAX - s->total ? UINT64_MAX : s->total + k;
}

static int
exact(const struct qsketch *s)
{
	return s->total <= QS_EXACT;
}

int
qs_exact(const struct qsketch *s)
{
	return exact(s);
}

/* Into the sorted list of exact values. */
static void
put_value(struct qsketch *s, uint64_t v)
{
	uint64_t *e = room(s);
	uint32_t lo = 0, hi = s->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (e[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(e + lo + 1, e + lo, (s->n - lo) * sizeof(*e));
	e[lo] = v;
	s->n++;
	s->total++;
}

/* The exact values into buckets, before the count passes QS_EXACT. */
static void
to_buckets(struct qsketch *s)
{
	uint64_t v[QS_EXACT];
	uint32_t i, n = s->n;

	memcpy(v, cents(s), n * sizeof(*v));
	qs_free(s);
	for (i = 0; i < n; i++)
		bump(s, bucket((int64_t)v[i]), 1);
}

void
qs_add(struct qsketch *s, int64_t ns)
{
	if (s->total < QS_EXACT) {
		put_value(s, (uint64_t)ns);
		return;
	}
	if (s->total == QS_EXACT)
		to_buckets(s);
	bump(s, bucket(ns), 1);
}

void
qs_merge(struct qsketch *s, const struct qsketch *from)
{
	uint32_t i;

	if (exact(from)) {
		for (i = 0; i < from->n; i++)
			qs_add(s, (int64_t)cents(from)[i]);
		return;
	}
	if (exact(s))
		to_buckets(s);
	for (i = 0; i < from->n; i++)
		bump(s, cents(from)[i] >> 48, cents(from)[i] & CMASK);
}

uint64_t
qs_total(const struct qsketch *s)
{
	return s->total;
}

/* What bucket b stands for: 2 g^(b-1) / (g + 1), in nanoseconds. */
/* What bucket b stands for: 2 g^j / (g + 1), within QS_ALPHA of all its
 * values, in nanoseconds. */
static int64_t
value(uint64_t b)
{
	const double *g = bounds();
	double gamma = (1 + QS_ALPHA) / (1 - QS_ALPHA), x;

	if (b == 0)
		return 0;
	if (b > NBOUND)
		return INT64_MAX;
	x = 2 * g[b - 1] / (gamma + 1);
	return x >= 9e18 ? INT64_MAX : (int64_t)llround(x);
}

/*
 * Estimates of the values of ranks r[0] <= r[1] ... (1 for the smallest)
 * into v, in nanoseconds; -1 for a rank past the count.
 */
void
qs_ranks(const struct qsketch *s, const uint64_t *r, size_t n, int64_t *v)
{
	uint64_t cum = 0;
	uint32_t i;
	size_t j = 0;

	if (exact(s)) {
		for (; j < n; j++)
			v[j] = r[j] >= 1 && r[j] <= s->total
			    ? (int64_t)cents(s)[r[j] - 1]
			    : -1;
		return;
	}
	for (i = 0; i < s->n && j < n; i++) {
		cum += cents(s)[i] & CMASK;
		for (; j < n && cum >= r[j]; j++)
			v[j] = value(cents(s)[i] >> 48);
	}
	for (; j < n; j++)
		v[j] = -1;
}

void
qs_free(struct qsketch *s)
{
	if (s->cap != 0)
		free(s->u.e);
	memset(s, 0, sizeof(*s));
}

static size_t
varint(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/*
 * As a JSON string: "v" and the exact values, or "b" and the buckets,
 * in base64 of varints: for each value its distance from the previous
 * one (the first from 0); for each bucket its distance from the previous
 * one (the first from -1) and its count.
 */
void
qs_put(struct obuf *ob, const struct qsketch *s)
{
	unsigned char *b = xreallocarray(NULL, s->n + 1, 20);
	uint64_t prev = exact(s) ? 0 : (uint64_t)-1;
	const uint64_t *e = cents(s);
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < s->n; i++) {
		if (exact(s)) {
			n += varint(b + n, e[i] - prev);
			prev = e[i];
			continue;
		}
		n += varint(b + n, (e[i] >> 48) - prev);
		n += varint(b + n, e[i] & CMASK);
		prev = e[i] >> 48;
	}
	ob_putc(ob, '"');
	ob_putc(ob, exact(s) ? 'v' : 'b');
	base64_put(ob, b, n);
	ob_putc(ob, '"');
	free(b);
}

static int
unvarint(const unsigned char *p, size_t n, size_t *i, uint64_t *v)
{
	int shift = 0;

	*v = 0;
	while (*i < n && shift < 63) {
		*v |= (uint64_t)(p[*i] & 0x7f) << shift;
		if ((p[(*i)++] & 0x80) == 0)
			return 0;
		shift += 7;
	}
	return -1;
}

static int
get_values(struct qsketch *t, const unsigned char *b, size_t k)
{
	uint64_t v = 0, d;
	size_t i = 0;

	while (i < k) {
		if (unvarint(b, k, &i, &d) < 0 || d > (uint64_t)INT64_MAX - v ||
		    t->total == QS_EXACT)
			return -1;
		v += d;
		put_value(t, v);
	}
	return 0;
}

static int
get_buckets(struct qsketch *t, const unsigned char *b, size_t k)
{
	uint64_t b0 = (uint64_t)-1, d, c;
	size_t i = 0;

	while (i < k) {
		if (unvarint(b, k, &i, &d) < 0 || unvarint(b, k, &i, &c) < 0 ||
		    d == 0 || d > MAXBUCKET || c == 0 || c > CMASK ||
		    (b0 = b0 + d) > MAXBUCKET)
			return -1;
		bump(t, b0, c);
	}
	return exact(t) ? -1 : 0;
}

/* Merge the text of qs_put (without its quotes) into s; -1 if bad. */
int
qs_get(struct qsketch *s, const char *t, size_t n)
{
	struct qsketch tmp;
	unsigned char *b;
	long got;
	int rc;

	if (n == 0 || (t[0] != 'v' && t[0] != 'b'))
		return -1;
	memset(&tmp, 0, sizeof(tmp));
	b = xmalloc(n / 4 * 3 + 1);
	got = base64_decode((char *)b, t + 1, n - 1);
	if (got < 0)
		rc = -1;
	else if (t[0] == 'v')
		rc = get_values(&tmp, b, (size_t)got);
	else
		rc = get_buckets(&tmp, b, (size_t)got);
	if (rc == 0)
		qs_merge(s, &tmp);
	qs_free(&tmp);
	free(b);
	return rc;
}
