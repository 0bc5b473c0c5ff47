/* Atomic, durable replacement of a file (see atomic.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "diag.h"

/* The folder part of a path, in a buffer to free. */
char *
atomic_folder(const char *path)
{
	const char *s = strrchr(path, '/');
	size_t n = s == NULL ? 1 : s == path ? 1 : (size_t)(s - path);
	char *d = xmalloc(n + 1);

	memcpy(d, s == NULL ? "." : path, n);
	d[n] = '\0';
	return d;
}

/* close(2), errno left as it was: the caller reports what came before. */
static void
close_keep(int fd)
{
	int e = errno;

	close(fd);
	errno = e;
}

int
fsync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	close_keep(fd);
	return rc;
}

/*
 * mkdir, and make the new entry durable in its parent.  The mode is set
 * through a descriptor of the new folder, so that a link put in its
 * place meanwhile is not followed.
 */
int
mkdir_synced(const char *path, mode_t mode)
{
	char *parent;
	int fd, rc;

	if (mkdir(path, mode) < 0)
		return -1;
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) <
	    0)
		return -1;
	rc = fchmod(fd, mode); /* the umask does not narrow -m */
	close_keep(fd);
	if (rc < 0)
		return -1;
	parent = atomic_folder(path);
	rc = fsync_dir(parent);
	free(parent);
	return rc;
}

/*
 * mkdirat, with the mode set through a descriptor of the new folder that
 * does not follow a link, and the entry made durable in dirfd's folder.
 * The new folder's descriptor, or -1 with errno.
 */
int
mkdirat_synced(int dirfd, const char *name, mode_t mode)
{
	int fd;

	if (mkdirat(dirfd, name, mode) < 0)
		return -1;
	if ((fd = openat(dirfd, name,
	         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	if (fchmod(fd, mode) < 0 || fsync(dirfd) < 0) {
		close_keep(fd);
		return -1;
	}
	return fd;
}

/*
 * The temporary file's mode, once it is made; when it could not be, or
 * the mode not set, nothing is left and errno says why.
 */
static int
made(struct atomic *t, mode_t mode)
{
	if (t->fd < 0) {
		free(t->tmp); /* nothing was made: unlink nothing */
		t->tmp = NULL;
		atomic_abort(t);
		return -1;
	}
	if (fchmod(t->fd, mode) < 0) {
		atomic_abort(t);
		return -1;
	}
	return 0;
}

/* n name characters, random: O_EXCL, not they, keeps files apart. */
static void
random_name(char *s, size_t n)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                          "abcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned long long seq;
	unsigned char b[16];
	unsigned long long x;
	struct timespec ts;
	size_t i;

	if (n > sizeof(b) || getrandom(b, n, GRND_NONBLOCK) != (ssize_t)n) {
		(void)clock_gettime(CLOCK_REALTIME, &ts);
		x = (unsigned long long)ts.tv_nsec ^
		    (unsigned long long)getpid() << 32 ^
		    ++seq * 0x9e3779b97f4a7c15ull;
		for (i = 0; i < sizeof(b); i++,
		    x = x * 6364136223846793005ull + 1442695040888963407ull)
			b[i] = (unsigned char)(x >> 56);
	}
	for (i = 0; i < n; i++)
		s[i] = set[b[i % sizeof(b)] % (sizeof(set) - 1)];
}

int
atomic_openat(struct atomic *t, int dirfd, const char *name, mode_t mode)
{
	size_t len = strlen(name), n = len + 9;
	int tries;

	t->fd = -1;
	t->path = xstrdup(name);
	t->tmp = NULL;
	if ((t->dfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0)) < 0) {
		atomic_abort(t);
		return -1;
	}
	t->tmp = xmalloc(n);
	for (tries = 0; tries < 100 && t->fd < 0; tries++) {
		snprintf(t->tmp, n, ".%s.", name);
		random_name(t->tmp + len + 2, 6);
		t->tmp[len + 8] = '\0';
		t->fd = openat(t->dfd, t->tmp,
		    O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (t->fd < 0 && errno != EEXIST)
			break;
	}
	return made(t, mode);
}

/*
 * A name that is there and is no regular file (/dev/null, a terminal, a
 * FIFO, /dev/stdout) is written through, as a shell's > would: renaming
 * a file over it would put a file in a device's place.  1: t is open on
 * it; 0: not such a name; -1: it could not be opened.
 */
static int
through(struct atomic *t, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0 || S_ISREG(st.st_mode))
		return 0;
	if ((t->fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)) < 0)
		return -1;
	/* Made a file since: replace it after all. */
	if (fstat(t->fd, &st) == 0 && S_ISREG(st.st_mode)) {
		close(t->fd);
		return 0;
	}
	t->path = xstrdup(path);
	return 1;
}

