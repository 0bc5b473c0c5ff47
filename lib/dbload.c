/*
 * One archive into the database, in one transaction: its events by id,
 * kept when already there, and its hourly rows, which replace the date's
 * unless a larger archive of the date gave them.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbdiff.h"
#include "dbint.h"
#include "diag.h"
#include "jmember.h"
#include "json.h"
#include "manifest.h"

static const char *const hourly_cols[] = { "hour", "method", "path", "requests",
	"bytes", "bytes_null", "uniq_ips", "s1xx", "s2xx", "s3xx", "s4xx",
	"s5xx", "rt_p50", "rt_p95", "rt_p99", "rt_max", "first", "last" };
#define NHOURLY (int)(sizeof(hourly_cols) / sizeof(hourly_cols[0]))

static char *
scratch(struct db *d, size_t n)
{
	if (d->xcap < n + 1) {
		d->xcap = n + 256;
		d->xbuf = xrealloc(d->xbuf, d->xcap);
	}
	return d->xbuf;
}

/* One label of the archive's sources line into archive_sources. */
static int
add_label(void *arg, const char *p, size_t n)
{
	struct db *d = arg;
	sqlite3_stmt *st = d->st[ST_ASRC_ADD];

	if (sqlite3_bind_text(st, 1, d->arch.date, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 2, d->sources, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 3, d->arch.sha256, -1, SQLITE_STATIC) ||
	    (p == NULL ? sqlite3_bind_null(st, 4)
	               : sqlite3_bind_text(st, 4, n > 0 ? p : "", (int)n,
	                     SQLITE_TRANSIENT)) ||
	    sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		return db_sqlfail(d, "record the sources");
	}
	return sqlite3_reset(st) == SQLITE_OK ? 0 : -1;
}

/*
 * The digests of the archive's events, made as it was read before
 * (lib/dbrow.h), taken from *s: db_event then hashes nothing.  After
 * db_begin.
 */
void
db_sums(struct db *d, struct srcsums *s)
{
	srcsums_free(&d->sums);
	d->sums = *s;
	memset(s, 0, sizeof(*s));
	d->given = 1;
}

/* Whether the date has hourly rows of the archive's sources line. */
static int
has_hourly(struct db *d, int64_t *n)
{
	sqlite3_stmt *st = d->st[ST_HAS_HOURLY];

	if (sqlite3_bind_text(st, 1, d->lo, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 2, d->hi, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 3, d->sources, -1, SQLITE_STATIC) ||
	    db_int(d, st, n) < 0)
		return db_sqlfail(d, "read hourly rows");
	return 0;
}

struct lines {
	char **v;
	size_t n;
	uint64_t events; /* the most their archives said, summed */
};

/* The sources lines of the date's hourly rows that share a label. */
static int
overlapping(struct db *d, struct lines *o)
{
	sqlite3_stmt *st = d->st[ST_OVERLAP];
	int rc;

	if (sqlite3_bind_text(st, 1, d->lo, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 2, d->hi, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 3, d->arch.date, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 4, d->sources, -1, SQLITE_STATIC))
		return db_sqlfail(d, "read hourly rows");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		int64_t m = sqlite3_column_int64(st, 1);
		o->v = xreallocarray(o->v, o->n + 1, sizeof(*o->v));
		o->v[o->n++] = xstrdup(t != NULL ? t : "");
		o->events += m > 0 ? (uint64_t)m : 0;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_sqlfail(d, "read hourly rows");
}

/*
 * The hourly rows of the date stay those of the archives with the most
 * events: the new archive's replace those of every sources line that
 * shares a label with its own, when it has at least as many events as
 * their archives together (a host's archive after the host's older
 * version, a merged archive after its hosts'), else they stay.
 */
