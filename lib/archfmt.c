/* Archive names, dates and ids (logbook-archive(1)). */
#include <stdio.h>
#include <string.h>

#include "archfmt.h"
#include "timeconv.h"

/* The UTC day of a time, rounding down before 1970 too. */
int64_t
arch_day(int64_t sec)
{
	return sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
}

/* Whether a day's year has 4 digits, as archive names need. */
int
arch_day_ok(int64_t day)
{
	return day >= -719528 && day <= 2932896; /* 0000-01-01, 9999-12-31 */
}

/* YYYY-MM-DD of a day; -1 when its year has not 4 digits. */
int
arch_date(char buf[ARCH_DATELEN + 1], int64_t day)
{
	int64_t y;
	unsigned m, d;

	if (!arch_day_ok(day))
		return -1;
	civil_from_days(day, &y, &m, &d);
	snprintf(buf, ARCH_DATELEN + 1, "%04d-%02u-%02u", (int)y, m, d);
	return 0;
}

static int
digits(const char *s, size_t n, unsigned *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return 0;
}

/* YYYY-MM-DD, exactly and a real date, to its day. */
int
arch_parse_date(const char *s, size_t n, int64_t *day)
{
	unsigned y, m, d;

	if (n != ARCH_DATELEN || s[4] != '-' || s[7] != '-' ||
	    digits(s, 4, &y) < 0 || digits(s + 5, 2, &m) < 0 ||
	    digits(s + 8, 2, &d) < 0 || m < 1 || m > 12 || d < 1 ||
	    (int)d > days_in_month(y, m))
		return -1;
	*day = days_from_civil(y, m, d);
	return 0;
}

/* The archive's path under DIR. */
int
arch_relpath(char buf[ARCH_RELLEN + 1], int64_t day)
{
	char d[ARCH_DATELEN + 1];

	if (arch_date(d, day) < 0)
		return -1;
	snprintf(
	    buf, ARCH_RELLEN + 1, "%.4s/%.2s/logbook-%s.tar.gz", d, d + 5, d);
	return 0;
}

/* The day an archive's file name stands for; -1 for other names. */
int
arch_parse_base(const char *s, size_t n, int64_t *day)
{
	if (n != ARCH_BASELEN || memcmp(s, "logbook-", 8) != 0 ||
	    memcmp(s + 18, ".tar.gz", 7) != 0)
		return -1;
	return arch_parse_date(s + 8, ARCH_DATELEN, day);
}

/* Hexadecimal digits' values plus one; 0 for any other byte. */
static const unsigned char hexv[256] = { ['0'] = 1,
	['1'] = 2,
	['2'] = 3,
	['3'] = 4,
	['4'] = 5,
	['5'] = 6,
	['6'] = 7,
	['7'] = 8,
	['8'] = 9,
	['9'] = 10,
	['a'] = 11,
	['b'] = 12,
	['c'] = 13,
	['d'] = 14,
	['e'] = 15,
	['f'] = 16 };

/*
 * Check an id's form and pack it; -1 when it is not an id.  Every event
 * passes here twice: no branch per digit.
 */
int
arch_idkey(const char *s, size_t n, struct idkey *k)
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t t = 0, h = 0;
	unsigned bad = 0, d;
	size_t i;

	if (n != 32 || s[8] != 'T' || s[15] != '-')
		return -1;
	for (i = 0; i < 15; i++) {
		if (i == 8)
			continue;
		d = (unsigned)u[i] - '0';
		bad |= d > 9;
		t = t * 10 + d;
	}
	for (i = 16; i < 32; i++) {
		d = hexv[u[i]];
		bad |= d == 0;
		h = h << 4 | (d - 1);
	}
	if (bad)
		return -1;
	k->t = t;
	k->h = h;
	return 0;
}

int
arch_idcmp(const struct idkey *a, const struct idkey *b)
{
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return 0;
}

/* A count as the manifest and hourly rows write it: decimal digits, no
 * sign, no leading zero, not past 64 bits. */
int
arch_u64(const char *s, size_t n, uint64_t *v)
{
	size_t i;

	if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
		return -1;
	for (*v = 0, i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    *v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}
