/* Worker threads taking jobs first come, first started. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "diag.h"
#include "pool.h"

enum { P_IDLE, P_QUEUED, P_RUNNING, P_DONE };

struct pool {
	struct poolfn fn;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct pjob *head, *tail; /* queued, oldest first */
	int quit;
	size_t n;
	pthread_t *th;
	void *local; /* without threads: the caller's state */
};

static void *
state_new(struct pool *p)
{
	return p->fn.new != NULL ? p->fn.new(p->fn.arg) : p->fn.arg;
}

static void *
worker(void *arg)
{
	struct pool *p = arg;
	void *local = state_new(p);
	struct pjob *j;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->head == NULL && !p->quit)
			pthread_cond_wait(&p->work, &p->mu);
		if ((j = p->head) == NULL)
			break;
		if ((p->head = j->next) == NULL)
			p->tail = NULL;
		j->state = P_RUNNING;
		pthread_mutex_unlock(&p->mu);
		p->fn.run(p->fn.arg, local, j);
		pthread_mutex_lock(&p->mu);
		j->state = P_DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	if (p->fn.free != NULL)
		p->fn.free(local);
	return NULL;
}

struct pool *
pool_new(size_t n, const struct poolfn *fn)
{
	struct pool *p = xcalloc(1, sizeof(*p));
	size_t i;

	p->fn = *fn;
	p->n = n;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->th = xcalloc(n + 1, sizeof(*p->th));
	for (i = 0; i < n; i++)
		if ((errno = pthread_create(&p->th[i], NULL, worker, p)) != 0)
			lb_err(EX_FAIL, "pthread_create");
	if (n == 0)
		p->local = state_new(p);
	return p;
}

void
pool_submit(struct pool *p, struct pjob *j)
{
	j->next = NULL;
	j->busy = 1;
	if (p->n == 0) {
		p->fn.run(p->fn.arg, p->local, j);
		j->state = P_DONE;
		return;
	}
	pthread_mutex_lock(&p->mu);
	j->state = P_QUEUED;
	if (p->tail != NULL)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

/* Until j has run; then it is the caller's again. */
void
pool_wait(struct pool *p, struct pjob *j)
{
	if (!j->busy)
		return;
	if (p->n > 0) {
		pthread_mutex_lock(&p->mu);
		while (j->state != P_DONE)
			pthread_cond_wait(&p->done, &p->mu);
		j->state = P_IDLE;
		pthread_mutex_unlock(&p->mu);
	}
	j->busy = 0;
}

/* Submitted and not yet waited for. */
int
pool_busy(const struct pjob *j)
{
	return j->busy;
}

/* Jobs still queued are dropped; running ones finish first. */
void
pool_free(struct pool *p)
{
	size_t i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	p->head = p->tail = NULL;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->n; i++)
		pthread_join(p->th[i], NULL);
	if (p->n == 0 && p->fn.free != NULL)
		p->fn.free(p->local);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	free(p->th);
	free(p);
}

/* The processors online, from 1 to max: how many workers to start. */
int
pool_ncpu(int max)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > max ? max : (int)n;
}
