/*
 * One archive to standard output (--emit).  Lines written cannot be
 * taken back, so the archive is read twice: checked whole first, then
 * written out.
 */
#include <string.h>

#include "archfmt.h"
#include "diag.h"
#include "restore.h"
#include "verify.h"

struct ectx {
	struct restore *r;
	int skip; /* its date is outside --from/--to */
	int bad; /* an event the emitter could not write */
	const char *why;
};

static int
on_manifest(void *arg, const struct manifest *m)
{
	struct ectx *c = arg;
	char date[DB_DATE_LEN + 1];

	if (arch_date(date, m->day) < 0 || !in_range(c->r, date)) {
		c->skip = 1;
		return -1;
	}
	return 0;
}

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
		progress(c->r, 0);
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
emit_archive(struct restore *r, const struct item *it)
{
	struct ectx c = { .r = r };
	struct verify_opts o = {
		.threads = r->threads, .manifest = on_manifest, .arg = &c
	};
	struct verify_result v;
	int rc;

	if (it->date[0] != '\0' && !in_range(r, it->date))
		return;
	rc = verify_archive(it->path, &o, &v);
	if (rc == 0) {
		verify_free(&v);
		o.event = on_event;
		rc = verify_archive(it->path, &o, &v);
	}
	if (rc != 0 && !c.skip)
		refuse(r, it->path, &c, &v);
	verify_free(&v);
	r->done++;
	progress(r, 0);
}
