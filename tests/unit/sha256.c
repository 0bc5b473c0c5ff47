/*
 * Unit tests: SHA-256 against the NIST example vectors (FIPS 180-4 and
 * the SHA examples of the CSRC), with the portable code and, where the
 * processor has them, the SHA extensions; fed in every split.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "tap.h"

static const char *
digest(const void *p, size_t n, size_t step)
{
	static char hex[SHA256_HEXLEN + 1];
	unsigned char d[SHA256_LEN];
	const unsigned char *q = p;
	struct sha256 s;
	size_t k;

	sha256_init(&s);
	for (; n > 0; q += k, n -= k) {
		k = step < n ? step : n;
		sha256_update(&s, q, k);
	}
	sha256_final(&s, d);
	sha256_hex(hex, d);
	return hex;
}

static void
vectors(const char *impl)
{
	static const char m448[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char m896[] =
	    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	char *a = malloc(1000000), name[64];

	snprintf(name, sizeof(name), "%s: abc", impl);
	tap_mem(digest("abc", 3, 3), SHA256_HEXLEN,
	    "ba7816bf8f01cfea414140de"
	    "5dae2223b00361a396177a9cb410ff61f20015ad",
	    name);
	tap_ok(strcmp(digest("", 0, 1),
	           "e3b0c44298fc1c149afbf4c8996fb924"
	           "27ae41e4649b934ca495991b7852b855") == 0,
	    "%s: empty", impl);
	tap_ok(strcmp(digest(m448, 56, 56),
	           "248d6a61d20638b8e5c026930c3e60"
	           "39a33ce45964ff2167f6ecedd419db06c1") == 0,
	    "%s: 448 bits", impl);
	tap_ok(strcmp(digest(m896, 112, 112),
	           "cf5b16a778af8380036ce59e7b04"
	           "92370b249b11e8f07a51afac45037afee9d1") == 0,
	    "%s: 896 bits", impl);
	memset(a, 'a', 1000000);
	tap_ok(strcmp(digest(a, 1000000, 1000000),
	           "cdc76e5c9914fb9281a1c7e2"
	           "84d73e67f1809a48a497200e046d39ccc7112cd0") == 0,
	    "%s: one million a", impl);
	tap_ok(strcmp(digest(a, 1000000, 7),
	           "cdc76e5c9914fb9281a1c7e284d73e"
	           "67f1809a48a497200e046d39ccc7112cd0") == 0,
	    "%s: one million a, 7 bytes at a time", impl);
	free(a);
}

/* Every length around the padding boundaries, both implementations. */
static void
lengths(void)
{
	unsigned char buf[200];
	char want[SHA256_HEXLEN + 1];
	size_t n, i;
	int same = 1, hw;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + 1);
	hw = sha256_accel(1);
	for (n = 0; n <= sizeof(buf); n++) {
		(void)sha256_accel(0);
		strcpy(want, digest(buf, n, n + 1));
		(void)sha256_accel(1);
		same &= strcmp(want, digest(buf, n, 1)) == 0;
		same &= strcmp(want, digest(buf, n, 64)) == 0;
	}
	tap_ok(same, "lengths 0 to 200: the same digest in any split%s",
	    hw ? ", portable and SHA extensions" : "");
}

int
main(void)
{
	(void)sha256_accel(0);
	vectors("portable");
	if (sha256_accel(1))
		vectors("SHA extensions");
	lengths();
	return tap_done() || tap_failed;
}
