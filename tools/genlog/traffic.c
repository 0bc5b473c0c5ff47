/*
 * The traffic: lines spread over the window by a daily curve, each one a
 * request drawn from the world and written in the chosen format.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "genlog.h"

#define SLOT 3600

/* Requests per UTC hour of day, per mille of the peak, on a weekday. */
static const uint16_t curve[24] = { 280, 220, 180, 160, 160, 190, 300, 460, 670,
	810, 900, 960, 1000, 1000, 970, 930, 890, 850, 820, 790, 750, 650, 520,
	380 };

static const char *const mnames[NMETHOD] = { "GET", "POST", "HEAD", "OPTIONS",
	"PUT", "DELETE" };
static const uint16_t mweight[NMETHOD] = { 885, 55, 30, 15, 10, 5 };

struct stab {
	uint16_t n;
	uint16_t code[11];
	uint16_t w[11];
};

static const struct stab statuses[NMETHOD] = {
	{ 11, { 200, 304, 301, 302, 404, 206, 403, 400, 500, 502, 503 },
	    { 846, 75, 15, 14, 30, 5, 4, 3, 5, 1, 2 } },
	{ 9, { 200, 201, 302, 400, 401, 403, 422, 500, 503 },
	    { 550, 150, 120, 60, 40, 20, 30, 25, 5 } },
	{ 5, { 200, 304, 301, 404, 500 }, { 800, 100, 20, 75, 5 } },
	{ 3, { 204, 200, 405 }, { 700, 280, 20 } },
	{ 6, { 200, 204, 400, 404, 409, 500 }, { 700, 150, 50, 40, 40, 20 } },
	{ 5, { 204, 200, 404, 403, 500 }, { 600, 200, 150, 30, 20 } },
};

/* The CLF timestamp of second t, formatted once per second. */
const char *
stamp(struct gen *g, int64_t t)
{
	if (t != g->tssec) {
		clf_time_format(g->tsbuf, t, g->o->off, g->o->tz);
		g->tssec = t;
	}
	return g->tsbuf;
}

char *
put(char *p, const struct gstr *s)
{
	memcpy(p, s->p, s->n);
	return p + s->n;
}

/* %v:%p of vhost_combined: static files and the API have hosts. */
char *
put_vhost(char *p, const struct req *q)
{
	const char *host = "www.example.com:";
	size_t n;

	if (q->tg != NULL && q->tg->kind == K_STATIC)
		host = "static.example.com:";
	else if (q->tg != NULL && q->tg->kind == K_API)
		host = "api.example.com:";
	n = strlen(host);
	memcpy(p, host, n);
	p += n;
	n = q->c->plain ? 3 : 4;
	memcpy(p, q->c->plain ? "80 " : "443 ", n);
	return p + n;
}

static int
status(struct gen *g, const struct req *q)
{
	const struct stab *s = &statuses[q->m];
	uint32_t v;
	int code;

	if (q->tg->kind == K_PROBE) {
		v = rng_below(&g->traffic, 100);
		return v < 93 ? 404 : v < 98 ? 403 : 400;
	}
	code = s->code[pick(&g->traffic, s->w, s->n)];
	return code == 206 && q->tg->kind != K_STATIC ? 200 : code;
}

/* Body bytes, %b style: -1 when nothing was sent. */
static int64_t
body(struct gen *g, const struct req *q)
{
	static const int64_t err5xx[] = { 531, 157, 299 };
	const struct target *t = q->tg;
	int64_t permille;

	if (q->status == 304 || q->status == 204 || q->m == M_HEAD)
		return -1;
	if (q->status == 200 || q->status == 201) {
		if (t->size == 0)
			return -1;
		if (t->kind == K_STATIC)
			return t->size;
		permille = 900 + rng_below(&g->traffic, 201);
		return 1 + (int64_t)t->size * permille / 1000;
	}
	if (q->status == 206) {
		permille = rng_below(&g->traffic, 500);
		return 1 + (int64_t)t->size * permille / 1000;
	}
	if (q->status == 301 || q->status == 302)
		return 150 + (int64_t)(t->s.n & 63);
	if (q->status == 404)
		return t->kind == K_API ? 53 : 9265;
	if (q->status >= 500)
		return err5xx[q->status % 3];
	return 120 + (q->status & 0xff);
}

/* Bots send none; static files are fetched from our own pages. */
static const struct gstr *
referer(struct gen *g, const struct req *q)
{
	const struct world *w = &g->w;
	uint32_t v;

	if (q->c->bot)
		return NULL;
	v = rng_below(&g->traffic, 100);
	if (q->tg->kind == K_STATIC || v < 45)
		return v < 85 ? &w->refin[cdf_draw(&w->refincdf, &g->traffic)]
		              : NULL;
	if (v < 72)
		return NULL;
	return &w->refex[cdf_draw(&w->refexcdf, &g->traffic)];
}

/* Writes go to writable targets, OPTIONS to the API, as on a real site. */
static void
choose(struct gen *g, struct req *q, int64_t t)
{
	const struct world *w = &g->w;
	struct rng *r = &g->traffic;
	size_t ti;

	q->t = t;
	if (rng_below(r, 1000) < 3) {
		q->t -= 1 + rng_below(r, 8);
		if (q->t < g->o->t0)
			q->t = g->o->t0;
	}
	q->c = &w->cl[cdf_draw(&w->clcdf, r)];
	q->m = (enum method)pick(r, mweight, NMETHOD);
	ti = cdf_draw(&w->tgcdf, r);
	if (q->c->bot && q->m != M_GET && q->m != M_HEAD && q->m != M_OPTIONS &&
	    rng_below(r, 10) < 9)
		q->m = M_GET;
	if ((q->m == M_POST || q->m == M_PUT || q->m == M_DELETE) &&
	    !w->tg[ti].writable)
		ti = w->wr[cdf_draw(&w->wrcdf, r)];
	else if (q->m == M_OPTIONS && w->tg[ti].kind != K_API)
		ti = w->api[cdf_draw(&w->apicdf, r)];
	q->tg = &w->tg[ti];
	q->status = status(g, q);
	q->bytes = body(g, q);
	q->ref = referer(g, q);
}

