/*
 * One archive into the database, in one transaction: its events by id,
 * kept when already there, and its hourly rows, which replace the date's
 * unless a larger archive of the date gave them.
 */
#include <stdlib.h>
#include <string.h>

#include "dbint.h"
#include "diag.h"
#include "jmember.h"
#include "json.h"
#include "manifest.h"

/* Events: INSERT OR IGNORE in schema order, 1-based. */
enum {
	C_ID = 1,
	C_TS,
	C_TZ,
	C_IP,
	C_IDENT,
	C_USER,
	C_METHOD,
	C_PATH,
	C_QUERY,
	C_PROTO,
	C_REQ,
	C_STATUS,
	C_BYTES,
	C_REFERER,
	C_UA,
	C_RT,
	C_HOST,
	C_SRC,
	C_FMT,
	C_X,
	C_CR,
	C_RAW64
};

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

/* One label of the archive's sources line into source_sets. */
static int
add_label(void *arg, const char *p, size_t n)
{
	struct db *d = arg;
	sqlite3_stmt *st = d->st[ST_SET_ADD];

	if (sqlite3_bind_text(st, 1, d->sources, -1, SQLITE_STATIC) ||
	    (p == NULL ? sqlite3_bind_null(st, 2)
	               : sqlite3_bind_text(st, 2, n > 0 ? p : "", (int)n,
	                     SQLITE_TRANSIENT)) ||
	    sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		return db_sqlfail(d, "record the sources");
	}
	return sqlite3_reset(st) == SQLITE_OK ? 0 : -1;
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
	d->noarch = a == NULL;
	d->replace_hourly = 0;
	if (a == NULL)
		return db_exec(d, "BEGIN IMMEDIATE", "lock the database");
	d->arch = *a;
	/* The caller's may not live until the commit. */
	free(d->path);
	d->arch.path = d->path = xstrdup(a->path);
	free(d->sources);
	d->sources = xmalloc(a->sourceslen + 1);
	memcpy(d->sources, a->sources, a->sourceslen);
	d->sources[a->sourceslen] = '\0';
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
	if (srcset_each(d->sources, a->sourceslen, add_label, d) < 0) {
		if (d->err[0] == '\0')
			db_fail(d, "the archive's sources line is malformed");
		return -1;
	}
	return place_hourly(d);
}

static int
bind_span(sqlite3_stmt *st, int col, const struct span *s)
{
	if (s->p == NULL)
		return sqlite3_bind_null(st, col);
	return sqlite3_bind_text(
	    st, col, s->n > 0 ? s->p : "", (int)s->n, SQLITE_STATIC);
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

/* The x object as the event line wrote it: JSON text. */
static int
bind_x(sqlite3_stmt *st, const struct event *ev, const char *line, size_t n)
{
	struct jval v;

	if (ev->nx > 0 && json_member(line, n, "x", &v) == 1 && v.type == J_OBJ)
		return sqlite3_bind_text(st, C_X, v.p, (int)v.n, SQLITE_STATIC);
	return sqlite3_bind_null(st, C_X);
}

static int
bind_event(struct db *d, sqlite3_stmt *st, const struct event *ev,
    const char *line, size_t n)
{
	const struct rec *r = &ev->r;
	int rc;

	rc = bind_span(st, C_ID, &ev->id) | bind_span(st, C_TS, &ev->ts) |
	    bind_span(st, C_TZ, &r->tz) | bind_span(st, C_IP, &r->ip) |
	    bind_span(st, C_IDENT, &r->ident) |
	    bind_span(st, C_USER, &r->user) |
	    bind_span(st, C_METHOD, &r->method) |
	    bind_span(st, C_PATH, &r->path) |
	    bind_span(st, C_QUERY, &r->query) |
	    bind_span(st, C_PROTO, &r->proto) | bind_span(st, C_REQ, &r->req) |
	    bind_span(st, C_REFERER, &r->referer) |
	    bind_span(st, C_UA, &r->ua) | bind_span(st, C_HOST, &r->host) |
	    bind_span(st, C_SRC, &ev->src) | bind_span(st, C_FMT, &ev->fmt) |
	    bind_span(st, C_RAW64, &ev->raw64) |
	    sqlite3_bind_int(st, C_CR, ev->cr) | bind_x(st, ev, line, n);
	rc |= ev->status < 0 ? sqlite3_bind_null(st, C_STATUS)
	                     : sqlite3_bind_int(st, C_STATUS, ev->status);
	rc |= ev->bytes < 0 ? sqlite3_bind_null(st, C_BYTES)
	                    : sqlite3_bind_int64(st, C_BYTES, ev->bytes);
	rc |= r->rt.p == NULL ? sqlite3_bind_null(st, C_RT)
	                      : bind_real(d, st, C_RT, r->rt.p, r->rt.n);
	return rc;
}

/* One event, given with the line it was read from. */
int
db_event(struct db *d, const struct event *ev, const char *line, size_t n)
{
	sqlite3_stmt *st = d->st[ST_EVENT];

	if (bind_event(d, st, ev, line, n) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE) {
		db_sqlfail(d, "insert an event");
		sqlite3_reset(st);
		return -1;
	}
	d->res.added += (uint64_t)sqlite3_changes(d->h);
	d->res.events++;
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

int
db_commit(struct db *d, struct db_result *res)
{
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

/* The events of the date of one sources line, or of none (NULL). */
static int
count_of(struct db *d, const char *date, const char *sources, uint64_t *n)
{
	sqlite3_stmt *st = d->st[sources != NULL ? ST_SETCOUNT : ST_ORPHANS];
	int64_t v;

	if (sqlite3_bind_text(st, 1, d->lo, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 2, d->hi, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(
	        st, 3, sources != NULL ? sources : date, -1, SQLITE_STATIC) ||
	    db_int(d, st, &v) < 0)
		return db_sqlfail(d, "count events");
	*n = v > 0 ? (uint64_t)v : 0;
	return 0;
}

/*
 * Each sources line of the date's archives to fn, with the events the
 * database has of it and the most a manifest of it said, then (sources
 * NULL) the events of the date that are of none of them.
 */
int
db_date_check(struct db *d, const char *date,
    int (*fn)(void *, const struct db_count *), void *arg)
{
	sqlite3_stmt *st = d->st[ST_SETS];
	struct db_count c = { NULL, 0, 0, 0 };
	struct lines o = { NULL, 0, 0 };
	uint64_t *want = NULL;
	size_t i;
	int rc;

	if (db_indexes(d) < 0)
		return -1;
	snprintf(d->lo, sizeof(d->lo), "%.10sT", date);
	snprintf(d->hi, sizeof(d->hi), "%.10sU", date);
	if (sqlite3_bind_text(st, 1, date, -1, SQLITE_TRANSIENT))
		return db_sqlfail(d, "read archives");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		o.v = xreallocarray(o.v, o.n + 1, sizeof(*o.v));
		want = xreallocarray(want, o.n + 1, sizeof(*want));
		want[o.n] = (uint64_t)sqlite3_column_int64(st, 1);
		o.v[o.n++] = xstrdup(t != NULL ? t : "");
	}
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? 0 : db_sqlfail(d, "read archives");
	c.nsets = (int)o.n;
	for (i = 0; rc == 0 && i <= o.n; i++) {
		c.sources = i < o.n ? o.v[i] : NULL;
		c.want = i < o.n ? want[i] : 0;
		if ((rc = count_of(d, date, c.sources, &c.have)) == 0)
			rc = fn(arg, &c);
	}
	for (i = 0; i < o.n; i++)
		free(o.v[i]);
	free(o.v);
	free(want);
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
