/*
 * Partitioning the input by date: each event goes to its date's file in
 * a private folder under DIR, so that later each date is built on its
 * own and memory never holds more than one date's index.  At most
 * MAXOPEN files are open, each with a buffer; the least recently used
 * is closed to open another.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arc.h"
#include "diag.h"
#include "pool.h"
#include "wio.h"

#define SPILLBUF (64 * 1024)
#define MAXOPEN 64
#define NJOB 8

/* A full buffer the writer thread writes to fd. */
struct wjob {
	struct pjob pj; /* first: the pool hands it back */
	int fd, err;
	char *buf;
	size_t len;
};

static void
write_job(void *arg, void *local, struct pjob *pj)
{
	struct wjob *j = (struct wjob *)pj;

	(void)arg;
	(void)local;
	j->err = wr_all(j->fd, j->buf, j->len) < 0 ? errno : 0;
}

/*
 * The spill folder: DIR/.logbook-archive.XXXXXX, 0700, reached from now
 * on through a descriptor, so that no link planted under its name can
 * take the files elsewhere.
 */
int
spill_open(struct spill *sp, const char *dir)
{
	struct poolfn fn = { NULL, write_job, NULL, NULL };
	size_t n = strlen(dir) + 32, i;
	struct stat st;
	int e = 0;

	memset(sp, 0, sizeof(*sp));
	sp->dfd = -1;
	sp->dir = xmalloc(n);
	snprintf(sp->dir, n, "%s/.logbook-archive.XXXXXX", dir);
	if (mkdtemp(sp->dir) == NULL) {
		free(sp->dir);
		sp->dir = NULL;
		return -1;
	}
	if ((sp->dfd = open(sp->dir,
	         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    fstat(sp->dfd, &st) < 0)
		e = errno;
	else if (st.st_uid != geteuid())
		e = EPERM; /* not the folder mkdtemp made */
	if (e != 0) {
		if (sp->dfd >= 0)
			close(sp->dfd);
		(void)rmdir(sp->dir);
		free(sp->dir);
		sp->dir = NULL;
		errno = e;
		return -1;
	}
	sp->hcap = 64;
	sp->hash = xcalloc(sp->hcap, sizeof(*sp->hash));
	sp->job = xcalloc(NJOB, sizeof(*sp->job));
	for (i = 0; i < NJOB; i++)
		sp->job[i].buf = xmalloc(SPILLBUF);
	sp->pool = pool_new(1, &fn);
	return 0;
}

static void
spill_name(char *buf, size_t n, int64_t day, int which)
{
	snprintf(buf, n, "%lld.%s", (long long)day,
	    which == SP_LINES ? "lines" : "index");
}

/* A date's file (SP_LINES, SP_INDEX), in a buffer to free. */
char *
spill_path(const struct spill *sp, int64_t day, int which)
{
	char name[32];

	spill_name(name, sizeof(name), day, which);
	return path_join(sp->dir, name);
}

/* Open a date's file in the spill folder; never through a link. */
int
spill_openat(const struct spill *sp, int64_t day, int which, int flags)
{
	char name[32];

	spill_name(name, sizeof(name), day, which);
	return openat(sp->dfd, name, flags | O_NOFOLLOW | O_CLOEXEC, 0600);
}

int
spill_unlink(const struct spill *sp, int64_t day, int which)
{
	char name[32];

	spill_name(name, sizeof(name), day, which);
	return unlinkat(sp->dfd, name, 0);
}

static size_t
slot(int64_t day, size_t cap)
{
	return (size_t)(((uint64_t)day * 0x9e3779b97f4a7c15ULL) >> 32) &
	    (cap - 1);
}

static void
rehash(struct spill *sp)
{
	size_t i, j;

	free(sp->hash);
	sp->hcap *= 2;
	sp->hash = xcalloc(sp->hcap, sizeof(*sp->hash));
	for (i = 0; i < sp->n; i++) {
		for (j = slot(sp->d[i].day, sp->hcap); sp->hash[j] != 0;
		     j = (j + 1) & (sp->hcap - 1))
			;
		sp->hash[j] = i + 1;
	}
}

/* The date's entry, made on first sight. */
static struct dspill *
lookup(struct spill *sp, int64_t day)
{
	size_t j;

	if (sp->n > 0 && sp->d[sp->last].day == day)
		return &sp->d[sp->last];
	for (j = slot(day, sp->hcap); sp->hash[j] != 0;
	     j = (j + 1) & (sp->hcap - 1))
		if (sp->d[sp->hash[j] - 1].day == day)
			return &sp->d[sp->last = sp->hash[j] - 1];
	if (sp->n == sp->cap) {
		sp->cap = sp->cap ? sp->cap * 2 : 16;
		sp->d = xreallocarray(sp->d, sp->cap, sizeof(*sp->d));
	}
	memset(&sp->d[sp->n], 0, sizeof(sp->d[0]));
	sp->d[sp->n].day = day;
	sp->d[sp->n].f[SP_LINES].fd = -1;
	sp->d[sp->n].f[SP_INDEX].fd = -1;
	sp->hash[j] = sp->n + 1;
	sp->last = sp->n++;
	if (sp->n * 2 > sp->hcap)
		rehash(sp);
	return &sp->d[sp->last];
}

/* Wait for job j; -1 with errno when its write failed. */
static int
settle(struct spill *sp, struct wjob *j)
{
	pool_wait(sp->pool, &j->pj);
	if (j->err == 0)
		return 0;
	errno = j->err;
	j->err = 0;
	return -1;
}

static int
drain(struct spill *sp)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < NJOB; i++)
		if (settle(sp, &sp->job[i]) < 0)
			rc = -1;
	return rc;
}

