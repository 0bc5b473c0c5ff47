/*
 * SHA-256 in a thread of its own: the bytes are copied into chunks that
 * one worker hashes in order, so the caller's thread can parse what it
 * hashes meanwhile.  The digest is the same as lib/sha256.h's.
 *
 *	struct shabg *h = shabg_new(1);		0: hash in the caller
 *	shabg_init(h); shabg_update(h, p, n) ...; shabg_final(h, digest);
 *	shabg_free(h);
 */
#ifndef LB_SHABG_H
#define LB_SHABG_H

#include <stddef.h>

#include "sha256.h"

struct shabg;

struct shabg *shabg_new(int);
void shabg_init(struct shabg *);
void shabg_update(struct shabg *, const void *, size_t);
void shabg_final(struct shabg *, unsigned char[SHA256_LEN]);
void shabg_free(struct shabg *);

#endif
