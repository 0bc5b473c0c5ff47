/*
 * --hourly: hourly rows in, one aggregate archive per UTC month out,
 * DIR/YYYY/MM/logbook-YYYY-MM.hourly.tar.gz (lib/monthly.h).  The rows
 * given for a date replace, as a whole, the rows the archive holds of
 * that date; rows of other dates are kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arc.h"
#include "archfmt.h"
#include "atomic.h"
#include "diag.h"
#include "gzwrite.h"
#include "lineread.h"
#include "monthly.h"
#include "sha256.h"
#include "tarout.h"

#ifndef VERSION
#define VERSION "0"
#endif

struct rows {
	struct mrow *v;
	size_t n, cap;
};

static void
push(struct rows *l, const struct mrow *r)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = *r;
}

static void
rows_free(struct rows *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		mrow_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Every row of input file, to l; bad ones reported. */
static void
read_rows(struct run *r, uint32_t file, struct rows *l)
{
	const char *path = r->in[file].name;
	struct lreader lr;
	struct line ln;
	struct mrow row;
	const char *why;
	int rc;

	if (lr_open(&lr, path) < 0) {
		lb_warn("%s", lb_escs(path));
		r->failed = 1;
		return;
	}
	while ((rc = lr_next(&lr, &ln)) > 0) {
		if (ln.cont)
			continue;
		r->in[file].lines++;
		if (ln.more) {
			bad_line(r, file, lr.lineno + 1, "line too long");
			continue;
		}
		if (lr_blank(&ln))
			continue;
		if (mrow_parse(&row, ln.p, ln.n, &why) < 0) {
			bad_line(r, file, lr.lineno, why);
			continue;
		}
		row.file = file;
		row.lineno = lr.lineno;
		push(l, &row);
	}
	if (rc < 0) {
		lr_warn(&lr);
		r->failed = 1;
	}
	lr_close(&lr);
}

/* By hour, key; then by where read, so the first given comes first. */
static int
bywhere(const void *a, const void *b)
{
	const struct mrow *x = a, *y = b;
	int c = mrow_cmp(x, y);

	if (c != 0)
		return c;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return (x->lineno > y->lineno) - (x->lineno < y->lineno);
}

static int
bymonth(const void *a, const void *b)
{
	return mrow_cmp(a, b);
}

static int
old_row(void *arg, const char *p, size_t n)
{
	struct mrow row;
	const char *why;

	if (mrow_parse(&row, p, n, &why) < 0)
		return -1;
	push(arg, &row);
	return 0;
}

/* Whether new rows (sorted) hold a row of date. */
static int
has_date(const struct mrow *v, size_t n, const char *date)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (memcmp(v[mid].hour, date, ARCH_DATELEN) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && memcmp(v[lo].hour, date, ARCH_DATELEN) == 0;
}

static int
same_rows(const struct rows *a, const struct rows *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->v[i].n != b->v[i].n ||
		    memcmp(a->v[i].line, b->v[i].line, a->v[i].n) != 0)
			return 0;
	return 1;
}

