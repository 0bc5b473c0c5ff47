/*
 * One archive into the database.  Once it has passed every check of
 * lib/verify.h (first.c), it is read again: its lines go into one
 * transaction as they are checked once more, committed only when every
 * check has passed again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archfmt.h"
#include "diag.h"
#include "progress.h"
#include "restore.h"
#include "verify.h"

struct ctx {
	struct restore *r;
	const struct item *it;
	char date[DB_DATE_LEN + 1];
	int begun; /* the transaction is open */
	int dberr; /* the database failed: db_errmsg says why */
	int skip; /* its date is outside --from/--to */
};

/* The path from /, or NULL when the working directory is unknown. */
static char *
absolute(const char *path)
{
	char *cwd = NULL, *p;
	size_t a, b, cap = 256;

	if (path[0] == '/')
		return xstrdup(path);
	for (;;) {
		cwd = xrealloc(cwd, cap);
		if (getcwd(cwd, cap) != NULL)
			break;
		if (errno != ERANGE || cap > 65536) {
			free(cwd);
			return NULL;
		}
		cap *= 2;
	}
	a = strlen(cwd);
	b = strlen(path);
	p = xmalloc(a + b + 2);
	memcpy(p, cwd, a);
	p[a] = '/';
	memcpy(p + a + 1, path, b + 1);
	free(cwd);
	return p;
}

static int
on_manifest(void *arg, const struct manifest *m)
{
	struct ctx *c = arg;
	struct db_archive a;
	char *abs;
	int rc;

	memset(&a, 0, sizeof(a));
	if (arch_date(a.date, m->day) < 0)
		return -1;
	memcpy(c->date, a.date, sizeof(c->date));
	if (!in_range(c->r, a.date)) {
		c->skip = 1;
		return -1;
	}
	a.events = m->events;
	a.hourly_rows = m->hourly_rows;
	sha256_hex(a.sha256, m->sha_events);
	a.sources = m->sources != NULL ? m->sources : "-";
	a.sourceslen = m->sources != NULL ? m->sourceslen : 1;
	/* The database outlives the working directory of this run. */
	abs = absolute(c->it->path);
	a.path = abs != NULL ? abs : c->it->path;
	rc = db_begin(c->r->db, &a);
	free(abs);
	if (rc < 0) {
		c->dberr = 1;
		return -1;
	}
	/* The first reading's digests, if of these very events. */
	if (strcmp(c->r->sumsha, a.sha256) == 0)
		db_sums(c->r->db, &c->r->sums);
	c->begun = 1;
	return 0;
}

static int
on_event(void *arg, const char *line, size_t n, const struct event *ev)
{
	struct ctx *c = arg;

	if (db_event(c->r->db, ev, line, n) < 0) {
		c->dberr = 1;
		return -1;
	}
	if ((++c->r->events & 8191) == 0)
		pg_set(c->r->done, c->r->events);
	return 0;
}

static int
on_hourly(void *arg, const char *line, size_t n)
{
	struct ctx *c = arg;

	if (db_hourly(c->r->db, line, n) < 0) {
		c->dberr = 1;
		return -1;
	}
	return 0;
}

static void
remember(struct restore *r, const char *date)
{
	if (r->ndates == r->capdates) {
		r->capdates = r->capdates ? 2 * r->capdates : 64;
		r->dates =
		    xreallocarray(r->dates, r->capdates, sizeof(*r->dates));
	}
	memcpy(r->dates[r->ndates++], date, DB_DATE_LEN + 1);
}

/* Silent when all went in; a word when it changed nothing, or less. */
static void
report(struct restore *r, const struct ctx *c, const struct db_result *d)
{
	const char *p = lb_escs(c->it->path);

	r->added += d->added;
	if (d->known && d->added == 0 && d->hourly > 0 && !r->quiet)
		lb_warnx("%s: restored before; its %llu hourly row%s put back",
		    p, (unsigned long long)d->hourly, lb_s(d->hourly));
	else if (d->known && d->added == 0 && !r->quiet)
		lb_warnx("%s: already restored, nothing added", p);
	else if (d->known && !r->quiet)
		lb_warnx("%s: restored before; %llu missing event%s put back",
		    p, (unsigned long long)d->added, lb_s(d->added));
	else if (r->verbose)
		lb_warnx("%s: %s: %llu event%s, %llu new, %llu hourly row%s%s",
		    p, c->date, (unsigned long long)d->events, lb_s(d->events),
		    (unsigned long long)d->added, (unsigned long long)d->hourly,
		    lb_s(d->hourly),
		    d->hourly_kept ? " (a larger archive's kept)" : "");
}

/* Why it did not go in: the database's failure stops the run. */
static void
refuse(struct restore *r, const struct ctx *c, const struct verify_result *v)
{
	const char *p = c->it->path;

	if (c->dberr) {
		warn_file(r->dbpath, db_errmsg(r->db), "");
		lb_warnx("%s: not restored", lb_escs(p));
		r->stop = 1;
	} else
		warn_refused(p, v->check, v->detail);
	r->failed = 1;
}

void
load_archive(struct restore *r, size_t i)
{
	const struct item *it = &r->items[i];
	struct ctx c = { .r = r, .it = it };
	struct verify_opts o = { .threads = r->threads,
		.manifest = on_manifest,
		.event = on_event,
		.hourly = on_hourly,
		.arg = &c };
	struct verify_result v;
	struct db_result d;
	int rc;

	if (first_reading(r, i) != 0)
		goto done;
	/* Checked again as it goes in: the file may have changed since. */
	rc = verify_archive(it->path, &o, &v);
	if (rc == 0 && c.begun && db_commit(r->db, &d) == 0) {
		remember(r, c.date);
		report(r, &c, &d);
	} else if (rc == 0 && c.begun)
		c.dberr = 1;
	if (c.dberr || (rc != 0 && !c.skip))
		refuse(r, &c, &v);
	if (c.dberr || rc != 0)
		db_rollback(r->db);
	verify_free(&v);
done:
	r->done++;
	pg_set(r->done, r->events);
}
