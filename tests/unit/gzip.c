/*
 * Unit tests: lib/gzwrite.h gives the same bytes with any number of
 * threads; lib/gzread.h gives back what was written, from its own
 * members, zlib's, and a mix, and rejects damaged files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "gzread.h"
#include "gzwrite.h"
#include "tap.h"

#define N (3 * GZW_CHUNK + 12345)

struct buf {
	unsigned char *p;
	size_t n;
};

static unsigned char *
sample(void)
{
	unsigned char *p = malloc(N);
	uint64_t x = 88172645463325252ULL;
	size_t i;

	/* Compressible but not trivially: words from a small alphabet. */
	for (i = 0; i < N; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		p[i] = (unsigned char)("abcdefgh \n{}\":,0123"[x % 20]);
	}
	return p;
}

/* The whole content of fp. */
static struct buf
slurp(FILE *fp)
{
	struct buf b;
	long n;

	fflush(fp);
	n = ftell(fp);
	b.n = (size_t)n;
	b.p = malloc(b.n + 1);
	rewind(fp);
	b.n = fread(b.p, 1, b.n, fp);
	return b;
}

static struct buf
pack(const unsigned char *p, size_t n, int threads, size_t split)
{
	FILE *fp = tmpfile();
	struct gzw *g = gzw_new(fileno(fp), 6, threads);
	struct buf b;

	gzw_write(g, p, split); /* the cut is no member boundary */
	gzw_write(g, p + split, n - split);
	if (gzw_close(g, NULL) < 0)
		b.n = 0;
	gzw_free(g);
	fseek(fp, 0, SEEK_END);
	b = slurp(fp);
	fclose(fp);
	return b;
}

/* Inflate b with gzr; NULL and the message in *why when it fails. */
static struct buf
inflate_all(const struct buf *b, int threads, const char **why)
{
	static char msg[200];
	FILE *fp = tmpfile();
	struct buf out = { NULL, 0 };
	const unsigned char *p;
	struct gzr *z;
	size_t n;
	int rc;

	fwrite(b->p, 1, b->n, fp);
	fflush(fp);
	lseek(fileno(fp), 0, SEEK_SET);
	z = gzr_open(fileno(fp), threads, NULL);
	while ((rc = gzr_read(z, &p, &n)) > 0) {
		out.p = realloc(out.p, out.n + n + 1);
		memcpy(out.p + out.n, p, n);
		out.n += n;
	}
	*why = NULL;
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "%s", gzr_error(z));
		*why = msg;
	}
	gzr_close(z);
	fclose(fp);
	return out;
}

/* A plain gzip member from zlib, as gzip(1) would write. */
static struct buf
zlib_gzip(const unsigned char *p, size_t n)
{
	struct buf b;
	z_stream zs;

	memset(&zs, 0, sizeof(zs));
	deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	b.p = malloc(deflateBound(&zs, n));
	zs.next_in = (unsigned char *)(uintptr_t)p;
	zs.avail_in = (uInt)n;
	zs.next_out = b.p;
	zs.avail_out = (uInt)deflateBound(&zs, n);
	deflate(&zs, Z_FINISH);
	b.n = zs.total_out;
	deflateEnd(&zs);
	return b;
}

static int
same(const struct buf *b, const unsigned char *p, size_t n)
{
	return b->n == n && memcmp(b->p, p, n) == 0;
}

static void
round_trips(const unsigned char *data, const struct buf *ref)
{
	struct buf b, out, z, mix;
	const char *why;

	b = pack(data, N, 2, 1000);
	tap_ok(same(&b, ref->p, ref->n), "the same bytes with 0 or 2 threads");
	free(b.p);
	out = inflate_all(ref, 0, &why);
	tap_ok(why == NULL && same(&out, data, N), "read back, no threads");
	free(out.p);
	out = inflate_all(ref, 2, &why);
	tap_ok(why == NULL && same(&out, data, N), "read back, 2 threads");
	free(out.p);
	z = zlib_gzip(data, N);
	out = inflate_all(&z, 2, &why);
	tap_ok(why == NULL && same(&out, data, N), "zlib's gzip read back");
	free(out.p);
	mix.n = z.n + ref->n;
	mix.p = malloc(mix.n);
	memcpy(mix.p, ref->p, ref->n);
	memcpy(mix.p + ref->n, z.p, z.n);
	out = inflate_all(&mix, 2, &why);
	tap_ok(why != NULL && strstr(why, "two kinds") != NULL,
	    "own and zlib members mixed: %s", why != NULL ? why : "no error");
	free(out.p);
	free(mix.p);
	free(z.p);
}

static void
damaged(const struct buf *ref, const char *name, size_t cut, size_t flip,
    const char *junk, const char *want)
{
	struct buf b, out;
	const char *why;

	b.n = cut < ref->n ? cut : ref->n;
	b.p = malloc(b.n + (junk != NULL ? strlen(junk) : 0) + 1);
	memcpy(b.p, ref->p, b.n);
	if (flip < b.n)
		b.p[flip] ^= 0x10;
	if (junk != NULL) {
		memcpy(b.p + b.n, junk, strlen(junk));
		b.n += strlen(junk);
	}
	out = inflate_all(&b, 2, &why);
	tap_ok(why != NULL && strstr(why, want) != NULL, "%s: %s", name,
	    why != NULL ? why : "no error");
	free(out.p);
	free(b.p);
}

/*
 * What fails ahead is told in its turn: every member before the damage
 * is given first, however many threads read ahead.
 */
static void
in_order(const struct buf *ref, const unsigned char *data)
{
	struct buf b, out;
	const char *why;
	int t;

	b.n = ref->n + 4;
	b.p = malloc(b.n);
	memcpy(b.p, ref->p, ref->n);
	memcpy(b.p + ref->n, "junk", 4);
	for (t = 0; t <= 2; t += 2) {
		out = inflate_all(&b, t, &why);
		tap_ok(why != NULL && strstr(why, "data after the last") &&
		        same(&out, data, N),
		    "%d threads: all %d bytes before the junk, then: %s", t, N,
		    why != NULL ? why : "no error");
		free(out.p);
	}
	free(b.p);
}

int
main(void)
{
	unsigned char *data = sample();
	struct buf ref = pack(data, N, 0, 1000), empty = { data, 0 }, out;
	const char *why;

	round_trips(data, &ref);
	in_order(&ref, data);
	damaged(
	    &ref, "truncated in a header", 5, SIZE_MAX, NULL, "unexpected end");
	damaged(&ref, "truncated in the middle", ref.n / 2, SIZE_MAX, NULL,
	    "unexpected end");
	damaged(&ref, "truncated by one byte", ref.n - 1, SIZE_MAX, NULL,
	    "unexpected end");
	damaged(&ref, "a flipped byte", SIZE_MAX, ref.n / 3, NULL,
	    "corrupt gzip member");
	damaged(&ref, "a flipped header time", SIZE_MAX, 5, NULL,
	    "unexpected gzip member header");
	damaged(
	    &ref, "a flipped size field name", SIZE_MAX, 12, NULL, "two kinds");
	damaged(&ref, "data after the end", SIZE_MAX, SIZE_MAX, "junk",
	    "data after the last");
	empty.n = 0;
	out = inflate_all(&empty, 2, &why);
	tap_mem(why, why != NULL ? strlen(why) : 0,
	    "empty file, not gzip at byte 0", "empty file");
	free(out.p);
	damaged(&ref, "not gzip", 0, SIZE_MAX, "hello, world\n",
	    "not in gzip format");
	free(ref.p);
	free(data);
	return tap_done() || tap_failed;
}
