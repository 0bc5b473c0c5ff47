/*
 * The buckets of the charts: hours, days, weeks (from Monday) or months,
 * the finest that keeps a chart within MAXPOINTS points, so that the page
 * does not grow with the span.
 */
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "report.h"
#include "timeconv.h"
#include "tz.h"

static int64_t
floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t
month_of(int64_t t)
{
	int64_t y;
	unsigned m, d;

	civil_from_days(floordiv(t, 86400), &y, &m, &d);
	return y * 12 + (int64_t)m - 1;
}

static int64_t
start_of(int unit, int64_t t)
{
	int64_t d = floordiv(t, 86400);
	unsigned m;

	switch (unit) {
	case U_HOUR:
		return floordiv(t, 3600) * 3600;
	case U_DAY:
		return d * 86400;
	case U_WEEK: /* 1970-01-01 was a Thursday */
		return (d - ((d % 7 + 7 + 3) % 7)) * 86400;
	case U_YEAR:
		return days_from_civil(floordiv(month_of(t), 12), 1, 1) * 86400;
	default:
		m = (unsigned)(month_of(t) % 12) + 1;
		return days_from_civil(floordiv(month_of(t), 12), m, 1) * 86400;
	}
}

/* UTC second t on the page's clock (report.h). */
int64_t
span_local(const struct run *r, int64_t t)
{
	return r->tz != NULL ? tz_local(r->tz, t) : t;
}

size_t
span_index(const struct tspan *s, int64_t t)
{
	if (s->unit == U_MONTH)
		return (size_t)(month_of(t) - month_of(s->t0));
	if (s->unit == U_YEAR)
		return (size_t)(floordiv(month_of(t), 12) -
		    floordiv(month_of(s->t0), 12));
	return (size_t)((t - s->t0) /
	    (s->unit == U_HOUR         ? 3600
	            : s->unit == U_DAY ? 86400
	                               : 604800));
}

static void
label(const struct tspan *s, size_t i, char *buf, size_t n)
{
	int64_t t, y;
	unsigned m, d;

	if (s->unit == U_YEAR) {
		snprintf(buf, n, "%04lld",
		    (long long)floordiv(month_of(s->t0), 12) + (long long)i);
		return;
	}
	if (s->unit == U_MONTH) {
		t = month_of(s->t0) + (int64_t)i;
		snprintf(buf, n, "%04lld-%02u", (long long)floordiv(t, 12),
		    (unsigned)(t - floordiv(t, 12) * 12) + 1);
		return;
	}
	t = s->t0 +
	    (int64_t)i *
	        (s->unit == U_HOUR         ? 3600
	                : s->unit == U_DAY ? 86400
	                                   : 604800);
	civil_from_days(floordiv(t, 86400), &y, &m, &d);
	if (s->unit == U_HOUR)
		snprintf(buf, n, "%02u-%02u %02lld:00", m, d,
		    (long long)(t % 86400 / 3600));
	else
		snprintf(buf, n, "%04lld-%02u-%02u", (long long)y, m, d);
}

/* Buckets of at least unit over [t0, t1), coarser while too many. */
void
span_make(struct tspan *s, int64_t t0, int64_t t1, int unit)
{
	char buf[32];
	size_t i;

	for (s->unit = unit;; s->unit++) {
		s->t0 = start_of(s->unit, t0);
		s->nb = t1 > t0 ? span_index(s, t1 - 1) + 1 : 0;
		if (s->nb <= MAXPOINTS || s->unit == U_YEAR)
			break;
	}
	s->labels = xcalloc(s->nb + 1, sizeof(*s->labels));
	for (i = 0; i < s->nb; i++) {
		label(s, i, buf, sizeof(buf));
		s->labels[i] = xstrdup(buf);
	}
}

void
span_free(struct tspan *s)
{
	size_t i;

	for (i = 0; i < s->nb; i++)
		free(s->labels[i]);
	free(s->labels);
}

const char *
span_unit(const struct tspan *s)
{
	static const char *const u[] = { "hour", "day", "week", "month",
		"year" };

	return u[s->unit];
}
