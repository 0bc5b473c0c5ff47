/*
 * gzip output as a series of independent members (RFC 1952 allows any
 * number), each the deflate of GZW_CHUNK input bytes, compressed by
 * worker threads with libdeflate and written in order.  Every member
 * header carries an extra field, subfield "LB" of 4 bytes: the member's
 * whole size, little-endian, so that a reader finds the next member
 * without inflating this one and can inflate several at once (see
 * lib/gzread.h).  gzip(1), GNU tar and libarchive read such files as any
 * other gzip file.
 *
 * The bytes depend only on the input bytes and the level: never on the
 * number of threads or on timing.
 *
 * Errors of writing are latched: gzw_write and gzw_close return -1 with
 * errno set once the descriptor has failed, and nothing more is written.
 */
#ifndef LB_GZWRITE_H
#define LB_GZWRITE_H

#include <stddef.h>
#include <stdint.h>

#define GZW_CHUNK (1024 * 1024)
#define GZW_HDRLEN 20 /* 10 + XLEN (2) + "LB", 4, size (4) */
/* Every member's header up to its size: mtime 0, OS 255, FEXTRA. */
#define GZW_HEADER "\x1f\x8b\x08\x04\0\0\0\0\0\xff\x08\0LB\x04\0"

struct gzw;

struct gzw *gzw_new(int, int, int);
int gzw_write(struct gzw *, const void *, size_t);
int gzw_close(struct gzw *, uint64_t *);
void gzw_free(struct gzw *);

#endif
