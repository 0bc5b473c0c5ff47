/*
 * Unit tests: wr_all writes everything or fails with the write's errno:
 * through a pipe a slow reader drains while a timer interrupts the
 * writer (EINTR and short writes), into a file that may grow only so far
 * (a short write, then EFBIG), to /dev/full, to a closed descriptor.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "wio.h"

#define BIG (1024 * 1024 + 17)

static volatile sig_atomic_t ticks;

static void
tick(int sig)
{
	(void)sig;
	ticks++;
}

static unsigned char
byte_at(size_t i)
{
	return (unsigned char)(i * 131 + (i >> 9));
}

/* The reader: n bytes in small slow reads; exit 0 when all as written. */
static _Noreturn void
reader(int fd, size_t n)
{
	struct timespec pause = { 0, 200 * 1000 };
	unsigned char buf[4096];
	size_t got = 0, i;
	ssize_t r;

	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < (size_t)r; i++)
			if (buf[i] != byte_at(got + i))
				_exit(1);
		got += (size_t)r;
		nanosleep(&pause, NULL);
	}
	_exit(r == 0 && got == n ? 0 : 1);
}

static void
pipe_read_back(void)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 500 }, { 0, 500 } },
	                 off = { { 0, 0 }, { 0, 0 } };
	unsigned char *p = malloc(BIG);
	int fd[2], st, rc;
	size_t i;
	pid_t pid;

	if (p == NULL)
		exit(1);
	for (i = 0; i < BIG; i++)
		p[i] = byte_at(i);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tick; /* no SA_RESTART: writes are interrupted */
	sigaction(SIGALRM, &sa, NULL);
	if (pipe(fd) < 0 || (pid = fork()) < 0) {
		tap_ok(0, "pipe: set up");
		return;
	}
	if (pid == 0) {
		close(fd[1]);
		reader(fd[0], BIG);
	}
	close(fd[0]);
	setitimer(ITIMER_REAL, &it, NULL);
	rc = wr_all(fd[1], p, BIG);
	setitimer(ITIMER_REAL, &off, NULL);
	close(fd[1]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	tap_ok(rc == 0, "pipe: 1 MiB written, interrupted by signals");
	tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "pipe: the reader got every byte, in order");
	printf("# %d signals while writing\n", (int)ticks);
	signal(SIGALRM, SIG_IGN);
	free(p);
}

static void
small_read_back(void)
{
	char buf[32];
	ssize_t r;
	int fd[2];

	if (pipe(fd) < 0) {
		tap_ok(0, "small: set up");
		return;
	}
	tap_ok(wr_all(fd[1], "hello, pipe", 11) == 0, "small: written");
	close(fd[1]);
	r = read(fd[0], buf, sizeof(buf));
	tap_mem(buf, r > 0 ? (size_t)r : 0, "hello, pipe", "small: read back");
	close(fd[0]);
}

/* A file that may grow to 1000 bytes: 1000 written, then EFBIG. */
static void
short_then_efbig(void)
{
	char path[] = "/tmp/wio-test.XXXXXX", buf[3000];
	struct rlimit old, lim;
	struct stat st;
	int fd, rc, e;

	memset(buf, 'x', sizeof(buf));
	if ((fd = mkstemp(path)) < 0 || getrlimit(RLIMIT_FSIZE, &old) < 0) {
		tap_ok(0, "fsize: set up");
		return;
	}
	unlink(path);
	signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = 1000;
	setrlimit(RLIMIT_FSIZE, &lim);
	errno = 0;
	rc = wr_all(fd, buf, sizeof(buf));
	e = errno;
	setrlimit(RLIMIT_FSIZE, &old);
	tap_ok(rc == -1 && e == EFBIG,
	    "fsize: -1 with EFBIG after a short "
	    "write (rc %d, %s)",
	    rc, strerror(e));
	tap_ok(fstat(fd, &st) == 0 && st.st_size == 1000,
	    "fsize: the short write's bytes are there");
	close(fd);
}

static void
dev_full(void)
{
	char buf[100] = { 0 };
	int fd = open("/dev/full", O_WRONLY), rc, e;

	errno = 0;
	rc = wr_all(fd, buf, sizeof(buf));
	e = errno;
	tap_ok(fd >= 0 && rc == -1 && e == ENOSPC,
	    "/dev/full: -1 with ENOSPC (rc %d, %s)", rc, strerror(e));
	if (fd >= 0)
		close(fd);
}

static void
closed_fd(void)
{
	int fd[2], rc, e;

	if (pipe(fd) < 0) {
		tap_ok(0, "closed: set up");
		return;
	}
	close(fd[0]);
	close(fd[1]);
	errno = 0;
	rc = wr_all(fd[1], "abc", 3);
	e = errno;
	tap_ok(rc == -1 && e == EBADF,
	    "closed descriptor: -1 with EBADF (rc %d, %s)", rc, strerror(e));
	tap_ok(wr_all(fd[1], "", 0) == 0, "nothing to write: 0, no write");
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN); /* a reader gone: EPIPE, not death */
	small_read_back();
	pipe_read_back();
	short_then_efbig();
	dev_full();
	closed_fd();
	return tap_failed || tap_done();
}
