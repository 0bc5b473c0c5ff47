/*
 * The columns of a row: their names, what final and partial rows write
 * of each (lib/aggout.c), which partial rows are read back with
 * (lib/aggmerge.c), and how two rows of one key merge, here.
 */
#include <stddef.h>
#include <string.h>

#include "aggint.h"

#define COL(name, fin, part, merge, member, arg)                               \
	{                                                                      \
		name, sizeof(name) - 1, fin, part, merge, arg,                 \
		    offsetof(struct row, member)                               \
	}

/*
 * In the order rows are written.  rt_max stands twice: final rows have
 * it with the other rt figures, partial rows beside rt_min.
 */
const struct aggcol agg_cols[] = {
	COL("requests", V_U64, V_U64, M_SUM, requests, 0),
	COL("bytes", V_U128, V_U128, M_SUM, bytes, 0),
	COL("bytes_null", V_U64, V_U64, M_SUM, nobytes, 0),
	COL("uniq_ips", V_UNIQ, V_NONE, M_NONE, ips, 0),
	COL("s1xx", V_U64, V_U64, M_SUM, cls[0], 0),
	COL("s2xx", V_U64, V_U64, M_SUM, cls[1], 0),
	COL("s3xx", V_U64, V_U64, M_SUM, cls[2], 0),
	COL("s4xx", V_U64, V_U64, M_SUM, cls[3], 0),
	COL("s5xx", V_U64, V_U64, M_SUM, cls[4], 0),
	COL("rt_p50", V_PCT, V_NONE, M_NONE, rt, 50),
	COL("rt_p95", V_PCT, V_NONE, M_NONE, rt, 95),
	COL("rt_p99", V_PCT, V_NONE, M_NONE, rt, 99),
	COL("rt_max", V_NS, V_NONE, M_NONE, rtmax, 0),
	COL("first", V_TS, V_TS, M_MIN, first, 0),
	COL("last", V_TS, V_TS, M_MAX, last, 0),
	COL("rt_min", V_NONE, V_NS, M_MIN, rtmin, 0),
	COL("rt_max", V_NONE, V_NS, M_MAX, rtmax, 0),
	COL("ips", V_NONE, V_HLL, M_UNION, ips, 0),
	COL("rt", V_NONE, V_QS, M_UNION, rt, 0),
};

const size_t agg_ncols = sizeof(agg_cols) / sizeof(agg_cols[0]);

/* A partial row being read keeps a bit a column (lib/aggmerge.c). */
_Static_assert(sizeof(agg_cols) / sizeof(agg_cols[0]) <= 32, "columns");

/* Whether column c of s adds to r's without overflow. */
static int
fits(const struct row *r, const struct row *s, const struct aggcol *c)
{
	const void *x = (const char *)r + c->off, *y = (const char *)s + c->off;
	struct u128 sum;

	if (c->part == V_U128) {
		memcpy(&sum, x, sizeof(sum));
		return u128_add(&sum, y) == 0;
	}
	return *(const uint64_t *)y <= UINT64_MAX - *(const uint64_t *)x;
}

static void
merge_ts(struct tsv *x, const struct tsv *y, int merge, int fresh)
{
	int c = tsv_cmp(y, x);

	if (fresh || (merge == M_MIN ? c < 0 : c > 0))
		*x = *y;
}

/* -1, no value, is less than all. */
static void
merge_ns(int64_t *x, const int64_t *y, int merge)
{
	if (merge == M_MAX ? *y > *x : *y >= 0 && (*x < 0 || *y < *x))
		*x = *y;
}

/* Column c of s into r's, which is fresh when r has no requests yet. */
static void
merge(struct row *r, const struct row *s, const struct aggcol *c, int fresh)
{
	void *x = (char *)r + c->off;
	const void *y = (const char *)s + c->off;

	switch (c->part) {
	case V_U64:
		*(uint64_t *)x += *(const uint64_t *)y;
		break;
	case V_U128:
		(void)u128_add(x, y);
		break;
	case V_TS:
		merge_ts(x, y, c->merge, fresh);
		break;
	case V_NS:
		merge_ns(x, y, c->merge);
		break;
	case V_HLL:
		hll_merge(x, y);
		break;
	case V_QS:
		qs_merge(x, y);
		break;
	default:
		break;
	}
}

/* Merge row s into r: all or nothing, so an overflow leaves r as it was. */
int
agg_row_merge(struct row *r, const struct row *s, const char **why)
{
	int fresh = r->requests == 0;
	size_t i;

	for (i = 0; i < agg_ncols; i++)
		if (agg_cols[i].merge == M_SUM && !fits(r, s, &agg_cols[i])) {
			*why = "counts out of range";
			return -1;
		}
	for (i = 0; i < agg_ncols; i++)
		if (agg_cols[i].merge != M_NONE)
			merge(r, s, &agg_cols[i], fresh);
	return 0;
}
