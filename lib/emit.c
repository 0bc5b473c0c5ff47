/* Events back to log lines, NDJSON or CSV. */
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "csvout.h"
#include "diag.h"
#include "emit.h"
#include "event.h"
#include "jmember.h"

enum kind { K_ORIGINAL, K_NDJSON, K_CSV, K_LOG };

struct emit {
	enum kind kind;
	int safe; /* K_CSV: csv_risky text neutralised */
	const struct logformat *f; /* K_LOG */
	struct obuf *ob;
	struct event ev;
	struct rec rec; /* a raw64 line, matched again */
	struct obuf line; /* in memory: the raw64 line */
	struct obuf rt; /* in memory: its rt in seconds */
	char tz[6];
};

/* The columns of the events table of logbook-restore(1). */
static const char csv_header[] =
    "id,ts,tz,ip,ident,user,method,path,query,proto,req,status,bytes,"
    "referer,ua,rt,host,src,fmt,x,cr,raw64\r\n";

/* CSV with text a spreadsheet would run made harmless (csv_risky). */
void
emit_csv_safe(struct emit *e)
{
	e->safe = 1;
}

/*
 * What --emit takes, into ob: the original lines, the named formats of
 * lib/logformat.c's table (their heads, as -f of logbook-ingest lists
 * them), NDJSON and CSV.
 */
void
emit_names(struct obuf *ob)
{
	const char *const *n;

	ob_lit(ob, "original,");
	for (n = lf_heads(); *n != NULL; n++) {
		ob_putc(ob, ' ');
		ob_write(ob, *n, strlen(*n));
		ob_putc(ob, ',');
	}
	ob_lit(ob, " ndjson, csv");
}

struct emit *
emit_new(const char *name, struct obuf *ob)
{
	struct emit *e = xcalloc(1, sizeof(*e));

	e->ob = ob;
	if (strcmp(name, "original") == 0)
		e->kind = K_ORIGINAL;
	else if (strcmp(name, "ndjson") == 0)
		e->kind = K_NDJSON;
	else if (strcmp(name, "csv") == 0)
		e->kind = K_CSV;
	else if ((e->f = lf_named(name)) != NULL)
		e->kind = K_LOG;
	else {
		free(e);
		return NULL;
	}
	event_init(&e->ev);
	/* Never flushed (fd -1): reset before each use, one write each. */
	ob_init(&e->line, -1);
	ob_init(&e->rt, -1);
	if (e->kind == K_CSV)
		ob_lit(ob, csv_header);
	return e;
}

void
emit_free(struct emit *e)
{
	if (e == NULL)
		return;
	event_free(&e->ev);
	ob_free(&e->line);
	ob_free(&e->rt);
	free(e);
}

/* The target's extra fields, by directive name, from n named values. */
static void
bind_extras(const struct logformat *f, struct rec *r, const struct span *name,
    const struct span *val, size_t n)
{
	struct span out[LF_MAXEXTRA];
	size_t i, j, xi = 0;

	for (i = 0; i < f->ntok && xi < LF_MAXEXTRA; i++) {
		const struct lf_tok *t = &f->tok[i];
		if (t->f != LF_EXTRA && t->f != LF_REST)
			continue;
		out[xi].p = NULL;
		out[xi].n = 0;
		for (j = 0; j < n; j++)
			if (name[j].n == t->n &&
			    memcmp(name[j].p, t->s, t->n) == 0) {
				out[xi] = val[j];
				break;
			}
		xi++;
	}
	/* cppcheck-suppress uninitvar ; out[0, xi) were all set above */
	memcpy(r->xval, out, xi * sizeof(out[0]));
}

/* The names of a source format's extras, and their values in r. */
static size_t
source_extras(const struct logformat *f, const struct rec *r, struct span *name,
    struct span *val)
{
	size_t i, n = 0;

	for (i = 0; i < f->ntok && n < LF_MAXEXTRA; i++)
		if (f->tok[i].f == LF_EXTRA || f->tok[i].f == LF_REST) {
			name[n].p = f->tok[i].s;
			name[n].n = f->tok[i].n;
			val[n] = r->xval[n];
			n++;
		}
	return n;
}

/*
 * The fields of a raw64 event lost bytes that JSON cannot carry: read
 * its original line again in its own format, so that the bytes go out
 * as the server wrote them.
 */
