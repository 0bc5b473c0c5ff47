/* Line reader with transparent decompression and bounded memory. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decomp.h"
#include "diag.h"
#include "lineread.h"
#include "magic.h"

#define LR_CHUNK (256 * 1024)

int
lr_open(struct lreader *lr, const char *path)
{
	memset(lr, 0, sizeof(*lr));
	lr->name = path;
	lr->maxline = LR_MAXLINE;
	lr->left = LR_TOEND;
	if (strcmp(path, "-") == 0)
		lr->fd = STDIN_FILENO;
	else if ((lr->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	lr->in = xmalloc(LR_CHUNK);
	lr->cap = LR_CHUNK;
	lr->buf = xmalloc(lr->cap);
	return 0;
}

/* A range of the plain file open on fd, which stays the caller's. */
void
lr_open_range(
    struct lreader *lr, const char *name, int fd, uint64_t off, uint64_t len)
{
	memset(lr, 0, sizeof(*lr));
	lr->name = name;
	lr->maxline = LR_MAXLINE;
	lr->fd = fd;
	lr->range = 1;
	lr->pos = off;
	lr->left = len;
	lr->cap = LR_CHUNK; /* no in[]: plain bytes go straight to buf */
	lr->buf = xmalloc(lr->cap);
}

void
lr_close(struct lreader *lr)
{
	if (lr->gz != 0)
		inflateEnd(&lr->zs);
	decomp_close(lr->dc);
	lr->dc = NULL;
	if (lr->fd > STDIN_FILENO && !lr->range)
		close(lr->fd);
	free(lr->in);
	free(lr->buf);
	lr->in = NULL;
	lr->buf = NULL;
}

void
lr_warn(const struct lreader *lr)
{
	if (lr->errmsg != NULL)
		lb_warnx("%s: %s", lb_escs(lr->name), lr->errmsg);
	else
		lb_warnc(lr->errnum, "%s", lb_escs(lr->name));
}

static int
fail(struct lreader *lr, const char *msg, int errnum)
{
	lr->errmsg = msg;
	lr->errnum = errnum;
	return -1;
}

/* Read more raw bytes into in[]; 0 at end of file, -1 on error. */
static ssize_t
fill_raw(struct lreader *lr)
{
	ssize_t r;

	if (lr->inpos < lr->inlen) {
		memmove(lr->in, lr->in + lr->inpos, lr->inlen - lr->inpos);
		lr->inlen -= lr->inpos;
	} else
		lr->inlen = 0;
	lr->inpos = 0;
	do
		r = read(lr->fd, lr->in + lr->inlen, LR_CHUNK - lr->inlen);
	while (r < 0 && errno == EINTR);
	if (r > 0) {
		lr->inlen += (size_t)r;
		lr->bytes += (uint64_t)r;
	}
	return r;
}

static int
start_member(struct lreader *lr)
{
	int rc;

	if (lr->gz == 0) {
		memset(&lr->zs, 0, sizeof(lr->zs));
		rc = inflateInit2(&lr->zs, 16 + MAX_WBITS);
	} else
		rc = inflateReset(&lr->zs);
	if (rc != Z_OK)
		return fail(lr, "cannot start gzip decoder", 0);
	lr->gz = 1;
	return 0;
}

/* Between gzip members: start the next one, or end cleanly at EOF. */
static int
next_member(struct lreader *lr)
{
	while (lr->inlen - lr->inpos < 2) {
		ssize_t r = fill_raw(lr);
		if (r < 0)
			return fail(lr, NULL, errno);
		if (r == 0) {
			if (lr->inlen - lr->inpos != 0)
				return fail(lr,
				    "trailing garbage after gzip "
				    "data",
				    0);
			lr->eof = 1;
			return 0;
		}
	}
	if (lr->in[lr->inpos] != 0x1f || lr->in[lr->inpos + 1] != 0x8b)
		return fail(lr, "trailing garbage after gzip data", 0);
	return start_member(lr);
}

/* Decode compressed bytes into buf[end..]; the room is there. */
static int
fill_gz(struct lreader *lr)
{
	int rc;

	if (lr->gz == 2 && next_member(lr) < 0)
		return -1;
	if (lr->eof)
		return 0;
	if (lr->inpos == lr->inlen) {
		ssize_t r = fill_raw(lr);
		if (r < 0)
			return fail(lr, NULL, errno);
		if (r == 0)
			return fail(lr, "unexpected end of gzip data", 0);
	}
	lr->zs.next_in = lr->in + lr->inpos;
	lr->zs.avail_in = (uInt)(lr->inlen - lr->inpos);
	lr->zs.next_out = (unsigned char *)lr->buf + lr->end;
	lr->zs.avail_out = (uInt)(lr->cap - lr->end);
	rc = inflate(&lr->zs, Z_NO_FLUSH);
	lr->inpos = lr->inlen - lr->zs.avail_in;
	lr->end = lr->cap - lr->zs.avail_out;
	if (rc == Z_STREAM_END)
		lr->gz = 2;
	else if (rc != Z_OK && rc != Z_BUF_ERROR)
		return fail(lr,
		    lr->zs.msg != NULL ? lr->zs.msg : "corrupt gzip data", 0);
	return 0;
}

