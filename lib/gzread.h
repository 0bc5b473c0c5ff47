/*
 * Reading a gzip file to its end, strictly: every member's CRC-32 and
 * length are checked, and bytes after the last member are an error.
 * Members written by lib/gzwrite.h (their size in the "LB" extra field)
 * are inflated by worker threads with libdeflate, several at once; any
 * other member is inflated in the caller's thread with zlib.  The output
 * is the same either way, but a file must be all of one kind, and our
 * members must have our header exactly: a damaged byte the checksums do
 * not cover (the header's time, say) is an error too.
 *
 * Use:
 *	struct gzr *z = gzr_open(fd, threads, rawhash);
 *	while ((rc = gzr_read(z, &p, &n)) > 0)
 *		use n bytes at p, valid until the next call;
 *	rc < 0: gzr_error(z) says what is wrong, and where;
 *	gzr_close(z);
 *
 * Memory stays within a few MiB: a member stating its size holds at most
 * GZW_CHUNK bytes (lib/gzwrite.h), or the file is refused.
 *
 * rawhash, when not NULL, is fed every byte of the file as it is read,
 * so the file's own digest comes without reading it twice.
 */
#ifndef LB_GZREAD_H
#define LB_GZREAD_H

#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

struct gzr;

struct gzr *gzr_open(int, int, struct sha256 *);
int gzr_read(struct gzr *, const unsigned char **, size_t *);
const char *gzr_error(const struct gzr *);
int gzr_errno(const struct gzr *);
uint64_t gzr_insize(const struct gzr *);
void gzr_close(struct gzr *);

#endif
