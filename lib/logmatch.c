/* Matching one log line against a compiled format. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "logformat.h"
#include "timeconv.h"

/*
 * memchr for the short distances fields have: sixteen (SSE2) or eight
 * bytes at a time, without a call.
 */
static inline const char *
find(const char *p, const char *end, char c)
{
#ifdef __SSE2__
	const __m128i vc = _mm_set1_epi8(c);
	int bits;

	for (; end - p >= 16; p += 16) {
		bits = _mm_movemask_epi8(_mm_cmpeq_epi8(
		    vc, _mm_loadu_si128((const __m128i *)(const void *)p)));
		if (bits != 0)
			return p + __builtin_ctz((unsigned)bits);
	}
#else
	const uint64_t ones = UINT64_C(0x0101010101010101);
	const uint64_t highs = UINT64_C(0x8080808080808080);
	uint64_t w, x;

	for (; end - p >= 8; p += 8) {
		memcpy(&w, p, 8);
		x = w ^ (ones * (unsigned char)c);
		if (((x - ones) & ~x & highs) != 0)
			break; /* c is in these eight bytes */
	}
#endif
	for (; p < end; p++)
		if (*p == c)
			return p;
	return NULL;
}

/* A lone "-" is how both servers write a missing value: it becomes null. */
int
lf_is_null_dash(const char *p, size_t n)
{
	return n == 1 && p[0] == '-';
}

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

static size_t
ndigits(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && isdig(p[i]))
		i++;
	return i;
}

