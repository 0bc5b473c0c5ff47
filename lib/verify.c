/* Checking one archive in one reading (see verify.h for the checks). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archfmt.h"
#include "archread.h"
#include "diag.h"
#include "evfast.h"
#include "json.h"
#include "lineread.h"
#include "lsplit.h"
#include "monthly.h"
#include "shabg.h"
#include "verify.h"

struct vst {
	const struct verify_opts *o;
	struct verify_result *res;
	struct archread *ar;
	struct event ev;
	struct shabg *sha; /* of the member being read */
	unsigned char dig[2][SHA256_LEN]; /* events, hourly */
	struct lsplit ls; /* the member being read, in lines */
	struct idkey prev;
	struct tsrange range;
	struct srcset *src;
	uint64_t rows, requests;
};

/* The first failure only: -1, for return verify_fail(...). */
int
verify_fail(struct verify_result *res, const char *check, const char *fmt, ...)
{
	va_list ap;

	if (res->check != NULL)
		return -1;
	res->check = check;
	va_start(ap, fmt);
	vsnprintf(res->detail, sizeof(res->detail), fmt, ap);
	va_end(ap);
	return -1;
}

/* What the archive reader failed on, as a failure of its check. */
int
verify_arfail(struct verify_result *res, struct archread *ar)
{
	return verify_fail(res, ar_check(ar), "%s", ar_error(ar));
}

static int
read_manifest(struct vst *v, int64_t size)
{
	const void *p;
	size_t n, used = 0;
	const char *why;
	char *buf;
	int rc;

	if (size < 0 || size > (int64_t)MANIFEST_MAX)
		return verify_fail(v->res, "manifest", "%lld bytes, too large",
		    (long long)size);
	buf = xmalloc((size_t)size + 1);
	while ((rc = ar_data(v->ar, &p, &n)) > 0 && n <= (size_t)size - used) {
		memcpy(buf + used, p, n);
		used += n;
	}
	if (rc < 0 || used != (size_t)size) {
		free(buf);
		return rc < 0 ? verify_arfail(v->res, v->ar)
		              : verify_fail(v->res, "tar", "MANIFEST size");
	}
	rc = manifest_parse(&v->res->manifest, buf, used, &why);
	free(buf);
	v->res->have_manifest = rc == 0;
	if (rc < 0)
		return verify_fail(v->res, "manifest", "%s", why);
	if (v->o->manifest != NULL &&
	    v->o->manifest(v->o->arg, &v->res->manifest) < 0)
		return verify_fail(v->res, "caller", "refused the manifest");
	return 0;
}

typedef int linefn(struct vst *, const char *, size_t);

/* A member of lines: its name, the check its lines fail, the line check. */
struct lmember {
	const char *name;
	const char *check;
	linefn *fn;
	unsigned char *dig;
};

struct lctx {
	struct vst *v;
	const struct lmember *m;
};

static int
one_line(void *arg, const char *p, size_t n)
{
	struct lctx *c = arg;

	return c->m->fn(c->v, p, n);
}

/*
 * After a line failed: the rest of the member, for a tar that is damaged
 * under it (a size past the end, say) is the cause and is named as such.
 */
static int
drain(struct vst *v)
{
	const void *p;
	size_t n;
	int rc;

	if (strcmp(v->res->check, "caller") == 0)
		return -1;
	while ((rc = ar_data(v->ar, &p, &n)) > 0)
		;
	if (rc < 0) {
		v->res->check = NULL;
		verify_arfail(v->res, v->ar);
	}
	return -1;
}

/* A member of lines: each to its check, the digest into m->dig. */
static int
lines(struct vst *v, const struct lmember *m)
{
	struct lctx c = { v, m };
	const void *p;
	size_t n;
	int rc, bad;

	shabg_init(v->sha);
	ls_reset(&v->ls);
	while ((rc = ar_data(v->ar, &p, &n)) > 0) {
		shabg_update(v->sha, p, n);
		if ((bad = ls_block(&v->ls, p, n, one_line, &c)) == -2)
			verify_fail(v->res, m->check,
			    "%s:%llu: line longer than %u bytes", m->name,
			    (unsigned long long)v->ls.line + 1, LR_MAXLINE);
		if (bad < 0)
			return drain(v);
	}
	if (rc < 0)
		return verify_arfail(v->res, v->ar);
	if (v->ls.ncarry > 0)
		return verify_fail(v->res, m->check,
		    "%s:%llu: no newline at the end", m->name,
		    (unsigned long long)v->ls.line + 1);
	shabg_final(v->sha, m->dig);
	return 0;
}

