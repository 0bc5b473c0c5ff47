/* JSON strings out, flat JSON objects in. */
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "hex.h"
#include "jscan.h"
#include "json.h"

/*
 * Byte classes for string output: 0 copies as is, 1 needs an escape,
 * 2 starts a multi-byte sequence that must be checked.  Only what JSON
 * requires is escaped (DEL is not), and the vector scans below agree.
 */
/* clang-format off */
static const unsigned char jclass[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};
/* clang-format on */

/* Length of the valid UTF-8 sequence at p, or 0 (RFC 3629 table 3-7). */
size_t
utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		lo = c == 0xe0 ? 0xa0 : 0x80;
		hi = c == 0xed ? 0x9f : 0xbf;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		lo = c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xf4 ? 0x8f : 0xbf;
	} else
		return 0;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = utf8_seq(p + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

/*
 * How many bytes at p need neither an escape nor a UTF-8 check: sixteen
 * (SSE2) or eight at a time while none is a quote, a backslash, a
 * control or a high byte.  Strings are most of an event's bytes.
 */
static size_t
plain_len(const unsigned char *p, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(0x20);
	__m128i v, m;

	/* Signed compare: bytes >= 0x80 are negative, below 0x20 too. */
	for (; n - i >= 16; i += 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
		                     _mm_cmpeq_epi8(v, bslash)),
		    _mm_cmplt_epi8(v, space));
		if (_mm_movemask_epi8(m) != 0)
			break;
	}
	/* The tail: the last sixteen bytes again, overlapping. */
	if (i < n && n >= 16 && n - i < 16) {
		v = _mm_loadu_si128(
		    (const __m128i *)(const void *)(p + n - 16));
		m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
		                     _mm_cmpeq_epi8(v, bslash)),
		    _mm_cmplt_epi8(v, space));
		if (_mm_movemask_epi8(m) == 0)
			return n;
	}
#else
	const uint64_t ones = UINT64_C(0x0101010101010101);
	const uint64_t highs = UINT64_C(0x8080808080808080);
	uint64_t w, q, b, m;

	for (; n - i >= 8; i += 8) {
		memcpy(&w, p + i, 8);
		q = w ^ (ones * '"');
		b = w ^ (ones * '\\');
		m = (((q - ones) & ~q) | ((b - ones) & ~b) |
		        ((w - ones * 0x20) & ~w) | w) &
		    highs;
		if (m != 0)
			break;
	}
#endif
	while (i < n && jclass[p[i]] == 0)
		i++;
	return i;
}

/* One byte that JSON must escape, at o; returns the end. */
static char *
esc_byte(char *o, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	static const char two[256] = { ['"'] = '"',
		['\\'] = '\\',
		['\n'] = 'n',
		['\r'] = 'r',
		['\t'] = 't' };

	*o++ = '\\';
	if (two[c] != 0) {
		*o++ = two[c];
		return o;
	}
	memcpy(o, "u00", 3);
	o[3] = hex[c >> 4];
	o[4] = hex[c & 15];
	return o + 5;
}

/*
 * The quoted JSON string of n bytes of s, written at o, which has room
 * for JSON_STR_MAX(n) bytes; returns the end.  A byte that is not part
 * of valid UTF-8 becomes U+FFFD and is counted in *bad, so a caller that
 * must stay lossless can keep the original bytes elsewhere.
 */
char *
json_put(char *o, const char *s, size_t n, int *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run, k;

	*o++ = '"';
	while (i < n) {
		run = i + plain_len(p + i, n - i);
		memcpy(o, p + i, run - i);
		o += run - i;
		if ((i = run) == n)
			break;
		if (jclass[p[i]] == 1) {
			o = esc_byte(o, p[i++]);
			continue;
		}
		if ((k = utf8_seq(p + i, n - i)) == 0) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			(*bad)++;
			i++;
			continue;
		}
		memcpy(o, p + i, k);
		o += k;
		i += k;
	}
	*o++ = '"';
	return o;
}

/* json_put into an obuf; returns the count of invalid bytes. */
int
json_str(struct obuf *ob, const char *s, size_t n)
{
	char *o = ob_reserve(ob, JSON_STR_MAX(n));
	int bad = 0;

	ob->len = (size_t)(json_put(o, s, n, &bad) - ob->buf);
	return bad;
}

