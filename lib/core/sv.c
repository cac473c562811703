/* SPDX-License-Identifier: BSD-2-Clause */
/* sv.c - string views. */
#include "core.h"

#include <string.h>

#define L(c) bk_lower_tab[(unsigned char)(c)]

/* ASCII lower-casing; bytes >= 0x80 are left as they are (UTF-8 safe). */
const unsigned char bk_lower_tab[256] = {
#define R(x) x, x + 1, x + 2, x + 3, x + 4, x + 5, x + 6, x + 7
#define R16(x) R(x), R(x + 8)
	R16(0x00), R16(0x10), R16(0x20), R16(0x30),
	0x40, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm',
	'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z',
	0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
	R16(0x60), R16(0x70), R16(0x80), R16(0x90), R16(0xa0), R16(0xb0),
	R16(0xc0), R16(0xd0), R16(0xe0), R16(0xf0),
#undef R
#undef R16
};

/* How common each byte is in bounce mail, 0 the rarest, 255 the most
 * common (byte counts over the Sisimai sample corpus).  bk_sv_find jumps
 * with memchr to the needle's rarest byte, so that it stops at few places
 * that are not a match. */
static const unsigned char rank_cs[256] = {
	 51,   0,   1,   2,   3,   4,   5,   6,   7, 175, 242,   8,   9, 181,  10,  11,
	 12,  13,  14,  15,  16,  17,  18,  19,  20,  21,  22, 139,  23,  24,  25,  26,
	255, 168, 199, 170, 164, 163, 166, 171, 191, 190, 167, 184, 177, 243, 244, 206,
	250, 235, 240, 231, 226, 227, 219, 214, 220, 222, 237, 210, 198, 217, 197, 169,
	183, 232, 202, 209, 221, 213, 205, 189, 188, 203, 187, 185, 196, 218, 200, 201,
	204, 193, 207, 216, 223, 194, 186, 180, 195, 182, 178, 174, 153, 173,  91, 176,
	 27, 253, 224, 238, 236, 254, 230, 233, 229, 249, 211, 215, 245, 241, 248, 251,
	239, 179, 247, 246, 252, 234, 212, 208, 228, 225, 192, 161, 129, 162,  58,  28,
	141, 150, 151, 144, 133, 123, 111, 135, 121,  95,  93, 118, 140,  98,  79, 110,
	 86,  81, 100,  74, 102, 124, 105,  99,  69, 115,  88,  97, 107,  71,  62,  92,
	 90, 122,  83,  87, 160, 143,  96, 134, 126, 116, 125,  94, 106, 117, 112, 127,
	146, 136, 132, 113, 130, 155, 114, 120, 145, 131, 128, 137, 147, 148, 157, 142,
	 72,  75,  59, 119,  80,  84,  73,  78,  29,  63,  52,  55,  30,  56, 156, 138,
	172, 165,  31,  32,  33,  34,  35, 152, 159, 154,  85, 104,  36,  37,  68,  53,
	158,  76,  65, 149,  82, 109, 101, 108, 103,  89,  60,  66,  64,  38,  54,  70,
	 39,  40,  61,  67,  41,  42,  57,  77,  43,  44,  45,  46,  47,  48,  49,  50,
};

/* The rarest of the first 16 bytes: enough to find a rare one, and a long
 * needle (a MIME boundary, searched again for each part) costs no more. */
static size_t
rarest(struct bk_sv needle, const unsigned char *rank)
{
	size_t best = 0, n = BK_MIN(needle.n, (size_t)16);
	for (size_t i = 1; i < n; i++)
		if (rank[(unsigned char)needle.p[i]] <
		    rank[(unsigned char)needle.p[best]])
			best = i;
	return best;
}

size_t
bk_sv_rare_index(struct bk_sv needle)
{
	return needle.n ? rarest(needle, rank_cs) : 0;
}

/* Candidates that were no match, beyond which memmem (two-way, linear)
 * takes over: a needle whose rare byte is common in this text. */
#define FIND_MISSES 32

long
bk_sv_find(struct bk_sv s, struct bk_sv needle)
{
	if (needle.n == 0)
		return 0;
	if (s.n < needle.n)
		return -1;
	if (needle.n == 1)
		return bk_sv_findc(s, needle.p[0]);
	size_t r = rarest(needle, rank_cs), last = s.n - needle.n;
	const char *p = s.p;
	char c = needle.p[r];
	unsigned misses = 0;
	for (size_t at = 0; at <= last;) {
		const char *h = memchr(p + at + r, c, last - at + 1);
		if (!h)
			return -1;
		size_t cand = (size_t)(h - p) - r;
		if (memcmp(p + cand, needle.p, needle.n) == 0)
			return (long)cand;
		at = cand + 1;
		if (++misses == FIND_MISSES && at <= last) {
			const char *m = memmem(p + at, s.n - at, needle.p, needle.n);
			return m ? (long)(m - p) : -1;
		}
	}
	return -1;
}

