/* 128-bit counters: sums, decimal text out and in. */
#include "u128.h"

/* x += y; -1 (x unchanged) if the sum passes 2^128 - 1. */
int
u128_add(struct u128 *x, const struct u128 *y)
{
	uint64_t lo = x->lo + y->lo, c = lo < y->lo;

	if (y->hi > UINT64_MAX - x->hi || c > UINT64_MAX - x->hi - y->hi)
		return -1;
	x->hi += y->hi + c;
	x->lo = lo;
	return 0;
}

/* Divide x by 10 in place, by 32-bit limbs; the remainder. */
static unsigned
div10(struct u128 *x)
{
	uint32_t l[4] = { (uint32_t)(x->hi >> 32), (uint32_t)x->hi,
		(uint32_t)(x->lo >> 32), (uint32_t)x->lo };
	uint64_t r = 0, cur;
	int i;

	for (i = 0; i < 4; i++) {
		cur = r << 32 | l[i];
		l[i] = (uint32_t)(cur / 10);
		r = cur % 10;
	}
	x->hi = (uint64_t)l[0] << 32 | l[1];
	x->lo = (uint64_t)l[2] << 32 | l[3];
	return (unsigned)r;
}

void
u128_put(struct obuf *ob, struct u128 x)
{
	char d[40];
	size_t n = 0;

	if (x.hi == 0) {
		ob_u64(ob, x.lo);
		return;
	}
	while (x.hi != 0 || x.lo != 0)
		d[n++] = (char)('0' + div10(&x));
	while (n > 0)
		ob_putc(ob, d[--n]);
}

/* Decimal digits only; -1 if empty, not digits, or above 2^128 - 1. */
int
u128_parse(const char *s, size_t n, struct u128 *out)
{
	struct u128 x = { 0, 0 }, t;
	size_t i;
	int k;

	if (n == 0 || n > 39)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		t = x;
		for (k = 0; k < 9; k++) /* x * 10 as ten additions */
			if (u128_add(&x, &t) < 0)
				return -1;
		t.hi = 0;
		t.lo = (uint64_t)(s[i] - '0');
		if (u128_add(&x, &t) < 0)
			return -1;
	}
	*out = x;
	return 0;
}
