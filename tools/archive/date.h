/* logbook-archive: one date's archive being built (build.c, write.c). */
#ifndef DATE_H
#define DATE_H

#include <stdint.h>

#include "arc.h"

/* An event of the date: where its line is. */
struct ient {
	struct idkey k;
	uint64_t lh; /* XXH64 of the line */
	uint64_t off;
	uint64_t no; /* its index record */
	uint32_t len;
	uint32_t file; /* as in struct sphdr */
};

#define OLD(e) ((e)->file == NOFILE) /* from the archive there */

/* Windows on the files lines are read from, the least used replaced. */
#define NWIN 4

struct win {
	int fd; /* -1: unused */
	char *buf;
	size_t cap, len;
	size_t served; /* bytes handed out since the last read */
	uint64_t off; /* of buf[0] in the file */
	uint64_t use;
};

struct date {
	struct run *r;
	int64_t day;
	char *path; /* DIR/YYYY/MM/logbook-YYYY-MM-DD.tar.gz */
	char *spath[2]; /* the spill files: SP_LINES, SP_INDEX */
	int sfd[2];
	uint64_t lsize; /* bytes in SP_LINES */
	int existed;
	struct ient *ix;
	size_t n, cap;
	uint64_t added, conflicts;
	uint64_t *bad; /* index records of lines found malformed */
	size_t nbad, capbad;
	struct win win[NWIN];
	uint64_t clock;
};

int write_archive(struct date *);
int bad_record(struct date *, uint64_t, const char *);
const char *line_at(struct date *, const struct ient *);
void windows_free(struct date *);

#endif
