/* Unit tests: XXH64 against the specification's vectors; base64. */
#include <stdint.h>
#include <string.h>

#include "base64.h"
#include "tap.h"
#include "xxhash.h"

static void
b64(const char *in, const char *want)
{
	struct obuf ob;
	char back[64];
	long n;

	ob_init(&ob, -1);
	base64_put(&ob, in, strlen(in));
	tap_mem(ob.buf, ob.len, want, "base64 encode");
	n = base64_decode(back, ob.buf, ob.len);
	tap_ok(n >= 0 && (size_t)n == strlen(in) &&
	        memcmp(back, in, (size_t)n) == 0,
	    "base64 decode of %s", want);
	ob_free(&ob);
}

int
main(void)
{
	unsigned char buf[222];
	uint64_t gen = 2654435761U;
	size_t i;
	char d[8];

	/* The specification's sanity buffer: the top bytes of a 64-bit
	 * multiplicative sequence. */
	for (i = 0; i < sizeof(buf); i++) {
		buf[i] = (unsigned char)(gen >> 56);
		gen *= 11400714785074694797ULL;
	}
	tap_ok(xxh64("", 0, 0) == 0xEF46DB3751D8E999ULL, "xxh64 empty");
	tap_ok(xxh64("", 0, 2654435761U) == 0xAC75FDA2929B17EFULL,
	    "xxh64 empty, seeded");
	tap_ok(xxh64("abc", 3, 0) == 0x44BC2CF5AD770999ULL, "xxh64 abc");
	tap_ok(xxh64(buf, 1, 0) == 0xE934A84ADB052768ULL, "sanity 1 byte");
	tap_ok(xxh64(buf, 1, 2654435761U) == 0x5014607643A9B4C3ULL,
	    "sanity 1 byte, seeded");
	tap_ok(xxh64(buf, 4, 0) == 0x9136A0DCA57457EEULL, "sanity 4 bytes");
	tap_ok(xxh64(buf, 14, 0) == 0x8282DCC4994E35C8ULL, "sanity 14 bytes");
	tap_ok(xxh64(buf, 14, 2654435761U) == 0xC3BD6BF63DEB6DF0ULL,
	    "sanity 14 bytes, seeded");
	tap_ok(xxh64(buf, 222, 0) == 0xB641AE8CB691C174ULL, "sanity 222 bytes");
	tap_ok(xxh64(buf, 222, 2654435761U) == 0x20CB8AB7AE10C14AULL,
	    "sanity 222 bytes, seeded");
	b64("", "");
	b64("f", "Zg==");
	b64("fo", "Zm8=");
	b64("foo", "Zm9v");
	b64("foobar", "Zm9vYmFy");
	tap_ok(base64_decode(d, "Zm9", 3) < 0, "base64 rejects bad length");
	tap_ok(base64_decode(d, "Zm9*", 4) < 0, "base64 rejects bad char");
	return tap_done() || tap_failed;
}
