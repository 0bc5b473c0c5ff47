/*
 * One input of logbook-archive: every line is an event spilled to its
 * date, or a malformed line reported and left out.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arc.h"
#include "diag.h"
#include "json.h"
#include "lineread.h"
#include "nsec.h"
#include "progress.h"
#include "timeconv.h"
#include "xxhash.h"

#define SHOW_BAD 10

/* Report a malformed line of input file (the first few of each). */
void
bad_line(struct run *r, uint32_t file, uint64_t lineno, const char *why)
{
	struct input *in = &r->in[file];

	in->bad++;
	r->bad++;
	pg_clear();
	if (in->bad <= SHOW_BAD)
		fprintf(stderr, "%s: %s:%llu: %s\n", lb_progname,
		    lb_escs(in->name), (unsigned long long)lineno,
		    json_line_why(why, lineno));
	else if (in->bad == SHOW_BAD + 1)
		fprintf(stderr, "%s: %s: more bad lines not shown\n",
		    lb_progname, lb_escs(in->name));
}

/* At the end, since the build finds some bad lines late. */
void
bad_summary(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nin; i++)
		if (r->in[i].bad > 1)
			fprintf(stderr, "%s: %s: %llu of %llu lines bad\n",
			    lb_progname, lb_escs(r->in[i].name),
			    (unsigned long long)r->in[i].bad,
			    (unsigned long long)r->in[i].lines);
}

/* The files named, in order, or standard input; none open yet. */
void
inputs_init(struct run *r, int argc, char **argv)
{
	size_t i;

	r->nin = argc > 0 ? (size_t)argc : 1;
	r->in = xcalloc(r->nin, sizeof(*r->in));
	for (i = 0; i < r->nin; i++) {
		r->in[i].name = argc > 0 ? argv[i] : "-";
		r->in[i].fd = -1;
	}
}

/*
 * Events as logbook-ingest writes them begin {"id":"...","ts":"...": the
 * id and the date come from there, and the build, which parses every
 * event anyway, checks the rest (and that it agrees).  -1: parse here.
 */
static int
quick(const char *p, size_t n, struct sphdr *h, int64_t *day)
{
	const char *q;
	int64_t sec;
	size_t fl;
	int off;

	if (n < 68 || memcmp(p, "{\"id\":\"", 7) != 0 ||
	    memcmp(p + 39, "\",\"ts\":\"", 8) != 0 ||
	    arch_idkey(p + 7, 32, &h->k) < 0 ||
	    (q = memchr(p + 47, '"', n - 47 < 41 ? n - 47 : 41)) == NULL ||
	    q[-1] != 'Z' ||
	    iso_time_parse(p + 47, (size_t)(q - p - 47), &sec, &off, &fl) < 0 ||
	    off != 0)
		return -1;
	*day = arch_day(sec);
	return arch_day_ok(*day) ? 0 : -1;
}

/* Why an event cannot be archived, or NULL; *day is its date. */
static const char *
check(struct run *r, const char *p, size_t n, struct sphdr *h, int64_t *day)
{
	const char *why;
	int64_t ns;

	if (n > UINT32_MAX)
		return "line too long";
	h->lh = xxh64(p, n, 0);
	h->len = (uint32_t)n;
	if (quick(p, n, h, day) == 0)
		return NULL;
	if (event_read(&r->ev, p, n, &why) < 0)
		return why;
	if (arch_idkey(r->ev.id.p, r->ev.id.n, &h->k) < 0)
		return "id not of the form YYYYMMDDTHHMMSS-hhhhhhhhhhhhhhhh";
	*day = arch_day(r->ev.r.sec);
	if (!arch_day_ok(*day))
		return "ts out of range";
	/* What aggregating would refuse must not reach an archive. */
	if (r->ev.r.rt.p != NULL &&
	    nsec_parse(r->ev.r.rt.p, r->ev.r.rt.n, &ns) < 0)
		return "rt out of range";
	return NULL;
}

/* Where l lies in its input, when the input can be read again. */
static void
place(const struct input *in, const struct lreader *lr, const struct line *l,
    uint32_t file, struct sphdr *h)
{
	h->file = file | SPILLED;
	if (in->fd < 0 || !lr_plain(lr))
		return;
	h->file = file;
	h->off = lr->bytes - (lr->end - (size_t)(l->p - lr->buf));
}

static int
one(struct run *r, uint32_t file, const struct lreader *lr,
    const struct line *l)
{
	struct input *in = &r->in[file];
	uint64_t lineno = lr->lineno + (l->more ? 1 : 0);
	struct sphdr h;
	const char *why;
	char msg[64];
	int64_t day = 0;

	if (l->more || l->cont) {
		if (!l->cont) {
			in->lines++;
			snprintf(msg, sizeof(msg), "line longer than %u bytes",
			    LR_MAXLINE);
			bad_line(r, file, lineno, msg);
		}
		return 0;
	}
	in->lines++;
	if (lr_blank(l))
		return 0;
	if ((why = check(r, l->p, l->n, &h, &day)) != NULL) {
		bad_line(r, file, lineno, why);
		return 0;
	}
	place(in, lr, l, file, &h);
	h.line = lineno;
	if (spill_add(&r->sp, day, &h, l->p) < 0) {
		lb_warn("%s", lb_escs(r->sp.dir));
		r->failed = 1;
		return -1;
	}
	return 0;
}

/*
 * A plain file's lines need not be copied: keep a descriptor of it to
 * read them again, when it is the file being read, and while there are
 * not too many.
 */
static void
reread(struct run *r, uint32_t file, const struct lreader *lr)
{
	struct input *in = &r->in[file];
	struct stat a, b;

	if (lr->fd == STDIN_FILENO || r->nread >= MAXREAD ||
	    (in->fd = open(in->name, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (fstat(lr->fd, &a) == 0 && fstat(in->fd, &b) == 0 &&
	    S_ISREG(a.st_mode) && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino) {
		r->nread++;
		return;
	}
	close(in->fd);
	in->fd = -1;
}

/* Spill input file ("-": stdin); -1 when archiving must stop. */
int
read_input(struct run *r, uint32_t file)
{
	const char *path = r->in[file].name;
	struct lreader lr;
	struct line l;
	int rc;

	if (lr_open(&lr, path) < 0) {
		lb_warn("%s", lb_escs(path));
		r->failed = 1;
		return 0;
	}
	reread(r, file, &lr);
	pg_start(path, pg_fdsize(lr.fd), NULL, "lines");
	while ((rc = lr_next(&lr, &l)) > 0) {
		if (one(r, file, &lr, &l) < 0)
			break;
		if ((r->in[file].lines & 0x3ff) == 0)
			pg_set(lr.bytes, r->in[file].lines);
	}
	pg_set(lr.bytes, r->in[file].lines);
	pg_done();
	if (rc < 0) {
		lr_warn(&lr);
		r->failed = 1;
	}
	lr_close(&lr);
	return rc > 0 ? -1 : 0;
}