/* nginx $request_time in ms: log-normal around the target's median. */
static uint64_t
rt_ms(struct gen *g, const struct req *q)
{
	int fast = q->status == 304 || q->tg->kind == K_STATIC ||
	    q->tg->kind == K_PROBE;
	double rt, z = rng_normal(&g->rt);

	rt = q->tg->rt_us / 1e6 * det_exp((fast ? 0.6 : 0.8) * z);
	if (!fast && rng_unit(&g->rt) < 0.004)
		rt += 1 + 25 * rng_unit(&g->rt);
	return (uint64_t)(rt * 1000 + 0.5);
}

static char *
put_u64(char *p, uint64_t v)
{
	char tmp[24], *s = tmp + sizeof(tmp);
	size_t n;

	do {
		*--s = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	n = (size_t)(tmp + sizeof(tmp) - s);
	memcpy(p, s, n);
	return p + n;
}

static char *
put_rt(char *p, uint64_t ms)
{
	p = put_u64(p, ms / 1000);
	*p++ = '.';
	*p++ = (char)('0' + ms / 100 % 10);
	*p++ = (char)('0' + ms / 10 % 10);
	*p++ = (char)('0' + ms % 10);
	return p;
}

static char *
put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/*
 * The line is built in room reserved in the output buffer, not with the
 * ob_ writers: those may flush mid-line, and --bad-rate must still be
 * able to rewrite the whole line once it is complete.
 */
static size_t
write_line(struct gen *g, char *p, const struct req *q)
{
	enum fmt f = g->o->fmt;
	char *s = f == F_VHOST ? put_vhost(p, q) : p;

	s = put(s, &q->c->pre);
	*s++ = '[';
	memcpy(s, stamp(g, q->t), CLF_TIME_LEN);
	s += CLF_TIME_LEN;
	s = put_str(s, "] \"");
	s = put_str(s, mnames[q->m]);
	*s++ = ' ';
	s = put(s, &q->tg->s);
	*s++ = ' ';
	s = put_str(s, q->c->proto);
	s = put_str(s, "\" ");
	s = put_u64(s, (uint64_t)q->status);
	*s++ = ' ';
	if (q->bytes >= 0)
		s = put_u64(s, (uint64_t)q->bytes);
	else
		*s++ = f == F_NGINX ? '0' : '-';
	if (f != F_COMMON) {
		s = put_str(s, " \"");
		s = q->ref != NULL ? put(s, q->ref) : put_str(s, "-");
		s = put_str(s, "\" \"");
		s = put(s, q->c->ua);
		*s++ = '"';
	}
	if (f == F_NGINX) {
		*s++ = ' ';
		s = put_rt(s, rt_ms(g, q));
	}
	return (size_t)(s - p);
}

static void
emit(struct gen *g, const struct req *q)
{
	char *p = ob_reserve(&g->ob, LINE_MAX_);
	size_t n = write_line(g, p, q);

	if (g->o->bad_rate > 0 && rng_unit(&g->bad) < g->o->bad_rate) {
		bad_emit(g, p, n, q);
		return;
	}
	p[n] = '\n';
	g->ob.len += n + 1;
	ob_drain(&g->ob);
}

/* k requests in the hour from start, in time order. */
static void
slot(struct gen *g, int64_t start, uint64_t k, uint32_t *hist)
{
	struct req q;
	uint32_t s, c;
	uint64_t i;

	memset(hist, 0, SLOT * sizeof(*hist));
	for (i = 0; i < k; i++)
		hist[rng_below(&g->traffic, SLOT)]++;
	for (s = 0; s < SLOT && g->ob.err == 0; s++) {
		for (c = 0; c < hist[s]; c++) {
			choose(g, &q, start + s);
			emit(g, &q);
		}
	}
}

/* Weight of the hour around mid: the curve, less at weekends. */
static uint32_t
slot_weight(int64_t mid)
{
	int64_t day = mid / 86400;
	int dow = (int)((day + 3) % 7); /* 1970-01-01 was a Thursday */

	return curve[mid % 86400 / 3600] * (dow >= 5 ? 4u : 5u);
}

/* floor(n * c / t) without overflow, for c <= t < 2^32. */
static uint64_t
share(uint64_t n, uint64_t c, uint64_t t)
{
	return n / t * c + n % t * c / t;
}

void
traffic_run(struct gen *g)
{
	const struct opts *o = g->o;
	size_t i, nslot = (size_t)o->days * 24;
	uint32_t *w = xreallocarray(NULL, nslot, sizeof(*w));
	uint32_t *hist = xreallocarray(NULL, SLOT, sizeof(*hist));
	uint64_t tot = 0, cum = 0, done = 0, upto;

	g->tssec = INT64_MIN;
	for (i = 0; i < nslot; i++) {
		w[i] = slot_weight(o->t0 + (int64_t)i * SLOT + SLOT / 2);
		tot += w[i];
	}
	for (i = 0; i < nslot && g->ob.err == 0; i++) {
		cum += w[i];
		upto = share(o->lines, cum, tot);
		if (upto > done)
			slot(g, o->t0 + (int64_t)i * SLOT, upto - done, hist);
		done = upto;
	}
	free(hist);
	free(w);
}