/* A string known to need no escapes (ids, timestamps, format names). */
void
json_str_ascii(struct obuf *ob, const char *s, size_t n)
{
	char *o = ob_reserve(ob, n + 2);

	o[0] = '"';
	memcpy(o + 1, s, n);
	o[n + 1] = '"';
	ob->len += n + 2;
}

/* Reading. */

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static const char *
scan_string(const char *p, const char *end, struct jval *v)
{
	const char *s = ++p;

	v->esc = 0;
	for (; (p = json_special(p, end)) < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"') {
			v->type = J_STR;
			v->p = s;
			v->n = (size_t)(p - s);
			return p + 1;
		}
		if (c < 0x20)
			return NULL;
		if (c != '\\')
			continue;
		v->esc = 1;
		if (++p == end)
			return NULL;
		if (*p == 'u') {
			if (end - p < 5 || hex_digit(p[1]) < 0 ||
			    hex_digit(p[2]) < 0 || hex_digit(p[3]) < 0 ||
			    hex_digit(p[4]) < 0)
				return NULL;
			p += 4;
		} else if (strchr("\"\\/bfnrt", *p) == NULL || *p == '\0')
			return NULL;
	}
	return NULL;
}

static const char *
scan_digits(const char *p, const char *end)
{
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p;
}

static const char *
scan_number(const char *p, const char *end, struct jval *v)
{
	const char *s = p, *q;

	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if ((q = scan_digits(p, end)) == p)
		return NULL;
	else
		p = q;
	if (p < end && *p == '.') {
		if ((q = scan_digits(p + 1, end)) == p + 1)
			return NULL;
		p = q;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if ((q = scan_digits(p, end)) == p)
			return NULL;
		p = q;
	}
	v->type = J_NUM;
	v->p = s;
	v->n = (size_t)(p - s);
	return p;
}

static const char *scan_value(const char *, const char *, struct jval *, int);

/* Skip a nested object or array, checking it as we go. */
static const char *
scan_nested(const char *p, const char *end, int depth)
{
	char close = *p == '{' ? '}' : ']';
	int obj = *p == '{', first = 1;
	struct jval k, v;

	if (depth > 32)
		return NULL;
	for (p = skip_ws(p + 1, end);; first = 0) {
		if (p < end && *p == close && first)
			return p + 1;
		if (obj) {
			if (p >= end || *p != '"' ||
			    (p = scan_string(p, end, &k)) == NULL)
				return NULL;
			p = skip_ws(p, end);
			if (p >= end || *p++ != ':')
				return NULL;
		}
		if ((p = scan_value(skip_ws(p, end), end, &v, depth + 1)) ==
		    NULL)
			return NULL;
		p = skip_ws(p, end);
		if (p < end && *p == close)
			return p + 1;
		if (p >= end || *p++ != ',')
			return NULL;
		p = skip_ws(p, end);
	}
}

static const char *
scan_word(
    const char *p, const char *end, const char *w, enum jtype t, struct jval *v)
{
	size_t n = strlen(w);

	if ((size_t)(end - p) < n || memcmp(p, w, n) != 0)
		return NULL;
	v->type = t;
	v->p = p;
	v->n = n;
	return p + n;
}

static const char *
scan_value(const char *p, const char *end, struct jval *v, int depth)
{
	const char *q;

	if (p >= end)
		return NULL;
	switch (*p) {
	case '"':
		return scan_string(p, end, v);
	case '{':
	case '[':
		if ((q = scan_nested(p, end, depth)) == NULL)
			return NULL;
		v->type = *p == '{' ? J_OBJ : J_ARR;
		v->p = p;
		v->n = (size_t)(q - p);
		return q;
	case 'n':
		return scan_word(p, end, "null", J_NULL, v);
	case 't':
		return scan_word(p, end, "true", J_TRUE, v);
	case 'f':
		return scan_word(p, end, "false", J_FALSE, v);
	default:
		return scan_number(p, end, v);
	}
}

const char json_not_object[] = "not a JSON object";

/*
 * The reason a line is bad, as the readers of events and rows say it:
 * when the first line of an input is not JSON at all, the input is most
 * likely a log that was never turned into events.
 */
