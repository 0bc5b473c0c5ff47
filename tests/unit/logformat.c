/*
 * Unit tests: LogFormat compilation, line matching, the event written for
 * a line, and the line rebuilt from that event (byte for byte).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "logformat.h"
#include "tap.h"

/* Event JSON for line in format, with a fixed id, or NULL if rejected. */
static char *
ingest(const struct logformat *f, const char *line, struct lf_fail *e)
{
	static const char id[] = "20000101T000000-0000000000000000";
	struct rec r;
	struct evmeta m = { id, NULL, 0, NULL, 0 };
	struct obuf ob;
	char *s;

	if (lf_match(f, line, strlen(line), &r, e) < 0)
		return NULL;
	m.fmt = f->name;
	ob_init(&ob, -1);
	event_write(&ob, &r, f, &m, line, strlen(line));
	s = strndup(ob.buf, ob.len);
	ob_free(&ob);
	return s;
}

/* The line rebuilt from an event, through the JSON reader. */
static void
rebuild(const char *json, const char *line)
{
	struct event ev;
	struct obuf ob;
	const char *why = "";

	event_init(&ev);
	ob_init(&ob, -1);
	if (event_read(&ev, json, strlen(json) - 1, &why) < 0 ||
	    event_line(&ob, &ev, &why) < 0)
		tap_ok(0, "rebuild: %s", why);
	else
		tap_mem(ob.buf, ob.len, line, "rebuilt line is identical");
	ob_free(&ob);
	event_free(&ev);
}

/* fmt by name, or compiled into c; NULL (a test failed) if neither. */
static const struct logformat *
format_of(const char *fmt, struct logformat *c)
{
	const struct logformat *f = lf_named(fmt);
	char err[256];

	if (f != NULL)
		return f;
	if (lf_compile(c, NULL, fmt, err, sizeof(err)) < 0) {
		tap_ok(0, "compile %s: %s", fmt, err);
		return NULL;
	}
	return c;
}

/* want: fragments the event JSON must contain. */
static void
accept(const char *fmt, const char *line, const char *const *want)
{
	struct logformat c;
	const struct logformat *f = format_of(fmt, &c);
	struct lf_fail e;
	char *json;

	if (f == NULL)
		return;
	if ((json = ingest(f, line, &e)) == NULL) {
		tap_ok(0, "accepts [%s]: byte %zu: %s", line, e.at, e.why);
		return;
	}
	for (; *want != NULL; want++)
		if (strstr(json, *want) == NULL)
			break;
	tap_ok(*want == NULL, "[%s] has %s", line, *want ? *want : "all");
	if (*want != NULL)
		printf("#   event %s", json);
	rebuild(json, line);
	free(json);
	if (f == &c)
		lf_free(&c);
}

static void
reject(const char *fmt, const char *line, const char *why)
{
	struct logformat c;
	const struct logformat *f = format_of(fmt, &c);
	struct lf_fail e;
	char *json;

	if (f == NULL)
		return;
	json = ingest(f, line, &e);
	tap_ok(json == NULL && strcmp(e.why, why) == 0,
	    "%s rejects [%s]: %s (got %s)", fmt, line, why,
	    json ? "accepted" : e.why);
	free(json);
	if (f == &c)
		lf_free(&c);
}

#define W(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define L1 "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "

