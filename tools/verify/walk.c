/*
 * The operands: an archive is checked as it is; a folder stands for the
 * archives under it (files named logbook-YYYY-MM-DD.tar.gz and
 * logbook-YYYY-MM.hourly.tar.gz, not inside hidden folders), in the
 * order of their paths.  A file named *.hourly.tar.gz is checked as a
 * monthly aggregate archive (lib/monthly.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "archfmt.h"
#include "check.h"
#include "diag.h"
#include "monthly.h"

#define MAXDEPTH 16

struct list {
	char **p;
	size_t n, cap;
};

static void walk(struct run *, struct list *, const char *, int);

static char *
join(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	char *p = xmalloc(n + m + 2);

	memcpy(p, a, n);
	p[n] = '/';
	memcpy(p + n + 1, b, m + 1);
	return p;
}

static void
add(struct list *l, char *p)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->p = xreallocarray(l->p, l->cap, sizeof(*l->p));
	}
	l->p[l->n++] = p;
}

/* A folder or an entry that cannot be read: its archives are unknown. */
static void
unreadable(struct run *r, const char *path)
{
	lb_warn("%s", lb_escs(path));
	r->errors++;
}

static int
archive_name(const char *name)
{
	char month[8];
	int64_t day;

	return arch_parse_base(name, strlen(name), &day) == 0 ||
	    monthly_parse_base(name, strlen(name), month) == 0;
}

/* One entry of a folder: a folder to walk, an archive, or neither. */
static void
entry(struct run *r, struct list *l, char *p, const char *name, int depth)
{
	struct stat st;

	if (stat(p, &st) < 0) {
		/* Gone since it was listed, or a dangling link of no archive.
		 */
		if (errno != ENOENT || archive_name(name))
			unreadable(r, p);
	} else if (S_ISDIR(st.st_mode) && depth < MAXDEPTH) {
		walk(r, l, p, depth + 1);
	} else if (S_ISREG(st.st_mode) && archive_name(name)) {
		add(l, p);
		return;
	}
	free(p);
}

static void
walk(struct run *r, struct list *l, const char *dir, int depth)
{
	struct dirent *e;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		unreadable(r, dir);
		return;
	}
	for (;;) {
		errno = 0;
		if ((e = readdir(d)) == NULL)
			break;
		if (e->d_name[0] != '.')
			entry(r, l, join(dir, e->d_name), e->d_name, depth);
	}
	if (errno != 0)
		unreadable(r, dir);
	closedir(d);
}

static int
bypath(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
check_one(struct run *r, const char *path)
{
	struct verify_opts o = { r->threads, NULL, NULL, NULL, NULL };
	struct verify_result res;
	size_t n = strlen(path), k = strlen(MONTHLY_SUFFIX);

	if (n >= k && strcmp(path + n - k, MONTHLY_SUFFIX) == 0)
		(void)monthly_verify(path, r->threads, NULL, NULL, &res);
	else if (verify_archive(path, &o, &res) == 0 && r->db != NULL)
		(void)db_check(r, &res);
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
	struct list l = { NULL, 0, 0 };
	struct stat st;
	uint64_t errors;
	size_t i;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		check_one(r, path);
		return;
	}
	errors = r->errors;
	walk(r, &l, path, 0);
	if (l.n > 0)
		qsort(l.p, l.n, sizeof(*l.p), bypath);
	for (i = 0; i < l.n; i++) {
		check_one(r, l.p[i]);
		free(l.p[i]);
	}
	free(l.p);
	if (l.n > 0 || r->errors > errors)
		return; /* a folder that could not be read was named */
	memset(&res, 0, sizeof(res));
	res.check = "read";
	strcpy(res.detail, "no archives under it");
	r->failed++;
	report(r, path, &res);
}
