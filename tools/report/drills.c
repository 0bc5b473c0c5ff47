/*
 * The restore drills: one line a drill in STATE_DIR/drills.ndjson,
 * written by logbook-drill(8).  The page shows the last one, the count
 * passed and failed in the span, and RTO and RPO drill after drill, the
 * failed drills marked; at most MAXPOINTS drills, the latest.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archfmt.h"
#include "diag.h"
#include "json.h"
#include "lineread.h"
#include "report.h"
#include "tz.h"
#include "timeconv.h"

#define SHOW_BAD 10
#define MAXFAILED 200 /* bytes of the failed checks kept */
#define TABLE 10

struct dline {
	struct drill d;
	int seen; /* time, ok, rto_seconds */
};

static int
get_num(const struct jval *v, double *out)
{
	char buf[40], *end;

	if (v->type == J_NULL) {
		*out = NAN;
		return 0;
	}
	if (v->type != J_NUM || v->n >= sizeof(buf))
		return -1;
	memcpy(buf, v->p, v->n);
	buf[v->n] = '\0';
	*out = strtod(buf, &end);
	return *end == '\0' && isfinite(*out) && *out >= 0 ? 0 : -1;
}

static int
get_time(const struct jval *v, int64_t *t)
{
	size_t fl;
	int off;

	if (v->type != J_STR || v->esc)
		return -1;
	return iso_time_parse(v->p, v->n, t, &off, &fl);
}

static int
get_failed(struct drill *d, const struct jval *v)
{
	char *s;
	size_t n;

	if (v->type != J_STR)
		return -1;
	s = xmalloc(v->n + 1);
	n = json_unescape(s, v->p, v->n);
	if (n > MAXFAILED) {
		/* not inside a UTF-8 sequence */
		for (n = MAXFAILED; n > 0 && (s[n] & 0xc0) == 0x80; n--)
			;
	}
	s[n] = '\0';
	free(d->failed);
	d->failed = s;
	return 0;
}

static int
member(struct dline *l, const struct jval *k, const struct jval *v)
{
	uint64_t *u = NULL;

	if (json_keyeq(k, "time")) {
		l->seen |= 1;
		return get_time(v, &l->d.t);
	}
	if (json_keyeq(k, "ok")) {
		l->seen |= 2;
		l->d.ok = v->type == J_TRUE;
		return v->type == J_TRUE || v->type == J_FALSE ? 0 : -1;
	}
	if (json_keyeq(k, "rto_seconds")) {
		l->seen |= 4;
		return get_num(v, &l->d.rto);
	}
	if (json_keyeq(k, "rpo_seconds"))
		return get_num(v, &l->d.rpo);
	if (json_keyeq(k, "failed"))
		return get_failed(&l->d, v);
	if (json_keyeq(k, "events"))
		u = &l->d.events;
	else if (json_keyeq(k, "archives"))
		u = &l->d.archives;
	if (u != NULL)
		return v->type == J_NUM ? arch_u64(v->p, v->n, u) : -1;
	return 0; /* a member a later logbook-drill may add */
}

/* One line into d; -1: it is not a drill's. */
static int
parse(const char *p, size_t n, struct drill *d)
{
	struct dline l;
	struct jobj o;
	struct jval k, v;
	int rc;

	memset(&l, 0, sizeof(l));
	l.d.rpo = NAN;
	rc = json_obj_begin(&o, p, n);
	while (rc == 0 && (rc = json_obj_next(&o, &k, &v)) == 1)
		rc = member(&l, &k, &v);
	if (rc == 0)
		rc = json_obj_end(&o);
	if (rc < 0 || l.seen != 7) {
		free(l.d.failed);
		return -1;
	}
	*d = l.d;
	return 0;
}

/* Keep the latest MAXPOINTS drills of the span, in the file's order. */
static void
keep(struct run *r, struct drill *d)
{
	int64_t t = span_local(r, d->t);

	if ((r->from != NOTIME && t < r->from) ||
	    (r->to != NOTIME && t >= r->to)) {
		free(d->failed);
		return;
	}
	r->ndrill_all++;
	r->ndrill_failed += !d->ok;
	if (r->ndrills == MAXPOINTS) {
		free(r->drills[0].failed);
		memmove(r->drills, r->drills + 1,
		    (MAXPOINTS - 1) * sizeof(*r->drills));
		r->ndrills--;
	}
	if (r->drills == NULL)
		r->drills = xcalloc(MAXPOINTS, sizeof(*r->drills));
	r->drills[r->ndrills++] = *d;
}

