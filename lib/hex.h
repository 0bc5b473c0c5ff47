/* Hexadecimal digits, read. */
#ifndef LB_HEX_H
#define LB_HEX_H

#include <stddef.h>

/*
 * The value of a hexadecimal digit of either case, -1 for any other
 * byte.  Inline: the JSON scanner asks it for every \u escape.
 */
static inline int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hex_decode(unsigned char *, const char *, size_t);

#endif
