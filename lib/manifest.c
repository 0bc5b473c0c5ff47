/* The MANIFEST member: writing, strict reading, and what goes in it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archfmt.h"
#include "diag.h"
#include "hex.h"
#include "manifest.h"
#include "timeconv.h"
#include "xxhash.h"

struct sb {
	char *p;
	size_t n, cap;
};

static void
sb_add(struct sb *b, const char *s, size_t n)
{
	if (b->cap - b->n < n + 1) {
		if (n > SIZE_MAX / 2 - b->n)
			lb_errx(EX_FAIL, "manifest too large");
		b->cap = (b->n + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void
sb_str(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void
sb_u64(struct sb *b, const char *key, uint64_t v)
{
	char line[64];

	snprintf(line, sizeof(line), "%s %llu\n", key, (unsigned long long)v);
	sb_str(b, line);
}

static void
sb_sha(struct sb *b, const unsigned char *d, const char *name)
{
	char hex[SHA256_HEXLEN + 1];

	sha256_hex(hex, d);
	sb_str(b, hex);
	sb_str(b, "  ");
	sb_str(b, name);
	sb_str(b, "\n");
}

/* The manifest's bytes, NUL-terminated, in a buffer to free. */
char *
manifest_text(const struct manifest *m, size_t *len)
{
	struct sb b = { NULL, 0, 0 };
	char date[ARCH_DATELEN + 1];

	if (arch_date(date, m->day) < 0)
		lb_errx(EX_FAIL, "manifest: date out of range");
	sb_str(&b, MANIFEST_MAGIC "\ndate ");
	sb_str(&b, date);
	sb_str(&b, "\n");
	sb_u64(&b, "events", m->events);
	sb_u64(&b, "hourly_rows", m->hourly_rows);
	sb_str(&b, "first ");
	sb_str(&b, m->range.any ? m->range.ts[0] : "-");
	sb_str(&b, "\nlast ");
	sb_str(&b, m->range.any ? m->range.ts[1] : "-");
	sb_str(&b, "\nsources ");
	sb_add(&b, m->sources, m->sourceslen);
	if (m->digests != NULL) {
		sb_str(&b, "\ndigests ");
		sb_add(&b, m->digests, m->digestslen);
	}
	sb_str(&b, "\ncreated_by ");
	sb_str(&b, m->created_by);
	sb_str(&b, "\n");
	sb_sha(&b, m->sha_events, ARCH_EVENTS);
	sb_sha(&b, m->sha_hourly, ARCH_HOURLY);
	*len = b.n;
	return b.p;
}

void
manifest_free(struct manifest *m)
{
	free(m->sources);
	free(m->digests);
	m->sources = m->digests = NULL;
}

enum {
	K_DATE,
	K_EVENTS,
	K_ROWS,
	K_FIRST,
	K_LAST,
	K_SOURCES,
	K_CREATED,
	K_DIGESTS, /* the one key a manifest may lack */
	K_SHA_EVENTS,
	K_SHA_HOURLY,
	K_N
};

static const char *const keyname[K_N] = { "date", "events", "hourly_rows",
	"first", "last", "sources", "created_by", "digests", ARCH_EVENTS,
	ARCH_HOURLY };

/* first or last: a UTC ts as events have it, or "-". */
static int
parse_ts(struct manifest *m, int which, const char *s, size_t n)
{
	size_t fl;
	int off;

	if (n == 1 && s[0] == '-')
		return 0;
	if (n > MANIFEST_TSMAX || s[n - 1] != 'Z' ||
	    iso_time_parse(s, n, &m->range.sec[which], &off, &fl) < 0 ||
	    off != 0)
		return -1;
	memcpy(m->range.ts[which], s, n);
	m->range.ts[which][n] = '\0';
	m->range.any |= 1 << which;
	return 0;
}

