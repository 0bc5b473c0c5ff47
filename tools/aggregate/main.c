/*
 * logbook-aggregate: events in, one row per (time bucket, key) out, with
 * request, byte, status, distinct-IP and latency figures.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "diag.h"

#ifndef VERSION
#define VERSION "0"
#endif

static const char usage_text[] =
    "usage: logbook-aggregate [-cmnp] [-b keys] [--bucket hour|day] "
    "[--csv-safe] [file ...]\n";

static const char help_text[] =
    "Aggregate NDJSON events into one row per time bucket and key.\n"
    "\n"
    "  -b, --by KEYS         comma-separated keys (default method,path) "
    "from\n"
    "                        method path status class ip host src ua\n"
    "      --bucket UNIT     hour (default) or day, in UTC\n"
    "  -c, --csv             RFC 4180 CSV with a header line\n"
    "      --csv-safe        CSV, with text a spreadsheet would run as a\n"
    "                        formula neutralised\n"
    "  -n, --normalize       fold ids, UUIDs and long hex in paths into "
    ":id\n"
    "  -p, --partial         write rows with mergeable state\n"
    "  -m, --merge           read partial rows and merge them\n"
    "  -h, --help            show this help\n"
    "  -V, --version         show the version\n"
    "\n"
    "Files are read in order; none or '-' means standard input.  gzip\n"
    "input is decompressed.  Exit status: 0 ok, 1 error, 2 usage,\n"
    "65 bad input lines.  See logbook-aggregate(1).\n";

enum { OPT_BUCKET = 256, OPT_CSV_SAFE };

static const struct option longopts[] = {
	{ "bucket", required_argument, NULL, OPT_BUCKET },
	{ "by", required_argument, NULL, 'b' },
	{ "csv", no_argument, NULL, 'c' },
	{ "csv-safe", no_argument, NULL, OPT_CSV_SAFE },
	{ "help", no_argument, NULL, 'h' },
	{ "merge", no_argument, NULL, 'm' },
	{ "normalize", no_argument, NULL, 'n' },
	{ "partial", no_argument, NULL, 'p' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

struct cli {
	struct aggopts o;
	int by, bucket; /* given on the command line */
	enum agg_out mode;
	int csv, partial, merge;
};

static _Noreturn void
usage(void)
{
	lb_usage(usage_text);
}

static void
set_keys(struct cli *c, const char *arg)
{
	const char *why;

	if (agg_parse_keys(&c->o, arg, strlen(arg), &why) < 0) {
		lb_warnx("--by %s: %s (keys are method, path, status, class, "
		         "ip, host, src and ua)",
		    lb_esc(arg, strlen(arg)), why);
		usage();
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
	else {
		lb_warnx("--bucket: want hour or day, not %s",
		    lb_esc(arg, strlen(arg)));
		usage();
	}
	c->bucket = 1;
}

/* What the options add up to, once all are read. */
static void
settle(struct cli *c)
{
	if (c->csv && c->partial) {
		lb_warnx("partial rows are NDJSON only: no --csv with "
		         "--partial");
		usage();
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
}

static void
options(struct cli *c, int argc, char **argv)
{
	int ch;

	agg_defaults(&c->o);
	while (
	    (ch = getopt_long(argc, argv, "b:chmnpV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			set_keys(c, optarg);
			break;
		case 'c':
			c->csv = c->csv ? c->csv : 1;
			break;
		case 'h':
			lb_show(usage_text, help_text);
		case 'm':
			c->merge = 1;
			break;
		case 'n':
			c->o.normalize = 1;
			break;
		case 'p':
			c->partial = 1;
			break;
		case 'V':
			lb_show("logbook-aggregate " VERSION, "\n");
		case OPT_BUCKET:
			set_bucket(c, optarg);
			break;
		case OPT_CSV_SAFE:
			c->csv = 2;
			break;
		default:
			usage();
		}
	}
	settle(c);
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct run g;
	struct obuf ob;
	int i;

	lb_setprogname(argv[0]);
	memset(&c, 0, sizeof(c));
	memset(&g, 0, sizeof(g));
	options(&c, argc, argv);
	argc -= optind;
	argv += optind;
	g.agg = agg_new(&c.o);
	g.merge = c.merge;
	event_init(&g.ev);
	if (argc == 0)
		aggregate_file(&g, "-");
	for (i = 0; i < argc; i++)
		aggregate_file(&g, argv[i]);
	ob_init(&ob, STDOUT_FILENO);
	(void)agg_write(g.agg, &ob, c.mode); /* errors latch in ob */
	if (ob_flush(&ob) < 0 || close(STDOUT_FILENO) < 0) {
		lb_warn("stdout");
		g.failed = 1;
	}
	ob_free(&ob);
	event_free(&g.ev);
	agg_free(g.agg);
	if (g.failed)
		return EX_FAIL;
	return g.bad > 0 ? EX_BADDATA : 0;
}
