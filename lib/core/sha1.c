/* SPDX-License-Identifier: BSD-2-Clause */
/* sha1.c - SHA-1 (FIPS 180-4), only for Sisimai's record token, which is
 * an identifier, not a security measure.
 *
 * Every record computes one (two blocks), so where the processor has the
 * SHA extensions (x86 SHA-NI, checked once with CPUID) a block takes a
 * few dozen instructions instead of about 1,400; elsewhere the portable
 * rounds below. */
#include "core.h"

#include <pthread.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static uint32_t
rol(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

/* Rounds unrolled five at a time with the variables renamed instead of
 * moved (the usual way to write SHA-1 without a rotation per round). */
#define F1(b, c, d) ((d) ^ ((b) & ((c) ^ (d))))
#define F2(b, c, d) ((b) ^ (c) ^ (d))
#define F3(b, c, d) (((b) & (c)) | ((d) & ((b) | (c))))
#define R(f, k, a, b, c, d, e, i) do { \
		(e) += rol(a, 5) + f(b, c, d) + (k) + w[i]; \
		(b) = rol(b, 30); \
	} while (0)
#define R5(f, k, i) do { \
		R(f, k, a, b, c, d, e, (i)); \
		R(f, k, e, a, b, c, d, (i) + 1); \
		R(f, k, d, e, a, b, c, (i) + 2); \
		R(f, k, c, d, e, a, b, (i) + 3); \
		R(f, k, b, c, d, e, a, (i) + 4); \
	} while (0)

static void
sha1_block_c(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	for (int i = 0; i < 20; i += 5)
		R5(F1, 0x5a827999u, i);
	for (int i = 20; i < 40; i += 5)
		R5(F2, 0x6ed9eba1u, i);
	for (int i = 40; i < 60; i += 5)
		R5(F3, 0x8f1bbcdcu, i);
	for (int i = 60; i < 80; i += 5)
		R5(F2, 0xca62c1d6u, i);
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

#undef F1
#undef F2
#undef F3
#undef R
#undef R5

#ifdef HAVE_SHA_NI
/* Four rounds of group f with message words m, the next words prepared:
 * Intel's SHA extensions as documented in "Intel SHA Extensions" (2013),
 * in the usual order of the intrinsics. */
#define RNDS(e_in, e_out, m, f) do { \
		e_in = _mm_sha1nexte_epu32(e_in, m); \
		e_out = abcd; \
		abcd = _mm_sha1rnds4_epu32(abcd, e_in, f); \
	} while (0)

__attribute__((target("sha,ssse3,sse4.1"))) static void
sha1_block_ni(uint32_t h[5], const unsigned char *p)
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
#endif

/* The block function: chosen once per process. */
typedef void block_fn(uint32_t h[5], const unsigned char *p);
static block_fn *sha1_block = sha1_block_c;
static block_fn *hw_block;	/* the processor's, when it has them */
static pthread_once_t pick_once = PTHREAD_ONCE_INIT;

static void
pick(void)
{
#ifdef HAVE_SHA_NI
	unsigned a, b, c, d;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(b & (1u << 29)))
		return;	/* no SHA extensions */
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) ||
	    !(c & (1u << 19)))
		return;	/* no SSSE3 or SSE4.1 */
	hw_block = sha1_block_ni;
	sha1_block = hw_block;
#endif
}

bool
bk_sha1_hw(bool allow)
{
	pthread_once(&pick_once, pick);
	sha1_block = allow && hw_block ? hw_block : sha1_block_c;
	return sha1_block != sha1_block_c;
}

/* The eight hex digits of w, most significant first: its nibbles spread
 * one a byte and turned into digits all at once. */
static void
hex8(uint32_t w, char out[8])
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t x = w;
	x = ((x & 0xffff0000u) << 16) | (x & 0xffffu);
	x = ((x & 0x0000ff000000ff00ull) << 8) | (x & 0x000000ff000000ffull);
	x = ((x & 0x00f000f000f000f0ull) << 4) | (x & 0x000f000f000f000full);
	/* byte i holds nibble i, from the least significant; 10 to 15 get
	 * 'a' - '0' - 10 more */
	uint64_t letter = ((x + ones * 6) >> 4) & ones;
	x += ones * '0' + letter * ('a' - '0' - 10);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	x = __builtin_bswap64(x);
	memcpy(out, &x, 8);
#else
	for (int i = 0; i < 8; i++)
		out[i] = (char)(x >> (56 - 8 * i));
#endif
}

void
bk_sha1_hex(const void *data, size_t n, char out[41])
{
	uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
			  0xc3d2e1f0 };
	const unsigned char *p = data;
	pthread_once(&pick_once, pick);
	size_t whole = n - n % 64;
	for (size_t i = 0; i < whole; i += 64)
		sha1_block(h, p + i);
	/* the rest, 0x80, zeros to 56 mod 64, the bit length big-endian:
	 * one block or two */
	unsigned char last[128];
	size_t rest = n - whole, end = rest < 56 ? 64 : 128;
	uint64_t bits = (uint64_t)n * 8;
	memcpy(last, p + whole, rest);
	last[rest] = 0x80;
	memset(last + rest + 1, 0, end - 8 - rest - 1);
	for (int i = 0; i < 8; i++)
		last[end - 8 + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_block(h, last);
	if (end == 128)
		sha1_block(h, last + 64);
	for (int i = 0; i < 5; i++)
		hex8(h[i], out + 8 * i);
	out[40] = '\0';
}
