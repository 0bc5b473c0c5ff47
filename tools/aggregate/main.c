/*
 * logbook-aggregate: events in, one row per (time bucket, key) out, with
 * request, byte, status, distinct-IP and latency figures.
 */
#include <errno.h>
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "archfmt.h"
#include "diag.h"
#include "opts.h"
#include "progress.h"
#include "timeconv.h"
#include "tz.h"

#ifndef VERSION
#define VERSION "0"
#endif

static const char usage_text[] =
    "usage: logbook-aggregate [-cmnp] [-b keys] [--bucket hour|day|all] "
    "[--csv-safe]\n"
    "                         [--from time] [-j jobs] [--to time] "
    "[--top n]\n"
    "                         [--tz zone] [file ...]\n";

static const char help_text[] =
    "Aggregate NDJSON events into one row per time bucket and key.\n"
    "\n"
    "  -b, --by KEYS         comma-separated keys (default method,path) "
    "from\n"
    "                        method path status class ip host src ua\n"
    "      --bucket UNIT     hour (default) or day, in UTC or --tz, or\n"
    "                        all: one bucket for the whole input\n"
    "  -c, --csv             RFC 4180 CSV with a header line\n"
    "      --csv-safe        CSV, with text a spreadsheet would run as a\n"
    "                        formula neutralised\n"
    "      --from TIME       leave out events before TIME: a date\n"
    "                        (YYYY-MM-DD, UTC or --tz) or an ISO 8601 "
    "timestamp\n"
    "  -j, --jobs N          threads (default: the processors, at most "
    "8)\n"
    "  -n, --normalize       fold ids, UUIDs and long hex in paths into "
    ":id\n"
    "  -p, --partial         write rows with mergeable state\n"
    "      --to TIME         leave out events after TIME (a date: its end)\n"
    "      --top N           per bucket, only the N keys with the most\n"
    "                        requests, most first, ties in key order\n"
    "      --tz ZONE         hours, days and dates of ZONE's clock: an\n"
    "                        IANA name (Europe/Paris) or +hhmm\n"
    "  -m, --merge           read partial rows and merge them\n"
    "  -h, --help            show this help\n"
    "  -V, --version         show the version\n"
    "\n"
    "Files are read in order; none or '-' means standard input.  gzip,\n"
    "xz, zstd and bzip2 input is decompressed, told by its first bytes.\n"
    "Exit status: 0 ok, 1 error, 2 usage, 65 bad input lines.  See\n"
    "logbook-aggregate(1).\n";

enum { OPT_BUCKET = 256, OPT_CSV_SAFE, OPT_FROM, OPT_TO, OPT_TOP, OPT_TZ };

static const struct option longopts[] = {
	{ "bucket", required_argument, NULL, OPT_BUCKET },
	{ "by", required_argument, NULL, 'b' },
	{ "csv", no_argument, NULL, 'c' },
	{ "csv-safe", no_argument, NULL, OPT_CSV_SAFE },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "jobs", required_argument, NULL, 'j' },
	{ "merge", no_argument, NULL, 'm' },
	{ "normalize", no_argument, NULL, 'n' },
	{ "partial", no_argument, NULL, 'p' },
	{ "to", required_argument, NULL, OPT_TO },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "tz", required_argument, NULL, OPT_TZ },
	LB_OPTS_END,
};

static const struct lb_opts cmdline = { usage_text, help_text,
	"logbook-aggregate " VERSION "\n", "b:chj:mnpV", longopts };

struct cli {
	struct aggopts o;
	int by, bucket; /* given on the command line */
	enum agg_out mode;
	int csv, partial, merge;
	int jobs;
	int from, to; /* given; 2: as a date */
	struct lbtz tz;
	size_t top; /* 0: all rows */
};

#define MAXJOBS 64

/*
 * --from and --to: a date (of UTC, or of --tz's clock, settled once all
 * options are read), YYYY-MM-DD as logbook-restore and
 * logbook-report take it, which --to takes to its last nanosecond; or an
 * ISO 8601 timestamp as events have them, with Z or an offset.
 */
