/*
 * logbook-report: the hourly rows of logbook-aggregate (from files or
 * from the archives of logbook-archive) summed into a few bounded
 * series, and written as one self-contained HTML page.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "hll.h"
#include "logformat.h"
#include "obuf.h"
#include "qsketch.h"

#define NOTIME INT64_MIN

/* The requests of one UTC hour (or day, for daily rows). */
struct bin {
	int64_t t;
	uint64_t req, bytes, cls[5];
};

/* The clients and durations of one UTC day, where they are known. */
struct day {
	int64_t t;
	struct hll ips;
	struct qsketch rt;
	int hasips; /* the ips come from events or partial rows */
	int fromevents; /* a daily archive's events gave them */
};

struct path {
	char *key; /* "METHOD path", as the rows had it */
	size_t n;
	uint64_t req, s4xx, s5xx;
};

/* One restore drill of logbook-drill(8). */
struct drill {
	int64_t t;
	int ok;
	double rto, rpo; /* seconds; rpo NAN: none */
	uint64_t events, archives;
	char *failed; /* the checks that failed, or NULL */
};

struct arch {
	char *path;
	int64_t t; /* the date, or the first day of the month */
	int monthly;
	int ok, read; /* read: in the span, and so read */
	uint64_t events, rows, size, raw; /* raw: uncompressed members */
};

/* heavy.c: the most frequent keys in bounded memory. */
#define HH_CAP 1024
struct hhent {
	char *key;
	size_t n, at; /* at: its hash slot */
	uint64_t hash, count, err; /* seen count - err to count times */
};
struct heavy {
	struct hhent e[HH_CAP]; /* a min-heap by count */
	size_t *slot; /* heap index + 1 by key */
	size_t n;
	uint64_t total;
	int taken; /* a counter was taken over: counts are bounds */
};
void hh_add(struct heavy *, const char *, size_t, uint64_t, uint64_t);
void hh_merge(struct heavy *, struct heavy *);
void hh_free(struct heavy *);
const struct hhent **hh_sorted(const struct heavy *);

/* A map of int64 or string keys to indexes into an array. */
struct imap {
	int64_t *k;
	size_t *v;
	size_t n, cap;
};

struct run {
	const char *title;
	/*
	 * With --tz, every time of the series is on its clock: the UTC
	 * seconds of an hour moved by the offset it had (span_local).
	 */
	const struct lbtz *tz;
	const char *zone; /* the name of the clock: "UTC" or --tz's */
	int64_t from, to; /* [from, to) on that clock; NOTIME: open */
	struct bin *bins;
	size_t nbins, capbins;
	struct imap binmap;
	struct day *days;
	size_t ndays, capdays;
	struct imap daymap;
	struct path *paths;
	size_t npaths, cappaths;
	size_t *pslot; /* open addressing over paths, index + 1 */
	size_t npslot;
	struct arch *arch;
	size_t narch, caparch;
	int daily_rows; /* some rows were per day: no hourly chart */
	/* from events (daily archives, --db): clients and 404 paths */
	struct heavy *topip, *top404;
	uint64_t topdays; /* days whose events went into them */
	uint64_t badlines;
	int failed; /* an input could not be read */
	const char *archdir;
	const char *dbpath; /* --db */
	const char *statedir; /* --state-dir */
	int drillfile; /* it has drills.ndjson */
	struct drill *drills; /* the latest MAXPOINTS of the span */
	size_t ndrills;
	uint64_t ndrill_all, ndrill_failed; /* in the span */
	/* while reading one input */
	const char *name;
	uint64_t lineno, nbad;
	struct arch *cur;
	int64_t *covered; /* days a daily archive held, sorted */
	struct pending {
		char **line; /* the archive's rows, until it passed */
		size_t *len;
		size_t n, cap;
		/* the clients and durations of the days before, of and
		 * after the archive's date: with --tz, the days of the
		 * page's clock its events fall on */
		struct heavy *topip, *top404;
		struct hll ips[3];
		struct qsketch rt[3];
		uint64_t nev[3];
	} pend;
	size_t ncovered;
	struct srcs *srcs, *srcpend; /* sources.c; srcpend: of r->cur */
};

/* rows.c */
int rows_add(struct run *, const char *, size_t, const char **);
void rows_day_events(
    struct run *, int64_t, const struct hll *, const struct qsketch *);
struct day *rows_day(struct run *, int64_t);
void rows_free(struct run *);

/* input.c */
void input_file(struct run *, const char *);
void input_dir(struct run *, const char *);

/* db.c */
void input_db(struct run *, const char *);

/* sources.c */
struct jval;
struct srcadd {
	int64_t t; /* the hour */
	uint64_t req, bytes, s4xx, s5xx;
};
void sources_row(struct run *, const struct jval *, const struct jval *,
    const struct srcadd *);
void sources_hit(struct run *, struct srcs **, const struct span *,
    const struct span *, int64_t, int, int64_t);
void sources_settle(struct run *, int);
void sources(const struct run *, struct obuf *, int64_t, int64_t);
void sources_free(struct run *);

/* drills.c */
void input_state(struct run *, const char *);
void drills(const struct run *, struct obuf *);
void drills_free(struct run *);

/* top.c */
struct span;
void top_event(struct run *, struct heavy *, struct heavy *, int64_t,
    const struct span *, const struct span *, const struct span *, int);
void top_panels(const struct run *, struct obuf *, uint64_t);
void top_free(struct run *);

/* imap.c */
size_t *imap_get(struct imap *, int64_t);
void imap_free(struct imap *);

/* span.c */
#define MAXPOINTS 168
enum { U_HOUR, U_DAY, U_WEEK, U_MONTH, U_YEAR };
struct tspan {
	int unit;
	int64_t t0; /* the start of the first bucket */
	size_t nb;
	char **labels;
};
struct lbtz;
int64_t span_local(const struct run *, int64_t);
void span_make(struct tspan *, int64_t, int64_t, int);
size_t span_index(const struct tspan *, int64_t);
const char *span_unit(const struct tspan *);
void span_free(struct tspan *);

/* html.c, chart.c */
/* What a chart draws, the same on every page. */
struct series {
	const char *id, *label; /* the element's id, its accessible name */
	const char *fmt; /* of the values: html_num */
	size_t ns;
	const char *const *names, *const *colors;
	int lines; /* lines, not stacked bars */
};

struct chart {
	const struct series *s;
	const char *yunit, *xunit; /* the axes' titles */
	size_t nb; /* buckets */
	char **labels; /* of each bucket */
	const double *v; /* s->ns series of nb values each; NAN: unknown */
};

void html_page(struct run *, struct obuf *);
void chart_svg(struct obuf *, const struct chart *);
void html_text(struct obuf *, const char *, size_t);
void html_num(struct obuf *, double, const char *);
void html_time(struct obuf *, int64_t);
void html_td_num(struct obuf *, uint64_t);
void html_td_pct(struct obuf *, uint64_t, uint64_t, int);
void html_tile(struct obuf *, const char *, const char *, double, const char *,
    const char *, const char *, int);
void traffic(struct run *, struct obuf *);
void drops(const struct run *, struct obuf *, int64_t, int64_t);
void backup(struct run *, struct obuf *);

#endif
