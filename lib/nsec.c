/* Decimal seconds to and from integer nanoseconds. */
#include "nsec.h"

static const int64_t pow10[] = {
	1,
	10,
	100,
	1000,
	10000,
	100000,
	1000000,
	10000000,
	100000000,
	1000000000,
	INT64_C(10000000000),
	INT64_C(100000000000),
	INT64_C(1000000000000),
	INT64_C(10000000000000),
	INT64_C(100000000000000),
	INT64_C(1000000000000000),
	INT64_C(10000000000000000),
	INT64_C(100000000000000000),
	INT64_C(1000000000000000000),
};

struct dec {
	uint64_t m; /* up to 18 significant digits */
	int exp; /* value = m * 10^exp */
	int up; /* the first dropped digit was 5 or more */
};

static int
mantissa(const char *p, size_t n, size_t *i, struct dec *d)
{
	int any = 0, frac = 0, kept = 0, dropped = 0;

	for (; *i < n; (*i)++) {
		char c = p[*i];
		if (c == '.' && !frac) {
			frac = 1;
			continue;
		}
		if (c < '0' || c > '9')
			break;
		any = 1;
		if (kept == 18) {
			if (dropped++ == 0)
				d->up = c >= '5';
			d->exp += !frac;
			continue;
		}
		if (d->m != 0 || c != '0')
			kept++;
		d->m = d->m * 10 + (uint64_t)(c - '0');
		d->exp -= frac;
	}
	return any ? 0 : -1;
}

static int
exponent(const char *p, size_t n, size_t *i, int *e)
{
	int neg = 0, any = 0;
	long x = 0;

	if (*i < n && (p[*i] == '+' || p[*i] == '-'))
		neg = p[(*i)++] == '-';
	for (; *i < n && p[*i] >= '0' && p[*i] <= '9'; (*i)++, any = 1)
		if (x < 100000)
			x = x * 10 + (p[*i] - '0');
	*e = (int)(neg ? -x : x);
	return any ? 0 : -1;
}

/*
 * A non-negative JSON number of seconds into nanoseconds, rounded half
 * up.  -1 when it is not such a number or exceeds NSEC_MAX.
 */
/* "12.345": up to 9 digits on each side, as servers write durations. */
static int
plain(const char *p, size_t n, int64_t *out)
{
	int64_t s = 0, f = 0;
	size_t i = 0, fd = 0;

	while (i < n && i < 9 && p[i] >= '0' && p[i] <= '9')
		s = s * 10 + (p[i++] - '0');
	if (i == 0)
		return -1;
	if (i < n) {
		if (p[i++] != '.')
			return -1;
		while (i < n && fd < 9 && p[i] >= '0' && p[i] <= '9') {
			f = f * 10 + (p[i++] - '0');
			fd++;
		}
		if (fd == 0)
			return -1;
	}
	if (i != n)
		return -1;
	while (fd++ < 9)
		f *= 10;
	*out = s * 1000000000 + f;
	return 0;
}

int
nsec_parse(const char *p, size_t n, int64_t *out)
{
	struct dec d = { 0, 9, 0 };
	size_t i = 0;
	int e = 0;

	if (plain(p, n, out) == 0)
		return 0;

	if (mantissa(p, n, &i, &d) < 0)
		return -1;
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (exponent(p, n, &i, &e) < 0)
			return -1;
	}
	if (i != n)
		return -1;
	d.exp += e;
	if (d.m == 0) {
		*out = 0;
		return 0;
	}
	if (d.exp >= 0) {
		if (d.exp > 18 || d.m > (uint64_t)(NSEC_MAX / pow10[d.exp]))
			return -1;
		*out = (int64_t)d.m * pow10[d.exp] + (d.up && d.exp == 0);
	} else if (d.exp < -18)
		*out = 0;
	else {
		uint64_t q = d.m / (uint64_t)pow10[-d.exp];
		uint64_t r = d.m % (uint64_t)pow10[-d.exp];
		*out = (int64_t)(q + (r * 2 >= (uint64_t)pow10[-d.exp]));
	}
	return *out <= NSEC_MAX ? 0 : -1;
}

/* Seconds with no trailing zeros: 87000000 is 0.087, 2e9 is 2. */
void
nsec_put(struct obuf *ob, int64_t ns)
{
	char b[32], *e = b + sizeof(b), *p = e;
	int64_t s = ns / 1000000000, f = ns % 1000000000;
	int k = 9;

	if (f != 0) {
		for (; f % 10 == 0; k--)
			f /= 10;
		while (k-- > 0) {
			*--p = (char)('0' + f % 10);
			f /= 10;
		}
		*--p = '.';
	}
	do {
		*--p = (char)('0' + s % 10);
		s /= 10;
	} while (s != 0);
	ob_write(ob, p, (size_t)(e - p));
}

/* ns rounded half up to sig significant digits, for estimates. */
int64_t
nsec_round(int64_t ns, int sig)
{
	int digits = 1;
	int64_t unit;

	while (digits < 19 && ns >= pow10[digits])
		digits++;
	if (digits <= sig)
		return ns;
	unit = pow10[digits - sig];
	return (ns + unit / 2) / unit * unit;
}