static int
place_hourly(struct db *d)
{
	sqlite3_stmt *st = d->st[ST_HOURLY_DEL];
	struct lines o = { NULL, 0, 0 };
	size_t i;
	int rc;

	rc = overlapping(d, &o);
	d->replace_hourly = rc == 0 && o.events <= d->arch.events;
	for (i = 0; i < o.n; i++) {
		if (rc == 0 && d->replace_hourly &&
		    (sqlite3_bind_text(st, 1, d->lo, -1, SQLITE_STATIC) ||
		        sqlite3_bind_text(st, 2, d->hi, -1, SQLITE_STATIC) ||
		        sqlite3_bind_text(st, 3, o.v[i], -1, SQLITE_STATIC) ||
		        sqlite3_step(st) != SQLITE_DONE))
			rc = db_sqlfail(d, "replace hourly rows");
		sqlite3_reset(st);
		free(o.v[i]);
	}
	free(o.v);
	d->res.hourly_kept = !d->replace_hourly;
	return rc;
}

int
db_begin(struct db *d, const struct db_archive *a)
{
	sqlite3_stmt *st;
	int64_t known;

	memset(&d->res, 0, sizeof(d->res));
	srcsums_free(&d->sums);
	d->given = 0;
	d->noarch = a == NULL;
	d->replace_hourly = 0;
	if (a == NULL)
		return db_exec(d, "BEGIN IMMEDIATE", "lock the database");
	d->arch = *a;
	/* The caller's may not live until the commit. */
	free(d->path);
	d->arch.path = d->path = xstrdup(a->path);
	free(d->sources);
	/* No sources line: events without a src, as a manifest says "-". */
	if (a->sources == NULL) {
		d->sources = xstrdup("-");
		d->arch.sourceslen = 1;
	} else {
		d->sources = xmalloc(a->sourceslen + 1);
		memcpy(d->sources, a->sources, a->sourceslen);
		d->sources[a->sourceslen] = '\0';
	}
	d->arch.sources = d->sources;
	/* Every ts of the date starts "YYYY-MM-DDT", and 'U' follows 'T'. */
	snprintf(d->lo, sizeof(d->lo), "%sT", a->date);
	snprintf(d->hi, sizeof(d->hi), "%sU", a->date);
	if (db_exec(d, "BEGIN IMMEDIATE", "lock the database") < 0)
		return -1;
	st = d->st[ST_KNOWN];
	if (sqlite3_bind_text(st, 1, a->date, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 2, a->sha256, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 3, d->sources, -1, SQLITE_STATIC) ||
	    db_int(d, st, &known) < 0)
		return db_sqlfail(d, "read archives");
	d->res.known = known > 0;
	/* Known, with its rows: kept.  Without: a migrated database's. */
	if (d->res.known && has_hourly(d, &known) < 0)
		return -1;
	if (d->res.known && known > 0) {
		d->res.hourly_kept = 1;
		return 0;
	}
	if (!d->res.known &&
	    srcset_each(d->sources, d->arch.sourceslen, add_label, d) < 0) {
		if (d->err[0] == '\0')
			db_fail(d, "the archive's sources line is malformed");
		return -1;
	}
	return place_hourly(d);
}

/* A JSON number's text as a REAL. */
static int
bind_real(struct db *d, sqlite3_stmt *st, int col, const char *p, size_t n)
{
	char *b = scratch(d, n);

	memcpy(b, p, n);
	b[n] = '\0';
	return sqlite3_bind_double(st, col, strtod(b, NULL));
}

/*
 * One event, given with the line it was read from; an archive's go into
 * its digests, all of them, as the archive has them.
 */
int
db_event(struct db *d, const struct event *ev, const char *line, size_t n)
{
	sqlite3_stmt *st = d->st[ST_EVENT];

	dbrow_event(&d->row, ev, line, n);
	if (dbrow_bind(&d->row, st) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE) {
		db_sqlfail(d, "insert an event");
		sqlite3_reset(st);
		return -1;
	}
	d->res.added += (uint64_t)sqlite3_changes(d->h);
	d->res.events++;
	if (!d->noarch && !d->res.known && !d->given)
		(void)srcsums_row(&d->sums, &d->row, 1);
	if (sqlite3_reset(st) != SQLITE_OK)
		return db_sqlfail(d, "insert an event");
	return 0;
}

