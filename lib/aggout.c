/* Writing rows: sorted by bucket and key, as NDJSON, CSV or partial. */
#include <stdlib.h>
#include <string.h>

#include "aggint.h"
#include "csvout.h"
#include "diag.h"
#include "json.h"
#include "nsec.h"
#include "timeconv.h"
#include "tz.h"

#define NCOL 32 /* columns at most */
#define NPCT 8 /* percentile columns at most */

/* A column of the rows being written, and the kind of value it has. */
struct wcol {
	const char *name;
	size_t len, off;
	int kind;
	size_t pct; /* V_PCT: its place in out.pct */
};

struct out {
	struct obuf *ob;
	const struct agg *a;
	int csv, safe, partial;
	int nf; /* fields written on this line */
	int64_t day; /* whose date is in date */
	char date[10];
	struct wcol col[NCOL];
	size_t ncol;
	const struct row *pctrow; /* whose percentiles are in pct */
	int64_t pct[NPCT];
	unsigned char q[NPCT]; /* the percentile of each */
	size_t nq;
};

#define NAME(s) (s), (sizeof(s) - 1)

/* Before a field: its name, or the separator. */
static void
sep(struct out *w, const char *name, size_t n)
{
	char *o;

	if (w->csv) {
		if (w->nf++ > 0)
			ob_putc(w->ob, ',');
		return;
	}
	o = ob_reserve(w->ob, n + 4);
	o[0] = w->nf++ > 0 ? ',' : '{';
	o[1] = '"';
	memcpy(o + 2, name, n);
	o[n + 2] = '"';
	o[n + 3] = ':';
	w->ob->len += n + 4;
}

static void
end(struct out *w)
{
	if (w->csv)
		ob_lit(w->ob, "\r\n");
	else
		ob_lit(w->ob, "}\n");
	w->nf = 0;
}

static void
put_null(struct out *w, const char *name, size_t n)
{
	sep(w, name, n);
	if (!w->csv)
		ob_lit(w->ob, "null");
}

static void
put_u64(struct out *w, const char *name, size_t n, uint64_t v)
{
	sep(w, name, n);
	ob_u64(w->ob, v);
}

/* Seconds from nanoseconds; negative: null. */
static void
put_ns(struct out *w, const char *name, size_t n, int64_t ns)
{
	if (ns < 0) {
		put_null(w, name, n);
		return;
	}
	sep(w, name, n);
	nsec_put(w->ob, ns);
}

static void
put_text(struct out *w, const char *name, size_t n, const struct span *s)
{
	if (s->p == NULL) {
		put_null(w, name, n);
		return;
	}
	sep(w, name, n);
	if (w->csv)
		csv_text(w->ob, s->p, s->n, w->safe);
	else
		json_str(w->ob, s->p, s->n);
}

/* Text that never needs quoting or escapes: times, classes. */
static void
put_plain(struct out *w, const char *name, size_t n, const char *s, size_t len)
{
	sep(w, name, n);
	if (w->csv)
		ob_write(w->ob, s, len);
	else
		json_str_ascii(w->ob, s, len);
}

