/*
 * One date: the events already archived (checked as logbook-verify
 * checks them) join the new ones in the date's spill file; an index of
 * (id, where) sorted by id drops the ids seen before; then the archive
 * is written again, unless nothing was added.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "date.h"
#include "diag.h"
#include "obuf.h"
#include "verify.h"
#include "xxhash.h"

#define READBUF (1024 * 1024)

/* Where merge_old appends the archive's events. */
struct merge {
	struct obuf ob[2];
	uint64_t off; /* the end of SP_LINES */
};

/* An event of the archive there: to the spill, as the new ones. */
static int
old_event(void *arg, const char *line, size_t n, const struct event *ev)
{
	struct merge *m = arg;
	struct obuf *ob = m->ob;
	struct sphdr h;

	if (n > UINT32_MAX || arch_idkey(ev->id.p, ev->id.n, &h.k) < 0)
		return -1;
	h.lh = xxh64(line, n, 0);
	h.off = m->off;
	h.line = 0;
	h.len = (uint32_t)n;
	h.file = NOFILE;
	m->off += n;
	ob_write(&ob[SP_LINES], line, n);
	ob_drain(&ob[SP_LINES]);
	ob_write(&ob[SP_INDEX], &h, sizeof(h));
	ob_drain(&ob[SP_INDEX]);
	return 0;
}

static int
flush2(struct date *d, struct obuf *ob)
{
	int i, rc = 0;

	for (i = 0; i < 2; i++) {
		if (rc == 0 && ob_flush(&ob[i]) < 0) {
			lb_warn("%s", lb_escs(d->spath[i]));
			rc = -1;
		}
		ob_free(&ob[i]);
	}
	return rc;
}

/*
 * Why the archive there at path was not merged.  When it could not be
 * read (check "read") that is the system's error, named as any other;
 * the offset logbook-verify adds is left out.  lb_esc has one buffer:
 * the path and the detail in turn.
 */
void
old_failed(const char *path, const struct verify_result *res)
{
	const char *at = NULL;
	char p[1024];
	size_t n = strlen(res->detail);

	snprintf(p, sizeof(p), "%s", lb_escs(path));
	if (strcmp(res->check, "read") == 0) {
		if ((at = strstr(res->detail, " at byte ")) != NULL)
			n = (size_t)(at - res->detail);
		lb_warnx("%s: %s", p, lb_esc(res->detail, n));
	} else
		lb_warnx("%s: the archive there fails %s: %s; left as it is", p,
		    res->check, lb_esc(res->detail, n));
}

/*
 * Append the events of the archive at d->path, checked: 0, or 1 when it
 * fails a check (reported), or -1 on an I/O error (reported).
 */
static int
merge_old(struct date *d)
{
	struct verify_opts o = { d->r->threads, NULL, old_event, NULL, NULL };
	struct verify_result res;
	struct merge m;
	int rc;

	ob_init(&m.ob[SP_LINES], d->sfd[SP_LINES]);
	ob_init(&m.ob[SP_INDEX], d->sfd[SP_INDEX]);
	m.off = d->lsize;
	o.arg = &m;
	rc = verify_archive(d->path, &o, &res) < 0;
	if (flush2(d, m.ob) < 0)
		rc = -1;
	else if (rc > 0)
		old_failed(d->path, &res);
	verify_free(&res);
	return rc;
}

static void
add_entry(struct date *d, const struct sphdr *h, uint64_t no)
{
	struct ient *e = &d->ix[d->n++];

	e->k = h->k;
	e->lh = h->lh;
	e->off = h->off;
	e->no = no;
	e->len = h->len;
	e->file = h->file;
}

