/* SPDX-License-Identifier: BSD-2-Clause */
/* reply.c - SMTP reply codes (RFC 5321 4.2, RFC 4954, RFC 5248, RFC 7504).
 * A code is taken in the order of the table below, not the order of the
 * text: the codes that say most about a failure come first. */
#include "dsn.h"

static const uint16_t codes5[] = {
	550, 552, 553, 551, 521, 525, 523, 524, 530, 533, 534, 535, 538, 555,
	556, 554, 500, 501, 502, 503, 504,
};
static const uint16_t codes4[] = {
	421, 450, 451, 452, 422, 430, 432, 453, 454, 455, 458, 459,
};
static const uint16_t codes2[] = {
	211, 214, 220, 221, 235, 250, 251, 252, 253, 334, 354,
};

bool
bk_reply_valid(struct bk_sv c)
{
	uint64_t v;
	if (c.n != 3 || !bk_sv_to_u64(c, &v))
		return false;
	if (v < 211 || v > 556 || v % 100 > 59)
		return false;
	if (v / 100 == 2)
		return v == 235 || (v <= 253 && !(v > 221 && v < 250));
	if (v / 100 == 3)
		return v == 334 || v == 354;
	return true;
}

static bool
near_number(unsigned char c)
{
	return c >= '.' && c <= '9';	/* '.', '/', digits */
}

/* One pass over the text: every three-digit number that stands alone
 * (not part of a longer number, an address or a version) is marked in
 * the bit set seen, bit code - 200. */
#define SEEN_WORDS 7	/* 400 bits: codes 200 to 599 */

static void
mark_at(const unsigned char *p, size_t n, size_t i, uint64_t seen[SEEN_WORDS])
{
	if (!bk_is_digit(p[i + 1]) || !bk_is_digit(p[i + 2]))
		return;
	if (i > 0 && near_number(p[i - 1]))
		return;
	if (i + 3 < n && near_number(p[i + 3]))
		return;
	unsigned v = (unsigned)((p[i] - '0') * 100 + (p[i + 1] - '0') * 10 +
				(p[i + 2] - '0') - 200);
	seen[v >> 6] |= 1ull << (v & 63);
}

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Most of a text is not digits: sixteen bytes at a time are skipped
 * unless one of them is '2' to '5' (the first digit of a code). */
static void
mark_codes(struct bk_sv t, uint64_t seen[SEEN_WORDS])
{
	const unsigned char *p = (const unsigned char *)t.p;
	size_t i = 0;
#if defined(__SSE2__)
	const __m128i two = _mm_set1_epi8('2'), three = _mm_set1_epi8(3);
	for (; i + 16 + 2 <= t.n; i += 16) {
		__m128i d = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + i)), two);
		/* d <= 3 unsigned: the byte is '2' to '5' */
		unsigned mask = (unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(_mm_min_epu8(d, three), d));
		for (; mask; mask &= mask - 1)
			mark_at(p, t.n, i + (size_t)__builtin_ctz(mask), seen);
	}
#endif
	for (; i + 3 <= t.n; i++)
		if (p[i] >= '2' && p[i] <= '5')
			mark_at(p, t.n, i, seen);
}

static bool
try_list(const uint64_t seen[SEEN_WORDS], const uint16_t *list, size_t n,
	 char out[4])
{
	for (size_t i = 0; i < n; i++) {
		unsigned v = list[i] - 200u;
		if (seen[v >> 6] >> (v & 63) & 1) {
			out[0] = (char)('0' + list[i] / 100);
			out[1] = (char)('0' + list[i] / 10 % 10);
			out[2] = (char)('0' + list[i] % 10);
			out[3] = '\0';
			return true;
		}
	}
	return false;
}

bool
bk_reply_find(struct bk_sv t, char hint, char out[4])
{
	uint64_t seen[SEEN_WORDS] = { 0 }, any = 0;
	if (t.n < 3 || bk_sv_icontains(t, BK_SV("x-unix")))
		return false;
	mark_codes(t, seen);
	for (int i = 0; i < SEEN_WORDS; i++)
		any |= seen[i];
	if (!any)
		return false;
	switch (hint) {
	case '5':
		return try_list(seen, codes5, BK_NELEM(codes5), out);
	case '4':
		return try_list(seen, codes4, BK_NELEM(codes4), out);
	case '2':
		return try_list(seen, codes2, BK_NELEM(codes2), out);
	default:
		return try_list(seen, codes5, BK_NELEM(codes5), out) ||
		       try_list(seen, codes4, BK_NELEM(codes4), out) ||
		       try_list(seen, codes2, BK_NELEM(codes2), out);
	}
}

bool
bk_line_is_reply(struct bk_sv line)
{
	return line.n > 4 && (line.p[0] == '4' || line.p[0] == '5') &&
	       bk_is_digit((unsigned char)line.p[1]) &&
	       bk_is_digit((unsigned char)line.p[2]) &&
	       (line.p[3] == ' ' || line.p[3] == '-');
}
