/*
 * Unit test: events back to text (lib/emit.h): the original line, other
 * formats with their time zones and units, the exact bytes of a raw64
 * event in another format, CSV nulls and quoting.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emit.h"
#include "tap.h"

/* nginx $time_iso8601 at -03:30, with $request_time. */
static const char ev_iso[] =
    "{\"id\":\"20251013T123000-0000000000000001\",\"ts\":\"2025-10-13T12:30:"
    "00Z\",\"tz\":\"-03:30\",\"ip\":\"10.0.0.1\",\"ident\":null,\"user\":"
    "null,\"method\":\"GET\",\"path\":\"/x\",\"query\":\"\",\"proto\":"
    "\"HTTP/1.1\",\"req\":null,\"status\":200,\"bytes\":7,\"referer\":"
    "null,\"ua\":\"\",\"rt\":0.116,\"host\":null,\"src\":null,\"fmt\":"
    "\"$remote_addr - $remote_user [$time_iso8601] \\\"$request\\\" $status "
    "$body_bytes_sent \\\"$http_referer\\\" \\\"$http_user_agent\\\" "
    "$request_time\"}";

/* vhost_combined, CR LF, a byte that is not UTF-8: raw64 gives it. */
static const char ev_raw[] =
    "{\"id\":\"20251014T065959-1266446652b3d83f\",\"ts\":\"2025-10-14T06:"
    "59:59Z\",\"tz\":\"-0700\",\"ip\":\"192.0.2.9\",\"ident\":null,"
    "\"user\":null,\"method\":\"GET\",\"path\":\"/v\xef\xbf\xbd\",\"query\":"
    "null,\"proto\":\"HTTP/1.1\",\"req\":null,\"status\":200,\"bytes\":5,"
    "\"referer\":null,\"ua\":\"x\",\"rt\":null,\"host\":\"www.example."
    "com\",\"src\":null,\"fmt\":\"vhost_combined\",\"x\":{\"%p\":\"443\"},"
    "\"cr\":true,\"raw64\":\"d3d3LmV4YW1wbGUuY29tOjQ0MyAxOTIuMC4yLjkgLSAt"
    "IFsxMy9PY3QvMjAyNToyMzo1OTo1OSAtMDcwMF0gIkdFVCAvduQgSFRUUC8xLjEiIDIw"
    "MCA1ICItIiAieCIN\"}";

static struct obuf ob;

/* The output of one event line in one format, as a C string. */
static const char *
out(const char *fmt, const char *line)
{
	static char buf[4096];
	struct emit *e = emit_new(fmt, &ob);
	const char *why = "";

	ob.len = 0;
	if (e == NULL)
		return "(no such format)";
	if (strcmp(fmt, "csv") == 0)
		ob.len = 0; /* the header */
	if (emit_line(e, line, strlen(line), &why) < 0)
		snprintf(buf, sizeof(buf), "(error: %s)", why);
	else
		snprintf(buf, sizeof(buf), "%.*s", (int)ob.len, ob.buf);
	emit_free(e);
	return buf;
}

static void
want(const char *fmt, const char *line, const char *w, const char *name)
{
	const char *got = out(fmt, line);

	tap_mem(got, strlen(got), w, name);
}

int
main(void)
{
	ob_init(&ob, -1);
	want("original", ev_iso,
	    "10.0.0.1 - - [2025-10-13T09:00:00-03:30] \"GET /x? HTTP/1.1\" "
	    "200 7 \"-\" \"\" 0.116\n",
	    "original: the ISO time at its own offset, rt as written");
	want("combined", ev_iso,
	    "10.0.0.1 - - [13/Oct/2025:09:00:00 -0330] \"GET /x? HTTP/1.1\" "
	    "200 7 \"-\" \"\"\n",
	    "combined: -03:30 becomes -0330, local time kept");
	want("nginx", ev_iso,
	    "10.0.0.1 - - [13/Oct/2025:09:00:00 -0330] \"GET /x? HTTP/1.1\" "
	    "200 7 \"-\" \"\" 0.116\n",
	    "nginx: request time in seconds");
	want("original", ev_raw,
	    "www.example.com:443 192.0.2.9 - - [13/Oct/2025:23:59:59 -0700] "
	    "\"GET /v\xe4 HTTP/1.1\" 200 5 \"-\" \"x\"\r\n",
	    "original: raw64 gives the bytes back, CR included");
	want("common", ev_raw,
	    "192.0.2.9 - - [13/Oct/2025:23:59:59 -0700] \"GET /v\xe4 "
	    "HTTP/1.1\" 200 5\n",
	    "common from raw64: the byte that is not UTF-8 kept, no CR");
	want("vhost_combined", ev_raw,
	    "www.example.com:443 192.0.2.9 - - [13/Oct/2025:23:59:59 -0700] "
	    "\"GET /v\xe4 HTTP/1.1\" 200 5 \"-\" \"x\"\n",
	    "vhost_combined from raw64: the port from its own extras");
	want("csv", ev_iso,
	    "\"20251013T123000-0000000000000001\",\"2025-10-13T12:30:00Z\","
	    "\"-03:30\",\"10.0.0.1\",,,\"GET\",\"/x\",\"\",\"HTTP/1.1\",,200,"
	    "7,,\"\",0.116,,,\"$remote_addr - $remote_user [$time_iso8601] "
	    "\"\"$request\"\" $status $body_bytes_sent \"\"$http_referer\"\" "
	    "\"\"$http_user_agent\"\" $request_time\",,0,\r\n",
	    "csv: null empty, empty string \"\", quotes doubled, rt as "
	    "written");
	want("ndjson", "{\"id\":1}", "{\"id\":1}\n", "ndjson: as it came");
	want("xml", ev_iso, "(no such format)", "an unknown format");
	tap_ok(strstr(out("original", "{\"ts\":1}"), "(error") != NULL,
	    "not an event: an error");
	ob_free(&ob);
	return tap_done() || tap_failed;
}
