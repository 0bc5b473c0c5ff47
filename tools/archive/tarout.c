/*
 * Tar members written by libarchive (pax restricted: plain ustar headers
 * for our names and sizes) into a sink of ours: the parallel gzip writer,
 * or memory for the MANIFEST, which is written last and placed first.
 * The headers hold only what is given here, so the same content always
 * gives the same bytes.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "archfmt.h"
#include "diag.h"
#include "gzwrite.h"
#include "tarout.h"

static la_ssize_t
sink(struct archive *a, void *arg, const void *p, size_t n)
{
	struct tarout *t = arg;

	if (t->gz != NULL) {
		if (gzw_write(t->gz, p, n) < 0) {
			t->err = errno;
			archive_set_error(a, errno, "write");
			return -1;
		}
		return (la_ssize_t)n;
	}
	if (t->cap - t->len < n) {
		t->cap = (t->len + n) * 2;
		t->mem = xrealloc(t->mem, t->cap);
	}
	memcpy(t->mem + t->len, p, n);
	t->len += n;
	return (la_ssize_t)n;
}

/*
 * libarchive failed for want of memory: it says ENOMEM, or nothing at
 * all for some of its allocations.
 */
static int
nomem(struct archive *a)
{
	return archive_errno(a) == ENOMEM ||
	    (archive_errno(a) == 0 && archive_error_string(a) == NULL);
}

/* Into gz, or into memory (t->mem) when gz is NULL. */
void
tar_open(struct tarout *t, struct gzw *gz)
{
	memset(t, 0, sizeof(*t));
	t->gz = gz;
	if ((t->a = archive_write_new()) == NULL)
		lb_errx(EX_FAIL, "libarchive: out of memory");
	if (archive_write_set_format_pax_restricted(t->a) != ARCHIVE_OK ||
	    archive_write_add_filter_none(t->a) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(t->a, 0) != ARCHIVE_OK ||
	    archive_write_open(t->a, t, NULL, sink, NULL) != ARCHIVE_OK)
		lb_errx(EX_FAIL, "libarchive: %s",
		    nomem(t->a) ? "out of memory" : archive_error_string(t->a));
}

/*
 * The sink's errno, else ENOMEM when that was libarchive's want, else
 * EIO.  Into memory only an allocation can fail (the sink's own exits),
 * and it ends the program as xmalloc would.
 */
static int
failed(struct tarout *t)
{
	if (t->err == 0 && nomem(t->a) && t->gz == NULL)
		lb_errx(EX_FAIL, "libarchive: out of memory");
	errno = t->err != 0 ? t->err : nomem(t->a) ? ENOMEM : EIO;
	return -1;
}

/* A member's header: a regular file of size bytes, mode 0640, owner 0. */
int
tar_member(struct tarout *t, const char *name, uint64_t size, int64_t mtime)
{
	struct archive_entry *e = archive_entry_new();
	int rc;

	if (e == NULL)
		lb_errx(EX_FAIL, "libarchive: out of memory");
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, ARCH_MODE);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_mtime(e, mtime, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	rc = archive_write_header(t->a, e);
	archive_entry_free(e);
	return rc == ARCHIVE_OK ? 0 : failed(t);
}

int
tar_data(struct tarout *t, const void *p, size_t n)
{
	la_ssize_t w;

	while (n > 0) {
		if ((w = archive_write_data(t->a, p, n)) <= 0)
			return failed(t);
		p = (const char *)p + w;
		n -= (size_t)w;
	}
	return 0;
}

/* End the member: its padding is written now. */
int
tar_end_member(struct tarout *t)
{
	return archive_write_finish_entry(t->a) == ARCHIVE_OK ? 0 : failed(t);
}

/* Write the end of the archive, unless drop; free libarchive's part. */
int
tar_close(struct tarout *t, int drop)
{
	int rc = 0;

	if (!drop && archive_write_close(t->a) != ARCHIVE_OK)
		rc = failed(t);
	archive_write_free(t->a);
	t->a = NULL;
	return rc;
}
