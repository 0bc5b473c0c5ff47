/*
 * What a killed run left: spill folders in DIR and temporary archives
 * in DIR/YYYY/MM.  Only names of those forms are touched, and only with
 * the folder's lock held, so no running writer can own them.  Whoever
 * can write to DIR can plant anything under those names, so nothing is
 * reached by a path that a symbolic link could redirect: each folder is
 * opened relative to its parent's descriptor, not followed, checked,
 * and its entries removed with unlinkat.  A link, or what is not of the
 * kind and owner we make, is left alone with a warning.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arc.h"
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

static void
warn_at(const char *dir, const char *name, const char *why)
{
	char *p = path_join(dir, name);

	if (why != NULL)
		lb_warnx("%s: left alone: %s", lb_escs(p), why);
	else
		lb_warn("%s", lb_escs(p));
	free(p);
}

/*
 * The next entry of folder d (at path), or NULL at its end or when it
 * cannot be read: that is warned of, since leftovers may then stay.
 */
static struct dirent *
next(DIR *d, const char *path)
{
	struct dirent *e;

	errno = 0;
	if ((e = readdir(d)) == NULL && errno != 0)
		lb_warn("%s", lb_escs(path));
	return e;
}

/*
 * Why name in folder fd is not of type (and, if mine, of our user), or
 * NULL.
 */
static const char *
not_ours(int fd, const char *name, mode_t type, int mine, struct stat *st)
{
	if (fstatat(fd, name, st, AT_SYMLINK_NOFOLLOW) < 0)
		return strerror(errno);
	if (S_ISLNK(st->st_mode))
		return "a symbolic link";
	if ((st->st_mode & S_IFMT) != type)
		return type == S_IFDIR ? "not a folder" : "not a regular file";
	if (mine && st->st_uid != geteuid())
		return "owned by another user";
	return NULL;
}

/*
 * Folder name in fd, opened without following a link, as a directory
 * stream; NULL when it is not one.  A spill folder (spill) must be ours
 * and is warned of; a year or month folder that is not one is skipped.
 */
static DIR *
open_folder(int fd, const char *dir, const char *name, int spill)
{
	struct stat a, b;
	const char *why;
	DIR *d;
	int sub;

	if ((why = not_ours(fd, name, S_IFDIR, spill, &a)) != NULL) {
		if (spill)
			warn_at(dir, name, why);
		return NULL;
	}
	sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0 || fstat(sub, &b) < 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino || (d = fdopendir(sub)) == NULL) {
		if (spill)
			warn_at(
			    dir, name, sub < 0 ? NULL : "changed meanwhile");
		if (sub >= 0)
			close(sub);
		return NULL;
	}
	return d;
}

/* Empty a spill folder of ours, then remove it. */
static void
rm_spill(int fd, const char *dir, const char *name)
{
	struct dirent *e;
	char *path;
	DIR *d;

	if ((d = open_folder(fd, dir, name, 1)) == NULL)
		return;
	path = path_join(dir, name);
	while ((e = next(d, path)) != NULL)
		if (strcmp(e->d_name, ".") != 0 &&
		    strcmp(e->d_name, "..") != 0 &&
		    unlinkat(dirfd(d), e->d_name, 0) < 0)
			warn_at(path, e->d_name, NULL);
	closedir(d);
	free(path);
	if (unlinkat(fd, name, AT_REMOVEDIR) < 0)
		warn_at(dir, name, NULL);
}

/* A temporary archive: removed when it is a regular file of ours. */
static void
rm_temp(int fd, const char *dir, const char *name)
{
	struct stat st;
	const char *why;

	if ((why = not_ours(fd, name, S_IFREG, 1, &st)) != NULL)
		warn_at(dir, name, why);
	else if (unlinkat(fd, name, 0) < 0)
		warn_at(dir, name, NULL);
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

/*
 * The folders DIR/YYYY/MM (level 1: YYYY, 2: MM) that are folders, not
 * links to one, swept of temporary archives.
 */
static void
sweep(DIR *d, const char *path, int level)
{
	struct dirent *e;
	char *sub;
	DIR *s;

	while ((e = next(d, path)) != NULL) {
		if (level == 2 && temp_archive(e->d_name))
			rm_temp(dirfd(d), path, e->d_name);
		else if (level == 2 ||
		    !all_digits(e->d_name, level == 0 ? 4 : 2))
			continue;
		else if ((s = open_folder(dirfd(d), path, e->d_name, 0)) !=
		    NULL) {
			sub = path_join(path, e->d_name);
			sweep(s, sub, level + 1);
			free(sub);
			closedir(s);
		}
	}
}

void
cleanup_leftovers(struct run *r)
{
	struct dirent *e;
	DIR *d;

	if ((d = opendir(r->dir)) == NULL) {
		lb_warn("%s", lb_escs(r->dir));
		return;
	}
	while ((e = next(d, r->dir)) != NULL)
		if (spill_folder(e->d_name))
			rm_spill(dirfd(d), r->dir, e->d_name);
	rewinddir(d);
	sweep(d, r->dir, 0);
	closedir(d);
}
