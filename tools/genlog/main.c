/*
 * logbook-genlog: a deterministic, realistic web access log on stdout,
 * for tests, drills and benchmarks.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "genlog.h"
#include "opts.h"

#ifndef VERSION
#define VERSION "0"
#endif

#define MAX_LINES 1000000000000u
#define MAX_DAYS 3660
#define Y9999 253370764800 /* 9999-01-01T00:00:00Z */

static const char usage_text[] =
    "usage: logbook-genlog [--stats] [--bad-rate rate] [--days days]\n"
    "                      [--format format] [--lines lines] [--seed seed]\n"
    "                      [--start date | --end time] [--tz offset]\n";

static const char help_text[] =
    "Write a deterministic, realistic web access log to standard output.\n"
    "\n"
    "      --bad-rate rate   replace this fraction of the lines by malformed "
    "ones\n"
    "      --days days       spread the lines over this many days (default 1)\n"
    "      --end time        end the log at time: now, or "
    "yyyy-mm-ddThh:mm:ssZ\n"
    "      --format format   combined (default), common, vhost_combined, "
    "nginx\n"
    "      --lines lines     write this many lines (default 1000)\n"
    "      --seed seed       random seed (default 1)\n"
    "      --start date      start at 00:00 UTC of date (default "
    "2025-10-13)\n"
    "      --stats           print a JSON summary on standard error\n"
    "      --tz offset       write times at this offset, +hhmm (default "
    "+0000)\n"
    "  -h, --help            show this help\n"
    "  -V, --version         show the version\n"
    "\n"
    "The same arguments give the same bytes.  Exit status: 0 ok, 1 error,\n"
    "2 usage.  See logbook-genlog(1).\n";

enum {
	OPT_BAD = 256,
	OPT_DAYS,
	OPT_END,
	OPT_FORMAT,
	OPT_LINES,
	OPT_SEED,
	OPT_START,
	OPT_STATS,
	OPT_TZ
};

static const struct option longopts[] = {
	{ "bad-rate", required_argument, NULL, OPT_BAD },
	{ "days", required_argument, NULL, OPT_DAYS },
	{ "end", required_argument, NULL, OPT_END },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "lines", required_argument, NULL, OPT_LINES },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "start", required_argument, NULL, OPT_START },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "tz", required_argument, NULL, OPT_TZ },
	LB_OPTS_END,
};

static const struct lb_opts cmdline = { usage_text, help_text,
	"logbook-genlog " VERSION "\n", "hV", longopts };

static _Noreturn void
bad_arg(const char *opt, const char *arg)
{
	lb_warnx("bad --%s: %s", opt, lb_escs(arg));
	lb_usage(usage_text);
}

/* Decimal digits only: no sign, no spaces, no hex, no overflow. */
static uint64_t
number(const char *opt, const char *s, uint64_t min, uint64_t max)
{
	uint64_t v = 0;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			bad_arg(opt, s);
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (p == s || *p != '\0' || v < min || v > max)
		bad_arg(opt, s);
	return v;
}

static double
rate(const char *s)
{
	char *end;
	double r = strtod(s, &end);

	if (end == s || *end != '\0' || !(r >= 0 && r <= 1))
		bad_arg("bad-rate", s);
	return r;
}

