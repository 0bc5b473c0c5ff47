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
#include <unistd.h>

#include "archive.h"
#include "diag.h"

#define SPILLBUF (64 * 1024)
#define MAXOPEN 64

/* The spill folder: DIR/.logbook-archive.XXXXXX, 0700. */
int
spill_open(struct spill *sp, const char *dir)
{
	size_t n = strlen(dir) + 32;

	memset(sp, 0, sizeof(*sp));
	sp->dir = xmalloc(n);
	snprintf(sp->dir, n, "%s/.logbook-archive.XXXXXX", dir);
	if (mkdtemp(sp->dir) == NULL) {
		free(sp->dir);
		sp->dir = NULL;
		return -1;
	}
	sp->hcap = 64;
	sp->hash = xcalloc(sp->hcap, sizeof(*sp->hash));
	return 0;
}

/* A date's file, in a buffer to free. */
char *
spill_path(const struct spill *sp, int64_t day)
{
	size_t n = strlen(sp->dir) + 32;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%lld", sp->dir, (long long)day);
	return p;
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
	sp->d[sp->n].fd = -1;
	sp->hash[j] = sp->n + 1;
	sp->last = sp->n++;
	if (sp->n * 2 > sp->hcap)
		rehash(sp);
	return &sp->d[sp->last];
}

static int
put(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
flush(struct dspill *d)
{
	int rc = put(d->fd, d->buf, d->len);

	d->len = 0;
	return rc;
}

static int
close_one(struct spill *sp, struct dspill *d)
{
	int rc;

	if (d->fd < 0)
		return 0;
	rc = flush(d);
	if (close(d->fd) < 0)
		rc = -1;
	d->fd = -1;
	free(d->buf);
	d->buf = NULL;
	sp->nopen--;
	return rc;
}

static int
open_one(struct spill *sp, struct dspill *d)
{
	struct dspill *lru = NULL;
	char *path;
	size_t i;

	if (sp->nopen == MAXOPEN) {
		for (i = 0; i < sp->n; i++)
			if (sp->d[i].fd >= 0 &&
			    (lru == NULL || sp->d[i].use < lru->use))
				lru = &sp->d[i];
		if (close_one(sp, lru) < 0)
			return -1;
	}
	path = spill_path(sp, d->day);
	d->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	free(path);
	if (d->fd < 0)
		return -1;
	d->buf = xmalloc(SPILLBUF);
	sp->nopen++;
	return 0;
}

/* Add one record to day's file; -1 with errno on a write error. */
int
spill_add(
    struct spill *sp, int64_t day, const struct sphdr *h, const char *line)
{
	struct dspill *d = lookup(sp, day);

	if (d->fd < 0 && open_one(sp, d) < 0)
		return -1;
	d->use = ++sp->clock;
	d->events++;
	if (d->len + sizeof(*h) + h->len > SPILLBUF && flush(d) < 0)
		return -1;
	memcpy(d->buf + d->len, h, sizeof(*h));
	d->len += sizeof(*h);
	if (h->len > SPILLBUF - d->len)
		return flush(d) < 0 ? -1 : put(d->fd, line, h->len);
	memcpy(d->buf + d->len, line, h->len);
	d->len += h->len;
	return 0;
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
	char *p;

	if (sp->dir == NULL)
		return;
	for (i = 0; i < sp->n; i++) {
		(void)close_one(sp, &sp->d[i]);
		p = spill_path(sp, sp->d[i].day);
		(void)unlink(p);
		free(p);
	}
	(void)rmdir(sp->dir);
	free(sp->dir);
	free(sp->d);
	free(sp->hash);
	sp->dir = NULL;
}
