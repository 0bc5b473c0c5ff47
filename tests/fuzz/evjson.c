/*
 * libFuzzer target: the event readers, any bytes as one NDJSON line.
 *
 *	- event_read (lib/event.c) and the fast reader evfast_read
 *	  (lib/evfast.c) agree: the same verdict, and when the fast path
 *	  takes a line, the same event field by field;
 *	- an accepted event writes back the same: the line it rebuilds,
 *	  matched again and written as logbook-ingest writes events, reads
 *	  back to the same line, and that event written again is the same
 *	  bytes;
 *	- the flat object reader (lib/json.c): an object it accepts, its
 *	  strings unescaped and escaped again by json_str, reads back to the
 *	  same members.
 */
#include <stdlib.h>
#include <string.h>

#include "archfmt.h"
#include "event.h"
#include "evfast.h"
#include "fuzz.h"
#include "json.h"

static struct event slow, fast, again;

static void
agree(const char *line, size_t n)
{
	const char *w1 = "", *w2 = "";
	int r1 = event_read(&slow, line, n, &w1), r2;

	if (evfast_try(&fast, line, n) == 0) {
		FUZZ_ASSERT(r1 == 0);
		FUZZ_ASSERT(fz_same_event(&slow, &fast));
	}
	r2 = evfast_read(&fast, line, n, &w2);
	FUZZ_ASSERT(r1 == r2);
	if (r1 == 0)
		FUZZ_ASSERT(fz_same_event(&slow, &fast));
}

/* The event of line as logbook-ingest writes it, with e's id and labels. */
static int
rewrite(struct obuf *ob, const struct event *e, const struct logformat *f,
    const char *line, size_t n)
{
	struct evmeta m = { NULL, NULL, 0, NULL, e->cr };
	struct lf_fail fail;
	struct idkey k;
	struct rec r;
	char id[EVENT_ID_LEN + 1], fmt[4096];

	/* The writer makes labels valid UTF-8 (U+FFFD); the readers take
	 * any bytes in them (see README.md): no round trip to check.  The
	 * writer takes ids as event_id makes them; the reader takes any
	 * string, and every stage that keeps ids checks their form. */
	if (arch_idkey(e->id.p, e->id.n, &k) < 0 || e->fmt.n >= sizeof(fmt) ||
	    !utf8_valid(e->fmt.p, e->fmt.n) ||
	    (e->src.p != NULL && !utf8_valid(e->src.p, e->src.n)))
		return -1;
	if (e->cr && (n == 0 || line[n - 1] != '\r'))
		return -1;
	/* Matched without its CR, kept whole, as logbook-ingest does. */
	if (lf_match(f, line, n - (e->cr != 0), &r, &fail) < 0)
		return -1;
	memcpy(id, e->id.p, EVENT_ID_LEN);
	id[EVENT_ID_LEN] = '\0';
	memcpy(fmt, e->fmt.p, e->fmt.n);
	fmt[e->fmt.n] = '\0';
	m.id = id;
	m.fmt = fmt;
	m.src = e->src.p;
	m.srclen = e->src.n;
	event_write(ob, &r, f, &m, line, n);
	return 0;
}

static void
writeback(void)
{
	const struct logformat *f;
	struct obuf l1, l2, w1, w2;
	const char *why = "";

	ob_init(&l1, -1);
	ob_init(&l2, -1);
	ob_init(&w1, -1);
	ob_init(&w2, -1);
	if (event_line(&l1, &slow, &why) < 0 ||
	    (f = event_format(&slow, &why)) == NULL ||
	    rewrite(&w1, &slow, f, l1.buf, l1.len) < 0)
		goto done;
	FUZZ_ASSERT(event_read(&again, w1.buf, w1.len - 1, &why) == 0);
	FUZZ_ASSERT(event_line(&l2, &again, &why) == 0);
	FUZZ_ASSERT(l1.len == l2.len && memcmp(l1.buf, l2.buf, l1.len) == 0);
	FUZZ_ASSERT(fz_same_span(&again.id, &slow.id) &&
	    fz_same_span(&again.src, &slow.src) &&
	    fz_same_span(&again.fmt, &slow.fmt) && again.cr == slow.cr);
	f = event_format(&again, &why);
	FUZZ_ASSERT(f != NULL && rewrite(&w2, &again, f, l2.buf, l2.len) == 0);
	FUZZ_ASSERT(w1.len == w2.len && memcmp(w1.buf, w2.buf, w1.len) == 0);
done:
	ob_free(&l1);
	ob_free(&l2);
	ob_free(&w1);
	ob_free(&w2);
}