static int
check_event(struct vst *v, const char *p, size_t n)
{
	const struct manifest *m = &v->res->manifest;
	char date[ARCH_DATELEN + 1];
	struct idkey k;
	const char *why;
	int c;

	if (evfast_read(&v->ev, p, n, &why) < 0 ||
	    event_givable(&v->ev, &why) < 0)
		return verify_fail(v->res, "event", "%s:%llu: %s", ARCH_EVENTS,
		    (unsigned long long)v->ls.line, why);
	if (arch_idkey(v->ev.id.p, v->ev.id.n, &k) < 0)
		return verify_fail(v->res, "event",
		    "%s:%llu: id not of the form "
		    "YYYYMMDDTHHMMSS-hhhhhhhhhhhhhhhh",
		    ARCH_EVENTS, (unsigned long long)v->ls.line);
	if (arch_day(v->ev.r.sec) != m->day) {
		arch_date(date, m->day);
		return verify_fail(v->res, "date",
		    "%s:%llu: ts %.*s is not on %s", ARCH_EVENTS,
		    (unsigned long long)v->ls.line, (int)v->ev.ts.n, v->ev.ts.p,
		    date);
	}
	if (v->res->events > 0 && (c = arch_idcmp(&k, &v->prev)) <= 0)
		return verify_fail(v->res, c == 0 ? "duplicate" : "order",
		    "%s:%llu: id %.32s %s the line before", ARCH_EVENTS,
		    (unsigned long long)v->ls.line, v->ev.id.p,
		    c == 0 ? "repeats" : "sorts before");
	v->prev = k;
	if (tsrange_add(&v->range, v->ev.ts.p, v->ev.ts.n, v->ev.r.sec) < 0)
		return verify_fail(v->res, "event", "%s:%llu: ts too long",
		    ARCH_EVENTS, (unsigned long long)v->ls.line);
	srcset_add(v->src, v->ev.src.p, v->ev.src.n);
	v->res->events++;
	if (v->o->event != NULL && v->o->event(v->o->arg, p, n, &v->ev) < 0)
		return verify_fail(v->res, "caller", "%s:%llu: refused",
		    ARCH_EVENTS, (unsigned long long)v->ls.line);
	return 0;
}

/* The hour of a row: 1 when it is one of the archive's date, else -1. */
static int
row_hour(const struct vst *v, const struct jval *x)
{
	char date[ARCH_DATELEN + 1];

	arch_date(date, v->res->manifest.day);
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
check_row(struct vst *v, const char *p, size_t n)
{
	struct jobj o;
	struct jval k, x;
	uint64_t r = 0;
	int rc, found = 0, hour = 0;

	if (json_obj_begin(&o, p, n) < 0)
		return verify_fail(v->res, "hourly", "%s:%llu: %s", ARCH_HOURLY,
		    (unsigned long long)v->ls.line, o.err);
	while ((rc = json_obj_next(&o, &k, &x)) == 1)
		if (json_keyeq(&k, "requests"))
			found = x.type == J_NUM && arch_u64(x.p, x.n, &r) == 0
			    ? found + 1
			    : -1;
		else if (json_keyeq(&k, "hour"))
			hour = hour == 0 ? row_hour(v, &x) : -1;
	if (rc < 0 || json_obj_end(&o) < 0)
		return verify_fail(v->res, "hourly", "%s:%llu: %s", ARCH_HOURLY,
		    (unsigned long long)v->ls.line, o.err);
	if (hour != 1)
		return verify_fail(v->res, "hourly", "%s:%llu: %s", ARCH_HOURLY,
		    (unsigned long long)v->ls.line,
		    "no single hour of the archive's date");
	if (found != 1 || r > UINT64_MAX - v->requests)
		return verify_fail(v->res, "hourly", "%s:%llu: %s", ARCH_HOURLY,
		    (unsigned long long)v->ls.line,
		    found == 1 ? "requests past 64 bits"
		               : "no single requests count");
	v->requests += r;
	v->rows++;
	if (v->o->hourly != NULL && v->o->hourly(v->o->arg, p, n) < 0)
		return verify_fail(v->res, "caller", "%s:%llu: refused",
		    ARCH_HOURLY, (unsigned long long)v->ls.line);
	return 0;
}

static int
is_member(const char *name)
{
	return strcmp(name, ARCH_MANIFEST) == 0 ||
	    strcmp(name, ARCH_EVENTS) == 0 || strcmp(name, ARCH_HOURLY) == 0;
}

/* Exactly the three members, in order, each read and checked. */
static int
members(struct vst *v)
{
	static const char *const want[ARCH_NMEMBERS] = { ARCH_MANIFEST,
		ARCH_EVENTS, ARCH_HOURLY };
	const struct lmember lm[2] = {
		{ ARCH_EVENTS, "event", check_event, v->dig[0] },
		{ ARCH_HOURLY, "hourly", check_row, v->dig[1] },
	};
	const char *name;
	int64_t size;
	int i, rc;

	for (i = 0;; i++) {
		if ((rc = ar_next(v->ar, &name, &size)) < 0)
			return verify_arfail(v->res, v->ar);
		if (rc == 0 && i < ARCH_NMEMBERS)
			return verify_fail(v->res, "members", "no %s", want[i]);
		if (rc == 0)
			return 0;
		if (i >= ARCH_NMEMBERS || !is_member(name))
			return verify_fail(
			    v->res, "members", "unexpected member %s", name);
		if (strcmp(name, want[i]) != 0)
			return verify_fail(v->res, "members",
			    "%s where %s should be", name, want[i]);
		if (i == 0 && read_manifest(v, size) < 0)
			return -1;
		if (i > 0 && lines(v, &lm[i - 1]) < 0)
			return -1;
	}
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
	    v->res, "sha256", "%s is %s, the manifest says %s", member, g, w);
}

