/*
 * A fast path in front of event_read, for the aggregator: most of the
 * time of reading an event goes to finding its keys, and logbook-ingest
 * writes them in one order, without white space.  A line in exactly
 * that shape, whose strings have no escapes and whose numbers are plain,
 * is read here with fixed key tests; any other line, good or bad, goes to
 * event_read, which stays the reference.  The event and the verdict are
 * the same either way (tests/unit/aggregate_evfast.c compares them).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "event.h"
#include "evfast.h"
#include "jscan.h"
#include "timeconv.h"

struct cur {
	const char *p, *end;
};

/* The literal s (n bytes) next; advance past it. */
static int
lit(struct cur *c, const char *s, size_t n)
{
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return -1;
	c->p += n;
	return 0;
}

#define LIT(c, s) lit((c), (s), sizeof(s) - 1)

/* A string without escapes, or null (p NULL). */
static int
str(struct cur *c, struct span *s)
{
	const char *q;

	if (c->p < c->end && *c->p == 'n') {
		s->p = NULL;
		s->n = 0;
		return LIT(c, "null");
	}
	if (c->p >= c->end || *c->p != '"')
		return -1;
	q = json_special(c->p + 1, c->end);
	if (q >= c->end || *q != '"')
		return -1;
	s->p = c->p + 1;
	s->n = (size_t)(q - s->p);
	c->p = q + 1;
	return 0;
}

/* Digits as JSON allows them (no leading zero); their count. */
static size_t
digits(struct cur *c)
{
	const char *s = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	if (c->p - s > 1 && *s == '0')
		return 0;
	return (size_t)(c->p - s);
}

/* A plain non-negative integer up to max, or null (-1), as take_int. */
static int
num(struct cur *c, int64_t max, int64_t *out, struct span *text)
{
	const char *s = c->p;
	size_t i, n;
	int64_t x = 0;

	if (s < c->end && *s == 'n') {
		*out = -1;
		text->p = NULL;
		text->n = 4; /* as event_read leaves it */
		return LIT(c, "null");
	}
	if ((n = digits(c)) == 0 || n > 18)
		return -1;
	for (i = 0; i < n; i++)
		x = x * 10 + (s[i] - '0');
	if (x > max)
		return -1;
	*out = x;
	text->p = s;
	text->n = n;
	return 0;
}

/* rt: digits, maybe a fraction; or null.  Exponents go the slow way. */
static int
seconds(struct cur *c, struct span *rt)
{
	const char *s = c->p;

	if (s < c->end && *s == 'n') {
		rt->p = NULL;
		return LIT(c, "null");
	}
	if (digits(c) == 0)
		return -1;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (c->p >= c->end || *c->p < '0' || *c->p > '9')
			return -1;
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
			c->p++;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E'))
		return -1;
	rt->p = s;
	rt->n = (size_t)(c->p - s);
	return 0;
}

/*
 * "YYYY-MM-DDTHH:MM:SS[.fff]Z" as iso_time_parse and event_read take it,
 * with the calendar work done once a minute: a timestamp that starts
 * like the last good one needs only its seconds and fraction checked.
 */
static int
utc(const char *p, size_t n, int64_t *sec, size_t *fl)
{
	static _Thread_local char last[17];
	static _Thread_local int64_t minute = INT64_MIN;
	unsigned ss;
	int off;

	if (n >= 20 && minute != INT64_MIN && memcmp(p, last, 17) == 0 &&
	    p[17] >= '0' && p[17] <= '5' && p[18] >= '0' && p[18] <= '9') {
		ss = (unsigned)(p[17] - '0') * 10 + (unsigned)(p[18] - '0');
		for (*fl = 0;
		     20 + *fl < n && p[20 + *fl] >= '0' && p[20 + *fl] <= '9';
		     (*fl)++)
			;
		if ((p[19] == 'Z' && n == 20) ||
		    (p[19] == '.' && *fl >= 1 && *fl <= 9 && n == 21 + *fl &&
		        p[n - 1] == 'Z')) {
			*sec = minute + ss;
			return 0;
		}
	}
	if (iso_time_parse(p, n, sec, &off, fl) < 0 || off != 0 ||
	    p[n - 1] != 'Z')
		return -1;
	memcpy(last, p, 17);
	minute = *sec - ((p[17] - '0') * 10 + (p[18] - '0'));
	return 0;
}

