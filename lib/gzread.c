/*
 * Strict gzip reading.  Members that state their size are copied whole
 * into jobs the pool inflates ahead of the caller; the others go through
 * zlib here, after the jobs before them have been handed out.  What is
 * found wrong ahead is told after the members before it: the caller sees
 * the same bytes and the same error however far the pool reads ahead.
 */
#include <errno.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "diag.h"
#include "gzread.h"
#include "gzwrite.h"
#include "pool.h"

#define RAWCHUNK (4u * 1024 * 1024)
#define ZOUT (256u * 1024)

struct job {
	struct pjob pj; /* first: the pool hands it back */
	unsigned char *in, *out;
	size_t inlen, incap, outlen, outcap;
	uint64_t at; /* the member's offset in the file */
	int bad;
};

struct gzr {
	int fd;
	struct sha256 *rawhash;
	unsigned char *rb; /* raw bytes [rpos, rlen) not yet used */
	size_t rpos, rlen, rcap;
	uint64_t roff; /* file offset of rb[0] */
	int eof;
	struct job *job;
	size_t njobs, head, queued;
	int held; /* the head job's output is the caller's */
	struct pool *pool;
	z_stream zs;
	int zinit, slow; /* slow: inside a zlib member */
	unsigned char *zout;
	int members, errnum;
	int failed, told; /* told: gzr_read has returned the failure */
	uint64_t failat;
	int sized; /* the members state their size */
	char msg[160];
};

static void *
dec_new(void *arg)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();

	(void)arg;
	if (d == NULL)
		lb_errx(EX_FAIL, "gzip: out of memory");
	return d;
}

static void
dec_free(void *d)
{
	libdeflate_free_decompressor(d);
}

/* The member must fill the job exactly: its stated size is checked too. */
static void
dec_run(void *arg, void *d, struct pjob *pj)
{
	struct job *j = (struct job *)pj;
	size_t in = 0, out = 0;

	(void)arg;
	j->bad = libdeflate_gzip_decompress_ex(d, j->in, j->inlen, j->out,
	             j->outlen, &in, &out) != LIBDEFLATE_SUCCESS ||
	    in != j->inlen || out != j->outlen;
}

/* The first failure in the file's order is the one told. */
static int
fail_errno(struct gzr *g, uint64_t at, const char *what, int errnum)
{
	if (!g->failed || at < g->failat) {
		snprintf(g->msg, sizeof(g->msg), "%s at byte %llu", what,
		    (unsigned long long)at);
		g->failat = at;
		g->errnum = errnum;
	}
	g->failed = 1;
	return -1;
}

static int
fail(struct gzr *g, uint64_t at, const char *what)
{
	return fail_errno(g, at, what, 0);
}

static int
tell(struct gzr *g)
{
	g->told = 1;
	return -1;
}

struct gzr *
gzr_open(int fd, int threads, struct sha256 *rawhash)
{
	struct gzr *g = xcalloc(1, sizeof(*g));
	struct poolfn fn = { dec_new, dec_run, dec_free, g };

	g->fd = fd;
	g->rawhash = rawhash;
	g->rcap = RAWCHUNK;
	g->rb = xmalloc(g->rcap);
	g->njobs = (threads > 0 ? (size_t)threads : 0) + 2;
	g->job = xcalloc(g->njobs, sizeof(*g->job));
	g->pool = pool_new(threads > 0 ? (size_t)threads : 0, &fn);
	return g;
}

