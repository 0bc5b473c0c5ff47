/*
 * Reading lines back in id order, from their inputs or from the spill,
 * through a window on each file.  A window serving many lines grows to
 * 1 MiB (input in time order: one read per MiB); one serving few
 * shrinks towards the line (input in any order: one short read each), so
 * no order of the input makes reading them back expensive.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "date.h"
#include "diag.h"

#define WINMAX (1024 * 1024)

static struct win *
pick(struct date *d, int fd)
{
	struct win *w, *lru = &d->win[0];
	int i;

	for (i = 0; i < NWIN; i++) {
		w = &d->win[i];
		if (w->buf != NULL && w->fd == fd)
			return w;
		if (w->buf == NULL || w->use < lru->use)
			lru = w;
	}
	lru->fd = fd;
	lru->len = 0;
	lru->off = 0;
	lru->served = WINMAX;
	return lru;
}

/*
 * Read the window so that it holds [off, off + len); -1 with errno.  A
 * quarter of the spare room goes behind the line in the direction the
 * reader came from: lines of one second come in id order, which jumps
 * back and forth by a few KiB in a file in time order, and a window cut
 * exactly at the line would be read again at each such jump.
 */
static int
refill(struct win *w, uint64_t off, size_t len)
{
	size_t slack, want = w->served < WINMAX / 4 ? w->served * 4 : WINMAX;
	uint64_t end;
	ssize_t r = 0;

	if (want < len)
		want = len;
	if (w->cap < want) {
		w->cap = want;
		w->buf = xrealloc(w->buf, w->cap);
	}
	slack = (want - len) / 4;
	if (off >= w->off)
		w->off = off - (off < slack ? off : slack);
	else {
		end = off + len + slack;
		w->off = end > want ? end - want : 0;
	}
	for (w->len = 0; w->len < want; w->len += (size_t)r) {
		r = pread(w->fd, w->buf + w->len, want - w->len,
		    (off_t)(w->off + w->len));
		if (r < 0 && errno == EINTR)
			r = 0;
		else if (r <= 0)
			break;
	}
	w->served = 0;
	if (off - w->off + len <= w->len)
		return 0;
	if (r == 0)
		errno = EIO; /* shorter than its index says */
	return -1;
}

/* The bytes of e's line, valid until the next call; NULL with errno. */
const char *
line_at(struct date *d, const struct ient *e)
{
	int fd = e->file & SPILLED ? d->sfd[SP_LINES] : d->r->in[e->file].fd;
	struct win *w = pick(d, fd);

	w->use = ++d->clock;
	if ((e->off < w->off || e->off - w->off + e->len > w->len) &&
	    refill(w, e->off, e->len) < 0)
		return NULL;
	w->served += e->len;
	return w->buf + (e->off - w->off);
}

void
windows_free(struct date *d)
{
	int i;

	for (i = 0; i < NWIN; i++)
		free(d->win[i].buf);
}
