/* SPDX-License-Identifier: BSD-2-Clause */
/* utf8.c - UTF-8 validation and repair (RFC 3629): overlong forms,
 * surrogates and code points above U+10FFFF are invalid. */
#include "core.h"

/* Length of the valid sequence at p (1..4), or 0 when invalid. */
static size_t
seq_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	size_t len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if (c == 0xe0 && p[1] < 0xa0)
		return 0;
	if (c == 0xed && p[1] > 0x9f)
		return 0;
	if (c == 0xf0 && p[1] < 0x90)
		return 0;
	if (c == 0xf4 && p[1] > 0x8f)
		return 0;
	return len;
}

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The end of the run of ASCII bytes at i (sixteen bytes at a time). */
static size_t
ascii_end(const unsigned char *p, size_t n, size_t i)
{
#if defined(__SSE2__)
	for (; i + 16 <= n; i += 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)(p + i)));
		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	return i;
}

static size_t
first_bad(struct bk_sv s)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i = 0;
	while (i < s.n) {
		if (p[i] < 0x80) {
			i = ascii_end(p, s.n, i);
			/* then eight bytes at a time */
			uint64_t w;
			while (i + 8 <= s.n) {
				memcpy(&w, p + i, 8);
				if (w & 0x8080808080808080ull)
					break;
				i += 8;
			}
			if (i < s.n && p[i] < 0x80)
				i++;
			continue;
		}
		size_t l = seq_len(p + i, s.n - i);
		if (!l)
			return i;
		i += l;
	}
	return s.n;
}

bool
bk_utf8_valid(struct bk_sv s)
{
	return first_bad(s) == s.n;
}

struct bk_sv
bk_utf8_fix(struct bk_arena *a, struct bk_sv s)
{
	size_t i = first_bad(s);
	if (i == s.n)
		return s;
	struct bk_sb sb;
	bk_sb_init(&sb, a, s.n + 16);
	const unsigned char *p = (const unsigned char *)s.p;
	bk_sb_add(&sb, s.p, i);
	while (i < s.n) {
		size_t l = p[i] < 0x80 ? 1 : seq_len(p + i, s.n - i);
		if (l) {
			bk_sb_add(&sb, s.p + i, l);
			i += l;
		} else {
			bk_sb_add(&sb, "\xef\xbf\xbd", 3);
			i++;
		}
	}
	return bk_sb_sv(&sb);
}
