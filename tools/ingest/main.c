/*
 * logbook-ingest: access log lines in, one JSON event per line out.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "ingest.h"
#include "lblimits.h"
#include "opts.h"
#include "progress.h"
#include "xxhash.h"

#ifndef VERSION
#define VERSION "0"
#endif

static const char usage_text[] =
    "usage: logbook-ingest [-qv] [--strict] [-f format] [-s source] "
    "[-r rejects] [-R reasons] [file ...]\n";

static const char help_head[] =
    "Turn Apache and nginx access logs into NDJSON events.\n"
    "\n";

/* -f's text is filled by lb_help_fill, under its own start. */
static const char help_format[] = "  -f, --format FORMAT   ";

static const char help_tail[] =
    "  -s, --source NAME     label events with NAME (part of their ids)\n"
    "  -r, --rejects FILE    write rejected lines verbatim to FILE\n"
    "  -R, --reasons FILE    write each reject's file:line: reason to FILE\n"
    "      --strict          exit 65 when any line was rejected\n"
    "  -q, --quiet           no summary, no reasons on stderr, no progress\n"
    "  -v, --verbose         report each input's format, a summary and\n"
    "                        the rejects by reason\n"
    "  -h, --help            show this help\n"
    "  -V, --version         show the version\n"
    "\n"
    "Files are read in order; none or '-' means standard input.  gzip,\n"
    "xz, zstd and bzip2 input is decompressed, told by its first bytes.\n"
    "Exit status: 0 ok, 1 error, 2 usage, 65 lines rejected with\n"
    "--strict.  See logbook-ingest(1).\n";

enum { OPT_STRICT = 256 };

#define REJ_MODE 0640 /* as logbook-archive's files */

static const struct option longopts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "reasons", required_argument, NULL, 'R' },
	{ "rejects", required_argument, NULL, 'r' },
	{ "source", required_argument, NULL, 's' },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "verbose", no_argument, NULL, 'v' },
	LB_OPTS_END,
};

/* The help is help_text's, made when the options are read. */
static const struct lb_opts cmdline = { usage_text, NULL,
	"logbook-ingest " VERSION "\n", "f:hqR:r:s:vV", longopts };

/* "first, common, combined, ...": the names -f takes, from lib/logformat.c. */
static void
format_names(struct obuf *ob, const char *first)
{
	const char *const *n;

	ob_write(ob, first, strlen(first));
	for (n = lf_heads(); *n != NULL; n++) {
		ob_lit(ob, ", ");
		ob_write(ob, *n, strlen(*n));
	}
}

/* The help, in ob, with the names -f takes. */
static void
help_text(struct obuf *ob)
{
	size_t col = LB_HELP_INDENT;
	struct obuf names;

	ob_init(&names, -1);
	format_names(&names, "auto (default)");
	ob_lit(&names, ", or a LogFormat or log_format string");
	ob_putc(&names, '\0');
	ob_init(ob, -1);
	ob_lit(ob, help_head);
	ob_lit(ob, help_format);
	lb_help_fill(ob, names.buf, &col);
	ob_putc(ob, '\n');
	ob_lit(ob, help_tail);
	ob_putc(ob, '\0');
	ob_free(&names);
}

static void
add(struct ingest *g, const char *name)
{
	const struct logformat *f = lf_named(name);

	if (f != NULL && g->ncand < MAXCAND)
		g->cand[g->ncand++] = f;
}

/* Not a name -f knows: the names it does. */
static void
unknown_name(const char *arg)
{
	struct obuf names;

	ob_init(&names, -1);
	format_names(&names, "auto");
	ob_putc(&names, '\0');
	lb_warnx("unknown format name: %s (the names: %s; or a LogFormat or "
	         "log_format string)",
	    lb_escs(arg), names.buf);
	ob_free(&names);
	lb_usage(usage_text);
}