static int
times(struct cur *c, struct event *ev)
{
	size_t fl;

	if (LIT(c, "{\"id\":") < 0 || str(c, &ev->id) < 0 || ev->id.p == NULL ||
	    ev->id.n == 0 || LIT(c, ",\"ts\":") < 0 || str(c, &ev->ts) < 0 ||
	    ev->ts.p == NULL || utc(ev->ts.p, ev->ts.n, &ev->r.sec, &fl) < 0)
		return -1;
	ev->r.frac.p = fl > 0 ? ev->ts.p + 20 : NULL;
	ev->r.frac.n = fl;
	if (LIT(c, ",\"tz\":") < 0 || str(c, &ev->r.tz) < 0)
		return -1;
	return event_tz(ev);
}

static int
request(struct cur *c, struct event *ev)
{
	int64_t x;

	if (LIT(c, ",\"ip\":") < 0 || str(c, &ev->r.ip) < 0 ||
	    LIT(c, ",\"ident\":") < 0 || str(c, &ev->r.ident) < 0 ||
	    LIT(c, ",\"user\":") < 0 || str(c, &ev->r.user) < 0 ||
	    LIT(c, ",\"method\":") < 0 || str(c, &ev->r.method) < 0 ||
	    LIT(c, ",\"path\":") < 0 || str(c, &ev->r.path) < 0 ||
	    LIT(c, ",\"query\":") < 0 || str(c, &ev->r.query) < 0 ||
	    LIT(c, ",\"proto\":") < 0 || str(c, &ev->r.proto) < 0 ||
	    LIT(c, ",\"req\":") < 0 || str(c, &ev->r.req) < 0 ||
	    LIT(c, ",\"status\":") < 0 || num(c, 999, &x, &ev->r.status) < 0)
		return -1;
	ev->status = (int)x;
	return 0;
}

static int
response(struct cur *c, struct event *ev)
{
	return LIT(c, ",\"bytes\":") < 0 ||
	        num(c, INT64_MAX, &ev->bytes, &ev->r.bytes) < 0 ||
	        LIT(c, ",\"referer\":") < 0 || str(c, &ev->r.referer) < 0 ||
	        LIT(c, ",\"ua\":") < 0 || str(c, &ev->r.ua) < 0 ||
	        LIT(c, ",\"rt\":") < 0 || seconds(c, &ev->r.rt) < 0 ||
	        LIT(c, ",\"host\":") < 0 || str(c, &ev->r.host) < 0 ||
	        LIT(c, ",\"src\":") < 0 || str(c, &ev->src) < 0 ||
	        LIT(c, ",\"fmt\":") < 0 || str(c, &ev->fmt) < 0 ||
	        LIT(c, "}") < 0 || c->p != c->end
	    ? -1
	    : 0;
}

/*
 * The fast path alone: 0 with the event, -1 for event_read to decide.
 * Flattened: with the helpers inlined the cursor stays in registers, a
 * fifth less time for logbook-aggregate -j 1 than with them called.
 */
__attribute__((flatten)) int
evfast_try(struct event *ev, const char *line, size_t n)
{
	struct cur c = { line, line + n };

	/* All that event_read clears but the arrays, which nx = 0 hides. */
	memset(&ev->r, 0, offsetof(struct rec, xval));
	memset(&ev->id, 0,
	    offsetof(struct event, xname) - offsetof(struct event, id));
	ev->status = -1;
	ev->bytes = -1;
	if (times(&c, ev) < 0 || request(&c, ev) < 0 || response(&c, ev) < 0)
		return -1;
	return 0;
}

/* event_read, faster for the lines logbook-ingest writes. */
int
evfast_read(struct event *ev, const char *line, size_t n, const char **why)
{
	if (evfast_try(ev, line, n) == 0)
		return 0;
	return event_read(ev, line, n, why);
}