#define MAXMEM 64

struct members {
	struct jval k[MAXMEM], v[MAXMEM];
	size_t n;
};

/* All members, or -1; at most MAXMEM of them. */
static int
members(struct members *m, const char *p, size_t n)
{
	struct jobj o;
	int rc;

	m->n = 0;
	if (json_obj_begin(&o, p, n) < 0)
		return -1;
	while (m->n < MAXMEM &&
	    (rc = json_obj_next(&o, &m->k[m->n], &m->v[m->n])) == 1)
		m->n++;
	if (m->n == MAXMEM || rc < 0 || json_obj_end(&o) < 0)
		return -1;
	return 0;
}

/* A string's bytes, unescaped, into ob; 0 when not valid UTF-8. */
static int
plain(struct obuf *ob, const struct jval *v)
{
	char *d = ob_reserve(ob, v->n + 1);
	size_t k = v->esc ? json_unescape(d, v->p, v->n) : v->n;

	if (!v->esc)
		memcpy(d, v->p, v->n);
	ob->len += k;
	return utf8_valid(d, k);
}

static void
put_val(struct obuf *ob, const struct jval *v, int *ok)
{
	struct obuf t;

	if (v->type != J_STR) {
		ob_write(ob, v->p, v->n);
		return;
	}
	ob_init(&t, -1);
	*ok &= plain(&t, v);
	(void)json_str(ob, t.buf, t.len);
	ob_free(&t);
}

static int
same_val(const struct jval *a, const struct jval *b)
{
	struct obuf x, y;
	int same;

	if (a->type != b->type)
		return 0;
	if (a->type != J_STR)
		return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
	ob_init(&x, -1);
	ob_init(&y, -1);
	(void)plain(&x, a);
	(void)plain(&y, b);
	same = x.len == y.len && memcmp(x.buf, y.buf, x.len) == 0;
	ob_free(&x);
	ob_free(&y);
	return same;
}

static void
json_again(const char *p, size_t n)
{
	static struct members a, b;
	struct obuf ob;
	size_t i;
	int ok = 1;

	if (members(&a, p, n) < 0)
		return;
	ob_init(&ob, -1);
	ob_putc(&ob, '{');
	for (i = 0; i < a.n; i++) {
		if (i > 0)
			ob_putc(&ob, ',');
		put_val(&ob, &a.k[i], &ok);
		ob_putc(&ob, ':');
		put_val(&ob, &a.v[i], &ok);
	}
	ob_putc(&ob, '}');
	if (ok) {
		FUZZ_ASSERT(members(&b, ob.buf, ob.len) == 0 && b.n == a.n);
		for (i = 0; i < a.n; i++)
			FUZZ_ASSERT(same_val(&a.k[i], &b.k[i]) &&
			    same_val(&a.v[i], &b.v[i]));
	}
	ob_free(&ob);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
	const char *line = (const char *)data;

	if (memchr(line, '\n', n) != NULL)
		return 0;
	if (slow.mem == NULL) {
		event_init(&slow);
		event_init(&fast);
		event_init(&again);
	}
	agree(line, n);
	if (event_read(&slow, line, n, &(const char *){ "" }) == 0)
		writeback();
	json_again(line, n);
	return 0;
}
