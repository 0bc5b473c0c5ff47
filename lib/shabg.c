/* SHA-256 by a worker thread, fed in order through a ring of chunks. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pool.h"
#include "shabg.h"

#define CHUNK (512 * 1024)
#define NCHUNK 8

struct chunk {
	struct pjob job; /* first: the pool hands it back */
	unsigned char *p;
	size_t n;
};

struct shabg {
	struct sha256 sha; /* the worker's while chunks are out */
	struct chunk c[NCHUNK];
	size_t cur;
	struct pool *pool;
};

/* One worker: chunks are hashed in the order they were handed over. */
static void
hash(void *arg, void *local, struct pjob *j)
{
	struct shabg *h = arg;
	struct chunk *c = (struct chunk *)j;

	(void)local;
	sha256_update(&h->sha, c->p, c->n);
}

struct shabg *
shabg_new(int thread)
{
	struct shabg *h = xcalloc(1, sizeof(*h));
	struct poolfn fn = { NULL, hash, NULL, h };
	size_t i;

	for (i = 0; i < NCHUNK; i++)
		h->c[i].p = xmalloc(CHUNK);
	sha256_init(&h->sha); /* picks the implementation here, not racing */
	h->pool = pool_new(thread ? 1 : 0, &fn);
	return h;
}

static void
hand_over(struct shabg *h)
{
	if (h->c[h->cur].n == 0)
		return;
	pool_submit(h->pool, &h->c[h->cur].job);
	h->cur = (h->cur + 1) % NCHUNK;
	pool_wait(h->pool, &h->c[h->cur].job);
	h->c[h->cur].n = 0;
}

static void
drain(struct shabg *h)
{
	size_t i;

	hand_over(h);
	for (i = 0; i < NCHUNK; i++) {
		pool_wait(h->pool, &h->c[i].job);
		h->c[i].n = 0;
	}
}

void
shabg_init(struct shabg *h)
{
	drain(h);
	sha256_init(&h->sha);
}

void
shabg_update(struct shabg *h, const void *data, size_t n)
{
	const unsigned char *p = data;
	struct chunk *c;
	size_t k;

	while (n > 0) {
		c = &h->c[h->cur];
		k = CHUNK - c->n < n ? CHUNK - c->n : n;
		memcpy(c->p + c->n, p, k);
		c->n += k;
		p += k;
		n -= k;
		if (c->n == CHUNK)
			hand_over(h);
	}
}

void
shabg_final(struct shabg *h, unsigned char out[SHA256_LEN])
{
	drain(h);
	sha256_final(&h->sha, out);
}

void
shabg_free(struct shabg *h)
{
	size_t i;

	if (h == NULL)
		return;
	drain(h);
	pool_free(h->pool);
	for (i = 0; i < NCHUNK; i++)
		free(h->c[i].p);
	free(h);
}
