/*
 * Unit tests: the distinct counter is exact up to HLL_EXACT_MAX, within
 * 2% above, and the same bit for bit however its input is split.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hll.h"
#include "obuf.h"
#include "tap.h"
#include "xxhash.h"

static uint64_t
h(uint64_t i, uint64_t seed)
{
	return xxh64(&i, sizeof(i), seed);
}

/* The text of c, as partial rows carry it. */
static char *
text(const struct hll *c, size_t *n)
{
	struct obuf ob;
	char *s;

	ob_init(&ob, -1);
	hll_put(&ob, c);
	s = malloc(ob.len + 1);
	memcpy(s, ob.buf, ob.len);
	s[ob.len] = '\0';
	*n = ob.len;
	ob_free(&ob);
	return s;
}

static void
exact(void)
{
	struct hll c;
	uint64_t i;
	int good = 1;

	memset(&c, 0, sizeof(c));
	tap_ok(hll_count(&c) == 0, "empty counts 0");
	for (i = 0; i < HLL_EXACT_MAX; i++) {
		hll_add(&c, h(i, 1));
		hll_add(&c, h(i / 2, 1)); /* repeats */
		good &= hll_count(&c) == i + 1;
	}
	tap_ok(good, "exact for every count up to %d", HLL_EXACT_MAX);
	tap_ok(c.cap != HLL_DENSE, "still exact at %d", HLL_EXACT_MAX);
	hll_add(&c, h(0, 1));
	tap_ok(c.cap != HLL_DENSE, "a repeat does not make it a sketch");
	hll_add(&c, 0);
	hll_add(&c, 1);
	tap_ok(c.cap == HLL_DENSE, "a sketch past %d", HLL_EXACT_MAX);
	hll_free(&c);
}

static void
bound(void)
{
	static const uint64_t ns[] = { 4097, 5000, 10000, 30000, 100000, 300000,
		1000000, 3000000 };
	struct hll c;
	double err, worst = 0;
	size_t k;
	uint64_t i, seed;

	for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++)
		for (seed = 1; seed <= (ns[k] > 300000 ? 2 : 6); seed++) {
			memset(&c, 0, sizeof(c));
			for (i = 0; i < ns[k]; i++)
				hll_add(&c, h(i, seed));
			err = fabs((double)hll_count(&c) - (double)ns[k]) /
			    (double)ns[k];
			worst = err > worst ? err : worst;
			hll_free(&c);
		}
	tap_ok(worst < 0.02,
	    "relative error under 2%% from 4097 to 3e6 "
	    "distinct (worst %.4f)",
	    worst);
}

/* Split n hashes into k parts at random, count each, merge. */
static int
split_same(uint64_t n, int k, uint64_t seed)
{
	struct hll whole, part[8], m;
	char *a, *b;
	size_t an, bn;
	uint64_t i;
	int j, same;

	memset(&whole, 0, sizeof(whole));
	memset(part, 0, sizeof(part));
	memset(&m, 0, sizeof(m));
	srand((unsigned)seed);
	for (i = 0; i < n; i++) {
		uint64_t x = h(i % (n / 2 + 1), seed);
		hll_add(&whole, x);
		hll_add(&part[rand() % k], x);
	}
	for (j = 0; j < k; j++)
		hll_merge(&m, &part[j]);
	a = text(&whole, &an);
	b = text(&m, &bn);
	same = an == bn && memcmp(a, b, an) == 0 &&
	    hll_count(&whole) == hll_count(&m);
	for (j = 0; j < k; j++)
		hll_free(&part[j]);
	hll_free(&whole);
	hll_free(&m);
	free(a);
	free(b);
	return same;
}

static void
merging(void)
{
	static const uint64_t ns[] = { 1, 7, 100, 8000, 8194, 9000, 50000 };
	size_t i;
	int k, good;

	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		good = 1;
		for (k = 1; k <= 8; k++)
			good &= split_same(ns[i], k, (uint64_t)k * 31 + i);
		tap_ok(good,
		    "%llu hashes (half repeated) split in 1..8 parts "
		    "merge to the same counter",
		    (unsigned long long)ns[i]);
	}
}

static void
roundtrip(uint64_t n)
{
	struct hll c, d;
	char *a, *b;
	size_t an, bn;
	uint64_t i;

	memset(&c, 0, sizeof(c));
	memset(&d, 0, sizeof(d));
	for (i = 0; i < n; i++)
		hll_add(&c, h(i, 9));
	a = text(&c, &an);
	tap_ok(hll_get(&d, a + 1, an - 2) == 0, "%llu: text reads back",
	    (unsigned long long)n);
	b = text(&d, &bn);
	tap_mem(b, bn, a, "same text back");
	tap_ok(hll_count(&c) == hll_count(&d), "%llu: same count back",
	    (unsigned long long)n);
	free(a);
	free(b);
	hll_free(&c);
	hll_free(&d);
}

static void
bad_text(void)
{
	struct hll c;

	memset(&c, 0, sizeof(c));
	tap_ok(hll_get(&c, "", 0) < 0, "empty text refused");
	tap_ok(hll_get(&c, "x", 1) < 0, "unknown kind refused");
	tap_ok(hll_get(&c, "sAAAA", 5) < 0, "partial hash refused");
	tap_ok(hll_get(&c, "s!!!!", 5) < 0, "bad base64 refused");
	tap_ok(hll_get(&c, "hAQ==", 5) < 0, "short register list refused");
	tap_ok(
	    hll_get(&c, "s", 1) == 0 && hll_count(&c) == 0, "empty set read");
	hll_free(&c);
}

int
main(void)
{
	exact();
	bound();
	merging();
	roundtrip(0);
	roundtrip(3);
	roundtrip(HLL_EXACT_MAX);
	roundtrip(100000);
	bad_text();
	return tap_done() || tap_failed;
}
