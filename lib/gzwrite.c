/*
 * Parallel gzip of independent members.  The caller's thread fills the
 * slots in turn and writes each one out when it comes round again, so
 * members leave in order while the pool compresses the others.
 */
#include <errno.h>
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "gzwrite.h"
#include "pool.h"
#include "wio.h"

struct slot {
	struct pjob job; /* first: the pool hands it back */
	unsigned char *in, *out;
	size_t inlen, outlen;
};

struct gzw {
	int fd, level, err;
	size_t nslots, fill, outcap;
	uint64_t written;
	struct slot *slot;
	struct pool *pool;
};

static void
le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void *
compressor_new(void *arg)
{
	struct gzw *g = arg;
	struct libdeflate_compressor *c;

	if ((c = libdeflate_alloc_compressor(g->level)) == NULL)
		lb_errx(EX_FAIL,
		    "gzip: out of memory for a level %d compressor", g->level);
	return c;
}

static void
compressor_free(void *c)
{
	libdeflate_free_compressor(c);
}

/* One member: header with its own size, raw deflate, CRC-32, ISIZE. */
static void
compress_slot(void *arg, void *c, struct pjob *j)
{
	struct gzw *g = arg;
	struct slot *s = (struct slot *)j;
	size_t n;

	memcpy(s->out, GZW_HEADER, 16);
	n = libdeflate_deflate_compress(c, s->in, s->inlen, s->out + GZW_HDRLEN,
	    g->outcap - GZW_HDRLEN - 8);
	if (n == 0)
		lb_errx(EX_FAIL, "gzip: compression bound exceeded");
	le32(s->out + 16, (uint32_t)(GZW_HDRLEN + n + 8));
	le32(s->out + GZW_HDRLEN + n, libdeflate_crc32(0, s->in, s->inlen));
	le32(s->out + GZW_HDRLEN + n + 4, (uint32_t)s->inlen);
	s->outlen = GZW_HDRLEN + n + 8;
}

/*
 * gzw_new(fd, level, threads): level 1 to 12 (libdeflate's scale, 6 is
 * gzip's default); threads 0 compresses in the caller's thread.
 */
struct gzw *
gzw_new(int fd, int level, int threads)
{
	struct gzw *g = xcalloc(1, sizeof(*g));
	struct poolfn fn = { compressor_new, compress_slot, compressor_free,
		g };
	struct libdeflate_compressor *c;
	size_t i;

	g->fd = fd;
	g->level = level;
	c = compressor_new(g);
	g->outcap =
	    libdeflate_deflate_compress_bound(c, GZW_CHUNK) + GZW_HDRLEN + 8;
	libdeflate_free_compressor(c);
	/* Slots ahead, so the caller runs on while the workers lag. */
	g->nslots = (threads > 0 ? 3 * (size_t)threads : 0) + 2;
	g->slot = xcalloc(g->nslots, sizeof(*g->slot));
	for (i = 0; i < g->nslots; i++) {
		g->slot[i].in = xmalloc(GZW_CHUNK);
		g->slot[i].out = xmalloc(g->outcap);
	}
	g->pool = pool_new(threads > 0 ? (size_t)threads : 0, &fn);
	return g;
}

/* The first error is kept; nothing is written after it. */
static void
put(struct gzw *g, const unsigned char *p, size_t n)
{
	if (g->err != 0)
		return;
	if (wr_all(g->fd, p, n) < 0)
		g->err = errno;
	else
		g->written += n;
}

/* Wait for slot i's member, if any, and write it out. */
static void
reclaim(struct gzw *g, size_t i)
{
	struct slot *s = &g->slot[i];

	if (!pool_busy(&s->job))
		return;
	pool_wait(g->pool, &s->job);
	put(g, s->out, s->outlen);
	s->inlen = 0;
}

static void
submit(struct gzw *g)
{
	if (g->slot[g->fill].inlen == 0)
		return;
	pool_submit(g->pool, &g->slot[g->fill].job);
	g->fill = (g->fill + 1) % g->nslots;
	reclaim(g, g->fill);
}

static int
status(const struct gzw *g)
{
	if (g->err == 0)
		return 0;
	errno = g->err;
	return -1;
}

int
gzw_write(struct gzw *g, const void *data, size_t n)
{
	const unsigned char *p = data;
	struct slot *s;
	size_t k;

	while (n > 0 && g->err == 0) {
		s = &g->slot[g->fill];
		k = GZW_CHUNK - s->inlen < n ? GZW_CHUNK - s->inlen : n;
		memcpy(s->in + s->inlen, p, k);
		s->inlen += k;
		p += k;
		n -= k;
		if (s->inlen == GZW_CHUNK)
			submit(g);
	}
	return status(g);
}

/* Write out everything; *out (if not NULL) gets the bytes written. */
int
gzw_close(struct gzw *g, uint64_t *out)
{
	size_t i;

	submit(g);
	for (i = 0; i < g->nslots; i++)
		reclaim(g, (g->fill + i) % g->nslots);
	if (out != NULL)
		*out = g->written;
	return status(g);
}

void
gzw_free(struct gzw *g)
{
	size_t i;

	if (g == NULL)
		return;
	pool_free(g->pool);
	for (i = 0; i < g->nslots; i++) {
		free(g->slot[i].in);
		free(g->slot[i].out);
	}
	free(g->slot);
	free(g);
}