static int
time_arg(struct aggtime *t, const char *opt, const char *arg, int end)
{
	size_t n = strlen(arg), fl, i;
	int64_t day;
	int off;

	if (arch_parse_date(arg, n, &day) == 0) {
		t->sec = day * 86400 + (end ? 86399 : 0);
		t->nsec = end ? 999999999 : 0;
		return 2;
	}
	if (iso_time_parse(arg, n, &t->sec, &off, &fl) < 0) {
		lb_warnx("%s: want a date (YYYY-MM-DD) or a timestamp "
		         "(YYYY-MM-DDTHH:MM:SSZ), not %s",
		    opt, lb_escs(arg));
		lb_usage(usage_text);
	}
	t->nsec = 0;
	for (i = 0; i < 9; i++)
		t->nsec =
		    t->nsec * 10 + (i < fl ? (uint32_t)(arg[20 + i] - '0') : 0);
	return 1;
}

static void
set_tz(struct cli *c, const char *arg)
{
	const char *why;

	if (tz_parse(&c->tz, arg, &why) < 0) {
		lb_warnx("--tz %s: %s", lb_escs(arg), why);
		lb_usage(usage_text);
	}
	/* UTC itself keeps the rows as they are without --tz. */
	c->o.tz = c->tz.named || c->tz.fixed != 0 ? &c->tz : NULL;
}

/* A date of --from or --to, from its UTC midnight to its zone's. */
static void
local_date(const struct lbtz *z, struct aggtime *t, int end)
{
	int64_t l = t->sec - (end ? 86399 : 0);

	t->sec = tz_utc(z, l + (end ? 86400 : 0)) - (end ? 1 : 0);
}

static void
set_keys(struct cli *c, const char *arg)
{
	const char *why;

	if (agg_parse_keys(&c->o, arg, strlen(arg), &why) < 0) {
		lb_warnx("--by %s: %s (keys are method, path, status, class, "
		         "ip, host, src and ua)",
		    lb_escs(arg), why);
		lb_usage(usage_text);
	}
	c->by = 1;
}

static void
set_bucket(struct cli *c, const char *arg)
{
	if (strcmp(arg, "hour") == 0)
		c->o.bucket = AGG_HOUR;
	else if (strcmp(arg, "day") == 0)
		c->o.bucket = AGG_DAY;
	else if (strcmp(arg, "all") == 0)
		c->o.bucket = AGG_ALL;
	else {
		lb_warnx(
		    "--bucket: want hour, day or all, not %s", lb_escs(arg));
		lb_usage(usage_text);
	}
	c->bucket = 1;
}

static void
set_jobs(struct cli *c, const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < 1 || v > MAXJOBS) {
		lb_warnx("--jobs: want a count from 1 to %d: %s", MAXJOBS,
		    lb_escs(arg));
		lb_usage(usage_text);
	}
	c->jobs = (int)v;
}

static void
set_top(struct cli *c, const char *arg)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || arg[0] < '0' ||
	    arg[0] > '9' || v < 1 || v > SIZE_MAX) {
		lb_warnx("--top: want a count of 1 or more: %s", lb_escs(arg));
		lb_usage(usage_text);
	}
	c->top = (size_t)v;
}

/* The combinations that cannot give honest rows. */
static const char *
refused(const struct cli *c)
{
	/* Partial rows are merged by their UTC buckets. */
	if (c->o.tz != NULL && (c->partial || c->merge))
		return "--tz is for final rows: no --tz with --partial or "
		       "--merge";
	if (c->csv && c->partial)
		return "partial rows are NDJSON only: no --csv with --partial";
	/* Another part's rows could lift a key into the top. */
	if (c->top > 0 && c->partial)
		return "--top drops rows that a later --merge needs: no --top "
		       "with --partial";
	if (c->from && c->to &&
	    (c->o.from.sec > c->o.to.sec ||
	        (c->o.from.sec == c->o.to.sec &&
	            c->o.from.nsec > c->o.to.nsec)))
		return "--from is after --to";
	return NULL;
}

/* What the options add up to, once all are read. */
static void
settle(struct cli *c)
{
	const char *why;

	if (c->o.tz != NULL && c->from == 2)
		local_date(c->o.tz, &c->o.from, 0);
	if (c->o.tz != NULL && c->to == 2)
		local_date(c->o.tz, &c->o.to, 1);
	if ((why = refused(c)) != NULL) {
		lb_warnx("%s", why);
		lb_usage(usage_text);
	}
	if (c->from || c->to) {
		c->o.ranged = 1;
		if (!c->from)
			c->o.from.sec = INT64_MIN;
		if (!c->to) {
			c->o.to.sec = INT64_MAX;
			c->o.to.nsec = 999999999;
		}
	}
	if (c->partial)
		c->mode = AGG_PARTIAL;
	else if (c->csv == 2)
		c->mode = AGG_CSV_SAFE;
	else
		c->mode = c->csv ? AGG_CSV : AGG_NDJSON;
	/* Merged rows keep their own keys and bucket unless told. */
	if (c->merge && !c->by)
		c->o.nkeys = 0;
	if (c->merge && !c->bucket)
		c->o.bucket = 0;
	if (c->jobs == 0)
		c->jobs = pool_ncpu(8);
}