/* What only the whole content shows, against the manifest. */
static int
compare(struct vst *v)
{
	const struct manifest *m = &v->res->manifest;
	size_t n;
	char *s;
	int same;

	if (sha_check(v, m->sha_events, v->dig[0], ARCH_EVENTS) < 0 ||
	    sha_check(v, m->sha_hourly, v->dig[1], ARCH_HOURLY) < 0)
		return -1;
	if (v->res->events != m->events || v->rows != m->hourly_rows)
		return verify_fail(v->res, "count",
		    "%s has %llu lines, the manifest says "
		    "%llu",
		    v->res->events != m->events ? ARCH_EVENTS : ARCH_HOURLY,
		    (unsigned long long)(v->res->events != m->events
		            ? v->res->events
		            : v->rows),
		    (unsigned long long)(v->res->events != m->events
		            ? m->events
		            : m->hourly_rows));
	if (v->range.any != m->range.any ||
	    (v->range.any &&
	        (strcmp(v->range.ts[0], m->range.ts[0]) != 0 ||
	            strcmp(v->range.ts[1], m->range.ts[1]) != 0)))
		return verify_fail(v->res, "manifest",
		    "first and last are not the "
		    "events' smallest and largest ts");
	s = srcset_text(v->src, &n);
	same = n == m->sourceslen && memcmp(s, m->sources, n) == 0;
	free(s);
	if (!same)
		return verify_fail(
		    v->res, "manifest", "sources are not the events'");
	if (v->requests != m->events)
		return verify_fail(v->res, "hourly",
		    "requests add up to %llu, not %llu",
		    (unsigned long long)v->requests,
		    (unsigned long long)m->events);
	return 0;
}

/* An archive's file name, when it has the form of one, is its date. */
static int
name_check(struct vst *v, const char *path)
{
	const char *base = strrchr(path, '/');
	char date[ARCH_DATELEN + 1];
	int64_t day;

	base = base != NULL ? base + 1 : path;
	if (arch_parse_base(base, strlen(base), &day) < 0 ||
	    day == v->res->manifest.day)
		return 0;
	arch_date(date, v->res->manifest.day);
	return verify_fail(v->res, "name", "the manifest's date is %s", date);
}

/*
 * The archive open for reading, its size in res; -1 when it cannot be
 * (check "read").  The mode is looked at only when fstat gave one.
 */
int
verify_open(const char *path, struct verify_result *res)
{
	struct stat st;
	const char *why = NULL;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return verify_fail(res, "read", "%s", strerror(errno));
	if (fstat(fd, &st) < 0)
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	if (why != NULL) {
		verify_fail(res, "read", "%s", why);
		close(fd);
		return -1;
	}
	res->size = (uint64_t)st.st_size;
	return fd;
}

int
verify_archive(
    const char *path, const struct verify_opts *o, struct verify_result *res)
{
	unsigned char d[SHA256_LEN];
	struct sha256 file;
	struct vst v;
	int fd;

	memset(res, 0, sizeof(*res));
	memset(&v, 0, sizeof(v));
	v.o = o;
	v.res = res;
	if ((fd = verify_open(path, res)) < 0)
		return -1;
	sha256_init(&file);
	v.ar = ar_open(fd, o->threads, &file);
	v.src = srcset_new();
	v.sha = shabg_new(o->threads > 0);
	event_init(&v.ev);
	if (members(&v) == 0 &&
	    (ar_end(v.ar) == 0 || verify_arfail(v.res, v.ar) == 0) &&
	    compare(&v) == 0 && name_check(&v, path) == 0) {
		sha256_final(&file, d);
		sha256_hex(res->sha256, d);
	}
	event_free(&v.ev);
	shabg_free(v.sha);
	srcset_free(v.src);
	ar_close(v.ar);
	ls_free(&v.ls);
	close(fd);
	/* As xmalloc would: no verdict on the archive, and no threads now. */
	if (res->check != NULL && strcmp(res->check, "memory") == 0)
		lb_errx(EX_FAIL, "%s: out of memory", lb_escs(path));
	return res->check != NULL ? -1 : 0;
}

void
verify_free(struct verify_result *res)
{
	manifest_free(&res->manifest);
}
