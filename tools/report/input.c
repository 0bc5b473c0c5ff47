/*
 * The inputs: files of hourly rows (or standard input), or a folder of
 * archives of logbook-archive, every one of them verified as it is read
 * (lib/verify.h, lib/monthly.h).  Daily archives give their hourly rows
 * and, from their events, the clients and durations of each day; the
 * monthly archives give the rows of the days no daily archive holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "diag.h"
#include "json.h"
#include "lineread.h"
#include "monthly.h"
#include "nsec.h"
#include "report.h"
#include "timeconv.h"
#include "verify.h"
#include "walk.h"

#define SHOW_BAD 10

static void
bad(struct run *r, const char *why)
{
	r->badlines++;
	if (r->nbad++ < SHOW_BAD)
		lb_warnx("%s:%llu: %s", lb_escs(r->name),
		    (unsigned long long)r->lineno,
		    json_line_why(why, r->lineno));
}

void
input_file(struct run *r, const char *path)
{
	struct lreader lr;
	struct line l;
	const char *why;
	int rc;

	r->name = path;
	r->nbad = 0;
	if (lr_open(&lr, path) < 0) {
		lb_warn("%s", lb_escs(path));
		r->failed = 1;
		return;
	}
	while ((rc = lr_next(&lr, &l)) > 0) {
		r->lineno = lr.lineno + (l.more ? 1 : 0);
		if (l.cont)
			continue;
		if (l.more)
			bad(r, "line longer than 4194304 bytes");
		else if (!lr_blank(&l) && rows_add(r, l.p, l.n, &why) < 0)
			bad(r, why);
	}
	if (rc < 0) {
		lr_warn(&lr);
		r->failed = 1;
	}
	if (r->nbad > SHOW_BAD)
		lb_warnx("%s: %llu of %llu lines bad", lb_escs(path),
		    (unsigned long long)r->nbad, (unsigned long long)lr.lineno);
	lr_close(&lr);
}

static int
on_event(void *arg, const char *line, size_t n, const struct event *ev)
{
	struct run *r = arg;
	struct pending *p = &r->pend;
	int64_t rt = -1, d = 1;

	r->cur->raw += n + 1;
	(void)line;
	if (r->tz != NULL) {
		d = span_local(r, ev->r.sec);
		d = (d - (d % 86400 + 86400) % 86400 - r->cur->t) / 86400 + 1;
		d = d < 0 ? 0 : d > 2 ? 2 : d;
	}
	p->nev[d]++;
	if (p->topip == NULL) {
		p->topip = xcalloc(1, sizeof(*p->topip));
		p->top404 = xcalloc(1, sizeof(*p->top404));
	}
	top_event(r, p->topip, p->top404, ev->r.sec, &ev->r.ip, &ev->r.method,
	    &ev->r.path, ev->status == 404);
	if (ev->r.ip.p != NULL)
		hll_add(&p->ips[d], agg_ip_hash(&ev->r.ip));
	if (ev->r.rt.p != NULL && nsec_parse(ev->r.rt.p, ev->r.rt.n, &rt) == 0)
		qs_add(&p->rt[d], rt);
	sources_hit(r, &r->srcpend, &ev->src, &ev->r.ip,
	    span_local(r, ev->r.sec), ev->status, ev->bytes);
	return 0;
}

static int
covered(const struct run *r, int64_t day)
{
	size_t lo = 0, hi = r->ncovered, m;

	while (lo < hi) {
		m = lo + (hi - lo) / 2;
		if (r->covered[m] == day)
			return 1;
		if (r->covered[m] < day)
			lo = m + 1;
		else
			hi = m;
	}
	return 0;
}

static int
on_row(void *arg, const char *line, size_t n)
{
	struct run *r = arg;
	struct pending *p = &r->pend;
	int64_t t;
	int off;
	size_t fl;

	r->cur->raw += n + 1;
	r->cur->rows++;
	/* Monthly rows start {"hour":"YYYY-MM-DDTHH:00:00Z" (lib/monthly.h). */
	if (r->cur->monthly && n > 30 &&
	    iso_time_parse(line + 9, ISO_SEC_LEN, &t, &off, &fl) == 0 &&
	    covered(r, t - t % 86400))
		return 0;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->line = xreallocarray(p->line, p->cap, sizeof(*p->line));
		p->len = xreallocarray(p->len, p->cap, sizeof(*p->len));
	}
	p->line[p->n] = xmalloc(n + 1);
	memcpy(p->line[p->n], line, n);
	p->len[p->n++] = n;
	return 0;
}

