/*
 * Test helpers: whether two parsed events hold the same fields, for the
 * unit tests and fuzz targets that compare lib/event.c's reader with
 * lib/evfast.c's.
 */
#ifndef LB_TEST_EVSAME_H
#define LB_TEST_EVSAME_H

#include <string.h>

#include "event.h"

static inline int
fz_same_span(const struct span *a, const struct span *b)
{
	if (a->p == NULL || b->p == NULL)
		return a->p == b->p && a->n == b->n;
	return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

/* Every field of two events. */
static inline int
fz_same_event(const struct event *a, const struct event *b)
{
	const struct span *sa[] = { &a->id, &a->ts, &a->src, &a->fmt, &a->raw64,
		&a->r.ip, &a->r.ident, &a->r.user, &a->r.req, &a->r.method,
		&a->r.path, &a->r.query, &a->r.proto, &a->r.status, &a->r.bytes,
		&a->r.rt, &a->r.host, &a->r.referer, &a->r.ua, &a->r.tz,
		&a->r.frac };
	const struct span *sb[] = { &b->id, &b->ts, &b->src, &b->fmt, &b->raw64,
		&b->r.ip, &b->r.ident, &b->r.user, &b->r.req, &b->r.method,
		&b->r.path, &b->r.query, &b->r.proto, &b->r.status, &b->r.bytes,
		&b->r.rt, &b->r.host, &b->r.referer, &b->r.ua, &b->r.tz,
		&b->r.frac };
	size_t i;

	for (i = 0; i < sizeof(sa) / sizeof(sa[0]); i++)
		if (!fz_same_span(sa[i], sb[i]))
			return 0;
	if (a->nx != b->nx)
		return 0;
	for (i = 0; i < a->nx; i++)
		if (!fz_same_span(&a->xname[i], &b->xname[i]) ||
		    !fz_same_span(&a->xv[i], &b->xv[i]))
			return 0;
	return a->status == b->status && a->bytes == b->bytes &&
	    a->cr == b->cr && a->r.sec == b->r.sec && a->r.off == b->r.off &&
	    a->r.rtscale == b->r.rtscale && a->r.lossy == b->r.lossy;
}

#endif
