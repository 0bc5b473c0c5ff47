/*
 * Per-source views: the requests of each "src" label (logbook-events(5))
 * and of all together.  The counts come from the rows that carry a src
 * member, from the events of the daily archives (held per archive until
 * it passed its checks, as its rows are) or from the events of a
 * database.  Rows without a src member, like those of the monthly
 * archives, count in the total only: the page says how much has no
 * source.  At most SRC_MAX sources are kept apart, the rest are summed
 * into "other sources", so memory is bounded by the sources times the
 * hours of the span.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "diag.h"
#include "json.h"
#include "report.h"

#define SRC_MAX 64
#define SRC_NAMEMAX 1024 /* longer names go to "other sources" */
#define SRC_TOP 7 /* the lines of the chart, beside other and none */
#define SHOW_RANGES 6 /* of the days without a source */

struct shour {
	int64_t t;
	uint64_t req;
};

struct src {
	char *name; /* NULL: a null src, shown as (none) */
	size_t n;
	uint64_t req, bytes, s4xx, s5xx;
	int64_t first, last; /* the first and last hour */
	int noips; /* some counts came without their clients */
	struct hll ips;
	struct shour *h;
	size_t nh, caph;
	struct imap hmap;
};

struct srcs {
	struct src v[SRC_MAX];
	size_t n, last; /* last: the entry found last, tried first */
	struct src other; /* the sources past SRC_MAX */
	int over; /* other has some */
	int labelled; /* a row or event had a src label */
};

static const char *const src_colors[SRC_TOP] = { "#1565c0", "#2e7d32",
	"#ef8f00", "#6a1b9a", "#00838f", "#c62828", "#5d4037" };

static uint64_t
sat(uint64_t x, uint64_t y)
{
	return y > UINT64_MAX - x ? UINT64_MAX : x + y;
}

static uint64_t
less(uint64_t x, uint64_t y)
{
	return x > y ? x - y : 0;
}

static void
src_init(struct src *e, const char *p, size_t n, int null)
{
	memset(e, 0, sizeof(*e));
	if (!null) {
		e->name = xmalloc(n + 1);
		memcpy(e->name, p, n);
		e->name[n] = '\0';
	}
	e->n = n;
	e->first = INT64_MAX;
	e->last = INT64_MIN;
}

static int
same(const struct src *e, const char *p, size_t n, int null)
{
	if (null || e->name == NULL)
		return null && e->name == NULL;
	return e->n == n && memcmp(e->name, p, n) == 0;
}

static struct srcs *
srcs_new(void)
{
	struct srcs *s = xcalloc(1, sizeof(*s));

	src_init(&s->other, "other sources", 13, 0);
	return s;
}

/* The entry of a source, made when new and there is room. */
static struct src *
find(struct srcs *s, const char *p, size_t n, int null)
{
	size_t i;

	s->labelled |= !null;
	if (s->last < s->n && same(&s->v[s->last], p, n, null))
		return &s->v[s->last];
	for (i = 0; i < s->n; i++)
		if (same(&s->v[i], p, n, null)) {
			s->last = i;
			return &s->v[i];
		}
	if (s->n == SRC_MAX || n > SRC_NAMEMAX) {
		s->over = 1;
		return &s->other;
	}
	src_init(&s->v[s->n], p, n, null);
	s->last = s->n;
	return &s->v[s->n++];
}

static void
hour_add(struct src *e, int64_t t, uint64_t req)
{
	size_t *v = imap_get(&e->hmap, t);

	if (*v == SIZE_MAX) {
		if (e->nh == e->caph) {
			e->caph = e->caph ? e->caph * 2 : 32;
			e->h = xreallocarray(e->h, e->caph, sizeof(*e->h));
		}
		e->h[e->nh].t = t;
		e->h[e->nh].req = 0;
		*v = e->nh++;
	}
	e->h[*v].req = sat(e->h[*v].req, req);
	e->first = t < e->first ? t : e->first;
	e->last = t > e->last ? t : e->last;
}

static void
count(struct src *e, const struct srcadd *a)
{
	hour_add(e, a->t, a->req);
	e->req = sat(e->req, a->req);
	e->bytes = sat(e->bytes, a->bytes);
	e->s4xx = sat(e->s4xx, a->s4xx);
	e->s5xx = sat(e->s5xx, a->s5xx);
}