/* Its clients and 404 paths, into the page's, or dropped. */
static void
settle_top(struct run *r, const struct arch *a)
{
	struct pending *p = &r->pend;

	if (p->topip == NULL)
		return;
	if (a->ok && !a->monthly) {
		if (r->topip == NULL) {
			r->topip = xcalloc(1, sizeof(*r->topip));
			r->top404 = xcalloc(1, sizeof(*r->top404));
		}
		hh_merge(r->topip, p->topip);
		hh_merge(r->top404, p->top404);
		r->topdays++;
	} else {
		hh_free(p->topip);
		hh_free(p->top404);
	}
	free(p->topip);
	free(p->top404);
}

/* What an archive gave, added once it passed all its checks, or dropped. */
static void
settle(struct run *r, struct arch *a)
{
	struct pending *p = &r->pend;
	const char *why;
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (a->ok && rows_add(r, p->line[i], p->len[i], &why) < 0) {
			lb_warnx("%s: %s", lb_escs(a->path), why);
			r->failed = 1;
		}
		free(p->line[i]);
	}
	for (i = 0; i < 3; i++) {
		if (a->ok && !a->monthly && (i == 1 || p->nev[i] > 0))
			rows_day_events(r, a->t + ((int64_t)i - 1) * 86400,
			    &p->ips[i], &p->rt[i]);
		hll_free(&p->ips[i]);
		qs_free(&p->rt[i]);
	}
	settle_top(r, a);
	sources_settle(r, a->ok);
	free(p->line);
	free(p->len);
	memset(p, 0, sizeof(*p));
}

/*
 * The archives under dir, as logbook-verify(1) finds them, but what
 * cannot be examined is passed over: daily archives first, by date; then
 * the monthly ones.
 */
static const struct walk_policy found = { WALK_DAILY | WALK_MONTHLY,
	WALK_ALLLINKS, 0, 16, 0, WALK_BYDATE };

static void
list_archives(struct run *r, const char *dir)
{
	struct walk_list l = { NULL, 0, 0 };
	struct arch *a;
	size_t i;

	if (walk_dir(dir, &found, &l) > 0)
		r->failed = 1;
	if (l.n > 0) {
		r->caparch = r->narch + l.n;
		r->arch = xreallocarray(r->arch, r->caparch, sizeof(*a));
	}
	for (i = 0; i < l.n; i++) {
		a = &r->arch[r->narch++];
		memset(a, 0, sizeof(*a));
		a->path = l.v[i].path;
		a->t = l.v[i].day * 86400;
		a->monthly = l.v[i].monthly;
		a->size = l.v[i].size;
	}
	free(l.v);
}

static int
in_span(const struct run *r, const struct arch *a)
{
	int64_t end = a->t + 86400;

	if (a->monthly) {
		int64_t y;
		unsigned m, dd;

		civil_from_days(a->t / 86400, &y, &m, &dd);
		end = a->t + (int64_t)days_in_month(y, m) * 86400;
	}
	/* An archive's UTC date holds times of three days of another clock. */
	if (r->tz != NULL)
		return (r->from == NOTIME || end + 86400 > r->from) &&
		    (r->to == NOTIME || a->t - 86400 < r->to);
	return (r->from == NOTIME || end > r->from) &&
	    (r->to == NOTIME || a->t < r->to);
}

static void
read_arch(struct run *r, struct arch *a)
{
	struct verify_opts o = { 2, NULL, on_event, on_row, r };
	struct verify_result res;

	r->cur = a;
	if (a->monthly)
		(void)monthly_verify(a->path, 2, on_row, r, &res);
	else
		(void)verify_archive(a->path, &o, &res);
	a->read = 1;
	a->ok = res.check == NULL;
	if (res.have_manifest)
		a->events = res.manifest.events;
	if (!a->ok) {
		char *p = xstrdup(lb_escs(a->path));

		/* lb_esc's buffer is static: one call per message. */
		lb_warnx("%s: %s: %s", p, res.check, lb_escs(res.detail));
		free(p);
		r->failed = 1;
	} else if (!a->monthly) {
		r->covered = xreallocarray(
		    r->covered, r->ncovered + 1, sizeof(*r->covered));
		r->covered[r->ncovered++] = a->t;
	}
	settle(r, a);
	verify_free(&res);
	r->cur = NULL;
}

void
input_dir(struct run *r, const char *dir)
{
	size_t i;

	r->archdir = dir;
	list_archives(r, dir);
	for (i = 0; i < r->narch; i++)
		if (in_span(r, &r->arch[i]))
			read_arch(r, &r->arch[i]);
}
