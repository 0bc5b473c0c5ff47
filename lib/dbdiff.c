/*
 * When a source's digest of a date differs, the events that make it:
 * the archive read again, each of its events of the source looked up by
 * id, then the database's rows of the source that the archive lacks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbdiff.h"
#include "dbdigest.h"
#include "diag.h"
#include "verify.h"
#include "xxhash.h"

struct idset {
	uint64_t *v; /* 0: empty; an id's hash is never 0 */
	size_t cap, n;
};

static void
ids_put(struct idset *s, uint64_t h)
{
	size_t i, cap;
	uint64_t *old;

	h |= h == 0;
	if ((s->n + 1) * 2 > s->cap) {
		old = s->v;
		cap = s->cap;
		s->cap = cap > 0 ? cap * 2 : 1024;
		s->v = xcalloc(s->cap, sizeof(*s->v));
		s->n = 0;
		for (i = 0; i < cap; i++)
			if (old[i] != 0)
				ids_put(s, old[i]);
		free(old);
	}
	for (i = h & (s->cap - 1); s->v[i] != 0; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == h)
			return;
	s->v[i] = h;
	s->n++;
}

static int
ids_has(const struct idset *s, uint64_t h)
{
	size_t i;

	h |= h == 0;
	if (s->cap == 0)
		return 0;
	for (i = h & (s->cap - 1); s->v[i] != 0; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == h)
			return 1;
	return 0;
}

struct diff {
	const struct dbdiff *q;
	sqlite3_stmt *byid;
	struct idset ids;
	uint64_t found;
	int failed; /* the database could not be read */
};

static void tell(struct diff *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
tell(struct diff *x, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (x->found++ >= (uint64_t)x->q->max)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	x->q->say(x->q->arg, msg);
}

static int
of_source(const struct dbdiff *q, const struct dbval *v)
{
	if (q->null)
		return v->type == DBV_NULL;
	return v->type == DBV_TEXT && v->n == q->srclen &&
	    memcmp(v->p, q->src, v->n) == 0;
}

/* One event of the archive against the row of its id. */
static void
against(struct diff *x, const struct dbrow *a)
{
	char va[256], vb[256], id[128];
	struct dbrow b;
	int rc, col;

	snprintf(id, sizeof(id), "%s", lb_esc(a->v[0].p, a->v[0].n));
	ids_put(&x->ids, xxh64(a->v[0].p, a->v[0].n, 0));
	sqlite3_reset(x->byid);
	if (sqlite3_bind_text(x->byid, 1, a->v[0].p, (int)a->v[0].n,
	        SQLITE_STATIC) != SQLITE_OK ||
	    ((rc = sqlite3_step(x->byid)) != SQLITE_ROW && rc != SQLITE_DONE)) {
		x->failed = 1;
		return;
	}
	if (rc == SQLITE_DONE) {
		tell(x, "id %s: in the archive, not in the database", id);
		return;
	}
	dbrow_stmt(&b, x->byid);
	if ((col = dbrow_diff(a, &b)) < 0)
		return;
	dbrow_show(&a->v[col], va, sizeof(va));
	dbrow_show(&b.v[col], vb, sizeof(vb));
	tell(x, "id %s: %s: %s in the archive, %s in the database", id,
	    dbrow_name(col), va, vb);
}

static int
on_event(void *arg, const char *line, size_t n, const struct event *ev)
{
	struct diff *x = arg;
	struct dbrow a;

	dbrow_event(&a, ev, line, n);
	if (of_source(x->q, &a.v[DBROW_SRC]))
		against(x, &a);
	return x->failed ? -1 : 0;
}

/* The database's rows of the source that the archive does not have. */
static int
extra(struct diff *x, sqlite3_stmt *rows)
{
	char lo[16], hi[16];
	struct dbrow b;
	int rc;

	snprintf(lo, sizeof(lo), "%.10sT", x->q->date);
	snprintf(hi, sizeof(hi), "%.10sU", x->q->date);
	if (sqlite3_bind_text(rows, 1, lo, -1, SQLITE_TRANSIENT) ||
	    sqlite3_bind_text(rows, 2, hi, -1, SQLITE_TRANSIENT))
		return -1;
	while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
		dbrow_stmt(&b, rows);
		if (of_source(x->q, &b.v[DBROW_SRC]) &&
		    !ids_has(&x->ids, xxh64(b.v[0].p, b.v[0].n, 0)))
			tell(x, "id %s: in the database, not in the archive",
			    lb_esc(b.v[0].p, b.v[0].n));
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * The differences, each to q->say, at most q->max of them; how many
 * there are in *found.  -1 when the archive or the database could not
 * be read: why then says which.
 */
int
dbdiff_run(const struct dbdiff *q, uint64_t *found, const char **why)
{
	struct verify_opts o = { 0, NULL, on_event, NULL, NULL };
	struct verify_result res;
	struct diff x;
	sqlite3_stmt *rows = NULL;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	x.q = q;
	o.arg = &x;
	*why = "the database cannot be read";
	if (sqlite3_prepare_v2(q->h,
	        "SELECT " DBROW_COLS " FROM events "
	        "WHERE id = ?1",
	        -1, &x.byid, NULL) == 0 &&
	    sqlite3_prepare_v2(q->h,
	        "SELECT " DBROW_COLS " FROM events "
	        "WHERE ts >= ?1 AND ts < ?2",
	        -1, &rows, NULL) == 0) {
		if (verify_archive(q->archive, &o, &res) < 0 ||
		    (res.check != NULL && !x.failed))
			*why = x.failed ? *why : "the archive does not verify";
		else if (!x.failed && extra(&x, rows) == 0)
			rc = 0;
		verify_free(&res);
	}
	sqlite3_finalize(x.byid);
	sqlite3_finalize(rows);
	free(x.ids.v);
	*found = x.found;
	return rc;
}
