/*
 * The most frequent keys of a stream in bounded memory: the Space-Saving
 * summary (Metwally, Agrawal and El Abbadi, 2005) of HH_CAP counters.  A
 * key kept has count c and error e: it was seen between c - e and c
 * times.  While no counter was ever taken over, every count is exact.
 * Summaries merge by adding counts and errors (Agarwal et al., Mergeable
 * Summaries, 2012), which keeps that bound.
 *
 * The counters are a min-heap by count, so that the one taken over is at
 * the root, and a hash table of heap positions by key (linear probing,
 * deleted by backward shift).
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "report.h"
#include "xxhash.h"

#define NSLOT (2 * HH_CAP)

static size_t
home(const struct hhent *e)
{
	return (size_t)(e->hash >> 7) & (NSLOT - 1);
}

/* The slot of key, or the empty one where it would go. */
static size_t
find(const struct heavy *h, const char *p, size_t n, uint64_t hash)
{
	size_t i = (size_t)(hash >> 7) & (NSLOT - 1);
	const struct hhent *e;

	for (; h->slot[i] != 0; i = (i + 1) & (NSLOT - 1)) {
		e = &h->e[h->slot[i] - 1];
		if (e->hash == hash && e->n == n && memcmp(e->key, p, n) == 0)
			break;
	}
	return i;
}

/* Empty slot i, moving back the entries that probed past it. */
static void
unslot(struct heavy *h, size_t i)
{
	size_t j = i, k;

	for (;;) {
		h->slot[i] = 0;
		for (;;) {
			j = (j + 1) & (NSLOT - 1);
			if (h->slot[j] == 0)
				return;
			k = home(&h->e[h->slot[j] - 1]);
			/* j may move to i unless its home lies in (i, j] */
			if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
				continue;
			break;
		}
		h->slot[i] = h->slot[j];
		h->e[h->slot[i] - 1].at = i;
		i = j;
	}
}

static void
swap(struct heavy *h, size_t a, size_t b)
{
	struct hhent t = h->e[a];

	h->e[a] = h->e[b];
	h->e[b] = t;
	h->slot[h->e[a].at] = a + 1;
	h->slot[h->e[b].at] = b + 1;
}

/* Entry i's count grew: down the heap while a child is smaller. */
static void
sift(struct heavy *h, size_t i)
{
	size_t c;

	for (; (c = 2 * i + 1) < h->n; i = c) {
		if (c + 1 < h->n && h->e[c + 1].count < h->e[c].count)
			c++;
		if (h->e[c].count >= h->e[i].count)
			return;
		swap(h, i, c);
	}
}

static void
up(struct heavy *h, size_t i)
{
	while (i > 0 && i < HH_CAP && h->e[(i - 1) / 2].count > h->e[i].count) {
		swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

/* Count key c more times, with error e (from a merged summary). */
void
hh_add(struct heavy *h, const char *p, size_t n, uint64_t c, uint64_t e)
{
	uint64_t hash = xxh64(p, n, 0);
	struct hhent *x;
	size_t i;

	if (h->slot == NULL)
		h->slot = xcalloc(NSLOT, sizeof(*h->slot));
	h->total += c;
	i = find(h, p, n, hash);
	if (h->slot[i] != 0) {
		x = &h->e[h->slot[i] - 1];
		x->count += c;
		x->err += e;
		sift(h, h->slot[i] - 1);
		return;
	}
	if (h->n < HH_CAP) {
		x = &h->e[h->n];
		x->count = c;
		x->err = e;
		h->n++;
	} else {
		/* the smallest counter is taken over */
		x = &h->e[0];
		h->taken = 1;
		unslot(h, x->at);
		i = find(h, p, n, hash);
		free(x->key);
		x->err = x->count + e;
		x->count += c;
	}
	x->key = xmalloc(n + 1);
	memcpy(x->key, p, n);
	x->key[n] = '\0';
	x->n = n;
	x->hash = hash;
	x->at = i;
	h->slot[i] = (size_t)(x - h->e) + 1;
	if (x == &h->e[0])
		sift(h, 0);
	else
		up(h, h->n - 1);
}

/* Add all of b to a, and empty b. */
void
hh_merge(struct heavy *a, struct heavy *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		hh_add(a, b->e[i].key, b->e[i].n, b->e[i].count, b->e[i].err);
	/* The counts of a summary add up to all it counted. */
	a->taken |= b->taken;
	hh_free(b);
}

void
hh_free(struct heavy *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		free(h->e[i].key);
	free(h->slot);
	memset(h, 0, sizeof(*h));
}

static int
bycount(const void *x, const void *y)
{
	const struct hhent *a = *(const struct hhent *const *)x;
	const struct hhent *b = *(const struct hhent *const *)y;
	int c = (a->count < b->count) - (a->count > b->count);
	size_t n = a->n < b->n ? a->n : b->n;

	if (c != 0)
		return c;
	if ((c = memcmp(a->key, b->key, n)) != 0)
		return c;
	return (a->n > b->n) - (a->n < b->n);
}

/* The entries, most counted first, ties by key; free the array. */
const struct hhent **
hh_sorted(const struct heavy *h)
{
	const struct hhent **v =
	    xreallocarray(NULL, h->n + 1, sizeof(const struct hhent *));
	size_t i;

	for (i = 0; i < h->n; i++)
		v[i] = &h->e[i];
	qsort(v, h->n, sizeof(const struct hhent *), bycount);
	return v;
}
