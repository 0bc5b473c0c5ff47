/*
 * The rows, written: each thread's rows sorted (one job a thread),
 * merged into one order (with --top, cut to each bucket's first rows),
 * then formatted in slices by the threads and written in order, a few
 * slices in flight at a time.  The bytes are the same whatever the
 * number of threads.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "aggregate.h"
#include "diag.h"

#define SLICE 1024 /* rows a formatting job */

struct task {
	struct pjob job; /* first: the pool hands it back */
	enum { T_SORT, T_FORMAT, T_FREE } kind;
	struct worker *w; /* T_SORT, T_FREE */
	struct aggsorted *s; /* T_SORT's result, T_FORMAT's rows */
	size_t from, to;
	enum agg_out mode;
	struct obuf ob; /* T_FORMAT's bytes, in memory */
};

static void
task_run(void *arg, void *local, struct pjob *j)
{
	struct task *t = (struct task *)j;

	(void)arg;
	(void)local;
	switch (t->kind) {
	case T_SORT:
		t->s = agg_sort(t->w->agg);
		break;
	case T_FORMAT:
		t->ob.len = 0;
		(void)agg_write_range(t->s, t->from, t->to, &t->ob, t->mode);
		break;
	case T_FREE:
		event_free(&t->w->ev);
		agg_free(t->w->agg);
		free(t->w);
		break;
	}
}

/* One job for each worker, all run to their end. */
static void
each_worker(struct pool *p, struct task *t, struct worker *w, int kind)
{
	struct worker *next;
	size_t i, n;

	for (n = 0; w != NULL; w = next, n++) {
		next = w->next; /* a T_FREE job may free w at once */
		t[n].kind = kind;
		t[n].w = w;
		pool_submit(p, &t[n].job);
	}
	for (i = 0; i < n; i++)
		pool_wait(p, &t[i].job);
}

/* Rows [0, n) in slices, formatted ahead by the pool, written in order. */
static void
format(struct pool *p, struct task *t, size_t nt, struct obuf *out)
{
	size_t n = agg_sorted_count(t[0].s), next = 0, done;

	assert(nt > 0);
	for (done = 0; done * SLICE < n || done == 0; done++) {
		for (; next < done + nt && (next * SLICE < n || next == 0);
		     next++) {
			struct task *f = &t[next % nt];
			f->from = next * SLICE;
			f->to = f->from + SLICE;
			pool_submit(p, &f->job);
		}
		pool_wait(p, &t[done % nt].job);
		ob_write(out, t[done % nt].ob.buf, t[done % nt].ob.len);
		ob_drain(out);
	}
}

/* The workers' rows to stdout, then the workers freed; -1: write error. */
int
write_rows(struct run *g, enum agg_out mode)
{
	struct poolfn fn = { NULL, task_run, NULL, NULL };
	size_t i, nw = 0, nt = 2 * (size_t)g->jobs;
	struct aggsorted **s;
	struct worker *w;
	struct task *t;
	struct pool *p;
	struct obuf out;
	int rc, err;

	for (w = g->workers; w != NULL; w = w->next)
		nw++;
	t = xcalloc(nw > nt ? nw : nt, sizeof(*t));
	s = xcalloc(nw, sizeof(struct aggsorted *));
	p = pool_new(g->jobs < 2 ? 0 : (size_t)g->jobs, &fn);
	each_worker(p, t, g->workers, T_SORT);
	for (i = 0; i < nw; i++)
		s[i] = t[i].s;
	s[0] = agg_sort_merge(s, nw);
	/* After the merge: a key's requests are only known in all rows. */
	if (g->top > 0)
		agg_sorted_top(s[0], g->top);
	for (i = 0; i < nt; i++) {
		t[i].kind = T_FORMAT;
		t[i].s = s[0];
		t[i].mode = mode;
		ob_init(&t[i].ob, -1);
	}
	ob_init(&out, STDOUT_FILENO);
	format(p, t, nt, &out);
	rc = ob_flush(&out);
	err = out.err;
	ob_free(&out);
	for (i = 0; i < nt; i++)
		ob_free(&t[i].ob);
	agg_sorted_free(s[0]);
	each_worker(p, t, g->workers, T_FREE);
	g->workers = NULL;
	pool_free(p);
	free(s);
	free(t);
	errno = err;
	return rc;
}
