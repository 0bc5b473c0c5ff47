/* Internals shared by lib/agg*.c; not an interface. */
#ifndef LB_AGGINT_H
#define LB_AGGINT_H

#include "agg.h"
#include "hll.h"
#include "logformat.h"
#include "qsketch.h"
#include "u128.h"

/* A timestamp and how many fraction digits it was written with. */
struct tsv {
	int64_t sec;
	uint32_t nsec;
	uint32_t nd;
};

/* Rows live in the key blocks, each followed by its key. */
struct row {
	uint64_t requests;
	struct u128 bytes;
	uint64_t nobytes; /* requests whose bytes were null */
	uint64_t cls[5]; /* 1xx .. 5xx */
	struct tsv first, last;
	int64_t rtmin, rtmax; /* nanoseconds; -1: no rt */
	struct hll ips;
	struct qsketch rt;
	uint64_t keylen; /* see encode() in agg.c */
};

static inline const unsigned char *
row_key(const struct row *r)
{
	return (const unsigned char *)(r + 1);
}

/* Key values of one event or partial row. */
struct kval {
	struct span s[AGG_NKEYNAMES]; /* the text keys; p NULL: null */
	int status; /* -1: null */
	int cls; /* 1 .. 5; 0: null */
};

struct kblock;
struct pend;

/*
 * The columns of a row, in the order rows are written: the table in
 * lib/aggcol.c.  Final rows (NDJSON and CSV) and partial rows each hold
 * the columns that have a kind of value for them; partial rows are read
 * back by the same names and kinds, and merged as each column says.  A
 * column of a kind below is one line of the table.
 */
enum aggval {
	V_NONE, /* not in these rows */
	V_U64, /* uint64_t */
	V_U128, /* struct u128 */
	V_NS, /* int64_t nanoseconds, written as seconds; -1: null */
	V_TS, /* struct tsv */
	V_HLL, /* struct hll, as its base64 state */
	V_QS, /* struct qsketch, as its base64 state */
	V_UNIQ, /* struct hll, as its count; null when it saw no IP */
	V_PCT /* the arg-th percentile of struct qsketch rt */
};

enum aggmrg {
	M_NONE, /* not merged: a figure of the final rows */
	M_SUM, /* counts add, checked for overflow */
	M_MIN, /* of times, or of nanoseconds with -1 (none) left out */
	M_MAX, /* the same, the largest */
	M_UNION /* of sketches */
};

struct aggcol {
	const char *name;
	size_t len;
	unsigned char fin, part; /* enum aggval: in final, partial rows */
	unsigned char merge; /* enum aggmrg */
	unsigned char arg; /* V_PCT: which percentile */
	size_t off; /* of the member of struct row */
};

extern const struct aggcol agg_cols[];
extern const size_t agg_ncols;

/* A row's order and a copy of the start of its key, for sorting. */
struct ord {
	uint64_t k[3];
	struct row *r;
};

struct aggsorted {
	const struct agg *a; /* whose options the rows have */
	struct ord *v;
	size_t n;
	size_t maxkey; /* the longest key */
};

struct slot {
	uint64_t hash;
	struct row *r; /* NULL: empty */
};

struct agg {
	struct aggopts o;
	struct row **rows; /* in order of creation */
	size_t nrows, caprows;
	struct slot *slot; /* linear probing, at most 4/5 full */
	size_t nslot;
	struct kblock *blocks;
	unsigned char *kb; /* the key being built */
	struct pend *pend; /* events on their way in: see agg_add */
	unsigned npend, first;
	size_t kbcap;
	char *nb; /* a normalized path */
	size_t nbcap;
	char *mb; /* unescaped strings of a merged row */
	size_t mbcap;
	int64_t tzq, tzkey; /* with o.tz: the bucket of quarter hour tzq */
	int tzok;
};

struct row *agg_row(struct agg *, int64_t, struct kval *);
void agg_flush(struct agg *);
void agg_drop_index(struct agg *);
int agg_row_merge(struct row *, const struct row *, const char **);
void agg_row_free(struct row *);
int tsv_cmp(const struct tsv *, const struct tsv *);
int agg_range_cmp(const struct aggopts *, const struct tsv *);
void agg_key_decode(
    const struct agg *, const struct row *, int64_t *, struct kval *, char *);
int agg_status_class(int);
int agg_same_opts(const struct aggopts *, const struct aggopts *);
void agg_opts_fill(struct aggopts *, const struct aggopts *);
int64_t agg_floor(int64_t, int64_t);

#endif
