/* logbook-archive: one date's archive being built (build.c, write.c). */
#ifndef DATE_H
#define DATE_H

#include <stdint.h>

#include "archive.h"

/* An event of the date: where its line is in the spill file. */
struct ient {
	struct idkey k;
	uint64_t lh; /* XXH64 of the line */
	uint64_t off;
	uint64_t no; /* its index record */
	uint32_t len;
	uint32_t old; /* 1: from the archive already there */
};

struct date {
	struct run *r;
	int64_t day;
	char *path; /* DIR/YYYY/MM/logbook-YYYY-MM-DD.tar.gz */
	char *spath[2]; /* the spill files: SP_LINES, SP_INDEX */
	int sfd[2];
	uint64_t oldstart; /* the first index record of the archive's */
	int existed;
	struct ient *ix;
	size_t n, cap;
	uint64_t added, conflicts;
	uint64_t *bad; /* index records of lines found malformed */
	size_t nbad, capbad;
	char *win; /* a window of the spill file */
	size_t wcap, wlen;
	uint64_t woff;
};

int write_archive(struct date *);
int bad_record(struct date *, uint64_t, const char *);
const char *spill_at(struct date *, uint64_t, size_t);

#endif
