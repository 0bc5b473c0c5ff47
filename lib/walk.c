/*
 * The archives under a folder, by a policy (walk.h): the one walker of
 * logbook-verify, logbook-restore, logbook-report and of the jobs,
 * through logbook-archive --list.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "archfmt.h"
#include "diag.h"
#include "monthly.h"
#include "timeconv.h"
#include "walk.h"

struct walker {
	const struct walk_policy *pol;
	struct walk_list *l;
	size_t errors;
};

static void walk(struct walker *, const char *, unsigned);

static void
fail(struct walker *w, const char *path)
{
	lb_warn("%s", lb_escs(path));
	w->errors++;
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

static void
add(struct walk_list *l, char *path, int64_t day, int kind, off_t size)
{
	struct walk_item *it;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	it = &l->v[l->n++];
	it->path = path;
	it->day = day;
	it->monthly = kind == WALK_MONTHLY;
	it->size = (uint64_t)size;
}

/* The kind of archive a name is of the policy's kinds, and its day. */
static int
archive_kind(const struct walk_policy *pol, const char *name, int64_t *day)
{
	size_t n = strlen(name);
	char month[8];

	if ((pol->kinds & WALK_DAILY) && arch_parse_base(name, n, day) == 0)
		return WALK_DAILY;
	if ((pol->kinds & WALK_MONTHLY) &&
	    monthly_parse_base(name, n, month) == 0) {
		*day = days_from_civil(strtol(month, NULL, 10),
		    (unsigned)strtol(month + 5, NULL, 10), 1);
		return WALK_MONTHLY;
	}
	return 0;
}

/* A name of n digits, such as a year's folder. */
static int
digits(const char *s, size_t n)
{
	return strspn(s, "0123456789") == n && s[n] == '\0';
}

/* Whether a folder found at depth is entered. */
static int
enter(const struct walk_policy *pol, const char *name, unsigned depth)
{
	if (!pol->layout)
		return depth < pol->maxdepth;
	return depth == 0 ? digits(name, 4) : depth == 1 && digits(name, 2);
}

/*
 * In the layout, an archive's folders are those of its month: two levels
 * down, dir ends in /YYYY/MM (enter), and the name begins
 * logbook-YYYY-MM.
 */
static int
in_place(const struct walk_policy *pol, const char *dir, const char *name,
    unsigned depth)
{
	size_t n = strlen(dir);

	if (!pol->layout)
		return 1;
	return depth == 2 && n >= 8 && memcmp(dir + n - 7, name + 8, 4) == 0 &&
	    memcmp(dir + n - 2, name + 13, 2) == 0;
}

/* A regular file, through a link when the policy follows those. */
static int
regular(const struct walk_policy *pol, const char *path, struct stat *st)
{
	if (S_ISLNK(st->st_mode) && pol->follow == WALK_FILELINKS &&
	    stat(path, st) < 0)
		return 0;
	return S_ISREG(st->st_mode);
}

/* One entry of a folder: a folder to walk, an archive, or neither. */
static void
entry(struct walker *w, const char *dir, const char *name, unsigned depth)
{
	const struct walk_policy *pol = w->pol;
	char *p = join(dir, name);
	struct stat st;
	int64_t day = 0;
	int kind = archive_kind(pol, name, &day), rc;

	rc = pol->follow == WALK_ALLLINKS ? stat(p, &st) : lstat(p, &st);
	if (rc < 0) {
		/* Gone since it was listed, or a dangling link of no archive.
		 */
		if ((pol->errors & WALK_ESTAT) && (errno != ENOENT || kind))
			fail(w, p);
	} else if (S_ISDIR(st.st_mode)) {
		if (enter(pol, name, depth))
			walk(w, p, depth + 1);
	} else if (kind != 0 && regular(pol, p, &st) &&
	    in_place(pol, dir, name, depth)) {
		add(w->l, p, day, kind, st.st_size);
		return;
	}
	free(p);
}

static void
walk(struct walker *w, const char *dir, unsigned depth)
{
	struct dirent *e;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		fail(w, dir);
		return;
	}
	for (;;) {
		errno = 0;
		if ((e = readdir(d)) == NULL)
			break;
		if (e->d_name[0] != '.')
			entry(w, dir, e->d_name, depth);
	}
	if (errno != 0 && (w->pol->errors & WALK_EREAD))
		fail(w, dir);
	closedir(d);
}

static int
bypath(const void *x, const void *y)
{
	const struct walk_item *a = x, *b = y;

	return strcmp(a->path, b->path);
}

static int
bydate(const void *x, const void *y)
{
	const struct walk_item *a = x, *b = y;

	if (a->monthly != b->monthly)
		return a->monthly - b->monthly;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return strcmp(a->path, b->path);
}

/*
 * Add the archives under dir to l, sorted among themselves by the
 * policy's order; the number of errors reported.
 */
size_t
walk_dir(const char *dir, const struct walk_policy *pol, struct walk_list *l)
{
	struct walker w = { pol, l, 0 };
	size_t first = l->n;

	walk(&w, dir, 0);
	if (l->n - first > 1)
		qsort(l->v + first, l->n - first, sizeof(*l->v),
		    pol->order == WALK_BYDATE ? bydate : bypath);
	return w.errors;
}

void
walk_free(struct walk_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
