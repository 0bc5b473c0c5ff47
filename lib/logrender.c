/*
 * From fields back to the log line: the exact inverse of lf_match, so that
 * an archive can give back the bytes the server wrote.
 */
#include <string.h>

#include "logformat.h"
#include "timeconv.h"

/* An integer's digits without leading zeros (JSON has no "007"). */
void
lf_digits(struct obuf *ob, const char *p, size_t n)
{
	while (n > 1 && p[0] == '0') {
		p++;
		n--;
	}
	ob_write(ob, p, n);
}

/* A request time from the log (scaled by 10^-scale) as JSON seconds. */
void
lf_rt_json(struct obuf *ob, const char *p, size_t n, int scale)
{
	size_t s = (size_t)scale, i;
	const char *dot;

	if (scale == 0) {
		dot = memchr(p, '.', n);
		i = dot != NULL ? (size_t)(dot - p) : n;
		lf_digits(ob, p, i);
		ob_write(ob, p + i, n - i);
		return;
	}
	while (n > 1 && p[0] == '0') {
		p++;
		n--;
	}
	if (n <= s) {
		ob_lit(ob, "0.");
		for (i = n; i < s; i++)
			ob_putc(ob, '0');
		ob_write(ob, p, n);
		return;
	}
	ob_write(ob, p, n - s);
	ob_putc(ob, '.');
	ob_write(ob, p + n - s, s);
}

/* JSON seconds back to the log's unit: the inverse of lf_rt_json. */
static void
rt_log(struct obuf *ob, const char *p, size_t n, int scale)
{
	const char *dot;
	size_t i, start, len;
	char tmp[64];

	if (scale == 0 || (dot = memchr(p, '.', n)) == NULL ||
	    n >= sizeof(tmp)) {
		ob_write(ob, p, n);
		return;
	}
	i = (size_t)(dot - p);
	memcpy(tmp, p, i);
	memcpy(tmp + i, dot + 1, n - i - 1);
	len = n - 1;
	for (start = 0; start + 1 < len && tmp[start] == '0'; start++)
		;
	ob_write(ob, tmp + start, len - start);
}

static void
text(struct obuf *ob, const struct span *s)
{
	if (s->p == NULL)
		ob_putc(ob, '-');
	else
		ob_write(ob, s->p, s->n);
}

static void
request(struct obuf *ob, const struct rec *r)
{
	if (r->method.p == NULL) {
		text(ob, &r->req);
		return;
	}
	ob_write(ob, r->method.p, r->method.n);
	ob_putc(ob, ' ');
	text(ob, &r->path);
	if (r->query.p != NULL) {
		ob_putc(ob, '?');
		ob_write(ob, r->query.p, r->query.n);
	}
	if (r->proto.p != NULL) {
		ob_putc(ob, ' ');
		ob_write(ob, r->proto.p, r->proto.n);
	}
}

static void
timestamp(struct obuf *ob, enum lf_field f, const struct rec *r)
{
	char *o = ob_reserve(ob, 32);

	if (f == LF_TIME_CLF)
		ob->len += clf_time_format(o, r->sec, r->off, r->tz.p);
	else if (f == LF_TIME_ISO)
		ob->len += iso_offset_format(o, r->sec, r->off);
	else {
		ob_i64(ob, r->sec);
		if (r->frac.p != NULL) {
			ob_putc(ob, '.');
			ob_write(ob, r->frac.p, r->frac.n);
		}
	}
}

static void
target(struct obuf *ob, const struct rec *r, enum lf_field f)
{
	if (f == LF_QUERY_AP) {
		if (r->query.p != NULL) {
			ob_putc(ob, '?');
			ob_write(ob, r->query.p, r->query.n);
		}
		return;
	}
	if (f == LF_QUERY) {
		text(ob, &r->query);
		return;
	}
	text(ob, &r->path);
	if (f == LF_URI && r->query.p != NULL) {
		ob_putc(ob, '?');
		ob_write(ob, r->query.p, r->query.n);
	}
}

static void
field(struct obuf *ob, const struct lf_tok *t, const struct rec *r, size_t *xi)
{
	switch (t->f) {
	case LF_IP:
		text(ob, &r->ip);
		break;
	case LF_IDENT:
		text(ob, &r->ident);
		break;
	case LF_USER:
		text(ob, &r->user);
		break;
	case LF_METHOD:
		text(ob, &r->method);
		break;
	case LF_PROTO:
		text(ob, &r->proto);
		break;
	case LF_STATUS:
		text(ob, &r->status);
		break;
	case LF_BYTES:
		text(ob, &r->bytes);
		break;
	case LF_HOST:
		text(ob, &r->host);
		break;
	case LF_REFERER:
		text(ob, &r->referer);
		break;
	case LF_UA:
		text(ob, &r->ua);
		break;
	case LF_REQ:
		request(ob, r);
		break;
	case LF_PATH:
	case LF_URI:
	case LF_QUERY:
	case LF_QUERY_AP:
		target(ob, r, t->f);
		break;
	case LF_RT:
	case LF_RT_S:
	case LF_RT_MS:
	case LF_RT_US:
		if (r->rt.p == NULL)
			ob_putc(ob, '-');
		else
			rt_log(ob, r->rt.p, r->rt.n,
			    t->f == LF_RT_US       ? 6
			        : t->f == LF_RT_MS ? 3
			                           : 0);
		break;
	case LF_EXTRA:
	case LF_REST:
		text(ob, &r->xval[(*xi)++]);
		break;
	default:
		timestamp(ob, t->f, r);
	}
}

/*
 * The line for r in format f, without a newline.  r holds JSON-side
 * values: rt in seconds, times as UTC seconds with their offset.
 */
void
lf_render(const struct logformat *f, const struct rec *r, struct obuf *ob)
{
	size_t i, xi = 0;

	for (i = 0; i < f->ntok; i++) {
		if (f->tok[i].f == LF_LIT)
			ob_write(ob, f->tok[i].s, f->tok[i].n);
		else
			field(ob, &f->tok[i], r, &xi);
	}
}
