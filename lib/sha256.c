/* SHA-256 (FIPS 180-4), portable, with the x86-64 SHA extensions. */
#include <string.h>

#include "sha256.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SHA_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = { 0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
	0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
	0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138,
	0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624,
	0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f,
	0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2 };

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* One round; the caller rotates the names instead of the values. */
#define RND(a, b, c, d, e, f, g, h, i)                                         \
	do {                                                                   \
		t = (h) + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +              \
		    (((e) & (f)) ^ (~(e) & (g))) + K[i] + w[i];                \
		(d) += t;                                                      \
		(h) = t + (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +              \
		    (((a) & (b)) ^ ((a) & (c)) ^ ((b) & (c)));                 \
	} while (0)

static void
blocks_c(uint32_t hs[8], const unsigned char *p, size_t n)
{
	uint32_t w[64], a, b, c, d, e, f, g, h, t;
	int i;

	for (; n > 0; n--, p += 64) {
		for (i = 0; i < 16; i++)
			w[i] = be32(p + 4 * i);
		for (i = 16; i < 64; i++)
			w[i] = w[i - 16] + w[i - 7] +
			    (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^
			        (w[i - 15] >> 3)) +
			    (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^
			        (w[i - 2] >> 10));
		a = hs[0], b = hs[1], c = hs[2], d = hs[3];
		e = hs[4], f = hs[5], g = hs[6], h = hs[7];
		for (i = 0; i < 64; i += 8) {
			RND(a, b, c, d, e, f, g, h, i);
			RND(h, a, b, c, d, e, f, g, i + 1);
			RND(g, h, a, b, c, d, e, f, i + 2);
			RND(f, g, h, a, b, c, d, e, i + 3);
			RND(e, f, g, h, a, b, c, d, i + 4);
			RND(d, e, f, g, h, a, b, c, i + 5);
			RND(c, d, e, f, g, h, a, b, i + 6);
			RND(b, c, d, e, f, g, h, a, i + 7);
		}
		hs[0] += a, hs[1] += b, hs[2] += c, hs[3] += d;
		hs[4] += e, hs[5] += f, hs[6] += g, hs[7] += h;
	}
}

#ifdef SHA_X86
/*
 * Four rounds with the SHA extensions.  The message words live in four
 * registers, m[g % 4] holding words 4g..4g+3; the schedule of the words
 * three groups ahead is interleaved as Intel's white paper shows.
 */
#define QROUND(g, cur, prev, next)                                             \
	do {                                                                   \
		msg = _mm_add_epi32(cur,                                       \
		    _mm_loadu_si128(                                           \
		        (const __m128i *)(const void *)(K + 4 * (g))));        \
		st1 = _mm_sha256rnds2_epu32(st1, st0, msg);                    \
		if ((g) >= 3 && (g) <= 14) {                                   \
			tmp = _mm_alignr_epi8(cur, prev, 4);                   \
			(next) = _mm_add_epi32(next, tmp);                     \
			(next) = _mm_sha256msg2_epu32(next, cur);              \
		}                                                              \
		msg = _mm_shuffle_epi32(msg, 0x0e);                            \
		st0 = _mm_sha256rnds2_epu32(st0, st1, msg);                    \
		if ((g) >= 1 && (g) <= 12)                                     \
			(prev) = _mm_sha256msg1_epu32(prev, cur);              \
	} while (0)

__attribute__((target("sha,ssse3,sse4.1"))) static void
blocks_x86(uint32_t h[8], const unsigned char *p, size_t n)
{
	const __m128i bswap =
	    _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i st0, st1, msg, tmp, m0, m1, m2, m3, save0, save1;

	tmp = _mm_loadu_si128((const __m128i *)(void *)&h[0]);
	st1 = _mm_loadu_si128((const __m128i *)(void *)&h[4]);
	tmp = _mm_shuffle_epi32(tmp, 0xb1); /* CDAB */
	st1 = _mm_shuffle_epi32(st1, 0x1b); /* EFGH */
	st0 = _mm_alignr_epi8(tmp, st1, 8); /* ABEF */
	st1 = _mm_blend_epi16(st1, tmp, 0xf0); /* CDGH */
	for (; n > 0; n--, p += 64) {
		save0 = st0;
		save1 = st1;
		m0 = _mm_shuffle_epi8(_mm_loadu_si128((const void *)p), bswap);
		m1 = _mm_shuffle_epi8(
		    _mm_loadu_si128((const void *)(p + 16)), bswap);
		m2 = _mm_shuffle_epi8(
		    _mm_loadu_si128((const void *)(p + 32)), bswap);
		m3 = _mm_shuffle_epi8(
		    _mm_loadu_si128((const void *)(p + 48)), bswap);
		QROUND(0, m0, m3, m1);
		QROUND(1, m1, m0, m2);
		QROUND(2, m2, m1, m3);
		QROUND(3, m3, m2, m0);
		QROUND(4, m0, m3, m1);
		QROUND(5, m1, m0, m2);
		QROUND(6, m2, m1, m3);
		QROUND(7, m3, m2, m0);
		QROUND(8, m0, m3, m1);
		QROUND(9, m1, m0, m2);
		QROUND(10, m2, m1, m3);
		QROUND(11, m3, m2, m0);
		QROUND(12, m0, m3, m1);
		QROUND(13, m1, m0, m2);
		QROUND(14, m2, m1, m3);
		QROUND(15, m3, m2, m0);
		st0 = _mm_add_epi32(st0, save0);
		st1 = _mm_add_epi32(st1, save1);
	}
	tmp = _mm_shuffle_epi32(st0, 0x1b); /* FEBA */
	st1 = _mm_shuffle_epi32(st1, 0xb1); /* DCHG */
	st0 = _mm_blend_epi16(tmp, st1, 0xf0); /* DCBA */
	st1 = _mm_alignr_epi8(st1, tmp, 8); /* HGFE */
	_mm_storeu_si128((__m128i *)(void *)&h[0], st0);
	_mm_storeu_si128((__m128i *)(void *)&h[4], st1);
}

static int
have_x86(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) ||
	    !(c & bit_SSE4_1))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b >> 29) & 1;
}
#endif

