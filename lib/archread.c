/* Tar members over strict gzip: libarchive reads what lib/gzread gives. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archread.h"
#include "diag.h"
#include "gzread.h"

struct archread {
	struct gzr *z;
	struct archive *a;
	struct archive_entry *e; /* ours: libarchive's own may be NULL */
	const char *check; /* NULL until something failed */
	char msg[256];
	const unsigned char *last; /* the block libarchive was handed last */
	size_t nlast;
	int64_t handed; /* bytes handed to libarchive */
};

static la_ssize_t
feed(struct archive *a, void *arg, const void **buf)
{
	struct archread *r = arg;
	const unsigned char *p;
	size_t n;
	int rc;

	if ((rc = gzr_read(r->z, &p, &n)) < 0) {
		archive_set_error(a, -1, "gzip");
		return -1;
	}
	*buf = p;
	if (rc == 0)
		return 0;
	r->last = p;
	r->nlast = n;
	r->handed += (int64_t)n;
	return (la_ssize_t)n;
}

/* An allocation failed: not a fault of the archive. */
static int
nomem(struct archread *r)
{
	if (r->check == NULL) {
		r->check = "memory";
		snprintf(r->msg, sizeof(r->msg), "out of memory");
	}
	return -1;
}

/*
 * libarchive's ENOMEM is no verdict on the tar (its message may then be
 * NULL, or a later one such as "No formats registered"); nor, when it
 * opens, is a failure it gives neither errno nor message for: the filter
 * of archive_read_open1 is allocated without a word.  Past the open, the
 * tar reader also fails silently on some damaged headers: that is the
 * tar's fault.
 */
static int
libnomem(struct archive *a, int opening)
{
	return archive_errno(a) == ENOMEM ||
	    (opening && archive_errno(a) == 0 &&
	        archive_error_string(a) == NULL);
}

/* Record what failed: the gzip layer's error explains the tar's. */
static int
fail_at(struct archread *r, const char *tarmsg, int opening)
{
	if (r->check != NULL)
		return -1;
	if (gzr_error(r->z) != NULL) {
		r->check = gzr_errno(r->z) != 0 ? "read" : "gzip";
		snprintf(r->msg, sizeof(r->msg), "%s", gzr_error(r->z));
	} else if (tarmsg == NULL && libnomem(r->a, opening))
		return nomem(r);
	else {
		r->check = "tar";
		if (tarmsg == NULL)
			tarmsg = archive_error_string(r->a);
		snprintf(r->msg, sizeof(r->msg), "%s",
		    tarmsg != NULL ? tarmsg : "unreadable");
	}
	return -1;
}

static int
fail(struct archread *r, const char *tarmsg)
{
	return fail_at(r, tarmsg, 0);
}

struct archread *
ar_open(int fd, int threads, struct sha256 *filehash)
{
	struct archread *r = xcalloc(1, sizeof(*r));

	r->z = gzr_open(fd, threads, filehash);
	/*
	 * libarchive leaves some of its allocations unchecked: that of the
	 * entry archive_read_new makes (the one of next_header2 is ours),
	 * and the callback data archive_read_open sets, which open1 then
	 * uses: here each step is checked.
	 */
	if ((r->a = archive_read_new()) == NULL ||
	    (r->e = archive_entry_new()) == NULL)
		nomem(r);
	else if (archive_read_support_format_tar(r->a) != ARCHIVE_OK ||
	    archive_read_set_read_callback(r->a, feed) != ARCHIVE_OK ||
	    archive_read_set_callback_data(r->a, r) != ARCHIVE_OK ||
	    archive_read_open1(r->a) != ARCHIVE_OK)
		fail_at(r, NULL, 1);
	return r;
}

/* The next member: 1 and its name and size, 0 after the last, -1. */
int
ar_next(struct archread *r, const char **name, int64_t *size)
{
	struct archive_entry *e = r->e;
	int rc;

	if (r->check != NULL)
		return -1;
	rc = archive_read_next_header2(r->a, e);
	if (rc == ARCHIVE_EOF)
		return 0;
	if (rc != ARCHIVE_OK)
		return fail(r, NULL);
	*name = archive_entry_pathname(e);
	if (*name == NULL)
		*name = "";
	if (archive_entry_filetype(e) != AE_IFREG)
		return fail(r, "an entry that is not a regular file");
	*size = archive_entry_size(e);
	return 1;
}

/* The member's next bytes: 1, or 0 at its end, or -1. */
int
ar_data(struct archread *r, const void **p, size_t *n)
{
	la_int64_t off;
	int rc;

	if (r->check != NULL)
		return -1;
	rc = archive_read_data_block(r->a, p, n, &off);
	if (rc == ARCHIVE_EOF)
		return 0;
	if (rc != ARCHIVE_OK)
		return fail(r, NULL);
	return 1;
}

static int
zeros(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/*
 * After the tar's end: the rest must be gzip that holds only zeros.  The
 * rest starts inside the block libarchive was handed last, after what it
 * consumed: a tar reader reads ahead, and what it read past the end
 * marker is checked here too.
 */
int
ar_end(struct archread *r)
{
	const unsigned char *p;
	int64_t used;
	size_t n, left;
	int rc;

	if (r->check != NULL)
		return -1;
	used = archive_filter_bytes(r->a, 0);
	if (used < 0 || used > r->handed ||
	    r->handed - used > (int64_t)r->nlast)
		return fail(r, "cannot tell where the tar ends");
	left = (size_t)(r->handed - used);
	if (!zeros(r->last + r->nlast - left, left))
		return fail(r, "data after the end of the tar");
	while ((rc = gzr_read(r->z, &p, &n)) > 0)
		if (!zeros(p, n))
			return fail(r, "data after the end of the tar");
	return rc < 0 ? fail(r, NULL) : 0;
}

const char *
ar_check(const struct archread *r)
{
	return r->check;
}

const char *
ar_error(const struct archread *r)
{
	return r->check != NULL ? r->msg : NULL;
}

void
ar_close(struct archread *r)
{
	if (r == NULL)
		return;
	archive_read_free(r->a);
	archive_entry_free(r->e);
	gzr_close(r->z);
	free(r);
}
