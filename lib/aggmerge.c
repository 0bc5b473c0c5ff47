/*
 * Reading the partial rows of logbook-aggregate --partial back, and
 * merging them into their rows (which may be coarser: hours into days,
 * method,path into method).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggint.h"
#include "diag.h"
#include "json.h"
#include "nsec.h"
#include "timeconv.h"

enum {
	F_PARTIAL = 1 << 0,
	F_BY = 1 << 1,
	F_BUCKET = 1 << 2,
	F_REQ = 1 << 3,
	F_BYTES = 1 << 4,
	F_NOBYTES = 1 << 5,
	F_FIRST = 1 << 6,
	F_LAST = 1 << 7,
	F_RTMIN = 1 << 8,
	F_RTMAX = 1 << 9,
	F_IPS = 1 << 10,
	F_RT = 1 << 11,
	F_CLS = 1 << 12, /* five bits, 1xx to 5xx */
	F_ALL = (1 << 17) - 1
};

struct prow {
	struct row r;
	struct aggopts by; /* the keys the row was made with */
	int64_t bucket, size;
	struct kval kv;
	unsigned keys; /* bits of the agg_key members seen */
	unsigned seen;
	size_t used; /* bytes of agg.mb taken */
};

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
	p->size = size;
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

static const char *const fields[] = {
	"partial",
	"by",
	"hour",
	"day",
	"requests",
	"bytes",
	"bytes_null",
	"s1xx",
	"s2xx",
	"s3xx",
	"s4xx",
	"s5xx",
	"first",
	"last",
	"rt_min",
	"rt_max",
	"ips",
	"rt",
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))
#define BIT_HOUR (1u << 2)
#define BIT_DAY (1u << 3)

static int
get_field(struct prow *p, size_t f, const struct jval *v)
{
	uint64_t *cnt[] = { &p->r.requests, NULL, &p->r.nobytes, &p->r.cls[0],
		&p->r.cls[1], &p->r.cls[2], &p->r.cls[3], &p->r.cls[4] };
	const char *why;

	if ((f == 1 || f >= 16) && (v->type != J_STR || v->esc))
		return -1;
	switch (f) {
	case 0:
		return v->type == J_NUM && v->n == 1 && v->p[0] == '1' ? 0 : -1;
	case 1:
		return agg_parse_keys(&p->by, v->p, v->n, &why);
	case 2:
		return get_bucket(p, v, AGG_HOUR);
	case 3:
		return get_bucket(p, v, AGG_DAY);
	case 5:
		return v->type == J_NUM ? u128_parse(v->p, v->n, &p->r.bytes)
		                        : -1;
	case 12:
		return get_ts(v, &p->r.first);
	case 13:
		return get_ts(v, &p->r.last);
	case 14:
		return get_rt(v, &p->r.rtmin);
	case 15:
		return get_rt(v, &p->r.rtmax);
	case 16:
		return hll_get(&p->r.ips, v->p, v->n);
	case 17:
		return qs_get(&p->r.rt, v->p, v->n);
	default:
		return get_u64(v, cnt[f - 4]);
	}
}

static const char *
badmember(const struct jval *k)
{
	static char buf[80];

	snprintf(buf, sizeof(buf), "bad or repeated \"%.*s\" in a partial row",
	    (int)(k->n < 20 ? k->n : 20), k->p);
	return buf;
}

static int
member(struct agg *a, struct prow *p, const struct jval *k,
    const struct jval *v, const char **why)
{
	size_t i;

	for (i = 0; i < AGG_NKEYNAMES; i++)
		if (json_keyeq(k, agg_keyname((enum agg_key)i))) {
			if (p->keys & 1u << i || get_key(a, p, i, v) < 0)
				goto bad;
			p->keys |= 1u << i;
			return 0;
		}
	for (i = 0; i < NFIELDS; i++)
		if (json_keyeq(k, fields[i])) {
			if (p->seen & 1u << i || get_field(p, i, v) < 0)
				goto bad;
			p->seen |= 1u << i;
			return 0;
		}
	return 0; /* the final columns, or members of newer versions */
bad:
	*why = badmember(k);
	return -1;
}

static const char *
missing(const char *name)
{
	static char buf[80];

	snprintf(buf, sizeof(buf), "partial row without \"%s\"", name);
	return buf;
}

/* What a row written by agg_write(AGG_PARTIAL) always satisfies. */
static const char *
check(const struct prow *p)
{
	uint64_t rt = qs_total(&p->r.rt), c = 0;
	size_t i;

	if ((p->seen & 1u) == 0)
		return "not a partial row (made with --partial)";
	for (i = 0; i < NFIELDS; i++)
		if ((p->seen & 1u << i) == 0 && i != 2 && i != 3)
			return missing(fields[i]);
	if (!(p->seen & BIT_HOUR) == !(p->seen & BIT_DAY))
		return "partial row needs one of \"hour\" and \"day\"";
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
	    p->r.first.sec < p->bucket || p->r.last.sec - p->bucket >= p->size)
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
	static char buf[80];
	size_t i, j;

	if (a->o.bucket == 0)
		a->o.bucket = p->size;
	if (a->o.nkeys == 0) {
		memcpy(a->o.key, p->by.key, sizeof(a->o.key));
		a->o.nkeys = p->by.nkeys;
	}
	if (a->o.bucket < p->size)
		return "day rows cannot be split into hours";
	for (i = 0; i < a->o.nkeys; i++) {
		for (j = 0; j < p->by.nkeys; j++)
			if (p->by.key[j] == a->o.key[i])
				break;
		if (j < p->by.nkeys)
			continue;
		if (a->o.key[i] == AGG_CLASS && (p->keys & 1u << AGG_STATUS))
			p->kv.cls = agg_status_class(p->kv.status);
		else {
			snprintf(buf, sizeof(buf),
			    "partial row not keyed by "
			    "\"%s\"",
			    agg_keyname(a->o.key[i]));
			return buf;
		}
	}
	return NULL;
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
	if (rc == 0) {
		r = agg_row(a, agg_floor(p.bucket, a->o.bucket), &p.kv);
		rc = agg_row_merge(r, &p.r, why);
	}
	agg_row_free(&p.r);
	return rc;
}