static int
value(struct manifest *m, int k, const char *v, size_t n)
{
	switch (k) {
	case K_DATE:
		return arch_parse_date(v, n, &m->day);
	case K_EVENTS:
		return arch_u64(v, n, &m->events);
	case K_ROWS:
		return arch_u64(v, n, &m->hourly_rows);
	case K_FIRST:
	case K_LAST:
		return n == 0 ? -1 : parse_ts(m, k - K_FIRST, v, n);
	case K_SOURCES:
		if (n == 0)
			return -1;
		m->sources = memcpy(xmalloc(n + 1), v, n);
		m->sources[n] = '\0';
		m->sourceslen = n;
		return 0;
	case K_DIGESTS:
		if (n == 0)
			return -1;
		m->digests = memcpy(xmalloc(n + 1), v, n);
		m->digests[n] = '\0';
		m->digestslen = n;
		return 0;
	case K_CREATED:
		if (n == 0 || n >= sizeof(m->created_by))
			return -1;
		memcpy(m->created_by, v, n);
		m->created_by[n] = '\0';
		return 0;
	default:
		return n == SHA256_HEXLEN
		    ? hex_decode(
		          k == K_SHA_EVENTS ? m->sha_events : m->sha_hourly, v,
		          SHA256_LEN)
		    : -1;
	}
}

/*
 * The key a line sets, its value in *v; -1 for a key this version does
 * not know, -2 for a line of neither form.
 */
static int
split(const char *p, size_t n, const char **v, size_t *vn)
{
	const char *sp;
	size_t i, kn;
	int k;

	if (n > 66 && p[64] == ' ' && p[65] == ' ') {
		*v = p;
		*vn = 64;
		for (k = K_SHA_EVENTS; k <= K_SHA_HOURLY; k++)
			if (n - 66 == strlen(keyname[k]) &&
			    memcmp(p + 66, keyname[k], n - 66) == 0)
				return k;
		return -2;
	}
	if ((sp = memchr(p, ' ', n)) == NULL || sp == p)
		return -2;
	kn = (size_t)(sp - p);
	*v = sp + 1;
	*vn = n - kn - 1;
	for (k = 0; k < K_SHA_EVENTS; k++)
		if (kn == strlen(keyname[k]) && memcmp(p, keyname[k], kn) == 0)
			return k;
	for (i = 0; i < kn; i++)
		if ((p[i] < 'a' || p[i] > 'z') && p[i] != '_' &&
		    (p[i] < '0' || p[i] > '9'))
			return -2;
	return -1;
}

static const char *
bad(uint64_t line, const char *what, const char *key)
{
	static _Thread_local char msg[96];

	if (line > 0)
		snprintf(msg, sizeof(msg), "line %llu: %s%s",
		    (unsigned long long)line, what, key);
	else
		snprintf(msg, sizeof(msg), "%s%s", what, key);
	return msg;
}

static const char *
line(struct manifest *m, const char *p, size_t n, uint64_t no, unsigned *seen)
{
	const char *v;
	size_t vn, i;
	int k;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return bad(no, "control character", "");
	if (no == 1)
		return n == strlen(MANIFEST_MAGIC) &&
		        memcmp(p, MANIFEST_MAGIC, n) == 0
		    ? NULL
		    : bad(no, "not \"" MANIFEST_MAGIC "\"", "");
	if ((k = split(p, n, &v, &vn)) == -2)
		return bad(no, "neither a key and a value nor a checksum", "");
	if (k < 0)
		return NULL;
	if (*seen & 1u << k)
		return bad(no, "repeated: ", keyname[k]);
	*seen |= 1u << k;
	return value(m, k, v, vn) < 0 ? bad(no, "bad value of ", keyname[k])
	                              : NULL;
}

/*
 * Read a manifest strictly; -1 with *why set when it is not one.
 * Free m->sources with manifest_free either way.
 */
