/* Writing rows: sorted by bucket and key, as NDJSON, CSV or partial. */
#include <stdlib.h>
#include <string.h>

#include "aggint.h"
#include "csvout.h"
#include "diag.h"
#include "json.h"
#include "nsec.h"
#include "timeconv.h"

struct out {
	struct obuf *ob;
	const struct agg *a;
	int csv, safe;
	int nf; /* fields written on this line */
	int64_t day; /* whose date is in date */
	char date[10];
};

static const char *const metrics[] = {
	"requests",
	"bytes",
	"bytes_null",
	"uniq_ips",
	"s1xx",
	"s2xx",
	"s3xx",
	"s4xx",
	"s5xx",
	"rt_p50",
	"rt_p95",
	"rt_p99",
	"rt_max",
	"first",
	"last",
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

static void
put_bucket(struct out *w, int64_t bucket)
{
	char buf[ISO_SEC_LEN];
	int day = w->a->o.bucket == AGG_DAY;

	iso(w, buf, bucket);
	put_plain(
	    w, day ? "day" : "hour", day ? 3 : 4, buf, day ? 10 : ISO_SEC_LEN);
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
 * p50, p95, p99 by nearest rank (the smallest value with at least q% of
 * the values at or below it).  Estimates are rounded to four digits; the
 * smallest and the largest value are always exact.
 */
static void
percentiles(const struct row *r, int64_t *v)
{
	static const unsigned q[3] = { 50, 95, 99 };
	uint64_t total = qs_total(&r->rt), rank[3];
	size_t i;

	for (i = 0; i < 3; i++)
		rank[i] = total / 100 * q[i] + (total % 100 * q[i] + 99) / 100;
	qs_ranks(&r->rt, rank, 3, v);
	for (i = 0; i < 3; i++) {
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
}

static void
put_counts(struct out *w, const struct row *r)
{
	static const char *const cls[] = { "s1xx", "s2xx", "s3xx", "s4xx",
		"s5xx" };
	size_t i;

	for (i = 0; i < 5; i++)
		put_u64(w, cls[i], 4, r->cls[i]);
}

static void
put_final(struct out *w, const struct row *r)
{
	int64_t pct[3];

	percentiles(r, pct);
	put_u64(w, NAME("requests"), r->requests);
	sep(w, NAME("bytes"));
	u128_put(w->ob, r->bytes);
	put_u64(w, NAME("bytes_null"), r->nobytes);
	if (r->ips.n == 0 && r->ips.cap == 0)
		put_null(w, NAME("uniq_ips"));
	else
		put_u64(w, NAME("uniq_ips"), hll_count(&r->ips));
	put_counts(w, r);
	put_ns(w, NAME("rt_p50"), pct[0]);
	put_ns(w, NAME("rt_p95"), pct[1]);
	put_ns(w, NAME("rt_p99"), pct[2]);
	put_ns(w, NAME("rt_max"), r->rtmax);
	put_ts(w, NAME("first"), &r->first);
	put_ts(w, NAME("last"), &r->last);
	end(w);
}

static void
put_by(struct out *w)
{
	const struct aggopts *o = &w->a->o;
	size_t i;

	sep(w, NAME("by"));
	ob_putc(w->ob, '"');
	for (i = 0; i < o->nkeys; i++) {
		if (i > 0)
			ob_putc(w->ob, ',');
		ob_write(w->ob, agg_keyname(o->key[i]),
		    strlen(agg_keyname(o->key[i])));
	}
	ob_putc(w->ob, '"');
}

static void
put_partial(struct out *w, const struct row *r)
{
	put_u64(w, NAME("requests"), r->requests);
	sep(w, NAME("bytes"));
	u128_put(w->ob, r->bytes);
	put_u64(w, NAME("bytes_null"), r->nobytes);
	put_counts(w, r);
	put_ts(w, NAME("first"), &r->first);
	put_ts(w, NAME("last"), &r->last);
	put_ns(w, NAME("rt_min"), r->rtmin);
	put_ns(w, NAME("rt_max"), r->rtmax);
	sep(w, NAME("ips"));
	hll_put(w->ob, &r->ips);
	sep(w, NAME("rt"));
	qs_put(w->ob, &r->rt);
	put_by(w);
	sep(w, NAME("partial"));
	ob_putc(w->ob, '1');
	end(w);
}

static void
header(struct out *w)
{
	const struct aggopts *o = &w->a->o;
	size_t i;

	ob_write(w->ob, o->bucket == AGG_DAY ? "day" : "hour",
	    o->bucket == AGG_DAY ? 3 : 4);
	for (i = 0; i < o->nkeys; i++) {
		ob_putc(w->ob, ',');
		ob_write(w->ob, agg_keyname(o->key[i]),
		    strlen(agg_keyname(o->key[i])));
	}
	for (i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++) {
		ob_putc(w->ob, ',');
		ob_write(w->ob, metrics[i], strlen(metrics[i]));
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
	w.day = INT64_MIN;
	buf = xmalloc(s->maxkey + 1);
	if (w.csv && from == 0)
		header(&w);
	for (i = from; i < to && i < s->n && ob->err == 0; i++) {
		agg_key_decode(s->a, s->v[i].r, &bucket, &kv, buf);
		put_bucket(&w, bucket);
		put_keys(&w, &kv);
		if (mode == AGG_PARTIAL)
			put_partial(&w, s->v[i].r);
		else
			put_final(&w, s->v[i].r);
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
