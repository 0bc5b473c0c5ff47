/* The compression of a stream, from its magic bytes. */
#include <string.h>

#include "magic.h"

struct sig {
	int kind;
	const char *bytes;
	size_t len;
};

/* bzip2: "BZh", the block size '1'..'9', then a block's or the end's. */
static const struct sig sigs[] = {
	{ MAGIC_GZIP, "\x1f\x8b", 2 },
	{ MAGIC_XZ, "\3757zXZ\0", 6 }, /* octal: \xfd7 would be one */
	{ MAGIC_ZSTD, "\x28\xb5\x2f\xfd", 4 },
	{ MAGIC_BZIP2, "BZh?\x31\x41\x59\x26\x53\x59", 10 },
	{ MAGIC_BZIP2, "BZh?\x17\x72\x45\x38\x50\x90", 10 },
};

/* How many of the n bytes at p agree with s ('?' of bzip2: 1 to 9). */
static size_t
agree(const struct sig *s, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < s->len; i++) {
		if (s->kind == MAGIC_BZIP2 && i == 3) {
			if (p[i] < '1' || p[i] > '9')
				break;
		} else if (p[i] != (unsigned char)s->bytes[i])
			break;
	}
	return i;
}

int
magic_of(const unsigned char *p, size_t n)
{
	size_t i, k;
	int more = 0;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		k = agree(&sigs[i], p, n);
		if (k == sigs[i].len)
			return sigs[i].kind;
		if (k == n)
			more = 1; /* all of them agree: too few to tell */
	}
	return more && n < MAGIC_LEN ? MAGIC_MORE : MAGIC_PLAIN;
}
