/* SPDX-License-Identifier: BSD-2-Clause */
/* squeeze.c - the one white-space squeezer: each run of white space made
 * one space, none at either end.  A record's diagnostic (report/fact.c),
 * Postfix's explanations (decode/postfix.c) and a free text to classify
 * (reason/text.c) are squeezed alike.  The text only shrinks, so it is
 * written straight into one buffer of its size. */
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core.h"

void
bk_squeeze_space(struct bk_squeezer *q)
{
	if (!q->space)
		q->out[q->o++] = ' ';
	q->space = true;
}

/* "550-" / "550 " at s[i], at a word start: the prefix a multi-line reply
 * repeats.  Returns its length with the status after it, 0 when none. */
static size_t
reply_prefix(struct bk_sv s, size_t i, struct bk_sv reply, struct bk_sv status)
{
	if ((i > 0 && !bk_is_space((unsigned char)s.p[i - 1])) ||
	    i + 3 >= s.n || memcmp(s.p + i, reply.p, 3) != 0 ||
	    (s.p[i + 3] != '-' && s.p[i + 3] != ' '))
		return 0;
	size_t j = i + 4;
	if (status.n && bk_sv_starts(bk_sv_from(s, j), status))
		j += status.n;
	return j - i;
}

/* Bytes from i on that are plain: above the space and not the first byte
 * of the reply code (which may start a prefix).  They are copied to
 * base[i...] as they are found, sixteen at a time with SSE2: a block is
 * stored whole and the output advanced by its plain bytes only, which
 * stays inside the buffer (the output never runs ahead of the input, and
 * a block is read only where sixteen bytes of input are left).  Returns
 * their count. */
static inline size_t
copy_plain(char *base, struct bk_sv s, size_t i, unsigned char stop)
{
	size_t k = i;
#if defined(__SSE2__)
	const __m128i sp = _mm_set1_epi8(' '), st = _mm_set1_epi8((char)stop);
	for (; k + 16 <= s.n; k += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s.p + k));
		/* a byte at or below the space (unsigned), or equal to stop */
		__m128i bad = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(x, sp), x),
					   _mm_cmpeq_epi8(x, st));
		_mm_storeu_si128((__m128i *)(void *)(base + k), x);
		unsigned m = (unsigned)_mm_movemask_epi8(bad);
		if (m)
			return k + (size_t)__builtin_ctz(m) - i;
	}
#endif
	while (k < s.n && (unsigned char)s.p[k] > ' ' &&
	       (unsigned char)s.p[k] != stop) {
		base[k] = s.p[k];
		k++;
	}
	return k - i;
}

/* The output position and state are kept in locals while the text is
 * read (stores through the output could otherwise alias them). */
void
bk_squeeze_run(struct bk_squeezer *q, struct bk_sv s, struct bk_sv reply,
	       struct bk_sv status)
{
	bool multi = reply.n == 3;
	/* with no reply prefix to look for, ' ' (never plain) stops nothing */
	unsigned char stop = multi ? (unsigned char)reply.p[0] : ' ';
	char *out = q->out;
	size_t o = q->o;
	bool space = q->space;
	for (size_t i = 0; s.p && i < s.n; i++) {
		size_t run = copy_plain(out + o - i, s, i, stop);
		if (run) {
			o += run;
			space = false;
			i += run;
			if (i == s.n)
				break;
		}
		unsigned char c = (unsigned char)s.p[i];
		size_t skip = multi && c == stop ? reply_prefix(s, i, reply, status)
						 : 0;
		if (skip || bk_is_space(c)) {
			i += skip ? skip - 1 : 0;
			if (!space)
				out[o++] = ' ';
			space = true;
		} else {
			out[o++] = (char)c;
			space = false;
		}
	}
	q->o = o;
	q->space = space;
}

struct bk_sv
bk_squeeze(char *out, struct bk_sv in)
{
	struct bk_squeezer q = { out, 0, true };
	bk_squeeze_run(&q, in, BK_SV_NULL, BK_SV_NULL);
	while (q.o && out[q.o - 1] == ' ')
		q.o--;
	out[q.o] = '\0';
	return bk_sv_make(out, q.o);
}
