/*
 * Hourly rows into the report's series.  Counts are summed exactly;
 * the clients and durations of partial rows (their HyperLogLog and
 * quantile sketches, lib/hll.h and lib/qsketch.h) are merged per day.
 * Final rows carry only their own uniq_ips and percentiles, which do
 * not add up across rows: their days have no client count.
 */
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "archfmt.h"
#include "diag.h"
#include "json.h"
#include "nsec.h"
#include "report.h"
#include "timeconv.h"

struct prow {
	int64_t t;
	int daily, partial;
	uint64_t req, bytes, cls[5];
	struct jval method, path, ips, rt, src;
	int seen;
};

static int
get_u64(const struct jval *v, uint64_t *out)
{
	if (v->type != J_NUM)
		return -1;
	return arch_u64(v->p, v->n, out);
}

/*
 * "2025-10-13T06:00:00Z", or an hour of logbook-aggregate --tz with its
 * offset ("2025-10-13T02:00:00-04:00", on a quarter hour of UTC); or a
 * day, "2025-10-13".
 */
static int
get_bucket(struct prow *p, const struct jval *v, int daily)
{
	char buf[ISO_SEC_LEN + 6];
	size_t fl;
	int off;

	if (v->type != J_STR || v->esc ||
	    (daily ? v->n != 10 : v->n != 20 && v->n != 25))
		return -1;
	memcpy(buf, v->p, v->n);
	if (daily)
		memcpy(buf + 10, "T00:00:00Z", 10);
	if (iso_time_parse(buf, daily ? ISO_SEC_LEN : v->n, &p->t, &off, &fl) <
	        0 ||
	    (v->n == 20 && off != 0) ||
	    p->t %
	            (daily               ? AGG_DAY
	                    : v->n == 25 ? 900
	                                 : AGG_HOUR) !=
	        0)
		return -1;
	p->daily = daily;
	p->seen |= 1;
	return 0;
}

static int
member(struct prow *p, const struct jval *k, const struct jval *v)
{
	/* s1xx to s5xx, told apart without a compare each */
	if (!k->esc && k->n == 4 && k->p[0] == 's' && k->p[1] >= '1' &&
	    k->p[1] <= '5' && k->p[2] == 'x' && k->p[3] == 'x')
		return get_u64(v, &p->cls[k->p[1] - '1']);
	if (json_keyeq(k, "hour"))
		return get_bucket(p, v, 0);
	if (json_keyeq(k, "day"))
		return get_bucket(p, v, 1);
	if (json_keyeq(k, "requests")) {
		p->seen |= 2;
		return get_u64(v, &p->req);
	}
	if (json_keyeq(k, "bytes"))
		return get_u64(v, &p->bytes);
	if (json_keyeq(k, "method"))
		p->method = *v;
	else if (json_keyeq(k, "path"))
		p->path = *v;
	else if (json_keyeq(k, "partial"))
		p->partial = 1;
	else if (json_keyeq(k, "ips"))
		p->ips = *v;
	else if (json_keyeq(k, "rt"))
		p->rt = *v;
	else if (json_keyeq(k, "src"))
		p->src = *v;
	return 0;
}

static struct bin *
bin_at(struct run *r, int64_t t)
{
	size_t *v = imap_get(&r->binmap, t);

	if (*v == SIZE_MAX) {
		if (r->nbins == r->capbins) {
			r->capbins = r->capbins ? r->capbins * 2 : 256;
			r->bins = xreallocarray(
			    r->bins, r->capbins, sizeof(*r->bins));
		}
		memset(&r->bins[r->nbins], 0, sizeof(*r->bins));
		r->bins[r->nbins].t = t;
		*v = r->nbins++;
	}
	return &r->bins[*v];
}

struct day *
rows_day(struct run *r, int64_t t)
{
	size_t *v = imap_get(&r->daymap, t);

	if (*v == SIZE_MAX) {
		if (r->ndays == r->capdays) {
			r->capdays = r->capdays ? r->capdays * 2 : 64;
			r->days = xreallocarray(
			    r->days, r->capdays, sizeof(*r->days));
		}
		memset(&r->days[r->ndays], 0, sizeof(*r->days));
		r->days[r->ndays].t = t;
		*v = r->ndays++;
	}
	return &r->days[*v];
}

static int
add_sum(uint64_t *x, uint64_t y)
{
	if (y > UINT64_MAX - *x)
		return -1;
	*x += y;
	return 0;
}

static uint64_t
strhash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	while (n-- > 0)
		h = (h ^ (unsigned char)*p++) * 1099511628211ull;
	return h;
}

static void
path_grow(struct run *r)
{
	size_t i, j, n = r->npslot ? r->npslot * 2 : 1024;

	free(r->pslot);
	r->pslot = xcalloc(n, sizeof(*r->pslot));
	r->npslot = n;
	for (i = 0; i < r->npaths; i++) {
		j = (size_t)strhash(r->paths[i].key, r->paths[i].n) & (n - 1);
		while (r->pslot[j] != 0)
			j = (j + 1) & (n - 1);
		r->pslot[j] = i + 1;
	}
}

