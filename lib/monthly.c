/* Monthly aggregate archives: their rows, and checking one (monthly.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archcheck.h"
#include "archfmt.h"
#include "diag.h"
#include "hex.h"
#include "json.h"
#include "monthly.h"

/* YYYY-MM-DDTHH:00:00Z, a real date and hour. */
int
monthly_hour_ok(const char *p, size_t n)
{
	int64_t day;

	return n == MONTHLY_HOURLEN &&
	    arch_parse_date(p, ARCH_DATELEN, &day) == 0 && p[10] == 'T' &&
	    p[11] >= '0' && p[11] <= '2' && p[12] >= '0' && p[12] <= '9' &&
	    (p[11] - '0') * 10 + (p[12] - '0') < 24 &&
	    memcmp(p + 13, ":00:00Z", 7) == 0;
}

/* A key value as lib/agg encodes it: 00 null, or 01, text, 00 00. */
static int
enc(struct mrow *r, const struct jval *v, size_t *cap)
{
	size_t i, n;
	char *t;

	if (v->type == J_NULL) {
		r->key[r->keylen++] = 0;
		return 0;
	}
	if (v->type != J_STR)
		return -1;
	t = xmalloc(v->n + 1);
	n = v->esc ? json_unescape(t, v->p, v->n) : v->n;
	if (!v->esc)
		memcpy(t, v->p, n);
	if (*cap - r->keylen < 2 * n + 3) {
		*cap = r->keylen + 2 * n + 3;
		r->key = xrealloc(r->key, *cap);
	}
	r->key[r->keylen++] = 1;
	for (i = 0; i < n; i++) {
		r->key[r->keylen++] = (unsigned char)t[i];
		if (t[i] == '\0')
			r->key[r->keylen++] = 0xff;
	}
	r->key[r->keylen++] = 0;
	r->key[r->keylen++] = 0;
	free(t);
	return 0;
}

/*
 * A row of hourly.ndjson: an object whose first member is its hour, with
 * method and path (strings or null) and a requests count.  0, or -1
 * with *why set; r then holds nothing to free.
 */
int
mrow_parse(struct mrow *r, const char *p, size_t n, const char **why)
{
	struct jobj o;
	struct jval k, v, m = { J_NONE, NULL, 0, 0 }, pa = m;
	size_t cap = 64;
	int rc = 0, i = 0, nreq = 0;

	memset(r, 0, sizeof(*r));
	*why = NULL;
	if (json_obj_begin(&o, p, n) < 0) {
		*why = o.err;
		return -1;
	}
	while (*why == NULL && (rc = json_obj_next(&o, &k, &v)) == 1) {
		if (i++ == 0 &&
		    (!json_keyeq(&k, "hour") || v.type != J_STR ||
		        !monthly_hour_ok(v.p, v.n)))
			*why = "no hour of the form YYYY-MM-DDTHH:00:00Z first";
		else if (i == 1)
			memcpy(r->hour, v.p, MONTHLY_HOURLEN);
		else if (json_keyeq(&k, "method") && m.type == J_NONE)
			m = v;
		else if (json_keyeq(&k, "path") && pa.type == J_NONE)
			pa = v;
		else if (json_keyeq(&k, "requests"))
			nreq = v.type == J_NUM &&
			        arch_u64(v.p, v.n, &r->requests) == 0 &&
			        nreq == 0
			    ? 1
			    : -1;
		else if (json_keyeq(&k, "hour") || json_keyeq(&k, "method") ||
		    json_keyeq(&k, "path"))
			*why = "a key given twice";
	}
	if (*why != NULL)
		return -1;
	if (rc < 0 || json_obj_end(&o) < 0) {
		*why = o.err;
		return -1;
	}
	if (i == 0)
		*why = "no hour of the form YYYY-MM-DDTHH:00:00Z first";
	else if (m.type == J_NONE || pa.type == J_NONE)
		*why = "no method or no path";
	else if (nreq != 1)
		*why = "no single requests count";
	if (*why != NULL)
		return -1;
	r->key = xmalloc(cap);
	if (enc(r, &m, &cap) < 0 || enc(r, &pa, &cap) < 0) {
		free(r->key);
		r->key = NULL;
		*why = "method or path not a string or null";
		return -1;
	}
	r->line = xmalloc(n + 1);
	memcpy(r->line, p, n);
	r->line[n] = '\0';
	r->n = n;
	return 0;
}

/* By hour, then key, as lib/agg writes rows. */
int
mrow_cmp(const struct mrow *a, const struct mrow *b)
{
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c;

	if ((c = memcmp(a->hour, b->hour, MONTHLY_HOURLEN)) != 0)
		return c;
	if ((c = memcmp(a->key, b->key, n)) != 0)
		return c;
	return (a->keylen > b->keylen) - (a->keylen < b->keylen);
}

void
mrow_free(struct mrow *r)
{
	free(r->line);
	free(r->key);
	r->line = NULL;
	r->key = NULL;
}

