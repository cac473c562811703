/* SPDX-License-Identifier: BSD-2-Clause */
/* simd.h - the library's only vector code: byte vectors of sixteen (and
 * thirty-two) lanes, the few operations the scanners use, and the one
 * processor check.  No other file includes an intrinsics header.
 *
 * bk_v16 is, by the build:
 *   - x86 with SSE2 (every x86-64): __m128i, each operation one instruction;
 *   - aarch64 (Advanced SIMD is part of the base architecture): uint8x16_t;
 *   - anything else, or BK_NO_SIMD (`make NOSIMD=1`): sixteen bytes in a
 *     struct, each operation a loop over them in portable C.
 * A scanner is written once with these operations and runs the same
 * algorithm on every build, so its results are the same by construction;
 * the builds differ only in speed.
 *
 * bk_v32 (thirty-two lanes) exists for the three hottest scans (the
 * case-insensitive search, the mbox "From " search, the MIME delimiter
 * search): AVX2 on x86-64 processors that have it, checked once at run
 * time by bk_have_avx2(); functions that use it are marked BK_AVX2_FN.
 * Elsewhere bk_have_avx2() is a constant false, the portable bk_v32 is
 * never reached and the compiler drops those functions.
 *
 * Masks: bk_v16_mask() gives the top bit of each lane (bit i for lane i),
 * as SSE2's movemask does; comparisons give 0xff or 0 in each lane. */
#ifndef BK_CORE_SIMD_H
#define BK_CORE_SIMD_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#if !defined(BK_NO_SIMD) && defined(__SSE2__)
#define BK_SIMD_SSE2 1
#elif !defined(BK_NO_SIMD) && defined(__aarch64__) && defined(__ARM_NEON)
#define BK_SIMD_NEON 1
#endif

#if defined(BK_SIMD_SSE2) && defined(__x86_64__) && \
	(defined(__GNUC__) || defined(__clang__))
#define BK_SIMD_AVX2 1		/* AVX2 and SHA-NI functions, chosen at run time */
#endif

/* What the build uses, for `bouncekit version`-like reports and tests. */
#if defined(BK_SIMD_AVX2)
#define BK_SIMD_NAME "sse2+avx2"
#elif defined(BK_SIMD_SSE2)
#define BK_SIMD_NAME "sse2"
#elif defined(BK_SIMD_NEON)
#define BK_SIMD_NAME "neon"
#else
#define BK_SIMD_NAME "portable"
#endif

/* ---- sixteen lanes ---- */

#if defined(BK_SIMD_SSE2)
#include <emmintrin.h>

typedef __m128i bk_v16;

static inline bk_v16
bk_v16_load(const void *p)
{
	return _mm_loadu_si128((const __m128i *)p);
}

static inline void
bk_v16_store(void *p, bk_v16 v)
{
	_mm_storeu_si128((__m128i *)p, v);
}

static inline bk_v16
bk_v16_splat(char c)
{
	return _mm_set1_epi8(c);
}

static inline bk_v16
bk_v16_eq(bk_v16 a, bk_v16 b)
{
	return _mm_cmpeq_epi8(a, b);
}

/* a < b, the bytes taken as signed */
static inline bk_v16
bk_v16_lt_signed(bk_v16 a, bk_v16 b)
{
	return _mm_cmplt_epi8(a, b);
}

/* the smaller of each pair, the bytes taken as unsigned */
static inline bk_v16
bk_v16_min(bk_v16 a, bk_v16 b)
{
	return _mm_min_epu8(a, b);
}

/* a - b in each lane, modulo 256 */
static inline bk_v16
bk_v16_sub(bk_v16 a, bk_v16 b)
{
	return _mm_sub_epi8(a, b);
}

static inline bk_v16
bk_v16_or(bk_v16 a, bk_v16 b)
{
	return _mm_or_si128(a, b);
}

