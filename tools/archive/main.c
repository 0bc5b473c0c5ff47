/*
 * logbook-archive: events in, one gzip-compressed tar archive per UTC
 * date out, merged by id with what the archive already holds.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arc.h"
#include "atomic.h"
#include "diag.h"
#include "lock.h"
#include "opts.h"
#include "pool.h"
#include "progress.h"

#ifndef VERSION
#define VERSION "0"
#endif

#define MAXTHREADS 8

static const char usage_text[] =
    "usage: logbook-archive [--hourly] -d dir [-l level] [-m mode]\n"
    "                       [--lock-wait seconds] [file ...]\n"
    "       logbook-archive --list [--hourly] -d dir\n";

static const char help_text[] =
    "File NDJSON events into one gzip-compressed tar archive per UTC date:\n"
    "DIR/YYYY/MM/logbook-YYYY-MM-DD.tar.gz, merged by id with what is\n"
    "there already.  With --hourly, file hourly rows (a daily archive's\n"
    "hourly.ndjson) into one archive per UTC month instead:\n"
    "DIR/YYYY/MM/logbook-YYYY-MM.hourly.tar.gz; the rows given for a date\n"
    "replace that date's rows there.\n"
    "\n"
    "  -d, --dir DIR           the archive folder (made if missing)\n"
    "  -l, --level LEVEL       gzip level, 1 to 12 (default 6)\n"
    "  -m, --mode MODE         octal mode of the files made (default "
    "0640)\n"
    "      --lock-wait SECS    wait up to SECS seconds for another "
    "writer\n"
    "                          of DIR (default 30)\n"
    "      --hourly            file hourly rows into monthly archives\n"
    "      --list              write nothing: print the paths of the daily\n"
    "                          archives (monthly with --hourly) in\n"
    "                          DIR/YYYY/MM/ of their month, oldest first\n"
    "  -h, --help              show this help\n"
    "  -V, --version           show the version\n"
    "\n"
    "Files are read in order; none or '-' means standard input.  gzip,\n"
    "xz, zstd and bzip2 input is decompressed, told by its first bytes.\n"
    "Prints path, events (rows with --hourly) and those added for each\n"
    "archive touched.  Exit status: 0 ok, 1 error, 2 usage, 65 bad input\n"
    "lines, 75 the folder locked by another writer.  See "
    "logbook-archive(1).\n";

enum { OPT_LOCK_WAIT = 256, OPT_HOURLY, OPT_LIST };

static const struct option longopts[] = {
	{ "dir", required_argument, NULL, 'd' },
	{ "hourly", no_argument, NULL, OPT_HOURLY },
	{ "level", required_argument, NULL, 'l' },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "lock-wait", required_argument, NULL, OPT_LOCK_WAIT },
	{ "mode", required_argument, NULL, 'm' },
	LB_OPTS_END,
};

static const struct lb_opts cmdline = { usage_text, help_text,
	"logbook-archive " VERSION "\n", "d:hl:m:V", longopts };

/* A number in [min, max], whole unless frac, or a usage error. */
static double
number(const char *arg, int base, int frac, double min, double max,
    const char *what)
{
	char *end;
	double v;

	errno = 0;
	v = base == 8 ? (double)strtoul(arg, &end, 8) : strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' ||
	    arg[0] == '+' || !(v >= min && v <= max) ||
	    (!frac && v != (double)(long)v)) {
		lb_warnx("%s, not %s", what, lb_escs(arg));
		lb_usage(usage_text);
	}
	return v;
}

static void
options(struct run *r, int argc, char **argv)
{
	int ch;

	while ((ch = lb_getopt(argc, argv, &cmdline)) != -1) {
		switch (ch) {
		case 'd':
			r->dir = optarg;
			break;
		case 'l':
			r->level = (int)number(optarg, 10, 0, 1, 12,
			    "-l: want a level from 1 to 12");
			break;
		case 'm':
			r->mode = (mode_t)number(optarg, 8, 0, 0, 0777,
			    "-m: want an octal mode from 0 to 777");
			break;
		case OPT_HOURLY:
			r->hourly = 1;
			break;
		case OPT_LIST:
			r->list = 1;
			break;
		case OPT_LOCK_WAIT:
			r->lockwait = number(optarg, 10, 1, 0, 86400,
			    "--lock-wait: want seconds from 0 to 86400");
			break;
		}
	}
	if (r->dir == NULL || *r->dir == '\0') {
		lb_warnx("no archive folder: -d is required");
		lb_usage(usage_text);
	}
}

