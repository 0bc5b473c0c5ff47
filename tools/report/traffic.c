/*
 * The traffic panels: totals, requests by status class, bytes, clients
 * and latency over the span's buckets, the top paths and the hours with
 * the highest share of server errors.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archfmt.h"
#include "diag.h"
#include "report.h"
#include "tz.h"
#include "timeconv.h"

#define TOPPATHS 20
#define TOPHOURS 10

static const char *const cls_names[] = { "2xx", "3xx", "4xx", "5xx", "other" };
static const char *const cls_colors[] = { "#2e7d32", "#1565c0", "#ef8f00",
	"#c62828", "#8e99a4" };

static const struct series requests_by_class = { "chart-requests",
	"requests by status class", "n", 5, cls_names, cls_colors, 0 };
static const char *const bytes_names[] = { "bytes" };
static const char *const bytes_colors[] = { "#5e35b1" };
static const struct series bytes_sent = { "chart-bytes", "bytes sent", "B", 1,
	bytes_names, bytes_colors, 0 };
static const char *const clients_names[] = { "clients" };
static const char *const clients_colors[] = { "#00838f" };
static const struct series distinct_clients = { "chart-clients",
	"distinct clients", "n", 1, clients_names, clients_colors, 0 };
static const char *const pct_names[] = { "p50", "p95", "p99" };
static const char *const pct_colors[] = { "#2e7d32", "#ef8f00", "#c62828" };
static const struct series latency = { "chart-latency",
	"response time percentiles", "s", 3, pct_names, pct_colors, 1 };

struct totals {
	uint64_t req, bytes, cls[5];
	int64_t t0, t1; /* the span: [t0, t1) */
};

static void
span_of(const struct run *r, struct totals *s)
{
	size_t i;
	int64_t w = r->daily_rows ? 86400 : 3600;

	memset(s, 0, sizeof(*s));
	s->t0 = INT64_MAX;
	s->t1 = INT64_MIN;
	for (i = 0; i < r->nbins; i++) {
		const struct bin *b = &r->bins[i];
		size_t c;

		s->t0 = b->t < s->t0 ? b->t : s->t0;
		s->t1 = b->t + w > s->t1 ? b->t + w : s->t1;
		s->req += b->req;
		s->bytes += b->bytes;
		for (c = 0; c < 5; c++)
			s->cls[c] += b->cls[c];
	}
	if (r->from != NOTIME)
		s->t0 = r->from;
	if (r->to != NOTIME)
		s->t1 = r->to;
	if (r->nbins == 0 && (r->from == NOTIME || r->to == NOTIME))
		s->t0 = s->t1 = 0;
}

static void
subtitle(const struct run *r, struct obuf *ob, const struct totals *s)
{
	size_t i, n = 0;

	ob_lit(ob, "<p class=\"sub\">");
	if (s->t1 > s->t0) {
		ob_lit(ob, "<span id=\"span\">");
		html_time(ob, s->t0);
		ob_lit(ob, " to ");
		html_time(ob, s->t1);
		ob_putc(ob, ' ');
		html_text(ob, r->zone, strlen(r->zone));
		ob_lit(ob, "</span> &middot; ");
	}
	if (r->archdir != NULL) {
		for (i = 0; i < r->narch; i++)
			n += r->arch[i].ok;
		ob_u64(ob, n);
		ob_lit(ob, " archives read from ");
		html_text(ob, r->archdir, strlen(r->archdir));
	} else if (r->dbpath != NULL) {
		ob_lit(ob, "the database ");
		html_text(ob, r->dbpath, strlen(r->dbpath));
	} else
		ob_lit(ob, "hourly rows of logbook-aggregate");
	ob_lit(ob, "</p></header>\n<main>");
	if (r->failed)
		ob_lit(ob,
		    "<p class=\"warn\" id=\"failed\">Some inputs could "
		    "not be read or failed their checks (see the "
		    "messages of logbook-report): the figures leave "
		    "out what could not be read.</p>");
	if (r->badlines > 0) {
		ob_lit(ob, "<p class=\"warn\" id=\"badlines\" data-value=\"");
		ob_u64(ob, r->badlines);
		ob_lit(ob, "\">");
		ob_u64(ob, r->badlines);
		if (r->badlines == 1)
			ob_lit(ob, " line was bad and was left out.</p>");
		else
			ob_lit(ob, " lines were bad and were left out.</p>");
	}
	if (s->t1 <= s->t0)
		ob_lit(ob,
		    "<p class=\"warn\" id=\"empty\">No rows in the "
		    "span.</p>");
}

