/*
 * The operands: an archive is checked as it is; a folder stands for the
 * archives under it (files named logbook-YYYY-MM-DD.tar.gz and
 * logbook-YYYY-MM.hourly.tar.gz, not inside hidden folders), in the
 * order of their paths.  A file named *.hourly.tar.gz is checked as a
 * monthly aggregate archive (lib/monthly.h).
 */
#include <dirent.h>
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

static void
walk(struct list *l, const char *dir, int depth)
{
	struct dirent *e;
	struct stat st;
	char month[8];
	int64_t day;
	DIR *d;
	char *p;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		p = join(dir, e->d_name);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) &&
		    depth < MAXDEPTH)
			walk(l, p, depth + 1);
		else if (stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		    (arch_parse_base(e->d_name, strlen(e->d_name), &day) == 0 ||
		        monthly_parse_base(
		            e->d_name, strlen(e->d_name), month) == 0)) {
			add(l, p);
			continue;
		}
		free(p);
	}
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
	size_t i;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		check_one(r, path);
		return;
	}
	walk(&l, path, 0);
	if (l.n > 0)
		qsort(l.p, l.n, sizeof(*l.p), bypath);
	for (i = 0; i < l.n; i++) {
		check_one(r, l.p[i]);
		free(l.p[i]);
	}
	free(l.p);
	if (l.n > 0)
		return;
	memset(&res, 0, sizeof(res));
	res.check = "read";
	strcpy(res.detail, "no archives under it");
	r->failed++;
	report(r, path, &res);
}
