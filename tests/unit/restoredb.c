/*
 * Unit test: the restore database of lib/db.h, fed event and hourly
 * lines as the archives hold them: schema and column types, one
 * transaction per archive, idempotence, late data, the hourly rows of
 * the largest archive, events alone, and databases that must be refused
 * untouched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "diag.h"
#include "tap.h"

static const char *const ev_day[] = {
	"{\"id\":\"20251013T041502-0fc27c85fa206b01\",\"ts\":\"2025-10-13T04:"
	"15:02Z\",\"tz\":\"+0200\",\"ip\":\"192.0.2.1\",\"ident\":null,"
	"\"user\":\"alice\",\"method\":\"GET\",\"path\":\"/a\",\"query\":"
	"\"b=1\",\"proto\":\"HTTP/1.1\",\"req\":null,\"status\":200,"
	"\"bytes\":512,\"referer\":\"https://example.com/\",\"ua\":"
	"\"curl/8.0\",\"rt\":null,\"host\":null,\"src\":null,\"fmt\":"
	"\"combined\"}",
	"{\"id\":\"20251013T080001-fbf49ff1636f7df1\",\"ts\":\"2025-10-13T08:"
	"00:01Z\",\"tz\":\"+0000\",\"ip\":\"192.0.2.2\",\"ident\":null,"
	"\"user\":null,\"method\":\"POST\",\"path\":\"/api/x\",\"query\":null,"
	"\"proto\":\"HTTP/2.0\",\"req\":null,\"status\":503,\"bytes\":null,"
	"\"referer\":null,\"ua\":\"ua \\\\\\\"q\\\\\\\"\",\"rt\":0.050,"
	"\"host\":null,\"src\":\"web1\",\"fmt\":\"nginx\"}",
	"{\"id\":\"20251013T100000-3be91e4900b4289f\",\"ts\":\"2025-10-13T10:"
	"00:00Z\",\"tz\":\"+0000\",\"ip\":\"192.0.2.3\",\"ident\":null,"
	"\"user\":null,\"method\":\"GET\",\"path\":\"\",\"query\":null,"
	"\"proto\":\"HTTP/1.1\",\"req\":null,\"status\":200,\"bytes\":5,"
	"\"referer\":null,\"ua\":\"x\",\"rt\":0.116075,\"host\":\"h\","
	"\"src\":null,\"fmt\":\"vhost_combined\",\"x\":{\"%p\":\"443\"},"
	"\"cr\":true}",
	/* late data: the day's archive written again with one more */
	"{\"id\":\"20251013T235959-00000000000000ff\",\"ts\":\"2025-10-13T23:"
	"59:59.250Z\",\"tz\":\"+0000\",\"ip\":\"192.0.2.4\",\"ident\":null,"
	"\"user\":null,\"method\":null,\"path\":null,\"query\":null,"
	"\"proto\":null,\"req\":\"\\u0016\\u0003\",\"status\":400,"
	"\"bytes\":0,\"referer\":null,\"ua\":null,\"rt\":null,\"host\":null,"
	"\"src\":null,\"fmt\":\"combined\"}",
};

