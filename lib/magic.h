/*
 * What compression a stream is in, told by its first bytes, never by a
 * file's name: gzip, xz, zstd or bzip2, or none (plain).
 *
 * magic_of(p, n) looks at the n bytes read so far: MAGIC_MORE when they
 * could still begin a compressed stream and more are to be had (at most
 * MAGIC_LEN in all), else the kind.  At the end of the input, with fewer
 * bytes than the magic of a kind, the input is plain.
 *
 * A bzip2 stream is taken for one only with its first block's (or its
 * end's) magic as well, as libarchive bids for it, so that what is told
 * bzip2 here is what libarchive then decodes.
 */
#ifndef LB_MAGIC_H
#define LB_MAGIC_H

#include <stddef.h>

#define MAGIC_LEN 10
#define MAGIC_MORE (-1)

enum magic { MAGIC_PLAIN, MAGIC_GZIP, MAGIC_XZ, MAGIC_ZSTD, MAGIC_BZIP2 };

int magic_of(const unsigned char *, size_t);

#endif
