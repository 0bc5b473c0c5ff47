/*
 * What a killed run left: spill folders in DIR and temporary archives
 * in DIR/YYYY/MM.  Only names of those forms are touched, and only with
 * the folder's lock held, so no running writer can own them.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "atomic.h"
#include "diag.h"
#include "monthly.h"

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return strlen(s) == n;
}

/* rm() every entry of dir whose name match() takes. */
static void
sweep(const char *dir, int (*match)(const char *), void (*rm)(const char *))
{
	struct dirent *e;
	DIR *d;
	char *p;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!match(e->d_name))
			continue;
		p = path_join(dir, e->d_name);
		rm(p);
		free(p);
	}
	closedir(d);
}

static int
any(const char *name)
{
	return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static int
spill_folder(const char *name)
{
	return strncmp(name, ".logbook-archive.", 17) == 0 &&
	    strlen(name) == 23;
}

static int
temp_archive(const char *name)
{
	const char *base;
	char month[8];
	int64_t day;
	size_t n;

	return (base = atomic_temp_of(name, &n)) != NULL &&
	    (arch_parse_base(base, n, &day) == 0 ||
	        monthly_parse_base(base, n, month) == 0);
}

static void
rm_file(const char *path)
{
	if (unlink(path) < 0)
		lb_warn("%s", lb_esc(path, strlen(path)));
}

static void
rm_tree(const char *path)
{
	sweep(path, any, rm_file);
	if (rmdir(path) < 0)
		lb_warn("%s", lb_esc(path, strlen(path)));
}

static int
is_year(const char *name)
{
	return all_digits(name, 4);
}

static int
is_month(const char *name)
{
	return all_digits(name, 2);
}

static void
month(const char *path)
{
	sweep(path, temp_archive, rm_file);
}

static void
year(const char *path)
{
	sweep(path, is_month, month);
}

void
cleanup_leftovers(struct run *r)
{
	sweep(r->dir, spill_folder, rm_tree);
	sweep(r->dir, is_year, year);
}