static void
bad_line(struct run *r, const char *path, uint64_t lineno, uint64_t *nbad)
{
	r->badlines++;
	if ((*nbad)++ < SHOW_BAD)
		lb_warnx("%s:%llu: not a drill of logbook-drill", lb_escs(path),
		    (unsigned long long)lineno);
}

void
input_state(struct run *r, const char *dir)
{
	struct lreader lr;
	struct line l;
	struct drill d;
	uint64_t nbad = 0;
	char *path;
	int rc;

	path = xmalloc(strlen(dir) + sizeof("/drills.ndjson"));
	sprintf(path, "%s/drills.ndjson", dir);
	r->statedir = dir;
	if (lr_open(&lr, path) < 0) {
		if (errno != ENOENT) {
			lb_warn("%s", lb_escs(path));
			r->failed = 1;
		}
		free(path);
		return;
	}
	r->drillfile = 1;
	while ((rc = lr_next(&lr, &l)) > 0) {
		if (l.cont || lr_blank(&l))
			continue;
		if (l.more || parse(l.p, l.n, &d) < 0)
			bad_line(r, path, lr.lineno + (l.more ? 1 : 0), &nbad);
		else
			keep(r, &d);
	}
	if (rc < 0) {
		lr_warn(&lr);
		r->failed = 1;
	}
	lr_close(&lr);
	free(path);
}

static const char *const drill_names[] = { "passed", "failed" };
static const char *const drill_colors[] = { "#2e7d32", "#c62828" };
static const struct series rto_series = { "chart-drill-rto",
	"seconds each drill took to restore (RTO)", "t", 2, drill_names,
	drill_colors, 0 };
static const struct series rpo_series = { "chart-drill-rpo",
	"age of the newest event each drill restored (RPO)", "t", 2,
	drill_names, drill_colors, 0 };

/* The value is the UTC time; the text, that of the page's clock. */
static void
time_tile(const struct run *r, struct obuf *ob, const struct drill *d)
{
	char iso[ISO_SEC_LEN + 1];

	iso_time_format(iso, d->t);
	iso[ISO_SEC_LEN] = '\0';
	ob_lit(ob, "<div class=\"tile");
	if (!d->ok)
		ob_lit(ob, " bad");
	ob_lit(ob, "\"><b id=\"drill-last\" data-value=\"");
	ob_write(ob, iso, ISO_SEC_LEN);
	ob_lit(ob, "\">");
	iso_time_format(iso, span_local(r, d->t));
	ob_write(ob, iso, 10);
	ob_lit(ob, "</b><span>last restore drill, at ");
	ob_write(ob, iso + 11, 5);
	ob_putc(ob, ' ');
	html_text(ob, r->zone, strlen(r->zone));
	if (d->ok)
		ob_lit(ob, ": passed");
	else
		ob_lit(ob, ": FAILED");
	ob_lit(ob, "</span></div>");
}

static void
drill_tiles(const struct run *r, struct obuf *ob)
{
	const struct drill *d = &r->drills[r->ndrills - 1];
	char buf[32], note[64];

	ob_lit(ob, "<h3>Restore drills</h3><div class=\"tiles\">");
	time_tile(r, ob, d);
	snprintf(
	    buf, sizeof(buf), "%llu", (unsigned long long)r->ndrill_failed);
	snprintf(note, sizeof(note), "of %llu drill%s in the span",
	    (unsigned long long)r->ndrill_all, lb_s(r->ndrill_all));
	html_tile(ob, "drills-failed", "drills failed",
	    (double)r->ndrill_failed, "n", buf, note, r->ndrill_failed > 0);
	snprintf(buf, sizeof(buf), "%.3f", d->rto);
	html_tile(ob, "drill-rto", "RTO of the last drill", d->rto, "t", buf,
	    "seconds to restore its archives", 0);
	snprintf(buf, sizeof(buf), "%.0f", d->rpo);
	html_tile(ob, "drill-rpo", "RPO of the last drill", d->rpo, "t",
	    isnan(d->rpo) ? "" : buf, "the age of the newest event restored",
	    0);
	ob_lit(ob, "</div>");
}

