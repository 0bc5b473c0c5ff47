/*
 * The report: a line per archive (OK path events=N, OK path rows=N for
 * a monthly archive, or FAIL path: check: detail) and a total; or with --json
 * an object per archive and one for the total.  Archive bytes in details are
 * escaped.
 */
#include <string.h>
#include <unistd.h>

#include "archfmt.h"
#include "check.h"
#include "diag.h"
#include "json.h"

static void
put(struct obuf *ob, const char *s)
{
	ob_write(ob, s, strlen(s));
}

/* A path or archive text, whole, with its control bytes escaped. */
static void
putesc(struct obuf *ob, const char *s)
{
	size_t n = strlen(s);
	char *o = ob_reserve(ob, 4 * n);

	ob->len += lb_escbuf(o, s, n);
}

static void
key(struct obuf *ob, const char *k)
{
	ob_putc(ob, ',');
	json_str(ob, k, strlen(k));
	ob_putc(ob, ':');
}

static void
num(struct obuf *ob, const char *k, uint64_t v)
{
	key(ob, k);
	ob_u64(ob, v);
}

static void
str(struct obuf *ob, const char *k, const char *v)
{
	key(ob, k);
	json_str(ob, v, strlen(v));
}

/* The manifest's day, or month of a monthly archive, and its counts. */
static void
manifest_json(struct obuf *ob, const struct verify_result *res)
{
	char date[ARCH_DATELEN + 1];

	if (res->monthly)
		str(ob, "month", res->month);
	else {
		arch_date(date, res->manifest.day);
		str(ob, "date", date);
	}
	num(ob, "events", res->manifest.events);
	num(ob, "hourly_rows", res->manifest.hourly_rows);
}

static void
json_line(struct run *r, const char *path, const struct verify_result *res)
{
	struct obuf *ob = &r->out;

	ob_lit(ob, "{\"path\":");
	json_str(ob, path, strlen(path));
	key(ob, "ok");
	put(ob, res->check == NULL ? "true" : "false");
	if (res->have_manifest)
		manifest_json(ob, res);
	if (res->check == NULL) {
		num(ob, "size", res->size);
		str(ob, "sha256", res->sha256);
	} else {
		str(ob, "check", res->check);
		str(ob, "detail", res->detail);
	}
	ob_lit(ob, "}\n");
}

void
report(struct run *r, const char *path, const struct verify_result *res)
{
	struct obuf *ob = &r->out;

	if (r->quiet && res->check == NULL)
		return;
	if (r->json)
		json_line(r, path, res);
	else if (res->check == NULL) {
		ob_lit(ob, "OK ");
		putesc(ob, path);
		if (res->monthly) {
			ob_lit(ob, " rows=");
			ob_u64(ob, res->manifest.hourly_rows);
		} else {
			ob_lit(ob, " events=");
			ob_u64(ob, res->events);
		}
		ob_putc(ob, '\n');
	} else {
		ob_lit(ob, "FAIL ");
		putesc(ob, path);
		ob_lit(ob, ": ");
		put(ob, res->check);
		ob_lit(ob, ": ");
		putesc(ob, res->detail);
		ob_putc(ob, '\n');
	}
	(void)ob_flush(ob); /* a line per archive as it is done */
}

static void
count(struct obuf *ob, uint64_t v, const char *what)
{
	ob_u64(ob, v);
	put(ob, what);
}

static void
total_json(struct run *r, int expect_ok)
{
	struct obuf *ob = &r->out;

	ob_lit(ob, "{\"total\":true,\"ok\":");
	put(ob,
	    r->failed == 0 && r->errors == 0 && expect_ok && r->archives > 0
	        ? "true"
	        : "false");
	num(ob, "archives", r->archives);
	num(ob, "passed", r->ok);
	num(ob, "failed", r->failed);
	num(ob, "events", r->events);
	if (r->expect_set)
		num(ob, "expect", r->expect);
	ob_lit(ob, "}\n");
}

void
report_total(struct run *r)
{
	struct obuf *ob = &r->out;
	int expect_ok = !r->expect_set || r->expect == r->events;

	if (r->json) {
		total_json(r, expect_ok);
		return;
	}
	if (!expect_ok) {
		ob_lit(ob, "FAIL total: expect: ");
		ob_u64(ob, r->events);
		ob_lit(ob, " events in the archives that passed, ");
		ob_u64(ob, r->expect);
		ob_lit(ob, " expected\n");
	}
	if (r->quiet && r->failed == 0 && expect_ok)
		return;
	ob_lit(ob, "total: ");
	count(ob, r->archives, " archives, ");
	count(ob, r->ok, " ok, ");
	count(ob, r->failed, " failed, ");
	count(ob, r->events, " events\n");
}
