/*
 * One input of logbook-aggregate: every line is an event (or with
 * --merge a partial row) folded into the rows, or a counted bad line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "aggregate.h"
#include "diag.h"
#include "evfast.h"
#include "lineread.h"

#define SHOW_BAD 10

struct file {
	const char *name;
	uint64_t lines, bad;
};

static void
bad(struct run *g, struct file *fs, uint64_t lineno, const char *why)
{
	fs->bad++;
	g->bad++;
	if (fs->bad <= SHOW_BAD)
		fprintf(stderr, "%s: %s:%llu: %s\n", lb_progname,
		    lb_esc(fs->name, strlen(fs->name)),
		    (unsigned long long)lineno, why);
	else if (fs->bad == SHOW_BAD + 1)
		fprintf(stderr, "%s: %s: more bad lines not shown\n",
		    lb_progname, lb_esc(fs->name, strlen(fs->name)));
}

/* Blank lines (a trailing one, say) are no events and no errors. */
static int
blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
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
one(struct run *g, struct file *fs, const struct line *l, uint64_t lineno)
{
	const char *why;
	char msg[64];

	if (l->more || l->cont) {
		if (!l->cont) {
			fs->lines++;
			snprintf(msg, sizeof(msg), "line longer than %u bytes",
			    LR_MAXLINE);
			bad(g, fs, lineno, msg);
		}
		return;
	}
	fs->lines++;
	if (blank(l->p, l->n))
		return;
	if (g->merge) {
		if (agg_merge_row(g->agg, l->p, l->n, &why) < 0)
			bad(g, fs, lineno, why);
	} else if (evfast_read(&g->ev, l->p, l->n, &why) < 0 ||
	    agg_add(g->agg, &g->ev, &why) < 0)
		bad(g, fs, lineno,
		    partial_row(l) ? "a partial row: use --merge" : why);
}

static void
summary(struct file *fs)
{
	if (fs->bad <= 1)
		return;
	fprintf(stderr, "%s: %s: %llu of %llu lines bad\n", lb_progname,
	    lb_esc(fs->name, strlen(fs->name)), (unsigned long long)fs->bad,
	    (unsigned long long)fs->lines);
}

/* Aggregate one file ("-": stdin).  I/O errors are reported here. */
int
aggregate_file(struct run *g, const char *path)
{
	struct lreader lr;
	struct file fs;
	struct line l;
	int rc;

	memset(&fs, 0, sizeof(fs));
	fs.name = path;
	if (lr_open(&lr, path) < 0) {
		lb_warn("%s", lb_esc(path, strlen(path)));
		g->failed = 1;
		return -1;
	}
	while ((rc = lr_next(&lr, &l)) > 0)
		one(g, &fs, &l, lr.lineno + (l.more ? 1 : 0));
	if (rc < 0) {
		if (lr.errmsg != NULL)
			lb_warnx(
			    "%s: %s", lb_esc(path, strlen(path)), lr.errmsg);
		else {
			errno = lr.errnum;
			lb_warn("%s", lb_esc(path, strlen(path)));
		}
		g->failed = 1;
	}
	summary(&fs);
	lr_close(&lr);
	return rc < 0 ? -1 : 0;
}