static void
u64text(char *buf, size_t n, uint64_t v)
{
	snprintf(buf, n, "%llu", (unsigned long long)v);
}

static void
count_tiles(struct obuf *ob, const struct totals *s)
{
	static const char *const ids[] = { "total-1xx", "total-2xx",
		"total-3xx", "total-4xx", "total-5xx" };
	double req = (double)s->req;
	char buf[32], note[64];
	size_t c;

	u64text(buf, sizeof(buf), s->req);
	html_tile(ob, "total-requests", "requests", req, "N", buf, NULL, 0);
	u64text(buf, sizeof(buf), s->bytes);
	html_tile(ob, "total-bytes", "sent (response bodies)", (double)s->bytes,
	    "B", buf, NULL, 0);
	for (c = 3; c < 5; c++) {
		u64text(buf, sizeof(buf), s->cls[c]);
		snprintf(note, sizeof(note), "%llu request%s",
		    (unsigned long long)s->cls[c], lb_s(s->cls[c]));
		html_tile(ob, ids[c],
		    c == 4 ? "server errors (5xx)" : "client errors (4xx)",
		    s->req > 0 ? 100.0 * (double)s->cls[c] / req : NAN, "%",
		    buf, note, c == 4 && s->cls[4] * 100 > s->req);
	}
	/* The other classes, for machines only. */
	for (c = 0; c < 3; c++) {
		ob_lit(ob, "<span hidden id=\"");
		ob_write(ob, ids[c], strlen(ids[c]));
		ob_lit(ob, "\" data-value=\"");
		ob_u64(ob, s->cls[c]);
		ob_lit(ob, "\"></span>");
	}
}

/* p50, p95, p99 in seconds by nearest rank, as logbook-aggregate has. */
static void
percentiles(const struct qsketch *q, double *v)
{
	static const unsigned p[3] = { 50, 95, 99 };
	uint64_t total = qs_total(q), rank[3];
	int64_t ns[3];
	size_t i;

	for (i = 0; i < 3; i++)
		rank[i] = total / 100 * p[i] + (total % 100 * p[i] + 99) / 100;
	if (total == 0) {
		v[0] = v[1] = v[2] = NAN;
		return;
	}
	qs_ranks(q, rank, 3, ns);
	for (i = 0; i < 3; i++)
		v[i] = (double)ns[i] / 1e9;
}