/* Whether old (sorted) holds row, byte for byte. */
static int
had(const struct rows *old, const struct mrow *row)
{
	size_t lo = 0, hi = old->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (mrow_cmp(&old->v[mid], row) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < old->n && mrow_cmp(&old->v[lo], row) == 0 &&
	    old->v[lo].n == row->n &&
	    memcmp(old->v[lo].line, row->line, row->n) == 0;
}

static char *
manifest_of(const char *month, const struct rows *l, size_t *len)
{
	unsigned char d[SHA256_LEN];
	char hex[SHA256_HEXLEN + 1];
	struct sha256 s;
	uint64_t events = 0;
	size_t i, cap = 512 + 32 * (ARCH_DATELEN + 1), n;
	char *t, *days;

	sha256_init(&s);
	for (i = 0; i < l->n; i++) {
		sha256_update(&s, l->v[i].line, l->v[i].n);
		sha256_update(&s, "\n", 1);
		events += l->v[i].requests;
	}
	sha256_final(&s, d);
	sha256_hex(hex, d);
	days = xmalloc(32 * (ARCH_DATELEN + 1) + 2);
	memcpy(days, "-", 2);
	for (i = 0, n = 0; i < l->n; i++) {
		if (n > 0 &&
		    memcmp(days + n - ARCH_DATELEN, l->v[i].hour,
		        ARCH_DATELEN) == 0)
			continue;
		if (n > 0)
			days[n++] = ' ';
		memcpy(days + n, l->v[i].hour, ARCH_DATELEN);
		n += ARCH_DATELEN;
		days[n] = '\0';
	}
	t = xmalloc(cap);
	*len = (size_t)snprintf(t, cap,
	    "logbook-manifest 1\nmonth %s\nhourly_rows %zu\nevents %llu\n"
	    "first %s\nlast %s\ndays %s\ncreated_by logbook-archive " VERSION
	    "\n%s  " ARCH_HOURLY "\n",
	    month, l->n, (unsigned long long)events,
	    l->n > 0 ? l->v[0].hour : "-", l->n > 0 ? l->v[l->n - 1].hour : "-",
	    days, hex);
	free(days);
	return t;
}

/* The MANIFEST's tar member, alone in a gzip member; -1 with errno. */
static int
manifest_part(
    struct run *r, int fd, const char *month, const struct rows *l, int64_t day)
{
	struct tarout m;
	struct gzw *gz;
	size_t len, mlen;
	char *text = manifest_of(month, l, &len);
	int rc, e;

	tar_open(&m, NULL);
	if (tar_member(&m, ARCH_MANIFEST, len, day * 86400) < 0 ||
	    tar_data(&m, text, len) < 0 || tar_end_member(&m) < 0)
		lb_errx(EX_FAIL, "libarchive: cannot write to memory");
	mlen = m.len; /* the end of the archive is not for this part */
	(void)tar_close(&m, 1);
	free(text);
	gz = gzw_new(fd, r->level, 0);
	rc = gzw_write(gz, m.mem, mlen) < 0 || gzw_close(gz, NULL) < 0;
	e = errno;
	gzw_free(gz);
	free(m.mem);
	errno = e;
	return rc ? -1 : 0;
}

/* The rows' tar member and the end of the archive; -1 with errno. */
static int
rows_part(struct run *r, int fd, const struct rows *l, int64_t day)
{
	struct gzw *gz = gzw_new(fd, r->level, r->threads);
	struct tarout t;
	uint64_t size = 0;
	size_t i;
	int rc, e;

	for (i = 0; i < l->n; i++)
		size += l->v[i].n + 1;
	tar_open(&t, gz);
	rc = tar_member(&t, ARCH_HOURLY, size, day * 86400) < 0;
	for (i = 0; rc == 0 && i < l->n; i++)
		rc = tar_data(&t, l->v[i].line, l->v[i].n) < 0 ||
		    tar_data(&t, "\n", 1) < 0;
	if (rc == 0)
		rc = tar_end_member(&t) < 0 || tar_close(&t, 0) < 0 ||
		    gzw_close(gz, NULL) < 0;
	e = errno;
	if (t.a != NULL)
		(void)tar_close(&t, 1);
	gzw_free(gz);
	errno = e;
	return rc ? -1 : 0;
}

/* The archive at path anew: MANIFEST alone in the first gzip member. */
static int
write_monthly(
    struct run *r, const char *path, const char *month, const struct rows *l)
{
	char date[ARCH_DATELEN + 1];
	struct atomic at;
	int64_t day;
	int mfd, rc;

	snprintf(date, sizeof(date), "%s-01", month);
	(void)arch_parse_date(date, ARCH_DATELEN, &day);
	if ((mfd = make_folders(r, path, MONTHLY_BASELEN)) < 0)
		return -1;
	rc = atomic_openat(
	    &at, mfd, path + strlen(path) - MONTHLY_BASELEN, r->mode);
	close(mfd);
	if (rc < 0) {
		lb_warn("%s", lb_escs(path));
		return -1;
	}
	if (manifest_part(r, at.fd, month, l, day) < 0 ||
	    rows_part(r, at.fd, l, day) < 0) {
		lb_warn("%s", lb_escs(path));
		atomic_abort(&at);
		return -1;
	}
	if (atomic_commit(&at) < 0) {
		lb_warn("%s", lb_escs(path));
		return -1;
	}
	return 0;
}

/* One month: the new rows nv[0..n), sorted, unique. */
static int
one_month(struct run *r, const struct mrow *nv, size_t n)
{
	struct verify_result res;
	struct rows old = { NULL, 0, 0 }, out = { NULL, 0, 0 };
	struct mrow c;
	char month[8], rel[64], *path;
	uint64_t added = 0;
	size_t i, k;
	int rc = 0;

	memcpy(month, nv[0].hour, 7);
	month[7] = '\0';
	snprintf(rel, sizeof(rel), "%.4s/%.2s/logbook-%s" MONTHLY_SUFFIX, month,
	    month + 5, month);
	path = path_join(r->dir, rel);
	if (access(path, F_OK) == 0) {
		if (monthly_verify(path, r->threads, old_row, &old, &res) < 0) {
			old_failed(path, &res);
			verify_free(&res);
			rows_free(&old);
			free(path);
			r->failed = 1;
			return 0;
		}
		verify_free(&res);
	} else if (errno != ENOENT) {
		lb_warn("%s", lb_escs(path));
		free(path);
		r->failed = 1;
		return -1;
	}
	for (i = 0; i < old.n; i++)
		if (!has_date(nv, n, old.v[i].hour)) {
			c = old.v[i];
			c.line = xmalloc(c.n + 1);
			memcpy(c.line, old.v[i].line, c.n + 1);
			c.key = xmalloc(c.keylen);
			memcpy(c.key, old.v[i].key, c.keylen);
			push(&out, &c);
		}
	k = out.n;
	for (i = 0; i < n; i++) {
		added += !had(&old, &nv[i]);
		c = nv[i];
		c.line = xmalloc(c.n + 1);
		memcpy(c.line, nv[i].line, c.n + 1);
		c.key = xmalloc(c.keylen);
		memcpy(c.key, nv[i].key, c.keylen);
		push(&out, &c);
	}
	if (k > 0 && n > 0)
		qsort(out.v, out.n, sizeof(*out.v), bymonth);
	if (old.n == 0 || !same_rows(&old, &out))
		rc = write_monthly(r, path, month, &out);
	if (rc == 0)
		archive_line(r, path, out.n, added);
	else
		r->failed = 1;
	rows_free(&old);
	rows_free(&out);
	free(path);
	return rc;
}

/* Read every input, then write each month in turn. */
void
hourly_archive(struct run *r, int argc, char **argv)
{
	struct rows l = { NULL, 0, 0 };
	size_t i, j, k;

	inputs_init(r, argc, argv);
	for (i = 0; i < r->nin; i++)
		read_rows(r, (uint32_t)i, &l);
	if (r->failed) {
		rows_free(&l);
		return;
	}
	if (l.n > 0)
		qsort(l.v, l.n, sizeof(*l.v), bywhere);
	/* A row given twice: the first is kept, the others are bad. */
	for (i = 0, k = 0; i < l.n; i++) {
		if (k > 0 && mrow_cmp(&l.v[i], &l.v[k - 1]) == 0) {
			bad_line(r, (uint32_t)l.v[i].file, l.v[i].lineno,
			    "hour, method and path given twice");
			mrow_free(&l.v[i]);
			continue;
		}
		l.v[k++] = l.v[i];
	}
	l.n = k;
	for (i = 0; i < l.n; i = j) {
		for (j = i + 1;
		     j < l.n && memcmp(l.v[j].hour, l.v[i].hour, 7) == 0; j++)
			;
		if (one_month(r, l.v + i, j - i) < 0)
			break;
	}
	rows_free(&l);
}
