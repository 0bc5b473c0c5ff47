/* Hexadecimal digits, read (hex.h). */
#include "hex.h"

/* A lower-case digit's value: digests are written in lower case. */
static int
lower(int c)
{
	return c >= 'A' && c <= 'F' ? -1 : hex_digit(c);
}

/*
 * n bytes into d from the 2n lower-case digits at s, as sha256_hex
 * writes them; -1 at any other byte, d then partly written.
 */
int
hex_decode(unsigned char *d, const char *s, size_t n)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if ((hi = lower(s[2 * i])) < 0 ||
		    (lo = lower(s[2 * i + 1])) < 0)
			return -1;
		d[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}
