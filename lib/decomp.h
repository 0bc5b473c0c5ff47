/*
 * The bytes of an xz, zstd or bzip2 stream decoded, through libarchive's
 * raw format and its decoder of that one kind (lib/magic.h tells the
 * kind; gzip has its own reader in lib/lineread.c).  The bytes already
 * read from fd to tell the kind are handed over at the open, and are the
 * stream's first; the rest is read from fd as it is needed, so memory
 * stays that of the decoder: bzip2's blocks, at most 900 kB; zstd's
 * window, at most 128 MiB (libzstd's default limit: a frame asking for
 * more is an error); xz's dictionary, as large as the stream states
 * (64 MiB from xz -9), since libarchive sets liblzma no limit.
 *
 * A decoder libarchive was built without is an error of the input: it
 * would otherwise run an external program (xz, zstd, bzip2) on it.
 *
 * Use:
 *	struct decomp *d = decomp_open(fd, kind, head, nhead);
 *	while ((r = decomp_read(d, buf, size)) > 0)
 *		use r bytes at buf;
 *	r < 0: decomp_error(d) says what is wrong (a string that lives on
 *	    after decomp_close), or is NULL and decomp_errno(d) is the
 *	    system's error of a read;
 *	decomp_close(d);	(fd stays open: it is the caller's)
 *
 * Concatenated streams are read one after the other, as xz, zstd and
 * bzip2 themselves do; bytes after the last one are an error.
 */
#ifndef LB_DECOMP_H
#define LB_DECOMP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct decomp;

struct decomp *decomp_open(int, int, const unsigned char *, size_t);
ssize_t decomp_read(struct decomp *, char *, size_t);
const char *decomp_error(const struct decomp *);
int decomp_errno(const struct decomp *);
uint64_t decomp_insize(const struct decomp *);
void decomp_close(struct decomp *);

#endif