/* Characters of an HTTP method token (RFC 9110 tchar). */
static int
istchar(unsigned char c)
{
	/* clang-format off */
	static const unsigned char tchar[256] = {
		['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1,
		['\''] = 1, ['*'] = 1, ['+'] = 1, ['-'] = 1, ['.'] = 1,
		['^'] = 1, ['_'] = 1, ['`'] = 1, ['|'] = 1, ['~'] = 1,
		['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
		['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
		['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1,
		['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
		['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1,
		['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
		['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1,
		['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
		['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
		['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
		['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1,
		['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
		['y'] = 1, ['z'] = 1,
	};
	/* clang-format on */

	return tchar[c];
}

static int
isproto(const char *p, size_t n)
{
	size_t i;

	if (n < 6 || memcmp(p, "HTTP/", 5) != 0)
		return 0;
	for (i = 5; i < n; i++)
		if (!isdig(p[i]) && p[i] != '.')
			return 0;
	return 1;
}

static void
set_target(struct rec *r, const char *p, size_t n)
{
	const char *q = find(p, p + n, '?');

	r->path.p = p;
	r->path.n = q != NULL ? (size_t)(q - p) : n;
	if (q != NULL) {
		r->query.p = q + 1;
		r->query.n = n - r->path.n - 1;
	}
}

/*
 * "METHOD SP target [SP HTTP/x.y]" splits, the target taking any spaces
 * in between; anything else (TLS bytes, a bare word, an empty request)
 * stays whole in req.  Splitting is exact: joining the parts with single
 * spaces gives back the request.
 */
static void
split_request(struct rec *r, const char *p, size_t n)
{
	size_t m = 0, t;
	const char *sp;

	while (m < n && istchar((unsigned char)p[m]))
		m++;
	if (m == 0 || m + 1 >= n || p[m] != ' ' || p[m + 1] == ' ') {
		r->req.p = p;
		r->req.n = n;
		return;
	}
	t = m + 1;
	for (sp = p + n - 1; sp > p + t && *sp != ' '; sp--)
		;
	if (sp > p + t && isproto(sp + 1, (size_t)(p + n - sp - 1))) {
		r->proto.p = sp + 1;
		r->proto.n = (size_t)(p + n - sp - 1);
		set_target(r, p + t, (size_t)(sp - (p + t)));
	} else
		set_target(r, p + t, n - t);
	r->method.p = p;
	r->method.n = m;
}

/* Decimal digits only, at most 18 of them; a leading zero is lossy. */
static const char *
integer(struct rec *r, const char *p, size_t n)
{
	if (n == 0 || n > 18 || ndigits(p, n) != n)
		return "not a number";
	if (n > 1 && p[0] == '0')
		r->lossy = 1;
	return NULL;
}

static const char *
seconds(struct rec *r, const char *p, size_t n)
{
	size_t i = ndigits(p, n), f;

	if (i == 0 || i > 12)
		return "bad request time";
	if (i > 1 && p[0] == '0')
		r->lossy = 1;
	if (i == n)
		return NULL;
	f = ndigits(p + i + 1, n - i - 1);
	if (p[i] != '.' || f == 0 || f > 9 || i + 1 + f != n)
		return "bad request time";
	return NULL;
}

static const char *
time_msec(struct rec *r, const char *p, size_t n)
{
	size_t i = ndigits(p, n);

	if (i == 0 || i > 11 || n != i + 4 || p[i] != '.' ||
	    ndigits(p + i + 1, 3) != 3)
		return "bad timestamp";
	if (p[0] == '0')
		return "bad timestamp";
	r->sec = 0;
	for (size_t k = 0; k < i; k++)
		r->sec = r->sec * 10 + (p[k] - '0');
	r->frac.p = p + i + 1;
	r->frac.n = 3;
	r->tz.p = "+0000";
	r->tz.n = 5;
	r->off = 0;
	return NULL;
}

static const char *
store_time(struct rec *r, enum lf_field f, const char *p, size_t n)
{
	size_t fl;

	switch (f) {
	case LF_TIME_CLF:
		if (clf_time_parse(p, &r->sec, &r->off) < 0)
			return "bad timestamp";
		r->tz.p = p + 21;
		r->tz.n = 5;
		return NULL;
	case LF_TIME_ISO:
		if (iso_time_parse(p, n, &r->sec, &r->off, &fl) < 0 || fl != 0)
			return "bad timestamp";
		r->tz.p = p + 19;
		r->tz.n = 6;
		return NULL;
	default:
		return time_msec(r, p, n);
	}
}

static const char *
store_number(struct rec *r, enum lf_field f, const char *p, size_t n)
{
	switch (f) {
	case LF_STATUS:
		r->status.p = p;
		r->status.n = n;
		return n > 3 || integer(r, p, n) ? "bad status" : NULL;
	case LF_BYTES:
		r->bytes.p = p;
		r->bytes.n = n;
		return integer(r, p, n) ? "bad byte count" : NULL;
	case LF_RT:
		r->rtscale = 0;
		r->rt.p = p;
		r->rt.n = n;
		return seconds(r, p, n);
	default:
		r->rtscale = f == LF_RT_US ? 6 : f == LF_RT_MS ? 3 : 0;
		r->rt.p = p;
		r->rt.n = n;
		return integer(r, p, n) ? "bad request time" : NULL;
	}
}

static struct span *
text_slot(struct rec *r, enum lf_field f)
{
	switch (f) {
	case LF_IP:
		return &r->ip;
	case LF_IDENT:
		return &r->ident;
	case LF_USER:
		return &r->user;
	case LF_METHOD:
		return &r->method;
	case LF_PROTO:
		return &r->proto;
	case LF_HOST:
		return &r->host;
	case LF_REFERER:
		return &r->referer;
	case LF_UA:
		return &r->ua;
	default:
		return NULL;
	}
}

/* Check and keep one field's text; a reason when it does not fit. */
static const char *
store(
    struct rec *r, const struct lf_tok *t, const char *p, size_t n, size_t *xi)
{
	struct span *s;
	int dash = lf_is_null_dash(p, n);

	if (t->f == LF_TIME_CLF || t->f == LF_TIME_ISO || t->f == LF_TIME_MSEC)
		return store_time(r, t->f, p, n);
	if (t->f == LF_EXTRA) {
		r->xval[*xi].p = dash ? NULL : p;
		r->xval[(*xi)++].n = n;
		return NULL;
	}
	if (t->f == LF_REST) {
		r->xval[*xi].p = p;
		r->xval[(*xi)++].n = n;
		return n == 0 ? "missing field" : NULL;
	}
	/* Apache's %q is empty when there is no query, so "-" is text. */
	if (dash && t->f != LF_QUERY_AP)
		return NULL;
	if ((s = text_slot(r, t->f)) != NULL) {
		s->p = p;
		s->n = n;
		return NULL;
	}
	switch (t->f) {
	case LF_REQ:
		split_request(r, p, n);
		return NULL;
	case LF_PATH:
		r->path.p = p;
		r->path.n = n;
		return NULL;
	case LF_URI:
		set_target(r, p, n);
		return NULL;
	case LF_QUERY:
		r->query.p = p;
		r->query.n = n;
		return NULL;
	case LF_QUERY_AP:
		if (n > 0 && p[0] != '?')
			return "bad query";
		if (n > 0) {
			r->query.p = p + 1;
			r->query.n = n - 1;
		}
		return NULL;
	default:
		return store_number(r, t->f, p, n);
	}
}

/*
 * A quoted field ends at the first quote not escaped by a backslash: both
 * servers escape quotes inside values, so a bare one ends the field.
 */
static const char *
quoted_end(const char *p, const char *end)
{
	const char *q, *b;

	for (; p < end; p = q + 1) {
		if ((q = find(p, end, '"')) == NULL)
			return NULL;
		for (b = q; b > p && b[-1] == '\\'; b--)
			;
		if ((q - b) % 2 == 0)
			return q;
	}
	return NULL;
}

static const char *
plain_end(const struct lf_tok *t, const struct lf_tok *next, const char *p,
    const char *end)
{
	const char *q;

	switch (t->f) {
	case LF_TIME_CLF:
		return end - p >= CLF_TIME_LEN ? p + CLF_TIME_LEN : NULL;
	case LF_TIME_ISO:
		return end - p >= 25 ? p + 25 : NULL;
	case LF_QUERY_AP:
		if (p == end || *p != '?')
			return p;
		break;
	default:
		break;
	}
	if (next == NULL)
		return end;
	if (next->f != LF_LIT) { /* %U%q: the path ends at '?' */
		for (q = p; q < end && *q != '?' && *q != ' ' && *q != '"'; q++)
			;
		return q;
	}
	q = find(p, end, next->s[0]);
	/* Proxies write client lists as "a, b, c" in the address field. */
	while (
	    t->list && q != NULL && q > p && q[-1] == ',' && next->s[0] == ' ')
		q = memchr(q + 1, ' ', (size_t)(end - q - 1));
	return q;
}

/* Literals are a few bytes long: compare them without a call. */
static inline int
same(const char *a, const char *b, size_t n)
{
	if (a[0] != b[0])
		return 0;
	switch (n) {
	case 1:
		return 1;
	case 2:
		return a[1] == b[1];
	case 3:
		return a[1] == b[1] && a[2] == b[2];
	default:
		return memcmp(a + 1, b + 1, n - 1) == 0;
	}
}

static int
miss(struct lf_fail *e, const char *line, const char *p, const char *why,
    const struct lf_tok *t)
{
	e->at = (size_t)(p - line);
	e->why = why;
	e->tok = t;
	return -1;
}

/*
 * Match line (n bytes, no newline) against f, filling r with spans into
 * the line.  -1 with e set when the line does not fit the format.
 */
int
lf_match(const struct logformat *f, const char *line, size_t n, struct rec *r,
    struct lf_fail *e)
{
	const char *p = line, *end = line + n, *q, *why;
	const struct lf_tok *t, *next;
	size_t i, xi = 0;

	memset(r, 0, offsetof(struct rec, xval));
	for (i = 0; i < f->ntok; i++) {
		t = &f->tok[i];
		if (t->f == LF_LIT) {
			if ((size_t)(end - p) < t->n || !same(p, t->s, t->n))
				return miss(e, line, p, "expected", t);
			p += t->n;
			continue;
		}
		next = i + 1 < f->ntok ? &f->tok[i + 1] : NULL;
		if (t->quoted)
			q = quoted_end(p, end);
		else
			q = plain_end(t, next, p, end);
		if (q == NULL)
			return miss(e, line, p,
			    t->quoted ? "unterminated quoted field"
			              : "line ends early",
			    t);
		if (q == p && !t->enclosed && t->f != LF_QUERY_AP)
			return miss(e, line, p, "empty field", t);
		if ((why = store(r, t, p, (size_t)(q - p), &xi)) != NULL)
			return miss(e, line, p, why, t);
		p = q;
	}
	if (p != end)
		return miss(e, line, p, "text after the last field", NULL);
	return 0;
}