static void
sketch_tiles(const struct run *r, struct obuf *ob)
{
	struct hll h;
	struct qsketch q;
	double pv[3];
	char buf[32], note[96];
	size_t i, n = 0;
	uint64_t c;

	memset(&h, 0, sizeof(h));
	memset(&q, 0, sizeof(q));
	/* Events of the days either side of the span can be read (an
	 * archive's UTC date spans days of another clock): not theirs. */
	for (i = 0; i < r->ndays; i++)
		if (r->days[i].hasips &&
		    (r->from == NOTIME || r->days[i].t >= r->from) &&
		    (r->to == NOTIME || r->days[i].t < r->to)) {
			hll_merge(&h, &r->days[i].ips);
			qs_merge(&q, &r->days[i].rt);
			n++;
		}
	c = hll_count(&h);
	u64text(buf, sizeof(buf), c);
	if (n == 0)
		html_tile(ob, "total-clients", "distinct clients", NAN, "n", "",
		    "needs daily archives or partial rows", 0);
	else {
		snprintf(note, sizeof(note), "%s; over %zu day%s with clients",
		    h.cap == HLL_DENSE ? "~HyperLogLog estimate, within 2%"
		                       : "exact",
		    n, n == 1 ? "" : "s");
		html_tile(ob, "total-clients", "distinct clients", (double)c,
		    "N", buf, note, 0);
	}
	percentiles(&q, pv);
	for (i = 0; i < 3; i++) {
		static const char *const id[] = { "total-p50", "total-p95",
			"total-p99" };
		static const char *const lab[] = { "median response time",
			"95th percentile", "99th percentile" };

		snprintf(buf, sizeof(buf), "%.9g", pv[i]);
		html_tile(ob, id[i], lab[i], pv[i], "s",
		    isnan(pv[i]) ? "" : buf,
		    isnan(pv[i])       ? "no durations in the data"
		        : qs_exact(&q) ? "exact"
		                       : "~within 0.55%",
		    0);
	}
	hll_free(&h);
	qs_free(&q);
}

static char *
per(const char *what, const struct tspan *sp)
{
	static char buf[4][64];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s per %s", what, span_unit(sp));
	return buf[k];
}

static char *
xunit(const struct run *r, const struct tspan *sp)
{
	static char buf[TZ_NAME_MAX + 32];

	snprintf(buf, sizeof(buf), "%s (%s)",
	    sp->unit == U_WEEK ? "week from Monday" : span_unit(sp), r->zone);
	return buf;
}

/* A chart of sp's buckets, counting what per bucket; no series yet. */
static void
chart_over(const struct run *r, struct chart *c, const struct tspan *sp,
    const char *what)
{
	memset(c, 0, sizeof(*c));
	c->yunit = per(what, sp);
	c->xunit = xunit(r, sp);
	c->nb = sp->nb;
	c->labels = sp->labels;
}

static void
panel(struct obuf *ob, const char *h3, const struct chart *c, const char *note)
{
	ob_lit(ob, "<section class=\"panel\"><h3>");
	ob_write(ob, h3, strlen(h3));
	ob_lit(ob, "</h3>");
	chart_svg(ob, c);
	if (note != NULL) {
		ob_lit(ob, "<p class=\"note\">");
		ob_write(ob, note, strlen(note));
		ob_lit(ob, "</p>");
	}
	ob_lit(ob, "</section>");
}

static void
volume(const struct run *r, struct obuf *ob, const struct totals *s)
{
	struct tspan sp;
	struct chart c;
	double *v, *b;
	size_t i, k, j;
	uint64_t o;

	span_make(&sp, s->t0, s->t1, r->daily_rows ? U_DAY : U_HOUR);
	v = xcalloc(sp.nb * 5 + 1, sizeof(*v));
	b = xcalloc(sp.nb + 1, sizeof(*b));
	for (i = 0; i < r->nbins; i++) {
		const struct bin *x = &r->bins[i];

		if (x->t < sp.t0 || (k = span_index(&sp, x->t)) >= sp.nb)
			continue;
		for (o = x->req, j = 0; j < 4; j++) {
			v[j * sp.nb + k] += (double)x->cls[j + 1];
			o -= x->cls[j + 1];
		}
		v[4 * sp.nb + k] += (double)o;
		b[k] += (double)x->bytes;
	}
	chart_over(r, &c, &sp, "requests");
	c.s = &requests_by_class;
	c.v = v;
	panel(ob, "Requests by status class", &c,
	    "Stacked: successes (2xx), redirects (3xx), client errors "
	    "(4xx), server errors (5xx); other is 1xx and statuses out of "
	    "range or missing. Exact counts.");
	c.s = &bytes_sent;
	c.yunit = per("bytes", &sp);
	c.v = b;
	panel(ob, "Data sent", &c,
	    "Sum of the response sizes the server logged, exact.");
	free(v);
	free(b);
	span_free(&sp);
}

