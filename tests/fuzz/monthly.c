/*
 * libFuzzer target: the row reader of the monthly archives
 * (lib/monthly.c, mrow_parse), the input as lines.  A row it accepts
 * reads the same again, its hour is of the form it promises, and the
 * order it gives rows (mrow_cmp) is a total order on the accepted ones:
 * reflexive, antisymmetric, transitive over every three in a row.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "monthly.h"

#define MAXROWS 64

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

static void
one(struct mrow *r, const char *p, size_t n)
{
	struct mrow again;
	const char *why;

	FUZZ_ASSERT(r->hour[4] == '-' && r->hour[10] == 'T' &&
	    strlen(r->hour) == MONTHLY_HOURLEN);
	FUZZ_ASSERT(mrow_parse(&again, p, n, &why) == 0);
	FUZZ_ASSERT(mrow_cmp(r, &again) == 0 && again.keylen == r->keylen &&
	    (r->keylen == 0 || memcmp(again.key, r->key, r->keylen) == 0) &&
	    again.requests == r->requests);
	mrow_free(&again);
}

static void
order(struct mrow *v, size_t n)
{
	size_t i;
	int ab, bc, ac;

	for (i = 0; i + 1 < n; i++)
		FUZZ_ASSERT(sign(mrow_cmp(&v[i], &v[i + 1])) ==
		    -sign(mrow_cmp(&v[i + 1], &v[i])));
	for (i = 0; i + 2 < n; i++) {
		ab = sign(mrow_cmp(&v[i], &v[i + 1]));
		bc = sign(mrow_cmp(&v[i + 1], &v[i + 2]));
		ac = sign(mrow_cmp(&v[i], &v[i + 2]));
		if (ab == bc)
			FUZZ_ASSERT(ac == ab);
		if (ab == 0)
			FUZZ_ASSERT(ac == bc);
		if (bc == 0)
			FUZZ_ASSERT(ac == ab);
	}
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct mrow v[MAXROWS];
	const char *p = (const char *)data, *end = p + size, *nl, *why;
	size_t n = 0, i;

	for (; p < end && n < MAXROWS; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		why = NULL;
		if (mrow_parse(&v[n], p, (size_t)(nl - p), &why) < 0) {
			FUZZ_ASSERT(why != NULL);
			continue;
		}
		one(&v[n], p, (size_t)(nl - p));
		n++;
	}
	order(v, n);
	for (i = 0; i < n; i++)
		mrow_free(&v[i]);
	return 0;
}
