/* Atomic, durable replacement of a file (see atomic.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "diag.h"

/* The folder part of a path, in a buffer to free. */
static char *
folder(const char *path)
{
	const char *s = strrchr(path, '/');
	size_t n = s == NULL ? 1 : s == path ? 1 : (size_t)(s - path);
	char *d = xmalloc(n + 1);

	memcpy(d, s == NULL ? "." : path, n);
	d[n] = '\0';
	return d;
}

int
fsync_dir(const char *dir)
{
	int fd, rc, e;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	e = errno;
	close(fd);
	errno = e;
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
	int fd, rc, e;

	if (mkdir(path, mode) < 0)
		return -1;
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) <
	    0)
		return -1;
	rc = fchmod(fd, mode); /* the umask does not narrow -m */
	e = errno;
	close(fd);
	errno = e;
	if (rc < 0)
		return -1;
	parent = folder(path);
	rc = fsync_dir(parent);
	free(parent);
	return rc;
}

int
atomic_open(struct atomic *t, const char *path, mode_t mode)
{
	const char *base = strrchr(path, '/');
	size_t n = strlen(path) + 16;

	base = base != NULL ? base + 1 : path;
	t->path = xstrdup(path);
	t->tmp = xmalloc(n);
	snprintf(t->tmp, n, "%.*s.%s.XXXXXX", (int)(base - path), path, base);
	if ((t->fd = mkstemp(t->tmp)) < 0) {
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

/*
 * A temporary file beside path, already unlinked: room for what is not
 * kept, which vanishes with the descriptor however the process ends.
 */
int
atomic_scratch(const char *path, mode_t mode)
{
	struct atomic t;
	int fd;

	if (atomic_open(&t, path, mode) < 0)
		return -1;
	if (unlink(t.tmp) < 0) {
		atomic_abort(&t);
		return -1;
	}
	fd = t.fd;
	free(t.tmp);
	free(t.path);
	return fd;
}

/*
 * fsync, rename over the final name, fsync the folder; -1 with errno.
 * The folder is opened first, so that all that can fail before the
 * rename does, and a failure keeps the old file; only the folder's
 * fsync comes after, when the new file is already in place.
 */
int
atomic_commit(struct atomic *t)
{
	char *dir = folder(t->path);
	int dfd, rc, e = 0;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (dfd < 0 || fsync(t->fd) < 0)
		e = errno;
	if (close(t->fd) < 0 && e == 0)
		e = errno;
	t->fd = -1;
	if (e == 0 && rename(t->tmp, t->path) < 0)
		e = errno;
	if (e != 0) {
		if (dfd >= 0)
			close(dfd);
		errno = e;
		atomic_abort(t);
		return -1;
	}
	free(t->tmp);
	free(t->path);
	t->tmp = t->path = NULL;
	rc = fsync(dfd);
	e = errno;
	close(dfd);
	errno = e;
	return rc;
}

/* Remove the temporary file; errno is kept for the caller's message. */
void
atomic_abort(struct atomic *t)
{
	int e = errno;

	if (t->fd >= 0)
		close(t->fd);
	if (t->tmp != NULL)
		unlink(t->tmp);
	t->fd = -1;
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
