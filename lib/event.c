/* Writing and reading events (logbook-events(5)). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "diag.h"
#include "event.h"
#include "json.h"
#include "timeconv.h"

/* "20251013T061502-" and 16 hex digits: sorts by time, then by hash. */
void
event_id(char *dst, int64_t sec, uint64_t h)
{
	static const char hex[] = "0123456789abcdef";
	char iso[ISO_SEC_LEN];
	int i;

	iso_time_format(iso, sec);
	memcpy(dst, iso, 4);
	memcpy(dst + 4, iso + 5, 2);
	memcpy(dst + 6, iso + 8, 3);
	memcpy(dst + 9, iso + 11, 2);
	memcpy(dst + 11, iso + 14, 2);
	memcpy(dst + 13, iso + 17, 2);
	dst[15] = '-';
	for (i = 15; i >= 0; i--, h >>= 4)
		dst[16 + i] = hex[h & 15];
}

/*
 * The writer reserves room for a whole event once (see event_write) and
 * then writes through a plain pointer: no capacity check per field.
 */
#define PUT(o, lit) (memcpy((o), (lit), sizeof(lit) - 1), (o) + sizeof(lit) - 1)

/* A string value or null; counts bytes JSON could not carry. */
static char *
sval(char *o, const struct span *s, int *bad)
{
	if (s->p == NULL)
		return PUT(o, "null");
	return json_put(o, s->p, s->n, bad);
}

/* An integer without leading zeros (JSON has no "007"), or null. */
static char *
num(char *o, const struct span *s)
{
	const char *p = s->p;
	size_t n = s->n;

	if (p == NULL)
		return PUT(o, "null");
	while (n > 1 && p[0] == '0') {
		p++;
		n--;
	}
	memcpy(o, p, n);
	return o + n;
}

static char *
timestamp(char *o, const struct rec *r)
{
	o = PUT(o, ",\"ts\":\"");
	iso_time_format(o, r->sec);
	o += ISO_SEC_LEN - 1;
	if (r->frac.p != NULL) {
		*o++ = '.';
		memcpy(o, r->frac.p, r->frac.n);
		o += r->frac.n;
	}
	o = PUT(o, "Z\",\"tz\":\"");
	memcpy(o, r->tz.p, r->tz.n);
	o += r->tz.n;
	*o++ = '"';
	return o;
}

static char *
extras(char *o, const struct rec *r, const struct logformat *f, int *bad)
{
	size_t i, xi = 0;

	if (f->nextra == 0)
		return o;
	o = PUT(o, ",\"x\":{");
	for (i = 0; i < f->ntok; i++) {
		const struct lf_tok *t = &f->tok[i];
		if (t->f != LF_EXTRA && t->f != LF_REST)
			continue;
		if (xi > 0)
			*o++ = ',';
		o = json_put(o, t->s, t->n, bad);
		*o++ = ':';
		o = sval(o, &r->xval[xi++], bad);
	}
	*o++ = '}';
	return o;
}

static char *
strings(char *o, const struct rec *r, int *bad)
{
	o = sval(PUT(o, ",\"ip\":"), &r->ip, bad);
	o = sval(PUT(o, ",\"ident\":"), &r->ident, bad);
	o = sval(PUT(o, ",\"user\":"), &r->user, bad);
	o = sval(PUT(o, ",\"method\":"), &r->method, bad);
	o = sval(PUT(o, ",\"path\":"), &r->path, bad);
	o = sval(PUT(o, ",\"query\":"), &r->query, bad);
	o = sval(PUT(o, ",\"proto\":"), &r->proto, bad);
	o = sval(PUT(o, ",\"req\":"), &r->req, bad);
	o = num(PUT(o, ",\"status\":"), &r->status);
	o = num(PUT(o, ",\"bytes\":"), &r->bytes);
	o = sval(PUT(o, ",\"referer\":"), &r->referer, bad);
	o = sval(PUT(o, ",\"ua\":"), &r->ua, bad);
	return PUT(o, ",\"rt\":");
}

/* The request time goes through lf_rt_json, which writes to the obuf. */
static char *
rt(struct obuf *ob, char *o, const struct rec *r)
{
	if (r->rt.p == NULL)
		return PUT(o, "null");
	ob->len = (size_t)(o - ob->buf);
	lf_rt_json(ob, r->rt.p, r->rt.n, r->rtscale);
	return ob->buf + ob->len;
}

/*
 * One event line for r.  The original line (n bytes) is attached as
 * raw64 only when the fields cannot give it back: invalid UTF-8 (which
 * JSON cannot carry) or a non-canonical number.
 *
 * Room: every field value is a part of the line, so all of them take at
 * most JSON_STR_MAX(n); extra names are parts of the format's spec; the
 * keys, id, time and numbers fit in the constant.
 */
