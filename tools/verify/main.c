/*
 * logbook-verify: check archives of logbook-archive(1) through and
 * through, and say which pass.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archfmt.h"
#include "check.h"
#include "diag.h"
#include "opts.h"
#include "pool.h"

#ifndef VERSION
#define VERSION "0"
#endif

#define MAXTHREADS 8

static const char usage_text[] =
    "usage: logbook-verify [-q] [--json] [--db file] [--expect count]\n"
    "                      archive|dir ...\n";

static const char help_text[] =
    "Check archives of logbook-archive: gzip and tar structure, members,\n"
    "SHA-256 of each member against the manifest, every event (valid, on\n"
    "the archive's date, ids sorted and unique), counts and hourly rows.\n"
    "\n"
    "      --db FILE         compare each date's event count with a "
    "database\n"
    "                        of logbook-restore\n"
    "      --expect COUNT    compare the total of events with COUNT\n"
    "      --json            one JSON object per archive and a summary\n"
    "  -q, --quiet           report only what fails\n"
    "  -h, --help            show this help\n"
    "  -V, --version         show the version\n"
    "\n"
    "A dir means every logbook-YYYY-MM-DD.tar.gz and monthly aggregate\n"
    "logbook-YYYY-MM.hourly.tar.gz under it; a *.hourly.tar.gz is checked\n"
    "as a monthly archive (rows=N).  Exit status: 0 all checks pass,\n"
    "1 any fails, 2 usage.  See logbook-verify(1).\n";

enum { OPT_DB = 256, OPT_EXPECT, OPT_JSON };

static const struct option longopts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, 'q' },
	LB_OPTS_END,
};

static const struct lb_opts cmdline = { usage_text, help_text,
	"logbook-verify " VERSION "\n", "hqV", longopts };

static void
options(struct run *r, int argc, char **argv)
{
	int ch;

	while ((ch = lb_getopt(argc, argv, &cmdline)) != -1) {
		switch (ch) {
		case 'q':
			r->quiet = 1;
			break;
		case OPT_DB:
			r->dbpath = optarg;
			break;
		case OPT_EXPECT:
			if (arch_u64(optarg, strlen(optarg), &r->expect) < 0) {
				lb_warnx("--expect: want a count, not %s",
				    lb_escs(optarg));
				lb_usage(usage_text);
			}
			r->expect_set = 1;
			break;
		case OPT_JSON:
			r->json = 1;
			break;
		}
	}
	if (optind == argc) {
		lb_warnx("no archive or folder given");
		lb_usage(usage_text);
	}
}

int
main(int argc, char **argv)
{
	struct run r;
	int i, bad = 0;

	lb_setprogname(argv[0]);
	memset(&r, 0, sizeof(r));
	options(&r, argc, argv);
	r.threads = pool_ncpu(MAXTHREADS);
	if (r.dbpath != NULL && db_attach(&r) < 0)
		return EX_FAIL;
	ob_init(&r.out, STDOUT_FILENO);
	for (i = optind; i < argc && r.out.err == 0; i++)
		check_path(&r, argv[i]);
	report_total(&r);
	db_detach(&r);
	if (ob_shut(&r.out) < 0)
		bad = 1;
	ob_free(&r.out);
	if (bad || r.failed > 0 || r.errors > 0 || r.archives == 0 ||
	    (r.expect_set && r.expect != r.events))
		return EX_FAIL;
	return 0;
}