static inline bk_v16
bk_v16_and(bk_v16 a, bk_v16 b)
{
	return _mm_and_si128(a, b);
}

static inline unsigned
bk_v16_mask(bk_v16 v)
{
	return (unsigned)_mm_movemask_epi8(v);
}

#elif defined(BK_SIMD_NEON)
#include <arm_neon.h>

typedef uint8x16_t bk_v16;

static inline bk_v16
bk_v16_load(const void *p)
{
	return vld1q_u8((const uint8_t *)p);
}

static inline void
bk_v16_store(void *p, bk_v16 v)
{
	vst1q_u8((uint8_t *)p, v);
}

static inline bk_v16
bk_v16_splat(char c)
{
	return vdupq_n_u8((uint8_t)c);
}

static inline bk_v16
bk_v16_eq(bk_v16 a, bk_v16 b)
{
	return vceqq_u8(a, b);
}

static inline bk_v16
bk_v16_lt_signed(bk_v16 a, bk_v16 b)
{
	return vcltq_s8(vreinterpretq_s8_u8(a), vreinterpretq_s8_u8(b));
}

static inline bk_v16
bk_v16_min(bk_v16 a, bk_v16 b)
{
	return vminq_u8(a, b);
}

static inline bk_v16
bk_v16_sub(bk_v16 a, bk_v16 b)
{
	return vsubq_u8(a, b);
}

static inline bk_v16
bk_v16_or(bk_v16 a, bk_v16 b)
{
	return vorrq_u8(a, b);
}

static inline bk_v16
bk_v16_and(bk_v16 a, bk_v16 b)
{
	return vandq_u8(a, b);
}

/* Each lane's top bit spread over the lane (arithmetic shift), one bit
 * of weight kept per lane, the halves summed across. */
static inline unsigned
bk_v16_mask(bk_v16 v)
{
	static const uint8_t weight[16] = { 1, 2, 4, 8, 16, 32, 64, 128,
					    1, 2, 4, 8, 16, 32, 64, 128 };
	uint8x16_t t = vreinterpretq_u8_s8(vshrq_n_s8(vreinterpretq_s8_u8(v), 7));
	t = vandq_u8(t, vld1q_u8(weight));
	return (unsigned)vaddv_u8(vget_low_u8(t)) |
	       (unsigned)vaddv_u8(vget_high_u8(t)) << 8;
}

#else /* portable */

typedef struct {
	uint8_t b[16];
} bk_v16;

static inline bk_v16
bk_v16_load(const void *p)
{
	bk_v16 v;
	memcpy(v.b, p, 16);
	return v;
}

static inline void
bk_v16_store(void *p, bk_v16 v)
{
	memcpy(p, v.b, 16);
}

static inline bk_v16
bk_v16_splat(char c)
{
	bk_v16 v;
	memset(v.b, (unsigned char)c, 16);
	return v;
}

#define BK_V16_LANES(name, expr) \
	static inline bk_v16 name(bk_v16 a, bk_v16 b) \
	{ \
		bk_v16 r; \
		for (int i = 0; i < 16; i++) { \
			unsigned x = a.b[i], y = b.b[i]; \
			r.b[i] = (uint8_t)(expr); \
		} \
		return r; \
	}
BK_V16_LANES(bk_v16_eq, x == y ? 0xffu : 0u)
BK_V16_LANES(bk_v16_lt_signed, (int8_t)x < (int8_t)y ? 0xffu : 0u)
BK_V16_LANES(bk_v16_min, x < y ? x : y)
BK_V16_LANES(bk_v16_sub, x - y)
BK_V16_LANES(bk_v16_or, x | y)
BK_V16_LANES(bk_v16_and, x & y)

static inline unsigned
bk_v16_mask(bk_v16 v)
{
	unsigned m = 0;
	for (unsigned i = 0; i < 16; i++)
		m |= (unsigned)(v.b[i] >> 7) << i;
	return m;
}
#endif

/* ---- thirty-two lanes ---- */