static void
named(void)
{
	accept("common", L1 "\"GET /apache_pb.gif HTTP/1.0\" 200 2326",
	    W("\"ts\":\"2000-10-10T20:55:36Z\",\"tz\":\"-0700\"",
	        "\"ip\":\"127.0.0.1\",\"ident\":null,\"user\":\"frank\"",
	        "\"method\":\"GET\",\"path\":\"/apache_pb.gif\",\"query\":null,"
	        "\"proto\":\"HTTP/1.0\",\"req\":null,\"status\":200,"
	        "\"bytes\":2326",
	        "\"fmt\":\"common\"}"));
	accept("common", L1 "\"-\" 408 -",
	    W("\"method\":null", "\"req\":null", "\"bytes\":null"));
	accept("common", L1 "\"\" 400 0", W("\"req\":\"\"", "\"bytes\":0"));
	accept("common", L1 "\"\\x16\\x03\\x01\" 400 226",
	    W("\"req\":\"\\\\x16\\\\x03\\\\x01\"", "\"method\":null"));
	accept("common", L1 "\"GET /ksc.html\" 200 7280",
	    W("\"path\":\"/ksc.html\"", "\"proto\":null"));
	accept("common", L1 "\"GET /a?b=1&c HTTP/1.1\" 200 1",
	    W("\"path\":\"/a\",\"query\":\"b=1&c\""));
	accept("common", L1 "\"GET /a? HTTP/1.1\" 200 1",
	    W("\"path\":\"/a\",\"query\":\"\""));
	accept("common", L1 "\"GET /x index HTTP/1.1\" 200 1",
	    W("\"path\":\"/x index\""));
	accept("common", L1 "\"GET /index.html HTT\" 200 1",
	    W("\"method\":\"GET\",\"path\":\"/index.html HTT\"",
	        "\"proto\":null,\"req\":null"));
	accept("common", L1 "\"lzh\\x81GET /m HTTP/1.1\" 200 1",
	    W("\"method\":null", "\"req\":\"lzh\\\\x81GET /m HTTP/1.1\""));
	accept("common", L1 "\"hello\" 400 1", W("\"req\":\"hello\""));
	accept("common", L1 "\"GET HTTP/1.1\" 400 1",
	    W("\"path\":\"HTTP/1.1\",\"query\":null,\"proto\":null"));
	accept("common", L1 "\"GET  /x HTTP/1.1\" 200 1",
	    W("\"req\":\"GET  /x HTTP/1.1\""));
	accept("combined",
	    L1 "\"GET / HTTP/1.1\" 200 1 \"-\" \"a \\\"b\\\" c\"",
	    W("\"referer\":null", "\"ua\":\"a \\\\\\\"b\\\\\\\" c\""));
	accept("combined", L1 "\"GET / HTTP/1.1\" 200 1 \"\" \"\"",
	    W("\"referer\":\"\"", "\"ua\":\"\""));
	accept("combined",
	    "10.0.0.2, 10.0.0.1, 127.0.0.1 - - "
	    "[07/Dec/2016:11:05:07 +0100] \"GET /o HTTP/1.1\" 200 5 \"-\" "
	    "\"x\"",
	    W("\"ip\":\"10.0.0.2, 10.0.0.1, 127.0.0.1\""));
	accept("combined", L1 "\"GET /\xff HTTP/1.1\" 200 1 \"-\" \"x\"",
	    W("\"path\":\"/\xef\xbf\xbd\"", "\"raw64\":\""));
	accept("common", L1 "\"GET / HTTP/1.1\" 200 0012",
	    W("\"bytes\":12", "\"raw64\":"));
	accept("vhost_combined",
	    "example.com:443 " L1 "\"GET / HTTP/2.0\" 304 - \"-\" \"curl\"",
	    W("\"host\":\"example.com\"", "\"x\":{\"%p\":\"443\"}"));
	accept("nginx",
	    "1.2.3.4 - - [13/Oct/2025:06:15:02 +0000] "
	    "\"GET / HTTP/1.1\" 200 5 \"-\" \"c\" 0.050",
	    W("\"rt\":0.050", "\"fmt\":\"nginx\""));
	accept("nginx_upstream",
	    "1.2.3.4 - - [13/Oct/2025:06:15:02 +0000] "
	    "\"GET / HTTP/1.1\" 200 5 \"-\" \"c\" 0.050 0.001, 0.048",
	    W("\"$upstream_response_time\":\"0.001, 0.048\""));
	accept("main",
	    "1.2.3.4 - - [13/Oct/2025:06:15:02 +0330] "
	    "\"GET / HTTP/1.1\" 200 5 \"-\" \"c\" \"-\"",
	    W("\"ts\":\"2025-10-13T02:45:02Z\"",
	        "\"x\":{\"$http_x_forwarded_for\":null}"));
	accept("combined_extra", L1 "\"GET / HTTP/1.1\" 200 1 \"-\" \"x\" 3210",
	    W("\"x\":{\"%{+}\":\"3210\"}"));
}