static void
options(struct cli *c, int argc, char **argv)
{
	int ch;

	agg_defaults(&c->o);
	while ((ch = lb_getopt(argc, argv, &cmdline)) != -1) {
		switch (ch) {
		case 'b':
			set_keys(c, optarg);
			break;
		case 'c':
			c->csv = c->csv ? c->csv : 1;
			break;
		case 'j':
			set_jobs(c, optarg);
			break;
		case 'm':
			c->merge = 1;
			break;
		case 'n':
			c->o.normalize = 1;
			break;
		case 'p':
			c->partial = 1;
			break;
		case OPT_BUCKET:
			set_bucket(c, optarg);
			break;
		case OPT_CSV_SAFE:
			c->csv = 2;
			break;
		case OPT_FROM:
			c->from = time_arg(&c->o.from, "--from", optarg, 0);
			break;
		case OPT_TO:
			c->to = time_arg(&c->o.to, "--to", optarg, 1);
			break;
		case OPT_TOP:
			set_top(c, optarg);
			break;
		case OPT_TZ:
			set_tz(c, optarg);
			break;
		}
	}
	settle(c);
}

/* A thread's state, in the list the main thread merges at the end. */
static void *
worker_new(void *arg)
{
	struct run *g = arg;
	struct worker *w = xcalloc(1, sizeof(*w));

	w->agg = agg_new(&g->o);
	w->merge = g->merge;
	event_init(&w->ev);
	pthread_mutex_lock(&g->mu);
	w->next = g->workers;
	g->workers = w;
	pthread_mutex_unlock(&g->mu);
	return w;
}

static void
worker_run(void *arg, void *local, struct pjob *j)
{
	(void)arg;
	run_unit(local, (struct unit *)j);
}

/* Every unit, reported in order; threads run ahead of the reports. */
static void
run_all(struct run *g)
{
	/* No free: the workers' rows outlive the pool (write.c). */
	struct poolfn fn = { worker_new, worker_run, NULL, g };
	size_t i, threads = g->jobs < 2 ? 0 : (size_t)g->jobs;
	struct pool *p;

	if (threads > g->nu)
		threads = g->nu;
	p = pool_new(threads, &fn);
	for (i = 0; threads > 0 && i < g->nu; i++)
		pool_submit(p, &g->u[i].job);
	for (i = 0; i < g->nu; i++) {
		if (threads == 0)
			pool_submit(p, &g->u[i].job);
		pool_wait(p, &g->u[i].job);
		report_unit(g, &g->u[i]);
		pg_add(0, 0); /* the line back after report_unit's messages */
	}
	pool_free(p);
}

/*
 * Arrays of a MiB and more (hash index, row order) are mapped whatever
 * was freed before: they then grow in place and go back to the system
 * when freed, where glibc's moving threshold would put them on a
 * thread's heap and copy them when the main thread grows them: 15 MiB
 * more at the peak of 5M events with -j 2.
 */
static void
tune_malloc(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
#endif
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct run g;
	int i;

	lb_setprogname(argv[0]);
	tune_malloc();
	memset(&c, 0, sizeof(c));
	memset(&g, 0, sizeof(g));
	options(&c, argc, argv);
	argc -= optind;
	argv += optind;
	g.o = c.o;
	g.merge = c.merge;
	g.top = c.top;
	/* Threads would each take the keys of their first partial row. */
	g.jobs = c.merge ? 1 : c.jobs;
	pthread_mutex_init(&g.mu, NULL);
	pg_init(1);
	if (argc == 0)
		plan_file(&g, "-");
	for (i = 0; i < argc; i++)
		plan_file(&g, argv[i]);
	pg_start(NULL, plan_size(&g), NULL, "lines");
	run_all(&g);
	pg_done();
	plan_close(&g);
	if (write_rows(&g, c.mode) < 0 || close(STDOUT_FILENO) < 0) {
		lb_warn("stdout");
		g.failed = 1;
	}
	free(g.u);
	pthread_mutex_destroy(&g.mu);
	if (g.failed)
		return EX_FAIL;
	return g.bad > 0 ? EX_BADDATA : 0;
}
