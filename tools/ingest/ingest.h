/* logbook-ingest: shared state of the program's files. */
#ifndef INGEST_H
#define INGEST_H

#include <stdint.h>

#include "logformat.h"
#include "obuf.h"

#define MAXCAND 8
#define MAXCLASS 32 /* reject classes -v counts; the rest are "other" */

/* Rejects of one class: the reason without the line's bytes or offset. */
struct rclass {
	char *text;
	uint64_t n;
};

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
	struct obuf why; /* -R: file:line: reason of each reject */
	const char *whypath;
	struct obuf line; /* in memory: the reason being written */
	struct rclass cls[MAXCLASS];
	size_t ncls;
	uint64_t other; /* rejects of classes past MAXCLASS */
	uint64_t rejects; /* over all files */
	int failed; /* an I/O error happened */
};

/* Why a line was rejected: a text, or the fit of the format tried. */
struct reason {
	const char *name; /* of the input */
	uint64_t lineno;
	const char *why; /* when fail or fmt is NULL */
	const struct lf_fail *fail;
	const char *fmt;
};

int ingest_file(struct ingest *, const char *);
void reason_line(struct obuf *, const struct reason *);
void reason_count(struct ingest *, const struct reason *);
void reason_summary(struct ingest *);

#endif
