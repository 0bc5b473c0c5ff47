/* logbook-ingest: shared state of the program's files. */
#ifndef INGEST_H
#define INGEST_H

#include <stdint.h>

#include "logformat.h"
#include "obuf.h"

#define MAXCAND 8

struct ingest {
	const struct logformat *cand[MAXCAND]; /* tried in this order */
	size_t ncand;
	int autodetect;
	const char *src;
	size_t srclen;
	uint64_t srcseed;
	int quiet;
	int verbose;
	struct obuf out;
	struct obuf rej;
	const char *rejpath;
	uint64_t rejects; /* over all files */
	int failed; /* an I/O error happened */
};

int ingest_file(struct ingest *, const char *);

#endif