/* A byte, either case, by memchr on each (one stream for a non-letter). */
__attribute__((noinline)) static long
ifind_byte(struct bk_sv s, char c)
{
	unsigned char c0 = L(c);
	unsigned char c1 = (unsigned char)(c0 >= 'a' && c0 <= 'z' ? c0 - 32 : c0);
	const char *a = memchr(s.p, c0, s.n);
	const char *b = c1 != c0 ? memchr(s.p, c1, a ? (size_t)(a - s.p) : s.n)
				 : NULL;
	const char *h = b ? b : a;
	return h ? (long)(h - s.p) : -1;
}

/* Positions i..last, one by one. */
static long
ifind_scalar(struct bk_sv s, struct bk_sv needle, size_t i, size_t last)
{
	unsigned char c0 = L(needle.p[0]);
	for (; i <= last; i++)
		if (L(s.p[i]) == c0 && bk_ieq_n(s.p + i, needle.p, needle.n))
			return (long)i;
	return -1;
}

#if defined(__SSE2__)
#include <emmintrin.h>

/* Sixteen positions at a time: a candidate has the needle's first byte at
 * its start and its last byte at its end, compared with bit 0x20 set on
 * both sides (so either case of a letter, and a few non-letters that only
 * cost a comparison); candidates are then compared in full (W. Mula's
 * "SIMD-friendly" substring search).  Linear in the text, times the
 * needle length at worst. */
/* Candidates among the sixteen positions from i: a bit each. */
static unsigned
ifind_mask(const char *p, size_t i, size_t m, __m128i f, __m128i l)
{
	const __m128i bit = _mm_set1_epi8(0x20);
	__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
	__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + m - 1));
	__m128i eq = _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(a, bit), f),
				   _mm_cmpeq_epi8(_mm_or_si128(b, bit), l));
	return (unsigned)_mm_movemask_epi8(eq);
}

/* Not inline: bk_sv_ifind stays a small dispatcher that saves no
 * registers and jumps to the search it picks. */
__attribute__((noinline)) static long
ifind_vec(struct bk_sv s, struct bk_sv needle)
{
	size_t m = needle.n, last = s.n - m, i = 0;
	if (last < 15)
		return ifind_scalar(s, needle, 0, last);
	const __m128i f = _mm_set1_epi8((char)(needle.p[0] | 0x20));
	const __m128i l = _mm_set1_epi8((char)(needle.p[m - 1] | 0x20));
	for (;; i += 16) {
		unsigned mask;
		if (i + 15 <= last) {
			mask = ifind_mask(s.p, i, m, f, l);
		} else if (i <= last) {
			/* the tail: the last sixteen positions again, those
			 * already looked at masked off */
			size_t base = last - 15;
			mask = ifind_mask(s.p, base, m, f, l) >> (i - base);
		} else {
			return -1;
		}
		for (; mask; mask &= mask - 1) {
			size_t at = i + (size_t)__builtin_ctz(mask);
			if (bk_ieq_n(s.p + at, needle.p, m))
				return (long)at;
		}
	}
}
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_AVX2 1
#include <immintrin.h>

/* The same filter, thirty-two positions at a time, on processors that
 * have AVX2 (checked once): the search is the hottest loop there is. */
__attribute__((target("avx2"))) static unsigned
ifind_mask32(const char *p, size_t i, size_t m, __m256i f, __m256i l)
{
	const __m256i bit = _mm256_set1_epi8(0x20);
	__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
	__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + i + m - 1));
	__m256i eq = _mm256_and_si256(
		_mm256_cmpeq_epi8(_mm256_or_si256(a, bit), f),
		_mm256_cmpeq_epi8(_mm256_or_si256(b, bit), l));
	return (unsigned)_mm256_movemask_epi8(eq);
}

__attribute__((target("avx2"))) static long
ifind_avx2(struct bk_sv s, struct bk_sv needle)
{
	size_t m = needle.n, last = s.n - m, i = 0;
	const __m256i f = _mm256_set1_epi8((char)(needle.p[0] | 0x20));
	const __m256i l = _mm256_set1_epi8((char)(needle.p[m - 1] | 0x20));
	for (;; i += 32) {
		unsigned mask;
		if (i + 31 <= last) {
			mask = ifind_mask32(s.p, i, m, f, l);
		} else if (i <= last) {
			size_t base = last - 31;	/* the tail, as in ifind_vec */
			mask = ifind_mask32(s.p, base, m, f, l) >> (i - base);
		} else {
			return -1;
		}
		for (; mask; mask &= mask - 1) {
			size_t at = i + (size_t)__builtin_ctz(mask);
			if (bk_ieq_n(s.p + at, needle.p, m))
				return (long)at;
		}
	}
}