void
event_write(struct obuf *ob, const struct rec *r, const struct logformat *f,
    const struct evmeta *m, const char *line, size_t n)
{
	struct span src = { m->src, m->srclen };
	size_t fl = strlen(m->fmt);
	char *o;
	int bad = 0;

	o = ob_reserve(ob,
	    JSON_STR_MAX(n) + JSON_STR_MAX(f->speclen) + JSON_STR_MAX(fl) +
	        JSON_STR_MAX(m->srclen) + 512);
	o = PUT(o, "{\"id\":\"");
	memcpy(o, m->id, EVENT_ID_LEN);
	o = timestamp(PUT(o + EVENT_ID_LEN, "\""), r);
	o = strings(o, r, &bad);
	o = rt(ob, o, r);
	o = sval(PUT(o, ",\"host\":"), &r->host, &bad);
	o = sval(PUT(o, ",\"src\":"), &src, &bad);
	o = json_put(PUT(o, ",\"fmt\":"), m->fmt, fl, &bad);
	o = extras(o, r, f, &bad);
	if (m->cr)
		o = PUT(o, ",\"cr\":true");
	ob->len = (size_t)(o - ob->buf);
	if (bad > 0 || r->lossy) {
		ob_lit(ob, ",\"raw64\":\"");
		base64_put(ob, line, n);
		ob_putc(ob, '"');
	}
	ob_lit(ob, "}\n");
}

void
event_init(struct event *ev)
{
	memset(ev, 0, sizeof(*ev));
}

void
event_free(struct event *ev)
{
	free(ev->mem);
	memset(ev, 0, sizeof(*ev));
}

/* A string value into s: NULL for null, unescaped into mem when needed. */
static int
take_str(struct event *ev, size_t *used, const struct jval *v, struct span *s)
{
	if (v->type == J_NULL) {
		s->p = NULL;
		s->n = 0;
		return 0;
	}
	if (v->type != J_STR)
		return -1;
	if (!v->esc) {
		s->p = v->p;
		s->n = v->n;
		return 0;
	}
	s->n = json_unescape(ev->mem + *used, v->p, v->n);
	s->p = ev->mem + *used;
	*used += s->n;
	return 0;
}

/* A non-negative JSON integer, or null (-1). */
static int
take_int(const struct jval *v, int64_t max, int64_t *out)
{
	size_t i;
	int64_t x = 0;

	if (v->type == J_NULL) {
		*out = -1;
		return 0;
	}
	if (v->type != J_NUM || v->n > 18)
		return -1;
	for (i = 0; i < v->n; i++) {
		if (v->p[i] < '0' || v->p[i] > '9')
			return -1;
		x = x * 10 + (v->p[i] - '0');
	}
	if (x > max)
		return -1;
	*out = x;
	return 0;
}

static int
take_ts(struct event *ev, size_t *used, const struct jval *v)
{
	size_t fl;
	int off;

	if (take_str(ev, used, v, &ev->ts) < 0 || ev->ts.p == NULL)
		return -1;
	if (iso_time_parse(ev->ts.p, ev->ts.n, &ev->r.sec, &off, &fl) < 0 ||
	    off != 0 || ev->ts.p[ev->ts.n - 1] != 'Z')
		return -1;
	ev->r.frac.p = fl > 0 ? ev->ts.p + 20 : NULL;
	ev->r.frac.n = fl;
	return 0;
}

static int
take_tz(struct event *ev, size_t *used, const struct jval *v)
{
	if (take_str(ev, used, v, &ev->r.tz) < 0)
		return -1;
	return event_tz(ev);
}

static int
take_rt(struct event *ev, const struct jval *v)
{
	if (v->type == J_NULL) {
		ev->r.rt.p = NULL;
		return 0;
	}
	if (v->type != J_NUM || v->p[0] == '-')
		return -1;
	ev->r.rt.p = v->p;
	ev->r.rt.n = v->n;
	return 0;
}

static int
take_x(struct event *ev, size_t *used, const struct jval *v)
{
	struct jobj o;
	struct jval k, x;
	int rc;

	if (v->type == J_NULL)
		return 0;
	if (v->type != J_OBJ || json_obj_begin(&o, v->p, v->n) < 0)
		return -1;
	while ((rc = json_obj_next(&o, &k, &x)) == 1) {
		if (ev->nx == LF_MAXEXTRA)
			return -1;
		if (take_str(ev, used, &k, &ev->xname[ev->nx]) < 0 ||
		    take_str(ev, used, &x, &ev->xv[ev->nx]) < 0)
			return -1;
		ev->nx++;
	}
	return rc;
}

enum kind { K_STR, K_TS, K_TZ, K_STATUS, K_BYTES, K_RT, K_X, K_CR };

