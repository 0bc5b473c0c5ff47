/*
 * A new database is built under a temporary name beside its own, with
 * no rollback journal synced and its secondary indexes made at the end,
 * then synced and linked into place.  That is crash-safe because it is
 * not the database until the link: a run killed meanwhile leaves no
 * database (restoring again starts over), and a later run removes the
 * temporary files of a run that is gone.  A run holds flock(2) on its
 * temporary file while it lives; SQLite's own locks are fcntl(2)'s, which
 * do not meet flock's.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "dbint.h"
#include "diag.h"

static const char *const sides[] = { "-journal", "-wal", "-shm" };
#define NSIDES (sizeof(sides) / sizeof(sides[0]))

/* The files SQLite makes beside a temporary database, gone or not. */
static void
unlink_sides(int dfd, const char *name)
{
	char side[4200];
	size_t i;

	for (i = 0; i < NSIDES; i++)
		if (snprintf(side, sizeof(side), "%s%s", name, sides[i]) <
		    (int)sizeof(side))
			(void)unlinkat(dfd, side, 0);
}

/* A temporary database of base that no live run holds: removed. */
static void
reap(int dfd, const char *name, const char *base)
{
	const char *of;
	struct stat sb;
	size_t n;
	int fd;

	if ((of = atomic_temp_of(name, &n)) == NULL || n != strlen(base) ||
	    memcmp(of, base, n) != 0)
		return;
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    flock(fd, LOCK_EX | LOCK_NB) == 0) {
		(void)unlinkat(dfd, name, 0);
		unlink_sides(dfd, name);
	}
	close(fd);
}

/* What killed runs left in the folder; none of it is worth a failure. */
static void
reap_all(int dfd, const char *base)
{
	struct dirent *e;
	DIR *dir;
	int fd;

	if ((fd = fcntl(dfd, F_DUPFD_CLOEXEC, 0)) < 0)
		return;
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((e = readdir(dir)) != NULL)
		if (e->d_name[0] == '.')
			reap(dirfd(dir), e->d_name, base);
	closedir(dir);
}

/*
 * The new database being built, removed when the program exits without
 * closing it: an error exit (out of memory) leaves no temporary file.
 */
static struct atomic *building;

static void
at_exit(void)
{
	if (building != NULL && building->tmp != NULL && building->dfd >= 0) {
		unlink_sides(building->dfd, building->tmp);
		(void)unlinkat(building->dfd, building->tmp, 0);
	}
}

static void
track(struct atomic *t)
{
	static int registered;

	if (!registered && atexit(at_exit) == 0)
		registered = 1;
	building = t;
}

/* The folder of path, open; its last part in *base. */
static int
open_folder(const char *path, const char **base)
{
	const char *s = strrchr(path, '/');
	char *dir = atomic_folder(path);
	int fd;

	*base = s != NULL ? s + 1 : path;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	return fd;
}

/*
 * 1: path is missing, and d is set to build it in a temporary file,
 * whose path is *as; 0: path is there (or cannot be looked at: SQLite
 * says why); -1: the temporary file could not be made (d's message).
 */
int
dbfresh_make(struct db *d, const char *path, char **as)
{
	const char *base;
	struct stat sb;
	size_t n;
	int dfd;

	*as = NULL;
	if (lstat(path, &sb) == 0 || errno != ENOENT || path[0] == '\0')
		return 0;
	if ((dfd = open_folder(path, &base)) < 0 || *base == '\0') {
		db_fail(d, "cannot open: cannot create %s: %s", lb_escs(base),
		    strerror(dfd < 0 ? errno : EISDIR));
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	reap_all(dfd, base);
	if (atomic_openat(&d->tmp, dfd, base, DB_MODE) < 0 ||
	    flock(d->tmp.fd, LOCK_EX) < 0) {
		db_fail(d, "cannot open: cannot create %s: %s", lb_escs(base),
		    strerror(errno));
		if (d->tmp.fd >= 0)
			atomic_abort(&d->tmp);
		close(dfd);
		return -1;
	}
	close(dfd);
	n = (size_t)(base - path) + strlen(d->tmp.tmp) + 1;
	*as = xmalloc(n);
	snprintf(*as, n, "%.*s%s", (int)(base - path), path, d->tmp.tmp);
	d->fresh = 1;
	d->newpath = xstrdup(path);
	track(&d->tmp);
	return 1;
}

/* Linked under its name, never over another's: 0, or the errno. */
static int
place(struct atomic *t)
{
	if (fsync(t->fd) < 0 || linkat(t->dfd, t->tmp, t->dfd, t->path, 0) < 0)
		return errno;
	return 0;
}

/*
 * Opened once under its name and closed as every later run closes it,
 * so that its -wal and -shm are there, with its mode, as after any
 * restore: a reader who may not write the folder can then read it.
 */
static int
settle(struct db *d)
{
	int rc;

	if (sqlite3_open_v2(d->newpath, &d->h, SQLITE_OPEN_READWRITE,
	        dbvfs_name()) != SQLITE_OK ||
	    sqlite3_db_config(
	        d->h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL) != SQLITE_OK)
		rc = db_sqlfail(d, "the new database is in place, but");
	else
		rc = db_exec(d, "SELECT count(*) FROM sqlite_master",
		    "the new database is in place, but");
	if (d->h != NULL && sqlite3_close_v2(d->h) != SQLITE_OK && rc == 0)
		rc = db_sqlfail(d, "the new database is in place, but");
	d->h = NULL;
	return rc;
}

/*
 * After SQLite closed it: synced, linked under its name (never over a
 * database another run made meanwhile), the folder synced.
 */
int
dbfresh_commit(struct db *d)
{
	struct atomic *t = &d->tmp;
	int e = place(t);

	if (e == EEXIST)
		db_fail(d,
		    "another run made the database meanwhile; this "
		    "run's archives are not in it: restore them again");
	else if (e != 0)
		db_fail(
		    d, "cannot put the new database in place: %s", strerror(e));
	else if (unlinkat(t->dfd, t->tmp, 0) < 0 || fsync(t->dfd) < 0) {
		e = errno;
		db_fail(d, "the new database is in place, but its folder: %s",
		    strerror(e));
	}
	unlink_sides(t->dfd, t->tmp);
	if (e != 0) {
		dbfresh_abort(d); /* the temporary name; a linked one stays */
		return -1;
	}
	building = NULL;
	free(t->tmp); /* linked, and its name gone */
	t->tmp = NULL;
	atomic_abort(t);
	d->fresh = 0;
	e = settle(d);
	free(d->newpath);
	d->newpath = NULL;
	return e;
}

/* Nothing of it stays. */
void
dbfresh_abort(struct db *d)
{
	if (d->tmp.tmp != NULL && d->tmp.dfd >= 0)
		unlink_sides(d->tmp.dfd, d->tmp.tmp);
	building = NULL;
	atomic_abort(&d->tmp);
	free(d->newpath);
	d->newpath = NULL;
	d->fresh = 0;
}
