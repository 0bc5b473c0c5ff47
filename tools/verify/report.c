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
manifest_json(struct obuf *ob, const struct manifest *m)
{
	char date[ARCH_DATELEN + 1];

	arch_date(date, m->day);
	key(ob, "date");
	json_str(ob, date, strlen(date));
	key(ob, "events");
	ob_u64(ob, m->events);
	key(ob, "hourly_rows");
	ob_u64(ob, m->hourly_rows);
}

static void
json_line(struct run *r, const char *path, const struct verify_result *res)
{
	struct obuf *ob = &r->out;

	ob_lit(ob, "{\"path\":");
	json_str(ob, path, strlen(path));
	key(ob, "ok");
	put(ob, res->check == NULL ? "true" : "false");
	if (res->have_manifest && res->monthly) {
		key(ob, "month");
		json_str(ob, res->month, strlen(res->month));
		key(ob, "events");
		ob_u64(ob, res->manifest.events);
		key(ob, "hourly_rows");
		ob_u64(ob, res->manifest.hourly_rows);
	} else if (res->have_manifest)
		manifest_json(ob, &res->manifest);
	if (res->check == NULL) {
		key(ob, "size");
		ob_u64(ob, res->size);
		key(ob, "sha256");
		json_str(ob, res->sha256, strlen(res->sha256));
	} else {
		key(ob, "check");
		json_str(ob, res->check, strlen(res->check));
		key(ob, "detail");
		json_str(ob, res->detail, strlen(res->detail));
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
total_json(struct run *r, int expect_ok)
{
	struct obuf *ob = &r->out;

	ob_lit(ob, "{\"total\":true,\"ok\":");
	put(ob,
	    r->failed == 0 && r->errors == 0 && expect_ok && r->archives > 0
	        ? "true"
	        : "false");
	key(ob, "archives");
	ob_u64(ob, r->archives);
	key(ob, "passed");
	ob_u64(ob, r->ok);
	key(ob, "failed");
	ob_u64(ob, r->failed);
	key(ob, "events");
	ob_u64(ob, r->events);
	if (r->expect_set) {
		key(ob, "expect");
		ob_u64(ob, r->expect);
	}
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
	ob_u64(ob, r->archives);
	ob_lit(ob, " archives, ");
	ob_u64(ob, r->ok);
	ob_lit(ob, " ok, ");
	ob_u64(ob, r->failed);
	ob_lit(ob, " failed, ");
	ob_u64(ob, r->events);
	ob_lit(ob, " events\n");
}