/* One row with a src member (a string or null), in the span. */
void
sources_row(struct run *r, const struct jval *src, const struct jval *ips,
    const struct srcadd *a)
{
	struct src *e;
	struct hll h;
	char *k = NULL;
	size_t n = 0;

	if (src->type != J_STR && src->type != J_NULL)
		return; /* not a label: the row has no source */
	if (src->type == J_STR) {
		k = xmalloc(src->n + 1);
		n = json_unescape(k, src->p, src->n);
	}
	if (r->srcs == NULL)
		r->srcs = srcs_new();
	e = find(r->srcs, k, n, k == NULL);
	count(e, a);
	memset(&h, 0, sizeof(h));
	if (ips == NULL || ips->type != J_STR ||
	    hll_get(&h, ips->p, ips->n) < 0)
		e->noips = 1; /* final rows carry no clients */
	else
		hll_merge(&e->ips, &h);
	hll_free(&h);
	free(k);
}

/* One event, to *sp: the pending sources of an archive, or the run's. */
void
sources_hit(struct run *r, struct srcs **sp, const struct span *src,
    const struct span *ip, int64_t sec, int status, int64_t bytes)
{
	struct srcadd a;
	struct src *e;

	a.t = sec - (sec % 3600 + 3600) % 3600;
	if ((r->from != NOTIME && a.t < r->from) ||
	    (r->to != NOTIME && a.t >= r->to))
		return;
	a.req = 1;
	a.bytes = bytes > 0 ? (uint64_t)bytes : 0;
	a.s4xx = status / 100 == 4;
	a.s5xx = status / 100 == 5;
	if (*sp == NULL)
		*sp = srcs_new();
	e = find(*sp, src->p, src->n, src->p == NULL);
	count(e, &a);
	if (ip->p != NULL)
		hll_add(&e->ips, agg_ip_hash(ip));
}

static void
merge_one(struct src *d, const struct src *s)
{
	size_t i;

	for (i = 0; i < s->nh; i++)
		hour_add(d, s->h[i].t, s->h[i].req);
	d->req = sat(d->req, s->req);
	d->bytes = sat(d->bytes, s->bytes);
	d->s4xx = sat(d->s4xx, s->s4xx);
	d->s5xx = sat(d->s5xx, s->s5xx);
	d->noips |= s->noips;
	hll_merge(&d->ips, &s->ips);
}

static void
src_free(struct src *e)
{
	free(e->name);
	free(e->h);
	hll_free(&e->ips);
	imap_free(&e->hmap);
}

static void
srcs_free(struct srcs *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		src_free(&s->v[i]);
	src_free(&s->other);
	free(s);
}

/* An archive's sources, added once it passed its checks, or dropped. */
void
sources_settle(struct run *r, int ok)
{
	struct srcs *p = r->srcpend;
	size_t i;

	if (p == NULL)
		return;
	if (ok) {
		if (r->srcs == NULL)
			r->srcs = srcs_new();
		for (i = 0; i < p->n; i++)
			merge_one(find(r->srcs, p->v[i].name, p->v[i].n,
			              p->v[i].name == NULL),
			    &p->v[i]);
		merge_one(&r->srcs->other, &p->other);
		r->srcs->over |= p->over;
		r->srcs->labelled |= p->labelled;
	}
	srcs_free(p);
	r->srcpend = NULL;
}

void
sources_free(struct run *r)
{
	srcs_free(r->srcs);
	srcs_free(r->srcpend);
	r->srcs = r->srcpend = NULL;
}

/* The requests of each bin that no source has, into u. */
static void
unsourced(const struct run *r, const struct srcs *s, uint64_t *u)
{
	struct imap m = { NULL, NULL, 0, 0 };
	uint64_t *sum = xcalloc(r->nbins + 1, sizeof(*sum));
	const struct src *e;
	size_t i, j, *v;

	for (i = 0; i < r->nbins; i++)
		*imap_get(&m, r->bins[i].t) = i;
	for (j = 0; j <= s->n; j++) {
		e = j < s->n ? &s->v[j] : &s->other;
		for (i = 0; i < e->nh; i++) {
			v = imap_get(&m, e->h[i].t);
			if (*v != SIZE_MAX)
				sum[*v] = sat(sum[*v], e->h[i].req);
		}
	}
	for (i = 0; i < r->nbins; i++)
		u[i] = less(r->bins[i].req, sum[i]);
	imap_free(&m);
	free(sum);
}

