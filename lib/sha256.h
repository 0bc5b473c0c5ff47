/*
 * SHA-256 (FIPS 180-4).  The archives carry the digests of their members
 * so that sha256sum(1) can check them; the x86-64 SHA extensions are used
 * when the processor has them, else portable C gives the same digests.
 */
#ifndef LB_SHA256_H
#define LB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32
#define SHA256_HEXLEN 64

struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	unsigned char buf[64];
	size_t nbuf;
};

void sha256_init(struct sha256 *);
void sha256_update(struct sha256 *, const void *, size_t);
void sha256_final(struct sha256 *, unsigned char[SHA256_LEN]);
void sha256_hex(char[SHA256_HEXLEN + 1], const unsigned char[SHA256_LEN]);
int sha256_accel(int);

#endif
