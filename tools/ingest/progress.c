/* Progress on a terminal: bytes read and lines per second, on one line. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "ingest.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int shown;

/* Wipe the progress line before any other message takes the terminal. */
void
progress_clear(void)
{
	if (shown)
		fputs("\r\033[K", stderr);
	shown = 0;
}

void
progress_tick(struct ingest *g, const char *name, uint64_t bytes,
    uint64_t lines, int done)
{
	static double start, last;
	double t = now();

	(void)g;
	if (lines == 0 && !done) { /* a new input starts the clock */
		start = last = t;
		return;
	}
	if (done) {
		progress_clear();
		return;
	}
	/* The first tick shows at once, so even a short run says it is
	 * alive; later ones at most twice a second. */
	if (shown && t - last < 0.5)
		return;
	last = t;
	shown = 1;
	fprintf(stderr, "\r\033[K%s: %s: %.1f MB, %llu lines, %.0f lines/s",
	    lb_progname, lb_escs(name), (double)bytes / 1e6,
	    (unsigned long long)lines, (double)lines / (t - start + 1e-9));
}
