/*
 * Reading the partial rows of logbook-aggregate --partial back, and
 * merging them into their rows (which may be coarser: hours into days,
 * method,path into method).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggint.h"
#include "diag.h"
#include "json.h"
#include "nsec.h"
#include "timeconv.h"

/* The members of a partial row beside its keys and columns. */
enum { MT_PARTIAL, MT_BY, MT_HOUR, MT_DAY, MT_ALL, NMETA };

static const char *const meta[NMETA] = { "partial", "by", "hour", "day",
	"all" };

/* The members that name a row's bucket: one of them. */
#define MT_BUCKETS (1u << MT_HOUR | 1u << MT_DAY | 1u << MT_ALL)

struct prow {
	struct row r;
	struct aggopts by; /* the keys and bucket the row was made with */
	int64_t bucket;
	struct kval kv;
	unsigned keys; /* bits of the agg_key members seen */
	unsigned meta; /* bits of the meta[] members seen */
	uint32_t cols; /* bits of the agg_cols[] members seen */
	size_t used; /* bytes of agg.mb taken */
};

/* A message for *why, kept until the thread's next one. */
static const char *__attribute__((format(printf, 1, 2)))
msgf(const char *fmt, ...)
{
	static _Thread_local char buf[80];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return buf;
}

static int
get_u64(const struct jval *v, uint64_t *out)
{
	uint64_t x = 0;
	size_t i;

	if (v->type != J_NUM || v->n == 0 || v->n > 20)
		return -1;
	for (i = 0; i < v->n; i++) {
		unsigned d = (unsigned)(v->p[i] - '0');
		if (d > 9 || x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*out = x;
	return 0;
}

static int
get_ts(const struct jval *v, struct tsv *t)
{
	size_t fl, i;
	int off;

	if (v->type != J_STR || v->esc ||
	    iso_time_parse(v->p, v->n, &t->sec, &off, &fl) < 0 || off != 0 ||
	    v->p[v->n - 1] != 'Z')
		return -1;
	t->nd = (uint32_t)fl;
	t->nsec = 0;
	for (i = 0; i < 9; i++)
		t->nsec = t->nsec * 10 +
		    (i < fl ? (uint32_t)(v->p[20 + i] - '0') : 0);
	return 0;
}

static int
get_rt(const struct jval *v, int64_t *ns)
{
	if (v->type == J_NULL) {
		*ns = -1;
		return 0;
	}
	if (v->type != J_NUM)
		return -1;
	return nsec_parse(v->p, v->n, ns);
}

/* "hour": "2025-10-13T06:00:00Z"; "day": "2025-10-13". */
static int
get_bucket(struct prow *p, const struct jval *v, int64_t size)
{
	char buf[ISO_SEC_LEN];
	int off;
	size_t fl;

	if (v->type != J_STR || v->esc || v->n != (size == AGG_DAY ? 10 : 20))
		return -1;
	memcpy(buf, v->p, v->n);
	if (size == AGG_DAY)
		memcpy(buf + 10, "T00:00:00Z", 10);
	if (iso_time_parse(buf, ISO_SEC_LEN, &p->bucket, &off, &fl) < 0 ||
	    off != 0 || buf[19] != 'Z' ||
	    agg_floor(p->bucket, size) != p->bucket)
		return -1;
	p->by.bucket = size;
	return 0;
}

static int
get_key(struct agg *a, struct prow *p, enum agg_key k, const struct jval *v)
{
	struct span *s = &p->kv.s[k];
	uint64_t x;

	if (k == AGG_STATUS) {
		if (v->type == J_NULL)
			return 0;
		if (get_u64(v, &x) < 0 || x > 999)
			return -1;
		p->kv.status = (int)x;
		return 0;
	}
	if (v->type == J_NULL)
		return 0;
	if (v->type != J_STR)
		return -1;
	if (k == AGG_CLASS) {
		if (v->esc || v->n != 3 || v->p[0] < '1' || v->p[0] > '5' ||
		    v->p[1] != 'x' || v->p[2] != 'x')
			return -1;
		p->kv.cls = v->p[0] - '0';
		return 0;
	}
	if (!v->esc) {
		s->p = v->p;
		s->n = v->n;
		return 0;
	}
	s->n = json_unescape(a->mb + p->used, v->p, v->n);
	s->p = a->mb + p->used;
	p->used += s->n;
	return 0;
}

static int
plain_str(const struct jval *v)
{
	return v->type == J_STR && !v->esc;
}

static int
is_one(const struct jval *v)
{
	return v->type == J_NUM && v->n == 1 && v->p[0] == '1';
}

static int
get_meta(struct prow *p, size_t i, const struct jval *v)
{
	const char *why;

	switch (i) {
	case MT_PARTIAL:
		return is_one(v) ? 0 : -1;
	case MT_ALL:
		/* "all": 1, a row of all time; its bucket is 0. */
		p->by.bucket = AGG_ALL;
		return is_one(v) ? 0 : -1;
	case MT_BY:
		return plain_str(v) ? agg_parse_keys(&p->by, v->p, v->n, &why)
		                    : -1;
	default:
		return get_bucket(p, v, i == MT_DAY ? AGG_DAY : AGG_HOUR);
	}
}

/* Column c of the row, read as partial rows write it. */
static int
get_col(struct prow *p, const struct aggcol *c, const struct jval *v)
{
	void *x = (char *)&p->r + c->off;

	switch (c->part) {
	case V_U64:
		return get_u64(v, x);
	case V_U128:
		return v->type == J_NUM ? u128_parse(v->p, v->n, x) : -1;
	case V_TS:
		return get_ts(v, x);
	case V_NS:
		return get_rt(v, x);
	case V_HLL:
		return plain_str(v) ? hll_get(x, v->p, v->n) : -1;
	case V_QS:
		return plain_str(v) ? qs_get(x, v->p, v->n) : -1;
	default:
		return -1;
	}
}

static int
named(const struct jval *k, const char *name, size_t n)
{
	return !k->esc && k->n == n && memcmp(k->p, name, n) == 0;
}

static int
member(struct agg *a, struct prow *p, const struct jval *k,
    const struct jval *v, const char **why)
{
	const struct aggcol *c;
	size_t i;

	for (i = 0; i < AGG_NKEYNAMES; i++)
		if (json_keyeq(k, agg_keyname((enum agg_key)i))) {
			if (p->keys & 1u << i || get_key(a, p, i, v) < 0)
				goto bad;
			p->keys |= 1u << i;
			return 0;
		}
	for (i = 0; i < NMETA; i++)
		if (json_keyeq(k, meta[i])) {
			if (p->meta & 1u << i || get_meta(p, i, v) < 0)
				goto bad;
			p->meta |= 1u << i;
			return 0;
		}
	for (i = 0, c = agg_cols; i < agg_ncols; i++, c++)
		if (c->part != V_NONE && named(k, c->name, c->len)) {
			if (p->cols & UINT32_C(1) << i || get_col(p, c, v) < 0)
				goto bad;
			p->cols |= UINT32_C(1) << i;
			return 0;
		}
	return 0; /* the final columns, or members of newer versions */
bad:
	*why = msgf("bad or repeated \"%.*s\" in a partial row",
	    (int)(k->n < 20 ? k->n : 20), k->p);
	return -1;
}

static const char *
missing(const char *name)
{
	return msgf("partial row without \"%s\"", name);
}

/* What a row written by agg_write(AGG_PARTIAL) always satisfies. */
static const char *
check(const struct prow *p)
{
	uint64_t rt = qs_total(&p->r.rt), c = 0;
	size_t i;

	if ((p->meta & 1u << MT_PARTIAL) == 0)
		return "not a partial row (made with --partial)";
	if ((p->meta & 1u << MT_BY) == 0)
		return missing(meta[MT_BY]);
	for (i = 0; i < agg_ncols; i++)
		if (agg_cols[i].part != V_NONE &&
		    (p->cols & UINT32_C(1) << i) == 0)
			return missing(agg_cols[i].name);
	if ((p->meta & MT_BUCKETS) == 0 ||
	    (p->meta & MT_BUCKETS & ((p->meta & MT_BUCKETS) - 1)) != 0)
		return "partial row needs one of \"hour\", \"day\" and "
		       "\"all\"";
	for (i = 0; i < p->by.nkeys; i++)
		if ((p->keys & 1u << p->by.key[i]) == 0)
			return missing(agg_keyname(p->by.key[i]));
	for (i = 0; i < 5; i++)
		c += p->r.cls[i];
	if (p->r.requests == 0 || p->r.nobytes > p->r.requests ||
	    c > p->r.requests || rt > p->r.requests ||
	    (p->r.ips.cap != HLL_DENSE && p->r.ips.n > p->r.requests))
		return "partial row counts do not add up";
	if (tsv_cmp(&p->r.first, &p->r.last) > 0 ||
	    (p->by.bucket != AGG_ALL &&
	        (p->r.first.sec < p->bucket ||
	            p->r.last.sec - p->bucket >= p->by.bucket)))
		return "partial row times outside its bucket";
	if ((rt == 0) != (p->r.rtmin < 0) || (rt == 0) != (p->r.rtmax < 0) ||
	    p->r.rtmin > p->r.rtmax)
		return "partial row rt state inconsistent";
	return NULL;
}

/*
 * Take the options the caller left open from the first row, then pick
 * the wanted keys out of the row's.
 */
static const char *
project(struct agg *a, struct prow *p)
{
	size_t i, j;

	agg_opts_fill(&a->o, &p->by);
	if (a->o.bucket < p->by.bucket && p->by.bucket == AGG_ALL)
		return "rows of all time cannot be split into hours or days";
	if (a->o.bucket < p->by.bucket)
		return "day rows cannot be split into hours";
	for (i = 0; i < a->o.nkeys; i++) {
		for (j = 0; j < p->by.nkeys; j++)
			if (p->by.key[j] == a->o.key[i])
				break;
		if (j < p->by.nkeys)
			continue;
		if (a->o.key[i] == AGG_CLASS && (p->keys & 1u << AGG_STATUS))
			p->kv.cls = agg_status_class(p->kv.status);
		else
			return msgf("partial row not keyed by \"%s\"",
			    agg_keyname(a->o.key[i]));
	}
	return NULL;
}

/*
 * 0: the row's events are all in the range; 1: none are, skip it; -1:
 * some may be, and a row cannot be split.
 */
static int
in_range(const struct agg *a, const struct prow *p, const char **why)
{
	int f = agg_range_cmp(&a->o, &p->r.first);
	int l = agg_range_cmp(&a->o, &p->r.last);

	if (f == 0 && l == 0)
		return 0;
	if (f == l)
		return 1;
	*why = "partial row with times on both sides of the time range's "
	       "bound";
	return -1;
}

/* Merge one partial row (a line of agg_write(AGG_PARTIAL) output). */
int
agg_merge_row(struct agg *a, const char *line, size_t n, const char **why)
{
	struct prow p;
	struct jobj o;
	struct jval k, v;
	struct row *r;
	int rc;

	memset(&p, 0, sizeof(p));
	p.r.rtmin = p.r.rtmax = -1;
	p.kv.status = -1;
	if (a->mbcap < n) {
		a->mbcap = n + 256;
		a->mb = xrealloc(a->mb, a->mbcap);
	}
	rc = json_obj_begin(&o, line, n);
	while (rc == 0 && (rc = json_obj_next(&o, &k, &v)) == 1)
		rc = member(a, &p, &k, &v, why);
	if (rc < 0 && o.err != NULL)
		*why = o.err;
	else if (rc == 0 && json_obj_end(&o) < 0) {
		*why = o.err;
		rc = -1;
	}
	if (rc == 0 &&
	    ((*why = check(&p)) != NULL || (*why = project(a, &p)) != NULL))
		rc = -1;
	if (rc == 0)
		rc = in_range(a, &p, why);
	if (rc == 0) {
		r = agg_row(a, agg_floor(p.bucket, a->o.bucket), &p.kv);
		rc = agg_row_merge(r, &p.r, why);
	}
	agg_row_free(&p.r);
	return rc;
}
