/*
 * Unit tests: rt percentiles from the sketch are within QS_ALPHA of the
 * exact nearest-rank values, and the sketch is the same bit for bit
 * however its input is split.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "obuf.h"
#include "qsketch.h"
#include "tap.h"

static int
cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Log-normal durations around 30 ms, whole milliseconds as nginx has. */
static int64_t
draw(int ms)
{
	double u1 = (rand() + 1.0) / (RAND_MAX + 2.0);
	double u2 = (rand() + 1.0) / (RAND_MAX + 2.0);
	double z = sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
	double s = 0.03 * exp(1.2 * z);

	if (ms)
		return (int64_t)llround(s * 1000) * 1000000;
	return (int64_t)llround(s * 1e9);
}

static double
worst_error(size_t n, int ms, unsigned seed)
{
	static const double q[] = { 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1 };
	int64_t *v = malloc(n * sizeof(*v)), est;
	struct qsketch s;
	uint64_t r;
	double worst = 0, e;
	size_t i;

	memset(&s, 0, sizeof(s));
	srand(seed);
	for (i = 0; i < n; i++) {
		v[i] = draw(ms);
		qs_add(&s, v[i]);
	}
	qsort(v, n, sizeof(*v), cmp);
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		r = (uint64_t)ceil(q[i] * (double)n);
		qs_ranks(&s, &r, 1, &est);
		if (v[r - 1] == 0)
			e = est == 0 ? 0 : 1;
		else
			e = fabs((double)(est - v[r - 1])) / (double)v[r - 1];
		worst = e > worst ? e : worst;
	}
	qs_free(&s);
	free(v);
	return worst;
}

static void
accuracy(void)
{
	double w = 0, e;
	unsigned seed;

	for (seed = 1; seed <= 20; seed++) {
		e = worst_error(1 + seed * 997, seed & 1, seed);
		w = e > w ? e : w;
	}
	tap_ok(w <= QS_ALPHA * 1.000001,
	    "percentiles within %.1f%% "
	    "(worst %.5f)",
	    QS_ALPHA * 100, w);
	e = worst_error(1000000, 1, 99);
	tap_ok(e <= QS_ALPHA * 1.000001,
	    "1e6 values: within %.1f%% "
	    "(worst %.5f)",
	    QS_ALPHA * 100, e);
}

static char *
text(const struct qsketch *s, size_t *n)
{
	struct obuf ob;
	char *t;

	ob_init(&ob, -1);
	qs_put(&ob, s);
	t = malloc(ob.len + 1);
	memcpy(t, ob.buf, ob.len);
	t[ob.len] = '\0';
	*n = ob.len;
	ob_free(&ob);
	return t;
}

static int
split_same(size_t n, int k, unsigned seed)
{
	struct qsketch whole, part[8], m;
	char *a, *b;
	size_t an, bn, i;
	int64_t x;
	int j, same;

	memset(&whole, 0, sizeof(whole));
	memset(part, 0, sizeof(part));
	memset(&m, 0, sizeof(m));
	srand(seed);
	for (i = 0; i < n; i++) {
		x = i % 17 == 0 ? 0 : draw((int)(i & 1));
		qs_add(&whole, x);
		qs_add(&part[rand() % k], x);
	}
	for (j = 0; j < k; j++)
		qs_merge(&m, &part[j]);
	a = text(&whole, &an);
	b = text(&m, &bn);
	same = an == bn && memcmp(a, b, an) == 0 &&
	    qs_total(&whole) == qs_total(&m);
	for (j = 0; j < k; j++)
		qs_free(&part[j]);
	qs_free(&whole);
	qs_free(&m);
	free(a);
	free(b);
	return same;
}

static void
merging(void)
{
	int k, good = 1;

	for (k = 1; k <= 8; k++)
		good &= split_same(20000, k, (unsigned)k);
	tap_ok(good,
	    "20000 values split in 1..8 parts merge to the same "
	    "sketch");
	for (good = 1, k = 1; k <= 8; k++)
		good &= split_same(QS_EXACT, k, (unsigned)k) &&
		    split_same(QS_EXACT + 1, k, (unsigned)k) &&
		    split_same(QS_EXACT * 2, k, (unsigned)k);
	tap_ok(good, "around QS_EXACT values: same sketch however split");
}

static void
exact_ranks(void)
{
	struct qsketch s;
	int64_t v[QS_EXACT], got;
	uint64_t r;
	int i, good = 1;

	memset(&s, 0, sizeof(s));
	srand(5);
	for (i = 0; i < QS_EXACT; i++) {
		v[i] = draw(i & 1);
		qs_add(&s, v[i]);
	}
	qsort(v, QS_EXACT, sizeof(*v), cmp);
	for (r = 1; r <= QS_EXACT; r++) {
		qs_ranks(&s, &r, 1, &got);
		good &= got == v[r - 1];
	}
	tap_ok(good && qs_exact(&s), "%d values: every rank exact", QS_EXACT);
	qs_free(&s);
}

static void
edges(void)
{
	struct qsketch s, t;
	uint64_t r[3] = { 1, 2, 3 };
	int64_t v[3];
	char *a, *b;
	size_t an, bn;

	memset(&s, 0, sizeof(s));
	memset(&t, 0, sizeof(t));
	qs_ranks(&s, r, 1, v);
	tap_ok(v[0] == -1 && qs_total(&s) == 0, "empty sketch has no ranks");
	qs_add(&s, 0);
	qs_add(&s, 1);
	qs_add(&s, INT64_C(1000000000000000000));
	qs_ranks(&s, r, 3, v);
	tap_ok(v[0] == 0 && v[1] == 1 && v[2] == INT64_C(1000000000000000000),
	    "few values are exact");
	while (qs_total(&s) <= QS_EXACT)
		qs_add(&s, 1);
	qs_ranks(&s, r, 3, v);
	tap_ok(!qs_exact(&s) && v[0] == 0 && v[1] == 1,
	    "zero and one nanosecond exact in buckets too");
	r[0] = qs_total(&s);
	qs_ranks(&s, r, 1, v);
	tap_ok(fabs((double)v[0] / 1e18 - 1) <= QS_ALPHA,
	    "1e9 seconds within bound");
	a = text(&s, &an);
	tap_ok(qs_get(&t, a + 1, an - 2) == 0, "text reads back");
	b = text(&t, &bn);
	tap_mem(b, bn, a, "same text back");
	tap_ok(qs_get(&t, "b!!!!", 5) < 0, "bad base64 refused");
	tap_ok(qs_get(&t, "bAA==", 5) < 0, "zero step refused");
	tap_ok(qs_get(&t, "bAQ==", 5) < 0, "missing count refused");
	tap_ok(qs_get(&t, "bAQE=", 5) < 0,
	    "buckets of QS_EXACT values or fewer refused");
	tap_ok(qs_get(&t, "xAQE=", 5) < 0, "unknown kind refused");
	free(a);
	free(b);
	qs_free(&s);
	qs_free(&t);
}

int
main(void)
{
	accuracy();
	merging();
	exact_ranks();
	edges();
	return tap_done() || tap_failed;
}
