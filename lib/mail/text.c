/* SPDX-License-Identifier: BSD-2-Clause */
/* text.c - line-end normalisation: CRLF, bare CR (old Mac) and LF, also
 * mixed in one message, all become LF, so every later stage sees one form.
 * mboxrd quoting (">From " at a line start, any number of '>') loses one
 * '>' when asked. */
#include "mail.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static bool
needs_unquote(struct bk_sv in)
{
	if (bk_sv_starts(in, BK_SV(">From ")) || bk_sv_starts(in, BK_SV(">>")))
		return true;
	return bk_sv_contains(in, BK_SV("\n>From ")) ||
	       bk_sv_contains(in, BK_SV("\n>>"));
}

/* At a line start: is this a quoted From line (>+From )? */
static bool
quoted_from(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] == '>')
		i++;
	return i > 0 && n - i >= 5 && memcmp(p + i, "From ", 5) == 0;
}

/* Copy in to out turning CRLF and bare CR into LF; runs without a CR are
 * copied whole. */
static size_t
copy_crlf(char *out, const char *p, const char *end)
{
	size_t o = 0;
#if defined(__SSE2__)
	/* sixteen bytes at a time: each block is stored whole (the output
	 * never runs ahead of the input, so the store stays inside the
	 * buffer) and the bytes from a CR on are written again after it */
	const __m128i vcr = _mm_set1_epi8('\r');
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vcr));
		_mm_storeu_si128((__m128i *)(void *)(out + o), v);
		if (!m) {
			o += 16;
			p += 16;
			continue;
		}
		unsigned k = (unsigned)__builtin_ctz(m);
		o += k;
		out[o++] = '\n';
		p += k + 1;
		if (p < end && *p == '\n')
			p++;
	}
#endif
	while (p < end) {
		const char *cr = memchr(p, '\r', (size_t)(end - p));
		size_t len = (size_t)((cr ? cr : end) - p);
		memcpy(out + o, p, len);
		o += len;
		if (!cr)
			break;
		out[o++] = '\n';
		p = cr + 1;
		if (p < end && *p == '\n')
			p++;
	}
	return o;
}

/* The slow path, byte by byte: mboxrd unquoting (rare). */
static size_t
copy_unquote(char *out, struct bk_sv in)
{
	size_t o = 0;
	bool bol = true;
	for (size_t i = 0; i < in.n; i++) {
		char c = in.p[i];
		if (bol && c == '>' && quoted_from(in.p + i, in.n - i)) {
			bol = false;
			continue;	/* drop one '>' */
		}
		if (c == '\r') {
			if (i + 1 < in.n && in.p[i + 1] == '\n')
				i++;
			c = '\n';
		}
		out[o++] = c;
		bol = c == '\n';
	}
	return o;
}

struct bk_sv
bk_text_normalize(struct bk_arena *a, struct bk_sv in, bool unquote)
{
	const char *cr = in.n ? memchr(in.p, '\r', in.n) : NULL;
	bool uq = unquote && needs_unquote(in);
	if (!cr && !uq)
		return in;
	char *out = bk_arena_alloc(a, in.n + 1);
	if (!out)
		return BK_SV_NULL;
	size_t o;
	if (uq) {
		o = copy_unquote(out, in);
	} else {
		/* the part before the first CR needs no look */
		o = (size_t)(cr - in.p);
		memcpy(out, in.p, o);
		o += copy_crlf(out + o, cr, in.p + in.n);
	}
	out[o] = '\0';
	return bk_sv_make(out, o);
}
