/*
 * The reasons of logbook-ingest's rejects: one text for stderr and the
 * -R file alike, and the count by class that -v ends with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ingest.h"
#include "lblimits.h"
#include "progress.h"

/*
 * The reason, without the head naming the line; without byte, its class:
 * the format tried, what did not fit and the token of the format it did
 * not fit, none of them the line's.
 */
static void
reason_text(struct obuf *ob, const struct reason *r, int byte)
{
	const struct lf_fail *e = r->fail;

	if (e == NULL || r->fmt == NULL) {
		ob_write(ob, r->why, strlen(r->why));
		return;
	}
	ob_lit(ob, "not ");
	ob_esc(ob, r->fmt, strlen(r->fmt), LB_FORMAT_MAX);
	ob_lit(ob, ": ");
	if (byte) {
		ob_lit(ob, "byte ");
		ob_u64(ob, (uint64_t)e->at + 1);
		ob_lit(ob, ": ");
	}
	ob_write(ob, e->why, strlen(e->why));
	if (e->tok != NULL && e->tok->f == LF_LIT) {
		ob_lit(ob, " '");
		ob_esc(ob, e->tok->s, e->tok->n, 40);
		ob_putc(ob, '\'');
	} else if (e->tok != NULL) {
		ob_lit(ob, " (");
		ob_esc(ob, e->tok->s, e->tok->n, LB_FORMAT_MAX);
		ob_putc(ob, ')');
	}
}

/*
 * "file:line: reason\n" at the end of ob; the log's bytes never reach
 * it unescaped.  The name is cut as lb_escs cuts it, as stderr shows it.
 */
void
reason_line(struct obuf *ob, const struct reason *r)
{
	ob_esc(ob, r->name, strlen(r->name), LB_ESC_MAX);
	ob_putc(ob, ':');
	ob_u64(ob, r->lineno);
	ob_lit(ob, ": ");
	reason_text(ob, r, 1);
	ob_putc(ob, '\n');
}

/* One more reject of r's class; past MAXCLASS classes, "other". */
void
reason_count(struct ingest *g, const struct reason *r)
{
	struct obuf *ob = &g->line;
	size_t i;

	ob->len = 0;
	reason_text(ob, r, 0);
	ob_putc(ob, '\0');
	for (i = 0; i < g->ncls; i++)
		if (strcmp(g->cls[i].text, ob->buf) == 0) {
			g->cls[i].n++;
			return;
		}
	if (g->ncls == MAXCLASS) {
		g->other++;
		return;
	}
	g->cls[g->ncls].text = xstrdup(ob->buf);
	g->cls[g->ncls++].n = 1;
}

/* Most first; ties in the order first seen (the sort is stable). */
static void
sort_classes(struct rclass *c, size_t n)
{
	struct rclass t;
	size_t i, j;

	for (i = 1; i < n; i++) {
		t = c[i];
		for (j = i; j > 0 && c[j - 1].n < t.n; j--)
			c[j] = c[j - 1];
		c[j] = t;
	}
}

/* -v's last lines: the rejects of all inputs by class. */
void
reason_summary(struct ingest *g)
{
	size_t i;

	sort_classes(g->cls, g->ncls);
	if (g->ncls > 0)
		pg_clear();
	for (i = 0; i < g->ncls; i++) {
		fprintf(stderr, "%s: rejects: %llu %s\n", lb_progname,
		    (unsigned long long)g->cls[i].n, g->cls[i].text);
		free(g->cls[i].text);
	}
	if (g->other > 0)
		fprintf(stderr, "%s: rejects: %llu other\n", lb_progname,
		    (unsigned long long)g->other);
	g->ncls = 0;
}
