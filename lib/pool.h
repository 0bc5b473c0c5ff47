/*
 * A few worker threads that run jobs in the order they were submitted
 * (first come, first started), for the gzip members that lib/gzwrite.h
 * and lib/gzread.h compress and inflate while the caller's thread does
 * the rest.  With 0 threads a job runs in pool_submit, in the caller's
 * thread: the results must not depend on the count.
 *
 * Each thread has its own state, made by new(arg) (a libdeflate
 * compressor, say) and given to run(arg, state, job); free(state) at
 * the end.  Without new, the state is arg; without free, it is kept.  A job is
 * a struct pjob inside the caller's own structure; it belongs to the pool from
 * pool_submit until pool_wait returns.
 */
#ifndef LB_POOL_H
#define LB_POOL_H

#include <stddef.h>

struct pjob {
	struct pjob *next;
	int state; /* the pool's, under its lock */
	int busy; /* the caller's: submitted, not yet waited */
};

struct poolfn {
	void *(*new)(void *);
	void (*run)(void *, void *, struct pjob *);
	void (*free)(void *);
	void *arg;
};

struct pool;

struct pool *pool_new(size_t, const struct poolfn *);
void pool_submit(struct pool *, struct pjob *);
void pool_wait(struct pool *, struct pjob *);
int pool_busy(const struct pjob *);
void pool_free(struct pool *);
int pool_ncpu(int);

#endif