int
manifest_parse(struct manifest *m, const char *p, size_t n, const char **why)
{
	unsigned seen = 0;
	uint64_t no = 0;
	const char *e;
	int k;

	memset(m, 0, sizeof(*m));
	*why = n == 0 ? "empty" : "no newline at the end";
	if (n == 0 || p[n - 1] != '\n')
		return -1;
	for (; n > 0; n -= (size_t)(e - p) + 1, p = e + 1) {
		e = memchr(p, '\n', n);
		if ((*why = line(m, p, (size_t)(e - p), ++no, &seen)) != NULL)
			return -1;
	}
	for (k = 0; k < K_N; k++)
		if (!(seen & 1u << k) && k != K_DIGESTS) {
			*why = bad(0, "no ", keyname[k]);
			return -1;
		}
	*why = "first and last do not agree with the event count";
	if (m->range.any != (m->events > 0 ? 3 : 0) ||
	    (m->range.any && m->range.sec[0] > m->range.sec[1]))
		return -1;
	m->range.any = m->range.any != 0;
	*why = NULL;
	return 0;
}

/* The digits after the point of a UTC ts, and how many. */
static const char *
frac(const char *ts, size_t *n)
{
	*n = ts[19] == '.' ? strlen(ts) - 21 : 0;
	return ts + 20;
}

/* Order two UTC ts by time: seconds, then the fraction's digits. */
static int
tscmp(int64_t sa, const char *a, int64_t sb, const char *b)
{
	const char *fa, *fb;
	size_t na, nb, i;
	char x, y;

	if (sa != sb)
		return sa < sb ? -1 : 1;
	fa = frac(a, &na);
	fb = frac(b, &nb);
	for (i = 0; i < na || i < nb; i++) {
		x = i < na ? fa[i] : '0';
		y = i < nb ? fb[i] : '0';
		if (x != y)
			return x < y ? -1 : 1;
	}
	return strcmp(a, b); /* "1.5Z" and "1.50Z": still one order */
}

/*
 * Widen the range to a UTC ts (as event_read checked it) at second
 * sec.  -1 when the text is too long to keep.
 */
int
tsrange_add(struct tsrange *r, const char *ts, size_t n, int64_t sec)
{
	char t[MANIFEST_TSMAX + 1];

	if (n > MANIFEST_TSMAX || n < 20)
		return -1;
	memcpy(t, ts, n);
	t[n] = '\0';
	if (!r->any || tscmp(sec, t, r->sec[0], r->ts[0]) < 0) {
		r->sec[0] = sec;
		memcpy(r->ts[0], t, n + 1);
	}
	if (!r->any || tscmp(sec, t, r->sec[1], r->ts[1]) > 0) {
		r->sec[1] = sec;
		memcpy(r->ts[1], t, n + 1);
	}
	r->any = 1;
	return 0;
}

struct src {
	char *s; /* NULL: an empty slot */
	size_t n;
	uint64_t h;
};

struct srcset {
	struct src *t;
	size_t cap, n;
	int null; /* events without a source */
};

struct srcset *
srcset_new(void)
{
	struct srcset *s = xcalloc(1, sizeof(*s));

	s->cap = 16;
	s->t = xcalloc(s->cap, sizeof(*s->t));
	return s;
}

static void
put(struct src *t, size_t cap, const struct src *e)
{
	size_t i;

	for (i = e->h & (cap - 1); t[i].s != NULL; i = (i + 1) & (cap - 1))
		;
	t[i] = *e;
}

static void
grow(struct srcset *s)
{
	struct src *t = xcalloc(s->cap * 2, sizeof(*t));
	size_t i;

	for (i = 0; i < s->cap; i++)
		if (s->t[i].s != NULL)
			put(t, s->cap * 2, &s->t[i]);
	free(s->t);
	s->t = t;
	s->cap *= 2;
}