/* The column of an hourly row's key; rows come in column order. */
static int
hourly_col(const struct jval *k, int next)
{
	int i;

	if (next < NHOURLY && json_keyeq(k, hourly_cols[next]))
		return next;
	for (i = 0; i < NHOURLY; i++)
		if (json_keyeq(k, hourly_cols[i]))
			return i;
	return -1;
}

/* An integer when the number is one that fits, else a REAL. */
static int
bind_num(struct db *d, sqlite3_stmt *st, int col, const struct jval *v)
{
	size_t i = v->p[0] == '-';
	int64_t x = 0;

	if (v->n - i == 0 || v->n - i > 18)
		return bind_real(d, st, col, v->p, v->n);
	for (; i < v->n; i++) {
		if (v->p[i] < '0' || v->p[i] > '9')
			return bind_real(d, st, col, v->p, v->n);
		x = x * 10 + (v->p[i] - '0');
	}
	return sqlite3_bind_int64(st, col, v->p[0] == '-' ? -x : x);
}

static int
bind_value(struct db *d, sqlite3_stmt *st, int col, const struct jval *v)
{
	char *b;

	switch (v->type) {
	case J_NULL:
		return sqlite3_bind_null(st, col);
	case J_NUM:
		return bind_num(d, st, col, v);
	case J_TRUE:
	case J_FALSE:
		return sqlite3_bind_int(st, col, v->type == J_TRUE);
	case J_STR:
		if (!v->esc)
			return sqlite3_bind_text(st, col, v->n > 0 ? v->p : "",
			    (int)v->n, SQLITE_STATIC);
		b = scratch(d, v->n);
		return sqlite3_bind_text(st, col, b,
		    (int)json_unescape(b, v->p, v->n), SQLITE_TRANSIENT);
	default:
		return sqlite3_bind_text(
		    st, col, v->p, (int)v->n, SQLITE_STATIC);
	}
}

/* Bind the members of one row; keys we do not know are left out. */
static int
bind_hourly(struct db *d, sqlite3_stmt *st, const char *line, size_t n)
{
	struct jobj o;
	struct jval k, v;
	int col = 0, rc, hour = 0;

	if (json_obj_begin(&o, line, n) < 0) {
		db_fail(d, "hourly row: %s", o.err);
		return -1;
	}
	while ((rc = json_obj_next(&o, &k, &v)) == 1) {
		if ((col = hourly_col(&k, col)) < 0) {
			col = 0;
			continue;
		}
		if (col == 0 &&
		    (v.type != J_STR || v.n < DB_DATE_LEN ||
		        memcmp(v.p, d->arch.date, DB_DATE_LEN) != 0)) {
			db_fail(d, "hourly row outside the archive's date");
			return -1;
		}
		hour |= col == 0;
		if (bind_value(d, st, col + 1, &v) != SQLITE_OK)
			return db_sqlfail(d, "hourly row");
		col++;
	}
	if (rc < 0 || json_obj_end(&o) < 0 || !hour) {
		db_fail(d, "hourly row: %s", o.err != NULL ? o.err : "no hour");
		return -1;
	}
	return 0;
}

/* One hourly row; left out when a larger archive of the date gave them. */
int
db_hourly(struct db *d, const char *line, size_t n)
{
	sqlite3_stmt *st = d->st[ST_HOURLY];
	int rc;

	if (!d->replace_hourly)
		return 0;
	rc = bind_hourly(d, st, line, n);
	if (rc == 0 &&
	    sqlite3_bind_text(st, NHOURLY + 1, d->sources, -1, SQLITE_STATIC) !=
	        SQLITE_OK)
		rc = db_sqlfail(d, "hourly row");
	if (rc == 0 && sqlite3_step(st) != SQLITE_DONE)
		rc = db_sqlfail(d, "insert an hourly row");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == 0)
		d->res.hourly++;
	return rc;
}

