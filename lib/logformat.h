/*
 * Access log formats: Apache LogFormat and nginx log_format strings compiled
 * into a list of literals and fields, matched against lines, and rendered
 * back.  Field values are kept as the server wrote them (its escapes
 * included), which is what makes the round trip exact.
 */
#ifndef LB_LOGFORMAT_H
#define LB_LOGFORMAT_H

#include <stddef.h>
#include <stdint.h>

enum lf_field {
	LF_LIT,
	LF_IP,
	LF_IDENT,
	LF_USER,
	LF_TIME_CLF, /* 10/Oct/2000:13:55:36 -0700, brackets not included */
	LF_TIME_ISO, /* 2000-10-10T13:55:36-07:00 */
	LF_TIME_MSEC, /* 971211336.123 */
	LF_REQ,
	LF_METHOD,
	LF_PATH,
	LF_QUERY_AP, /* Apache %q: empty, or '?' and the query */
	LF_QUERY, /* nginx $args: the query, '-' when empty */
	LF_URI, /* path and query */
	LF_PROTO,
	LF_STATUS,
	LF_BYTES,
	LF_RT, /* seconds with a fraction, as nginx writes them */
	LF_RT_S, /* whole seconds */
	LF_RT_MS,
	LF_RT_US,
	LF_HOST,
	LF_REFERER,
	LF_UA,
	LF_EXTRA, /* kept under its directive's name */
	LF_REST /* whatever follows, for combined_extra */
};

struct lf_tok {
	enum lf_field f;
	int quoted; /* between '"' literals: may hold escaped quotes */
	int enclosed; /* quoted or in brackets: may be empty */
	int list; /* an address list: "a, b" does not end at the space */
	const char *s; /* a literal's bytes, or an extra's directive */
	size_t n;
};

#define LF_MAXEXTRA 32

struct logformat {
	char *name; /* what events carry as "fmt" */
	struct lf_tok *tok;
	size_t ntok;
	size_t nextra;
	char *mem; /* directive names point here */
	size_t speclen;
	char *lits; /* literal bytes */
};

struct span {
	const char *p; /* NULL: null */
	size_t n;
};

struct rec {
	struct span ip, ident, user, req, method, path, query, proto;
	struct span status, bytes, rt, host, referer, ua, tz, frac;
	int rtscale; /* decimal places rt's text must be shifted */
	int64_t sec; /* UTC seconds */
	int off; /* offset from UTC in minutes */
	int lossy; /* the fields cannot give back the line */
	struct span xval[LF_MAXEXTRA];
};

struct lf_fail {
	size_t at; /* byte offset into the line */
	const char *why;
	const struct lf_tok *tok; /* the token that did not fit */
};

int lf_compile(struct logformat *, const char *, const char *, char *, size_t);
void lf_free(struct logformat *);
/*
 * The named formats.  Some come in a family: its head, which -f of
 * logbook-ingest takes and help texts list, and variants, which events
 * may name but -f reads only along with their head.
 */
struct lf_kind {
	const char *family; /* its head's name: its own, for a head */
	int rank; /* common-log family, by length: shorter, lower; others 0 */
	int catchall; /* takes any text after a line: not a fallback */
	int yields; /* fits its head's lines too: the head goes first */
};

const struct logformat *lf_named(const char *);
const char *const *lf_names(void);
const char *const *lf_heads(void);
int lf_kind(const char *, struct lf_kind *);
int lf_match(const struct logformat *, const char *, size_t, struct rec *,
    struct lf_fail *);
int lf_is_null_dash(const char *, size_t);

#include "obuf.h"

void lf_render(const struct logformat *, const struct rec *, struct obuf *);
void lf_rt_json(struct obuf *, const char *, size_t, int);
void lf_digits(struct obuf *, const char *, size_t);
#endif
