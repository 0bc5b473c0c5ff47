/* logbook-archive: shared state of the program's files. */
#ifndef ARC_H
#define ARC_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "archfmt.h"
#include "event.h"
#include "obuf.h"

/*
 * One date's events, in two files of the spill folder: an index record
 * for each (SP_INDEX), and the bytes of the lines that could not be read
 * again from their input (SP_LINES): those of standard input, of gzip
 * files, and of the archive there.  The lines of a plain file are read
 * again from it, where the index says, and checked against their hash.
 */
enum { SP_LINES, SP_INDEX };

struct sphdr {
	struct idkey k;
	uint64_t lh; /* XXH64 of the line */
	uint64_t off; /* where the line is: its input, or SP_LINES */
	uint64_t line; /* its line number in its input */
	uint32_t len;
	uint32_t file; /* its input, with SPILLED when in SP_LINES */
};

#define SPILLED 0x80000000u
#define NOFILE UINT32_MAX /* the archive there: spilled too */
#define MAXREAD 64 /* inputs read again, at most */

struct input {
	const char *name;
	uint64_t lines, bad;
	int fd; /* open to read lines again; -1: they are spilled */
};

struct sfile {
	int fd; /* -1 while closed */
	char *buf; /* bytes not yet written; NULL while closed */
	size_t len;
};

struct dspill {
	int64_t day;
	struct sfile f[2]; /* SP_LINES, SP_INDEX */
	uint64_t lsize; /* bytes in SP_LINES */
	uint64_t events;
	uint64_t use; /* for closing the least recently used */
};

struct pool;
struct wjob;

struct spill {
	char *dir; /* the private spill folder */
	int dfd; /* open on it */
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
	int hourly; /* --hourly: monthly aggregate archives */
	int list; /* --list: print them, write nothing */
	struct spill sp;
	struct event ev;
	struct input *in; /* the inputs, in order */
	size_t nin;
	size_t nread; /* inputs kept open to read lines again */
	uint64_t bad; /* malformed lines, over all inputs */
	int failed; /* an I/O error happened */
	int busy; /* another writer kept the lock */
	struct obuf out; /* stdout */
};

int spill_open(struct spill *, const char *);
int spill_add(struct spill *, int64_t, struct sphdr *, const char *);
int spill_close_all(struct spill *);
char *spill_path(const struct spill *, int64_t, int);
int spill_openat(const struct spill *, int64_t, int, int);
int spill_unlink(const struct spill *, int64_t, int);
void spill_free(struct spill *);

void inputs_init(struct run *, int, char **);
int read_input(struct run *, uint32_t);
void bad_line(struct run *, uint32_t, uint64_t, const char *);
void bad_summary(struct run *);
int build_date(struct run *, struct dspill *);
void hourly_archive(struct run *, int, char **);
int list_archives(struct run *);
void cleanup_leftovers(struct run *);
struct verify_result;
void old_failed(const char *, const struct verify_result *);
char *path_join(const char *, const char *);
int make_folders(struct run *, const char *, size_t);
void archive_line(struct run *, const char *, uint64_t, uint64_t);

#endif