static void (*blocks)(uint32_t *, const unsigned char *, size_t);

/*
 * Choose the implementation: on 0 the portable one (the tests compare
 * both), else the fastest the processor runs.  Returns 1 when that is
 * the hardware one.
 */
int
sha256_accel(int on)
{
	blocks = blocks_c;
#ifdef SHA_X86
	if (on && have_x86())
		blocks = blocks_x86;
	return blocks == blocks_x86;
#else
	(void)on;
	return 0;
#endif
}

void
sha256_init(struct sha256 *s)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
		0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	if (blocks == NULL)
		(void)sha256_accel(1);
	memcpy(s->h, iv, sizeof(iv));
	s->len = 0;
	s->nbuf = 0;
}

void
sha256_update(struct sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t k;

	s->len += n;
	if (s->nbuf > 0) {
		k = 64 - s->nbuf < n ? 64 - s->nbuf : n;
		memcpy(s->buf + s->nbuf, p, k);
		s->nbuf += k;
		p += k;
		n -= k;
		if (s->nbuf < 64)
			return;
		blocks(s->h, s->buf, 1);
		s->nbuf = 0;
	}
	if (n >= 64) {
		blocks(s->h, p, n / 64);
		p += n & ~(size_t)63;
		n &= 63;
	}
	memcpy(s->buf, p, n);
	s->nbuf = n;
}

void
sha256_final(struct sha256 *s, unsigned char out[SHA256_LEN])
{
	uint64_t bits = s->len * 8;
	int i;

	s->buf[s->nbuf++] = 0x80;
	if (s->nbuf > 56) {
		memset(s->buf + s->nbuf, 0, 64 - s->nbuf);
		blocks(s->h, s->buf, 1);
		s->nbuf = 0;
	}
	memset(s->buf + s->nbuf, 0, 56 - s->nbuf);
	for (i = 0; i < 8; i++)
		s->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	blocks(s->h, s->buf, 1);
	for (i = 0; i < 32; i++)
		out[i] = (unsigned char)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

void
sha256_hex(char hex[SHA256_HEXLEN + 1], const unsigned char d[SHA256_LEN])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < SHA256_LEN; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[SHA256_HEXLEN] = '\0';
}