/* The index of the spill but the bad lines, read in big pieces. */
static int
load_index(struct date *d)
{
	struct sphdr *h = xmalloc(READBUF);
	uint64_t no = 0;
	size_t have = 0, i, b = 0;
	ssize_t r = lseek(d->sfd[SP_INDEX], 0, SEEK_SET) < 0 ? -1 : 0;
	struct stat st;

	/* The records are counted: room for all at once, no doubling. */
	if (fstat(d->sfd[SP_INDEX], &st) < 0)
		r = -1;
	else if (d->ix == NULL) {
		d->cap = (size_t)st.st_size / sizeof(*h);
		d->ix = xreallocarray(NULL, d->cap, sizeof(*d->ix));
	}
	for (d->n = 0; r >= 0; have -= i * sizeof(*h)) {
		r = read(d->sfd[SP_INDEX], (char *)h + have, READBUF - have);
		if (r <= 0 && !(r < 0 && errno == EINTR))
			break;
		have += r > 0 ? (size_t)r : 0;
		for (i = 0; i < have / sizeof(*h); i++, no++) {
			if (no >= d->cap) {
				errno = EIO; /* the file grew: not ours */
				r = -1;
				break;
			}
			if (b < d->nbad && d->bad[b] == no)
				b++;
			else
				add_entry(d, &h[i], no);
		}
		memmove(h, h + i, have - i * sizeof(*h));
	}
	free(h);
	if (r == 0 && have != 0)
		errno = EIO; /* a part of a record: not ours */
	return r < 0 || have != 0 ? -1 : 0;
}

/* By id; the archived event first, then by content, for one order. */
static int
ient_cmp(const void *a, const void *b)
{
	const struct ient *x = a, *y = b;
	int c = arch_idcmp(&x->k, &y->k);

	if (c != 0)
		return c;
	if (OLD(x) != OLD(y))
		return OLD(x) ? -1 : 1;
	if (x->lh != y->lh)
		return x->lh < y->lh ? -1 : 1;
	return (x->off > y->off) - (x->off < y->off);
}

/* Sort, keep the first of each id; count what is new. */
static void
dedupe(struct date *d)
{
	size_t i, k = 0;

	if (d->n > 0)
		qsort(d->ix, d->n, sizeof(*d->ix), ient_cmp);
	for (i = 0; i < d->n; i++) {
		if (k > 0 && arch_idcmp(&d->ix[i].k, &d->ix[k - 1].k) == 0) {
			d->conflicts += d->ix[i].lh != d->ix[k - 1].lh;
			continue;
		}
		d->added += !OLD(&d->ix[i]);
		d->ix[k++] = d->ix[i];
	}
	d->n = k;
}

/* dir/rel, in a buffer to free; dir may end with a slash. */
char *
path_join(const char *dir, const char *rel)
{
	size_t n = strlen(dir);
	char *p = xmalloc(n + strlen(rel) + 2);

	sprintf(p, "%s%s%s", dir, n > 0 && dir[n - 1] == '/' ? "" : "/", rel);
	return p;
}

/*
 * The folder name under dfd (path, for messages), made durable when new,
 * open; a link there is not followed.  -1 when it is not a folder
 * (reported).
 */
static int
folder_at(struct run *r, int dfd, const char *name, const char *path)
{
	struct stat st;
	int fd, e;

	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		fd = mkdirat_synced(dfd, name, r->dmode);
	if (fd >= 0)
		return fd;
	e = errno;
	if ((e == ELOOP || e == ENOTDIR) &&
	    fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode))
		lb_warnx("%s: a symbolic link, not followed", lb_escs(path));
	else
		lb_warnc(e, "%s", lb_escs(path));
	return -1;
}

/*
 * DIR/YYYY and DIR/YYYY/MM of path (its last part base bytes long), made
 * durable when new, walked from DIR by descriptor: what is made under DIR
 * stays under DIR, whatever is swapped in for a path meanwhile.  The month
 * folder's descriptor, or -1 (reported).
 */
