/* The reading both archive checkers share (archcheck.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archcheck.h"
#include "archread.h"
#include "diag.h"
#include "lineread.h"
#include "manifest.h"
#include "shabg.h"

/* The first failure only: -1, for return verify_fail(...). */
int
verify_fail(struct verify_result *res, const char *check, const char *fmt, ...)
{
	va_list ap;

	if (res->check != NULL)
		return -1;
	res->check = check;
	va_start(ap, fmt);
	vsnprintf(res->detail, sizeof(res->detail), fmt, ap);
	va_end(ap);
	return -1;
}

/* What the archive reader failed on, as a failure of its check. */
static int
arfail(struct archcheck *c)
{
	return verify_fail(c->res, ar_check(c->ar), "%s", ar_error(c->ar));
}

/* The MANIFEST's bytes, whole, to the kind. */
static int
read_manifest(struct archcheck *c, int64_t size)
{
	const void *p;
	size_t n, used = 0;
	char *buf;
	int rc;

	if (size < 0 || size > (int64_t)MANIFEST_MAX)
		return c->k->flags & AC_SIZED
		    ? verify_fail(c->res, "manifest", "%lld bytes, too large",
		          (long long)size)
		    : verify_fail(c->res, "manifest", "too large");
	buf = xmalloc((size_t)size + 1);
	while ((rc = ar_data(c->ar, &p, &n)) > 0 && n <= (size_t)size - used) {
		memcpy(buf + used, p, n);
		used += n;
	}
	if (rc < 0 || used != (size_t)size) {
		free(buf);
		return rc < 0 ? arfail(c)
		              : verify_fail(c->res, "tar", "MANIFEST size");
	}
	rc = c->k->manifest(c, buf, used);
	free(buf);
	return rc;
}

struct lctx {
	struct archcheck *c;
	const struct ac_member *m;
};

static int
one_line(void *arg, const char *p, size_t n)
{
	struct lctx *x = arg;

	return x->m->line(x->c, p, n);
}

/*
 * After a line failed: the rest of the member, for a tar that is damaged
 * under it (a size past the end, say) is the cause and is named as such.
 */
static int
drain(struct archcheck *c)
{
	const void *p;
	size_t n;
	int rc;

	if (!(c->k->flags & AC_DRAIN) || strcmp(c->res->check, "caller") == 0)
		return -1;
	while ((rc = ar_data(c->ar, &p, &n)) > 0)
		;
	if (rc < 0) {
		c->res->check = NULL;
		arfail(c);
	}
	return -1;
}

/* Member i, of lines: each to its check, the digest into c->dig[i]. */
static int
lines(struct archcheck *c, int i)
{
	struct lctx x = { c, &c->k->m[i] };
	const void *p;
	size_t n;
	int rc, bad;

	shabg_init(c->sha);
	ls_reset(&c->ls);
	while ((rc = ar_data(c->ar, &p, &n)) > 0) {
		shabg_update(c->sha, p, n);
		if ((bad = ls_block(&c->ls, p, n, one_line, &x)) == -2)
			verify_fail(c->res, x.m->check,
			    "%s:%llu: line longer than %u bytes", x.m->name,
			    (unsigned long long)c->ls.line + 1, LR_MAXLINE);
		if (bad < 0)
			return drain(c);
	}
	if (rc < 0)
		return arfail(c);
	if (c->ls.ncarry > 0)
		return verify_fail(c->res, x.m->check,
		    "%s:%llu: no newline at the end", x.m->name,
		    (unsigned long long)c->ls.line + 1);
	shabg_final(c->sha, c->dig[i]);
	return 0;
}

/* A name the kind has no member of. */
static int
unknown(const struct archcheck *c, const char *name)
{
	int i;

	if (!(c->k->flags & AC_KNOWN))
		return 0;
	for (i = 0; i < c->k->n; i++)
		if (strcmp(name, c->k->m[i].name) == 0)
			return 0;
	return 1;
}

/* Exactly the kind's members, in order, each read and checked. */
static int
members(struct archcheck *c)
{
	const struct ac_member *m = c->k->m;
	const char *name;
	int64_t size;
	int i, rc;

	for (i = 0;; i++) {
		if ((rc = ar_next(c->ar, &name, &size)) < 0)
			return arfail(c);
		if (rc == 0 && i < c->k->n)
			return verify_fail(
			    c->res, "members", "no %s", m[i].name);
		if (rc == 0)
			return 0;
		if (i >= c->k->n || unknown(c, name))
			return verify_fail(
			    c->res, "members", "unexpected member %s", name);
		if (strcmp(name, m[i].name) != 0)
			return verify_fail(c->res, "members",
			    "%s where %s should be", name, m[i].name);
		if ((m[i].line == NULL ? read_manifest(c, size) : lines(c, i)) <
		    0)
			return -1;
	}
}

/* The kind's name check, on the file's base name. */
static int
name_check(struct archcheck *c, const char *path)
{
	const char *base = strrchr(path, '/');

	return c->k->name(c, base != NULL ? base + 1 : path);
}

/*
 * The archive open for reading, its size in res; -1 when it cannot be
 * (check "read").  The mode is looked at only when fstat gave one.
 */
static int
open_archive(const char *path, struct verify_result *res)
{
	struct stat st;
	const char *why = NULL;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return verify_fail(res, "read", "%s", strerror(errno));
	if (fstat(fd, &st) < 0)
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	if (why != NULL) {
		verify_fail(res, "read", "%s", why);
		close(fd);
		return -1;
	}
	res->size = (uint64_t)st.st_size;
	return fd;
}

/* Check the archive at path as of kind c->k; 0 when it passes. */
int
ac_run(struct archcheck *c, const char *path, int threads)
{
	unsigned char d[SHA256_LEN];
	struct sha256 file;
	int fd;

	if ((fd = open_archive(path, c->res)) < 0)
		return -1;
	sha256_init(&file);
	c->ar = ar_open(fd, threads, &file);
	c->sha = shabg_new(threads > 0);
	if (members(c) == 0 && (ar_end(c->ar) == 0 || arfail(c) == 0) &&
	    c->k->compare(c) == 0 && name_check(c, path) == 0) {
		sha256_final(&file, d);
		sha256_hex(c->res->sha256, d);
	}
	shabg_free(c->sha);
	ar_close(c->ar);
	ls_free(&c->ls);
	close(fd);
	/* As xmalloc would: no verdict on the archive, and no threads now. */
	if ((c->k->flags & AC_NOMEM) && c->res->check != NULL &&
	    strcmp(c->res->check, "memory") == 0)
		lb_errx(EX_FAIL, "%s: out of memory", lb_escs(path));
	return c->res->check != NULL ? -1 : 0;
}
