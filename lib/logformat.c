/* Compiling LogFormat/log_format strings and matching lines against them. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "logformat.h"
#include "timeconv.h"

#define CLF "%h %l %u %t \"%r\" %>s %b"
#define COMBINED CLF " \"%{Referer}i\" \"%{User-Agent}i\""
#define NGX_COMBINED                                                           \
	"$remote_addr - $remote_user [$time_local] "                           \
	"\"$request\" $status $body_bytes_sent \"$http_referer\" "             \
	"\"$http_user_agent\""

/*
 * The named formats, most specific first: auto tries them in this order.
 * A row is all there is to a name: what logbook-ingest's -f takes, its
 * help text lists and detection does with it (struct lf_kind).
 *
 * of: the head of the family of a variant, which is read along with its
 *	head when -f names that, never alone; NULL for a head.
 * list: a head's place in lists of the names, from 1.
 * rank: orders the common-log family by length: a line of one format cut
 *	short can look like a line of a lower rank, never of a higher one.
 * catchall: takes any text after a line of another format: tried only
 *	when detected.
 * yields: a variant that fits its head's lines too, misreading them: it
 *	goes first only when the sample has no line of its head.
 */
static const struct namedfmt {
	const char *name;
	const char *spec;
	const char *of;
	int list;
	int rank;
	int catchall;
	int yields;
} named[] = {
	{ .name = "nginx_upstream",
	    .spec = NGX_COMBINED " $request_time $upstream_response_time",
	    .of = "nginx",
	    .rank = 4 },
	{ .name = "nginx",
	    .spec = NGX_COMBINED " $request_time",
	    .list = 4,
	    .rank = 3 },
	{ .name = "main",
	    .spec = NGX_COMBINED " \"$http_x_forwarded_for\"",
	    .list = 5,
	    .rank = 3 },
	{ .name = "combined", .spec = COMBINED, .list = 2, .rank = 2 },
	{ .name = "common", .spec = CLF, .list = 1, .rank = 1 },
	{ .name = "vhost_combined", .spec = "%v:%p " COMBINED, .list = 3 },
	{ .name = "vhost_combined_noport",
	    .spec = "%v " COMBINED,
	    .of = "vhost_combined",
	    .yields = 1 },
	{ .name = "combined_extra",
	    .spec = COMBINED " %{+}",
	    .list = 6,
	    .rank = 3,
	    .catchall = 1 },
};
#define NNAMED (sizeof(named) / sizeof(named[0]))

struct builder {
	struct lf_tok tok[256];
	size_t ntok;
	char *lit; /* all literal bytes; tokens point into it */
	size_t nlit;
	size_t litstart; /* where the pending literal begins */
	unsigned used; /* core fields already placed */
	char *err;
	size_t errlen;
};

static int
fail(struct builder *b, const char *msg, const char *at, size_t n)
{
	snprintf(
	    b->err, b->errlen, "%s: %.*s", msg, (int)n, at != NULL ? at : "");
	return -1;
}

static int
push(struct builder *b, enum lf_field f, const char *s, size_t n)
{
	if (b->ntok + 2 > sizeof(b->tok) / sizeof(b->tok[0]))
		return fail(b, "format too long", s, n);
	if (b->nlit > b->litstart) {
		b->tok[b->ntok].f = LF_LIT;
		b->tok[b->ntok].s = b->lit + b->litstart;
		b->tok[b->ntok++].n = b->nlit - b->litstart;
		b->litstart = b->nlit;
	}
	if (f == LF_LIT)
		return 0;
	b->tok[b->ntok].f = f;
	b->tok[b->ntok].s = s;
	b->tok[b->ntok++].n = n;
	return 0;
}

/* The family of key a field fills, so a second one becomes an extra. */
static unsigned
keybit(enum lf_field f)
{
	switch (f) {
	case LF_TIME_CLF:
	case LF_TIME_ISO:
	case LF_TIME_MSEC:
		return 1u << 28;
	case LF_RT:
	case LF_RT_S:
	case LF_RT_MS:
	case LF_RT_US:
		return 1u << 29;
	case LF_REQ:
		return 1u << LF_METHOD | 1u << LF_PATH | 1u << LF_QUERY |
		    1u << LF_PROTO;
	case LF_URI:
		return 1u << LF_PATH | 1u << LF_QUERY;
	case LF_QUERY_AP:
		return 1u << LF_QUERY;
	default:
		return 1u << f;
	}
}

