/*
 * Writing one date's archive.  events.ndjson and hourly.ndjson go first,
 * through libarchive and the parallel gzip writer, into a scratch file,
 * while the same pass parses each event once for the hourly rows, the
 * digests and the manifest's figures.  Then the MANIFEST, now known, is
 * compressed as the first gzip member of a temporary file, the scratch
 * file's members are copied after it, and the temporary file replaces
 * the archive.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agg.h"
#include "atomic.h"
#include "date.h"
#include "diag.h"
#include "dbdigest.h"
#include "evfast.h"
#include "gzwrite.h"
#include "manifest.h"
#include "nsec.h"
#include "progress.h"
#include "sha256.h"
#include "shabg.h"
#include "tarout.h"
#include "wio.h"
#include "xxhash.h"

#ifndef VERSION
#define VERSION "0"
#endif

#define BATCH (256 * 1024)

struct wr {
	struct date *d;
	struct manifest m;
	struct srcset *src;
	struct srcsums sums; /* for the manifest's digests */
	struct agg *agg;
	struct tarout tar;
	struct gzw *gz;
	int mfd; /* the month folder */
	int scratch, hourly; /* unlinked files */
	uint64_t scratchlen; /* bytes in scratch */
	int64_t mtime;
	char *batch;
	size_t nbatch;
	struct shabg *sha;
	const char *why; /* a message of ours, else errno's */
	char msg[256];
};

static int
flush_batch(struct wr *w)
{
	int rc;

	shabg_update(w->sha, w->batch, w->nbatch);
	rc = tar_data(&w->tar, w->batch, w->nbatch);
	w->nbatch = 0;
	return rc;
}

/*
 * Whether a line is an event of the date, as its index says, that
 * logbook-restore --emit original can give back; why not.
 */
static const char *
parse(struct wr *w, const struct ient *e, const char *line)
{
	struct event *ev = &w->d->r->ev;
	const char *why;
	struct idkey k;
	int64_t ns;

	if (evfast_read(ev, line, e->len, &why) < 0)
		return why;
	if (arch_idkey(ev->id.p, ev->id.n, &k) < 0 ||
	    arch_idcmp(&k, &e->k) != 0 || arch_day(ev->r.sec) != w->d->day)
		return "id or ts given twice";
	if (ev->r.rt.p != NULL && nsec_parse(ev->r.rt.p, ev->r.rt.n, &ns) < 0)
		return "rt out of range";
	/* What logbook-verify would refuse must not reach an archive. */
	if (event_givable(ev, &why) < 0)
		return why;
	return NULL;
}

/*
 * One event: its line to the member, its figures to rows and manifest.
 * 1 when it is malformed after all (w->why says why).
 */
static int
one_event(struct wr *w, const struct ient *e)
{
	struct event *ev = &w->d->r->ev;
	struct dbrow row;
	const char *line;

	if ((line = line_at(w->d, e)) == NULL)
		return -1;
	if (!(e->file & SPILLED) && xxh64(line, e->len, 0) != e->lh) {
		snprintf(w->msg, sizeof(w->msg), "%s changed while archived",
		    lb_escs(w->d->r->in[e->file].name));
		w->why = w->msg;
		return -1;
	}
	if ((w->why = parse(w, e, line)) != NULL ||
	    agg_add(w->agg, ev, &w->why) < 0)
		return OLD(e) ? -1 : 1;
	w->why = NULL;
	(void)tsrange_add(&w->m.range, ev->ts.p, ev->ts.n, ev->r.sec);
	srcset_add(w->src, ev->src.p, ev->src.n);
	dbrow_event(&row, ev, line, e->len);
	(void)srcsums_row(&w->sums, &row, 1);
	if (w->nbatch + e->len + 1 > BATCH && flush_batch(w) < 0)
		return -1;
	if (e->len + 1 > BATCH) {
		shabg_update(w->sha, line, e->len);
		if (tar_data(&w->tar, line, e->len) < 0)
			return -1;
	} else {
		memcpy(w->batch + w->nbatch, line, e->len);
		w->nbatch += e->len;
	}
	w->batch[w->nbatch++] = '\n';
	return 0;
}

