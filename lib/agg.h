/*
 * The aggregation core of logbook-aggregate(1), shared with the tools
 * that must produce or read the same rows (logbook-archive writes each
 * day's hourly.ndjson with it, logbook-restore loads those rows).
 *
 * Rows are keyed by a time bucket (UTC hour or day) and the values of
 * chosen event fields; each holds request and byte counts, status class
 * counts, distinct client IPs, rt percentiles and the first and last
 * timestamps: the columns logbook-aggregate(1) describes.  Memory grows
 * with the number of rows, not of events.
 *
 * Use, for the rows logbook-aggregate writes by default:
 *
 *	struct aggopts o;
 *	struct agg *a;
 *
 *	agg_defaults(&o);		(method,path per UTC hour)
 *	a = agg_new(&o);
 *	for each event ev:
 *		agg_add(a, &ev, &why);
 *	agg_write(a, &ob, AGG_NDJSON);	(sorted by bucket, then key)
 *	agg_free(a);
 *
 * agg_merge_row takes one line of AGG_PARTIAL output instead of an event;
 * adds and merges may be mixed.  Both return 0, or -1 with *why set (a
 * message kept until the thread's next one) when the input cannot be
 * aggregated; nothing of it was then added.  With o.ranged, an event
 * outside from .. to, or a partial row whose first and last times are,
 * is skipped: they return 1.  A partial row with times on both sides of
 * a bound cannot be split, and is refused.  agg_write returns -1 when
 * the obuf has latched a write error; the caller flushes and closes.
 * Running out of memory is fatal (lib/diag.h).  An agg is for one thread
 * at a time; threads that share the work keep one each, and write them
 * together (below).
 *
 * Mergeable state: AGG_PARTIAL rows carry the distinct-IP counter
 * (lib/hll.h) and the rt sketch (lib/qsketch.h).  Merging the partial
 * rows of any split of the events gives rows identical, byte for byte,
 * to aggregating all the events at once.
 */
#ifndef LB_AGG_H
#define LB_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "obuf.h"

enum agg_key {
	AGG_METHOD,
	AGG_PATH,
	AGG_STATUS,
	AGG_CLASS, /* "2xx": status / 100, for statuses 100 to 599 */
	AGG_IP,
	AGG_HOST,
	AGG_SRC,
	AGG_UA,
	AGG_NKEYNAMES
};

#define AGG_HOUR 3600
#define AGG_DAY 86400
#define AGG_ALL INT64_MAX /* one bucket for all time */

/* A UTC time to the nanosecond. */
struct aggtime {
	int64_t sec;
	uint32_t nsec;
};

struct aggopts {
	enum agg_key key[AGG_NKEYNAMES]; /* in column order */
	size_t nkeys; /* 0: the first merged row's, or method,path */
	int64_t bucket; /* AGG_HOUR, AGG_DAY, AGG_ALL; 0: the first merged
	                   row's */
	int normalize; /* fold ids in paths: lib/pathnorm.h */
	int ranged; /* only events from .. to, both inclusive */
	const struct lbtz *tz; /* buckets of this local clock; NULL: UTC */
	struct aggtime from, to;
};

enum agg_out {
	AGG_NDJSON, /* final rows, one JSON object per line */
	AGG_CSV, /* final rows, RFC 4180 with a header line */
	AGG_CSV_SAFE, /* the same, formula-like text neutralised */
	AGG_PARTIAL /* rows with mergeable state, NDJSON */
};

void agg_defaults(struct aggopts *);
int agg_parse_keys(struct aggopts *, const char *, size_t, const char **);
const char *agg_keyname(enum agg_key);

struct agg *agg_new(const struct aggopts *);
int agg_add(struct agg *, const struct event *, const char **);
int agg_merge_row(struct agg *, const char *, size_t, const char **);
size_t agg_nrows(struct agg *);
uint64_t agg_ip_hash(const struct span *); /* a client, as uniq_ips counts */
int agg_write(struct agg *, struct obuf *, enum agg_out);
void agg_free(struct agg *);

/*
 * agg_write in parts, for threads.  agg_sort puts one agg's rows in
 * output order; agg_sort_merge takes the sorted rows of aggs made with
 * the same options and gives them in one order, rows of one key merged
 * into the first agg's; agg_write_range writes a range of them, into an
 * obuf of its own for each thread.  Concatenated in order, the ranges
 * are the bytes agg_write would write for one agg of all the rows.  The
 * aggs must outlive the sorted rows, and not change meanwhile.
 * agg_sorted_top keeps the n rows of each bucket with the most requests,
 * in that order, rows of as many requests in key order.
 */
struct aggsorted;
struct aggsorted *agg_sort(struct agg *);
struct aggsorted *agg_sort_merge(struct aggsorted **, size_t);
void agg_sorted_top(struct aggsorted *, size_t);
size_t agg_sorted_count(const struct aggsorted *);
int agg_write_range(
    const struct aggsorted *, size_t, size_t, struct obuf *, enum agg_out);
void agg_sorted_free(struct aggsorted *);

#endif