/* The archive's row in "archives", inside its transaction. */
static int
record(struct db *d)
{
	sqlite3_stmt *st = d->st[ST_ARCHIVE];
	const struct db_archive *a = &d->arch;

	if (sqlite3_bind_text(st, 1, a->path, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 2, a->date, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 3, a->sources, -1, SQLITE_STATIC) ||
	    sqlite3_bind_int64(st, 4, (int64_t)a->events) ||
	    sqlite3_bind_int64(st, 5, (int64_t)a->hourly_rows) ||
	    sqlite3_bind_text(st, 6, a->sha256, -1, SQLITE_STATIC) ||
	    sqlite3_bind_int64(st, 7, (int64_t)d->res.added) ||
	    sqlite3_step(st) != SQLITE_DONE) {
		db_sqlfail(d, "record the archive");
		sqlite3_reset(st);
		return -1;
	}
	if (sqlite3_reset(st) != SQLITE_OK)
		return db_sqlfail(d, "record the archive");
	return 0;
}

/* Each source's events and digest, in the rows add_label made. */
static int
record_sources(struct db *d)
{
	sqlite3_stmt *st = d->st[ST_ASRC_SET];
	char hex[SHA256_HEXLEN + 1];
	struct srcsum *e;
	size_t i;
	int rc;

	for (i = 0; i < d->sums.n; i++) {
		e = &d->sums.v[i];
		digest_hex(hex, &e->dg);
		rc = sqlite3_bind_text(st, 1, d->arch.date, -1, SQLITE_STATIC) |
		    sqlite3_bind_text(st, 2, d->sources, -1, SQLITE_STATIC) |
		    sqlite3_bind_text(
		        st, 3, d->arch.sha256, -1, SQLITE_STATIC) |
		    (e->src == NULL ? sqlite3_bind_null(st, 4)
		                    : sqlite3_bind_text(st, 4, e->src,
		                          (int)e->n, SQLITE_STATIC)) |
		    sqlite3_bind_int64(st, 5, (int64_t)e->dg.rows) |
		    sqlite3_bind_text(st, 6, hex, -1, SQLITE_TRANSIENT);
		if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_reset(st);
			return db_sqlfail(d, "record the sources");
		}
		sqlite3_reset(st);
		if (sqlite3_changes(d->h) != 1) {
			db_fail(d,
			    "an event of source %s, which the archive's "
			    "sources line does not name",
			    e->src != NULL ? lb_esc(e->src, e->n) : "-");
			return -1;
		}
	}
	return 0;
}

int
db_commit(struct db *d, struct db_result *res)
{
	if (!d->noarch && !d->res.known && record_sources(d) < 0)
		return -1;
	if (!d->noarch && record(d) < 0)
		return -1;
	if (db_exec(d, "COMMIT", "commit") < 0)
		return -1;
	*res = d->res;
	return 0;
}

/* Nothing of the archive stays; a failed ROLLBACK leaves SQLite's own. */
void
db_rollback(struct db *d)
{
	int i;

	for (i = 0; i < DB_NSTMT; i++)
		sqlite3_reset(d->st[i]);
	if (!sqlite3_get_autocommit(d->h))
		(void)sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
}

/* The sources of the date's archives, with their largest's counts. */
static int
date_sources(struct db *d, const char *date, struct srcsums *s)
{
	sqlite3_stmt *st = d->st[ST_SRCS];
	struct srcsum *e;
	const char *t;
	int rc;

	if (sqlite3_bind_text(st, 1, date, -1, SQLITE_TRANSIENT))
		return db_sqlfail(d, "read archive_sources");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int null = sqlite3_column_type(st, 0) == SQLITE_NULL;
		e = srcsums_get(s,
		    null ? NULL : (const char *)sqlite3_column_text(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0), 1);
		e->want = sqlite3_column_type(st, 1) == SQLITE_NULL
		    ? -1
		    : sqlite3_column_int64(st, 1);
		t = (const char *)sqlite3_column_text(st, 2);
		if (t != NULL && strlen(t) == SHA256_HEXLEN)
			memcpy(e->wantdg, t, sizeof(e->wantdg));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_sqlfail(d, "read archive_sources");
}

