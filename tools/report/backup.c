/*
 * Backup health: the archives read, what they hold and take on disk,
 * the compression ratio, the growth per month and a straight-line
 * projection of the storage a year ahead.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archfmt.h"
#include "diag.h"
#include "report.h"
#include "timeconv.h"

#define MONTHS 24

struct bstat {
	size_t daily, monthly, bad;
	uint64_t size, raw, events; /* of the daily archives read */
	uint64_t msize; /* of the monthly ones */
	int64_t first, last; /* days of the daily archives */
	double projected; /* NAN: too little history */
};

/* Least squares of the stored bytes so far over the days. */
static double
project(const struct run *r, const struct bstat *b)
{
	double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, x, y = 0, slope;
	size_t i;

	for (i = 0; i < r->narch; i++) {
		const struct arch *a = &r->arch[i];

		if (a->monthly || !a->ok)
			continue;
		x = (double)(a->t - b->first) / 86400;
		y += (double)a->size;
		n++;
		sx += x;
		sy += y;
		sxx += x * x;
		sxy += x * y;
	}
	if (n < 2 || b->last == b->first)
		return NAN;
	slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
	return (double)(b->size + b->msize) + (slope > 0 ? slope * 365 : 0);
}

static void
stats(const struct run *r, struct bstat *b)
{
	size_t i;

	memset(b, 0, sizeof(*b));
	b->first = INT64_MAX;
	b->last = INT64_MIN;
	for (i = 0; i < r->narch; i++) {
		const struct arch *a = &r->arch[i];

		if (!a->ok) {
			b->bad += a->read;
			continue;
		}
		if (a->monthly) {
			b->monthly++;
			b->msize += a->size;
			continue;
		}
		b->daily++;
		b->size += a->size;
		b->raw += a->raw;
		b->events += a->events;
		b->first = a->t < b->first ? a->t : b->first;
		b->last = a->t > b->last ? a->t : b->last;
	}
	b->projected = project(r, b);
}

static void
tiles(struct obuf *ob, const struct bstat *b)
{
	char buf[32], note[64];
	uint64_t stored;

	ob_lit(ob, "<div class=\"tiles\">");
	snprintf(buf, sizeof(buf), "%zu", b->daily);
	snprintf(note, sizeof(note), "and %zu monthly archives", b->monthly);
	html_tile(ob, "archives", "daily archives, verified", (double)b->daily,
	    "n", buf, note, 0);
	snprintf(buf, sizeof(buf), "%zu", b->bad);
	html_tile(ob, "archives-failed", "archives failing their checks",
	    (double)b->bad, "n", buf, b->bad ? "see the messages" : NULL,
	    b->bad > 0);
	stored = b->size + b->msize;
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)stored);
	html_tile(ob, "stored-bytes", "stored, compressed", (double)stored, "B",
	    buf, NULL, 0);
	snprintf(buf, sizeof(buf), "%.2f",
	    b->size > 0 ? (double)b->raw / (double)b->size : 0.0);
	ob_lit(ob, "<div class=\"tile\"><b id=\"ratio\" data-value=\"");
	ob_write(ob, buf, strlen(buf));
	ob_lit(ob, "\">");
	ob_write(ob, b->size > 0 ? buf : "n/a", b->size > 0 ? strlen(buf) : 3);
	if (b->size > 0)
		ob_lit(ob, " : 1");
	ob_lit(
	    ob, "</b><span>compression ratio (members to file)</span></div>");
	snprintf(buf, sizeof(buf), "%.0f", b->projected);
	html_tile(ob, "projected-bytes", "stored a year ahead", b->projected,
	    "B", isnan(b->projected) ? "" : buf,
	    isnan(b->projected) ? "needs two days of archives"
	                        : "~straight line through the daily growth",
	    0);
	if (b->daily > 0) {
		arch_date(buf, b->last / 86400);
		ob_lit(
		    ob, "<div class=\"tile\"><b id=\"newest\" data-value=\"");
		ob_write(ob, buf, strlen(buf));
		ob_lit(ob, "\">");
		ob_write(ob, buf, strlen(buf));
		ob_lit(ob, "</b><span>newest daily archive</span></div>");
	}
	ob_lit(ob, "</div>");
}

static const char *const state_names[] = { "verified", "failed its checks" };
static const char *const state_colors[] = { "#5e35b1", "#c62828" };
static const struct series archive_bytes = { "chart-archive-bytes",
	"compressed bytes of the daily archives", "B", 2, state_names,
	state_colors, 0 };
static const char *const events_names[] = { "events" };
static const char *const events_colors[] = { "#1565c0" };
static const struct series archive_events = { "chart-archive-events",
	"events of the daily archives", "n", 1, events_names, events_colors,
	0 };

