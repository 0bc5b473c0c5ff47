/*
 * Messages about the input, in the main thread and in input order
 * whatever the order the units were done in: the first bad lines of each
 * file with their line numbers in the file, then a count.
 */
#include <stdio.h>
#include <string.h>

#include "aggregate.h"
#include "diag.h"
#include "json.h"
#include "progress.h"

static const char *
name(const struct unit *u)
{
	return lb_escs(u->path);
}

/* A reason may quote the line's bytes: escaped, like the file name. */
static void
bad_line(const struct run *g, const struct unit *u, size_t i)
{
	uint64_t line = g->f_lines + u->shown[i].line;
	const char *why = json_line_why(u->shown[i].why, line);

	fprintf(stderr, "%s: %s:%llu: ", lb_progname, name(u),
	    (unsigned long long)line);
	lb_fputesc(stderr, why, strlen(why), 200);
	fputc('\n', stderr);
}

static void
bad_lines(struct run *g, const struct unit *u)
{
	size_t i;

	if (u->nshown > 0)
		pg_clear();
	for (i = 0; i < u->nshown; i++) {
		if (g->f_bad + i + 1 <= SHOW_BAD)
			bad_line(g, u, i);
		else if (g->f_bad + i + 1 == SHOW_BAD + 1)
			fprintf(stderr, "%s: %s: more bad lines not shown\n",
			    lb_progname, name(u));
	}
	g->f_bad += u->nbad;
	g->bad += u->nbad;
}

static void
io_error(const struct unit *u)
{
	if (u->errmsg != NULL)
		lb_warnx("%s: %s", name(u), u->errmsg);
	else
		lb_warnc(u->errnum, "%s", name(u));
}

/* What unit u saw, after those before it. */
void
report_unit(struct run *g, const struct unit *u)
{
	if (u->failed)
		g->failed = 1;
	if (u->onopen)
		io_error(u);
	else {
		bad_lines(g, u);
		if (u->failed)
			io_error(u);
		g->f_lines += u->lines;
		g->f_counted += u->counted;
	}
	if (!u->last)
		return;
	if (g->f_bad > 1) {
		pg_clear();
		fprintf(stderr, "%s: %s: %llu of %llu lines bad\n", lb_progname,
		    name(u), (unsigned long long)g->f_bad,
		    (unsigned long long)g->f_counted);
	}
	g->f_lines = g->f_counted = g->f_bad = 0;
}