/* Decode xz, zstd or bzip2 into buf[end..]. */
static int
fill_dc(struct lreader *lr)
{
	ssize_t r = decomp_read(lr->dc, lr->buf + lr->end, lr->cap - lr->end);

	lr->bytes = decomp_insize(lr->dc);
	if (r < 0)
		return fail(lr, decomp_error(lr->dc), decomp_errno(lr->dc));
	if (r == 0)
		lr->eof = 1;
	lr->end += (size_t)r;
	return 0;
}

/*
 * The first bytes tell the compression.  A pipe may hand them over one
 * at a time: read until they do, and no further (a line typed at a
 * terminal is not held up once its first bytes are not a magic).
 */
static int
sniff(struct lreader *lr)
{
	ssize_t r;
	int kind;

	do
		r = fill_raw(lr);
	while (r > 0 && magic_of(lr->in, lr->inlen) == MAGIC_MORE);
	if (r < 0)
		return fail(lr, NULL, errno);
	if (lr->inlen == 0) {
		lr->eof = 1;
		return 0;
	}
	kind = magic_of(lr->in, lr->inlen); /* at the end, MORE is plain */
	if (kind == MAGIC_GZIP)
		return start_member(lr);
	if (kind != MAGIC_PLAIN && kind != MAGIC_MORE) {
		lr->dc = decomp_open(lr->fd, kind, lr->in, lr->inlen);
		lr->inlen = 0;
		return 0;
	}
	memcpy(lr->buf + lr->end, lr->in, lr->inlen);
	lr->end += lr->inlen;
	lr->inlen = 0;
	return 0;
}

/* Plain input: read straight into buf; tell the compression first. */
static int
fill_plain(struct lreader *lr)
{
	size_t want = lr->cap - lr->end;
	ssize_t r;

	if (lr->bytes == 0 && !lr->range)
		return sniff(lr);
	if (want > lr->left)
		want = (size_t)lr->left;
	r = 0;
	if (want > 0)
		do
			r = !lr->range ? read(lr->fd, lr->buf + lr->end, want)
			               : pread(lr->fd, lr->buf + lr->end, want,
			                     (off_t)lr->pos);
		while (r < 0 && errno == EINTR);
	if (r < 0)
		return fail(lr, NULL, errno);
	if (r == 0)
		lr->eof = 1;
	lr->end += (size_t)r;
	lr->bytes += (uint64_t)r;
	lr->pos += (uint64_t)r;
	if (lr->left != LR_TOEND)
		lr->left -= (uint64_t)r;
	return 0;
}

/* Make room after end: slide the pending line down, or grow the buffer. */
static void
make_room(struct lreader *lr)
{
	if (lr->start > 0) {
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->scan -= lr->start;
		lr->start = 0;
	}
	if (lr->cap - lr->end < LR_CHUNK / 4 && lr->cap < lr->maxline + 1) {
		lr->cap = lr->cap * 2 < lr->maxline + 1 ? lr->cap * 2
		                                        : lr->maxline + 1;
		lr->buf = xrealloc(lr->buf, lr->cap);
	}
}

static void
emit(struct lreader *lr, struct line *l, size_t n, int nl, int more)
{
	l->p = lr->buf + lr->start;
	l->n = n;
	l->nl = nl;
	l->more = more;
	l->cont = lr->inlong;
	lr->inlong = more;
	lr->start += n + (size_t)nl;
	lr->scan = lr->start;
	if (!more)
		lr->lineno++;
}

int
lr_plain(const struct lreader *lr)
{
	return lr->gz == 0 && lr->dc == NULL;
}

/* Blank lines (a trailing one, say) are neither records nor errors. */
int
lr_blank(const struct line *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->p[i] != ' ' && l->p[i] != '\t' && l->p[i] != '\r')
			return 0;
	return 1;
}

/* The next line: 1 with a line, 0 at end of input, -1 on error. */
int
lr_next(struct lreader *lr, struct line *l)
{
	char *nl;
	size_t have;
	int rc;

	for (;;) {
		nl = memchr(lr->buf + lr->scan, '\n', lr->end - lr->scan);
		if (nl != NULL) {
			emit(lr, l, (size_t)(nl - (lr->buf + lr->start)), 1, 0);
			return 1;
		}
		have = lr->end - lr->start;
		lr->scan = lr->end;
		/*
		 * Past maxline bytes without a newline: a line of exactly
		 * maxline is whole whatever the reads were, and the first
		 * piece is always maxline bytes (the id seed hashes it).
		 */
		if (have > lr->maxline) {
			emit(lr, l, lr->maxline, 0, 1);
			return 1;
		}
		if (lr->eof) {
			if (have == 0)
				return 0;
			emit(lr, l, have, 0, 0);
			return 1;
		}
		if (lr->cap - lr->end < LR_CHUNK / 4 || lr->start > 0)
			make_room(lr);
		rc = lr->gz != 0     ? fill_gz(lr)
		    : lr->dc != NULL ? fill_dc(lr)
		                     : fill_plain(lr);
		if (rc < 0)
			return -1;
	}
}