int
make_folders(struct run *r, const char *path, size_t base)
{
	char *p = xstrdup(path);
	size_t n = strlen(p) - (base + 1); /* DIR/YYYY/MM at p[0..n) */
	int top, year = -1, month = -1;

	p[n - 8] = '\0';
	if ((top = open(n > 8 ? p : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) <
	    0)
		lb_warn("%s", lb_esc(n > 8 ? p : "/", n > 8 ? n - 8 : 1));
	p[n - 8] = '/';
	p[n - 3] = '\0';
	if (top >= 0)
		year = folder_at(r, top, p + n - 7, p);
	p[n - 3] = '/';
	p[n] = '\0';
	if (year >= 0)
		month = folder_at(r, year, p + n - 2, p);
	if (top >= 0)
		close(top);
	if (year >= 0)
		close(year);
	free(p);
	return month;
}

/* The spill files, and the events of the archive there appended. */
static int
gather(struct date *d)
{
	struct stat st;
	int i;

	for (i = 0; i < 2; i++) {
		d->sfd[i] =
		    spill_openat(&d->r->sp, d->day, i, O_RDWR | O_APPEND);
		if (d->sfd[i] < 0 || fstat(d->sfd[i], &st) < 0) {
			lb_warn("%s", lb_escs(d->spath[i]));
			return -1;
		}
		if (i == SP_LINES)
			d->lsize = (uint64_t)st.st_size;
	}
	if (stat(d->path, &st) == 0)
		d->existed = 1;
	else if (errno != ENOENT) {
		lb_warn("%s", lb_escs(d->path));
		return -1;
	}
	return d->existed ? merge_old(d) : 0;
}

/*
 * Report index record no's line as malformed (found by the build) and
 * leave it out from now on.  -1 when the record cannot be read.
 */
int
bad_record(struct date *d, uint64_t no, const char *why)
{
	struct sphdr h;
	ssize_t r;

	r = pread(d->sfd[SP_INDEX], &h, sizeof(h), (off_t)(no * sizeof(h)));
	if (r != (ssize_t)sizeof(h)) {
		if (r >= 0)
			errno = EIO; /* shorter than its index: not ours */
		return -1;
	}
	if (h.file != NOFILE)
		bad_line(d->r, h.file & ~SPILLED, h.line, why);
	if (d->nbad == d->capbad) {
		d->capbad = d->capbad ? d->capbad * 2 : 16;
		d->bad = xreallocarray(d->bad, d->capbad, sizeof(*d->bad));
	}
	d->bad[d->nbad++] = no;
	return 0;
}

static int
u64cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Index, sort, drop the ids seen before, write; again when the writing
 * found malformed lines, without them.  -1 on failure. */
static int
build(struct date *d)
{
	int rc;

	do {
		if (d->nbad > 0)
			qsort(d->bad, d->nbad, sizeof(*d->bad), u64cmp);
		d->added = d->conflicts = 0;
		if (load_index(d) < 0) {
			lb_warn("%s", lb_escs(d->spath[1]));
			return -1;
		}
		dedupe(d);
		rc = (!d->existed || d->added > 0) && d->n > 0
		    ? write_archive(d)
		    : 0;
	} while (rc > 0);
	return rc;
}

/*
 * Build one date's archive and print its line.  -1 when archiving must
 * stop (an I/O error); 0 otherwise, r->failed set when this date failed
 * on its own (its archive there did not verify).
 */
int
build_date(struct run *r, struct dspill *ds)
{
	char rel[ARCH_RELLEN + 1];
	struct date d;
	int rc, i;

	memset(&d, 0, sizeof(d));
	d.r = r;
	d.day = ds->day;
	arch_relpath(rel, d.day);
	d.path = path_join(r->dir, rel);
	for (i = 0; i < 2; i++) {
		d.sfd[i] = -1;
		d.spath[i] = spill_path(&r->sp, d.day, i);
	}
	if ((rc = gather(&d)) == 0 && (rc = build(&d)) == 0 && d.conflicts > 0)
		lb_warnx("%s: %llu event%s not added: %s", lb_escs(d.path),
		    (unsigned long long)d.conflicts, lb_s(d.conflicts),
		    d.conflicts == 1 ? "another event has its id"
		                     : "other events have their ids");
	if (rc == 0 && d.n > 0)
		archive_line(r, d.path, d.n, d.added);
	if (rc != 0)
		r->failed = 1;
	for (i = 0; i < 2; i++) {
		if (d.sfd[i] >= 0)
			close(d.sfd[i]);
		(void)spill_unlink(&r->sp, d.day, i); /* room for the next */
		free(d.spath[i]);
	}
	free(d.path);
	free(d.ix);
	free(d.bad);
	windows_free(&d);
	return rc < 0 ? -1 : 0;
}