/*
 * Event i was malformed: report it and every other malformed one after
 * it, for the build to start again without them.  1, or -1.
 */
static int
bad_events(struct wr *w, size_t i)
{
	struct date *d = w->d;
	const char *line, *why;

	why = w->why;
	w->why = NULL; /* a failure now is the system's, in errno */
	if (bad_record(d, d->ix[i].no, why) < 0)
		return -1;
	for (i++; i < d->n; i++) {
		if ((line = line_at(d, &d->ix[i])) == NULL)
			return -1;
		if (!OLD(&d->ix[i]) &&
		    (why = parse(w, &d->ix[i], line)) != NULL &&
		    bad_record(d, d->ix[i].no, why) < 0)
			return -1;
	}
	return 1;
}

static int
events_member(struct wr *w)
{
	struct date *d = w->d;
	uint64_t size = 0;
	size_t i;
	int rc;

	for (i = 0; i < d->n; i++)
		size += (uint64_t)d->ix[i].len + 1;
	if (tar_member(&w->tar, ARCH_EVENTS, size, w->mtime) < 0)
		return -1;
	shabg_init(w->sha);
	for (i = 0; i < d->n; i++) {
		if ((rc = one_event(w, &d->ix[i])) != 0)
			return rc < 0 ? -1 : bad_events(w, i);
		if (((i + 1) & 0xfff) == 0)
			pg_add(0, 0x1000);
	}
	pg_add(0, d->n & 0xfff);
	if (flush_batch(w) < 0 || tar_end_member(&w->tar) < 0)
		return -1;
	shabg_final(w->sha, w->m.sha_events);
	w->m.events = d->n;
	return 0;
}

/*
 * Up to n bytes, at most BATCH, of a scratch file that holds at least n
 * more: a count > 0, or -1 with errno.  The end of the file is an error
 * too, since a member short of its size would be padded with zeros.
 */
static ssize_t
some(int fd, char *buf, uint64_t n)
{
	ssize_t r;

	while ((r = read(fd, buf, n < BATCH ? (size_t)n : BATCH)) < 0 &&
	    errno == EINTR)
		;
	if (r == 0)
		errno = EIO;
	return r > 0 ? r : -1;
}

/* The rows, as logbook-aggregate writes them, through a scratch file. */
static int
hourly_member(struct wr *w)
{
	struct obuf ob;
	uint64_t left;
	off_t size;
	ssize_t r;
	int rc;

	ob_init(&ob, w->hourly);
	(void)agg_write(w->agg, &ob, AGG_NDJSON); /* errors latch in ob */
	rc = ob_flush(&ob);
	ob_free(&ob);
	if (rc < 0 || (size = lseek(w->hourly, 0, SEEK_CUR)) < 0 ||
	    lseek(w->hourly, 0, SEEK_SET) < 0)
		return -1;
	w->m.hourly_rows = agg_nrows(w->agg);
	if (tar_member(&w->tar, ARCH_HOURLY, (uint64_t)size, w->mtime) < 0)
		return -1;
	shabg_init(w->sha);
	for (left = (uint64_t)size; left > 0; left -= (uint64_t)r) {
		if ((r = some(w->hourly, w->batch, left)) < 0)
			return -1;
		shabg_update(w->sha, w->batch, (size_t)r);
		if (tar_data(&w->tar, w->batch, (size_t)r) < 0)
			return -1;
	}
	if (tar_end_member(&w->tar) < 0)
		return -1;
	shabg_final(w->sha, w->m.sha_hourly);
	return 0;
}

/*
 * The scratch file's members, n bytes, after the manifest's.  A failed
 * read or write fails the copy: a partial file must never replace the
 * archive.
 */
static int
copy(int from, int to, uint64_t n)
{
	char *buf = xmalloc(BATCH);
	ssize_t r;
	int rc = lseek(from, 0, SEEK_SET) == 0 ? 0 : -1;

	for (; rc == 0 && n > 0; n -= (uint64_t)r)
		if ((r = some(from, buf, n)) < 0 ||
		    wr_all(to, buf, (size_t)r) < 0)
			rc = -1;
	free(buf);
	return rc;
}