static void
clients(const struct run *r, struct obuf *ob, const struct totals *s)
{
	struct tspan sp;
	struct chart c;
	struct hll *h;
	struct qsketch *q;
	double *v, *l, pv[3];
	size_t i, k, est = 0, anyrt = 0;

	span_make(&sp, s->t0, s->t1, U_DAY);
	h = xcalloc(sp.nb + 1, sizeof(*h));
	q = xcalloc(sp.nb + 1, sizeof(*q));
	v = xcalloc(sp.nb + 1, sizeof(*v));
	l = xcalloc(3 * sp.nb + 1, sizeof(*l));
	for (i = 0; i < sp.nb; i++)
		v[i] = NAN;
	for (i = 0; i < r->ndays; i++) {
		const struct day *d = &r->days[i];

		if (!d->hasips || d->t < sp.t0 ||
		    (k = span_index(&sp, d->t)) >= sp.nb)
			continue;
		hll_merge(&h[k], &d->ips);
		qs_merge(&q[k], &d->rt);
		v[k] = 0;
	}
	for (k = 0; k < sp.nb; k++) {
		if (!isnan(v[k])) {
			v[k] = (double)hll_count(&h[k]);
			est |= h[k].cap == HLL_DENSE;
		}
		percentiles(&q[k], pv);
		for (i = 0; i < 3; i++)
			l[i * sp.nb + k] = pv[i];
		anyrt |= qs_total(&q[k]) > 0;
		hll_free(&h[k]);
		qs_free(&q[k]);
	}
	chart_over(r, &c, &sp, "clients");
	c.s = &distinct_clients;
	c.v = v;
	panel(ob, "Distinct clients (IP addresses)", &c,
	    est ? "Estimates where a bucket had more than 4096 clients "
	          "(HyperLogLog, relative standard error 0.41%, within 2%); "
	          "exact below. Gaps: no events or partial rows for those "
	          "days."
	        : "Exact counts. Gaps: no events or partial rows for those "
	          "days.");
	if (anyrt) {
		c.s = &latency;
		c.yunit = "seconds";
		c.v = l;
		panel(ob, "Response time", &c,
		    "Nearest-rank percentiles of the logged durations, exact "
		    "up to 32 values per bucket, then within 0.55%.");
	}
	free(h);
	free(q);
	free(v);
	free(l);
	span_free(&sp);
}

static int
byreq(const void *x, const void *y)
{
	const struct path *a = *(const struct path *const *)x,
	                  *b = *(const struct path *const *)y;
	int c;

	if (a->req != b->req)
		return a->req < b->req ? 1 : -1;
	c = memcmp(a->key, b->key, a->n < b->n ? a->n : b->n);
	return c != 0 ? c : (a->n > b->n) - (a->n < b->n);
}

static void
top_paths(const struct run *r, struct obuf *ob, const struct totals *s)
{
	const struct path **v;
	size_t i, n = r->npaths;

	ob_lit(ob, "<section class=\"panel\"><h3>Top paths by requests</h3>");
	if (n == 0) {
		ob_lit(ob,
		    "<p class=\"note\">The rows are not keyed by "
		    "path.</p></section>");
		return;
	}
	v = xreallocarray(NULL, n, sizeof(struct path *));
	for (i = 0; i < n; i++)
		v[i] = &r->paths[i];
	qsort(v, n, sizeof(struct path *), byreq);
	ob_lit(ob,
	    "<div class=\"tw\"><table id=\"top-paths\"><tr><th>"
	    "Request</th><th class=\"n\">Requests</th><th class=\"n opt\">"
	    "Share</th><th class=\"n\">4xx</th><th class=\"n\">5xx"
	    "</th></tr>");
	for (i = 0; i < n && i < TOPPATHS; i++) {
		ob_lit(ob, "<tr><td class=\"p\">");
		html_text(ob, v[i]->key, v[i]->n);
		ob_lit(ob, "</td>");
		html_td_num(ob, v[i]->req);
		html_td_pct(ob, v[i]->req, s->req, 1);
		html_td_num(ob, v[i]->s4xx);
		html_td_num(ob, v[i]->s5xx);
		ob_lit(ob, "</tr>");
	}
	ob_lit(ob,
	    "</table></div><p class=\"note\">Exact, from the rows by "
	    "method and path; ");
	ob_u64(ob, n);
	ob_lit(ob, " distinct in all.</p></section>");
	free(v);
}