/* An archive's line: path, events, added; out as soon as it is done. */
void
archive_line(struct run *r, const char *path, uint64_t events, uint64_t added)
{
	pg_clear(); /* stdout may be the terminal of the progress line */
	ob_write(&r->out, path, strlen(path));
	ob_putc(&r->out, '\t');
	ob_u64(&r->out, events);
	ob_putc(&r->out, '\t');
	ob_u64(&r->out, added);
	ob_putc(&r->out, '\n');
	(void)ob_flush(&r->out); /* an error latches, for the end */
}

/* DIR, made if missing; its lock, held; what a killed run left, gone. */
static int
prepare(struct run *r, int *lockfd)
{
	struct stat st;
	size_t n = strlen(r->dir) + 32;
	char *lock = xmalloc(n);

	snprintf(lock, n, "%s/.logbook-archive.lock", r->dir);
	if (stat(r->dir, &st) < 0 &&
	    (errno != ENOENT || mkdir_synced(r->dir, r->dmode) < 0)) {
		lb_warn("%s", lb_escs(r->dir));
		free(lock);
		return -1;
	}
	if ((*lockfd = lock_wait(lock, r->mode, r->lockwait)) < 0) {
		r->busy = errno == EWOULDBLOCK;
		if (r->busy)
			lb_warnx(
			    "%s: another logbook-archive is writing there; "
			    "waited %g s",
			    lb_escs(r->dir), r->lockwait);
		else
			lb_warn("%s", lb_escs(lock));
		free(lock);
		return -1;
	}
	free(lock);
	cleanup_leftovers(r);
	if (spill_open(&r->sp, r->dir) < 0) {
		lb_warn("%s", lb_escs(r->dir));
		return -1;
	}
	return 0;
}

static int
by_day(const void *a, const void *b)
{
	const struct dspill *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

/* Read every input, then build each date in turn. */
static void
archive(struct run *r, int argc, char **argv)
{
	size_t i;

	inputs_init(r, argc, argv);
	for (i = 0; i < r->nin; i++)
		if (read_input(r, (uint32_t)i) < 0)
			return;
	if (spill_close_all(&r->sp) < 0) {
		lb_warn("%s", lb_escs(r->sp.dir));
		r->failed = 1;
		return;
	}
	if (r->sp.n > 0)
		qsort(r->sp.d, r->sp.n, sizeof(*r->sp.d), by_day);
	pg_start(NULL, r->sp.n, "archives", "events");
	for (i = 0; i < r->sp.n; i++) {
		if (build_date(r, &r->sp.d[i]) < 0)
			break;
		pg_add(1, 0);
	}
	pg_done();
}

int
main(int argc, char **argv)
{
	struct run r;
	int lockfd = -1;
	size_t i;

	lb_setprogname(argv[0]);
	memset(&r, 0, sizeof(r));
	r.mode = 0640;
	r.level = 6;
	r.lockwait = 30;
	r.threads = pool_ncpu(MAXTHREADS);
	options(&r, argc, argv);
	if (r.list && optind < argc) {
		lb_warnx("--list reads no file");
		lb_usage(usage_text);
	}
	if (r.list)
		return list_archives(&r);
	r.dmode = r.mode | (r.mode & 0444) >> 2; /* x where r */
	pg_init(1);
	ob_init(&r.out, STDOUT_FILENO);
	event_init(&r.ev);
	if (prepare(&r, &lockfd) < 0)
		r.failed = 1;
	else if (r.hourly)
		hourly_archive(&r, argc - optind, argv + optind);
	else
		archive(&r, argc - optind, argv + optind);
	bad_summary(&r);
	for (i = 0; i < r.nin; i++)
		if (r.in[i].fd >= 0)
			close(r.in[i].fd);
	spill_free(&r.sp);
	event_free(&r.ev);
	free(r.in);
	if (lockfd >= 0)
		close(lockfd);
	if (ob_shut(&r.out) < 0)
		r.failed = 1;
	ob_free(&r.out);
	if (r.busy)
		return EX_TEMPFAIL_;
	if (r.failed)
		return EX_FAIL;
	return r.bad > 0 ? EX_BADDATA : 0;
}
