/*
 * One unit of logbook-aggregate's input, in a worker thread: every line
 * is an event (or with --merge a partial row) folded into the worker's
 * rows, or a bad line kept for the main thread to report.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "aggregate.h"
#include "evfast.h"
#include "lineread.h"
#include "progress.h"

static void
bad(struct unit *u, uint64_t lineno, const char *why)
{
	struct bad *b;

	if (u->nbad++ > SHOW_BAD)
		return;
	b = &u->shown[u->nshown++];
	b->line = lineno;
	snprintf(b->why, sizeof(b->why), "%s", why);
}

/* The end of what --partial writes, to name a likely mistake. */
static int
partial_row(const struct line *l)
{
	static const char end[] = "\"partial\":1}";

	return l->n >= sizeof(end) - 1 &&
	    memcmp(l->p + l->n - (sizeof(end) - 1), end, sizeof(end) - 1) == 0;
}

static void
one(struct worker *w, struct unit *u, const struct line *l, uint64_t lineno)
{
	const char *why;
	char msg[64];

	if (l->more || l->cont) {
		if (!l->cont) {
			u->counted++;
			snprintf(msg, sizeof(msg), "line longer than %u bytes",
			    LR_MAXLINE);
			bad(u, lineno, msg);
		}
		return;
	}
	u->counted++;
	if (lr_blank(l))
		return;
	if (w->merge) {
		if (agg_merge_row(w->agg, l->p, l->n, &why) < 0)
			bad(u, lineno, why);
	} else if (evfast_read(&w->ev, l->p, l->n, &why) < 0 ||
	    agg_add(w->agg, &w->ev, &why) < 0)
		bad(u, lineno,
		    partial_row(l) ? "a partial row: use --merge" : why);
}

static void
failed(struct unit *u, const struct lreader *lr, int errnum)
{
	u->failed = 1;
	u->errmsg = lr != NULL ? lr->errmsg : NULL;
	u->errnum = lr != NULL ? lr->errnum : errnum;
}

/* Aggregate one unit; its errors are kept in it, for report_unit. */
void
run_unit(struct worker *w, struct unit *u)
{
	struct lreader lr;
	struct line l;
	uint64_t bytes = 0, lines = 0; /* counted by the progress meter */
	int rc;

	if (u->fd >= 0)
		lr_open_range(&lr, u->path, u->fd, u->off, u->len);
	else if (lr_open(&lr, u->path) < 0) {
		failed(u, NULL, errno);
		u->onopen = 1;
		return;
	}
	while ((rc = lr_next(&lr, &l)) > 0) {
		one(w, u, &l, lr.lineno + (l.more ? 1 : 0));
		if ((lr.lineno & 0x3ff) == 0 && lr.bytes > bytes) {
			pg_add(lr.bytes - bytes, lr.lineno - lines);
			bytes = lr.bytes;
			lines = lr.lineno;
		}
	}
	pg_add(lr.bytes - bytes, lr.lineno - lines);
	if (rc < 0)
		failed(u, &lr, 0);
	u->lines = lr.lineno;
	lr_close(&lr);
}
