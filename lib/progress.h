/*
 * Progress on a terminal: one line on standard error, redrawn a few times
 * a second, and only when standard error is a terminal.  A percentage
 * and an estimated time left when the total is known, counts and a rate
 * otherwise.  The line is erased before any other message (lb_warn and
 * the rest of lib/diag.h do it themselves; a program that writes to
 * stderr or to a terminal on stdout calls pg_clear first), at pg_done,
 * at exit, and on SIGINT and SIGTERM.  A write to the terminal that
 * fails turns progress off; it never fails the program.
 *
 * There is one meter per process.  pg_init, pg_start and pg_done are
 * for the thread that called pg_init; pg_add may be called from any
 * thread.  After pg_clear the line stays off until that thread's next
 * pg_set or pg_add, so another thread cannot draw it in the middle of
 * a message.
 */
#ifndef LB_PROGRESS_H
#define LB_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/* What the line says; pg_format's input. */
struct pg_view {
	const char *label; /* "logbook-ingest: access.log" */
	const char *noun; /* of done and total; NULL: they are bytes */
	const char *extranoun; /* of extra; NULL: no extra count */
	uint64_t done, total; /* total 0: not known */
	uint64_t extra;
	double elapsed; /* seconds since pg_start */
};

int pg_init(int);
void pg_start(const char *, uint64_t, const char *, const char *);
void pg_set(uint64_t, uint64_t);
void pg_add(uint64_t, uint64_t);
void pg_clear(void);
void pg_done(void);
uint64_t pg_fdsize(int);
size_t pg_format(char *, size_t, const struct pg_view *);

#endif
