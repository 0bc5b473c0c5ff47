/* An int64 key to an index: open addressing, at most half full. */
#include <stdint.h>
#include <stdlib.h>

#include "diag.h"
#include "report.h"

static size_t
slot(const struct imap *m, int64_t k)
{
	uint64_t h = (uint64_t)k * 0x9e3779b97f4a7c15ull;
	size_t i = (size_t)(h >> 17) & (m->cap - 1);

	while (m->v[i] != SIZE_MAX && m->k[i] != k)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void
grow(struct imap *m)
{
	struct imap o = *m;
	size_t i, j;

	m->cap = o.cap ? o.cap * 2 : 64;
	m->k = xreallocarray(NULL, m->cap, sizeof(*m->k));
	m->v = xreallocarray(NULL, m->cap, sizeof(*m->v));
	for (i = 0; i < m->cap; i++)
		m->v[i] = SIZE_MAX;
	for (i = 0; i < o.cap; i++)
		if (o.v[i] != SIZE_MAX) {
			j = slot(m, o.k[i]);
			m->k[j] = o.k[i];
			m->v[j] = o.v[i];
		}
	free(o.k);
	free(o.v);
}

/* The value of k; SIZE_MAX when k was not there (the caller sets it). */
size_t *
imap_get(struct imap *m, int64_t k)
{
	size_t i;

	if (m->cap == 0 || (m->n + 1) * 2 > m->cap)
		grow(m);
	i = slot(m, k);
	if (m->v[i] == SIZE_MAX) {
		m->k[i] = k;
		m->n++;
	}
	return &m->v[i];
}

void
imap_free(struct imap *m)
{
	free(m->k);
	free(m->v);
}
