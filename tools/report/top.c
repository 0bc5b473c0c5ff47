/*
 * The clients with the most requests and the paths most answered 404,
 * from the events of daily archives and of a database: hourly rows by
 * method and path hold neither.  Each in a Space-Saving summary
 * (heavy.c), so memory is bounded whatever the number of clients; the
 * page says when a count is a bound rather than exact.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "logformat.h"
#include "report.h"

#define TOPN 20

/* One event at UTC second sec, into ips and nf if it is in the span. */
void
top_event(struct run *r, struct heavy *ips, struct heavy *nf, int64_t sec,
    const struct span *ip, const struct span *method, const struct span *path,
    int is404)
{
	static char *key;
	static size_t cap;
	int64_t t = span_local(r, sec);
	size_t m, n;

	if ((r->from != NOTIME && t < r->from) ||
	    (r->to != NOTIME && t >= r->to))
		return;
	if (ip->p != NULL)
		hh_add(ips, ip->p, ip->n, 1, 0);
	if (!is404)
		return;
	m = method->p != NULL ? method->n : 1;
	n = m + 1 + (path->p != NULL ? path->n : 1);
	if (key == NULL || n > cap) {
		cap = n * 2;
		key = xrealloc(key, cap);
	}
	memcpy(key, method->p != NULL ? method->p : "-", m);
	key[m] = ' ';
	memcpy(key + m + 1, path->p != NULL ? path->p : "-", n - m - 1);
	hh_add(nf, key, n, 1, 0);
}

static void
note(struct obuf *ob, const struct run *r, const struct heavy *h)
{
	ob_lit(ob, "<p class=\"note\">");
	if (h->taken)
		ob_lit(ob,
		    "&asymp; Space-Saving estimate over 1024 counters: a "
		    "count is never under the true one, and over it by at "
		    "most the bound shown; ");
	else
		ob_lit(ob, "Exact; ");
	ob_lit(ob, "from the events of ");
	ob_u64(ob, r->topdays);
	if (r->topdays == 1)
		ob_lit(ob, " day");
	else
		ob_lit(ob, " days");
	ob_lit(ob, " (daily archives or the database); ");
	ob_u64(ob, h->total);
	ob_lit(ob, " counted.</p>");
}

static void
table(struct obuf *ob, const char *id, const char *what, const struct heavy *h,
    uint64_t total)
{
	const struct hhent **v = hh_sorted(h);
	size_t i;

	ob_lit(ob, "<div class=\"tw\"><table id=\"");
	ob_write(ob, id, strlen(id));
	ob_lit(ob, "\"><tr><th>");
	ob_write(ob, what, strlen(what));
	ob_lit(ob,
	    "</th><th class=\"n\">Requests</th><th class=\"n opt\">"
	    "Share</th>");
	if (h->taken)
		ob_lit(ob, "<th class=\"n\">Over by &le;</th>");
	ob_lit(ob, "</tr>");
	for (i = 0; i < h->n && i < TOPN; i++) {
		ob_lit(ob, "<tr><td class=\"p\">");
		html_text(ob, v[i]->key, v[i]->n);
		ob_lit(ob, "</td>");
		html_td_num(ob, v[i]->count);
		html_td_pct(ob, v[i]->count, total, 1);
		if (h->taken)
			html_td_num(ob, v[i]->err);
		ob_lit(ob, "</tr>");
	}
	ob_lit(ob, "</table></div>");
	free(v);
}

static void
panel(struct obuf *ob, const struct run *r, const char *h3, const char *id,
    const char *what, const struct heavy *h, uint64_t total)
{
	ob_lit(ob, "<section class=\"panel\"><h3>");
	ob_write(ob, h3, strlen(h3));
	ob_lit(ob, "</h3>");
	if (r->topdays == 0)
		ob_lit(ob,
		    "<p class=\"note\">Needs events: a folder of daily "
		    "archives or --db. Hourly rows by method and path do "
		    "not hold clients or statuses.</p>");
	else if (h == NULL || h->n == 0)
		ob_lit(ob, "<p class=\"note\">None in the span.</p>");
	else {
		table(ob, id, what, h, total);
		note(ob, r, h);
	}
	ob_lit(ob, "</section>");
}

/* total: the requests of the span, for the shares. */
void
top_panels(const struct run *r, struct obuf *ob, uint64_t total)
{
	ob_lit(ob, "<div class=\"grid2\">");
	panel(
	    ob, r, "Top clients", "top-ips", "Client address", r->topip, total);
	panel(ob, r, "Top paths not found (404)", "top-404", "Request",
	    r->top404, total);
	ob_lit(ob, "</div>");
}

void
top_free(struct run *r)
{
	if (r->topip != NULL)
		hh_free(r->topip);
	if (r->top404 != NULL)
		hh_free(r->top404);
	free(r->topip);
	free(r->top404);
}