static void
per_day(const struct run *r, struct obuf *ob, const struct bstat *b)
{
	struct tspan sp;
	struct chart c;
	double *v;
	size_t i, k;

	span_make(&sp, b->first, b->last + 86400, U_DAY);
	v = xcalloc(3 * sp.nb + 1, sizeof(*v));
	for (i = 0; i < r->narch; i++) {
		const struct arch *a = &r->arch[i];

		if (a->monthly || (k = span_index(&sp, a->t)) >= sp.nb)
			continue;
		if (!a->ok) {
			v[sp.nb + k] += (double)a->size;
			continue;
		}
		v[k] += (double)a->size;
		v[2 * sp.nb + k] += (double)a->events;
	}
	memset(&c, 0, sizeof(c));
	c.nb = sp.nb;
	c.labels = sp.labels;
	c.xunit =
	    sp.unit == U_DAY ? "archive date (UTC)" : "archive dates (UTC)";
	c.s = &archive_bytes;
	c.yunit = sp.unit == U_DAY ? "bytes per archive" : "bytes per bucket";
	c.v = v;
	ob_lit(ob,
	    "<section class=\"panel\"><h3>Daily "
	    "archives: size on disk</h3>");
	chart_svg(ob, &c);
	ob_lit(ob,
	    "</section><section class=\"panel\"><h3>Daily archives: "
	    "events</h3>");
	c.s = &archive_events;
	c.yunit = "events";
	c.v = v + 2 * sp.nb;
	chart_svg(ob, &c);
	ob_lit(ob, "</section>");
	free(v);
	span_free(&sp);
}

struct month {
	int64_t m; /* year * 12 + month - 1 */
	size_t n;
	uint64_t events, size, raw, msize;
};

static int64_t
month_of(int64_t t)
{
	int64_t y;
	unsigned m, d;

	civil_from_days(t / 86400, &y, &m, &d);
	return y * 12 + (int64_t)m - 1;
}

static void
month_row(struct obuf *ob, const struct month *m)
{
	char buf[160];

	snprintf(buf, sizeof(buf),
	    "<tr><td>%04lld-%02lld</td><td class=\"n\">%zu</td><td "
	    "class=\"n\">%llu</td><td class=\"n\">",
	    (long long)(m->m / 12), (long long)(m->m % 12 + 1), m->n,
	    (unsigned long long)m->events);
	ob_write(ob, buf, strlen(buf));
	html_num(ob, (double)m->size, "B");
	ob_lit(ob, "</td><td class=\"n\">");
	if (m->size > 0) {
		snprintf(buf, sizeof(buf), "%.2f : 1",
		    (double)m->raw / (double)m->size);
		ob_write(ob, buf, strlen(buf));
	}
	ob_lit(ob, "</td><td class=\"n\">");
	if (m->msize > 0)
		html_num(ob, (double)m->msize, "B");
	ob_lit(ob, "</td></tr>");
}

/* The last MONTHS months, newest first. */
static void
growth(const struct run *r, struct obuf *ob)
{
	struct month v[MONTHS];
	size_t i, j, n = 0;
	int64_t top = INT64_MIN, m;

	for (i = 0; i < r->narch; i++)
		if (r->arch[i].ok && month_of(r->arch[i].t) > top)
			top = month_of(r->arch[i].t);
	memset(v, 0, sizeof(v));
	for (i = 0; i < MONTHS; i++)
		v[i].m = top - (int64_t)i;
	for (i = 0; i < r->narch; i++) {
		const struct arch *a = &r->arch[i];

		if (!a->ok || (m = month_of(a->t)) <= top - MONTHS)
			continue;
		j = (size_t)(top - m);
		n = j + 1 > n ? j + 1 : n;
		if (a->monthly) {
			v[j].msize += a->size;
			continue;
		}
		v[j].n++;
		v[j].events += a->events;
		v[j].size += a->size;
		v[j].raw += a->raw;
	}
	ob_lit(ob,
	    "<section class=\"panel\"><h3>Growth per month</h3><div "
	    "class=\"tw\"><table id=\"growth\"><tr><th>Month</th><th "
	    "class=\"n\">Daily archives</th><th class=\"n\">Events</th>"
	    "<th class=\"n\">Stored</th><th class=\"n\">Ratio</th><th "
	    "class=\"n\">Monthly archive</th></tr>");
	for (i = 0; i < n; i++)
		month_row(ob, &v[i]);
	ob_lit(ob,
	    "</table></div><p class=\"note\">Newest first, at most "
	    "24 months. Ratio: bytes of the archives' members to bytes "
	    "on disk.</p></section>");
}

void
backup(struct run *r, struct obuf *ob)
{
	struct bstat b;

	ob_lit(ob, "<h2>Backups</h2>");
	if (r->archdir != NULL) {
		stats(r, &b);
		tiles(ob, &b);
		if (b.daily > 0)
			per_day(r, ob, &b);
		if (b.daily + b.monthly > 0)
			growth(r, ob);
	}
	drills(r, ob);
}