/* logbook-YYYY-MM.hourly.tar.gz: its month, else -1. */
int
monthly_parse_base(const char *s, size_t n, char month[8])
{
	char d[ARCH_DATELEN + 1];
	int64_t day;

	if (n != MONTHLY_BASELEN || memcmp(s, "logbook-", 8) != 0 ||
	    memcmp(s + 15, MONTHLY_SUFFIX, strlen(MONTHLY_SUFFIX)) != 0)
		return -1;
	memcpy(d, s + 8, 7);
	memcpy(d + 7, "-01", 4);
	if (arch_parse_date(d, ARCH_DATELEN, &day) < 0)
		return -1;
	memcpy(month, s + 8, 7);
	month[7] = '\0';
	return 0;
}

/* ---- checking a monthly archive ---------------------------------------- */

/* The members, by their index in the tar. */
enum { M_MANIFEST, M_HOURLY };

struct mst {
	struct archcheck c; /* first: the checks get it */
	int (*row)(void *, const char *, size_t);
	void *arg;
	/* the manifest */
	char first[MONTHLY_HOURLEN + 1], last[MONTHLY_HOURLEN + 1];
	char *days;
	unsigned char sha[SHA256_LEN];
	/* the rows */
	struct mrow prev;
	char rfirst[MONTHLY_HOURLEN + 1];
	char *rdays;
	size_t ndays, capdays;
	uint64_t rows, requests;
};

/* One line of the manifest, key and value; a bit in *seen per key. */
static const char *
mline(struct mst *v, const char *p, size_t n, unsigned *seen)
{
	struct manifest *m = &v->c.res->manifest;
	const char *sp = memchr(p, ' ', n);
	size_t kn = sp != NULL ? (size_t)(sp - p) : n, vn;
	const char *val = sp != NULL ? sp + 1 : p + n;
	char d[ARCH_DATELEN + 1];
	int64_t day;

	vn = n - (size_t)(val - p);
	if (kn == SHA256_HEXLEN && vn == 1 + strlen(ARCH_HOURLY) &&
	    val[0] == ' ' && memcmp(val + 1, ARCH_HOURLY, vn - 1) == 0) {
		if (hex_decode(v->sha, p, SHA256_LEN) < 0)
			return "a bad SHA-256 line";
		*seen |= 1;
		return NULL;
	}
	if (sp == NULL)
		return NULL; /* not a key of ours */
#define KEY(s) (kn == strlen(s) && memcmp(p, s, kn) == 0)
	if (KEY("month")) {
		if (vn != 7)
			return "a bad month";
		memcpy(d, val, 7);
		memcpy(d + 7, "-01", 4);
		if (arch_parse_date(d, ARCH_DATELEN, &day) < 0)
			return "a bad month";
		memcpy(v->c.res->month, val, 7);
		*seen |= 2;
	} else if (KEY("hourly_rows")) {
		if (arch_u64(val, vn, &m->hourly_rows) < 0)
			return "a bad hourly_rows";
		*seen |= 4;
	} else if (KEY("events")) {
		if (arch_u64(val, vn, &m->events) < 0)
			return "a bad events";
		*seen |= 8;
	} else if (KEY("first") || KEY("last")) {
		if (!(vn == 1 && val[0] == '-') && !monthly_hour_ok(val, vn))
			return "a bad first or last";
		memcpy(KEY("first") ? v->first : v->last, val, vn);
		*seen |= KEY("first") ? 16 : 32;
	} else if (KEY("days")) {
		free(v->days);
		v->days = xmalloc(vn + 1);
		memcpy(v->days, val, vn);
		v->days[vn] = '\0';
		*seen |= 64;
	} else if (KEY("created_by")) {
		snprintf(
		    m->created_by, sizeof(m->created_by), "%.*s", (int)vn, val);
	}
#undef KEY
	return NULL;
}

static int
parse_manifest(struct archcheck *ac, const char *buf, size_t used)
{
	struct mst *v = (struct mst *)ac;
	const char *why = NULL, *s, *e, *end = buf + used;
	size_t n = strlen(MANIFEST_MAGIC);
	unsigned seen = 0;

	if (used < n + 1 || memcmp(buf, MANIFEST_MAGIC "\n", n + 1) != 0)
		why = "not a logbook-manifest 1";
	for (s = buf + n + 1; why == NULL && s < end; s = e + 1) {
		if ((e = memchr(s, '\n', (size_t)(end - s))) == NULL) {
			why = "no newline at the end";
			break; /* no e + 1 to go on from */
		}
		why = mline(v, s, (size_t)(e - s), &seen);
	}
	if (why == NULL && seen != 127)
		why = "a key missing: month, hourly_rows, events, first, "
		      "last, days or the SHA-256 of hourly.ndjson";
	if (why != NULL)
		return verify_fail(v->c.res, "manifest", "%s", why);
	v->c.res->have_manifest = 1;
	return 0;
}

/* The date of a row, to the list of days when new. */
static void
add_day(struct mst *v, const char *hour)
{
	if (v->ndays >= ARCH_DATELEN &&
	    memcmp(v->rdays + v->ndays - ARCH_DATELEN, hour, ARCH_DATELEN) == 0)
		return;
	if (v->capdays - v->ndays < ARCH_DATELEN + 2) {
		v->capdays = v->capdays * 2 + 64;
		v->rdays = xrealloc(v->rdays, v->capdays);
	}
	if (v->ndays > 0)
		v->rdays[v->ndays++] = ' ';
	memcpy(v->rdays + v->ndays, hour, ARCH_DATELEN);
	v->ndays += ARCH_DATELEN;
	v->rdays[v->ndays] = '\0';
}