static const char *const hourly_day[] = {
	"{\"hour\":\"2025-10-13T04:00:00Z\",\"method\":\"GET\",\"path\":\"/a\","
	"\"requests\":1,\"bytes\":512,\"bytes_null\":0,\"uniq_ips\":1,"
	"\"s1xx\":0,\"s2xx\":1,\"s3xx\":0,\"s4xx\":0,\"s5xx\":0,\"rt_p50\":"
	"null,\"rt_p95\":null,\"rt_p99\":null,\"rt_max\":null,\"first\":"
	"\"2025-10-13T04:15:02Z\",\"last\":\"2025-10-13T04:15:02Z\"}",
	"{\"hour\":\"2025-10-13T08:00:00Z\",\"method\":\"POST\",\"path\":"
	"\"/api/x\",\"requests\":1,\"bytes\":0,\"bytes_null\":1,\"uniq_ips\":1,"
	"\"s1xx\":0,\"s2xx\":0,\"s3xx\":0,\"s4xx\":0,\"s5xx\":1,\"rt_p50\":"
	"0.05,\"rt_p95\":0.05,\"rt_p99\":0.05,\"rt_max\":0.05,\"first\":"
	"\"2025-10-13T08:00:01Z\",\"last\":\"2025-10-13T08:00:01Z\"}",
	"{\"hour\":\"2025-10-13T10:00:00Z\",\"method\":\"GET\",\"path\":\"\","
	"\"requests\":1,\"bytes\":5,\"bytes_null\":0,\"uniq_ips\":1,"
	"\"s1xx\":0,\"s2xx\":1,\"s3xx\":0,\"s4xx\":0,\"s5xx\":0,\"rt_p50\":"
	"0.116075,\"rt_p95\":0.116075,\"rt_p99\":0.116075,\"rt_max\":0.116075,"
	"\"first\":\"2025-10-13T10:00:00Z\",\"last\":\"2025-10-13T10:00:00Z\"}",
	"{\"hour\":\"2025-10-13T23:00:00Z\",\"method\":null,\"path\":null,"
	"\"requests\":1,\"bytes\":0,\"bytes_null\":0,\"uniq_ips\":1,"
	"\"s1xx\":0,\"s2xx\":0,\"s3xx\":0,\"s4xx\":1,\"s5xx\":0,\"rt_p50\":"
	"null,\"rt_p95\":null,\"rt_p99\":null,\"rt_max\":null,\"first\":"
	"\"2025-10-13T23:59:59.250Z\",\"last\":\"2025-10-13T23:59:59.250Z\","
	"\"future_key\":7}",
};

static char dir[] = "/tmp/lbdbtestXXXXXX";
static char path[256];

/* One archive: its first n events and hourly rows, committed or not. */
static int
load(struct db *d, size_t n, const char *sha, int commit, struct db_result *res)
{
	struct db_archive a;
	struct event ev;
	const char *why;
	size_t i;
	int rc = 0;

	memset(&a, 0, sizeof(a));
	a.path = "logbook-2025-10-13.tar.gz";
	strcpy(a.date, "2025-10-13");
	a.events = n;
	a.hourly_rows = n;
	snprintf(a.sha256, sizeof(a.sha256), "%s", sha);
	/* The second event is the first with a src. */
	a.sources = n >= 2 ? "- web1" : "-";
	a.sourceslen = strlen(a.sources);
	event_init(&ev);
	if (db_begin(d, &a) < 0)
		rc = -1;
	for (i = 0; rc == 0 && i < n; i++)
		if (event_read(&ev, ev_day[i], strlen(ev_day[i]), &why) < 0 ||
		    db_event(d, &ev, ev_day[i], strlen(ev_day[i])) < 0 ||
		    db_hourly(d, hourly_day[i], strlen(hourly_day[i])) < 0)
			rc = -1;
	event_free(&ev);
	if (rc == 0 && commit)
		return db_commit(d, res);
	db_rollback(d);
	return rc;
}

