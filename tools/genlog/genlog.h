/* logbook-genlog: shared state of the program's files. */
#ifndef GENLOG_H
#define GENLOG_H

#include <stddef.h>
#include <stdint.h>

#include "obuf.h"
#include "timeconv.h"

/*
 * The same bytes on every machine: no fused multiply-add, which rounds
 * a * b + c once where the C abstract machine rounds twice.  GCC does not
 * contract under -std=c11; clang must be told.
 */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

/* Room for one well-formed line: every string is bounded at build time. */
#define LINE_MAX_ 4096
#define STR_MAX 1024

enum fmt { F_COMMON, F_COMBINED, F_VHOST, F_NGINX };
enum kind { K_PAGE, K_STATIC, K_API, K_SEARCH, K_PROBE };
enum method { M_GET, M_POST, M_HEAD, M_OPTIONS, M_PUT, M_DELETE, NMETHOD };
enum bad { B_TRUNCATED, B_GARBAGE, B_DASH, B_NOQUOTES, B_LONG, NBAD };

struct rng {
	uint64_t s[4];
};

/* Cumulative thresholds over [0, 2^53) for drawing an index. */
struct cdf {
	uint64_t *thr;
	size_t n;
};

struct gstr {
	const char *p;
	size_t n;
};

struct client {
	struct gstr pre; /* "IP - USER " */
	struct gstr ip;
	const struct gstr *ua;
	const char *proto;
	int bot;
	int plain; /* talks plain http, on port 80 */
};

struct target {
	struct gstr s;
	enum kind kind;
	int writable; /* takes POST, PUT and DELETE */
	uint32_t size; /* body bytes of a 200 */
	uint32_t rt_us; /* median response time */
};

struct world {
	struct client *cl;
	size_t ncl;
	struct cdf clcdf;
	struct target *tg;
	size_t ntg;
	struct cdf tgcdf;
	uint32_t *wr; /* writable targets, most popular first */
	struct cdf wrcdf;
	uint32_t *api; /* API targets, for OPTIONS */
	struct cdf apicdf;
	struct gstr *refin; /* referers on our own site */
	struct cdf refincdf;
	struct gstr *refex; /* referers elsewhere */
	struct cdf refexcdf;
	struct gstr *ua;
	struct cdf uacdf;
	struct chunk *arena; /* where the strings live */
	size_t used; /* bytes used of the newest chunk */
};

struct opts {
	uint64_t lines;
	uint64_t seed;
	int64_t t0; /* UTC start of the window */
	int days;
	int off; /* minutes east of UTC written in timestamps */
	char tz[6];
	enum fmt fmt;
	double bad_rate;
	int stats;
};

struct gen {
	const struct opts *o;
	struct world w;
	struct rng traffic; /* what is requested, when, by whom */
	struct rng rt; /* request times, apart so formats agree */
	struct rng bad; /* apart so good lines do not depend on it */
	struct obuf ob;
	uint64_t nbad[NBAD];
	int64_t tssec; /* the second tsbuf holds */
	char tsbuf[CLF_TIME_LEN];
};

/* xoshiro256** (Blackman and Vigna): small, fast, the same everywhere. */
static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s, x = s[1] * 5, t = s[1] << 17;

	x = ((x << 7) | (x >> 57)) * 9;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return x;
}

/* An integer in [0, n), n < 2^32. */
static inline uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* A double in [0, 1). */
static inline double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1p-53;
}

void rng_seed(struct rng *, uint64_t, uint64_t);
double rng_normal(struct rng *);
double det_exp(double);
void cdf_build(struct cdf *, const double *, size_t);
void cdf_zipf(struct cdf *, size_t, int);
size_t cdf_draw(const struct cdf *, struct rng *);
size_t pick(struct rng *, const uint16_t *, size_t);

struct req {
	const struct client *c;
	const struct target *tg;
	enum method m;
	int status;
	int64_t bytes; /* -1: no body */
	const struct gstr *ref; /* NULL: none */
	int64_t t;
};

void world_build(struct world *, const struct opts *);
void world_free(struct world *);
void traffic_run(struct gen *);
const char *stamp(struct gen *, int64_t);
char *put(char *, const struct gstr *);
char *put_vhost(char *, const struct req *);
void bad_emit(struct gen *, char *, size_t, const struct req *);
int bad_rejectable(enum bad);
extern const char *const bad_names[NBAD];

#endif