/* The path entry of "METHOD path", made when new. */
static struct path *
path_at(struct run *r, const char *key, size_t n)
{
	struct path *e;
	size_t j;

	if ((r->npaths + 1) * 2 > r->npslot)
		path_grow(r);
	j = (size_t)strhash(key, n) & (r->npslot - 1);
	for (; r->pslot[j] != 0; j = (j + 1) & (r->npslot - 1)) {
		e = &r->paths[r->pslot[j] - 1];
		if (e->n == n && memcmp(e->key, key, n) == 0)
			return e;
	}
	if (r->npaths == r->cappaths) {
		r->cappaths = r->cappaths ? r->cappaths * 2 : 256;
		r->paths = xreallocarray(r->paths, r->cappaths, sizeof(*e));
	}
	e = &r->paths[r->npaths];
	memset(e, 0, sizeof(*e));
	e->key = xmalloc(n + 1);
	memcpy(e->key, key, n);
	e->key[n] = '\0';
	e->n = n;
	r->pslot[j] = ++r->npaths;
	return e;
}

static void
add_path(struct run *r, const struct prow *p)
{
	const struct jval *m = &p->method, *q = &p->path;
	struct path *e;
	size_t n;
	char *k;

	if (q->type != J_STR)
		return; /* rows not keyed by path, or a null path */
	k = xmalloc((m->type == J_STR ? m->n : 1) + q->n + 2);
	n = m->type == J_STR ? json_unescape(k, m->p, m->n) : 0;
	if (n == 0)
		k[n++] = '-';
	k[n++] = ' ';
	n += json_unescape(k + n, q->p, q->n);
	e = path_at(r, k, n);
	free(k);
	e->req += p->req;
	e->s4xx += p->cls[3];
	e->s5xx += p->cls[4];
}

static int
add_sketches(struct run *r, const struct prow *p, const char **why)
{
	struct day *d = rows_day(r, p->t - p->t % AGG_DAY);
	struct hll h;
	struct qsketch q;
	int rc = 0;

	if (d->fromevents)
		return 0;
	memset(&h, 0, sizeof(h));
	memset(&q, 0, sizeof(q));
	if (p->ips.type != J_STR || p->rt.type != J_STR ||
	    hll_get(&h, p->ips.p, p->ips.n) < 0 ||
	    qs_get(&q, p->rt.p, p->rt.n) < 0) {
		*why = "bad \"ips\" or \"rt\" in a partial row";
		rc = -1;
	} else {
		hll_merge(&d->ips, &h);
		qs_merge(&d->rt, &q);
		d->hasips = 1;
	}
	hll_free(&h);
	qs_free(&q);
	return rc;
}

static int
in_span(const struct run *r, int64_t t)
{
	return (r->from == NOTIME || t >= r->from) &&
	    (r->to == NOTIME || t < r->to);
}

/* One row (a line of logbook-aggregate output, final or partial). */
int
rows_add(struct run *r, const char *line, size_t n, const char **why)
{
	struct prow p;
	struct jobj o;
	struct jval k, v;
	struct bin *b;
	size_t i;
	int rc;

	memset(&p, 0, sizeof(p));
	*why = "not a row of logbook-aggregate";
	rc = json_obj_begin(&o, line, n);
	while (rc == 0 && (rc = json_obj_next(&o, &k, &v)) == 1)
		rc = member(&p, &k, &v);
	if (rc == 0)
		rc = json_obj_end(&o);
	if (rc < 0 && o.err != NULL)
		*why = o.err;
	if (rc < 0 || (p.seen & 3) != 3)
		return -1;
	/* Daily rows keep their dates: they are the days they were cut by. */
	if (!p.daily)
		p.t = span_local(r, p.t);
	if (!in_span(r, p.t))
		return 0;
	if (p.partial && add_sketches(r, &p, why) < 0)
		return -1;
	b = bin_at(r, p.t);
	r->daily_rows |= p.daily;
	rc = add_sum(&b->req, p.req) | add_sum(&b->bytes, p.bytes);
	for (i = 0; i < 5; i++)
		rc |= add_sum(&b->cls[i], p.cls[i]);
	if (rc != 0) {
		*why = "counts too large";
		return -1;
	}
	add_path(r, &p);
	if (p.src.type != J_NONE) {
		struct srcadd a = { p.t, p.req, p.bytes, p.cls[3], p.cls[4] };

		sources_row(r, &p.src, p.partial ? &p.ips : NULL, &a);
	}
	return 0;
}

/*
 * The clients and durations of a daily archive's events, once it passed
 * its checks: they stand for its day, in place of any partial rows'.
 */
void
rows_day_events(
    struct run *r, int64_t day, const struct hll *ips, const struct qsketch *rt)
{
	struct day *d = rows_day(r, day);

	if (!d->fromevents) {
		hll_free(&d->ips);
		qs_free(&d->rt);
		memset(&d->ips, 0, sizeof(d->ips));
		memset(&d->rt, 0, sizeof(d->rt));
		d->fromevents = d->hasips = 1;
	}
	hll_merge(&d->ips, ips);
	qs_merge(&d->rt, rt);
}

void
rows_free(struct run *r)
{
	size_t i;

	for (i = 0; i < r->ndays; i++) {
		hll_free(&r->days[i].ips);
		qs_free(&r->days[i].rt);
	}
	for (i = 0; i < r->npaths; i++)
		free(r->paths[i].key);
	for (i = 0; i < r->narch; i++)
		free(r->arch[i].path);
	drills_free(r);
	top_free(r);
	sources_free(r);
	free(r->arch);
	free(r->covered);
	free(r->days);
	free(r->bins);
	free(r->paths);
	free(r->pslot);
	imap_free(&r->binmap);
	imap_free(&r->daymap);
}