static void
custom(void)
{
	accept("%h %l %u %t \\\"%r\\\" %>s %b \\\"%{Referer}i\\\" "
	       "\\\"%{User-Agent}i\\\" %D",
	    L1 "\"GET / HTTP/1.1\" 200 1 \"-\" \"x\" 116075",
	    W("\"rt\":0.116075", "\"fmt\":\"%h %l"));
	accept("%h %t \"%m %U%q %H\" %s %B %T",
	    "::1 [10/Oct/2000:13:55:36 "
	    "-0700] \"GET /a?x=1 HTTP/1.1\" 200 0 2",
	    W("\"path\":\"/a\",\"query\":\"x=1\"", "\"rt\":2"));
	accept("%h %t \"%m %U%q %H\" %s %B %{ms}T",
	    "::1 [10/Oct/2000:13:55:36 "
	    "-0700] \"GET /a HTTP/1.1\" 200 0 5",
	    W("\"query\":null", "\"rt\":0.005"));
	accept("$remote_addr [$time_iso8601] \"$request\" $status "
	       "$body_bytes_sent $request_time \"$http_x_forwarded_for\"",
	    "1.2.3.4 [2025-10-13T08:15:02+02:00] \"GET / HTTP/1.1\" 200 5 "
	    "0.000 \"9.9.9.9\"",
	    W("\"ts\":\"2025-10-13T06:15:02Z\",\"tz\":\"+02:00\"",
	        "\"rt\":0.000"));
	accept("$msec $remote_addr \"$request_method $request_uri "
	       "$server_protocol\" $status",
	    "1760336102.123 1.2.3.4 "
	    "\"POST /api?q=1 HTTP/2.0\" 201",
	    W("\"ts\":\"2025-10-13T06:15:02.123Z\"", "\"query\":\"q=1\""));
	accept("$remote_addr [$time_local] [$a] [$b] $http_x_forwarded_for $u",
	    "1.2.3.4 [13/Oct/2025:06:15:02 +0000] [] [x y] 1.1.1.1, 2.2.2.2 -",
	    W("\"$a\":\"\"", "\"$b\":\"x y\"",
	        "\"$http_x_forwarded_for\":\"1.1.1.1, 2.2.2.2\""));
	accept("%v %h %l %u %t \"%r\" %>s %b",
	    "example.com 1.2.3.4 - - "
	    "[07/Feb/2011:10:59:59 +0900] \"GET / HTTP/1.1\" 200 1",
	    W("\"host\":\"example.com\""));
	accept("%h %l %u %t \"%r\" %>s %b %h",
	    L1 "\"GET / HTTP/1.1\" 200 1 "
	       "9.9.9.9",
	    W("\"ip\":\"127.0.0.1\"", "\"%h\":\"9.9.9.9\""));
}

static void
compile_errors(void)
{
	struct logformat f;
	char err[256];

	tap_ok(lf_compile(&f, NULL, "%h %l %u", err, sizeof(err)) < 0 &&
	        strstr(err, "no time") != NULL,
	    "format without time: %s", err);
	tap_ok(lf_compile(&f, NULL, "%t %Z", err, sizeof(err)) < 0 &&
	        strstr(err, "unknown directive: %Z") != NULL,
	    "unknown: %s", err);
	tap_ok(lf_compile(&f, NULL, "%t %h%u", err, sizeof(err)) < 0,
	    "adjacent fields: %s", err);
	tap_ok(lf_compile(&f, NULL, "%t %{Referer", err, sizeof(err)) < 0,
	    "unterminated brace: %s", err);
}