/* The MANIFEST as the tar's first member, alone in its gzip member. */
static char *
manifest_member(struct wr *w, size_t *n)
{
	struct tarout t;
	size_t len;
	char *text = manifest_text(&w->m, &len);

	tar_open(&t, NULL);
	if (tar_member(&t, ARCH_MANIFEST, len, w->mtime) < 0 ||
	    tar_data(&t, text, len) < 0 || tar_end_member(&t) < 0)
		lb_errx(EX_FAIL, "libarchive: cannot write to memory");
	*n = t.len; /* the end of the archive is not for this part */
	(void)tar_close(&t, 1);
	free(text);
	return t.mem;
}

/* The archive's name in its month folder. */
static const char *
base(const struct date *d)
{
	return d->path + strlen(d->path) - ARCH_BASELEN;
}

/* The manifest's member, then the others: the new archive, in place. */
static int
assemble(struct wr *w)
{
	struct atomic t;
	struct gzw *gz;
	size_t n;
	char *mem = manifest_member(w, &n);
	int rc, e;

	if (atomic_openat(&t, w->mfd, base(w->d), w->d->r->mode) < 0) {
		free(mem);
		return -1;
	}
	gz = gzw_new(t.fd, w->d->r->level, 0);
	rc = gzw_write(gz, mem, n) < 0 || gzw_close(gz, NULL) < 0 ||
	        copy(w->scratch, t.fd, w->scratchlen) < 0
	    ? -1
	    : 0;
	e = errno; /* for the message, whatever freeing does to it */
	gzw_free(gz);
	free(mem);
	if (rc < 0) {
		errno = e;
		atomic_abort(&t);
		return -1;
	}
	return atomic_commit(&t);
}

/* The members after the manifest; 1: malformed events, build again. */
static int
content(struct wr *w)
{
	struct aggopts o;
	int rc;

	agg_defaults(&o);
	w->agg = agg_new(&o);
	w->src = srcset_new();
	w->batch = xmalloc(BATCH);
	w->sha = shabg_new(1);
	w->gz = gzw_new(w->scratch, w->d->r->level, w->d->r->threads);
	tar_open(&w->tar, w->gz);
	if ((rc = events_member(w)) != 0)
		return rc;
	if (hourly_member(w) < 0 || tar_close(&w->tar, 0) < 0 ||
	    gzw_close(w->gz, &w->scratchlen) < 0)
		return -1;
	w->m.sources = srcset_text(w->src, &w->m.sourceslen);
	w->m.digests = srcsums_text(
	    &w->sums, w->m.sources, w->m.sourceslen, &w->m.digestslen);
	return 0;
}

/*
 * Write d's archive anew from its index: 0, or -1 (reported) on failure,
 * or 1 when malformed lines were found (reported, and listed in d).
 */
int
write_archive(struct date *d)
{
	struct wr w;
	int rc = -1;

	memset(&w, 0, sizeof(w));
	w.d = d;
	w.mtime = d->day * 86400;
	w.m.day = d->day;
	snprintf(
	    w.m.created_by, sizeof(w.m.created_by), "logbook-archive " VERSION);
	w.scratch = w.hourly = -1;
	if ((w.mfd = make_folders(d->r, d->path, ARCH_BASELEN)) < 0)
		return -1;
	if ((w.scratch = atomic_scratchat(w.mfd, base(d), 0600)) >= 0 &&
	    (w.hourly = atomic_scratchat(w.mfd, base(d), 0600)) >= 0 &&
	    (rc = content(&w)) == 0)
		rc = assemble(&w);
	if (rc < 0 && w.why != NULL)
		lb_warnx("%s: %s", lb_escs(d->path), w.why);
	else if (rc < 0)
		lb_warn("%s", lb_escs(d->path));
	if (w.tar.a != NULL)
		(void)tar_close(&w.tar, 1);
	gzw_free(w.gz);
	if (w.agg != NULL)
		agg_free(w.agg);
	srcset_free(w.src);
	srcsums_free(&w.sums);
	manifest_free(&w.m);
	free(w.batch);
	shabg_free(w.sha);
	if (w.scratch >= 0)
		close(w.scratch);
	if (w.hourly >= 0)
		close(w.hourly);
	close(w.mfd);
	return rc;
}