static int
byreq(const void *x, const void *y)
{
	const struct src *a = *(const struct src *const *)x,
	                 *b = *(const struct src *const *)y;
	int c;

	if (a->req != b->req)
		return a->req < b->req ? 1 : -1;
	if (a->name == NULL || b->name == NULL)
		return (a->name != NULL) - (b->name != NULL);
	c = memcmp(a->name, b->name, a->n < b->n ? a->n : b->n);
	return c != 0 ? c : (a->n > b->n) - (a->n < b->n);
}

/* A source's name as HTML text, for the chart's legend. */
static char *
escaped(const struct src *e)
{
	struct obuf ob;
	char *p;

	if (e->name == NULL)
		return xstrdup("(none)");
	ob_init(&ob, -1);
	html_text(&ob, e->name, e->n);
	p = xmalloc(ob.len + 1);
	memcpy(p, ob.buf, ob.len);
	p[ob.len] = '\0';
	ob_free(&ob);
	return p;
}

/* Adds the hours of e to line k of v, over sp's buckets. */
static void
line_add(double *v, size_t k, const struct tspan *sp, const struct src *e)
{
	size_t i, b;

	for (i = 0; i < e->nh; i++)
		if (e->h[i].t >= sp->t0 &&
		    (b = span_index(sp, e->h[i].t)) < sp->nb)
			v[k * sp->nb + b] += (double)e->h[i].req;
}

/* The lines of the chart: the top sources, other, and no source. */
struct lines {
	char *names[SRC_TOP + 2];
	const char *colors[SRC_TOP + 2];
	size_t n;
};

static void
lines_of(const struct run *r, const struct src **v, size_t n, const uint64_t *u,
    const struct tspan *sp, double *val, struct lines *l)
{
	size_t i, k, ns = n < SRC_TOP ? n : SRC_TOP;
	uint64_t none = 0;

	for (k = 0; k < ns; k++) {
		l->names[k] = escaped(v[k]);
		l->colors[k] = src_colors[k];
		line_add(val, k, sp, v[k]);
	}
	l->n = ns;
	if (n > ns || r->srcs->other.req > 0) {
		for (i = ns; i < n; i++)
			line_add(val, l->n, sp, v[i]);
		line_add(val, l->n, sp, &r->srcs->other);
		l->colors[l->n] = "#8e99a4";
		l->names[l->n++] = xstrdup("other");
	}
	for (i = 0; i < r->nbins; i++) {
		none += u[i];
		if (r->bins[i].t >= sp->t0 &&
		    (k = span_index(sp, r->bins[i].t)) < sp->nb)
			val[l->n * sp->nb + k] += (double)u[i];
	}
	if (none > 0) {
		l->colors[l->n] = "#ad1457";
		l->names[l->n++] = xstrdup("no source");
	}
}

static void
chart(const struct run *r, struct obuf *ob, const struct src **v, size_t n,
    const uint64_t *u, int64_t t0, int64_t t1)
{
	struct lines l;
	struct series se = { "chart-sources", "requests by source", "n", 0,
		NULL, NULL, 1 };
	char yunit[32], xunit[32];
	struct tspan sp;
	struct chart c;
	double *val;
	size_t i;

	span_make(&sp, t0, t1, r->daily_rows ? U_DAY : U_HOUR);
	val = xcalloc((SRC_TOP + 2) * sp.nb + 1, sizeof(*val));
	lines_of(r, v, n, u, &sp, val, &l);
	c.v = val;
	se.ns = l.n;
	se.names = (const char *const *)l.names;
	se.colors = l.colors;
	snprintf(yunit, sizeof(yunit), "requests per %s", span_unit(&sp));
	snprintf(xunit, sizeof(xunit), "%s (UTC)",
	    sp.unit == U_WEEK ? "week from Monday" : span_unit(&sp));
	c.s = &se;
	c.yunit = yunit;
	c.xunit = xunit;
	c.nb = sp.nb;
	c.labels = sp.labels;
	ob_lit(ob, "<section class=\"panel\"><h3>Requests by source</h3>");
	chart_svg(ob, &c);
	ob_lit(ob,
	    "<p class=\"note\">One line per source, the busiest first; "
	    "exact counts.</p></section>");
	for (i = 0; i < l.n; i++)
		free(l.names[i]);
	free(val);
	span_free(&sp);
}

static void
put(struct obuf *ob, const char *s)
{
	ob_write(ob, s, strlen(s));
}

static void
td_val(struct obuf *ob, uint64_t v)
{
	ob_lit(ob, "<td class=\"n\" data-value=\"");
	ob_u64(ob, v);
	ob_lit(ob, "\">");
	html_num(ob, (double)v, "N");
	ob_lit(ob, "</td>");
}

