/* Writing all of a buffer (see wio.h). */
#include <errno.h>
#include <limits.h>
#include <unistd.h>

#include "wio.h"

/*
 * Write the n bytes at p to fd: 0, or -1 with errno set by the write
 * that failed.  A write of nothing (which POSIX leaves open for a file
 * that cannot grow) is an error too, EIO, not a reason to spin.
 */
int
wr_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, s, n > (size_t)SSIZE_MAX ? (size_t)SSIZE_MAX : n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}
