/*
 * logbook-restore: archives into an SQLite database, each verified and
 * loaded in one transaction, or files of events (--ndjson); or archives
 * back to log lines on standard output.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archfmt.h"
#include "diag.h"
#include "opts.h"
#include "progress.h"
#include "restore.h"

#ifndef VERSION
#define VERSION "0"
#endif

static const char usage_text[] =
    "usage: logbook-restore -d db [-qv] [--check] [--from date] [--to date]\n"
    "                       [--lock-wait seconds] [archive | dir ...]\n"
    "       logbook-restore -d db --ndjson [-qv] [--check] [--from date]\n"
    "                       [--to date] [--lock-wait seconds] [file ...]\n"
    "       logbook-restore --emit format [-qv] [--csv-safe] [--from date]\n"
    "                       [--to date] archive | dir ...\n";

static const char help_head[] =
    "Load logbook archives, or files of events, into an SQLite database, or\n"
    "write the archives' events back out.\n"
    "\n"
    "  -d, --db FILE         the database, created when missing\n"
    "      --check           then compare each date's events with the\n"
    "                        manifests (all dates when no archive is "
    "given)\n"
    "      --ndjson          the files hold events, as logbook-ingest writes\n"
    "                        them (- or none: standard input), not archives\n"
    "      --emit FORMAT     write the events to standard output instead:\n"
    "                        ";

/* Between the two: the names --emit takes, from emit_names. */
static const char help_tail[] =
    "\n"
    "      --csv-safe        with --emit csv: text a spreadsheet would take\n"
    "                        for a formula gets a leading apostrophe\n"
    "      --from DATE       only archives, or events, of DATE (YYYY-MM-DD)\n"
    "                        or later\n"
    "      --to DATE         only those of DATE or earlier\n"
    "      --lock-wait SECS  wait up to SECS seconds for another writer\n"
    "                        of the database (default 30)\n"
    "  -q, --quiet           no notes, no progress\n"
    "  -v, --verbose         a line for each archive and each date "
    "checked\n"
    "  -h, --help            show this help\n"
    "  -V, --version         show the version\n"
    "\n"
    "A dir is searched for logbook-YYYY-MM-DD.tar.gz at any depth.  Every\n"
    "archive is verified; a bad one is refused and the others go on.  A\n"
    "line of --ndjson that is no event is reported and left out.\n"
    "Exit status: 0 ok, 1 an archive refused or an error, 2 usage, 65 a bad\n"
    "line of --ndjson.\n"
    "See logbook-restore(1).\n";

enum {
	OPT_CHECK = 256,
	OPT_CSV_SAFE,
	OPT_EMIT,
	OPT_FROM,
	OPT_LOCK_WAIT,
	OPT_NDJSON,
	OPT_TO
};

static const struct option longopts[] = {
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "csv-safe", no_argument, NULL, OPT_CSV_SAFE },
	{ "db", required_argument, NULL, 'd' },
	{ "emit", required_argument, NULL, OPT_EMIT },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "lock-wait", required_argument, NULL, OPT_LOCK_WAIT },
	{ "ndjson", no_argument, NULL, OPT_NDJSON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "to", required_argument, NULL, OPT_TO },
	{ "verbose", no_argument, NULL, 'v' },
	LB_OPTS_END,
};

/* The help is made by help_text when the options are read. */
static const struct lb_opts cmdline = { usage_text, NULL,
	"logbook-restore " VERSION "\n", "d:hqvV", longopts };

static void
set_date(char *dst, const char *arg, const char *opt)
{
	int64_t day;

	if (arch_parse_date(arg, strlen(arg), &day) < 0) {
		lb_warnx("%s: not a date (YYYY-MM-DD): %s", opt, lb_escs(arg));
		lb_usage(usage_text);
	}
	memcpy(dst, arg, DB_DATE_LEN + 1);
}

/* --lock-wait: whole seconds, up to a day. */
static int
seconds(const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < 0 || v > 86400) {
		lb_warnx("--lock-wait: want seconds from 0 to 86400: %s",
		    lb_escs(arg));
		lb_usage(usage_text);
	}
	return (int)v;
}

static void
help_text(struct obuf *ob)
{
	struct obuf names;
	size_t col = LB_HELP_INDENT;

	ob_init(&names, -1);
	emit_names(&names);
	ob_putc(&names, '\0');
	ob_init(ob, -1);
	ob_lit(ob, help_head);
	lb_help_fill(ob, names.buf, &col);
	ob_lit(ob, help_tail);
	ob_putc(ob, '\0');
	ob_free(&names);
}

