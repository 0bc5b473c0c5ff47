/*
 * One input of logbook-archive: every line is an event spilled to its
 * date, or a malformed line reported and left out.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "archive.h"
#include "diag.h"
#include "lineread.h"
#include "nsec.h"
#include "xxhash.h"

#define SHOW_BAD 10

struct file {
	const char *name;
	uint64_t lines, bad;
};

static void
bad(struct run *r, struct file *fs, uint64_t lineno, const char *why)
{
	fs->bad++;
	r->bad++;
	if (fs->bad <= SHOW_BAD)
		fprintf(stderr, "%s: %s:%llu: %s\n", lb_progname,
		    lb_esc(fs->name, strlen(fs->name)),
		    (unsigned long long)lineno, why);
	else if (fs->bad == SHOW_BAD + 1)
		fprintf(stderr, "%s: %s: more bad lines not shown\n",
		    lb_progname, lb_esc(fs->name, strlen(fs->name)));
}

/* Blank lines (a trailing one, say) are no events and no errors. */
static int
blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/* Why an event cannot be archived, or NULL; *day is its date. */
static const char *
check(struct run *r, const char *p, size_t n, struct sphdr *h, int64_t *day)
{
	char date[ARCH_DATELEN + 1];
	const char *why;
	int64_t ns;

	if (event_read(&r->ev, p, n, &why) < 0)
		return why;
	if (arch_idkey(r->ev.id.p, r->ev.id.n, &h->k) < 0)
		return "id not of the form YYYYMMDDTHHMMSS-hhhhhhhhhhhhhhhh";
	*day = arch_day(r->ev.r.sec);
	if (arch_date(date, *day) < 0)
		return "ts out of range";
	/* What aggregating would refuse must not reach an archive. */
	if (r->ev.r.rt.p != NULL &&
	    nsec_parse(r->ev.r.rt.p, r->ev.r.rt.n, &ns) < 0)
		return "rt out of range";
	if (n > UINT32_MAX)
		return "line too long";
	h->lh = xxh64(p, n, 0);
	h->len = (uint32_t)n;
	h->pad = 0;
	return NULL;
}

static int
one(struct run *r, struct file *fs, const struct line *l, uint64_t lineno)
{
	struct sphdr h;
	const char *why;
	char msg[64];
	int64_t day = 0;

	if (l->more || l->cont) {
		if (!l->cont) {
			fs->lines++;
			snprintf(msg, sizeof(msg), "line longer than %u bytes",
			    LR_MAXLINE);
			bad(r, fs, lineno, msg);
		}
		return 0;
	}
	fs->lines++;
	if (blank(l->p, l->n))
		return 0;
	if ((why = check(r, l->p, l->n, &h, &day)) != NULL) {
		bad(r, fs, lineno, why);
		return 0;
	}
	if (spill_add(&r->sp, day, &h, l->p) < 0) {
		lb_warn("%s", lb_esc(r->sp.dir, strlen(r->sp.dir)));
		r->failed = 1;
		return -1;
	}
	return 0;
}

static void
summary(struct file *fs)
{
	if (fs->bad <= 1)
		return;
	fprintf(stderr, "%s: %s: %llu of %llu lines bad\n", lb_progname,
	    lb_esc(fs->name, strlen(fs->name)), (unsigned long long)fs->bad,
	    (unsigned long long)fs->lines);
}

/* Spill one file ("-": stdin); -1 when archiving must stop. */
int
read_input(struct run *r, const char *path)
{
	struct lreader lr;
	struct file fs;
	struct line l;
	int rc;

	memset(&fs, 0, sizeof(fs));
	fs.name = path;
	if (lr_open(&lr, path) < 0) {
		lb_warn("%s", lb_esc(path, strlen(path)));
		r->failed = 1;
		return 0;
	}
	while ((rc = lr_next(&lr, &l)) > 0) {
		if (one(r, &fs, &l, lr.lineno + (l.more ? 1 : 0)) < 0)
			break;
		if (r->progress && (fs.lines & 0xffff) == 0)
			progress(r, "%s: %.1f MB, %llu lines", path,
			    (double)lr.bytes / 1e6,
			    (unsigned long long)fs.lines);
	}
	if (rc < 0) {
		if (lr.errmsg != NULL)
			lb_warnx(
			    "%s: %s", lb_esc(path, strlen(path)), lr.errmsg);
		else {
			errno = lr.errnum;
			lb_warn("%s", lb_esc(path, strlen(path)));
		}
		r->failed = 1;
	}
	summary(&fs);
	lr_close(&lr);
	return rc > 0 ? -1 : 0;
}