static int
field(struct builder *b, enum lf_field f, const char *s, size_t n)
{
	unsigned bit = keybit(f);

	if (f != LF_EXTRA && f != LF_REST) {
		if (b->used & bit)
			f = LF_EXTRA;
		else
			b->used |= bit;
	}
	return push(b, f, s, n);
}

static void
lit(struct builder *b, char c)
{
	b->lit[b->nlit++] = c;
}

static enum lf_field
apache_letter(char c, const char *arg, size_t an)
{
	static const char *const ex = "ACcefIkLnoPpRSXx";

	switch (c) {
	case 'h':
		return LF_IP;
	case 'a':
		return an == 0 || (an == 1 && arg[0] == 'c') ? LF_IP : LF_EXTRA;
	case 'l':
		return LF_IDENT;
	case 'u':
		return LF_USER;
	case 'r':
		return LF_REQ;
	case 'm':
		return LF_METHOD;
	case 'U':
		return LF_PATH;
	case 'q':
		return LF_QUERY_AP;
	case 'H':
		return LF_PROTO;
	case 's':
		return LF_STATUS;
	case 'b':
	case 'B':
	case 'O':
		return LF_BYTES;
	case 'D':
		return LF_RT_US;
	case 'v':
	case 'V':
		return LF_HOST;
	case 'T':
		if (an == 0 || (an == 1 && arg[0] == 's'))
			return LF_RT_S;
		if (an == 2 && memcmp(arg, "ms", 2) == 0)
			return LF_RT_MS;
		if (an == 2 && memcmp(arg, "us", 2) == 0)
			return LF_RT_US;
		return LF_LIT;
	case 'i':
		if (an == 7 && strncasecmp(arg, "Referer", 7) == 0)
			return LF_REFERER;
		if (an == 10 && strncasecmp(arg, "User-Agent", 10) == 0)
			return LF_UA;
		return LF_EXTRA;
	}
	return strchr(ex, c) != NULL && c != '\0' ? LF_EXTRA : LF_LIT;
}

/* One %-directive starting at s; returns its length, or -1. */
static int
apache_directive(struct builder *b, const char *s)
{
	const char *p = s + 1, *arg = NULL;
	size_t an = 0;
	enum lf_field f;

	if (*p == '%') {
		lit(b, '%');
		return 2;
	}
	while (*p == '<' || *p == '>')
		p++;
	if (*p == '{') {
		arg = ++p;
		while (*p != '\0' && *p != '}')
			p++;
		if (*p == '\0')
			return fail(b, "unterminated %{", s, strlen(s));
		an = (size_t)(p++ - arg);
		if (an == 1 && arg[0] == '+' && s[1] == '{')
			return field(b, LF_REST, s, 4) < 0 ? -1 : 4;
	}
	if (*p == 't') {
		if (arg != NULL)
			return fail(b, "unsupported time format", s,
			    (size_t)(p + 1 - s));
		lit(b, '[');
		if (field(b, LF_TIME_CLF, s, 2) < 0)
			return -1;
		lit(b, ']');
		return (int)(p + 1 - s);
	}
	if ((f = apache_letter(*p, arg, an)) == LF_LIT)
		return fail(b, "unknown directive", s,
		    *p != '\0' ? (size_t)(p + 1 - s) : (size_t)(p - s));
	return field(b, f, s, (size_t)(p + 1 - s)) < 0 ? -1 : (int)(p + 1 - s);
}