const char *
json_line_why(const char *why, uint64_t lineno)
{
	if (lineno == 1 && strcmp(why, json_not_object) == 0)
		return "not a JSON object: a log, not events? pipe it "
		       "through logbook-ingest first";
	return why;
}

int
json_obj_begin(struct jobj *o, const char *p, size_t n)
{
	o->end = p + n;
	o->first = 1;
	o->err = NULL;
	o->p = skip_ws(p, o->end);
	if (o->p >= o->end || *o->p != '{') {
		o->err = json_not_object;
		return -1;
	}
	o->p = skip_ws(o->p + 1, o->end);
	return 0;
}

/* The next member: 1 with key and value, 0 at the closing brace, -1. */
int
json_obj_next(struct jobj *o, struct jval *key, struct jval *val)
{
	const char *p = o->p, *end = o->end;

	if (o->err != NULL)
		return -1;
	if (p < end && *p == '}' && o->first) {
		o->p = p + 1;
		return 0;
	}
	if (!o->first) {
		if (p < end && *p == '}') {
			o->p = p + 1;
			return 0;
		}
		if (p >= end || *p != ',')
			goto bad;
		p = skip_ws(p + 1, end);
	}
	o->first = 0;
	if (p >= end || *p != '"' || (p = scan_string(p, end, key)) == NULL)
		goto bad;
	p = skip_ws(p, end);
	if (p >= end || *p != ':')
		goto bad;
	if ((p = scan_value(skip_ws(p + 1, end), end, val, 0)) == NULL)
		goto bad;
	o->p = skip_ws(p, end);
	return 1;
bad:
	o->err = "malformed JSON";
	return -1;
}

/* After the closing brace only white space may follow. */
int
json_obj_end(struct jobj *o)
{
	if (skip_ws(o->p, o->end) != o->end) {
		o->err = "text after the JSON object";
		return -1;
	}
	return 0;
}

static size_t
put_utf8(char *d, uint32_t c)
{
	if (c < 0x80) {
		d[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		d[0] = (char)(0xc0 | c >> 6);
		d[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		d[0] = (char)(0xe0 | c >> 12);
		d[1] = (char)(0x80 | (c >> 6 & 0x3f));
		d[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	d[0] = (char)(0xf0 | c >> 18);
	d[1] = (char)(0x80 | (c >> 12 & 0x3f));
	d[2] = (char)(0x80 | (c >> 6 & 0x3f));
	d[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static uint32_t
hex4(const char *p)
{
	/* The scan has checked the digits; unsigned, so a slip is no UB. */
	return (uint32_t)hex_digit(p[0]) << 12 |
	    (uint32_t)hex_digit(p[1]) << 8 | (uint32_t)hex_digit(p[2]) << 4 |
	    (uint32_t)hex_digit(p[3]);
}

/*
 * Decode the escapes of a string already checked by the scanner into d,
 * which has room for n bytes (decoding never grows a string).  A lone
 * surrogate becomes U+FFFD.
 */
size_t
json_unescape(char *d, const char *s, size_t n)
{
	size_t i = 0, o = 0;
	uint32_t c, lo;

	while (i < n) {
		if (s[i] != '\\') {
			d[o++] = s[i++];
			continue;
		}
		switch (s[i + 1]) {
		case 'b':
			d[o++] = '\b';
			i += 2;
			continue;
		case 'f':
			d[o++] = '\f';
			i += 2;
			continue;
		case 'n':
			d[o++] = '\n';
			i += 2;
			continue;
		case 'r':
			d[o++] = '\r';
			i += 2;
			continue;
		case 't':
			d[o++] = '\t';
			i += 2;
			continue;
		case 'u':
			break;
		default:
			d[o++] = s[i + 1];
			i += 2;
			continue;
		}
		c = hex4(s + i + 2);
		i += 6;
		if (c >= 0xd800 && c <= 0xdbff && i + 6 <= n && s[i] == '\\' &&
		    s[i + 1] == 'u' && (lo = hex4(s + i + 2)) >= 0xdc00 &&
		    lo <= 0xdfff) {
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			i += 6;
		} else if (c >= 0xd800 && c <= 0xdfff)
			c = 0xfffd;
		o += put_utf8(d + o, c);
	}
	return o;
}
