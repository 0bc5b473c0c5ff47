/*
 * The biggest drops in volume: each hour (each day with daily rows)
 * against the same hour a week before, both inside the span.  An hour
 * with no rows had no requests: a site gone quiet is the drop that
 * matters most.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "report.h"
#include "tz.h"

#define TOPDROPS 10
#define WEEK (7 * 86400)

struct vol {
	int64_t t;
	uint64_t req, before; /* before: a week earlier */
};

static int
bytime(const void *x, const void *y)
{
	const struct vol *a = x, *b = y;

	return (a->t > b->t) - (a->t < b->t);
}

static int
bydrop(const void *x, const void *y)
{
	const struct vol *a = x, *b = y;
	uint64_t da = a->before - a->req, db = b->before - b->req;

	if (da != db)
		return da < db ? 1 : -1;
	return bytime(x, y);
}

/* The bins rolled to buckets of w seconds, in time order: *n of them. */
static struct vol *
volumes(const struct run *r, int64_t w, size_t *n)
{
	struct vol *v = xreallocarray(NULL, r->nbins + 1, sizeof(*v));
	size_t i, k = 0;

	for (i = 0; i < r->nbins; i++) {
		v[i].t = r->bins[i].t - (r->bins[i].t % w + w) % w;
		v[i].req = r->bins[i].req;
	}
	qsort(v, r->nbins, sizeof(*v), bytime);
	for (i = 0; i < r->nbins; i++) {
		if (k > 0 && v[k - 1].t == v[i].t)
			v[k - 1].req += v[i].req;
		else
			v[k++] = v[i];
	}
	*n = k;
	return v;
}

static uint64_t
req_at(const struct vol *v, size_t n, int64_t t)
{
	struct vol key = { t, 0, 0 };
	const struct vol *f = bsearch(&key, v, n, sizeof(*v), bytime);

	return f != NULL ? f->req : 0;
}

/*
 * The buckets that had fewer requests than a week before, into d: how
 * many; *compared, how many buckets had a week before in [t0, t1).
 */
static size_t
find_drops(const struct vol *v, size_t n, int64_t w, int64_t t0, int64_t t1,
    struct vol *d, size_t *compared)
{
	size_t i, k = 0;
	int64_t t;

	*compared = 0;
	for (i = 0; i < n; i++) {
		t = v[i].t + WEEK;
		if (v[i].t < t0 || t > t1 - w)
			continue;
		(*compared)++;
		d[k].t = t;
		d[k].before = v[i].req;
		d[k].req = req_at(v, n, t);
		if (d[k].req < d[k].before)
			k++;
	}
	return k;
}

static void
drop_rows(struct obuf *ob, const struct vol *d, size_t n, const char *u)
{
	size_t i;

	ob_lit(ob, "<div class=\"tw\"><table id=\"drops\"><tr><th>");
	ob_write(ob, u, strlen(u));
	ob_lit(ob,
	    "</th><th class=\"n\">Requests</th><th class=\"n\">"
	    "A week before</th><th class=\"n\">Drop</th></tr>");
	for (i = 0; i < n && i < TOPDROPS; i++) {
		ob_lit(ob, "<tr><td>");
		html_time(ob, d[i].t);
		ob_lit(ob, "</td>");
		html_td_num(ob, d[i].req);
		html_td_num(ob, d[i].before);
		html_td_pct(ob, d[i].before - d[i].req, d[i].before, 0);
		ob_lit(ob, "</tr>");
	}
	ob_lit(ob, "</table></div>");
}

void
drops(const struct run *r, struct obuf *ob, int64_t t0, int64_t t1)
{
	int64_t w = r->daily_rows ? 86400 : 3600;
	char u[TZ_NAME_MAX + 16];
	struct vol *v, *d;
	size_t n, k, compared;

	snprintf(
	    u, sizeof(u), "%s (%s)", r->daily_rows ? "Day" : "Hour", r->zone);
	v = volumes(r, w, &n);
	d = xreallocarray(NULL, n + 1, sizeof(*d));
	k = find_drops(v, n, w, t0, t1, d, &compared);
	qsort(d, k, sizeof(*d), bydrop);
	ob_lit(ob,
	    "<section class=\"panel\"><h3>Biggest drops against a "
	    "week before</h3>");
	if (compared == 0)
		ob_lit(ob,
		    "<p class=\"note\" id=\"no-drops\">The span is not "
		    "longer than a week: nothing to compare.</p>");
	else if (k == 0)
		ob_lit(ob,
		    "<p class=\"note\" id=\"no-drops\">None had fewer "
		    "requests than a week before.</p>");
	else
		drop_rows(ob, d, k, u);
	if (compared > 0)
		ob_lit(ob,
		    "<p class=\"note\">Exact counts; a time without rows "
		    "had no requests.</p>");
	ob_lit(ob, "</section>");
	free(d);
	free(v);
}