/* RTO and RPO drill after drill, passed and failed apart. */
static void
drill_charts(const struct run *r, struct obuf *ob)
{
	struct chart c;
	char **labels, xu[TZ_NAME_MAX + 16];
	double *v;
	size_t i, n = r->ndrills;

	labels = xcalloc(n, sizeof(*labels));
	v = xcalloc(4 * n, sizeof(*v));
	for (i = 0; i < n; i++) {
		const struct drill *d = &r->drills[i];
		char iso[ISO_SEC_LEN + 1];

		/* the date: a drill's time is in its bar's title */
		iso_time_format(iso, span_local(r, d->t));
		iso[10] = '\0';
		labels[i] = xstrdup(iso);
		v[(d->ok ? 0 : n) + i] = d->rto;
		v[2 * n + (d->ok ? 0 : n) + i] = d->rpo;
	}
	memset(&c, 0, sizeof(c));
	c.nb = n;
	c.labels = labels;
	snprintf(xu, sizeof(xu), "drill (%s)", r->zone);
	c.xunit = xu;
	c.yunit = "seconds to restore";
	c.s = &rto_series;
	c.v = v;
	ob_lit(ob, "<section class=\"panel\"><h3>Restore drills: RTO</h3>");
	chart_svg(ob, &c);
	ob_lit(ob,
	    "</section><section class=\"panel\"><h3>Restore drills: "
	    "RPO</h3>");
	c.yunit = "age of the newest event";
	c.s = &rpo_series;
	c.v = v + 2 * n;
	chart_svg(ob, &c);
	ob_lit(ob, "</section>");
	for (i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(v);
}

static void
drill_row(const struct run *r, struct obuf *ob, const struct drill *d)
{
	ob_lit(ob, "<tr><td>");
	html_time(ob, span_local(r, d->t));
	if (d->ok)
		ob_lit(ob, "</td><td>passed");
	else
		ob_lit(ob, "</td><td class=\"bad\">FAILED");
	ob_lit(ob, "</td><td class=\"n\">");
	html_num(ob, d->rto, "t");
	ob_lit(ob, "</td><td class=\"n\">");
	html_num(ob, d->rpo, "t");
	ob_lit(ob, "</td>");
	html_td_num(ob, d->events);
	html_td_num(ob, d->archives);
	ob_lit(ob, "<td>");
	if (d->failed != NULL)
		html_text(ob, d->failed, strlen(d->failed));
	ob_lit(ob, "</td></tr>");
}

static void
drill_table(const struct run *r, struct obuf *ob)
{
	size_t i;

	ob_lit(ob,
	    "<section class=\"panel\"><h3>The last restore drills</h3><div "
	    "class=\"tw\"><table id=\"drills\"><tr><th>Time (");
	html_text(ob, r->zone, strlen(r->zone));
	ob_lit(ob,
	    ")</th><th>Result</th><th class=\"n\">RTO</th><th "
	    "class=\"n\">RPO</th>"
	    "<th class=\"n\">Events</th><th class=\"n\">Archives</th>"
	    "<th>Failed checks</th></tr>");
	for (i = 0; i < TABLE && i < r->ndrills; i++)
		drill_row(r, ob, &r->drills[r->ndrills - 1 - i]);
	ob_lit(ob,
	    "</table></div><p class=\"note\">Newest first, at most "
	    "10.</p></section>");
}

void
drills(const struct run *r, struct obuf *ob)
{
	if (r->ndrills == 0) {
		ob_lit(ob,
		    "<section class=\"panel\"><h3>Restore drills</h3><p "
		    "class=\"note\" id=\"drills\">");
		if (r->statedir == NULL)
			ob_lit(ob,
			    "No drill history: give --state-dir the "
			    "STATE_DIR of logbook-drill, which keeps "
			    "it in STATE_DIR/drills.ndjson.");
		else if (!r->drillfile)
			ob_lit(ob,
			    "No drill recorded: there is no "
			    "drills.ndjson in the STATE_DIR given.");
		else
			ob_lit(ob, "No drill in the span.");
		ob_lit(ob, "</p></section>");
		return;
	}
	drill_tiles(r, ob);
	drill_charts(r, ob);
	drill_table(r, ob);
}

void
drills_free(struct run *r)
{
	size_t i;

	for (i = 0; i < r->ndrills; i++)
		free(r->drills[i].failed);
	free(r->drills);
}
