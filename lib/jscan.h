/*
 * The first quote, backslash or control byte of a JSON string's bytes at
 * or after p, or end: strings are most of an event's bytes, and outside
 * these bytes there is nothing to do.  Sixteen bytes at a time with SSE2,
 * else eight in a word; for lib/json.c's reader and lib/evfast.c.
 */
#ifndef LB_JSCAN_H
#define LB_JSCAN_H

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define JSCAN_ONES UINT64_C(0x0101010101010101)
#define JSCAN_HIGHS UINT64_C(0x8080808080808080)

static inline const char *
json_special(const char *p, const char *end)
{
	uint64_t w, q, b, m;
#ifdef __SSE2__
	const __m128i vq = _mm_set1_epi8('"'), vb = _mm_set1_epi8('\\');
	const __m128i vc = _mm_set1_epi8(0x1f);
	__m128i v;
	int bits;

	/* Sixteen bytes at a time: control bytes are those max(v, 31) = 31. */
	while (end - p >= 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)p);
		bits = _mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vb)),
		    _mm_cmpeq_epi8(_mm_max_epu8(v, vc), vc)));
		if (bits != 0)
			return p + __builtin_ctz((unsigned)bits);
		p += 16;
	}
#endif

	while (end - p >= 8) {
		memcpy(&w, p, 8);
		q = w ^ (JSCAN_ONES * '"');
		b = w ^ (JSCAN_ONES * '\\');
		m = (((q - JSCAN_ONES) & ~q) | ((b - JSCAN_ONES) & ~b) |
		        ((w - JSCAN_ONES * 0x20) & ~w)) &
		    JSCAN_HIGHS;
		if (m != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return p + (__builtin_ctzll(m) >> 3);
#else
			break;
#endif
		}
		p += 8;
	}
	while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
		p++;
	return p;
}

#endif