/* -f: the head of a family of named formats, or a format string. */
static void
set_format(struct ingest *g, const char *arg)
{
	static struct logformat custom;
	const char *const *n;
	struct lf_kind k;
	char err[256];

	g->ncand = 0;
	g->autodetect = strcmp(arg, "auto") == 0;
	if (g->autodetect) {
		for (n = lf_names(); *n != NULL; n++)
			add(g, *n);
		return;
	}
	if (lf_kind(arg, &k) == 0 && strcmp(k.family, arg) == 0) {
		add(g, arg);
		for (n = lf_names(); *n != NULL; n++)
			if (lf_kind(*n, &k) == 0 &&
			    strcmp(k.family, arg) == 0 && strcmp(*n, arg) != 0)
				add(g, *n);
		return;
	}
	if (strchr(arg, '%') == NULL && strchr(arg, '$') == NULL)
		unknown_name(arg);
	if (strlen(arg) > LB_FORMAT_MAX) {
		lb_warnx("format longer than %u bytes", LB_FORMAT_MAX);
		lb_usage(usage_text);
	}
	if (lf_compile(&custom, NULL, arg, err, sizeof(err)) < 0) {
		lb_warnx("bad format: %s", lb_escs(err));
		lb_usage(usage_text);
	}
	g->cand[g->ncand++] = &custom;
}

/*
 * Rejected lines hold client addresses: a file made here gets the
 * archives' mode, 0640 as given whatever the umask (logbook-archive -m),
 * and so does the file of their reasons, kept beside them; one that is
 * there (a FIFO, /dev/null, a file of the user's) keeps its own.
 */
static void
open_out(struct obuf *ob, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, REJ_MODE);

	if (fd >= 0 && fchmod(fd, REJ_MODE) < 0)
		lb_err(EX_FAIL, "%s", lb_escs(path));
	if (fd < 0 && errno == EEXIST)
		fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		lb_err(EX_FAIL, "%s", lb_escs(path));
	ob_init(ob, fd);
}

static void
options(struct ingest *g, int argc, char **argv, int *strict)
{
	struct lb_opts o = cmdline;
	struct obuf help;
	int ch;

	help_text(&help);
	o.help = help.buf;
	set_format(g, "auto");
	while ((ch = lb_getopt(argc, argv, &o)) != -1) {
		switch (ch) {
		case 'f':
			set_format(g, optarg);
			break;
		case 'q':
			g->quiet = 1;
			g->verbose = 0;
			break;
		case 'r':
			g->rejpath = optarg;
			break;
		case 'R':
			g->whypath = optarg;
			break;
		case 's':
			g->src = optarg;
			g->srclen = strlen(optarg);
			if (g->srclen > LB_SOURCE_MAX) {
				lb_warnx("source longer than %u bytes",
				    LB_SOURCE_MAX);
				lb_usage(usage_text);
			}
			break;
		case 'v':
			g->verbose = 1;
			g->quiet = 0;
			break;
		case OPT_STRICT:
			*strict = 1;
			break;
		}
	}
	ob_free(&help);
}

/* Flush and close a file of ours; 0, or -1 said. */
static int
close_out(struct obuf *ob, const char *path)
{
	int rc = 0;

	if (ob_flush(ob) < 0 || close(ob->fd) < 0) {
		lb_warn("%s", lb_escs(path));
		rc = -1;
	}
	ob_free(ob);
	return rc;
}

/* Flush and close what we wrote; a full disk must not pass for success. */
static void
finish(struct ingest *g)
{
	if (ob_shut(&g->out) < 0)
		g->failed = 1;
	if (g->rejpath != NULL && close_out(&g->rej, g->rejpath) < 0)
		g->failed = 1;
	if (g->whypath != NULL && close_out(&g->why, g->whypath) < 0)
		g->failed = 1;
	ob_free(&g->out);
	ob_free(&g->line);
	if (g->verbose)
		reason_summary(g);
}

int
main(int argc, char **argv)
{
	struct ingest g;
	int strict = 0, i;

	/* getopt's own messages use argv[0]: give it the short name too. */
	if (argv[0] != NULL && strrchr(argv[0], '/') != NULL)
		argv[0] = strrchr(argv[0], '/') + 1;
	lb_setprogname(argv[0]);
	memset(&g, 0, sizeof(g));
	options(&g, argc, argv, &strict);
	argc -= optind;
	argv += optind;
	if (g.rejpath != NULL)
		open_out(&g.rej, g.rejpath);
	if (g.whypath != NULL)
		open_out(&g.why, g.whypath);
	ob_init(&g.line, -1);
	g.srcseed = xxh64(g.src != NULL ? g.src : "", g.srclen, 0);
	pg_init(!g.quiet);
	ob_init(&g.out, STDOUT_FILENO);
	if (argc == 0)
		ingest_file(&g, "-");
	for (i = 0; i < argc && !g.out.err; i++)
		ingest_file(&g, argv[i]);
	finish(&g);
	if (g.failed)
		return EX_FAIL;
	return strict && g.rejects > 0 ? EX_BADDATA : 0;
}
