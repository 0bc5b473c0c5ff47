/*
 * logbook-report: one self-contained HTML page of the traffic and the
 * backups, from the hourly rows of logbook-aggregate or a folder of
 * archives of logbook-archive.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archfmt.h"
#include "atomic.h"
#include "diag.h"
#include "opts.h"
#include "report.h"
#include "tz.h"

#ifndef VERSION
#define VERSION "0"
#endif

static const char usage_text[] =
    "usage: logbook-report [-o file] [--from date] [--to date] "
    "[--tz zone]\n"
    "                      [--title text] [--state-dir dir]\n"
    "                      [archive_dir | --db file | file ...]\n";

static const char help_text[] =
    "Write one self-contained HTML page (inline CSS and SVG, no script)\n"
    "of the traffic in hourly rows of logbook-aggregate, final or partial,\n"
    "read from files or standard input, or of the archives under an\n"
    "archive_dir of logbook-archive, with the health of the backups,\n"
    "or in a database of logbook-restore.\n"
    "\n"
    "      --db FILE         read the hourly rows and events of FILE, a\n"
    "                        database of logbook-restore\n"
    "      --from DATE       leave out what is before DATE (YYYY-MM-DD, "
    "UTC\n"
    "                        or --tz)\n"
    "      --to DATE         leave out what is after DATE (inclusive)\n"
    "  -o, --output FILE     write the page to FILE, replaced atomically\n"
    "      --state-dir DIR   the STATE_DIR of the jobs: the restore drills\n"
    "                        of DIR/drills.ndjson\n"
    "      --title TEXT      the page's title\n"
    "      --tz ZONE         times, hours and days of ZONE's clock: an\n"
    "                        IANA name (Europe/Paris) or +hhmm\n"
    "  -h, --help            show this help\n"
    "  -V, --version         show the version\n"
    "\n"
    "Exit status: 0 done, 1 an input could not be read or an archive\n"
    "failed its checks, 2 usage, 65 bad rows.  See logbook-report(1).\n";

enum { OPT_DB = 256, OPT_FROM, OPT_STATE_DIR, OPT_TO, OPT_TITLE, OPT_TZ };

static const struct option longopts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "output", required_argument, NULL, 'o' },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "to", required_argument, NULL, OPT_TO },
	{ "tz", required_argument, NULL, OPT_TZ },
	LB_OPTS_END,
};

static const struct lb_opts cmdline = { usage_text, help_text,
	"logbook-report " VERSION "\n", "ho:V", longopts };

static int64_t
date_arg(const char *opt, const char *s)
{
	int64_t t;

	if (arch_parse_date(s, strlen(s), &t) < 0) {
		lb_warnx("%s: want a date YYYY-MM-DD, not %s", opt, lb_escs(s));
		lb_usage(usage_text);
	}
	return t * 86400;
}

static void
set_tz(struct run *r, const char *arg)
{
	static struct lbtz z;
	const char *why;

	if (tz_parse(&z, arg, &why) < 0) {
		lb_warnx("--tz %s: %s", lb_escs(arg), why);
		lb_usage(usage_text);
	}
	/* UTC itself keeps the page as it is without --tz. */
	r->tz = z.named || z.fixed != 0 ? &z : NULL;
	r->zone = r->tz != NULL ? arg : "UTC";
}

static const char *
options(struct run *r, int argc, char **argv)
{
	const char *out = NULL;
	int ch;

	while ((ch = lb_getopt(argc, argv, &cmdline)) != -1) {
		switch (ch) {
		case 'o':
			out = optarg;
			break;
		case OPT_DB:
			r->dbpath = optarg;
			break;
		case OPT_STATE_DIR:
			r->statedir = optarg;
			break;
		case OPT_FROM:
			r->from = date_arg("--from", optarg);
			break;
		case OPT_TO:
			r->to = date_arg("--to", optarg) + 86400;
			break;
		case OPT_TITLE:
			r->title = optarg;
			break;
		case OPT_TZ:
			set_tz(r, optarg);
			break;
		}
	}
	if (r->from != NOTIME && r->to != NOTIME && r->to <= r->from) {
		lb_warnx("--to is before --from");
		lb_usage(usage_text);
	}
	return out;
}

static void
inputs(struct run *r, int argc, char **argv)
{
	struct stat st;
	int i;

	if (r->statedir != NULL)
		input_state(r, r->statedir);
	if (r->dbpath != NULL) {
		if (argc > 0) {
			lb_warnx("--db is the input: no other input beside it");
			lb_usage(usage_text);
		}
		input_db(r, r->dbpath);
		return;
	}
	if (argc == 0)
		input_file(r, "-");
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") != 0 && stat(argv[i], &st) == 0 &&
		    S_ISDIR(st.st_mode)) {
			if (r->archdir != NULL) {
				lb_warnx("one archive folder at a time");
				lb_usage(usage_text);
			}
			input_dir(r, argv[i]);
		} else
			input_file(r, argv[i]);
	}
}

/* The page to standard output, or to a file replaced atomically. */
static int
output(struct run *r, const char *path)
{
	struct atomic at;
	struct obuf ob;
	int rc;

	if (path != NULL && atomic_open(&at, path, 0640) < 0) {
		lb_warn("%s", lb_escs(path));
		return -1;
	}
	ob_init(&ob, path != NULL ? at.fd : STDOUT_FILENO);
	html_page(r, &ob);
	rc = ob_flush(&ob);
	ob_free(&ob);
	if (path == NULL) {
		if (rc < 0 || close(STDOUT_FILENO) < 0) {
			lb_warn("stdout");
			return -1;
		}
	} else if (rc < 0 || atomic_commit(&at) < 0) {
		lb_warn("%s", lb_escs(path));
		if (rc < 0)
			atomic_abort(&at);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct run r;
	const char *out;
	int bad;

	lb_setprogname(argv[0]);
	memset(&r, 0, sizeof(r));
	r.from = r.to = NOTIME;
	r.zone = "UTC";
	out = options(&r, argc, argv);
	inputs(&r, argc - optind, argv + optind);
	bad = output(&r, out) < 0;
	rows_free(&r);
	if (bad || r.failed)
		return EX_FAIL;
	return r.badlines > 0 ? EX_BADDATA : 0;
}
