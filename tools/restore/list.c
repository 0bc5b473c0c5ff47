/*
 * The archives to read: each ARCHIVE argument as given, and the archives
 * under each DIR (named logbook-YYYY-MM-DD.tar.gz, at any depth), by
 * date.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archfmt.h"
#include "diag.h"
#include "restore.h"

static void
add(struct restore *r, const char *path, const char *date)
{
	struct item *it;

	if (r->nitems == r->capitems) {
		r->capitems = r->capitems ? 2 * r->capitems : 64;
		r->items =
		    xreallocarray(r->items, r->capitems, sizeof(*r->items));
	}
	it = &r->items[r->nitems++];
	it->path = xstrdup(path);
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

static char *
join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = xmalloc(a + b + 2);

	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

/* Directories are entered, not followed through symbolic links. */
static void
walk(struct restore *r, const char *dir)
{
	char date[DB_DATE_LEN + 1], *p;
	struct dirent *de;
	struct stat sb;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		lb_warn("%s", lb_escs(dir));
		r->failed = 1;
		return;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		p = join(dir, de->d_name);
		name_date(p, date);
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			walk(r, p);
		else if (date[0] != '\0' && stat(p, &sb) == 0 &&
		    S_ISREG(sb.st_mode))
			add(r, p, date);
		free(p);
	}
	if (errno != 0) {
		lb_warn("%s", lb_escs(dir));
		r->failed = 1;
	}
	closedir(d);
}

static int
by_date(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->date, y->date);

	return c != 0 ? c : strcmp(x->path, y->path);
}

void
list_add(struct restore *r, const char *arg)
{
	char date[DB_DATE_LEN + 1];
	struct stat sb;
	size_t first = r->nitems;

	if (stat(arg, &sb) < 0) {
		lb_warn("%s", lb_escs(arg));
		r->failed = 1;
		return;
	}
	if (!S_ISDIR(sb.st_mode)) {
		name_date(arg, date);
		add(r, arg, date);
		return;
	}
	walk(r, arg);
	if (r->nitems == first) {
		if (!r->quiet)
			lb_warnx("%s: no archives in it", lb_escs(arg));
		return;
	}
	qsort(r->items + first, r->nitems - first, sizeof(*r->items), by_date);
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