static void
options(struct restore *r, int argc, char **argv)
{
	struct lb_opts o = cmdline;
	struct obuf help;
	int ch;

	help_text(&help);
	o.help = help.buf;
	while ((ch = lb_getopt(argc, argv, &o)) != -1) {
		switch (ch) {
		case 'd':
			r->dbpath = optarg;
			break;
		case 'q':
			r->quiet = 1;
			r->verbose = 0;
			break;
		case 'v':
			r->verbose = 1;
			r->quiet = 0;
			break;
		case OPT_CHECK:
			r->check = 1;
			break;
		case OPT_CSV_SAFE:
			r->csvsafe = 1;
			break;
		case OPT_EMIT:
			r->emit = optarg;
			break;
		case OPT_NDJSON:
			r->ndjson = 1;
			break;
		case OPT_FROM:
			set_date(r->from, optarg, "--from");
			break;
		case OPT_TO:
			set_date(r->to, optarg, "--to");
			break;
		case OPT_LOCK_WAIT:
			r->lockwait = seconds(optarg);
			break;
		}
	}
	ob_free(&help);
}

/* The combinations the synopsis allows. */
static void
check_usage(const struct restore *r, int nargs)
{
	const char *why = NULL;

	if (r->ndjson && r->emit != NULL)
		why = "--ndjson and --emit exclude each other";
	else if (r->ndjson && r->dbpath == NULL)
		why = "--ndjson needs a database (-d)";
	else if (r->emit == NULL && r->dbpath == NULL)
		why = "give a database (-d) or an output format (--emit)";
	else if (r->emit != NULL && r->dbpath != NULL)
		why = "-d and --emit exclude each other";
	else if (r->emit != NULL && r->check)
		why = "--check needs a database, not --emit";
	else if (r->csvsafe && (r->emit == NULL || strcmp(r->emit, "csv") != 0))
		why = "--csv-safe needs --emit csv";
	else if (nargs == 0 && !r->check && !r->ndjson)
		why = "no archive or dir given";
	else if (strcmp(r->from, r->to) > 0)
		why = "--from is after --to";
	if (why != NULL) {
		lb_warnx("%s", why);
		lb_usage(usage_text);
	}
}

static void
load_archives(struct restore *r)
{
	size_t i;

	pg_start(NULL, r->nitems, "archives", "events");
	first_start(r);
	for (i = 0; i < r->nitems && !r->stop; i++)
		load_archive(r, i);
	first_stop();
	srcsums_free(&r->sums);
	pg_done();
}

/* The files of --ndjson, in order; none: standard input. */
static void
load_files(struct restore *r, int argc, char **argv)
{
	int i;

	if (argc == 0)
		load_ndjson(r, "-");
	for (i = 0; i < argc && !r->stop; i++)
		load_ndjson(r, argv[i]);
}

static void
run_db(struct restore *r, int argc, char **argv)
{
	const char *why;

	if ((r->db = db_open(r->dbpath, r->lockwait * 1000, &why)) == NULL) {
		warn_file(r->dbpath, why, "");
		r->failed = 1;
		return;
	}
	if (r->ndjson)
		load_files(r, argc, argv);
	else
		load_archives(r);
	if (r->check && !r->stop)
		check_dates(r);
	/* A new database is made whole, or not at all. */
	if (r->stop && db_is_new(r->db)) {
		db_discard(r->db);
		lb_warnx("%s: not made; restore again", lb_escs(r->dbpath));
	}
	if (db_close(r->db, &why) < 0) {
		warn_file(r->dbpath, why, "");
		r->failed = 1;
	}
}

static void
run_emit(struct restore *r)
{
	size_t i;

	pg_start(NULL, r->nitems, "archives", "events");
	first_start(r);
	for (i = 0; i < r->nitems && !r->stop; i++)
		emit_archive(r, i);
	first_stop();
	pg_done();
	emit_free(r->em);
}

static void
unknown_emit(const char *name)
{
	struct obuf names;

	ob_init(&names, -1);
	emit_names(&names);
	lb_warnx("--emit: unknown format %s; one of %.*s", lb_escs(name),
	    (int)names.len, names.buf);
	ob_free(&names);
}

int
main(int argc, char **argv)
{
	struct restore r;
	int i;

	lb_setprogname(argv[0]);
	memset(&r, 0, sizeof(r));
	strcpy(r.from, "0000-01-01");
	strcpy(r.to, "9999-12-31");
	r.threads = 1;
	r.lockwait = 30;
	options(&r, argc, argv);
	argc -= optind;
	argv += optind;
	check_usage(&r, argc);
	pg_init(!r.quiet);
	ob_init(&r.out, STDOUT_FILENO);
	if (r.emit != NULL && (r.em = emit_new(r.emit, &r.out)) == NULL) {
		unknown_emit(r.emit);
		lb_usage(usage_text);
	}
	if (r.csvsafe)
		emit_csv_safe(r.em);
	for (i = 0; i < argc && !r.ndjson; i++)
		list_add(&r, argv[i]);
	if (r.emit != NULL)
		run_emit(&r);
	else
		run_db(&r, argc, argv);
	if (ob_shut(&r.out) < 0)
		r.failed = 1;
	ob_free(&r.out);
	list_free(&r);
	if (r.failed)
		return EX_FAIL;
	return r.bad > 0 ? EX_BADDATA : 0;
}