static void
put2(char *p, int64_t v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* iso_time_format, with the date of the previous call kept: rows come in
 * time order, and the calendar is the slow part. */
static void
iso(struct out *w, char *buf, int64_t sec)
{
	int64_t day = agg_floor(sec, AGG_DAY), s = sec - day;

	if (day != w->day) {
		iso_time_format(buf, sec);
		memcpy(w->date, buf, 10);
		w->day = day;
		return;
	}
	memcpy(buf, w->date, 10);
	buf[10] = 'T';
	put2(buf + 11, s / 3600);
	buf[13] = ':';
	put2(buf + 14, s / 60 % 60);
	buf[16] = ':';
	put2(buf + 17, s % 60);
	buf[19] = 'Z';
}

static void
put_ts(struct out *w, const char *name, size_t n, const struct tsv *t)
{
	char buf[ISO_SEC_LEN + 10];
	uint32_t i, x = t->nsec;

	iso(w, buf, t->sec);
	if (t->nd == 0) {
		put_plain(w, name, n, buf, ISO_SEC_LEN);
		return;
	}
	buf[19] = '.';
	for (i = 9; i > 0; i--, x /= 10)
		if (i <= t->nd)
			buf[19 + i] = (char)('0' + x % 10);
	buf[20 + t->nd] = 'Z';
	put_plain(w, name, n, buf, ISO_SEC_LEN + 1 + t->nd);
}

/* "day" or "hour": the name of the bucket column, n long. */
static const char *
bucket_name(const struct out *w, size_t *n)
{
	int day = w->a->o.bucket == AGG_DAY;

	*n = day ? 3 : 4;
	return day ? "day" : "hour";
}

/*
 * The local hour that begins at UTC second t, by its clock's name for
 * it, with the offset that makes it t: 2025-11-02T01:00:00-05:00.  An
 * hour the clock enters late (02:30 for 02:00) is named as zoneinfo
 * names it, 02:00 at the offset before the change.
 */
static size_t
local_hour(const struct lbtz *z, char *buf, int64_t t)
{
	int64_t l = tz_local(z, t), off;
	unsigned u;

	l -= (l % 3600 + 3600) % 3600;
	off = (l - t) / 60;
	u = (unsigned)(off < 0 ? -off : off);
	iso_time_format(buf, l);
	buf[19] = off < 0 ? '-' : '+';
	put2(buf + 20, u / 60);
	buf[22] = ':';
	put2(buf + 23, u % 60);
	return 25;
}

/*
 * Rows of all time have no bucket column; partial rows say "all":1
 * instead, first, so that the text up to the first comma is still the
 * bucket.
 */
static void
put_bucket(struct out *w, int64_t bucket)
{
	char buf[ISO_SEC_LEN + 6];
	const char *name;
	size_t n;

	if (w->a->o.bucket == AGG_ALL) {
		if (w->partial) {
			sep(w, NAME("all"));
			ob_putc(w->ob, '1');
		}
		return;
	}
	name = bucket_name(w, &n);
	if (w->a->o.tz != NULL && n == 4) {
		put_plain(w, name, n, buf, local_hour(w->a->o.tz, buf, bucket));
		return;
	}
	iso(w, buf, bucket);
	put_plain(w, name, n, buf, n == 3 ? 10 : ISO_SEC_LEN);
}

static void
put_keys(struct out *w, const struct kval *kv)
{
	const struct aggopts *o = &w->a->o;
	const char *name;
	char cls[3] = { '0', 'x', 'x' };
	size_t i, n;

	for (i = 0; i < o->nkeys; i++) {
		name = agg_keyname(o->key[i]);
		n = strlen(name);
		if (o->key[i] == AGG_STATUS && kv->status >= 0)
			put_u64(w, name, n, (uint64_t)kv->status);
		else if (o->key[i] == AGG_CLASS && kv->cls != 0) {
			cls[0] = (char)('0' + kv->cls);
			put_plain(w, name, n, cls, 3);
		} else if (o->key[i] == AGG_STATUS || o->key[i] == AGG_CLASS)
			put_null(w, name, n);
		else
			put_text(w, name, n, &kv->s[o->key[i]]);
	}
}

/*
 * The percentiles of the final rows' columns, by nearest rank (the
 * smallest value with at least q% of the values at or below it), all at
 * once for a row.  Estimates are rounded to four digits; the smallest
 * and the largest value are always exact.
 */
static void
percentiles(struct out *w, const struct row *r)
{
	uint64_t total = qs_total(&r->rt), rank[NPCT] = { 0 };
	int64_t *v = w->pct;
	size_t i;

	for (i = 0; i < w->nq; i++)
		rank[i] =
		    total / 100 * w->q[i] + (total % 100 * w->q[i] + 99) / 100;
	qs_ranks(&r->rt, rank, w->nq, v);
	for (i = 0; i < w->nq; i++) {
		if (v[i] < 0 || total == 0) {
			v[i] = -1;
			continue;
		}
		if (!qs_exact(&r->rt))
			v[i] = nsec_round(v[i], 4);
		if (v[i] < r->rtmin || rank[i] == 1)
			v[i] = r->rtmin;
		if (v[i] > r->rtmax || rank[i] == total)
			v[i] = r->rtmax;
	}
	w->pctrow = r;
}

/* Column k of row r. */
static void
put_col(struct out *w, const struct row *r, const struct wcol *k)
{
	const void *x = (const char *)r + k->off;
	const struct hll *ips = x;

	switch (k->kind) {
	case V_U64:
		put_u64(w, k->name, k->len, *(const uint64_t *)x);
		break;
	case V_U128:
		sep(w, k->name, k->len);
		u128_put(w->ob, *(const struct u128 *)x);
		break;
	case V_NS:
		put_ns(w, k->name, k->len, *(const int64_t *)x);
		break;
	case V_TS:
		put_ts(w, k->name, k->len, x);
		break;
	case V_HLL:
		sep(w, k->name, k->len);
		hll_put(w->ob, x);
		break;
	case V_QS:
		sep(w, k->name, k->len);
		qs_put(w->ob, x);
		break;
	case V_UNIQ:
		if (ips->n == 0 && ips->cap == 0)
			put_null(w, k->name, k->len);
		else
			put_u64(w, k->name, k->len, hll_count(ips));
		break;
	case V_PCT:
		if (w->pctrow != r)
			percentiles(w, r);
		put_ns(w, k->name, k->len, w->pct[k->pct]);
		break;
	}
}

/* The columns that the rows being written have, in order. */
static void
columns(struct out *w)
{
	const struct aggcol *c;
	struct wcol *k;

	for (c = agg_cols; c < agg_cols + agg_ncols; c++) {
		if ((w->partial ? c->part : c->fin) == V_NONE)
			continue;
		if (w->ncol == NCOL)
			lb_errx(EX_FAIL, "too many columns");
		k = &w->col[w->ncol++];
		k->name = c->name;
		k->len = c->len;
		k->off = c->off;
		k->kind = w->partial ? c->part : c->fin;
		if (k->kind != V_PCT)
			continue;
		if (w->nq == NPCT)
			lb_errx(EX_FAIL, "too many percentile columns");
		k->pct = w->nq;
		w->q[w->nq++] = c->arg;
	}
}

static void
put_cols(struct out *w, const struct row *r)
{
	size_t i;

	for (i = 0; i < w->ncol; i++)
		put_col(w, r, &w->col[i]);
}

/* "method,path" */
static void
put_keynames(struct out *w)
{
	const struct aggopts *o = &w->a->o;
	size_t i;

	for (i = 0; i < o->nkeys; i++) {
		if (i > 0)
			ob_putc(w->ob, ',');
		ob_write(w->ob, agg_keyname(o->key[i]),
		    strlen(agg_keyname(o->key[i])));
	}
}

/* What makes a partial row one, after its columns. */
static void
put_by(struct out *w)
{
	sep(w, NAME("by"));
	ob_putc(w->ob, '"');
	put_keynames(w);
	ob_putc(w->ob, '"');
	sep(w, NAME("partial"));
	ob_putc(w->ob, '1');
}

static void
header(struct out *w)
{
	const char *name;
	size_t i, n;

	if (w->a->o.bucket != AGG_ALL) {
		name = bucket_name(w, &n);
		ob_write(w->ob, name, n);
		if (w->a->o.nkeys > 0)
			ob_putc(w->ob, ',');
	}
	put_keynames(w);
	for (i = 0; i < w->ncol; i++) {
		if (i > 0 || w->a->o.bucket != AGG_ALL || w->a->o.nkeys > 0)
			ob_putc(w->ob, ',');
		ob_write(w->ob, w->col[i].name, w->col[i].len);
	}
	ob_lit(w->ob, "\r\n");
}

/* Rows from .. to - 1 of s; with CSV, from 0 starts with the header. */
int
agg_write_range(const struct aggsorted *s, size_t from, size_t to,
    struct obuf *ob, enum agg_out mode)
{
	struct out w;
	struct kval kv;
	int64_t bucket;
	size_t i;
	char *buf;

	memset(&w, 0, sizeof(w));
	w.ob = ob;
	w.a = s->a;
	w.csv = mode == AGG_CSV || mode == AGG_CSV_SAFE;
	w.safe = mode == AGG_CSV_SAFE;
	w.partial = mode == AGG_PARTIAL;
	w.day = INT64_MIN;
	columns(&w);
	buf = xmalloc(s->maxkey + 1);
	if (w.csv && from == 0)
		header(&w);
	for (i = from; i < to && i < s->n && ob->err == 0; i++) {
		agg_key_decode(s->a, s->v[i].r, &bucket, &kv, buf);
		put_bucket(&w, bucket);
		put_keys(&w, &kv);
		put_cols(&w, s->v[i].r);
		if (w.partial)
			put_by(&w);
		end(&w);
		ob_drain(ob);
	}
	free(buf);
	return ob->err != 0 ? -1 : 0;
}

/* All rows, sorted by bucket, then key values (null first). */
int
agg_write(struct agg *a, struct obuf *ob, enum agg_out mode)
{
	struct aggsorted *s = agg_sort(a);
	int rc;

	rc = agg_write_range(s, 0, s->n, ob, mode);
	agg_sorted_free(s);
	return rc;
}
