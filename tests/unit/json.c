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
	out("\n\r\t\x01\x1f\x7f", 6, "\"\\n\\r\\t\\u0001\\u001f\x7f\"", 0,
	    "control bytes (DEL needs no escape)");
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

/* The plain byte-at-a-time rule, to check the vectorised writer. */
static size_t
reference(char *o, const unsigned char *p, size_t n)
{
	size_t i, k = 0, len;

	o[k++] = '"';
	for (i = 0; i < n; i++) {
		if (p[i] == '"' || p[i] == '\\') {
			o[k++] = '\\';
			o[k++] = (char)p[i];
		} else if (p[i] == '\n' || p[i] == '\r' || p[i] == '\t') {
			o[k++] = '\\';
			o[k++] = p[i] == '\n' ? 'n' : p[i] == '\r' ? 'r' : 't';
		} else if (p[i] < 0x20)
			k += (size_t)sprintf(o + k, "\\u%04x", p[i]);
		else if (p[i] < 0x80)
			o[k++] = (char)p[i];
		else if (p[i] == 0xc3 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0xbf) {
			o[k++] = (char)p[i++];
			o[k++] = (char)p[i];
		} else {
			memcpy(o + k, "\xef\xbf\xbd", 3);
			k += 3;
		}
	}
	o[k++] = '"';
	len = k;
	return len;
}

/* Random strings of every length up to 100 against the reference. */
static void
randomised(void)
{
	static const unsigned char alphabet[] =
	    "ab\"\\\x01\n\x7f\xc3\xa9\xff/ ";
	unsigned char in[100];
	char want[700];
	struct obuf ob;
	unsigned long x = 12345;
	size_t n, i, wn;
	int t, bad = 0;

	ob_init(&ob, -1);
	for (t = 0; t < 3000; t++) {
		n = (size_t)t % 101;
		for (i = 0; i < n; i++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			/* Mostly plain text, so long plain runs occur. */
			in[i] = (x >> 60) < 12
			    ? 'a'
			    : alphabet[(x >> 33) % (sizeof(alphabet) - 1)];
		}
		ob.len = 0;
		json_str(&ob, (const char *)in, n);
		wn = reference(want, in, n);
		if (ob.len != wn || memcmp(ob.buf, want, wn) != 0)
			bad++;
	}
	tap_ok(bad == 0,
	    "3000 random strings match the byte-at-a-time rule "
	    "(%d differ)",
	    bad);
	ob_free(&ob);
}

int
main(void)
{
	writing();
	randomised();
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
