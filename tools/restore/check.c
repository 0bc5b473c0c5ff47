/*
 * --check: after loading, the events of each date in the database
 * against the manifests.  Archives of a date are versions of one day,
 * each later one holding the earlier ones' events and the late ones, so
 * the database must hold exactly as many as the largest manifest says.
 * Events loaded from NDJSON count with the archives' of their date.
 */
#include <stdlib.h>
#include <string.h>

#include "archfmt.h"
#include "diag.h"
#include "restore.h"

struct one {
	struct restore *r;
	const char *date;
};

/* A date with archives of one source says only the date. */
static void
say(const struct one *o, const struct db_count *c, const char *what)
{
	if (c->nsrcs > 1)
		lb_warnx("check: %s: source %s: %llu event%s%s", o->date,
		    c->null ? "-" : lb_esc(c->src, c->srclen),
		    (unsigned long long)c->have, lb_s(c->have), what);
	else
		lb_warnx("check: %s: %llu event%s%s", o->date,
		    (unsigned long long)c->have, lb_s(c->have), what);
}

/* A line about the date's source: "check: DATE: [source S: ]what". */
static void
say_what(const struct one *o, const struct db_count *c, const char *what)
{
	if (c->nsrcs > 1)
		lb_warnx("check: %s: source %s: %s", o->date,
		    c->null ? "-" : lb_esc(c->src, c->srclen), what);
	else
		lb_warnx("check: %s: %s", o->date, what);
}

/* Events named at most, per source and date. */
#define NAMED 5

struct told {
	const struct one *o;
	const struct db_count *c;
};

static void
tell(void *arg, const char *msg)
{
	const struct told *t = arg;

	say_what(t->o, t->c, msg);
}

/* The events that differ, from the date's largest archive of c's. */
static void
name_events(const struct one *o, const struct db_count *c)
{
	struct told t = { o, c };
	char more[64];
	uint64_t found;
	int rc;

	rc = db_diff(o->r->db, o->date, c, NAMED, tell, &t, &found);
	if (rc < 0)
		lb_warnx("check: %s: %s", o->date, db_errmsg(o->r->db));
	else if (rc > 0)
		say_what(o, c, "its archive is not at hand to name the events");
	else if (found > NAMED) {
		snprintf(more, sizeof(more), "and %llu more",
		    (unsigned long long)(found - NAMED));
		say_what(o, c, more);
	}
}

static int
check_count(void *arg, const struct db_count *c)
{
	const struct one *o = arg;
	char what[256];

	if (c->src == NULL && !c->null) {
		if (c->have > 0) {
			lb_warnx("check: %s: %llu event%s of sources that no "
			         "archive of the date has",
			    o->date, (unsigned long long)c->have,
			    lb_s(c->have));
			o->r->failed = 1;
		}
		return 0;
	}
	if (c->want >= 0 && c->have != (uint64_t)c->want) {
		snprintf(what, sizeof(what),
		    " in the database, %lld in the manifest",
		    (long long)c->want);
		say(o, c, what);
		name_events(o, c);
		o->r->failed = 1;
	} else if (c->want_digest[0] != '\0' &&
	    strcmp(c->digest, c->want_digest) != 0) {
		snprintf(what, sizeof(what),
		    ", but not the archive's: digest %.16s, the archive's "
		    "%.16s",
		    c->digest, c->want_digest);
		say(o, c, what);
		name_events(o, c);
		o->r->failed = 1;
	} else if (o->r->verbose)
		say(o, c,
		    c->want < 0 ? ", the archives' count of them unknown"
		                : ", as the manifest says");
	return 0;
}

static int
check_one(void *arg, const char *date)
{
	struct restore *r = arg;
	struct one o = { r, date };

	if (db_date_check(r->db, date, check_count, &o) < 0) {
		lb_warnx("%s: %s", lb_escs(r->dbpath), db_errmsg(r->db));
		r->failed = 1;
		r->told = 1;
		return -1;
	}
	return 0;
}

/* The dates from lo to hi; a failure to read them is told too. */
static void
dates(struct restore *r, const char *lo, const char *hi)
{
	r->told = 0;
	if (db_dates(r->db, lo, hi, check_one, r) < 0) {
		if (!r->told)
			lb_warnx(
			    "%s: %s", lb_escs(r->dbpath), db_errmsg(r->db));
		r->failed = 1;
	}
}

static int
cmp_date(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * The dates of archives restored between the first and last day of the
 * events loaded from NDJSON: a date no archive gave has no manifest.
 */
static void
check_seen(struct restore *r)
{
	char lo[DB_DATE_LEN + 1], hi[DB_DATE_LEN + 1];

	if (!r->seen)
		return;
	if (arch_date(lo, r->seenlo) < 0 || arch_date(hi, r->seenhi) < 0)
		r->failed = 1;
	else
		dates(r, lo, hi);
}

/* The dates restored in this run; with no archives, every date. */
void
check_dates(struct restore *r)
{
	size_t i;

	if (r->ndjson) {
		check_seen(r);
		return;
	}
	if (r->nitems == 0) {
		dates(r, r->from, r->to);
		return;
	}
	qsort(r->dates, r->ndates, sizeof(*r->dates), cmp_date);
	for (i = 0; i < r->ndates; i++)
		if ((i == 0 || strcmp(r->dates[i], r->dates[i - 1]) != 0) &&
		    check_one(r, r->dates[i]) < 0)
			return;
}
