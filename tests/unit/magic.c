/*
 * Unit tests: lib/magic.h tells each compression by its first bytes,
 * asks for more only while they could still be a magic, and takes text
 * that merely starts like one for plain.
 */
#include <string.h>

#include "magic.h"
#include "tap.h"

static void
is(const char *p, size_t n, int want, const char *name)
{
	int got = magic_of((const unsigned char *)p, n);

	tap_ok(got == want, "%s: %d, want %d", name, got, want);
}

int
main(void)
{
	static const char bz[] = "BZh91AY&SY";
	static const char bzend[] = "BZh1\x17\x72\x45\x38\x50\x90";

	is("\x1f\x8b\x08", 3, MAGIC_GZIP, "gzip");
	is("\x1f", 1, MAGIC_MORE, "gzip's first byte: more");
	is("\x1f\x8c", 2, MAGIC_PLAIN, "not gzip");
	is("\xfd"
	   "7zXZ\0\0\x04",
	    8, MAGIC_XZ, "xz");
	is("\xfd"
	   "7zX",
	    4, MAGIC_MORE, "xz cut short: more");
	is("\xfd"
	   "7zXY\0",
	    6, MAGIC_PLAIN, "not xz");
	is("\x28\xb5\x2f\xfd\x24", 5, MAGIC_ZSTD, "zstd");
	is("\x28\xb5\x2f", 3, MAGIC_MORE, "zstd cut short: more");
	is(bz, 10, MAGIC_BZIP2, "bzip2 with a block");
	is(bzend, 10, MAGIC_BZIP2, "empty bzip2");
	is(bz, 6, MAGIC_MORE, "bzip2 cut short: more");
	is("BZh0"
	   "1AY&SY",
	    10, MAGIC_PLAIN, "bzip2 block size 0: plain");
	is("BZh9 is a host", 14, MAGIC_PLAIN, "text starting BZh9: plain");
	is("192.0.2.1 - -", 13, MAGIC_PLAIN, "a log line");
	is("{\"time\":", 8, MAGIC_PLAIN, "NDJSON");
	is("1", 1, MAGIC_PLAIN, "one byte of text: plain at once");
	is("", 0, MAGIC_MORE, "nothing yet: more");
	tap_mem(bz, 3, "BZh", "the bzip2 sample");
	return tap_failed || tap_done();
}
