/* logbook-archive: shared state of the program's files. */
#ifndef ARCHIVE_H
#define ARCHIVE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "archfmt.h"
#include "event.h"
#include "obuf.h"

/*
 * One date's spilled events, in two files of the spill folder: the
 * lines' bytes one after the other (SP_LINES), and for each its index
 * record (SP_INDEX), so that the index is read without the lines.
 */
enum { SP_LINES, SP_INDEX };

struct sphdr {
	struct idkey k;
	uint64_t lh; /* XXH64 of the line */
	uint32_t len;
	uint32_t file; /* the input it came from; NOFILE: the archive */
	uint64_t line; /* its line number there */
};

#define NOFILE UINT32_MAX

struct input {
	const char *name;
	uint64_t lines, bad;
};

struct sfile {
	int fd; /* -1 while closed */
	char *buf; /* bytes not yet written; NULL while closed */
	size_t len;
};

struct dspill {
	int64_t day;
	struct sfile f[2]; /* SP_LINES, SP_INDEX */
	uint64_t events;
	uint64_t use; /* for closing the least recently used */
};

struct pool;
struct wjob;

struct spill {
	char *dir; /* the private spill folder */
	struct pool *pool; /* a thread that writes the full buffers */
	struct wjob *job;
	size_t next; /* the job to hand the next buffer to */
	struct dspill *d; /* dates, in order of first appearance */
	size_t n, cap;
	size_t *hash; /* day -> index + 1; 0 empty */
	size_t hcap;
	size_t nopen;
	uint64_t clock;
	size_t last; /* the date of the previous event */
};

struct run {
	const char *dir; /* -d, as given */
	mode_t mode, dmode; /* files, folders */
	int level, threads;
	double lockwait;
	int progress;
	struct spill sp;
	struct event ev;
	struct input *in; /* the inputs, in order */
	size_t nin;
	uint64_t bad; /* malformed lines, over all inputs */
	int failed; /* an I/O error happened */
	struct obuf out; /* stdout */
};

int spill_open(struct spill *, const char *);
int spill_add(struct spill *, int64_t, const struct sphdr *, const char *);
int spill_close_all(struct spill *);
char *spill_path(const struct spill *, int64_t, int);
void spill_free(struct spill *);

int read_input(struct run *, uint32_t);
void bad_line(struct run *, uint32_t, uint64_t, const char *);
void bad_summary(struct run *);
int build_date(struct run *, struct dspill *);
void cleanup_leftovers(struct run *);
void report(struct run *, const char *, uint64_t, uint64_t);
void progress(struct run *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

#endif
