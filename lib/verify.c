/* Checking one archive in one reading (see verify.h for the checks). */
#include <stdlib.h>
#include <string.h>

#include "archcheck.h"
#include "archfmt.h"
#include "diag.h"
#include "evfast.h"
#include "json.h"
#include "monthly.h"
#include "verify.h"

/* The members, by their index in the tar. */
enum { M_MANIFEST, M_EVENTS, M_HOURLY };

struct vst {
	struct archcheck c; /* first: the checks get it */
	const struct verify_opts *o;
	struct event ev;
	struct idkey prev;
	struct tsrange range;
	struct srcset *src;
	uint64_t rows, requests;
};

static int
parse_manifest(struct archcheck *ac, const char *buf, size_t n)
{
	struct vst *v = (struct vst *)ac;
	const char *why;
	int rc;

	rc = manifest_parse(&v->c.res->manifest, buf, n, &why);
	v->c.res->have_manifest = rc == 0;
	if (rc < 0)
		return verify_fail(v->c.res, "manifest", "%s", why);
	if (v->o->manifest != NULL &&
	    v->o->manifest(v->o->arg, &v->c.res->manifest) < 0)
		return verify_fail(v->c.res, "caller", "refused the manifest");
	return 0;
}

static int
check_event(struct archcheck *ac, const char *p, size_t n)
{
	struct vst *v = (struct vst *)ac;
	const struct manifest *m = &v->c.res->manifest;
	char date[ARCH_DATELEN + 1];
	struct dbrow row;
	struct idkey k;
	const char *why;
	int c;

	if (evfast_read(&v->ev, p, n, &why) < 0 ||
	    event_givable(&v->ev, &why) < 0)
		return verify_fail(v->c.res, "event", "%s:%llu: %s",
		    ARCH_EVENTS, (unsigned long long)v->c.ls.line, why);
	if (arch_idkey(v->ev.id.p, v->ev.id.n, &k) < 0)
		return verify_fail(v->c.res, "event",
		    "%s:%llu: id not of the form "
		    "YYYYMMDDTHHMMSS-hhhhhhhhhhhhhhhh",
		    ARCH_EVENTS, (unsigned long long)v->c.ls.line);
	if (arch_day(v->ev.r.sec) != m->day) {
		arch_date(date, m->day);
		return verify_fail(v->c.res, "date",
		    "%s:%llu: ts %.*s is not on %s", ARCH_EVENTS,
		    (unsigned long long)v->c.ls.line, (int)v->ev.ts.n,
		    v->ev.ts.p, date);
	}
	if (v->c.res->events > 0 && (c = arch_idcmp(&k, &v->prev)) <= 0)
		return verify_fail(v->c.res, c == 0 ? "duplicate" : "order",
		    "%s:%llu: id %.32s %s the line before", ARCH_EVENTS,
		    (unsigned long long)v->c.ls.line, v->ev.id.p,
		    c == 0 ? "repeats" : "sorts before");
	v->prev = k;
	if (tsrange_add(&v->range, v->ev.ts.p, v->ev.ts.n, v->ev.r.sec) < 0)
		return verify_fail(v->c.res, "event", "%s:%llu: ts too long",
		    ARCH_EVENTS, (unsigned long long)v->c.ls.line);
	srcset_add(v->src, v->ev.src.p, v->ev.src.n);
	dbrow_event(&row, &v->ev, p, n);
	(void)srcsums_row(&v->c.res->sums, &row, 1);
	v->c.res->events++;
	if (v->o->event != NULL && v->o->event(v->o->arg, p, n, &v->ev) < 0)
		return verify_fail(v->c.res, "caller", "%s:%llu: refused",
		    ARCH_EVENTS, (unsigned long long)v->c.ls.line);
	return 0;
}

/* The hour of a row: 1 when it is one of the archive's date, else -1. */
static int
row_hour(const struct vst *v, const struct jval *x)
{
	char date[ARCH_DATELEN + 1];

	arch_date(date, v->c.res->manifest.day);
	return x->type == J_STR && !x->esc && monthly_hour_ok(x->p, x->n) &&
	        memcmp(x->p, date, ARCH_DATELEN) == 0
	    ? 1
	    : -1;
}

/*
 * A row of hourly.ndjson: a JSON object with one requests count and one
 * hour, of the archive's date (logbook-restore refuses others).
 */
static int
check_row(struct archcheck *ac, const char *p, size_t n)
{
	struct vst *v = (struct vst *)ac;
	struct jobj o;
	struct jval k, x;
	uint64_t r = 0;
	int rc, found = 0, hour = 0;

	if (json_obj_begin(&o, p, n) < 0)
		return verify_fail(v->c.res, "hourly", "%s:%llu: %s",
		    ARCH_HOURLY, (unsigned long long)v->c.ls.line, o.err);
	while ((rc = json_obj_next(&o, &k, &x)) == 1)
		if (json_keyeq(&k, "requests"))
			found = x.type == J_NUM && arch_u64(x.p, x.n, &r) == 0
			    ? found + 1
			    : -1;
		else if (json_keyeq(&k, "hour"))
			hour = hour == 0 ? row_hour(v, &x) : -1;
	if (rc < 0 || json_obj_end(&o) < 0)
		return verify_fail(v->c.res, "hourly", "%s:%llu: %s",
		    ARCH_HOURLY, (unsigned long long)v->c.ls.line, o.err);
	if (hour != 1)
		return verify_fail(v->c.res, "hourly", "%s:%llu: %s",
		    ARCH_HOURLY, (unsigned long long)v->c.ls.line,
		    "no single hour of the archive's date");
	if (found != 1 || r > UINT64_MAX - v->requests)
		return verify_fail(v->c.res, "hourly", "%s:%llu: %s",
		    ARCH_HOURLY, (unsigned long long)v->c.ls.line,
		    found == 1 ? "requests past 64 bits"
		               : "no single requests count");
	v->requests += r;
	v->rows++;
	if (v->o->hourly != NULL && v->o->hourly(v->o->arg, p, n) < 0)
		return verify_fail(v->c.res, "caller", "%s:%llu: refused",
		    ARCH_HOURLY, (unsigned long long)v->c.ls.line);
	return 0;
}