static struct rec *
raw_rec(struct emit *e, const char **why)
{
	struct span name[LF_MAXEXTRA], val[LF_MAXEXTRA];
	const struct logformat *src;
	struct lf_fail fail;
	struct rec *r = &e->rec;
	char *p;
	long k;

	if ((src = event_format(&e->ev, why)) == NULL)
		return NULL;
	e->line.len = 0;
	p = ob_reserve(&e->line, e->ev.raw64.n / 4 * 3 + 3);
	if ((k = base64_decode(p, e->ev.raw64.p, e->ev.raw64.n)) < 0) {
		*why = "bad raw64";
		return NULL;
	}
	if (e->ev.cr && k > 0 && p[k - 1] == '\r')
		k--;
	if (lf_match(src, p, (size_t)k, r, &fail) < 0) {
		*why = "raw64 does not fit its fmt";
		return NULL;
	}
	if (r->rt.p != NULL && r->rtscale != 0) {
		e->rt.len = 0;
		lf_rt_json(&e->rt, r->rt.p, r->rt.n, r->rtscale);
		r->rt.p = e->rt.buf;
		r->rt.n = e->rt.len;
	}
	bind_extras(e->f, r, name, val, source_extras(src, r, name, val));
	return r;
}

/* An offset in minutes as a CLF time zone: +0200. */
static void
clf_tz(char *d, int off)
{
	int a = off < 0 ? -off : off;

	d[0] = off < 0 ? '-' : '+';
	d[1] = (char)('0' + a / 600 % 10);
	d[2] = (char)('0' + a / 60 % 10);
	d[3] = (char)('0' + a % 60 / 10);
	d[4] = (char)('0' + a % 10);
	d[5] = '\0';
}

static int
to_log(struct emit *e, const char **why)
{
	struct rec *r = &e->ev.r;

	if (e->ev.raw64.p != NULL) {
		if ((r = raw_rec(e, why)) == NULL)
			return -1;
	} else
		bind_extras(e->f, r, e->ev.xname, e->ev.xv, e->ev.nx);
	/* $time_iso8601 wrote "+02:00"; a CLF time wants "+0200". */
	if (r->tz.n != 5) {
		clf_tz(e->tz, r->off);
		r->tz.p = e->tz;
		r->tz.n = 5;
	}
	lf_render(e->f, r, e->ob);
	ob_putc(e->ob, '\n');
	return 0;
}

/* A comma and one field: null stays empty, text is always quoted. */
static void
csv_field(struct emit *e, const struct span *s, int text)
{
	ob_putc(e->ob, ',');
	if (s->p == NULL)
		return;
	if (text)
		csv_text(e->ob, s->p, s->n, e->safe);
	else
		ob_write(e->ob, s->p, s->n);
}

static void
to_csv(struct emit *e, const char *line, size_t n)
{
	const struct event *ev = &e->ev;
	const struct rec *r = &ev->r;
	struct span xs = { NULL, 0 };
	struct jval x;

	if (ev->nx > 0 && json_member(line, n, "x", &x) == 1) {
		xs.p = x.p;
		xs.n = x.n;
	}
	csv_text(e->ob, ev->id.p, ev->id.n, 0);
	csv_field(e, &ev->ts, 1);
	csv_field(e, &r->tz, 1);
	csv_field(e, &r->ip, 1);
	csv_field(e, &r->ident, 1);
	csv_field(e, &r->user, 1);
	csv_field(e, &r->method, 1);
	csv_field(e, &r->path, 1);
	csv_field(e, &r->query, 1);
	csv_field(e, &r->proto, 1);
	csv_field(e, &r->req, 1);
	csv_field(e, &r->status, 0);
	csv_field(e, &r->bytes, 0);
	csv_field(e, &r->referer, 1);
	csv_field(e, &r->ua, 1);
	csv_field(e, &r->rt, 0);
	csv_field(e, &r->host, 1);
	csv_field(e, &ev->src, 1);
	csv_field(e, &ev->fmt, 1);
	csv_field(e, &xs, 1);
	if (ev->cr)
		ob_lit(e->ob, ",1,");
	else
		ob_lit(e->ob, ",0,");
	/* Base64 may begin with '+': text too, for --csv-safe. */
	if (ev->raw64.p != NULL && e->safe &&
	    csv_risky(ev->raw64.p, ev->raw64.n))
		csv_text(e->ob, ev->raw64.p, ev->raw64.n, 1);
	else if (ev->raw64.p != NULL)
		ob_write(e->ob, ev->raw64.p, ev->raw64.n);
	ob_lit(e->ob, "\r\n");
}

/* One event line out; -1 with *why when it is not an event. */
int
emit_line(struct emit *e, const char *line, size_t n, const char **why)
{
	if (e->kind == K_NDJSON) {
		ob_write(e->ob, line, n);
		ob_putc(e->ob, '\n');
		return 0;
	}
	if (event_read(&e->ev, line, n, why) < 0)
		return -1;
	switch (e->kind) {
	case K_ORIGINAL:
		if (event_line(e->ob, &e->ev, why) < 0)
			return -1;
		ob_putc(e->ob, '\n');
		return 0;
	case K_CSV:
		to_csv(e, line, n);
		return 0;
	default:
		return to_log(e, why);
	}
}