int
atomic_open(struct atomic *t, const char *path, mode_t mode)
{
	const char *base = strrchr(path, '/');
	size_t n = strlen(path) + 16;
	int rc;

	base = base != NULL ? base + 1 : path;
	t->dfd = -1;
	t->tmp = NULL;
	if ((rc = through(t, path)) != 0)
		return rc > 0 ? 0 : -1;
	t->path = xstrdup(path);
	t->tmp = xmalloc(n);
	snprintf(t->tmp, n, "%.*s.%s.XXXXXX", (int)(base - path), path, base);
	t->fd = mkstemp(t->tmp);
	return made(t, mode);
}

/*
 * A temporary file in the folder open on dirfd, beside name, already
 * unlinked: room for what is not kept, which vanishes with the
 * descriptor however the process ends.
 */
int
atomic_scratchat(int dirfd, const char *name, mode_t mode)
{
	struct atomic t;
	int fd;

	if (atomic_openat(&t, dirfd, name, mode) < 0)
		return -1;
	if (unlinkat(t.dfd, t.tmp, 0) < 0) {
		atomic_abort(&t);
		return -1;
	}
	fd = t.fd;
	close(t.dfd);
	free(t.tmp);
	free(t.path);
	return fd;
}

/*
 * fsync, rename over the final name, fsync the folder; -1 with errno.
 * The folder is opened first (atomic_openat's already is), so that all
 * that can fail before the rename does, and a failure keeps the old
 * file; only the folder's fsync comes after, when the new file is
 * already in place.
 */
int
atomic_commit(struct atomic *t)
{
	char *dir;
	int at = t->dfd >= 0, dfd = t->dfd, rc, e = 0;

	if (t->tmp == NULL) { /* written through (see through()) */
		rc = close(t->fd);
		t->fd = -1;
		free(t->path);
		t->path = NULL;
		return rc;
	}
	if (!at) {
		dir = atomic_folder(t->path);
		dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		free(dir);
	}
	if (dfd < 0 || fsync(t->fd) < 0)
		e = errno;
	if (close(t->fd) < 0 && e == 0)
		e = errno;
	t->fd = -1;
	if (e == 0 &&
	    (at ? renameat(dfd, t->tmp, dfd, t->path)
	        : rename(t->tmp, t->path)) < 0)
		e = errno;
	if (e != 0) {
		if (!at && dfd >= 0)
			close(dfd);
		errno = e;
		atomic_abort(t); /* closes t->dfd */
		return -1;
	}
	free(t->tmp);
	free(t->path);
	t->tmp = t->path = NULL;
	t->dfd = -1;
	rc = fsync(dfd);
	close_keep(dfd);
	return rc;
}

/* Remove the temporary file; errno is kept for the caller's message. */
void
atomic_abort(struct atomic *t)
{
	int e = errno;

	if (t->fd >= 0)
		close(t->fd);
	if (t->tmp != NULL && t->dfd >= 0)
		unlinkat(t->dfd, t->tmp, 0);
	else if (t->tmp != NULL)
		unlink(t->tmp);
	if (t->dfd >= 0)
		close(t->dfd);
	t->fd = t->dfd = -1;
	free(t->tmp);
	free(t->path);
	t->tmp = t->path = NULL;
	errno = e;
}

/*
 * When name is a temporary file atomic_open made, the final name it was
 * for (a pointer into name, *n bytes long); else NULL.
 */
const char *
atomic_temp_of(const char *name, size_t *n)
{
	size_t len = strlen(name);

	if (len < 9 || name[0] != '.' || name[len - 7] != '.')
		return NULL;
	*n = len - 8;
	return name + 1;
}
