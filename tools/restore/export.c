/*
 * One archive to standard output (--emit), once it has passed every
 * check (first.c): read again, its lines written as they are checked
 * once more.
 */
#include <string.h>

#include "diag.h"
#include "progress.h"
#include "restore.h"
#include "verify.h"

struct ectx {
	struct restore *r;
	int bad; /* an event the emitter could not write */
	const char *why;
};

static int
on_event(void *arg, const char *line, size_t n, const struct event *ev)
{
	struct ectx *c = arg;

	(void)ev;
	if (emit_line(c->r->em, line, n, &c->why) < 0) {
		c->bad = 1;
		return -1;
	}
	ob_drain(&c->r->out);
	if ((++c->r->events & 8191) == 0)
		pg_set(c->r->done, c->r->events);
	return c->r->out.err != 0 ? -1 : 0;
}

static void
refuse(struct restore *r, const char *path, const struct ectx *c,
    const struct verify_result *v)
{
	r->failed = 1;
	if (r->out.err != 0) {
		r->stop = 1; /* main reports the write error */
		return;
	}
	if (c->bad)
		warn_file(path, "cannot write an event: ", c->why);
	else
		warn_refused(path, v->check, v->detail);
}

void
emit_archive(struct restore *r, size_t i)
{
	const struct item *it = &r->items[i];
	struct ectx c = { .r = r };
	struct verify_opts o = {
		.threads = r->threads, .event = on_event, .arg = &c
	};
	struct verify_result v;

	if (first_reading(r, i) != 0)
		goto done;
	if (verify_archive(it->path, &o, &v) != 0)
		refuse(r, it->path, &c, &v);
	verify_free(&v);
done:
	r->done++;
	pg_set(r->done, r->events);
}
