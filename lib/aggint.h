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
};

struct row *agg_row(struct agg *, int64_t, struct kval *);
void agg_flush(struct agg *);
void agg_drop_index(struct agg *);
int agg_row_merge(struct row *, const struct row *, const char **);
void agg_row_free(struct row *);
int tsv_cmp(const struct tsv *, const struct tsv *);
void agg_key_decode(
    const struct agg *, const struct row *, int64_t *, struct kval *, char *);
int agg_status_class(int);
int agg_same_opts(const struct aggopts *, const struct aggopts *);
int64_t agg_floor(int64_t, int64_t);

#endif
