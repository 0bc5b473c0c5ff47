/*
 * The first reading of an archive: every check of lib/verify.h, nothing
 * handed over, so that nothing of an archive is written, to the database
 * or to standard output, before all of it has been found good.  A thread
 * of its own reads the next archive first while this one is loaded, so
 * that the first readings cost the time of one, not of all; their
 * verdicts are told in the archives' order.
 */
#include <pthread.h>
#include <string.h>

#include "archfmt.h"
#include "dbdigest.h"
#include "diag.h"
#include "restore.h"
#include "verify.h"

#define AHEAD 2 /* the verdicts held: this archive's and the next's */

struct verdict {
	int rc; /* 0: good; 1: outside --from/--to; -1: refused */
	const char *check;
	char detail[sizeof(((struct verify_result *)0)->detail)];
	struct srcsums sums; /* its events' digests, for the database */
	char sha256[SHA256_HEXLEN + 1]; /* of the events they are of */
};

struct ahead {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct restore *r;
	size_t done; /* first readings finished */
	size_t at; /* the archive being loaded */
	int quit;
	struct verdict v[AHEAD];
};

static struct ahead ah;
static int started;

struct fctx {
	const struct restore *r;
	int skip;
};

/* An archive not named by date shows its date in the manifest. */
static int
on_manifest(void *arg, const struct manifest *m)
{
	struct fctx *c = arg;
	char date[DB_DATE_LEN + 1];

	if (arch_date(date, m->day) < 0 || !in_range(c->r, date)) {
		c->skip = 1;
		return -1;
	}
	return 0;
}

/* The verdict on one archive; no word of it yet. */
static void
judge(const struct restore *r, const struct item *it, struct verdict *out)
{
	struct fctx c = { .r = r };
	struct verify_opts o = {
		.threads = r->threads, .manifest = on_manifest, .arg = &c
	};
	struct verify_result v;
	int rc;

	memset(out, 0, sizeof(*out));
	if (it->date[0] != '\0' && !in_range(r, it->date)) {
		out->rc = 1;
		return;
	}
	rc = verify_archive(it->path, &o, &v);
	out->rc = rc == 0 ? 0 : c.skip ? 1 : -1;
	out->check = v.check;
	/* The digests it made, hashed on this thread while the one writing
	 * the database loads the archive before. */
	if (rc == 0 && v.have_manifest && r->emit == NULL) {
		sha256_hex(out->sha256, v.manifest.sha_events);
		out->sums = v.sums;
		memset(&v.sums, 0, sizeof(v.sums));
	}
	memcpy(out->detail, v.detail, sizeof(out->detail));
	verify_free(&v);
}

static void *
reader(void *arg)
{
	struct ahead *a = arg;
	struct verdict v;
	size_t i;

	for (i = 0; i < a->r->nitems; i++) {
		pthread_mutex_lock(&a->mu);
		while (!a->quit && i >= a->at + AHEAD)
			pthread_cond_wait(&a->cv, &a->mu);
		pthread_mutex_unlock(&a->mu);
		if (a->quit)
			break;
		judge(a->r, &a->r->items[i], &v);
		pthread_mutex_lock(&a->mu);
		a->v[i % AHEAD] = v;
		a->done = i + 1;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
	}
	return NULL;
}

/* Readings ahead, for more than one archive; none when no thread. */
void
first_start(struct restore *r)
{
	if (r->nitems < 2)
		return;
	memset(&ah, 0, sizeof(ah));
	ah.r = r;
	if (pthread_mutex_init(&ah.mu, NULL) != 0)
		return;
	if (pthread_cond_init(&ah.cv, NULL) != 0) {
		pthread_mutex_destroy(&ah.mu);
		return;
	}
	if (pthread_create(&ah.th, NULL, reader, &ah) != 0) {
		pthread_cond_destroy(&ah.cv);
		pthread_mutex_destroy(&ah.mu);
		return;
	}
	started = 1;
}

void
first_stop(void)
{
	size_t i;

	if (!started)
		return;
	pthread_mutex_lock(&ah.mu);
	ah.quit = 1;
	pthread_cond_broadcast(&ah.cv);
	pthread_mutex_unlock(&ah.mu);
	pthread_join(ah.th, NULL);
	for (i = 0; i < AHEAD; i++)
		srcsums_free(&ah.v[i].sums);
	pthread_cond_destroy(&ah.cv);
	pthread_mutex_destroy(&ah.mu);
	started = 0;
}

/*
 * Archive i of the list: 0: good; 1: outside --from/--to; -1: refused,
 * and said so.  Asked in order, from 0.  The digests of a good one's
 * events go to r->sums, for the events table of the SHA-256 in r->sha.
 */
int
first_reading(struct restore *r, size_t i)
{
	struct verdict v;

	if (!started)
		judge(r, &r->items[i], &v);
	else {
		pthread_mutex_lock(&ah.mu);
		ah.at = i;
		pthread_cond_broadcast(&ah.cv);
		while (ah.done <= i)
			pthread_cond_wait(&ah.cv, &ah.mu);
		v = ah.v[i % AHEAD];
		memset(&ah.v[i % AHEAD].sums, 0, sizeof(v.sums));
		pthread_mutex_unlock(&ah.mu);
	}
	srcsums_free(&r->sums);
	r->sums = v.sums;
	memcpy(r->sumsha, v.sha256, sizeof(r->sumsha));
	if (v.rc < 0) {
		warn_refused(r->items[i].path, v.check, v.detail);
		r->failed = 1;
	}
	return v.rc;
}