bool
bk_have_avx2(void)
{
	/* 0: not looked yet, 1: no, 2: yes; looking twice does no harm */
	static int state;
	int v = __atomic_load_n(&state, __ATOMIC_RELAXED);
	if (!v) {
		v = __builtin_cpu_supports("avx2") ? 2 : 1;
		__atomic_store_n(&state, v, __ATOMIC_RELAXED);
	}
	return v == 2;
}
#else
bool
bk_have_avx2(void)
{
	return false;
}
#endif

/* Case-insensitive search. */
long
bk_sv_ifind(struct bk_sv s, struct bk_sv needle)
{
	if (needle.n == 0)
		return 0;
	if (s.n < needle.n)
		return -1;
	if (needle.n == 1)
		return ifind_byte(s, needle.p[0]);
#ifdef HAVE_AVX2
	if (s.n - needle.n >= 31 && bk_have_avx2())
		return ifind_avx2(s, needle);
#endif
#if defined(__SSE2__)
	return ifind_vec(s, needle);
#else
	return ifind_scalar(s, needle, 0, s.n - needle.n);
#endif
}

long
bk_sv_rfindc(struct bk_sv s, char c)
{
	const char *h = s.n ? memrchr(s.p, c, s.n) : NULL;
	return h ? (long)(h - s.p) : -1;
}

struct bk_sv
bk_sv_iafter(struct bk_sv s, struct bk_sv needle)
{
	long i = bk_sv_ifind(s, needle);
	if (i < 0)
		return BK_SV_NULL;
	return bk_sv_from(s, (size_t)i + needle.n);
}

struct bk_sv
bk_sv_ibefore(struct bk_sv s, struct bk_sv needle)
{
	long i = bk_sv_ifind(s, needle);
	return i < 0 ? s : bk_sv_slice(s, 0, (size_t)i);
}

bool
bk_sv_istarts_any(struct bk_sv s, const struct bk_sv *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (bk_sv_istarts(s, list[i]))
			return true;
	return false;
}

bool
bk_sv_icontains_any(struct bk_sv s, const struct bk_sv *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (bk_sv_ifind(s, list[i]) >= 0)
			return true;
	return false;
}

/* The length of the prefix all n needles share (any case). */
static size_t
common_prefix(const struct bk_sv *list, size_t n)
{
	size_t cp = list[0].n;
	for (size_t i = 1; i < n; i++) {
		size_t k = 0;
		while (k < cp && k < list[i].n && L(list[i].p[k]) == L(list[0].p[k]))
			k++;
		cp = k;
	}
	return cp;
}

/* Needles that begin alike ("\nContent-Type: message/rfc822", "\nContent-
 * Type: text/rfc822-headers"): one scan for the shared beginning, each
 * needle tried where it occurs. */
static long
ifind_any_prefix(struct bk_sv s, const struct bk_sv *list, size_t n,
		 size_t cp, size_t *which)
{
	struct bk_sv prefix = bk_sv_make(list[0].p, cp);
	for (size_t from = 0; from < s.n;) {
		long at = bk_sv_ifind(bk_sv_from(s, from), prefix);
		if (at < 0)
			return -1;
		size_t pos = from + (size_t)at;
		for (size_t i = 0; i < n; i++)
			if (bk_sv_istarts(bk_sv_from(s, pos), list[i])) {
				if (which)
					*which = i;
				return (long)pos;
			}
		from = pos + 1;
	}
	return -1;
}

long
bk_sv_ifind_any(struct bk_sv s, const struct bk_sv *list, size_t n,
		size_t *which)
{
	size_t cp = n > 1 ? common_prefix(list, n) : 0;
	if (cp >= 4)
		return ifind_any_prefix(s, list, n, cp, which);
	long best = -1;
	for (size_t i = 0; i < n; i++) {
		struct bk_sv hay = best < 0 ? s : bk_sv_slice(s, 0,
			(size_t)best + list[i].n);
		long at = bk_sv_ifind(hay, list[i]);
		if (at >= 0 && (best < 0 || at < best)) {
			best = at;
			if (which)
				*which = i;
		}
	}
	return best;
}

bool
bk_sv_to_u64(struct bk_sv s, uint64_t *out)
{
	uint64_t v = 0;
	if (s.n == 0 || s.n > 19)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		if (!bk_is_digit((unsigned char)s.p[i]))
			return false;
		v = v * 10 + (uint64_t)(s.p[i] - '0');
	}
	*out = v;
	return true;
}
