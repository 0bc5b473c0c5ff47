/*
 * The text of the progress line (lib/progress.h): a pure function of the
 * counts and the time, so that it can be tested without a terminal.
 *
 *   LABEL: 27% 12.3 of 45.6 MB, 81234 lines, ETA 0:05
 *   LABEL: 12.3 MB, 81234 lines, 4.1 MB/s
 *   LABEL: 30% 3 of 10 archives, 51234 events, ETA 1:02:03
 *   LABEL: 3 archives, 51234 events, 1.5 archives/s
 */
#include <stdarg.h>
#include <stdio.h>

#include "progress.h"

#define ETA_MAX 359999.0 /* 99:59:59 */

struct text {
	char *buf;
	size_t size, len; /* len < size, buf[len] == '\0' */
};

static void add(struct text *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Append, cut short at the end of the buffer. */
static void
add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		t->buf[t->len] = '\0';
	else if ((size_t)n >= t->size - t->len)
		t->len = t->size - 1;
	else
		t->len += (size_t)n;
}

/* 100% only once all is done: a long run never says so too early. */
static unsigned
percent(uint64_t done, uint64_t total)
{
	double p;

	if (done >= total)
		return 100;
	p = (double)done * 100.0 / (double)total;
	return p >= 99.0 ? 99 : (unsigned)p;
}

static void
amount(struct text *t, uint64_t n, const char *noun)
{
	if (noun == NULL)
		add(t, "%.1f", (double)n / 1e6);
	else
		add(t, "%llu", (unsigned long long)n);
}

static void
rate(struct text *t, const struct pg_view *v)
{
	double r;

	if (!(v->elapsed > 0))
		return;
	r = (double)v->done / v->elapsed;
	if (v->noun == NULL)
		add(t, ", %.1f MB/s", r / 1e6);
	else
		add(t, r < 10 ? ", %.1f %s/s" : ", %.0f %s/s", r, v->noun);
}

/* The time left if the rate so far holds; none before there is a rate. */
static void
eta(struct text *t, const struct pg_view *v)
{
	unsigned long s;
	double left;

	if (v->done == 0 || v->done >= v->total || !(v->elapsed > 0))
		return;
	left = v->elapsed * ((double)(v->total - v->done) / (double)v->done);
	if (!(left <= ETA_MAX)) {
		add(t, ", ETA >99h");
		return;
	}
	s = (unsigned long)left + (left > (double)(unsigned long)left);
	if (s >= 3600)
		add(t, ", ETA %lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
	else
		add(t, ", ETA %lu:%02lu", s / 60, s % 60);
}

/* The line for v in buf (size > 0), cut short to fit; its length. */
size_t
pg_format(char *buf, size_t size, const struct pg_view *v)
{
	struct text t = { buf, size, 0 };
	const char *unit = v->noun != NULL ? v->noun : "MB";

	buf[0] = '\0';
	add(&t, "%s: ", v->label != NULL ? v->label : "");
	if (v->total > 0) {
		add(&t, "%u%% ", percent(v->done, v->total));
		amount(&t, v->done, v->noun);
		add(&t, " of ");
		amount(&t, v->total > v->done ? v->total : v->done, v->noun);
	} else
		amount(&t, v->done, v->noun);
	add(&t, " %s", unit);
	if (v->extranoun != NULL)
		add(&t, ", %llu %s", (unsigned long long)v->extra,
		    v->extranoun);
	if (v->total > 0)
		eta(&t, v);
	else
		rate(&t, v);
	return t.len;
}