/*
 * Each source of the date's archives to fn, with the events and digest
 * the database has of it and those of the archive with the most of
 * them, then (src NULL) the events of sources no archive of it has.
 */
int
db_date_check(struct db *d, const char *date,
    int (*fn)(void *, const struct db_count *), void *arg)
{
	struct srcsums s = { NULL, 0, 0, 0 };
	struct db_count c;
	char hex[SHA256_HEXLEN + 1];
	size_t i;
	int rc;

	if (db_indexes(d) < 0 || date_sources(d, date, &s) < 0) {
		srcsums_free(&s);
		return -1;
	}
	if ((rc = srcsums_day(&s, d->st[ST_DAYROWS], date, 0)) != 0)
		rc = db_sqlfail(d, "read events");
	memset(&c, 0, sizeof(c));
	c.nsrcs = (int)s.n;
	for (i = 0; rc == 0 && i < s.n; i++) {
		digest_hex(hex, &s.v[i].dg);
		c.src = s.v[i].src;
		c.srclen = s.v[i].n;
		c.null = s.v[i].src == NULL;
		c.have = s.v[i].dg.rows;
		c.want = s.v[i].want;
		c.digest = hex;
		c.want_digest = s.v[i].wantdg;
		rc = fn(arg, &c);
	}
	if (rc == 0) {
		memset(&c, 0, sizeof(c));
		c.have = s.others;
		c.want = 0;
		c.digest = c.want_digest = "";
		c.nsrcs = (int)s.n;
		rc = fn(arg, &c);
	}
	srcsums_free(&s);
	return rc;
}

/* The dates of the archives restored, from..to, each given to fn. */
int
db_dates(struct db *d, const char *from, const char *to,
    int (*fn)(void *, const char *), void *arg)
{
	sqlite3_stmt *st = d->st[ST_DATES];
	int rc;

	if (db_indexes(d) < 0)
		return -1;
	if (sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT) ||
	    sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT))
		return db_sqlfail(d, "read archives");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(arg, (const char *)sqlite3_column_text(st, 0)) < 0)
			break;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		db_sqlfail(d, "read archives");
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * After db_date_check found c to differ: the archive of the date with
 * the most events of c's source, read again to name the events that
 * differ, each to say, at most max; 1 when that archive is not there.
 */
int
db_diff(struct db *d, const char *date, const struct db_count *c, int max,
    void (*say)(void *, const char *), void *arg, uint64_t *found)
{
	struct dbdiff q = { d->h, NULL, date, c->src, c->srclen, c->null, max,
		say, arg };
	sqlite3_stmt *st;
	const char *why;
	char *path = NULL;
	int rc;

	*found = 0;
	if (sqlite3_prepare_v2(d->h,
	        "SELECT a.path FROM archive_sources AS s JOIN archives AS a "
	        "ON a.date = s.date AND a.sources = s.sources AND "
	        "a.sha256 = s.sha256 WHERE s.date = ?1 AND s.src IS ?2 "
	        "ORDER BY s.events DESC, a.rowid DESC LIMIT 1",
	        -1, &st, NULL) != SQLITE_OK)
		return db_sqlfail(d, "read archives");
	rc = sqlite3_bind_text(st, 1, date, -1, SQLITE_TRANSIENT) |
	    (c->null ? sqlite3_bind_null(st, 2)
	             : sqlite3_bind_text(
	                   st, 2, c->src, (int)c->srclen, SQLITE_TRANSIENT));
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0) != NULL)
		path = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (path == NULL || access(path, R_OK) != 0) {
		free(path);
		return 1;
	}
	q.archive = path;
	rc = dbdiff_run(&q, found, &why);
	if (rc < 0)
		db_fail(d, "%s: %s", lb_escs(path), why);
	free(path);
	return rc;
}