/* One event's src; p NULL for an event without one. */
void
srcset_add(struct srcset *s, const char *p, size_t n)
{
	struct src e;
	size_t i;

	if (p == NULL) {
		s->null = 1;
		return;
	}
	e.h = xxh64(p, n, 0);
	for (i = e.h & (s->cap - 1); s->t[i].s != NULL;
	     i = (i + 1) & (s->cap - 1))
		if (s->t[i].h == e.h && s->t[i].n == n &&
		    memcmp(s->t[i].s, p, n) == 0)
			return;
	e.s = memcpy(xmalloc(n + 1), p, n);
	e.n = n;
	put(s->t, s->cap, &e);
	if (++s->n * 2 > s->cap)
		grow(s);
}

static int
bytecmp(const void *a, const void *b)
{
	const struct src *x = *(const struct src *const *)a;
	const struct src *y = *(const struct src *const *)b;
	int c = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);

	return c != 0 ? c : (x->n > y->n) - (x->n < y->n);
}

static void
encode(struct sb *b, const struct src *e)
{
	static const char hex[] = "0123456789ABCDEF";
	char x[3] = { '%', 0, 0 };
	unsigned char c;
	size_t i;

	if (e->n == 0)
		sb_str(b, "\"\"");
	if (e->n == 1 && e->s[0] == '-')
		sb_str(b, "%2D");
	for (i = 0; i < e->n && !(e->n == 1 && e->s[0] == '-'); i++) {
		c = (unsigned char)e->s[i];
		if (c > 0x20 && c < 0x7f && c != '%' && c != '"') {
			sb_add(b, e->s + i, 1);
			continue;
		}
		x[1] = hex[c >> 4];
		x[2] = hex[c & 15];
		sb_add(b, x, 3);
	}
}

/* The sources line's value, in a buffer to free. */
char *
srcset_text(const struct srcset *s, size_t *len)
{
	struct sb b = { NULL, 0, 0 };
	const struct src **v = xcalloc(s->n, sizeof(const struct src *));
	size_t i, k = 0;

	for (i = 0; i < s->cap; i++)
		if (s->t[i].s != NULL)
			v[k++] = &s->t[i];
	qsort(v, k, sizeof(const struct src *), bytecmp);
	if (s->null || k == 0)
		sb_str(&b, "-");
	for (i = 0; i < k; i++) {
		if (b.n > 0)
			sb_str(&b, " ");
		encode(&b, v[i]);
	}
	free(v);
	*len = b.n;
	return b.p;
}

void
srcset_free(struct srcset *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->cap; i++)
		free(s->t[i].s);
	free(s->t);
	free(s);
}

static int
unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One label of a sources line, decoded into buf (room for n bytes). */
static int
decode(char *buf, const char *p, size_t n, size_t *len)
{
	size_t i, k = 0;
	int hi, lo;

	if (n == 2 && p[0] == '"' && p[1] == '"') {
		*len = 0;
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (p[i] != '%') {
			buf[k++] = p[i];
			continue;
		}
		if (n - i < 3 || (hi = unhex((unsigned char)p[i + 1])) < 0 ||
		    (lo = unhex((unsigned char)p[i + 2])) < 0)
			return -1;
		buf[k++] = (char)(hi << 4 | lo);
		i += 2;
	}
	*len = k;
	return 0;
}

/*
 * Each label of a sources line to fn, decoded, NULL for "-": what
 * srcset_text wrote, read back.  -1 for a malformed line or when fn
 * returns -1.
 */
int
srcset_each(
    const char *s, size_t n, int (*fn)(void *, const char *, size_t), void *arg)
{
	char *buf = xmalloc(n + 1);
	const char *end = s + n, *sp;
	size_t len;
	int rc = 0;

	while (rc == 0 && s < end) {
		if ((sp = memchr(s, ' ', (size_t)(end - s))) == NULL)
			sp = end;
		if (sp - s == 1 && s[0] == '-')
			rc = fn(arg, NULL, 0);
		else if (sp != s && decode(buf, s, (size_t)(sp - s), &len) == 0)
			rc = fn(arg, buf, len);
		else
			rc = -1;
		s = sp + (sp < end);
	}
	free(buf);
	return rc < 0 ? -1 : 0;
}
