/*
 * One input of logbook-ingest: detect its format from the first lines,
 * then turn every line into an event or a counted reject.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "event.h"
#include "ingest.h"
#include "lineread.h"
#include "progress.h"
#include "xxhash.h"

#define SAMPLE_LINES 8
#define SAMPLE_MAX (64 * 1024)
#define SHOW_REASONS 5

struct file {
	const char *name;
	const struct logformat *order[MAXCAND];
	size_t norder;
	int known; /* a format was detected, or given */
	uint64_t seed; /* from the source and the first line */
	uint64_t lines, events, rejects;
	const char *guess; /* -f fit no sample line: the format that does */
	struct rec rec;
};

/*
 * A reject's reason: to the -R file, each; to stderr, the first few of
 * an input; counted by class for -v.
 */
static void
reason(struct ingest *g, struct file *fs, uint64_t lineno, const char *why,
    const struct lf_fail *e, const char *fmt)
{
	struct reason r = { fs->name, lineno, why, e, fmt };
	int show = !g->quiet && fs->rejects <= SHOW_REASONS;

	if (g->verbose)
		reason_count(g, &r);
	if (!g->quiet && fs->rejects == SHOW_REASONS + 1) {
		pg_clear();
		fprintf(stderr, "%s: %s: more rejects not shown\n", lb_progname,
		    lb_escs(fs->name));
	}
	if (g->whypath == NULL && !show)
		return;
	g->line.len = 0;
	reason_line(&g->line, &r);
	if (g->whypath != NULL) {
		ob_write(&g->why, g->line.buf, g->line.len);
		ob_drain(&g->why);
	}
	if (show) {
		pg_clear();
		fprintf(stderr, "%s: ", lb_progname);
		fwrite(g->line.buf, 1, g->line.len, stderr);
	}
}

static void
reject(struct ingest *g, const char *p, size_t n, int nl)
{
	if (g->rejpath == NULL)
		return;
	ob_write(&g->rej, p, n);
	if (nl)
		ob_putc(&g->rej, '\n');
	ob_drain(&g->rej);
}

static void
emit(struct ingest *g, struct file *fs, const struct logformat *f,
    const char *p, size_t n, uint64_t lineno, int cr)
{
	char id[EVENT_ID_LEN];
	struct evmeta m;

	event_id(id, fs->rec.sec, xxh64(p, n + (size_t)cr, fs->seed + lineno));
	m.id = id;
	m.src = g->src;
	m.srclen = g->srclen;
	m.fmt = f->name;
	m.cr = cr;
	event_write(&g->out, &fs->rec, f, &m, p, n + (size_t)cr);
	ob_drain(&g->out);
	fs->events++;
}

/* One complete line (no newline); nl: it had one, for the rejects file. */
static void
line(struct ingest *g, struct file *fs, const char *p, size_t n,
    uint64_t lineno, int nl)
{
	struct lf_fail e, first;
	size_t i, k = n;
	int cr = n > 0 && p[n - 1] == '\r';

	fs->lines++;
	k -= (size_t)cr;
	for (i = 0; k > 0 && i < fs->norder; i++) {
		if (lf_match(fs->order[i], p, k, &fs->rec, &e) == 0) {
			emit(g, fs, fs->order[i], p, k, lineno, cr);
			return;
		}
		if (i == 0)
			first = e;
	}
	fs->rejects++;
	g->rejects++;
	reason(g, fs, lineno, k == 0 ? "empty line" : "fits no known format",
	    k > 0 ? &first : NULL, fs->known ? fs->order[0]->name : NULL);
	reject(g, p, n, nl);
}

/* A line over the reader's limit arrives in pieces: reject it whole. */
static void
long_piece(
    struct ingest *g, struct file *fs, const struct line *l, uint64_t lineno)
{
	char msg[64];

	if (!l->cont) {
		fs->lines++;
		fs->rejects++;
		g->rejects++;
		snprintf(
		    msg, sizeof(msg), "line longer than %u bytes", LB_LINE_MAX);
		reason(g, fs, lineno, msg, NULL, NULL);
	}
	reject(g, l->p, l->n, l->nl);
}

