/*
 * The archives to read: each ARCHIVE argument as given, and the archives
 * under each DIR (named logbook-YYYY-MM-DD.tar.gz, at any depth), by
 * date.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archfmt.h"
#include "diag.h"
#include "restore.h"
#include "walk.h"

/*
 * Folders are entered, not followed through symbolic links; a link to
 * an archive is read.  A folder that cannot be read is an error, an
 * entry that cannot be examined is not an archive.
 */
static const struct walk_policy found = { WALK_DAILY, WALK_FILELINKS, 0,
	WALK_ANYDEPTH, WALK_EREAD, WALK_BYDATE };

static void
add(struct restore *r, char *path, const char *date)
{
	struct item *it;

	if (r->nitems == r->capitems) {
		r->capitems = r->capitems ? 2 * r->capitems : 64;
		r->items =
		    xreallocarray(r->items, r->capitems, sizeof(*r->items));
	}
	it = &r->items[r->nitems++];
	it->path = path;
	snprintf(it->date, sizeof(it->date), "%s", date);
}

/* The date a file's name gives it, or "". */
static void
name_date(const char *path, char *date)
{
	const char *base = strrchr(path, '/');
	int64_t day;

	base = base != NULL ? base + 1 : path;
	date[0] = '\0';
	if (arch_parse_base(base, strlen(base), &day) == 0) {
		memcpy(date, base + 8, DB_DATE_LEN);
		date[DB_DATE_LEN] = '\0';
	}
}

void
list_add(struct restore *r, const char *arg)
{
	char date[DB_DATE_LEN + 1];
	struct walk_list l = { NULL, 0, 0 };
	struct stat sb;
	size_t i;

	if (stat(arg, &sb) < 0) {
		lb_warn("%s", lb_escs(arg));
		r->failed = 1;
		return;
	}
	if (!S_ISDIR(sb.st_mode)) {
		name_date(arg, date);
		add(r, xstrdup(arg), date);
		return;
	}
	if (walk_dir(arg, &found, &l) > 0)
		r->failed = 1;
	for (i = 0; i < l.n; i++) {
		name_date(l.v[i].path, date);
		add(r, l.v[i].path, date);
	}
	free(l.v);
	if (l.n == 0 && !r->quiet)
		lb_warnx("%s: no archives in it", lb_escs(arg));
}

void
list_free(struct restore *r)
{
	size_t i;

	for (i = 0; i < r->nitems; i++)
		free(r->items[i].path);
	free(r->items);
	free(r->dates);
}

/* A date in from..to, both included. */
int
in_range(const struct restore *r, const char *date)
{
	return strcmp(date, r->from) >= 0 && strcmp(date, r->to) <= 0;
}
