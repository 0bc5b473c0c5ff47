/*
 * --ndjson: files of events, as logbook-ingest writes them and archives
 * hold them, into the database through the loader the archives go
 * through (lib/db.h), so that an event is one row by its id whichever
 * way it came.  Each file is one transaction, committed at its end; a
 * line that is not an event an archive could hold is reported and left
 * out, and the others go in.
 */
#include <stdio.h>
#include <string.h>

#include "archfmt.h"
#include "diag.h"
#include "evfast.h"
#include "lineread.h"
#include "nsec.h"
#include "progress.h"
#include "restore.h"

#define SHOW_BAD 10

struct nctx {
	struct restore *r;
	struct lreader lr;
	struct event ev;
	int64_t from, to; /* --from and --to, as days */
	uint64_t lines, bad, outside;
	uint64_t given; /* events given to the database */
	int64_t lo, hi; /* their days, first and last */
	int dberr; /* the database failed: db_errmsg says why */
};

/* Why a line is no event an archive could hold, or NULL. */
static const char *
refusal(struct event *ev, const char *p, size_t n)
{
	const char *why;
	struct idkey k;
	int64_t ns;

	if (evfast_read(ev, p, n, &why) < 0)
		return why;
	if (arch_idkey(ev->id.p, ev->id.n, &k) < 0)
		return "id not of the form YYYYMMDDTHHMMSS-hhhhhhhhhhhhhhhh";
	if (!arch_day_ok(arch_day(ev->r.sec)))
		return "ts out of range";
	if (ev->r.rt.p != NULL && nsec_parse(ev->r.rt.p, ev->r.rt.n, &ns) < 0)
		return "rt out of range";
	if (event_givable(ev, &why) < 0)
		return why;
	return NULL;
}

/* "logbook-restore: FILE:LINE: WHY", for the first few of a file. */
static void
bad_line(struct nctx *c, uint64_t lineno, const char *why)
{
	c->bad++;
	c->r->bad++;
	pg_clear();
	if (c->bad <= SHOW_BAD)
		fprintf(stderr, "%s: %s:%llu: %s\n", lb_progname,
		    lb_escs(c->lr.name), (unsigned long long)lineno, why);
	else if (c->bad == SHOW_BAD + 1)
		fprintf(stderr, "%s: %s: more bad lines not shown\n",
		    lb_progname, lb_escs(c->lr.name));
}

/* The range of days loaded, for --check, once the file is committed. */
static void
seen(struct restore *r, int64_t lo, int64_t hi)
{
	if (!r->seen || lo < r->seenlo)
		r->seenlo = lo;
	if (!r->seen || hi > r->seenhi)
		r->seenhi = hi;
	r->seen = 1;
}

/* One line: -1 when the database failed. */
static int
one(struct nctx *c, const struct line *l)
{
	uint64_t lineno = c->lr.lineno + (l->more ? 1 : 0);
	const char *why;
	char msg[64];
	int64_t day;

	if (l->cont)
		return 0;
	c->lines++;
	if (l->more) {
		snprintf(
		    msg, sizeof(msg), "line longer than %u bytes", LR_MAXLINE);
		bad_line(c, lineno, msg);
		return 0;
	}
	if (lr_blank(l))
		return 0;
	if ((why = refusal(&c->ev, l->p, l->n)) != NULL) {
		bad_line(c, lineno, why);
		return 0;
	}
	day = arch_day(c->ev.r.sec);
	if (day < c->from || day > c->to) {
		c->outside++;
		return 0;
	}
	if (db_event(c->r->db, &c->ev, l->p, l->n) < 0) {
		c->dberr = 1;
		return -1;
	}
	if (c->given == 0 || day < c->lo)
		c->lo = day;
	if (c->given == 0 || day > c->hi)
		c->hi = day;
	c->given++;
	if ((++c->r->events & 8191) == 0)
		pg_set(c->lr.bytes, c->r->events);
	return 0;
}

/* Silent when all went in; a word when it changed nothing, or less. */
static void
report(struct restore *r, const struct nctx *c, const struct db_result *d)
{
	const char *p = lb_escs(c->lr.name);

	r->added += d->added;
	if (c->bad > 1)
		lb_warnx("%s: %llu of %llu lines bad", p,
		    (unsigned long long)c->bad, (unsigned long long)c->lines);
	if (d->events > 0 && d->added == 0 && !r->quiet)
		lb_warnx("%s: already restored, nothing added", p);
	else if (r->verbose && c->outside > 0)
		lb_warnx("%s: %llu events, %llu new, %llu outside --from/--to",
		    p, (unsigned long long)d->events,
		    (unsigned long long)d->added,
		    (unsigned long long)c->outside);
	else if (r->verbose)
		lb_warnx("%s: %llu events, %llu new", p,
		    (unsigned long long)d->events,
		    (unsigned long long)d->added);
}

/* Read to the end: 0, or -1 when the file or the database failed. */
static int
read_all(struct nctx *c)
{
	struct line l;
	int rc;

	pg_start(c->lr.name, pg_fdsize(c->lr.fd), NULL, "events");
	while ((rc = lr_next(&c->lr, &l)) > 0)
		if (one(c, &l) < 0)
			break;
	pg_set(c->lr.bytes, c->r->events);
	pg_done();
	if (rc < 0)
		lr_warn(&c->lr);
	return rc == 0 ? 0 : -1;
}

/*
 * Committed once the file is read to its end; else nothing of it stays,
 * and a failure of the database stops the run.
 */
static void
load(struct nctx *c)
{
	struct restore *r = c->r;
	struct db_result d;

	if (db_begin(r->db, NULL) < 0)
		c->dberr = 1;
	else if (read_all(c) == 0) {
		if (db_commit(r->db, &d) == 0) {
			if (c->given > 0)
				seen(r, c->lo, c->hi);
			report(r, c, &d);
			return;
		}
		c->dberr = 1;
	}
	if (c->dberr) {
		warn_file(r->dbpath, db_errmsg(r->db), "");
		r->stop = 1;
	}
	lb_warnx("%s: not restored", lb_escs(c->lr.name));
	db_rollback(r->db);
	r->failed = 1;
}

/* One file of events ("-": standard input) in one transaction. */
void
load_ndjson(struct restore *r, const char *path)
{
	struct nctx c = { .r = r };

	if (lr_open(&c.lr, path) < 0) {
		lb_warn("%s", lb_escs(path));
		r->failed = 1;
		return;
	}
	(void)arch_parse_date(r->from, DB_DATE_LEN, &c.from);
	(void)arch_parse_date(r->to, DB_DATE_LEN, &c.to);
	event_init(&c.ev);
	load(&c);
	event_free(&c.ev);
	lr_close(&c.lr);
}