static int
byrate(const void *x, const void *y)
{
	const struct bin *a = *(const struct bin *const *)x,
	                 *b = *(const struct bin *const *)y;
	double ra = (double)a->cls[4] / (double)a->req,
	       rb = (double)b->cls[4] / (double)b->req;

	if (ra != rb)
		return ra < rb ? 1 : -1;
	if (a->cls[4] != b->cls[4])
		return a->cls[4] < b->cls[4] ? 1 : -1;
	return (a->t > b->t) - (a->t < b->t);
}

static void
worst_hours(const struct run *r, struct obuf *ob)
{
	const struct bin **v;
	size_t i, n = 0;
	const char *u = r->daily_rows ? "Day" : "Hour";

	v = xreallocarray(NULL, r->nbins + 1, sizeof(struct bin *));
	for (i = 0; i < r->nbins; i++)
		if (r->bins[i].cls[4] > 0)
			v[n++] = &r->bins[i];
	qsort(v, n, sizeof(struct bin *), byrate);
	ob_lit(ob,
	    "<section class=\"panel\"><h3>Hours with the highest "
	    "server error rate</h3>");
	if (n == 0)
		ob_lit(ob,
		    "<p class=\"note\" id=\"no-5xx\">No server errors "
		    "(5xx) in the span.</p>");
	else {
		ob_lit(ob, "<div class=\"tw\"><table id=\"top-5xx\"><tr><th>");
		ob_write(ob, u, strlen(u));
		ob_lit(ob, " (");
		html_text(ob, r->zone, strlen(r->zone));
		ob_lit(ob,
		    ")</th><th class=\"n\">Requests</th><th "
		    "class=\"n\">5xx</th><th class=\"n\">Rate</th></tr>");
	}
	for (i = 0; i < n && i < TOPHOURS; i++) {
		ob_lit(ob, "<tr><td>");
		html_time(ob, v[i]->t);
		ob_lit(ob, "</td>");
		html_td_num(ob, v[i]->req);
		html_td_num(ob, v[i]->cls[4]);
		html_td_pct(ob, v[i]->cls[4], v[i]->req, 0);
		ob_lit(ob, "</tr>");
	}
	if (n > 0)
		ob_lit(ob, "</table></div>");
	ob_lit(ob, "</section>");
	free(v);
}

void
traffic(struct run *r, struct obuf *ob)
{
	struct totals s;

	span_of(r, &s);
	subtitle(r, ob, &s);
	ob_lit(ob, "<h2>Traffic</h2>");
	ob_lit(ob, "<div class=\"tiles\">");
	count_tiles(ob, &s);
	sketch_tiles(r, ob);
	ob_lit(ob, "</div>");
	if (s.t1 <= s.t0)
		return;
	volume(r, ob, &s);
	clients(r, ob, &s);
	ob_lit(ob, "<div class=\"grid2\">");
	top_paths(r, ob, &s);
	worst_hours(r, ob);
	ob_lit(ob, "</div>");
	top_panels(r, ob, s.req);
	drops(r, ob, s.t0, s.t1);
	sources(r, ob, s.t0, s.t1);
}