/* The first column of the first row of a query, as text. */
static const char *
query(const char *sql)
{
	static char out[512];
	sqlite3 *h;
	sqlite3_stmt *st;

	strcpy(out, "(error)");
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return out;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(out, sizeof(out), "%s",
			    sqlite3_column_type(st, 0) == SQLITE_NULL
			        ? "NULL"
			        : (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	return out;
}

static void
same(const char *sql, const char *want)
{
	const char *got = query(sql);

	tap_mem(got, strlen(got), want, sql);
}

static void
fresh_and_types(struct db *d)
{
	struct db_result r;

	same("PRAGMA application_id", "1819240290");
	same("SELECT max(version) FROM schema_version", "2");
	same("PRAGMA journal_mode", "wal");
	tap_ok(load(d, 3, "aa", 1, &r) == 0 && r.events == 3 && r.added == 3 &&
	        r.hourly == 3 && !r.known && !r.hourly_kept,
	    "first archive: 3 events added, 3 hourly rows");
	same("SELECT typeof(status) || typeof(bytes) || typeof(rt) || "
	     "typeof(ident) FROM events WHERE id LIKE '%0fc27c%'",
	    "integerintegernullnull");
	same("SELECT rt FROM events WHERE path = '/api/x'", "0.05");
	same("SELECT typeof(bytes) || ua || src FROM events "
	     "WHERE path = '/api/x'",
	    "null"
	    "ua \\\"q\\\""
	    "web1");
	same("SELECT quote(path) || x || cr FROM events WHERE host = 'h'",
	    "''{\"%p\":\"443\"}1");
	same("SELECT rt FROM events WHERE host = 'h'", "0.116075");
	same(
	    "SELECT strftime('%H', ts) FROM events WHERE user = 'alice'", "04");
	same("SELECT count(*) FROM events WHERE date(ts) = '2025-10-13'", "3");
	same("SELECT typeof(rt_p50) || requests FROM hourly "
	     "WHERE method = 'POST'",
	    "real1");
	same("SELECT path || events || sha256 || added FROM archives",
	    "logbook-2025-10-13.tar.gz3aa3");
	same("SELECT group_concat(sources, '|') FROM archives", "- web1");
	same("SELECT count(*) FROM hourly WHERE sources = '- web1'", "3");
	same("SELECT group_concat(quote(src) || events, ' ') FROM (SELECT "
	     "src, events FROM archive_sources WHERE sources = '- web1' "
	     "ORDER BY src)",
	    "NULL2 'web1'1");
}

struct counts {
	uint64_t have[4];
	int64_t want[4];
	int same[4]; /* the digests agree */
	int n;
};

static int
counted(void *arg, const struct db_count *c)
{
	struct counts *k = arg;

	if (k->n < 4) {
		k->have[k->n] = c->have;
		k->want[k->n] = c->want;
		k->same[k->n] = strcmp(c->digest, c->want_digest) == 0;
	}
	k->n++;
	return 0;
}

static void
again_and_late(struct db *d)
{
	struct db_result r;
	struct counts k = { { 0 }, { 0 }, { 0 }, 0 };

	tap_ok(load(d, 3, "aa", 1, &r) == 0 && r.events == 3 && r.added == 0 &&
	        r.known && r.hourly == 0,
	    "the same archive again: nothing added, and it knows");
	same("SELECT count(*) || ' ' || sum(added) FROM archives", "1 3");
	tap_ok(load(d, 4, "bb", 1, &r) == 0 && r.added == 1 && r.hourly == 4 &&
	        !r.known,
	    "the date with late data: exactly the new event added");
	same("SELECT count(*) FROM hourly", "4");
	same("SELECT count(*) FROM hourly WHERE method IS NULL", "1");
	same("SELECT req FROM events WHERE method IS NULL", "\x16\x03");
	same(
	    "SELECT substr(ts, 20) FROM events WHERE req IS NOT NULL", ".250Z");
	tap_ok(load(d, 2, "cc", 1, &r) == 0 && r.added == 0 && r.hourly_kept,
	    "an older, smaller archive: hourly rows of the larger kept");
	same("SELECT count(*) FROM hourly", "4");
	tap_ok(db_date_check(d, "2025-10-13", counted, &k) == 0 && k.n == 3 &&
	        k.have[0] == 3 && k.want[0] == 3 && k.same[0] &&
	        k.have[1] == 1 && k.want[1] == 1 && k.same[1] && k.have[2] == 0,
	    "per source, counts and digests agree with the largest archive's, "
	    "none left over");
}

static void
rollback(struct db *d)
{
	struct db_result r;

	sqlite3 *h;
	tap_ok(sqlite3_open(path, &h) == SQLITE_OK &&
	        sqlite3_exec(h, "DELETE FROM events WHERE status = 503", NULL,
	            NULL, NULL) == SQLITE_OK &&
	        sqlite3_close(h) == SQLITE_OK,
	    "a user deletes one event");
	tap_ok(
	    load(d, 4, "dd", 0, &r) == 0, "an archive loaded, not committed");
	same("SELECT count(*) FROM events", "3");
	same("SELECT count(*) FROM archives", "3");
	tap_ok(load(d, 4, "bb", 1, &r) == 0 && r.added == 1 && r.known,
	    "restoring again puts the deleted event back");
}

/* One field changed behind the database's back: the digest sees it. */
static void
changed(struct db *d)
{
	struct counts k = { { 0 }, { 0 }, { 0 }, 0 };
	sqlite3 *h;

	tap_ok(sqlite3_open(path, &h) == SQLITE_OK &&
	        sqlite3_exec(h,
	            "UPDATE events SET status = 599 WHERE "
	            "status = 503",
	            NULL, NULL, NULL) == SQLITE_OK,
	    "a user changes one status");
	tap_ok(db_date_check(d, "2025-10-13", counted, &k) == 0 && k.n == 3 &&
	        k.same[0] && k.have[1] == 1 && !k.same[1],
	    "the counts agree, the digest of that source does not");
	tap_ok(sqlite3_exec(h,
	           "UPDATE events SET status = 503 WHERE "
	           "status = 599",
	           NULL, NULL, NULL) == SQLITE_OK &&
	        sqlite3_close(h) == SQLITE_OK,
	    "changed back");
	k.n = 0;
	tap_ok(db_date_check(d, "2025-10-13", counted, &k) == 0 && k.same[1],
	    "... and the digests agree again");
}

static void
bad_hourly(struct db *d)
{
	struct db_archive a;
	static const char row[] = "{\"hour\":\"2025-10-14T00:00:00Z\","
	                          "\"method\":\"GET\",\"path\":\"/\"}";

	memset(&a, 0, sizeof(a));
	a.path = "x";
	strcpy(a.date, "2025-10-13");
	strcpy(a.sha256, "ee");
	a.events = 9;
	tap_ok(db_begin(d, &a) == 0 && db_hourly(d, row, strlen(row)) < 0,
	    "an hourly row of another date is refused: %s", db_errmsg(d));
	db_rollback(d);
	same("SELECT count(*) FROM hourly", "4");
}

/* Events alone, as from NDJSON: no archives row, hourly rows untouched. */
static void
events_alone(struct db *d)
{
	struct db_result r;
	struct event ev;
	const char *why;
	int rc;

	event_init(&ev);
	rc = db_begin(d, NULL) == 0 &&
	    event_read(&ev, ev_day[1], strlen(ev_day[1]), &why) == 0 &&
	    db_event(d, &ev, ev_day[1], strlen(ev_day[1])) == 0 &&
	    db_hourly(d, hourly_day[0], strlen(hourly_day[0])) == 0 &&
	    db_commit(d, &r) == 0;
	event_free(&ev);
	tap_ok(rc && r.events == 1 && r.added == 0 && r.hourly == 0 && !r.known,
	    "events alone: a known event adds nothing: %s", db_errmsg(d));
	same("SELECT count(*) FROM archives", "3");
	same("SELECT count(*) FROM hourly", "4");
}

/* The bytes of a file, for comparing before and after. */
static char *
slurp(const char *p, size_t *n)
{
	FILE *fp = fopen(p, "rb");
	char *b = NULL;
	long len;

	*n = 0;
	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0) {
		b = xmalloc((size_t)len + 1);
		*n = fread(b, 1, (size_t)len, fp);
	}
	fclose(fp);
	return b;
}

/* db_open must refuse the file, and leave every byte of it as it was. */
static void
refused(const char *file, const char *want, const char *name)
{
	size_t n0, n1;
	char *b0 = slurp(file, &n0), *b1;
	const char *why = "";
	struct db *d = db_open(file, 5000, &why);
	char j[300];

	b1 = slurp(file, &n1);
	tap_ok(d == NULL && strstr(why, want) != NULL, "%s: refused: %s", name,
	    why);
	tap_ok(b0 != NULL && b1 != NULL && n0 == n1 && memcmp(b0, b1, n0) == 0,
	    "%s: not a byte changed", name);
	snprintf(j, sizeof(j), "%s-wal", file);
	tap_ok(access(j, F_OK) != 0, "%s: no WAL file made", name);
	db_close(d, NULL);
	free(b0);
	free(b1);
}

static void
sqlite_file(const char *file, const char *sql)
{
	sqlite3 *h;

	if (sqlite3_open(file, &h) != SQLITE_OK ||
	    sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
		printf("# %s: %s\n", file, sqlite3_errmsg(h));
	sqlite3_close(h);
}

static void
foreign(void)
{
	char f[300];
	FILE *fp;

	snprintf(f, sizeof(f), "%s/text.db", dir);
	fp = fopen(f, "w");
	fputs("id,ts\n1,2\n", fp);
	fclose(fp);
	refused(f, "not an SQLite database", "a CSV file");
	snprintf(f, sizeof(f), "%s/other.db", dir);
	sqlite_file(f,
	    "CREATE TABLE events (id TEXT, n INTEGER);"
	    "INSERT INTO events VALUES ('a', 1)");
	refused(f, "not a logbook database", "another schema");
	snprintf(f, sizeof(f), "%s/app.db", dir);
	sqlite_file(f, "PRAGMA application_id = 42");
	refused(f, "another application", "another application_id");
	snprintf(f, sizeof(f), "%s/newer.db", dir);
	sqlite_file(f,
	    "PRAGMA application_id = 1819240290;"
	    "CREATE TABLE schema_version (version INTEGER "
	    "PRIMARY KEY, applied_at TEXT NOT NULL);"
	    "INSERT INTO schema_version VALUES (3, 'x')");
	refused(f, "newer", "a newer schema version");
	snprintf(f, sizeof(f), "%s/damaged.db", dir);
	sqlite_file(f,
	    "PRAGMA application_id = 1819240290;"
	    "CREATE TABLE schema_version (version INTEGER "
	    "PRIMARY KEY, applied_at TEXT NOT NULL);"
	    "INSERT INTO schema_version VALUES (1, 'x');"
	    "CREATE TABLE events (id TEXT)");
	refused(f, "damaged", "ours, version 1, with a table changed");
	snprintf(f, sizeof(f), "%s/damaged2.db", dir);
	sqlite_file(f,
	    "PRAGMA application_id = 1819240290;"
	    "CREATE TABLE schema_version (version INTEGER "
	    "PRIMARY KEY, applied_at TEXT NOT NULL);"
	    "INSERT INTO schema_version VALUES (2, 'x');"
	    "CREATE TABLE events (id TEXT)");
	refused(f, "damaged", "ours, version 2, with a table changed");
}

int
main(void)
{
	struct db *d;
	const char *why = "";
	char cmd[300];

	if (mkdtemp(dir) == NULL)
		lb_err(1, "mkdtemp");
	snprintf(path, sizeof(path), "%s/r.db", dir);
	/* A new database is built aside and appears, whole, at its close. */
	d = db_open(path, 5000, &why);
	tap_ok(d != NULL, "a new database is created: %s", why);
	if (d == NULL)
		return 1;
	tap_ok(db_is_new(d) && access(path, F_OK) < 0,
	    "a new database is not in place before its close");
	tap_ok(db_close(d, NULL) == 0 && access(path, F_OK) == 0,
	    "a new database is in place once closed");
	d = db_open(path, 5000, &why);
	tap_ok(d != NULL && !db_is_new(d), "the new database opens: %s", why);
	if (d == NULL)
		return 1;
	fresh_and_types(d);
	again_and_late(d);
	rollback(d);
	changed(d);
	bad_hourly(d);
	events_alone(d);
	tap_ok(db_close(d, NULL) == 0, "closed");
	d = db_open(path, 5000, &why);
	tap_ok(d != NULL, "our database opens again: %s", why);
	db_close(d, NULL);
	foreign();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done() || tap_failed;
}