/* Have at least n raw bytes at rpos, unless the file ends first. */
static int
fill(struct gzr *g, size_t n)
{
	ssize_t r;

	if (g->rlen - g->rpos >= n || g->eof)
		return 0;
	memmove(g->rb, g->rb + g->rpos, g->rlen - g->rpos);
	g->roff += g->rpos;
	g->rlen -= g->rpos;
	g->rpos = 0;
	if (n > g->rcap) {
		g->rcap = n + RAWCHUNK;
		g->rb = xrealloc(g->rb, g->rcap);
	}
	while (g->rlen < n && !g->eof) {
		r = read(g->fd, g->rb + g->rlen, g->rcap - g->rlen);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return fail_errno(
			    g, g->roff + g->rlen, strerror(errno), errno);
		if (r == 0)
			g->eof = 1;
		if (g->rawhash != NULL)
			sha256_update(g->rawhash, g->rb + g->rlen, (size_t)r);
		g->rlen += (size_t)r;
	}
	return 0;
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* The size an "LB" subfield states, or 0 when the header has none. */
static uint32_t
stated_size(struct gzr *g)
{
	const unsigned char *x;
	size_t xlen, i, len;

	if (fill(g, 12) < 0 || g->rlen - g->rpos < 12 ||
	    !(g->rb[g->rpos + 3] & 4))
		return 0;
	xlen = (size_t)g->rb[g->rpos + 10] | (size_t)g->rb[g->rpos + 11] << 8;
	if (fill(g, 12 + xlen) < 0 || g->rlen - g->rpos < 12 + xlen)
		return 0;
	x = g->rb + g->rpos + 12;
	for (i = 0; xlen - i >= 4; i += 4 + len) {
		len = (size_t)x[i + 2] | (size_t)x[i + 3] << 8;
		if (len > xlen - i - 4)
			break;
		if (x[i] == 'L' && x[i + 1] == 'B' && len == 4)
			return le32(x + i + 4);
	}
	return 0;
}

/* At a member boundary: 1 a member starts, 0 the file ended, -1 not. */
static int
boundary(struct gzr *g)
{
	uint64_t at;
	size_t n;

	if (fill(g, 3) < 0)
		return -1;
	n = g->rlen - g->rpos;
	at = g->roff + g->rpos;
	if (n == 0 && g->members == 0)
		return fail(g, at, "empty file, not gzip");
	if (n == 0)
		return 0;
	if (n >= 3 && memcmp(g->rb + g->rpos, "\x1f\x8b\x08", 3) == 0)
		return 1;
	if (memcmp(g->rb + g->rpos, "\x1f\x8b\x08", n < 3 ? n : 3) == 0)
		return fail(g, at + n, "unexpected end of file");
	return fail(g, at,
	    g->members == 0 ? "not in gzip format"
	                    : "data after the last gzip member");
}

/* Copy a member of stated size into the next free job and queue it. */
static int
queue_member(struct gzr *g, uint32_t size)
{
	struct job *j = &g->job[(g->head + g->queued) % g->njobs];
	uint64_t at = g->roff + g->rpos;
	uint32_t isize;

	if (size < GZW_HDRLEN + 8 || size > 2 * GZW_CHUNK)
		return fail(g, at, "bad gzip member size");
	if (fill(g, size) < 0)
		return -1;
	if (g->rlen - g->rpos < size)
		return fail(g, g->roff + g->rlen, "unexpected end of file");
	isize = le32(g->rb + g->rpos + size - 4);
	if (isize > GZW_CHUNK)
		return fail(g, at, "gzip member too long");
	if (j->incap < size)
		j->in = xrealloc(j->in, j->incap = size);
	if (j->outcap < isize)
		j->out = xrealloc(j->out, j->outcap = isize);
	memcpy(j->in, g->rb + g->rpos, size);
	j->inlen = size;
	j->outlen = isize;
	j->at = at;
	g->rpos += size;
	g->members++;
	g->queued++;
	pool_submit(g->pool, &j->pj);
	return 0;
}

/* Some output of a member zlib inflates: 1 output, 0 the member ended. */
static int
inflate_some(struct gzr *g, const unsigned char **p, size_t *n)
{
	int rc;

	if (!g->zinit) {
		if (inflateInit2(&g->zs, 16 + MAX_WBITS) != Z_OK)
			lb_errx(EX_FAIL, "zlib: out of memory");
		g->zout = xmalloc(ZOUT);
		g->zinit = 1;
	} else if (g->slow == 1)
		inflateReset(&g->zs);
	g->slow = 2;
	for (;;) {
		if (g->rpos == g->rlen && fill(g, 1) < 0)
			return -1;
		if (g->rpos == g->rlen)
			return fail(
			    g, g->roff + g->rlen, "unexpected end of file");
		g->zs.next_in = g->rb + g->rpos;
		g->zs.avail_in = (uInt)(g->rlen - g->rpos);
		g->zs.next_out = g->zout;
		g->zs.avail_out = ZOUT;
		rc = inflate(&g->zs, Z_NO_FLUSH);
		g->rpos = g->rlen - g->zs.avail_in;
		if (rc != Z_OK && rc != Z_STREAM_END &&
		    (rc != Z_BUF_ERROR || g->zs.avail_in > 0))
			return fail(g, g->roff + g->rpos,
			    g->zs.msg != NULL ? g->zs.msg : "corrupt data");
		if (rc == Z_STREAM_END) {
			g->slow = 0;
			g->members++;
		}
		*p = g->zout;
		if ((*n = ZOUT - g->zs.avail_out) > 0)
			return 1;
		if (rc == Z_STREAM_END)
			return 0;
	}
}

/*
 * A file is all of our members or none: a header byte damaged where no
 * checksum covers it (the size field's name, the time) shows as a member
 * of the other kind, or as a header unlike ours.
 */
static int
kind(struct gzr *g, int sized)
{
	uint64_t at = g->roff + g->rpos;

	if (g->members == 0)
		g->sized = sized;
	if (g->sized != sized)
		return fail(g, at, "gzip members of two kinds");
	if (sized && memcmp(g->rb + g->rpos, GZW_HEADER, 16) != 0)
		return fail(g, at, "unexpected gzip member header");
	return 0;
}

/* Queue the members ahead that state their size, while jobs are free. */
static int
read_ahead(struct gzr *g)
{
	uint32_t size;
	int rc;

	while (!g->slow && g->queued < g->njobs) {
		if ((rc = boundary(g)) <= 0)
			return rc;
		size = stated_size(g);
		if (g->failed || kind(g, size != 0) < 0)
			return -1;
		if (size == 0) {
			g->slow = 1;
			return 0;
		}
		if (queue_member(g, size) < 0)
			return -1;
	}
	return 0;
}

int
gzr_read(struct gzr *g, const unsigned char **p, size_t *n)
{
	struct job *j;
	int rc;

	if (g->held) {
		g->head = (g->head + 1) % g->njobs;
		g->queued--;
		g->held = 0;
	}
	for (;;) {
		if (g->told || (!g->failed && read_ahead(g) < 0 && !g->queued))
			return tell(g);
		if (g->queued > 0) {
			j = &g->job[g->head];
			pool_wait(g->pool, &j->pj);
			if (j->bad) {
				fail(g, j->at, "corrupt gzip member");
				return tell(g);
			}
			g->held = 1;
			*p = j->out;
			*n = j->outlen;
			if (*n > 0)
				return 1;
			g->head = (g->head + 1) % g->njobs;
			g->queued--;
			g->held = 0;
			continue;
		}
		if (g->failed)
			return tell(g);
		if (!g->slow)
			return 0;
		if ((rc = inflate_some(g, p, n)) != 0)
			return rc < 0 ? tell(g) : rc;
	}
}

const char *
gzr_error(const struct gzr *g)
{
	return g->told ? g->msg : NULL;
}

/* The errno of a failed read, 0 when the data was at fault. */
int
gzr_errno(const struct gzr *g)
{
	return g->told ? g->errnum : 0;
}

/* Bytes of the file used so far. */
uint64_t
gzr_insize(const struct gzr *g)
{
	return g->roff + g->rpos;
}

void
gzr_close(struct gzr *g)
{
	size_t i;

	if (g == NULL)
		return;
	pool_free(g->pool);
	for (i = 0; i < g->njobs; i++) {
		free(g->job[i].in);
		free(g->job[i].out);
	}
	if (g->zinit) {
		inflateEnd(&g->zs);
		free(g->zout);
	}
	free(g->job);
	free(g->rb);
	free(g);
}