static int
sha_check(struct vst *v, const unsigned char *want, const unsigned char *got,
    const char *member)
{
	char w[SHA256_HEXLEN + 1], g[SHA256_HEXLEN + 1];

	if (memcmp(want, got, SHA256_LEN) == 0)
		return 0;
	sha256_hex(w, want);
	sha256_hex(g, got);
	return verify_fail(
	    v->c.res, "sha256", "%s is %s, the manifest says %s", member, g, w);
}

static int
count_fail(struct vst *v, const char *member, uint64_t have, uint64_t want)
{
	return verify_fail(v->c.res, "count",
	    "%s has %llu line%s, the manifest says %llu", member,
	    (unsigned long long)have, lb_s(have), (unsigned long long)want);
}

/* The n-th space-separated word of s, into *w. */
static size_t
word(const char *s, size_t n, size_t i, const char **w)
{
	const char *end = s + n, *sp;

	for (;;) {
		if ((sp = memchr(s, ' ', (size_t)(end - s))) == NULL)
			sp = end;
		if (i-- == 0) {
			*w = s;
			return (size_t)(sp - s);
		}
		if (sp == end) {
			*w = end;
			return 0;
		}
		s = sp + 1;
	}
}

/* The events' digests per source against the manifest's digests line. */
static int
digests(struct vst *v)
{
	const struct manifest *m = &v->c.res->manifest;
	const char *a, *b, *l;
	size_t n, i, an, bn, ln;
	char *t;
	int rc = 0;

	if ((t = srcsums_text(
	         &v->c.res->sums, m->sources, m->sourceslen, &n)) == NULL)
		return verify_fail(v->c.res, "manifest", "sources malformed");
	for (i = 0; rc == 0; i++) {
		an = word(t, n, i, &a);
		bn = word(m->digests, m->digestslen, i, &b);
		if (an == 0 && bn == 0)
			break;
		if (an == bn && memcmp(a, b, an) == 0)
			continue;
		ln = word(m->sources, m->sourceslen, i, &l);
		rc = verify_fail(v->c.res, "digest",
		    "source %.*s: the events give %.*s, the manifest says %.*s",
		    (int)ln, l, (int)an, a, (int)bn, b);
	}
	free(t);
	return rc;
}

/* What only the whole content shows, against the manifest. */
static int
compare(struct archcheck *ac)
{
	struct vst *v = (struct vst *)ac;
	const struct manifest *m = &v->c.res->manifest;
	size_t n;
	char *s;
	int same;

	if (sha_check(v, m->sha_events, ac->dig[M_EVENTS], ARCH_EVENTS) < 0 ||
	    sha_check(v, m->sha_hourly, ac->dig[M_HOURLY], ARCH_HOURLY) < 0)
		return -1;
	if (v->c.res->events != m->events)
		return count_fail(v, ARCH_EVENTS, v->c.res->events, m->events);
	if (v->rows != m->hourly_rows)
		return count_fail(v, ARCH_HOURLY, v->rows, m->hourly_rows);
	if (v->range.any != m->range.any ||
	    (v->range.any &&
	        (strcmp(v->range.ts[0], m->range.ts[0]) != 0 ||
	            strcmp(v->range.ts[1], m->range.ts[1]) != 0)))
		return verify_fail(v->c.res, "manifest",
		    "first and last are not the "
		    "events' smallest and largest ts");
	s = srcset_text(v->src, &n);
	same = n == m->sourceslen && memcmp(s, m->sources, n) == 0;
	free(s);
	if (!same)
		return verify_fail(
		    v->c.res, "manifest", "sources are not the events'");
	if (m->digests != NULL && digests(v) < 0)
		return -1;
	if (v->requests != m->events)
		return verify_fail(v->c.res, "hourly",
		    "requests add up to %llu, not %llu",
		    (unsigned long long)v->requests,
		    (unsigned long long)m->events);
	return 0;
}

/* An archive's file name, when it has the form of one, is its date. */
static int
name_check(struct archcheck *c, const char *base)
{
	char date[ARCH_DATELEN + 1];
	int64_t day;

	if (arch_parse_base(base, strlen(base), &day) < 0 ||
	    day == c->res->manifest.day)
		return 0;
	arch_date(date, c->res->manifest.day);
	return verify_fail(c->res, "name", "the manifest's date is %s", date);
}

static const struct ac_member members[] = {
	{ ARCH_MANIFEST, NULL, NULL },
	{ ARCH_EVENTS, "event", check_event },
	{ ARCH_HOURLY, "hourly", check_row },
};

static const struct ac_kind daily = { members, ARCH_NMEMBERS, parse_manifest,
	compare, name_check, AC_SIZED | AC_KNOWN | AC_DRAIN | AC_NOMEM };

int
verify_archive(
    const char *path, const struct verify_opts *o, struct verify_result *res)
{
	struct vst v;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&v, 0, sizeof(v));
	v.c.k = &daily;
	v.c.res = res;
	v.o = o;
	v.src = srcset_new();
	event_init(&v.ev);
	rc = ac_run(&v.c, path, o->threads);
	event_free(&v.ev);
	srcset_free(v.src);
	return rc;
}

void
verify_free(struct verify_result *res)
{
	manifest_free(&res->manifest);
	srcsums_free(&res->sums);
}