/* How often s is in the NULL-terminated list l. */
static int
count(const char *const *l, const char *s)
{
	int n = 0;

	for (; *l != NULL; l++)
		n += strcmp(*l, s) == 0;
	return n;
}

/* The table of named formats holds together. */
static void
table(void)
{
	const char *const *n;
	struct lf_kind k, h;
	int heads = 0;

	for (n = lf_names(); *n != NULL; n++) {
		tap_ok(lf_named(*n) != NULL && lf_kind(*n, &k) == 0,
		    "%s: named", *n);
		tap_ok(lf_kind(k.family, &h) == 0 &&
		        strcmp(h.family, k.family) == 0,
		    "%s: its family's head %s is a head", *n, k.family);
		heads += strcmp(k.family, *n) == 0;
		tap_ok(count(lf_heads(), *n) == (strcmp(k.family, *n) == 0),
		    "%s: listed once if a head, else not", *n);
		tap_ok(!k.yields || strcmp(k.family, *n) != 0,
		    "%s: only a variant yields", *n);
	}
	for (n = lf_heads(); *n != NULL; n++)
		heads--;
	tap_ok(heads == 0, "every listed name is a named format");
	tap_ok(lf_kind("auto", &k) < 0 && k.family == NULL &&
	        lf_named("auto") == NULL,
	    "auto is no named format");
}

/* Each thread is given the same compiled formats. */
static void *
lookup(void *arg)
{
	const char *const *n;
	const struct logformat **f = arg;

	for (n = lf_names(); *n != NULL; n++)
		*f++ = lf_named(*n);
	return NULL;
}

static void
threads(void)
{
	const struct logformat *got[4][16] = { { NULL } };
	const char *const *n;
	pthread_t th[4];
	int i, j, same = 1, started = 1;

	for (i = 0; i < 4; i++)
		started &= pthread_create(&th[i], NULL, lookup, got[i]) == 0;
	for (i = 0; i < 4 && started; i++)
		pthread_join(th[i], NULL);
	tap_ok(started, "threads started");
	for (n = lf_names(), j = 0; *n != NULL && j < 16; n++, j++)
		for (i = 0; i < 4; i++)
			same &= got[i][j] == lf_named(*n);
	tap_ok(started && same, "threads share the compiled formats");
}

int
main(void)
{
	threads();
	table();
	named();
	custom();
	compile_errors();
	reject("common", L1 "\"GET / HTTP/1.1\" 200", "line ends early");
	/* Apache writes an empty %q, never "-": a dash cannot come back. */
	reject("%h %t \"%q\" %s", "::1 [10/Oct/2000:13:55:36 -0700] \"-\" 200",
	    "bad query");
	reject("common", L1 "\"GET / HTTP/1.1 200 1",
	    "unterminated quoted "
	    "field");
	reject("common", "127.0.0.1 - - [10/Oct/2000:13:55:36 -0700]\"",
	    "expected");
	reject("common",
	    "127.0.0.1 - - [31/Feb/2000:13:55:36 -0700] "
	    "\"GET / HTTP/1.1\" 200 1",
	    "bad timestamp");
	reject("common", L1 "\"GET / HTTP/1.1\" 2000 1", "bad status");
	reject("common", L1 "\"GET / HTTP/1.1\" 200 x", "bad byte count");
	reject("common", L1 "\"GET / HTTP/1.1\" 200 1 extra", "bad byte count");
	reject("combined", L1 "\"GET / HTTP/1.1\" 200 1 \"-\" \"x\" \"y\"",
	    "text after the last field");
	reject("common", "- - - [-] \"-\" - -", "line ends early");
	reject(
	    "common", "- - - [10/Oct/2000:13:55:36 -0700] - - -", "expected");
	return tap_done() || tap_failed;
}
