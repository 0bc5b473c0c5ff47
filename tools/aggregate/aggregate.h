/* logbook-aggregate: shared state of the program's files. */
#ifndef AGGREGATE_H
#define AGGREGATE_H

#include <pthread.h>
#include <stdint.h>

#include "agg.h"
#include "event.h"
#include "pool.h"

#define SHOW_BAD 10 /* bad lines shown per file */
#define WHY_LEN 120

/* A bad line, kept to be reported in input order. */
struct bad {
	uint64_t line; /* in its unit */
	char why[WHY_LEN];
};

/*
 * A piece of work: a whole input, or a range of lines of a plain file
 * that several threads share.  A worker fills in what it saw; the main
 * thread reports it, in order, with line numbers counted from the start
 * of the file.
 */
struct unit {
	struct pjob job; /* first: the pool hands it back */
	const char *path;
	int fd; /* a range of the plain file open on fd, or -1: all of path */
	uint64_t off, len; /* the range; len LR_TOEND: to the end */
	int last; /* the file's last unit */
	uint64_t lines; /* that the reader completed */
	uint64_t counted; /* lines, a long line once */
	uint64_t nbad;
	struct bad shown[SHOW_BAD + 1];
	size_t nshown;
	int failed; /* an I/O error, errmsg or errnum */
	const char *errmsg;
	int errnum;
	int onopen; /* the error was opening the file */
};

/* A thread's own state. */
struct worker {
	struct agg *agg;
	int merge;
	struct event ev;
	struct worker *next;
};

struct run {
	struct aggopts o;
	int merge; /* input is partial rows */
	int jobs;
	size_t top; /* rows a bucket at most; 0: all */
	struct unit *u;
	size_t nu, capu;
	pthread_mutex_t mu; /* guards workers */
	struct worker *workers;
	uint64_t f_lines, f_counted, f_bad; /* of the file being reported */
	uint64_t bad; /* over all files */
	int failed; /* an I/O error happened */
};

void plan_file(struct run *, const char *);
void plan_close(struct run *);
uint64_t plan_size(const struct run *);
void run_unit(struct worker *, struct unit *);
void report_unit(struct run *, const struct unit *);
int write_rows(struct run *, enum agg_out);

#endif