#if defined(BK_SIMD_AVX2)
#include <immintrin.h>

#define BK_AVX2_FN __attribute__((target("avx2")))

typedef __m256i bk_v32;

BK_AVX2_FN static inline bk_v32
bk_v32_load(const void *p)
{
	return _mm256_loadu_si256((const __m256i *)p);
}

BK_AVX2_FN static inline bk_v32
bk_v32_splat(char c)
{
	return _mm256_set1_epi8(c);
}

BK_AVX2_FN static inline bk_v32
bk_v32_eq(bk_v32 a, bk_v32 b)
{
	return _mm256_cmpeq_epi8(a, b);
}

BK_AVX2_FN static inline bk_v32
bk_v32_or(bk_v32 a, bk_v32 b)
{
	return _mm256_or_si256(a, b);
}

BK_AVX2_FN static inline bk_v32
bk_v32_and(bk_v32 a, bk_v32 b)
{
	return _mm256_and_si256(a, b);
}

BK_AVX2_FN static inline uint32_t
bk_v32_mask(bk_v32 v)
{
	return (uint32_t)_mm256_movemask_epi8(v);
}

/* The processor's features (simd.c): 0 until looked up, then
 * BK_CPU_KNOWN and the bits it has.  Read inline, so that the check costs
 * a load in the searches that make it per call. */
enum { BK_CPU_KNOWN = 1, BK_CPU_AVX2 = 2, BK_CPU_SHA = 4 };
extern unsigned bk_cpu_features;
unsigned bk_cpu_lookup(void);

static inline unsigned
bk_cpu(void)
{
	unsigned v = __atomic_load_n(&bk_cpu_features, __ATOMIC_RELAXED);
	return v ? v : bk_cpu_lookup();
}

/* Whether the processor has AVX2 (asked once). */
static inline bool
bk_have_avx2(void)
{
	return bk_cpu() & BK_CPU_AVX2;
}

/* Whether it has the SHA extensions with SSSE3 and SSE4.1 (asked once). */
static inline bool
bk_have_sha_ni(void)
{
	return bk_cpu() & BK_CPU_SHA;
}
/* One SHA-1 block with the SHA extensions: only when bk_have_sha_ni(). */
void bk_sha1_block_ni(uint32_t h[5], const unsigned char *p);

#else /* never reached: bk_have_avx2() is false */

#define BK_AVX2_FN

typedef struct {
	bk_v16 lo, hi;
} bk_v32;

static inline bk_v32
bk_v32_load(const void *p)
{
	return (bk_v32){ bk_v16_load(p), bk_v16_load((const char *)p + 16) };
}

static inline bk_v32
bk_v32_splat(char c)
{
	return (bk_v32){ bk_v16_splat(c), bk_v16_splat(c) };
}

static inline bk_v32
bk_v32_eq(bk_v32 a, bk_v32 b)
{
	return (bk_v32){ bk_v16_eq(a.lo, b.lo), bk_v16_eq(a.hi, b.hi) };
}

static inline bk_v32
bk_v32_or(bk_v32 a, bk_v32 b)
{
	return (bk_v32){ bk_v16_or(a.lo, b.lo), bk_v16_or(a.hi, b.hi) };
}

static inline bk_v32
bk_v32_and(bk_v32 a, bk_v32 b)
{
	return (bk_v32){ bk_v16_and(a.lo, b.lo), bk_v16_and(a.hi, b.hi) };
}

static inline uint32_t
bk_v32_mask(bk_v32 v)
{
	return (uint32_t)bk_v16_mask(v.lo) | (uint32_t)bk_v16_mask(v.hi) << 16;
}

static inline bool
bk_have_avx2(void)
{
	return false;
}

static inline bool
bk_have_sha_ni(void)
{
	return false;
}

static inline void
bk_sha1_block_ni(uint32_t h[5], const unsigned char *p)
{
	(void)h;
	(void)p;
}
#endif

#endif
