/* An exclusive flock, waited for (see lock.h). */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Take the lock on path (made with mode if missing), trying every 50 ms
 * for up to secs seconds.  The descriptor that holds it, or -1 with
 * errno set: EWOULDBLOCK when another process kept it all along.
 */
int
lock_wait(const char *path, mode_t mode, double secs)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	double end = now() + secs;
	int fd, e;

	/* A new lock file gets mode exactly, whatever the umask. */
	if ((fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	         mode)) >= 0) {
		if (fchmod(fd, mode) < 0) {
			e = errno;
			close(fd);
			errno = e;
			return -1;
		}
	} else if (errno != EEXIST ||
	    (fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		e = errno;
		if ((e != EWOULDBLOCK && e != EINTR) || now() >= end) {
			close(fd);
			errno = e;
			return -1;
		}
		nanosleep(&pause, NULL);
	}
	return fd;
}
