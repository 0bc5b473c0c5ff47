/* Progress on a terminal: archives done, events, events per second. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "restore.h"

double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Twice a second at most; done wipes the line. */
void
progress(struct restore *r, int done)
{
	static double start, last;
	static int on = -1, shown;
	double t = now();

	if (on < 0) {
		on = !r->quiet && isatty(STDERR_FILENO);
		start = t;
	}
	if (!on)
		return;
	if (done) {
		if (shown)
			fputs("\r\033[K", stderr);
		shown = 0;
		return;
	}
	if (shown && t - last < 0.5)
		return;
	last = t;
	shown = 1;
	fprintf(stderr,
	    "\r\033[K%s: %zu/%zu archives, %llu events, %.0f events/s",
	    lb_progname, r->done, r->nitems, (unsigned long long)r->events,
	    (double)r->events / (t - start + 1e-9));
}