struct sample {
	char *buf;
	size_t off[SAMPLE_LINES], len[SAMPLE_LINES];
	int nl[SAMPLE_LINES];
	int n;
};

/* Which sample lines f fits, one bit each. */
static unsigned
fits(const struct logformat *f, const struct sample *s, struct rec *r)
{
	struct lf_fail e;
	unsigned m = 0;
	size_t k;
	int j;

	for (j = 0; j < s->n; j++) {
		k = s->len[j];
		if (k > 0 && s->buf[s->off[j] + k - 1] == '\r')
			k--;
		if (lf_match(f, s->buf + s->off[j], k, r, &e) == 0)
			m |= 1u << j;
	}
	return m;
}

static int
popcount(unsigned m)
{
	int n = 0;

	for (; m != 0; m &= m - 1)
		n++;
	return n;
}

/*
 * Other candidates catch mixed files, but neither the catch-all nor a
 * shorter relative of the detected format unless the sample shows such
 * lines: either would take a line of the detected format cut short for a
 * whole one.
 */
static int
fallback(const struct logformat *best, unsigned bestm,
    const struct logformat *f, unsigned fm)
{
	struct lf_kind kb, kf;

	(void)lf_kind(best->name, &kb);
	if (lf_kind(f->name, &kf) == 0 && kf.catchall)
		return 0;
	return bestm == 0 || kb.rank == 0 || kf.rank == 0 ||
	    kf.rank >= kb.rank || (fm & ~bestm) != 0;
}

/*
 * A variant that yields fits its head's lines too, misreading them: a
 * vhost line with a port fits vhost_combined_noport, the port in the
 * host.  When the sample has lines of the head, the head goes first, so
 * that those lines split.
 */
static size_t
prefer_head(struct ingest *g, const unsigned *m, size_t best)
{
	struct lf_kind k;
	size_t i;

	if (lf_kind(g->cand[best]->name, &k) < 0 || !k.yields)
		return best;
	for (i = 0; i < g->ncand; i++)
		if (strcmp(g->cand[i]->name, k.family) == 0 && m[i])
			return i;
	return best;
}

/*
 * The format -f should have named, when the one given fits no line of
 * the sample: the head of the named format that fits most, as
 * detection would have chosen it.  NULL: none fits.
 */
static const char *
guess(struct file *fs, const struct sample *s)
{
	const char *const *n, *best = NULL;
	struct lf_kind k;
	int most = 0, c;

	for (n = lf_names(); *n != NULL; n++) {
		c = popcount(fits(lf_named(*n), s, &fs->rec));
		if (c > most && lf_kind(*n, &k) == 0) {
			most = c;
			best = k.family;
		}
	}
	return best;
}

/* The candidate that fits most sample lines goes first; ties by order. */
static void
detect(struct ingest *g, struct file *fs, const struct sample *s)
{
	unsigned m[MAXCAND] = { 0 };
	size_t i, best = 0;

	for (i = 0; i < g->ncand; i++) {
		m[i] = fits(g->cand[i], s, &fs->rec);
		if (popcount(m[i]) > popcount(m[best]))
			best = i;
	}
	best = prefer_head(g, m, best);
	fs->norder = 0;
	fs->order[fs->norder++] = g->cand[best];
	fs->known = m[best] != 0 || !g->autodetect;
	if (m[best] == 0 && !g->autodetect && s->n > 0)
		fs->guess = guess(fs, s);
	for (i = 0; i < g->ncand; i++)
		if (i != best &&
		    fallback(g->cand[best], m[best], g->cand[i], m[i]))
			fs->order[fs->norder++] = g->cand[i];
	if (g->verbose) {
		pg_clear();
		fprintf(
		    stderr, "%s: %s: format ", lb_progname, lb_escs(fs->name));
		if (fs->known)
			lb_fputesc(stderr, fs->order[0]->name,
			    strlen(fs->order[0]->name), LB_FORMAT_MAX);
		else
			fputs("unknown", stderr);
		fputc('\n', stderr);
	}
}