/* In the order event_write writes them. */
static const struct key {
	const char *name;
	size_t len;
	enum kind kind;
	size_t off; /* K_STR: where the span is */
} keys[] = {
	{ "id", 2, K_STR, offsetof(struct event, id) },
	{ "ts", 2, K_TS, 0 },
	{ "tz", 2, K_TZ, 0 },
	{ "ip", 2, K_STR, offsetof(struct event, r.ip) },
	{ "ident", 5, K_STR, offsetof(struct event, r.ident) },
	{ "user", 4, K_STR, offsetof(struct event, r.user) },
	{ "method", 6, K_STR, offsetof(struct event, r.method) },
	{ "path", 4, K_STR, offsetof(struct event, r.path) },
	{ "query", 5, K_STR, offsetof(struct event, r.query) },
	{ "proto", 5, K_STR, offsetof(struct event, r.proto) },
	{ "req", 3, K_STR, offsetof(struct event, r.req) },
	{ "status", 6, K_STATUS, 0 },
	{ "bytes", 5, K_BYTES, 0 },
	{ "referer", 7, K_STR, offsetof(struct event, r.referer) },
	{ "ua", 2, K_STR, offsetof(struct event, r.ua) },
	{ "rt", 2, K_RT, 0 },
	{ "host", 4, K_STR, offsetof(struct event, r.host) },
	{ "src", 3, K_STR, offsetof(struct event, src) },
	{ "fmt", 3, K_STR, offsetof(struct event, fmt) },
	{ "x", 1, K_X, 0 },
	{ "cr", 2, K_CR, 0 },
	{ "raw64", 5, K_STR, offsetof(struct event, raw64) },
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

/*
 * The known key k names, or NULL.  This runs for every member of every
 * event, and events list their members in the order above: the search
 * starts after the previous match, where the key nearly always is.
 */
static const struct key *
find_key(const struct jval *k, size_t *hint)
{
	size_t i, j, c;

	if (k->esc)
		return NULL;
	for (j = 0, i = *hint; j < NKEYS; j++, i = i + 1 < NKEYS ? i + 1 : 0) {
		if (keys[i].len != k->n)
			continue;
		for (c = 0; c < k->n && k->p[c] == keys[i].name[c]; c++)
			;
		if (c == k->n) {
			*hint = i + 1 < NKEYS ? i + 1 : 0;
			return &keys[i];
		}
	}
	return NULL;
}

static int
member(struct event *ev, size_t *used, const struct jval *k,
    const struct jval *v, unsigned *seen, size_t *hint)
{
	const struct key *key = find_key(k, hint);
	int64_t x;

	if (key == NULL)
		return 0; /* unknown keys are for newer readers */
	switch (key->kind) {
	case K_STR:
		if (key->off == offsetof(struct event, id))
			*seen |= 1;
		return take_str(
		    ev, used, v, (struct span *)((char *)ev + key->off));
	case K_TS:
		*seen |= 2;
		return take_ts(ev, used, v);
	case K_TZ:
		return take_tz(ev, used, v);
	case K_STATUS:
		if (take_int(v, 999, &x) < 0)
			return -1;
		ev->status = (int)x;
		ev->r.status.p = x < 0 ? NULL : v->p;
		ev->r.status.n = v->n;
		return 0;
	case K_BYTES:
		if (take_int(v, INT64_MAX, &ev->bytes) < 0)
			return -1;
		ev->r.bytes.p = ev->bytes < 0 ? NULL : v->p;
		ev->r.bytes.n = v->n;
		return 0;
	case K_RT:
		return take_rt(ev, v);
	case K_X:
		return take_x(ev, used, v);
	case K_CR:
		ev->cr = v->type == J_TRUE;
		return v->type == J_TRUE || v->type == J_FALSE ? 0 : -1;
	}
	return 0;
}

static const char *
badkey(const struct jval *k)
{
	static _Thread_local char msg[64];

	snprintf(msg, sizeof(msg), "bad value for \"%.*s\"",
	    (int)(k->n < 20 ? k->n : 20), k->p);
	return msg;
}

static void
reset(struct event *ev, size_t n)
{
	char *mem = ev->mem;
	size_t cap = ev->memcap;

	memset(ev, 0, offsetof(struct event, mem));
	ev->mem = mem;
	ev->memcap = cap;
	if (ev->memcap < n) {
		ev->memcap = n + 256;
		ev->mem = xrealloc(ev->mem, ev->memcap);
	}
	ev->status = -1;
	ev->bytes = -1;
	ev->r.tz.p = "+0000";
	ev->r.tz.n = 5;
}

/*
 * Read one event line.  Strings point into line or into ev's own memory,
 * valid until the next call.  -1 with *why set when it is not an event.
 */
int
event_read(struct event *ev, const char *line, size_t n, const char **why)
{
	struct jobj o;
	struct jval k, v;
	size_t used = 0, hint = 0;
	unsigned seen = 0;
	int rc;

	reset(ev, n);
	if (json_obj_begin(&o, line, n) < 0) {
		*why = o.err;
		return -1;
	}
	while ((rc = json_obj_next(&o, &k, &v)) == 1)
		if (member(ev, &used, &k, &v, &seen, &hint) < 0) {
			*why = badkey(&k);
			return -1;
		}
	if (rc < 0 || json_obj_end(&o) < 0) {
		*why = o.err;
		return -1;
	}
	if (seen != 3 || ev->id.n == 0) {
		*why = seen & 2 ? "no id" : "no ts";
		return -1;
	}
	return 0;
}
