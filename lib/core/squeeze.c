/* SPDX-License-Identifier: BSD-2-Clause */
/* squeeze.c - the one white-space squeezer: each run of white space made
 * one space, none at either end.  A record's diagnostic (report/fact.c),
 * Postfix's explanations (decode/postfix.c) and a free text to classify
 * (reason/text.c) are squeezed alike.  The text only shrinks, so it is
 * written straight into one buffer of its size. */
#include "core.h"
#include "simd.h"

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
 * base[i...] as they are found, sixteen at a time (simd.h): a block is
 * stored whole and the output advanced by its plain bytes only, which
 * stays inside the buffer (the output never runs ahead of the input, and
 * a block is read only where sixteen bytes of input are left).  Returns
 * their count. */
static inline size_t
copy_plain(char *base, struct bk_sv s, size_t i, unsigned char stop)
{
	size_t k = i;
	const bk_v16 sp = bk_v16_splat(' '), st = bk_v16_splat((char)stop);
	for (; k + 16 <= s.n; k += 16) {
		bk_v16 x = bk_v16_load(s.p + k);
		/* a byte at or below the space (unsigned), or equal to stop */
		bk_v16 bad = bk_v16_or(bk_v16_eq(bk_v16_min(x, sp), x),
				       bk_v16_eq(x, st));
		bk_v16_store(base + k, x);
		unsigned m = bk_v16_mask(bad);
		if (m)
			return k + (size_t)__builtin_ctz(m) - i;
	}
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
