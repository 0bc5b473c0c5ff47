/* Unit tests: JSON string output, object reading, unescaping. */
#include <string.h>

#include "json.h"
#include "obuf.h"
#include "tap.h"

static void
out(const char *in, size_t n, const char *want, int wantbad, const char *name)
{
	struct obuf ob;
	int bad;

	ob_init(&ob, -1);
	bad = json_str(&ob, in, n);
	tap_mem(ob.buf, ob.len, want, name);
	tap_ok(bad == wantbad, "%s: %d invalid bytes (got %d)", name, wantbad,
	    bad);
	ob_free(&ob);
}

static void
writing(void)
{
	out("abc", 3, "\"abc\"", 0, "plain");
	out("a\"b\\c", 5, "\"a\\\"b\\\\c\"", 0, "quote and backslash");
	out("\n\r\t\x01\x1f\x7f", 6, "\"\\n\\r\\t\\u0001\\u001f\\u007f\"", 0,
	    "control bytes");
	out("a\0b", 3, "\"a\\u0000b\"", 0, "NUL");
	out("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"", 0, "valid UTF-8 kept");
	out("\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"", 0, "4-byte UTF-8");
	out("x\xffy", 3, "\"x\xef\xbf\xbdy\"", 1, "invalid byte");
	out("\xc3", 1, "\"\xef\xbf\xbd\"", 1, "truncated sequence");
	out("\xed\xa0\x80", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", 3,
	    "encoded surrogate is invalid");
	out("\xc0\xaf", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"", 2, "overlong");
	out("\xf4\x90\x80\x80", 4,
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", 4,
	    "above U+10FFFF");
}

static void
reading(void)
{
	const char *s = " {\"a\": \"x\\ny\", \"b\":12.5e3 ,\"c\":null,"
	                "\"d\":{\"e\":[1,{}]},\"f\":true} ";
	struct jobj o;
	struct jval k, v;
	char buf[16];
	int n = 0, rc;

	tap_ok(json_obj_begin(&o, s, strlen(s)) == 0, "object begins");
	while ((rc = json_obj_next(&o, &k, &v)) == 1)
		n++;
	tap_ok(rc == 0 && n == 5 && json_obj_end(&o) == 0, "five members");
	json_obj_begin(&o, s, strlen(s));
	json_obj_next(&o, &k, &v);
	tap_ok(json_keyeq(&k, "a") && v.type == J_STR && v.esc, "string a");
	tap_mem(buf, json_unescape(buf, v.p, v.n), "x\ny", "unescape");
	tap_mem(buf, json_unescape(buf, "\\u00e9\\ud83d\\ude00\\udc00", 24),
	    "\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbd", "unicode escapes");
}

static void
bad(const char *s)
{
	struct jobj o;
	struct jval k, v;
	int rc = -1;

	if (json_obj_begin(&o, s, strlen(s)) == 0) {
		while ((rc = json_obj_next(&o, &k, &v)) == 1)
			;
		if (rc == 0)
			rc = json_obj_end(&o);
	}
	tap_ok(rc < 0, "rejects %s", s);
}

int
main(void)
{
	writing();
	reading();
	bad("");
	bad("[1]");
	bad("{\"a\":}");
	bad("{\"a\":1,}");
	bad("{\"a\" 1}");
	bad("{\"a\":01}");
	bad("{\"a\":\"\\x\"}");
	bad("{\"a\":\"\t\"}");
	bad("{\"a\":1} x");
	bad("{\"a\":tru}");
	bad("{\"a\":\"unterminated}");
	bad("{\"a\":[1,2}");
	return tap_done() || tap_failed;
}
