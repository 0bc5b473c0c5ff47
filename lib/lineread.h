/*
 * Line reader over a file or stdin, with transparent gzip, xz, zstd and
 * bzip2, told by the magic bytes the input starts with, never by its name
 * (lib/magic.h; concatenated streams included): gzip by zlib here, the
 * others by libarchive (lib/decomp.h).  Lines are returned with their
 * lengths and without the newline; memory is bounded by maxline (and the
 * decoder's, lib/decomp.h): a line of at most maxline bytes comes whole,
 * a longer one in pieces (the first of maxline bytes) flagged with
 * more/cont.
 *
 * lr_open_range reads len bytes of the plain file open on fd from off
 * (to its end when len is LR_TOEND), with pread, for threads that share
 * one open file: off must be where a line starts, no compression is
 * looked for, and lr_close leaves fd open.
 *
 * lr_plain says whether the lines are the file's own bytes, not decoded
 * from gzip, xz, zstd or bzip2: then a line lies in the file where the
 * count of bytes read (bytes) says, and can be read there again.
 *
 * lr_warn says why lr_next returned -1, in the manner of warn(3): the name,
 * then the reader's message or the system's.
 */
#ifndef LB_LINEREAD_H
#define LB_LINEREAD_H

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "decomp.h"
#include "lblimits.h"

/* The default limit, of event lines; logbook-ingest sets LB_LINE_MAX. */
#define LR_MAXLINE LB_EVENT_MAX
#define LR_TOEND UINT64_MAX

struct line {
	const char *p;
	size_t n;
	int nl; /* ended by a newline (the last line may not be) */
	int more; /* an overlong line: more pieces follow */
	int cont; /* an overlong line: this is not its first piece */
};

struct lreader {
	const char *name; /* for messages: the path, or "-" */
	int fd;
	int gz; /* 1 while reading gzip, 2 between members */
	struct decomp *dc; /* reading xz, zstd or bzip2 */
	int eof; /* the file is exhausted */
	int inlong; /* inside an overlong line */
	int range; /* lr_open_range: pread at pos, no gzip to detect */
	uint64_t pos;
	uint64_t left; /* bytes of the range not yet read */
	z_stream zs;
	unsigned char *in; /* compressed input */
	size_t inlen;
	size_t inpos;
	char *buf; /* decoded bytes */
	size_t cap;
	size_t start;
	size_t end;
	size_t scan; /* no newline before here */
	size_t maxline;
	uint64_t lineno; /* lines completed so far */
	uint64_t bytes; /* bytes read from the file */
	const char *errmsg; /* set when lr_next returns -1 */
	int errnum;
};

int lr_open(struct lreader *, const char *);
void lr_open_range(struct lreader *, const char *, int, uint64_t, uint64_t);
int lr_next(struct lreader *, struct line *);
void lr_close(struct lreader *);
void lr_warn(const struct lreader *);
int lr_blank(const struct line *);
int lr_plain(const struct lreader *);

#endif
