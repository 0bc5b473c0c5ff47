/*
 * Malformed lines, for --bad-rate.  Their randomness comes from a stream
 * of its own, so the well-formed lines around them do not change.
 */
#include <string.h>

#include "diag.h"
#include "genlog.h"

const char *const bad_names[NBAD] = { "truncated", "garbage", "dash_request",
	"missing_quotes", "long_line" };
static const uint16_t bad_weight[NBAD] = { 30, 25, 20, 23, 2 };

/* Servers really write the other two: a parser must take them. */
int
bad_rejectable(enum bad b)
{
	return b != B_DASH && b != B_LONG;
}

/* Cut before the last quote, so no well-formed prefix is left. */
static size_t
truncated(struct gen *g, const char *p, size_t n)
{
	size_t last = n;

	while (last > 1 && p[last - 1] != '"')
		last--;
	return 1 + rng_below(&g->bad, (uint32_t)(last - 1));
}

/* 1 to 200 bytes of anything but a newline. */
static size_t
garbage(struct gen *g, char *p)
{
	size_t i, n = 1 + rng_below(&g->bad, 200);
	uint32_t c;

	for (i = 0; i < n; i++) {
		c = rng_below(&g->bad, 255);
		p[i] = (char)(c >= '\n' ? c + 1 : c);
	}
	return n;
}

/* Without the request's quotes, or without any quote at all. */
static size_t
unquoted(struct gen *g, char *p, size_t n)
{
	int all = rng_below(&g->bad, 2) != 0, dropped = 0;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '"' && (all || dropped < 2)) {
			dropped++;
			continue;
		}
		p[k++] = p[i];
	}
	return k;
}

/* What a server logs without a request, or with an absurd one. */
static size_t
odd(struct gen *g, char *p, const struct req *q, size_t target)
{
	struct req d = *q;
	enum fmt f = g->o->fmt;
	char *s = p;
	uint32_t ms;

	d.tg = NULL;
	if (f == F_VHOST)
		s = put_vhost(s, &d);
	s = put(s, &q->c->ip);
	memcpy(s, " - - [", 6);
	memcpy(s + 6, stamp(g, q->t), CLF_TIME_LEN);
	s += 6 + CLF_TIME_LEN;
	memcpy(s, "] \"", 3);
	s += 3;
	if (target == 0) {
		memcpy(s, "-\" 400 ", 7);
		s += 7;
	} else {
		memcpy(s, "GET /", 5);
		memset(s + 5, 'A', target - 1);
		s += 4 + target;
		memcpy(s, " HTTP/1.1\" 414 ", 15);
		s += 15;
	}
	*s++ = f == F_NGINX ? '0' : '-';
	if (f != F_COMMON) {
		memcpy(s, " \"-\" \"-\"", 8);
		s += 8;
	}
	if (f == F_NGINX) {
		ms = rng_below(&g->bad, target == 0 ? 60 : 10);
		memcpy(s, " 0.0", 4);
		s[4] = (char)('0' + ms / 10);
		s[5] = (char)('0' + ms % 10);
		s += 6;
	}
	return (size_t)(s - p);
}

void
bad_emit(struct gen *g, char *p, size_t n, const struct req *q)
{
	enum bad b = (enum bad)pick(&g->bad, bad_weight, NBAD);
	size_t target;

	g->nbad[b]++;
	switch (b) {
	case B_TRUNCATED:
		n = truncated(g, p, n);
		break;
	case B_GARBAGE:
		n = garbage(g, p);
		break;
	case B_NOQUOTES:
		n = unquoted(g, p, n);
		break;
	case B_DASH:
		n = odd(g, p, q, 0);
		break;
	default:
		/* 16 KiB to 256 KiB, log-uniform. */
		target = (size_t)(16384 *
		    det_exp(2.772588722239781 * rng_unit(&g->bad)));
		p = ob_reserve(&g->ob, target + LINE_MAX_);
		n = odd(g, p, q, target);
		break;
	}
	p[n] = '\n';
	g->ob.len += n + 1;
	ob_drain(&g->ob);
}
