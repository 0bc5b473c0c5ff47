/* Events and digests per source. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbdigest.h"
#include "diag.h"
#include "manifest.h"

/* The entry of src (NULL for none); a new one when add is set. */
struct srcsum *
srcsums_get(struct srcsums *s, const char *src, size_t n, int add)
{
	struct srcsum *e;
	size_t i;

	/* Rows come by date and source: most are the last one's. */
	for (i = 0; i < s->n; i++) {
		e = &s->v[(s->last + i) % s->n];
		if ((src == NULL) == (e->src == NULL) &&
		    (src == NULL ||
		        (e->n == n && memcmp(e->src, src, n) == 0))) {
			s->last = (s->last + i) % s->n;
			return e;
		}
	}
	if (!add)
		return NULL;
	s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
	e = &s->v[s->n];
	memset(e, 0, sizeof(*e));
	if (src != NULL) {
		e->src = xmalloc(n + 1);
		memcpy(e->src, src, n);
		e->src[n] = '\0';
	}
	e->n = n;
	e->want = -1;
	s->last = s->n++;
	return e;
}

/* A row into its source's digest; a row of no source in s is counted. */
struct srcsum *
srcsums_row(struct srcsums *s, const struct dbrow *row, int add)
{
	const struct dbval *v = &row->v[DBROW_SRC];
	unsigned char h[SHA256_LEN];
	struct srcsum *e;

	e = srcsums_get(s, v->type == DBV_NULL ? NULL : v->p,
	    v->type == DBV_NULL ? 0 : v->n, add);
	if (e == NULL) {
		s->others++;
		return NULL;
	}
	dbrow_hash(row, h);
	digest_add(&e->dg, h);
	return e;
}

/*
 * The rows of a date, through st (DBROW_COLS of a ts range ?1 to ?2),
 * into s; 0, or SQLite's error code.
 */
int
srcsums_day(struct srcsums *s, sqlite3_stmt *st, const char *date, int add)
{
	char lo[16], hi[16];
	struct dbrow row;
	int rc;

	snprintf(lo, sizeof(lo), "%.10sT", date);
	snprintf(hi, sizeof(hi), "%.10sU", date);
	if ((rc = sqlite3_bind_text(st, 1, lo, -1, SQLITE_TRANSIENT)) != 0 ||
	    (rc = sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT)) != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		dbrow_stmt(&row, st);
		(void)srcsums_row(s, &row, add);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : rc;
}

void
srcsums_free(struct srcsums *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].src);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

struct text {
	struct srcsums *s; /* srcsums_get moves its last */
	char *p;
	size_t n, cap;
};

static void
put(struct text *t, const char *s, size_t n)
{
	if (t->n + n + 1 > t->cap) {
		t->cap = (t->n + n + 1) * 2;
		t->p = xrealloc(t->p, t->cap);
	}
	memcpy(t->p + t->n, s, n);
	t->n += n;
	t->p[t->n] = '\0';
}

/* One label's N:HEX, from its entry; 0 and a zero digest when none. */
static int
one(void *arg, const char *src, size_t n)
{
	struct text *t = arg;
	struct srcsum *e = srcsums_get(t->s, src, n, 0);
	struct digest zero = { { 0 }, 0 };
	char hex[SHA256_HEXLEN + 1], b[24];

	digest_hex(hex, e != NULL ? &e->dg : &zero);
	snprintf(b, sizeof(b), "%s%llu:", t->n > 0 ? " " : "",
	    (unsigned long long)(e != NULL ? e->dg.rows : 0));
	put(t, b, strlen(b));
	put(t, hex, SHA256_HEXLEN);
	return 0;
}

/*
 * The digests line of a manifest (lib/manifest.h) for these sums and
 * the sources line, in a buffer to free; NULL for a malformed line.
 */
char *
srcsums_text(struct srcsums *s, const char *sources, size_t n, size_t *len)
{
	struct text t = { s, NULL, 0, 0 };

	put(&t, "", 0);
	if (srcset_each(sources, n, one, &t) < 0) {
		free(t.p);
		return NULL;
	}
	*len = t.n;
	return t.p;
}
