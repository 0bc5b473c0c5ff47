/*
 * --db: the hourly rows and the events of a database of
 * logbook-restore(1), opened read-only.  Its hourly rows are final rows,
 * which go through rows_add as the lines of logbook-aggregate would; the
 * clients and durations of each day come from its events, as they come
 * from a daily archive's.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "agg.h"
#include "archfmt.h"
#include "db.h"
#include "diag.h"
#include "json.h"
#include "report.h"
#include "timeconv.h"

#define SHOW_BAD 10

static const char rows_sql[] =
    "SELECT hour, method, path, requests, bytes, s1xx, s2xx, s3xx, s4xx, "
    "s5xx FROM hourly WHERE hour >= ?1 AND hour < ?2";

/* Every ts starts YYYY-MM-DDT, in UTC (logbook-restore(1)). */
static const char events_sql[] =
    "SELECT ts, ip, rt, method, path, status, src, bytes FROM events "
    "WHERE ts >= ?1 AND ts < ?2";

static const char *const ncol[] = { "requests", "bytes", "s1xx", "s2xx", "s3xx",
	"s4xx", "s5xx" };

struct dbin {
	struct run *r;
	const char *path;
	sqlite3 *h;
	char lo[ARCH_DATELEN + 1], hi[ARCH_DATELEN + 1];
	uint64_t nrow, nbad;
	/* the day the events are gathered for */
	int64_t day;
	struct hll ips;
	struct qsketch rt;
};

static void
db_fail(struct dbin *d, const char *what)
{
	lb_warnx("%s: %s: %s", lb_escs(d->path), what,
	    d->h != NULL ? sqlite3_errmsg(d->h) : "out of memory");
	d->r->failed = 1;
}

static void
row_bad(struct dbin *d, const char *why)
{
	d->r->badlines++;
	if (d->nbad++ < SHOW_BAD)
		lb_warnx("%s: hourly row %llu: %s", lb_escs(d->path),
		    (unsigned long long)d->nrow, why);
}

/*
 * The span's dates as text, for the ts and hour ranges: [lo, hi).  Those
 * of another clock than UTC are a day wider; rows_add and the day of
 * each event cut them.
 */
static void
span_dates(struct dbin *d)
{
	int64_t w = d->r->tz != NULL ? 1 : 0;

	strcpy(d->lo, "0000-00-00");
	strcpy(d->hi, "9999-99-99");
	if (d->r->from != NOTIME &&
	    arch_date(d->lo, d->r->from / 86400 - w) < 0)
		strcpy(d->lo, "0000-00-00");
	if (d->r->to != NOTIME && arch_date(d->hi, d->r->to / 86400 + w) < 0)
		strcpy(d->hi, "9999-99-99");
}