static void
td_clients(struct obuf *ob, const struct src *e)
{
	uint64_t c = hll_count(&e->ips);

	if (e->noips) {
		ob_lit(ob, "<td class=\"n\" data-value=\"\">n/a</td>");
		return;
	}
	ob_lit(ob, "<td class=\"n\" data-value=\"");
	ob_u64(ob, c);
	ob_lit(ob, "\">");
	if (e->ips.cap == HLL_DENSE)
		ob_lit(ob, "&asymp; ");
	html_num(ob, (double)c, "N");
	ob_lit(ob, "</td>");
}

static void
td_hour(struct obuf *ob, int64_t t)
{
	ob_lit(ob, "<td class=\"opt\">");
	if (t != INT64_MAX && t != INT64_MIN)
		html_time(ob, t);
	ob_lit(ob, "</td>");
}

enum { K_NAMED, K_OTHER, K_NONE, K_ALL };

static void
name_cell(struct obuf *ob, const struct src *e, int kind)
{
	static const char *const what[] = { "", "other-sources", "no-source",
		"all-sources" };

	if (kind == K_NAMED && e->name != NULL) {
		ob_lit(ob, "<tr data-src=\"");
		html_text(ob, e->name, e->n);
		ob_lit(ob, "\"><td class=\"p\">");
		html_text(ob, e->name, e->n);
	} else if (kind == K_NAMED)
		ob_lit(ob, "<tr data-src-null=\"\"><td><i>(none)</i>");
	else {
		ob_lit(ob, "<tr id=\"");
		ob_write(ob, what[kind], strlen(what[kind]));
		put(ob,
		    kind == K_ALL        ? "\"><td><b>all sources</b>"
		        : kind == K_NONE ? "\"><td><i>no source</i>"
		                         : "\"><td><i>other sources</i>");
	}
	ob_lit(ob, "</td>");
}

static void
row(struct obuf *ob, const struct src *e, uint64_t total, int kind)
{
	name_cell(ob, e, kind);
	td_val(ob, e->req);
	html_td_pct(ob, e->req, total, 1);
	td_val(ob, e->bytes);
	td_val(ob, e->s4xx);
	td_val(ob, e->s5xx);
	html_td_pct(ob, e->s5xx, e->req, 0);
	td_clients(ob, e);
	td_hour(ob, e->first);
	td_hour(ob, e->last);
	ob_lit(ob, "</tr>");
}

/* The totals of the bins into all, and what no source has into none. */
static void
whole(const struct run *r, const uint64_t *u, struct src *all, struct src *none)
{
	const struct srcs *s = r->srcs;
	const struct bin *b;
	size_t i;

	for (i = 0; i < r->nbins; i++) {
		b = &r->bins[i];
		count(all,
		    &(struct srcadd){
		        b->t, b->req, b->bytes, b->cls[3], b->cls[4] });
		if (u[i] > 0)
			hour_add(none, b->t, u[i]);
	}
	none->bytes = all->bytes;
	none->s4xx = all->s4xx;
	none->s5xx = all->s5xx;
	for (i = 0; i <= s->n; i++) {
		const struct src *e = i < s->n ? &s->v[i] : &s->other;

		none->bytes = less(none->bytes, e->bytes);
		none->s4xx = less(none->s4xx, e->s4xx);
		none->s5xx = less(none->s5xx, e->s5xx);
		all->noips |= e->noips;
		hll_merge(&all->ips, &e->ips);
	}
	for (i = 0; i < none->nh; i++)
		none->req = sat(none->req, none->h[i].req);
	none->noips = 1;
	all->noips |= none->req > 0;
}

static int
cmp64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

static void
put_day(struct obuf *ob, int64_t t)
{
	struct obuf d;

	ob_init(&d, -1);
	html_time(&d, t);
	ob_write(ob, d.buf, 10); /* YYYY-MM-DD */
	ob_free(&d);
}

