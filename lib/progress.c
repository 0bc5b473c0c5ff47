/*
 * The progress meter of lib/progress.h: one line on a terminal, written
 * with write(2) under a lock, since the threads of logbook-aggregate
 * count too.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "progress.h"

#define INTERVAL 0.25 /* seconds between redraws, at least */
#define ERASE "\r\033[K"
#define LABEL_MAX 1100 /* a program name and an escaped file name */

static struct {
	pthread_mutex_t mu; /* the line, and all but the counts */
	pthread_t owner; /* pg_init's thread */
	int on; /* stderr is a terminal and progress is wanted */
	int active; /* between pg_start and pg_done */
	int held; /* erased for a message: not drawn until owner's update */
	int drawn; /* the task was drawn, with these counts last */
	uint64_t drawn_done, drawn_extra;
	double start, last;
	char label[LABEL_MAX];
	const char *noun, *extranoun;
	uint64_t total;
	_Atomic uint64_t done, extra;
} pg = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* The line is on the terminal: what the signal handler must erase. */
static volatile sig_atomic_t shown;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* All of p to the terminal, or progress off for good; errno kept. */
static void
put(const char *p, size_t n)
{
	int e = errno;
	ssize_t w;

	while (n > 0 && pg.on) {
		if ((w = write(STDERR_FILENO, p, n)) < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			pg.on = pg.active = 0;
			shown = 0;
			break;
		}
		p += w;
		n -= (size_t)w;
	}
	errno = e;
}

/* One column short of the terminal's width: the line never wraps. */
static size_t
columns(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		return (size_t)ws.ws_col - 1;
	return 79;
}

/* Under the lock, active: the line as it stands, over the last one. */
static void
draw(double t)
{
	struct pg_view v;
	char line[LABEL_MAX + 200];
	size_t n, max = columns();

	v.label = pg.label;
	v.noun = pg.noun;
	v.extranoun = pg.extranoun;
	v.done = atomic_load(&pg.done);
	v.total = pg.total;
	v.extra = atomic_load(&pg.extra);
	v.elapsed = t - pg.start;
	line[0] = '\r';
	n = pg_format(line + 1, sizeof(line) - 4, &v);
	if (n > max)
		n = max;
	memcpy(line + 1 + n, "\033[K", 3);
	pg.last = t;
	pg.drawn = 1;
	pg.drawn_done = v.done;
	pg.drawn_extra = v.extra;
	shown = 1;
	put(line, n + 4);
}

/* Under the lock. */
static void
erase(void)
{
	if (shown)
		put(ERASE, sizeof(ERASE) - 1);
	shown = 0;
}

/*
 * SIGINT, SIGTERM: the line erased with async-signal-safe calls only,
 * then the signal again with its default action, which ends the process
 * as it would have without the meter.
 */
static void
on_signal(int sig)
{
	struct sigaction sa;
	ssize_t w = 0;

	if (shown)
		w = write(STDERR_FILENO, ERASE, sizeof(ERASE) - 1);
	(void)w; /* a failed write: nothing more a handler can do */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(sig, &sa, NULL);
	(void)raise(sig); /* delivered once the handler returns */
}

/* A signal the shell ignores (a background job's SIGINT) stays so. */
static void
catch_signal(int sig)
{
	struct sigaction sa, old;

	if (sigaction(sig, NULL, &old) < 0 || old.sa_handler == SIG_IGN)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(sig, &sa, NULL);
}

static void
at_exit(void)
{
	pthread_mutex_lock(&pg.mu);
	erase();
	pg.on = pg.active = 0;
	pthread_mutex_unlock(&pg.mu);
}

/* Once, before any other thread: on when want and stderr is a terminal. */
int
pg_init(int want)
{
	pg.owner = pthread_self();
	pg.on = want && isatty(STDERR_FILENO);
	if (pg.on) {
		catch_signal(SIGINT);
		catch_signal(SIGTERM);
		if (atexit(at_exit) != 0)
			pg.on = 0;
	}
	return pg.on;
}

/*
 * A new task: label (a file name, escaped here; NULL: none), its total
 * (0: not known) of noun (NULL: bytes), and an extra count of extranoun
 * (NULL: none).  The nouns must outlive the task.
 */
void
pg_start(
    const char *label, uint64_t total, const char *noun, const char *extranoun)
{
	pthread_mutex_lock(&pg.mu);
	if (pg.on) {
		erase();
		if (label != NULL)
			snprintf(pg.label, sizeof(pg.label), "%s: %s",
			    lb_progname, lb_escs(label));
		else
			snprintf(pg.label, sizeof(pg.label), "%s", lb_progname);
		pg.total = total;
		pg.noun = noun;
		pg.extranoun = extranoun;
		atomic_store(&pg.done, 0);
		atomic_store(&pg.extra, 0);
		pg.start = pg.last = now();
		pg.active = 1;
		pg.held = pg.drawn = 0;
	}
	pthread_mutex_unlock(&pg.mu);
}

/*
 * Redrawn when the last was INTERVAL ago: a clock read, no more, so a
 * caller may update every few thousand lines.  Another thread than the
 * owner skips a redraw rather than wait for the lock.
 */
static void
update(void)
{
	int owner = pthread_equal(pthread_self(), pg.owner);
	double t;

	if (owner ? pthread_mutex_lock(&pg.mu) != 0
	          : pthread_mutex_trylock(&pg.mu) != 0)
		return;
	if (owner)
		pg.held = 0;
	if (pg.active && !pg.held && (t = now()) - pg.last >= INTERVAL)
		draw(t);
	pthread_mutex_unlock(&pg.mu);
}

/* The counts so far: done of the total, and the extra count. */
void
pg_set(uint64_t done, uint64_t extra)
{
	atomic_store(&pg.done, done);
	atomic_store(&pg.extra, extra);
	update();
}

/* More done, from any thread. */
void
pg_add(uint64_t done, uint64_t extra)
{
	atomic_fetch_add(&pg.done, done);
	atomic_fetch_add(&pg.extra, extra);
	update();
}

/* The line off the terminal, before another message takes it. */
void
pg_clear(void)
{
	pthread_mutex_lock(&pg.mu);
	if (pg.on) {
		erase();
		pg.held = pg.active;
	}
	pthread_mutex_unlock(&pg.mu);
}

/*
 * The task's end: its last state (N of N, 100%) drawn unless it was
 * already, then erased.
 */
void
pg_done(void)
{
	pthread_mutex_lock(&pg.mu);
	if (pg.on && pg.active) {
		if (!pg.drawn || pg.drawn_done != atomic_load(&pg.done) ||
		    pg.drawn_extra != atomic_load(&pg.extra))
			draw(now());
		erase();
		pg.active = 0;
	}
	pthread_mutex_unlock(&pg.mu);
}

/*
 * What is left to read of the regular file open on fd, from where it
 * is (standard input may be part read): a total; 0 when not known.
 */
uint64_t
pg_fdsize(int fd)
{
	struct stat st;
	off_t at;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (at = lseek(fd, 0, SEEK_CUR)) < 0 || at > st.st_size)
		return 0;
	return (uint64_t)(st.st_size - at);
}
