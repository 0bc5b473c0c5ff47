/*
 * What the libFuzzer targets of tests/fuzz share: comparing events, and
 * handing bytes to readers that want a file.  Static, so each target
 * takes what it uses.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

/* A property broken: say which, for the crash report, and stop. */
#define FUZZ_ASSERT(c)                                                         \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "%s:%d: property broken: %s\n",        \
			    __FILE__, __LINE__, #c);                           \
			abort();                                               \
		}                                                              \
	} while (0)

static inline int
fz_same_span(const struct span *a, const struct span *b)
{
	if (a->p == NULL || b->p == NULL)
		return a->p == b->p && a->n == b->n;
	return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

/* Every field of two events, as tests/unit/aggregate_evfast.c does. */
static inline int
fz_same_event(const struct event *a, const struct event *b)
{
	const struct span *sa[] = { &a->id, &a->ts, &a->src, &a->fmt, &a->raw64,
		&a->r.ip, &a->r.ident, &a->r.user, &a->r.req, &a->r.method,
		&a->r.path, &a->r.query, &a->r.proto, &a->r.status, &a->r.bytes,
		&a->r.rt, &a->r.host, &a->r.referer, &a->r.ua, &a->r.tz,
		&a->r.frac };
	const struct span *sb[] = { &b->id, &b->ts, &b->src, &b->fmt, &b->raw64,
		&b->r.ip, &b->r.ident, &b->r.user, &b->r.req, &b->r.method,
		&b->r.path, &b->r.query, &b->r.proto, &b->r.status, &b->r.bytes,
		&b->r.rt, &b->r.host, &b->r.referer, &b->r.ua, &b->r.tz,
		&b->r.frac };
	size_t i;

	for (i = 0; i < sizeof(sa) / sizeof(sa[0]); i++)
		if (!fz_same_span(sa[i], sb[i]))
			return 0;
	if (a->nx != b->nx)
		return 0;
	for (i = 0; i < a->nx; i++)
		if (!fz_same_span(&a->xname[i], &b->xname[i]) ||
		    !fz_same_span(&a->xv[i], &b->xv[i]))
			return 0;
	return a->status == b->status && a->bytes == b->bytes &&
	    a->cr == b->cr && a->r.sec == b->r.sec && a->r.off == b->r.off &&
	    a->r.rtscale == b->r.rtscale && a->r.lossy == b->r.lossy;
}

/*
 * The bytes as a file that readers open by path: one temporary file per
 * process, rewritten for each input.  Returns its path.
 */
static char fz_path[64];

static inline void
fz_unlink(void)
{
	(void)unlink(fz_path);
}

static inline const char *
fz_file(const unsigned char *data, size_t n)
{
	char *path = fz_path;
	FILE *f;

	if (path[0] == '\0') {
		const char *d = getenv("TMPDIR");

		snprintf(path, sizeof(fz_path), "%s/lbfuzz.%ld",
		    d != NULL && strlen(d) < 32 ? d : "/tmp", (long)getpid());
		atexit(fz_unlink);
	}
	f = fopen(path, "wb");
	if (f == NULL || (n > 0 && fwrite(data, 1, n, f) != n) ||
	    fclose(f) != 0) {
		perror(path);
		abort();
	}
	return path;
}

#endif