static enum lf_field
nginx_var(const char *v, size_t n)
{
	static const struct {
		const char *name;
		enum lf_field f;
	} map[] = {
		{ "remote_addr", LF_IP },
		{ "remote_user", LF_USER },
		{ "time_local", LF_TIME_CLF },
		{ "time_iso8601", LF_TIME_ISO },
		{ "msec", LF_TIME_MSEC },
		{ "request", LF_REQ },
		{ "request_method", LF_METHOD },
		{ "request_uri", LF_URI },
		{ "uri", LF_PATH },
		{ "args", LF_QUERY },
		{ "query_string", LF_QUERY },
		{ "server_protocol", LF_PROTO },
		{ "status", LF_STATUS },
		{ "body_bytes_sent", LF_BYTES },
		{ "bytes_sent", LF_BYTES },
		{ "request_time", LF_RT },
		{ "http_referer", LF_REFERER },
		{ "http_user_agent", LF_UA },
		{ "host", LF_HOST },
		{ "server_name", LF_HOST },
		{ "http_host", LF_HOST },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].name) == n && memcmp(map[i].name, v, n) == 0)
			return map[i].f;
	return LF_EXTRA;
}

static int
isvarch(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* One $variable or ${variable} at s; returns its length, or -1. */
static int
nginx_directive(struct builder *b, const char *s)
{
	const char *v = s + 1, *e;
	size_t len;

	if (*v == '{') {
		for (e = ++v; isvarch(*e); e++)
			;
		if (*e != '}' || e == v)
			return fail(b, "bad variable", s, strlen(s));
		len = (size_t)(e + 1 - s);
	} else {
		for (e = v; isvarch(*e); e++)
			;
		len = (size_t)(e - s);
	}
	return field(b, nginx_var(v, (size_t)(e - v)), s, len) < 0 ? -1
	                                                           : (int)len;
}

/* Apache configuration strings escape quotes: \" \\ \t \n. */
static int
escape(struct builder *b, const char *s)
{
	switch (s[1]) {
	case '"':
	case '\\':
		lit(b, s[1]);
		return 2;
	case 't':
		lit(b, '\t');
		return 2;
	case 'n':
		lit(b, '\n');
		return 2;
	}
	lit(b, '\\');
	return 1;
}

static int
adjacent_ok(const struct lf_tok *a, const struct lf_tok *b)
{
	return a->f == LF_TIME_CLF || a->f == LF_TIME_ISO ||
	    (a->f == LF_PATH && b->f == LF_QUERY_AP);
}

/* Does s (n bytes) contain w, ignoring case? */
static int
has_word(const char *s, size_t n, const char *w)
{
	size_t i, k = strlen(w);

	for (i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, w, k) == 0)
			return 1;
	return 0;
}

/* Is field i between literals ending in open and starting with close? */
static int
enclosed(const struct lf_tok *t, size_t n, size_t i, char open, char close)
{
	return i > 0 && i + 1 < n && t[i - 1].f == LF_LIT &&
	    t[i - 1].s[t[i - 1].n - 1] == open && t[i + 1].f == LF_LIT &&
	    t[i + 1].s[0] == close;
}

/* Mark quoted fields; refuse fields that nothing separates. */
static int
finish(struct builder *b, const char *spec)
{
	size_t i;
	struct lf_tok *t = b->tok;
	int hastime = 0;

	for (i = 0; i < b->ntok; i++) {
		if (t[i].f == LF_LIT)
			continue;
		if (keybit(t[i].f) == keybit(LF_TIME_CLF))
			hastime = 1;
		if (i + 1 < b->ntok && t[i + 1].f != LF_LIT &&
		    !adjacent_ok(&t[i], &t[i + 1]))
			return fail(b, "two fields with nothing between them",
			    t[i].s, t[i].n);
		t[i].quoted = enclosed(t, b->ntok, i, '"', '"');
		t[i].enclosed =
		    t[i].quoted || enclosed(t, b->ntok, i, '[', ']');
		t[i].list = t[i].f == LF_IP ||
		    (t[i].f == LF_EXTRA &&
		        has_word(t[i].s, t[i].n, "forwarded"));
		if (t[i].f == LF_REST && i + 1 != b->ntok)
			return fail(b, "%{+} must come last", t[i].s, t[i].n);
	}
	if (!hastime)
		return fail(
		    b, "no time field (%t or $time_local)", spec, strlen(spec));
	return 0;
}

static int
build(struct builder *b, const char *spec)
{
	const char *s = spec;
	int k;

	while (*s != '\0') {
		if (*s == '%')
			k = apache_directive(b, s);
		else if (*s == '$' && (isvarch(s[1]) || s[1] == '{'))
			k = nginx_directive(b, s);
		else if (*s == '\\')
			k = escape(b, s);
		else {
			lit(b, *s);
			k = 1;
		}
		if (k < 0)
			return -1;
		s += k;
	}
	if (push(b, LF_LIT, NULL, 0) < 0)
		return -1;
	return finish(b, spec);
}

