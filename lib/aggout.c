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

/* Before a field: its name, or the separator. */
static void
sep(struct out *w, const char *name)
{
	if (w->csv) {
		if (w->nf++ > 0)
			ob_putc(w->ob, ',');
		return;
	}
	ob_putc(w->ob, w->nf++ > 0 ? ',' : '{');
	ob_putc(w->ob, '"');
	ob_write(w->ob, name, strlen(name));
	ob_lit(w->ob, "\":");
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
put_null(struct out *w, const char *name)
{
	sep(w, name);
	if (!w->csv)
		ob_lit(w->ob, "null");
}

static void
put_u64(struct out *w, const char *name, uint64_t v)
{
	sep(w, name);
	ob_u64(w->ob, v);
}

/* Seconds from nanoseconds; negative: null. */
static void
put_ns(struct out *w, const char *name, int64_t ns)
{
	if (ns < 0) {
		put_null(w, name);
		return;
	}
	sep(w, name);
	nsec_put(w->ob, ns);
}

static void
put_text(struct out *w, const char *name, const struct span *s)
{
	if (s->p == NULL) {
		put_null(w, name);
		return;
	}
	sep(w, name);
	if (w->csv)
		csv_text(w->ob, s->p, s->n, w->safe);
	else
		json_str(w->ob, s->p, s->n);
}

/* Text that never needs quoting or escapes: times, classes. */
static void
put_plain(struct out *w, const char *name, const char *s, size_t n)
{
	sep(w, name);
	if (w->csv)
		ob_write(w->ob, s, n);
	else
		json_str_ascii(w->ob, s, n);
}

static void
put_ts(struct out *w, const char *name, const struct tsv *t)
{
	char buf[ISO_SEC_LEN + 10];
	uint32_t i, x = t->nsec;

	iso_time_format(buf, t->sec);
	if (t->nd == 0) {
		put_plain(w, name, buf, ISO_SEC_LEN);
		return;
	}
	buf[19] = '.';
	for (i = 9; i > 0; i--, x /= 10)
		if (i <= t->nd)
			buf[19 + i] = (char)('0' + x % 10);
	buf[20 + t->nd] = 'Z';
	put_plain(w, name, buf, ISO_SEC_LEN + 1 + t->nd);
}

static void
put_bucket(struct out *w, int64_t bucket)
{
	char buf[ISO_SEC_LEN];
	int day = w->a->o.bucket == AGG_DAY;

	iso_time_format(buf, bucket);
	put_plain(w, day ? "day" : "hour", buf, day ? 10 : ISO_SEC_LEN);
}

static void
put_keys(struct out *w, const struct kval *kv)
{
	const struct aggopts *o = &w->a->o;
	const char *name;
	char cls[3] = { '0', 'x', 'x' };
	size_t i;

	for (i = 0; i < o->nkeys; i++) {
		name = agg_keyname(o->key[i]);
		if (o->key[i] == AGG_STATUS && kv->status >= 0)
			put_u64(w, name, (uint64_t)kv->status);
		else if (o->key[i] == AGG_CLASS && kv->cls != 0) {
			cls[0] = (char)('0' + kv->cls);
			put_plain(w, name, cls, 3);
		} else if (o->key[i] == AGG_STATUS || o->key[i] == AGG_CLASS)
			put_null(w, name);
		else
			put_text(w, name, &kv->s[o->key[i]]);
	}
}

/* Nearest rank: the smallest value with at least q% of values <= it. */
static int64_t
percentile(const struct row *r, uint64_t total, unsigned q)
{
	uint64_t rank = total / 100 * q + (total % 100 * q + 99) / 100;
	int64_t v;

	if (total == 0)
		return -1;
	v = nsec_round(qs_rank(&r->rt, rank), 4);
	return v < r->rtmin ? r->rtmin : v > r->rtmax ? r->rtmax : v;
}

static void
put_counts(struct out *w, const struct row *r)
{
	static const char *const cls[] = { "s1xx", "s2xx", "s3xx", "s4xx",
		"s5xx" };
	size_t i;

	for (i = 0; i < 5; i++)
		put_u64(w, cls[i], r->cls[i]);
}

static void
put_final(struct out *w, const struct row *r)
{
	uint64_t rt = qs_total(&r->rt);

	put_u64(w, "requests", r->requests);
	put_u64(w, "bytes", r->bytes);
	put_u64(w, "bytes_null", r->nobytes);
	if (r->ips.n == 0 && r->ips.cap == 0)
		put_null(w, "uniq_ips");
	else
		put_u64(w, "uniq_ips", hll_count(&r->ips));
	put_counts(w, r);
	put_ns(w, "rt_p50", percentile(r, rt, 50));
	put_ns(w, "rt_p95", percentile(r, rt, 95));
	put_ns(w, "rt_p99", percentile(r, rt, 99));
	put_ns(w, "rt_max", r->rtmax);
	put_ts(w, "first", &r->first);
	put_ts(w, "last", &r->last);
	end(w);
}

static void
put_by(struct out *w)
{
	const struct aggopts *o = &w->a->o;
	size_t i;

	sep(w, "by");
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
	put_u64(w, "requests", r->requests);
	put_u64(w, "bytes", r->bytes);
	put_u64(w, "bytes_null", r->nobytes);
	put_counts(w, r);
	put_ts(w, "first", &r->first);
	put_ts(w, "last", &r->last);
	put_ns(w, "rt_min", r->rtmin);
	put_ns(w, "rt_max", r->rtmax);
	sep(w, "ips");
	hll_put(w->ob, &r->ips);
	sep(w, "rt");
	qs_put(w->ob, &r->rt);
	put_by(w);
	sep(w, "partial");
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

static int
rowcmp(const void *x, const void *y)
{
	const struct row *a = *(const struct row *const *)x;
	const struct row *b = *(const struct row *const *)y;
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c = memcmp(a->key, b->key, n);

	if (c != 0)
		return c;
	return (a->keylen > b->keylen) - (a->keylen < b->keylen);
}

/* All rows, sorted by bucket, then key values (null first). */
int
agg_write(struct agg *a, struct obuf *ob, enum agg_out mode)
{
	struct out w = { ob, a, mode == AGG_CSV || mode == AGG_CSV_SAFE,
		mode == AGG_CSV_SAFE, 0 };
	struct row **v = xreallocarray(NULL, a->nrows + 1, sizeof(*v));
	struct kval kv;
	int64_t bucket;
	size_t i, max = 0;
	char *buf;

	for (i = 0; i < a->nrows; i++) {
		v[i] = a->rows[i];
		max = v[i]->keylen > max ? v[i]->keylen : max;
	}
	qsort(v, a->nrows, sizeof(*v), rowcmp);
	buf = xmalloc(max + 1);
	if (w.csv)
		header(&w);
	for (i = 0; i < a->nrows && ob->err == 0; i++) {
		agg_key_decode(a, v[i], &bucket, &kv, buf);
		put_bucket(&w, bucket);
		put_keys(&w, &kv);
		if (mode == AGG_PARTIAL)
			put_partial(&w, v[i]);
		else
			put_final(&w, v[i]);
		ob_drain(ob);
	}
	free(buf);
	free(v);
	return ob->err != 0 ? -1 : 0;
}