static int
one_row(struct archcheck *ac, const char *p, size_t n)
{
	struct mst *v = (struct mst *)ac;
	struct mrow r;
	const char *why;
	int c;

	if (mrow_parse(&r, p, n, &why) < 0)
		return verify_fail(v->c.res, "hourly", "%s:%llu: %s",
		    ARCH_HOURLY, (unsigned long long)v->c.ls.line, why);
	if (memcmp(r.hour, v->c.res->month, 7) != 0) {
		mrow_free(&r);
		return verify_fail(v->c.res, "date",
		    "%s:%llu: hour %.20s is not in %s", ARCH_HOURLY,
		    (unsigned long long)v->c.ls.line, r.hour, v->c.res->month);
	}
	if (v->rows > 0 && (c = mrow_cmp(&r, &v->prev)) <= 0) {
		mrow_free(&r);
		return verify_fail(v->c.res, c == 0 ? "duplicate" : "order",
		    "%s:%llu: row %s the line before", ARCH_HOURLY,
		    (unsigned long long)v->c.ls.line,
		    c == 0 ? "repeats" : "sorts before");
	}
	if (r.requests > UINT64_MAX - v->requests) {
		mrow_free(&r);
		return verify_fail(v->c.res, "hourly",
		    "%s:%llu: requests past 64 bits", ARCH_HOURLY,
		    (unsigned long long)v->c.ls.line);
	}
	if (v->rows == 0)
		memcpy(v->rfirst, r.hour, sizeof(r.hour));
	add_day(v, r.hour);
	v->requests += r.requests;
	v->rows++;
	mrow_free(&v->prev);
	v->prev = r;
	if (v->row != NULL && v->row(v->arg, p, n) < 0)
		return verify_fail(v->c.res, "caller", "%s:%llu: refused",
		    ARCH_HOURLY, (unsigned long long)v->c.ls.line);
	return 0;
}

/* What only the whole content shows, against the manifest. */
static int
compare(struct archcheck *ac)
{
	struct mst *v = (struct mst *)ac;
	const struct manifest *m = &v->c.res->manifest;
	char w[SHA256_HEXLEN + 1], g[SHA256_HEXLEN + 1];

	if (memcmp(ac->dig[M_HOURLY], v->sha, SHA256_LEN) != 0) {
		sha256_hex(w, v->sha);
		sha256_hex(g, ac->dig[M_HOURLY]);
		return verify_fail(v->c.res, "sha256",
		    "%s is %s, the manifest says %s", ARCH_HOURLY, g, w);
	}
	if (v->rows != m->hourly_rows)
		return verify_fail(v->c.res, "count",
		    "%s has %llu line%s, the manifest says %llu", ARCH_HOURLY,
		    (unsigned long long)v->rows, lb_s(v->rows),
		    (unsigned long long)m->hourly_rows);
	if (v->requests != m->events)
		return verify_fail(v->c.res, "hourly",
		    "requests add up to %llu, not %llu",
		    (unsigned long long)v->requests,
		    (unsigned long long)m->events);
	if (strcmp(v->first, v->rows > 0 ? v->rfirst : "-") != 0 ||
	    strcmp(v->last, v->rows > 0 ? v->prev.hour : "-") != 0)
		return verify_fail(v->c.res, "manifest",
		    "first and last are not the rows' earliest and latest "
		    "hour");
	if (strcmp(v->days, v->rows > 0 ? v->rdays : "-") != 0)
		return verify_fail(
		    v->c.res, "manifest", "days are not the rows' dates");
	return 0;
}

/* A file name of the monthly form is the archive's month. */
static int
name_check(struct archcheck *c, const char *base)
{
	char month[8];

	if (monthly_parse_base(base, strlen(base), month) == 0 &&
	    strcmp(month, c->res->month) != 0)
		return verify_fail(c->res, "name", "the manifest's month is %s",
		    c->res->month);
	return 0;
}

static const struct ac_member members[] = {
	{ ARCH_MANIFEST, NULL, NULL },
	{ ARCH_HOURLY, "hourly", one_row },
};

static const struct ac_kind monthly = { members,
	(int)(sizeof(members) / sizeof(members[0])), parse_manifest, compare,
	name_check, 0 };

/* Check the monthly archive at path; 0 when it passes (monthly.h). */
int
monthly_verify(const char *path, int threads,
    int (*row)(void *, const char *, size_t), void *arg,
    struct verify_result *res)
{
	struct mst v;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&v, 0, sizeof(v));
	res->monthly = 1;
	v.c.k = &monthly;
	v.c.res = res;
	v.row = row;
	v.arg = arg;
	rc = ac_run(&v.c, path, threads);
	mrow_free(&v.prev);
	free(v.days);
	free(v.rdays);
	return rc;
}