/* The days of none's hours, as ranges of consecutive days. */
static void
days_of(struct obuf *ob, const struct src *none)
{
	int64_t *d = xreallocarray(NULL, none->nh + 1, sizeof(*d));
	size_t i, j, nd = 0, nr = 0, more = 0;

	for (i = 0; i < none->nh; i++)
		d[i] = none->h[i].t - (none->h[i].t % 86400 + 86400) % 86400;
	qsort(d, none->nh, sizeof(*d), cmp64);
	for (i = 0; i < none->nh; i = j) {
		for (j = i + 1; j < none->nh && d[j] - d[j - 1] <= 86400; j++)
			nd += d[j] != d[j - 1];
		nd++;
		if (nr++ >= SHOW_RANGES) {
			more++;
			continue;
		}
		put(ob, nr > 1 ? ", " : "");
		put_day(ob, d[i]);
		if (d[j - 1] != d[i]) {
			ob_lit(ob, " to ");
			put_day(ob, d[j - 1]);
		}
	}
	if (more > 0) {
		ob_lit(ob, " and ");
		ob_u64(ob, more);
		put(ob, more == 1 ? " more range" : " more ranges");
	}
	ob_lit(ob, " (");
	ob_u64(ob, nd);
	put(ob, nd == 1 ? " day)" : " days)");
	free(d);
}

static void
notes(const struct run *r, struct obuf *ob, const struct src *none)
{
	ob_lit(ob,
	    "<p class=\"note\">Exact counts, from the events of the daily "
	    "archives or of the database, or from the rows with a src; "
	    "(none): events or rows whose src is null. Clients: exact up "
	    "to 4096 a source, then a HyperLogLog estimate (&asymp;), "
	    "within 2%; n/a where some counts came from final rows, which "
	    "carry no clients.</p>");
	if (r->srcs->over)
		ob_lit(ob,
		    "<p class=\"note\" id=\"sources-capped\">More than 64 "
		    "sources, or names longer than 1024 bytes: those past "
		    "them are summed into other sources.</p>");
	if (none->req == 0)
		return;
	ob_lit(ob, "<p class=\"note\" id=\"sources-none\" data-value=\"");
	ob_u64(ob, none->req);
	ob_lit(ob, "\">");
	html_num(ob, (double)none->req, "N");
	put(ob, none->req == 1 ? " request has" : " requests have");
	ob_lit(ob,
	    " no source: they come from rows without a src, as those of "
	    "the monthly archives are, on ");
	days_of(ob, none);
	ob_lit(ob, ". They count in all sources only.</p>");
}

static void
table(const struct run *r, struct obuf *ob, const struct src **v, size_t n,
    const uint64_t *u)
{
	struct src all, none;
	size_t i;

	src_init(&all, "", 0, 1);
	src_init(&none, "", 0, 1);
	whole(r, u, &all, &none);
	ob_lit(ob,
	    "<section class=\"panel\"><h3>Each source</h3><div "
	    "class=\"tw\"><table id=\"sources\"><tr><th>Source</th><th "
	    "class=\"n\">Requests</th><th class=\"n opt\">Share</th><th "
	    "class=\"n\">Bytes</th><th class=\"n\">4xx</th><th "
	    "class=\"n\">5xx</th><th class=\"n\">5xx rate</th><th "
	    "class=\"n\">Clients</th>");
	put(ob,
	    r->daily_rows ? "<th class=\"opt\">First day (UTC)</th><th "
	                    "class=\"opt\">Last day (UTC)</th></tr>"
	                  : "<th class=\"opt\">First hour (UTC)</th><th "
	                    "class=\"opt\">Last hour (UTC)</th></tr>");
	for (i = 0; i < n; i++)
		row(ob, v[i], all.req, K_NAMED);
	if (r->srcs->over)
		row(ob, &r->srcs->other, all.req, K_OTHER);
	if (none.req > 0)
		row(ob, &none, all.req, K_NONE);
	row(ob, &all, all.req, K_ALL);
	ob_lit(ob, "</table></div>");
	notes(r, ob, &none);
	ob_lit(ob, "</section>");
	src_free(&all);
	src_free(&none);
}

/*
 * The Sources section, over [t0, t1): when some row or event had a
 * src label, or there are more sources than one.
 */
void
sources(const struct run *r, struct obuf *ob, int64_t t0, int64_t t1)
{
	const struct srcs *s = r->srcs;
	const struct src **v;
	uint64_t *u;
	size_t i;

	if (s == NULL || (!s->labelled && s->n + (size_t)s->over < 2))
		return;
	v = xreallocarray(NULL, s->n + 1, sizeof(const struct src *));
	for (i = 0; i < s->n; i++)
		v[i] = &s->v[i];
	qsort(v, s->n, sizeof(const struct src *), byreq);
	u = xcalloc(r->nbins + 1, sizeof(*u));
	unsourced(r, s, u);
	ob_lit(ob, "<h2 id=\"sources-section\">Sources</h2>");
	chart(r, ob, v, s->n, u, t0, t1);
	table(r, ob, v, s->n, u);
	free(u);
	free(v);
}
