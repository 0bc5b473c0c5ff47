/* xz, zstd and bzip2 streams decoded by libarchive's raw format. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decomp.h"
#include "diag.h"
#include "magic.h"

#define DECOMP_CHUNK (128 * 1024)

struct decomp {
	struct archive *a;
	int fd;
	int kind;
	int failed;
	int done; /* the decoded bytes are all handed out */
	int ateof; /* fd gave its end */
	const char *msg; /* NULL: errnum says */
	int errnum;
	unsigned char *in;
	size_t cap;
	size_t nhead; /* of in[]: bytes read before the open, not handed */
	uint64_t insize;
};

enum { M_NOTBUILT, M_TRUNC, M_CORRUPT, M_TWICE, M_TRAIL, M_N };

/* Messages outlive the reader (the aggregate's workers keep them). */
static const char *const msgs[][M_N] = {
	[MAGIC_XZ] = {
	    "libarchive has no xz decoder but an external program",
	    "unexpected end of xz data",
	    "corrupt xz data",
	    "xz data inside xz data",
	    "trailing garbage after xz data",
	},
	[MAGIC_ZSTD] = {
	    "libarchive has no zstd decoder but an external program",
	    "unexpected end of zstd data",
	    "corrupt zstd data",
	    "zstd data inside zstd data",
	    "trailing garbage after zstd data",
	},
	[MAGIC_BZIP2] = {
	    "libarchive has no bzip2 decoder but an external program",
	    "unexpected end of bzip2 data",
	    "corrupt bzip2 data",
	    "bzip2 data inside bzip2 data",
	    "trailing garbage after bzip2 data",
	},
};

static int
fail(struct decomp *d, int m)
{
	if (!d->failed) {
		d->failed = 1;
		d->msg = msgs[d->kind][m];
	}
	return -1;
}

/* The failure libarchive reports: a read's error, no memory, or data. */
static int
failed_archive(struct decomp *d)
{
	int e = archive_errno(d->a);

	if (d->failed)
		return -1;
	if (d->errnum != 0 || e == ENOMEM) {
		d->failed = 1;
		d->msg = NULL;
		if (d->errnum == 0)
			d->errnum = ENOMEM;
		return -1;
	}
	return fail(d, d->ateof ? M_TRUNC : M_CORRUPT);
}

static la_ssize_t
feed(struct archive *a, void *arg, const void **buf)
{
	struct decomp *d = arg;
	ssize_t r;

	*buf = d->in;
	if (d->nhead > 0) {
		r = (ssize_t)d->nhead;
		d->nhead = 0;
		return r;
	}
	if (d->ateof)
		return 0;
	do
		r = read(d->fd, d->in, d->cap);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		d->errnum = errno;
		archive_set_error(a, errno, "read");
		return -1;
	}
	if (r == 0)
		d->ateof = 1;
	d->insize += (uint64_t)r;
	return r;
}

/* Only the decoder of the kind told, and never an external program. */
static int
support(struct decomp *d)
{
	int rc;

	switch (d->kind) {
	case MAGIC_XZ:
		rc = archive_read_support_filter_xz(d->a);
		break;
	case MAGIC_ZSTD:
		rc = archive_read_support_filter_zstd(d->a);
		break;
	default:
		rc = archive_read_support_filter_bzip2(d->a);
		break;
	}
	if (rc == ARCHIVE_WARN)
		return fail(d, M_NOTBUILT);
	/* raw takes no empty stream, which is no error: empty takes it. */
	if (rc != ARCHIVE_OK || archive_read_support_format_raw(d->a) != 0 ||
	    archive_read_support_format_empty(d->a) != 0)
		return failed_archive(d);
	return 0;
}

static const int codes[] = { [MAGIC_XZ] = ARCHIVE_FILTER_XZ,
	[MAGIC_ZSTD] = ARCHIVE_FILTER_ZSTD,
	[MAGIC_BZIP2] = ARCHIVE_FILTER_BZIP2 };

/* Open, and see that the one decoder is what libarchive stacked. */
static void
start(struct decomp *d)
{
	struct archive_entry *e;
	int rc;

	if (d->a == NULL) {
		d->failed = 1;
		d->errnum = ENOMEM;
		return;
	}
	if (support(d) < 0)
		return;
	if (archive_read_open(d->a, d, NULL, feed, NULL) != ARCHIVE_OK) {
		(void)failed_archive(d);
		return;
	}
	rc = archive_read_next_header(d->a, &e);
	if (rc != ARCHIVE_OK && rc != ARCHIVE_EOF) {
		(void)failed_archive(d);
		return;
	}
	if (rc == ARCHIVE_EOF)
		d->done = 1; /* the empty format's: nothing was compressed */
	if (archive_filter_code(d->a, 0) != codes[d->kind])
		(void)fail(d, M_CORRUPT);
	else if (archive_filter_count(d->a) != 2)
		(void)fail(d, M_TWICE);
}

struct decomp *
decomp_open(int fd, int kind, const unsigned char *head, size_t nhead)
{
	struct decomp *d = xcalloc(1, sizeof(*d));

	d->fd = fd;
	d->kind = kind;
	d->cap = nhead > DECOMP_CHUNK ? nhead : DECOMP_CHUNK;
	d->in = xmalloc(d->cap);
	memcpy(d->in, head, nhead);
	d->nhead = nhead;
	d->insize = nhead;
	d->a = archive_read_new();
	start(d);
	return d;
}

/*
 * At the end of the decoded bytes, the rest of the file: libarchive's
 * bzip2 decoder leaves what follows its last stream unread, and says
 * nothing of it, where gzip's reader refuses it.
 */
static int
finish(struct decomp *d)
{
	const void *p;
	int64_t used;

	d->done = 1;
	while (!d->ateof)
		if (feed(d->a, d, &p) < 0)
			return failed_archive(d);
	used = archive_filter_bytes(d->a, archive_filter_count(d->a) - 1);
	if (used < 0 || (uint64_t)used != d->insize)
		return fail(d, M_TRAIL);
	return 0;
}

ssize_t
decomp_read(struct decomp *d, char *buf, size_t n)
{
	la_ssize_t r;

	if (d->failed)
		return -1;
	if (d->done)
		return 0;
	if ((r = archive_read_data(d->a, buf, n)) < 0)
		return failed_archive(d);
	if (r == 0 && finish(d) < 0)
		return -1;
	return (ssize_t)r;
}

const char *
decomp_error(const struct decomp *d)
{
	return d->msg;
}

int
decomp_errno(const struct decomp *d)
{
	return d->errnum;
}

uint64_t
decomp_insize(const struct decomp *d)
{
	return d->insize;
}

void
decomp_close(struct decomp *d)
{
	if (d == NULL)
		return;
	if (d->a != NULL)
		archive_read_free(d->a);
	free(d->in);
	free(d);
}