/*
 * Read up to SAMPLE_LINES short lines into s.  Returns 1 when the reader
 * holds a line not taken into the sample (in *l), 0 at end, -1 on error.
 */
static int
take_sample(struct lreader *lr, struct sample *s, struct line *l)
{
	size_t used = 0;
	int rc;

	s->buf = xmalloc(SAMPLE_LINES * SAMPLE_MAX);
	s->n = 0;
	while (s->n < SAMPLE_LINES) {
		if ((rc = lr_next(lr, l)) <= 0)
			return rc;
		if (l->more || l->n > SAMPLE_MAX)
			return 1;
		memcpy(s->buf + used, l->p, l->n);
		s->off[s->n] = used;
		s->len[s->n] = l->n;
		s->nl[s->n++] = l->nl;
		used += l->n;
	}
	return 0;
}

static void
summary(struct ingest *g, struct file *fs)
{
	if (g->quiet || (!g->verbose && fs->rejects == 0))
		return;
	pg_clear();
	fprintf(stderr, "%s: %s: %llu line%s, %llu event%s, %llu rejected\n",
	    lb_progname, lb_escs(fs->name), (unsigned long long)fs->lines,
	    lb_s(fs->lines), (unsigned long long)fs->events, lb_s(fs->events),
	    (unsigned long long)fs->rejects);
	if (fs->events == 0 && fs->guess != NULL)
		fprintf(stderr,
		    "%s: %s: no line is of the format given; detection "
		    "finds %s: try -f %s, or no -f\n",
		    lb_progname, lb_escs(fs->name), fs->guess, fs->guess);
}

static void
one(struct ingest *g, struct file *fs, const struct line *l, uint64_t lineno)
{
	if (l->more || l->cont)
		long_piece(g, fs, l, lineno);
	else
		line(g, fs, l->p, l->n, lineno, l->nl);
}

static int
stream(struct ingest *g, struct file *fs, struct lreader *lr)
{
	struct sample s;
	struct line l;
	int rc, i;

	pg_start(fs->name, pg_fdsize(lr->fd), NULL, "lines");
	rc = take_sample(lr, &s, &l);
	if (s.n > 0)
		fs->seed = xxh64(s.buf, s.len[0], g->srcseed);
	else if (rc == 1)
		fs->seed = xxh64(l.p, l.n, g->srcseed);
	detect(g, fs, &s);
	for (i = 0; i < s.n; i++)
		line(g, fs, s.buf + s.off[i], s.len[i], (uint64_t)i + 1,
		    s.nl[i]);
	free(s.buf);
	if (rc == 1)
		one(g, fs, &l, lr->lineno + (l.more ? 1 : 0));
	while (rc >= 0 && !g->out.err && (rc = lr_next(lr, &l)) > 0) {
		one(g, fs, &l, lr->lineno + (l.more ? 1 : 0));
		if ((fs->lines & 0x3ff) == 0)
			pg_set(lr->bytes, fs->lines);
	}
	pg_set(lr->bytes, fs->lines);
	pg_done();
	return rc;
}

/* Ingest one file ("-": stdin).  I/O errors are reported here. */
int
ingest_file(struct ingest *g, const char *path)
{
	struct lreader lr;
	struct file fs;
	int rc;

	memset(&fs, 0, sizeof(fs));
	fs.name = path;
	if (lr_open(&lr, path) < 0) {
		lb_warn("%s", lb_escs(path));
		g->failed = 1;
		return -1;
	}
	lr.maxline = LB_LINE_MAX; /* the events of longer lines may not fit */
	rc = stream(g, &fs, &lr);
	if (rc < 0) {
		lr_warn(&lr);
		g->failed = 1;
	}
	summary(g, &fs);
	lr_close(&lr);
	return rc < 0 ? -1 : 0;
}