static enum fmt
format(const char *s)
{
	static const char *const names[] = { "common", "combined",
		"vhost_combined", "nginx" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (enum fmt)i;
	bad_arg("format", s);
}

static void
zone(struct opts *o, const char *s)
{
	if (strlen(s) != 5 || parse_offset(s, 5, &o->off) < 0)
		bad_arg("tz", s);
	memcpy(o->tz, s, 6);
}

/* A day as midnight UTC, by way of the ISO-8601 parser. */
static int64_t
start_day(const char *s)
{
	char buf[32];
	int64_t t;
	size_t fl;
	int off;

	if (strlen(s) != 10)
		bad_arg("start", s);
	snprintf(buf, sizeof(buf), "%sT00:00:00Z", s);
	if (iso_time_parse(buf, 20, &t, &off, &fl) < 0)
		bad_arg("start", s);
	return t;
}

static int64_t
end_time(const char *s)
{
	int64_t t;
	size_t fl;
	int off;

	if (strcmp(s, "now") == 0)
		return (int64_t)time(NULL);
	if (iso_time_parse(s, strlen(s), &t, &off, &fl) < 0)
		bad_arg("end", s);
	return t;
}

/* The window is whole days; --end moves it off midnight. */
static void
window(struct opts *o, const char *start, const char *end)
{
	int64_t len = (int64_t)o->days * 86400;

	if (start != NULL && end != NULL) {
		lb_warnx("--start and --end exclude each other");
		lb_usage(usage_text);
	}
	o->t0 = start_day(start != NULL ? start : "2025-10-13");
	if (end != NULL)
		o->t0 = end_time(end) - len;
	if (o->t0 < 0 || o->t0 + len > Y9999) {
		lb_warnx("the log must lie between the years 1970 and 9999");
		lb_usage(usage_text);
	}
}

static void
defaults(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->lines = 1000;
	o->seed = 1;
	o->days = 1;
	o->fmt = F_COMBINED;
	memcpy(o->tz, "+0000", 6);
}

static void
options(struct opts *o, int argc, char **argv)
{
	const char *start = NULL, *end = NULL;
	int ch;

	defaults(o);
	while ((ch = lb_getopt(argc, argv, &cmdline)) != -1) {
		switch (ch) {
		case OPT_BAD:
			o->bad_rate = rate(optarg);
			break;
		case OPT_DAYS:
			o->days = (int)number("days", optarg, 1, MAX_DAYS);
			break;
		case OPT_END:
			end = optarg;
			break;
		case OPT_FORMAT:
			o->fmt = format(optarg);
			break;
		case OPT_LINES:
			o->lines = number("lines", optarg, 0, MAX_LINES);
			break;
		case OPT_SEED:
			o->seed = number("seed", optarg, 0, UINT64_MAX);
			break;
		case OPT_START:
			start = optarg;
			break;
		case OPT_STATS:
			o->stats = 1;
			break;
		case OPT_TZ:
			zone(o, optarg);
			break;
		}
	}
	if (optind != argc)
		lb_usage(usage_text);
	window(o, start, end);
}

/* One JSON object; "rejectable" is what a strict parser must refuse. */
static void
stats(const struct gen *g)
{
	struct obuf ob;
	uint64_t all = 0, rej = 0;
	int b;

	ob_init(&ob, STDERR_FILENO);
	ob_lit(&ob, "{\"lines\":");
	ob_u64(&ob, g->o->lines);
	ob_lit(&ob, ",\"malformed_by_kind\":{");
	for (b = 0; b < NBAD; b++) {
		all += g->nbad[b];
		rej += bad_rejectable((enum bad)b) ? g->nbad[b] : 0;
		if (b > 0)
			ob_putc(&ob, ',');
		ob_putc(&ob, '"');
		ob_write(&ob, bad_names[b], strlen(bad_names[b]));
		ob_lit(&ob, "\":");
		ob_u64(&ob, g->nbad[b]);
	}
	ob_lit(&ob, "},\"malformed\":");
	ob_u64(&ob, all);
	ob_lit(&ob, ",\"rejectable\":");
	ob_u64(&ob, rej);
	ob_lit(&ob, ",\"seed\":");
	ob_u64(&ob, g->o->seed);
	ob_lit(&ob, "}\n");
	if (ob_flush(&ob) < 0)
		lb_err(EX_FAIL, "stderr");
	ob_free(&ob);
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct gen g;

	lb_setprogname(argv[0]);
	options(&o, argc, argv);
	memset(&g, 0, sizeof(g));
	g.o = &o;
	world_build(&g.w, &o);
	rng_seed(&g.traffic, o.seed, 2);
	rng_seed(&g.rt, o.seed, 3);
	rng_seed(&g.bad, o.seed, 4);
	ob_init(&g.ob, STDOUT_FILENO);
	traffic_run(&g);
	if (ob_shut(&g.ob) < 0)
		exit(EX_FAIL);
	if (o.stats)
		stats(&g);
	ob_free(&g.ob);
	world_free(&g.w);
	return 0;
}
