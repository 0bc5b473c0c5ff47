/* Path normalization for aggregation keys. */
#include <string.h>

#include "pathnorm.h"

static int
ishex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* 8-4-4-4-12 hex digits, either case. */
static int
is_uuid(const char *s, size_t n)
{
	size_t i;

	if (n != 36)
		return 0;
	for (i = 0; i < n; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!ishex((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

static int
long_hex(const char *s, size_t n)
{
	size_t i;

	if (n < PATHNORM_HEX_MIN)
		return 0;
	for (i = 0; i < n; i++)
		if (!ishex((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * Write the normalized form of path p (n bytes) to d, which has room for
 * 2 * n + 3 bytes (":id" is three times a one-digit segment); returns
 * its length.  Segments between slashes that are all decimal digits, a UUID
 * or at least PATHNORM_HEX_MIN hex digits become ":id".
 */
size_t
pathnorm(char *d, const char *p, size_t n)
{
	size_t i = 0, o = 0, j;
	const char *slash;

	while (i < n) {
		slash = memchr(p + i, '/', n - i);
		j = slash != NULL ? (size_t)(slash - p) : n;
		if (all_digits(p + i, j - i) || is_uuid(p + i, j - i) ||
		    long_hex(p + i, j - i)) {
			memcpy(d + o, ":id", 3);
			o += 3;
		} else {
			memcpy(d + o, p + i, j - i);
			o += j - i;
		}
		if (j < n)
			d[o++] = '/';
		i = j + 1;
	}
	return o;
}
