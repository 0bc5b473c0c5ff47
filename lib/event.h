/*
 * The event schema of logbook-events(5): one JSON object per access log
 * line.  Written by logbook-ingest, read by every other tool.
 */
#ifndef LB_EVENT_H
#define LB_EVENT_H

#include <stdint.h>

#include "logformat.h"
#include "obuf.h"
#include "timeconv.h"

#define EVENT_ID_LEN 32 /* 20251013T061502-0123456789abcdef */

struct event {
	struct rec r; /* strings unescaped; rt as JSON seconds */
	struct span id, ts, src, fmt, raw64;
	int cr; /* the line ended in CR LF */
	int status; /* -1: null */
	int64_t bytes; /* -1: null */
	size_t nx;
	struct span xname[LF_MAXEXTRA];
	struct span xv[LF_MAXEXTRA];
	char *mem; /* unescaped strings live here */
	size_t memcap;
};

struct evmeta {
	const char *id;
	const char *src; /* NULL: none */
	size_t srclen;
	const char *fmt;
	int cr;
};

void event_write(struct obuf *, const struct rec *, const struct logformat *,
    const struct evmeta *, const char *, size_t);
void event_init(struct event *);
void event_free(struct event *);
int event_read(struct event *, const char *, size_t, const char **);
const struct logformat *event_format(const struct event *, const char **);
int event_line(struct obuf *, struct event *, const char **);
int event_givable(const struct event *, const char **);
void event_id(char *, int64_t, uint64_t);

/*
 * The offset of the tz just read, into ev->r.off; a null tz is read as
 * +0000.  For event_read and its fast path alike (lib/evfast.c), inline
 * as both read every event.
 */
static inline int
event_tz(struct event *ev)
{
	if (ev->r.tz.p == NULL) {
		ev->r.tz.p = "+0000";
		ev->r.tz.n = 5;
	}
	return parse_offset(ev->r.tz.p, ev->r.tz.n, &ev->r.off);
}

#endif