/*
 * Compile spec (an Apache LogFormat or nginx log_format string) into f.
 * Directive names point into a private copy of spec.  On error, a
 * message goes to err and -1 is returned.
 */
int
lf_compile(struct logformat *f, const char *name, const char *spec, char *err,
    size_t errlen)
{
	struct builder b;
	size_t i;

	memset(&b, 0, sizeof(b));
	memset(f, 0, sizeof(*f));
	b.err = err;
	b.errlen = errlen;
	f->mem = xstrdup(spec);
	f->speclen = strlen(spec);
	b.lit = xmalloc(strlen(spec) + 2);
	if (build(&b, f->mem) < 0) {
		free(b.lit);
		free(f->mem);
		f->mem = NULL;
		return -1;
	}
	for (i = 0; i < b.ntok; i++)
		if ((b.tok[i].f == LF_EXTRA || b.tok[i].f == LF_REST) &&
		    f->nextra++ == LF_MAXEXTRA)
			break;
	if (f->nextra > LF_MAXEXTRA) {
		snprintf(
		    err, errlen, "more than %d unknown fields", LF_MAXEXTRA);
		free(b.lit);
		free(f->mem);
		f->mem = NULL;
		return -1;
	}
	f->tok = xreallocarray(NULL, b.ntok, sizeof(b.tok[0]));
	memcpy(f->tok, b.tok, b.ntok * sizeof(b.tok[0]));
	f->ntok = b.ntok;
	f->lits = b.lit;
	f->name = xstrdup(name != NULL ? name : spec);
	return 0;
}

void
lf_free(struct logformat *f)
{
	free(f->lits);
	free(f->tok);
	free(f->mem);
	free(f->name);
	memset(f, 0, sizeof(*f));
}

static const struct namedfmt *
row(const char *name)
{
	size_t i;

	for (i = 0; i < NNAMED; i++)
		if (strcmp(named[i].name, name) == 0)
			return &named[i];
	return NULL;
}

/*
 * The named formats are compiled once for all threads, and live as long
 * as the program: what lf_named gives out may be kept, and handed to
 * another thread.
 */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct logformat fmts[NNAMED];
static const char *names[NNAMED + 1]; /* the table's order */
static const char *heads[NNAMED + 1]; /* by list */

static void
init(void)
{
	char err[256];
	size_t i, nh = 0;
	int k;

	for (i = 0; i < NNAMED; i++) {
		if (lf_compile(&fmts[i], named[i].name, named[i].spec, err,
		        sizeof(err)) < 0)
			lb_errx(EX_FAIL, "built-in format %s: %s",
			    named[i].name, err);
		names[i] = named[i].name;
	}
	for (k = 1; k <= (int)NNAMED; k++)
		for (i = 0; i < NNAMED; i++)
			if (named[i].of == NULL && named[i].list == k)
				heads[nh++] = named[i].name;
}

static void
ready(void)
{
	if ((errno = pthread_once(&once, init)) != 0)
		lb_err(EX_FAIL, "pthread_once");
}

/* A named format; NULL when there is no such name. */
const struct logformat *
lf_named(const char *name)
{
	const struct namedfmt *r = row(name);

	if (r == NULL)
		return NULL;
	ready();
	return &fmts[r - named];
}

/* The named formats in auto-detection order, NULL-terminated. */
const char *const *
lf_names(void)
{
	ready();
	return names;
}

/* The heads of the families, as help texts list them; NULL-terminated. */
const char *const *
lf_heads(void)
{
	ready();
	return heads;
}

/* What a name is to -f and to detection; -1 (and zeros) for no name. */
int
lf_kind(const char *name, struct lf_kind *k)
{
	const struct namedfmt *r = row(name);

	memset(k, 0, sizeof(*k));
	if (r == NULL)
		return -1;
	k->family = r->of != NULL ? r->of : r->name;
	k->rank = r->rank;
	k->catchall = r->catchall;
	k->yields = r->yields;
	return 0;
}