static int
prepare(struct dbin *d, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(d->h, sql, -1, st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(*st, 1, d->lo, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(*st, 2, d->hi, -1, SQLITE_STATIC) != SQLITE_OK) {
		db_fail(d, "read");
		sqlite3_finalize(*st);
		*st = NULL;
		return -1;
	}
	return 0;
}

static void
put_text(struct obuf *ob, const char *name, sqlite3_stmt *st, int col)
{
	ob_putc(ob, ',');
	json_str(ob, name, strlen(name));
	ob_putc(ob, ':');
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		ob_lit(ob, "null");
	else
		json_str(ob, (const char *)sqlite3_column_text(st, col),
		    (size_t)sqlite3_column_bytes(st, col));
}

/* One hourly row as the line logbook-aggregate wrote; NULL: why not. */
static const char *
row_json(struct obuf *ob, sqlite3_stmt *st)
{
	size_t i;
	sqlite3_int64 v;

	if (sqlite3_column_type(st, 0) != SQLITE_TEXT)
		return "hour is not text";
	ob_lit(ob, "{\"hour\":");
	json_str(ob, (const char *)sqlite3_column_text(st, 0),
	    (size_t)sqlite3_column_bytes(st, 0));
	put_text(ob, "method", st, 1);
	put_text(ob, "path", st, 2);
	for (i = 0; i < sizeof(ncol) / sizeof(ncol[0]); i++) {
		if (sqlite3_column_type(st, (int)i + 3) == SQLITE_NULL)
			continue; /* no bytes: not 0 bytes */
		v = sqlite3_column_int64(st, (int)i + 3);
		if (sqlite3_column_type(st, (int)i + 3) != SQLITE_INTEGER ||
		    v < 0)
			return "a count is not a whole number";
		ob_putc(ob, ',');
		json_str(ob, ncol[i], strlen(ncol[i]));
		ob_putc(ob, ':');
		ob_i64(ob, v);
	}
	ob_putc(ob, '}');
	return NULL;
}

static void
read_rows(struct dbin *d)
{
	sqlite3_stmt *st;
	struct obuf ob;
	const char *why;
	int rc;

	if (prepare(d, rows_sql, &st) < 0)
		return;
	ob_init(&ob, -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		d->nrow++;
		ob.len = 0;
		if ((why = row_json(&ob, st)) != NULL ||
		    rows_add(d->r, ob.buf, ob.len, &why) < 0)
			row_bad(d, why);
	}
	if (rc != SQLITE_DONE)
		db_fail(d, "read the hourly rows");
	if (d->nbad > SHOW_BAD)
		lb_warnx("%s: %llu of %llu hourly rows bad", lb_escs(d->path),
		    (unsigned long long)d->nbad, (unsigned long long)d->nrow);
	ob_free(&ob);
	sqlite3_finalize(st);
}

/* What was gathered for d->day, to its day; then start afresh. */
static void
day_done(struct dbin *d)
{
	if (d->day != NOTIME) {
		rows_day_events(d->r, d->day, &d->ips, &d->rt);
		d->r->topdays++;
	}
	hll_free(&d->ips);
	qs_free(&d->rt);
	memset(&d->ips, 0, sizeof(d->ips));
	memset(&d->rt, 0, sizeof(d->rt));
	d->day = NOTIME;
}

static struct span
col_span(sqlite3_stmt *st, int col)
{
	struct span s = { NULL, 0 };

	if (sqlite3_column_type(st, col) == SQLITE_TEXT) {
		s.p = (const char *)sqlite3_column_text(st, col);
		s.n = (size_t)sqlite3_column_bytes(st, col);
	}
	return s;
}

/* An event's source, as a daily archive's events give it. */
static void
db_source(struct dbin *d, sqlite3_stmt *st, int64_t t)
{
	struct span src = col_span(st, 6), ip = col_span(st, 1);
	int status = -1;
	int64_t bytes = -1;

	if (sqlite3_column_type(st, 5) == SQLITE_INTEGER)
		status = (int)(sqlite3_column_int64(st, 5) % 1000);
	if (sqlite3_column_type(st, 7) == SQLITE_INTEGER)
		bytes = sqlite3_column_int64(st, 7);
	sources_hit(d->r, &d->r->srcs, &src, &ip, t, status, bytes);
}

/* Its client and 404 path, for the page's top lists; sec in UTC. */
static void
top_row(struct dbin *d, sqlite3_stmt *st, int64_t sec)
{
	struct run *r = d->r;
	struct span ip, method, path;

	if (r->topip == NULL) {
		r->topip = xcalloc(1, sizeof(*r->topip));
		r->top404 = xcalloc(1, sizeof(*r->top404));
	}
	ip = col_span(st, 1);
	method = col_span(st, 3);
	path = col_span(st, 4);
	top_event(r, r->topip, r->top404, sec, &ip, &method, &path,
	    sqlite3_column_type(st, 5) == SQLITE_INTEGER &&
	        sqlite3_column_int(st, 5) == 404);
}

/*
 * One event.  The events come in the table's order, which is the order
 * they were restored in, day after day: a day seen again later merges.
 */
static void
on_event(struct dbin *d, sqlite3_stmt *st)
{
	struct span ip;
	int64_t t, day;
	size_t fl;
	double rt;
	int off;

	if (sqlite3_column_type(st, 0) != SQLITE_TEXT ||
	    iso_time_parse((const char *)sqlite3_column_text(st, 0),
	        (size_t)sqlite3_column_bytes(st, 0), &t, &off, &fl) < 0)
		return; /* logbook-verify --db is the check of events */
	top_row(d, st, t);
	t = span_local(d->r, t);
	day = t - (t % 86400 + 86400) % 86400;
	if (day != d->day) {
		day_done(d);
		d->day = day;
	}
	if (sqlite3_column_type(st, 1) == SQLITE_TEXT) {
		ip.p = (const char *)sqlite3_column_text(st, 1);
		ip.n = (size_t)sqlite3_column_bytes(st, 1);
		hll_add(&d->ips, agg_ip_hash(&ip));
	}
	db_source(d, st, t);
	if (sqlite3_column_type(st, 2) == SQLITE_NULL)
		return;
	rt = sqlite3_column_double(st, 2) * 1e9;
	if (isfinite(rt) && rt >= 0 && rt < 9.2e18)
		qs_add(&d->rt, llround(rt));
}

static void
read_events(struct dbin *d)
{
	sqlite3_stmt *st;
	int rc;

	if (prepare(d, events_sql, &st) < 0)
		return;
	d->day = NOTIME;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		on_event(d, st);
	if (rc != SQLITE_DONE)
		db_fail(d, "read the events");
	day_done(d);
	sqlite3_finalize(st);
}

/* A database of logbook-restore, by the application id it sets. */
static int
ours(struct dbin *d)
{
	sqlite3_stmt *st;
	int rc, id = -1;

	rc = sqlite3_prepare_v2(d->h, "PRAGMA application_id", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		id = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		db_fail(d, "open");
		return -1;
	}
	if (id != DB_APPLICATION_ID) {
		lb_warnx(
		    "%s: not a database of logbook-restore", lb_escs(d->path));
		d->r->failed = 1;
		return -1;
	}
	return 0;
}

void
input_db(struct run *r, const char *path)
{
	struct dbin d;

	memset(&d, 0, sizeof(d));
	d.r = r;
	d.path = path;
	r->dbpath = path;
	span_dates(&d);
	if (sqlite3_open_v2(path, &d.h, SQLITE_OPEN_READONLY, NULL) !=
	        SQLITE_OK ||
	    sqlite3_busy_timeout(d.h, 10000) != SQLITE_OK) {
		db_fail(&d, "open");
		sqlite3_close(d.h);
		return;
	}
	if (ours(&d) == 0) {
		read_rows(&d);
		read_events(&d);
	}
	sqlite3_close(d.h);
}
