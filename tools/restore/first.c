/*
 * The first reading of an archive: every check of lib/verify.h, nothing
 * handed over, so that nothing of an archive is written, to the database
 * or to standard output, before all of it has been found good.
 */
#include <string.h>

#include "archfmt.h"
#include "diag.h"
#include "restore.h"
#include "verify.h"

struct fctx {
	struct restore *r;
	int skip;
};

/* An archive not named by date shows its date in the manifest. */
static int
on_manifest(void *arg, const struct manifest *m)
{
	struct fctx *c = arg;
	char date[DB_DATE_LEN + 1];

	if (arch_date(date, m->day) < 0 || !in_range(c->r, date)) {
		c->skip = 1;
		return -1;
	}
	return 0;
}

/* 0: good; 1: outside --from/--to; -1: refused, and said so. */
int
first_reading(struct restore *r, const struct item *it)
{
	struct fctx c = { .r = r };
	struct verify_opts o = {
		.threads = r->threads, .manifest = on_manifest, .arg = &c
	};
	struct verify_result v;
	int rc;

	if (it->date[0] != '\0' && !in_range(r, it->date))
		return 1;
	rc = verify_archive(it->path, &o, &v);
	if (rc != 0 && !c.skip) {
		warn_refused(it->path, v.check, v.detail);
		r->failed = 1;
	}
	verify_free(&v);
	return rc == 0 ? 0 : c.skip ? 1 : -1;
}