/* The writer thread takes f's bytes; f gets an empty buffer. */
static int
flush(struct spill *sp, struct sfile *f)
{
	struct wjob *j = &sp->job[sp->next];
	char *t;

	if (f->len == 0)
		return 0;
	if (settle(sp, j) < 0)
		return -1;
	t = j->buf;
	j->buf = f->buf;
	f->buf = t;
	j->fd = f->fd;
	j->len = f->len;
	f->len = 0;
	pool_submit(sp->pool, &j->pj);
	sp->next = (sp->next + 1) % NJOB;
	return 0;
}

static int
append(struct spill *sp, struct sfile *f, const void *p, size_t n)
{
	if (f->len + n > SPILLBUF && flush(sp, f) < 0)
		return -1;
	if (n > SPILLBUF) /* after what came before it */
		return drain(sp) < 0 ? -1 : wr_all(f->fd, p, n);
	memcpy(f->buf + f->len, p, n);
	f->len += n;
	return 0;
}

static int
close_one(struct spill *sp, struct dspill *d)
{
	int rc = 0, i;

	if (d->f[0].buf == NULL) /* not open */
		return 0;
	for (i = 0; i < 2; i++)
		if (d->f[i].fd >= 0 && flush(sp, &d->f[i]) < 0)
			rc = -1;
	if (drain(sp) < 0)
		rc = -1;
	for (i = 0; i < 2; i++) {
		if (d->f[i].fd >= 0 && close(d->f[i].fd) < 0)
			rc = -1;
		d->f[i].fd = -1;
		free(d->f[i].buf);
		d->f[i].buf = NULL;
	}
	sp->nopen--;
	return rc;
}

static int
open_one(struct spill *sp, struct dspill *d)
{
	struct dspill *lru = NULL;
	size_t i;
	int k;

	if (sp->nopen == MAXOPEN) {
		for (i = 0; i < sp->n; i++)
			if (sp->d[i].f[0].buf != NULL &&
			    (lru == NULL || sp->d[i].use < lru->use))
				lru = &sp->d[i];
		if (lru != NULL && close_one(sp, lru) < 0)
			return -1;
	}
	sp->nopen++;
	d->f[0].buf = xmalloc(SPILLBUF);
	d->f[1].buf = xmalloc(SPILLBUF);
	for (k = 0; k < 2; k++)
		if ((d->f[k].fd = spill_openat(
		         sp, d->day, k, O_WRONLY | O_CREAT | O_APPEND)) < 0)
			return -1;
	return 0;
}

/*
 * Add one event to day's files: its index record, and its line when it
 * is to be spilled (h->off is then set).  -1 with errno on an error.
 */
int
spill_add(struct spill *sp, int64_t day, struct sphdr *h, const char *line)
{
	struct dspill *d = lookup(sp, day);

	if (d->f[0].buf == NULL && open_one(sp, d) < 0)
		return -1;
	d->use = ++sp->clock;
	d->events++;
	if (h->file & SPILLED) {
		h->off = d->lsize;
		d->lsize += h->len;
		if (append(sp, &d->f[SP_LINES], line, h->len) < 0)
			return -1;
	}
	return append(sp, &d->f[SP_INDEX], h, sizeof(*h));
}

int
spill_close_all(struct spill *sp)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < sp->n; i++)
		if (close_one(sp, &sp->d[i]) < 0)
			rc = -1;
	return rc;
}

/* Remove the spill folder and everything in it. */
void
spill_free(struct spill *sp)
{
	size_t i;
	int k;

	if (sp->dir == NULL)
		return;
	for (i = 0; i < sp->n; i++) {
		(void)close_one(sp, &sp->d[i]);
		for (k = 0; k < 2; k++)
			(void)spill_unlink(sp, sp->d[i].day, k);
	}
	close(sp->dfd);
	(void)rmdir(sp->dir); /* a link there is not removed: ENOTDIR */
	pool_free(sp->pool);
	for (i = 0; i < NJOB; i++)
		free(sp->job[i].buf);
	free(sp->job);
	free(sp->dir);
	free(sp->d);
	free(sp->hash);
	sp->dir = NULL;
}
