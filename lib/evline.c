/* An event back to the log line it was read from. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "diag.h"
#include "event.h"
#include "lblimits.h"

#define FMT_CACHE 64

/*
 * Custom formats arrive as strings in every event; compile each distinct
 * one once.  The cache is bounded: past it, a format is compiled for the
 * one event and dropped.
 */
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;

/* The compiled formats are shared by the threads that read archives
 * (logbook-restore reads the next archive while loading one); entries
 * never change once made, and past the cache each thread has its own. */
static const struct logformat *
custom(const char *spec, const char **why)
{
	static struct logformat cache[FMT_CACHE];
	static size_t ncache;
	static _Thread_local struct logformat once;
	static _Thread_local char err[256];
	const struct logformat *f = NULL;
	size_t i;

	pthread_mutex_lock(&cache_mu);
	for (i = 0; i < ncache && f == NULL; i++)
		if (strcmp(cache[i].name, spec) == 0)
			f = &cache[i];
	if (f == NULL && ncache < FMT_CACHE) {
		if (lf_compile(&cache[ncache], spec, spec, err, sizeof(err)) <
		    0)
			*why = err;
		else
			f = &cache[ncache++];
		pthread_mutex_unlock(&cache_mu);
		return f;
	}
	pthread_mutex_unlock(&cache_mu);
	if (f != NULL)
		return f;
	if (once.ntok != 0)
		lf_free(&once);
	if (lf_compile(&once, spec, spec, err, sizeof(err)) < 0) {
		*why = err;
		return NULL;
	}
	return &once;
}

const struct logformat *
event_format(const struct event *ev, const char **why)
{
	static _Thread_local char buf[LB_FORMAT_MAX + 1];
	const struct logformat *f;

	if (ev->fmt.p == NULL || ev->fmt.n == 0 || ev->fmt.n >= sizeof(buf) ||
	    memchr(ev->fmt.p, '\0', ev->fmt.n) != NULL) {
		*why = "no usable fmt";
		return NULL;
	}
	memcpy(buf, ev->fmt.p, ev->fmt.n);
	buf[ev->fmt.n] = '\0';
	if ((f = lf_named(buf)) != NULL)
		return f;
	return custom(buf, why);
}

/* The same directive twice: how many times before token i. */
static size_t
earlier(const struct logformat *f, size_t i)
{
	const struct lf_tok *t = &f->tok[i];
	size_t k, seen = 0;

	for (k = 0; k < i; k++)
		if ((f->tok[k].f == LF_EXTRA || f->tok[k].f == LF_REST) &&
		    f->tok[k].n == t->n && memcmp(f->tok[k].s, t->s, t->n) == 0)
			seen++;
	return seen;
}

/*
 * Put the x values in the order of the format's extra fields.  A
 * directive the format has twice is in x twice, in the same order.
 */
static void
bind_extras(struct event *ev, const struct logformat *f)
{
	size_t i, j, skip, xi = 0;

	for (i = 0; i < f->ntok; i++) {
		const struct lf_tok *t = &f->tok[i];
		if (t->f != LF_EXTRA && t->f != LF_REST)
			continue;
		ev->r.xval[xi].p = NULL;
		skip = earlier(f, i);
		for (j = 0; j < ev->nx; j++)
			if (ev->xname[j].n == t->n &&
			    memcmp(ev->xname[j].p, t->s, t->n) == 0 &&
			    skip-- == 0) {
				ev->r.xval[xi] = ev->xv[j];
				break;
			}
		xi++;
	}
}

/* A CLF time writes its offset as +hhmm: another tz cannot be given back. */
static int
tz_fits(const struct event *ev, const struct logformat *f, const char **why)
{
	size_t i;

	if (ev->r.tz.n == 5)
		return 0;
	for (i = 0; i < f->ntok; i++)
		if (f->tok[i].f == LF_TIME_CLF) {
			*why = "tz does not fit the format";
			return -1;
		}
	return 0;
}

/* Whether s is base64 that base64_decode takes, in pieces on the stack. */
static int
raw64_ok(const char *s, size_t n)
{
	char d[768];
	size_t i, k;

	if (n % 4 != 0)
		return 0;
	for (i = 0; i < n; i += k) {
		k = n - i < 1024 ? n - i : 1024;
		if (i + k < n && s[i + k - 1] == '=')
			return 0; /* padding before the end */
		if (base64_decode(d, s + i, k) < 0)
			return 0;
	}
	return 1;
}

/*
 * Whether event_line can give ev back, without writing it: what
 * logbook-verify requires of each event, so that what it passes
 * logbook-restore --emit original writes.  The fmt must be usable even
 * with raw64: logbook-events(5) has it in every event.
 */
int
event_givable(const struct event *ev, const char **why)
{
	const struct logformat *f;

	if (ev->fmt.p == NULL) {
		*why = "no fmt";
		return -1;
	}
	if ((f = event_format(ev, why)) == NULL)
		return -1;
	if (ev->raw64.p != NULL) {
		if (raw64_ok(ev->raw64.p, ev->raw64.n))
			return 0;
		*why = "bad raw64";
		return -1;
	}
	return tz_fits(ev, f, why);
}

/* The original line, without its newline; -1 with *why on failure. */
int
event_line(struct obuf *ob, struct event *ev, const char **why)
{
	const struct logformat *f;
	char *d;
	long k;

	if (ev->raw64.p != NULL) {
		d = ob_reserve(ob, ev->raw64.n / 4 * 3 + 3);
		if ((k = base64_decode(d, ev->raw64.p, ev->raw64.n)) < 0) {
			*why = "bad raw64";
			return -1;
		}
		ob->len += (size_t)k;
		return 0;
	}
	if ((f = event_format(ev, why)) == NULL || tz_fits(ev, f, why) < 0)
		return -1;
	bind_extras(ev, f);
	lf_render(f, &ev->r, ob);
	if (ev->cr)
		ob_putc(ob, '\r');
	return 0;
}
