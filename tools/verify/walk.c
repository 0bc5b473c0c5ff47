/*
 * The operands: an archive is checked as it is; a folder stands for the
 * archives under it (files named logbook-YYYY-MM-DD.tar.gz and
 * logbook-YYYY-MM.hourly.tar.gz, not inside hidden folders), in the
 * order of their paths.  A file named *.hourly.tar.gz is checked as a
 * monthly aggregate archive (lib/monthly.h).
 */
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "diag.h"
#include "monthly.h"
#include "walk.h"

/*
 * Links are followed, to archives and to folders, down to 16 levels of
 * folders (which bounds a loop of links).  A folder or an entry that
 * cannot be read is an error, and so is a dangling link named as an
 * archive: the archives there are unknown.
 */
static const struct walk_policy checked = { WALK_DAILY | WALK_MONTHLY,
	WALK_ALLLINKS, 0, 16, WALK_EREAD | WALK_ESTAT, WALK_BYPATH };

static void
check_one(struct run *r, const char *path)
{
	struct verify_opts o = { r->threads, NULL, NULL, NULL, NULL };
	struct verify_result res;
	size_t n = strlen(path), k = strlen(MONTHLY_SUFFIX);

	if (n >= k && strcmp(path + n - k, MONTHLY_SUFFIX) == 0)
		(void)monthly_verify(path, r->threads, NULL, NULL, &res);
	else if (verify_archive(path, &o, &res) == 0 && r->db != NULL)
		(void)db_check(r, path, &res);
	/* Not a verdict on the archive (lib/archread.h): no report. */
	if (res.check != NULL && strcmp(res.check, "memory") == 0)
		lb_errx(EX_FAIL, "%s: out of memory", lb_esc(path, n));
	r->archives++;
	if (res.check == NULL) {
		r->ok++;
		r->events += res.monthly ? 0 : res.events;
	} else
		r->failed++;
	report(r, path, &res);
	verify_free(&res);
}

void
check_path(struct run *r, const char *path)
{
	struct verify_result res;
	struct walk_list l = { NULL, 0, 0 };
	struct stat st;
	size_t i, found, errors;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		check_one(r, path);
		return;
	}
	errors = walk_dir(path, &checked, &l);
	r->errors += errors;
	for (i = 0; i < l.n; i++)
		check_one(r, l.v[i].path);
	found = l.n;
	walk_free(&l);
	if (found > 0 || errors > 0)
		return; /* a folder that could not be read was named */
	memset(&res, 0, sizeof(res));
	res.check = "read";
	strcpy(res.detail, "no archives under it");
	r->failed++;
	report(r, path, &res);
}
