/* SPDX-License-Identifier: BSD-2-Clause */
/* simd.c - the processor check (once per process) and the SHA-1 block
 * function with x86's SHA extensions; the vector operations themselves
 * are inline, in simd.h. */
#include "simd.h"

#if defined(BK_SIMD_AVX2)
#include <cpuid.h>

unsigned bk_cpu_features;

/* The features, looked up on the first call (bk_cpu); two threads looking
 * at once find the same and store the same. */
unsigned
bk_cpu_lookup(void)
{
	unsigned v = BK_CPU_KNOWN;
	if (__builtin_cpu_supports("avx2"))
		v |= BK_CPU_AVX2;
	unsigned a, b, c, d;
	/* SHA (leaf 7, EBX bit 29), with SSSE3 and SSE4.1 (leaf 1, ECX bits
	 * 9 and 19) that the block function uses too */
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29)) &&
	    __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 9)) &&
	    (c & (1u << 19)))
		v |= BK_CPU_SHA;
	__atomic_store_n(&bk_cpu_features, v, __ATOMIC_RELAXED);
	return v;
}

/* Four rounds of group f with message words m, the next words prepared:
 * Intel's SHA extensions as documented in "Intel SHA Extensions" (2013),
 * in the usual order of the intrinsics. */
#define RNDS(e_in, e_out, m, f) do { \
		e_in = _mm_sha1nexte_epu32(e_in, m); \
		e_out = abcd; \
		abcd = _mm_sha1rnds4_epu32(abcd, e_in, f); \
	} while (0)

__attribute__((target("sha,ssse3,sse4.1"))) void
bk_sha1_block_ni(uint32_t h[5], const unsigned char *p)
{
	const __m128i bswap = _mm_set_epi64x(0x0001020304050607LL,
					     0x08090a0b0c0d0e0fLL);
	__m128i abcd = _mm_shuffle_epi32(
		_mm_loadu_si128((const __m128i *)(const void *)h), 0x1b);
	__m128i e0 = _mm_set_epi32((int)h[4], 0, 0, 0), e1;
	__m128i abcd0 = abcd, e00 = e0;
	__m128i m0, m1, m2, m3;
#define LOAD(i) _mm_shuffle_epi8( \
		_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * (i))), bswap)
	m0 = LOAD(0);
	e0 = _mm_add_epi32(e0, m0);
	e1 = abcd;
	abcd = _mm_sha1rnds4_epu32(abcd, e0, 0);		/* 0-3 */
	m1 = LOAD(1);
	RNDS(e1, e0, m1, 0);					/* 4-7 */
	m0 = _mm_sha1msg1_epu32(m0, m1);
	m2 = LOAD(2);
	RNDS(e0, e1, m2, 0);					/* 8-11 */
	m1 = _mm_sha1msg1_epu32(m1, m2);
	m0 = _mm_xor_si128(m0, m2);
	m3 = LOAD(3);
#undef LOAD
	/* 12-67: the same step, the words and the E registers rotating */
#define STEP(ein, eout, ma, mb, mc, md, f) do { \
		ein = _mm_sha1nexte_epu32(ein, ma); \
		eout = abcd; \
		mb = _mm_sha1msg2_epu32(mb, ma); \
		abcd = _mm_sha1rnds4_epu32(abcd, ein, f); \
		md = _mm_sha1msg1_epu32(md, ma); \
		mc = _mm_xor_si128(mc, ma); \
	} while (0)
	STEP(e1, e0, m3, m0, m1, m2, 0);	/* 12-15 */
	STEP(e0, e1, m0, m1, m2, m3, 0);	/* 16-19 */
	STEP(e1, e0, m1, m2, m3, m0, 1);	/* 20-23 */
	STEP(e0, e1, m2, m3, m0, m1, 1);	/* 24-27 */
	STEP(e1, e0, m3, m0, m1, m2, 1);	/* 28-31 */
	STEP(e0, e1, m0, m1, m2, m3, 1);	/* 32-35 */
	STEP(e1, e0, m1, m2, m3, m0, 1);	/* 36-39 */
	STEP(e0, e1, m2, m3, m0, m1, 2);	/* 40-43 */
	STEP(e1, e0, m3, m0, m1, m2, 2);	/* 44-47 */
	STEP(e0, e1, m0, m1, m2, m3, 2);	/* 48-51 */
	STEP(e1, e0, m1, m2, m3, m0, 2);	/* 52-55 */
	STEP(e0, e1, m2, m3, m0, m1, 2);	/* 56-59 */
	STEP(e1, e0, m3, m0, m1, m2, 3);	/* 60-63 */
	STEP(e0, e1, m0, m1, m2, m3, 3);	/* 64-67 */
#undef STEP
	/* 68-79: the last words need no more preparing */
	e1 = _mm_sha1nexte_epu32(e1, m1);
	e0 = abcd;
	m2 = _mm_sha1msg2_epu32(m2, m1);
	abcd = _mm_sha1rnds4_epu32(abcd, e1, 3);		/* 68-71 */
	m3 = _mm_xor_si128(m3, m1);
	e0 = _mm_sha1nexte_epu32(e0, m2);
	e1 = abcd;
	m3 = _mm_sha1msg2_epu32(m3, m2);
	abcd = _mm_sha1rnds4_epu32(abcd, e0, 3);		/* 72-75 */
	RNDS(e1, e0, m3, 3);					/* 76-79 */
	e0 = _mm_sha1nexte_epu32(e0, e00);
	abcd = _mm_add_epi32(abcd, abcd0);
	_mm_storeu_si128((__m128i *)(void *)h, _mm_shuffle_epi32(abcd, 0x1b));
	h[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}
#undef RNDS
#else
/* No run-time choice in this build (simd.h); ISO C wants a declaration. */
typedef int bk_simd_nothing;
#endif
