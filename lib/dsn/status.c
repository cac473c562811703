/* SPDX-License-Identifier: BSD-2-Clause */
/* status.c - RFC 3463 enhanced status codes in free text.
 *
 * The rules for which code to keep when a bounce gives several come from
 * experience with real bounces (Sisimai's documented behaviour): the
 * "Status:" field wins unless it is vaguer (X.0.0, X.Y.0) or one of the
 * codes MTAs use as catch-alls (4.4.7, 4.7.0, 5.3.x, X.5.[1245]), and a
 * reply code's class settles a disagreement in class.
 */
#include "dsn.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif


static bool
is_ipv4_like(struct bk_sv t, size_t at)
{
	/* at points at the class digit; the candidate is followed by
	 * ".D" making it look like a dotted quad */
	size_t i = at, dots = 0;
	/* a dotted quad is at most 15 characters: look no further */
	while (i < t.n && i < at + 16 &&
	       (bk_is_digit((unsigned char)t.p[i]) || t.p[i] == '.')) {
		if (t.p[i] == '.')
			dots++;
		i++;
	}
	return dots >= 3;
}

/* Read a status at t[at]; returns its length or 0. */
static size_t
read_status(struct bk_sv t, size_t at, char out[BK_STATUS_MAX])
{
	if (at > 0) {
		unsigned char prev = (unsigned char)t.p[at - 1];
		if ((prev >= '.' && prev <= '9') || prev == 'v' || prev == 'V')
			return 0;	/* digit, '.', '/': part of a number */
	}
	if (at + 4 >= t.n)
		return 0;
	if (t.p[at + 1] != '.' || t.p[at + 2] < '0' || t.p[at + 2] > '7' ||
	    t.p[at + 3] != '.')
		return 0;
	size_t i = at + 4, d0 = i;
	while (i < t.n && i - d0 < 3 && bk_is_digit((unsigned char)t.p[i]))
		i++;
	if (i == d0 || (i < t.n && bk_is_digit((unsigned char)t.p[i])))
		return 0;
	if (is_ipv4_like(t, at))
		return 0;
	memcpy(out, t.p + at, i - at);
	out[i - at] = '\0';
	return i - at;
}

static bool
is_vague(const char *s)
{
	return strcmp(s + 1, ".0.0") == 0 || strcmp(s, "4.4.7") == 0;
}

/* Keep cand if it is better than what *best holds (the rules above). */
static void
consider(const char *cand, char best[BK_STATUS_MAX], char vague[BK_STATUS_MAX],
	 bool *any)
{
	if (is_vague(cand)) {
		if (!vague[0])
			memcpy(vague, cand, BK_STATUS_MAX);
		return;
	}
	if (!*any) {
		memcpy(best, cand, BK_STATUS_MAX);
		*any = true;
		return;
	}
	struct bk_sv p = bk_status_prefer(bk_sv_c(best), bk_sv_c(cand), BK_SV(""));
	if (p.p != best)
		memcpy(best, cand, BK_STATUS_MAX);
}

/* Where the next candidate's class digit is, at or after i: a 2, 4 or 5
 * (hint when given) with a '.' after it; n when there is none.  The dots
 * of host names and addresses are many in a diagnostic: sixteen positions
 * are tested at once (SSE2) instead of a memchr call per dot. */
static size_t
next_class(struct bk_sv text, size_t i, char hint)
{
	const char *p = text.p;
	size_t n = text.n;
#if defined(__SSE2__)
	const __m128i dot = _mm_set1_epi8('.'), h = _mm_set1_epi8(hint);
	for (; i + 17 <= n; i += 16) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 1));
		__m128i c = _mm_or_si128(_mm_or_si128(
			_mm_cmpeq_epi8(a, _mm_set1_epi8('2')),
			_mm_cmpeq_epi8(a, _mm_set1_epi8('4'))),
			_mm_cmpeq_epi8(a, _mm_set1_epi8('5')));
		if (hint)
			c = _mm_and_si128(c, _mm_cmpeq_epi8(a, h));
		unsigned k = (unsigned)_mm_movemask_epi8(
			_mm_and_si128(c, _mm_cmpeq_epi8(b, dot)));
		if (k)
			return i + (size_t)__builtin_ctz(k);
	}
#endif
	while (i + 1 < n) {
		const char *d = memchr(p + i + 1, '.', n - i - 1);
		if (!d)
			return n;
		i = (size_t)(d - p) - 1;
		char c = p[i];
		if ((c == '2' || c == '4' || c == '5') && (!hint || c == hint))
			return i;
		i++;
	}
	return n;
}

/* A status is "C.S.D": every candidate has a '.' one byte after its class
 * digit. */
bool
bk_status_find(struct bk_sv text, char hint, char out[BK_STATUS_MAX])
{
	char best[BK_STATUS_MAX] = "", vague[BK_STATUS_MAX] = "";
	char cand[BK_STATUS_MAX];
	bool any = false;
	size_t i = 0;	/* candidates start at i or later */
	while (i + 4 < text.n) {
		size_t at = next_class(text, i, hint);
		if (at + 4 >= text.n)
			break;
		size_t len = read_status(text, at, cand);
		if (!len) {
			i = at + 1;
			continue;
		}
		i = at + len;
		consider(cand, best, vague, &any);
	}
	if (!any && !vague[0])
		return false;
	memcpy(out, any ? best : vague, BK_STATUS_MAX);
	return true;
}

bool
bk_status_valid(struct bk_sv s)
{
	char tmp[BK_STATUS_MAX];
	if (s.n < 5 || s.n > 9)
		return false;
	return read_status(s, 0, tmp) == s.n;
}

bool
bk_status_is_pseudo(struct bk_sv s)
{
	return s.n == 7 && bk_sv_starts(bk_sv_from(s, 1), BK_SV(".0.9"));
}

struct bk_sv
bk_status_prefer(struct bk_sv field, struct bk_sv code, struct bk_sv reply)
{
	if (field.n == 0)
		return code;
	if (code.n == 0)
		return field;
	if (field.n < 5)
		return code;
	if (code.n < 5)
		return field;
	/* a reply code settles a disagreement in class */
	if (reply.n && field.p[0] != code.p[0]) {
		if (reply.p[0] == field.p[0])
			return field;
		if (reply.p[0] == code.p[0])
			return code;
	}
	if (bk_sv_eq(field, code))
		return field;
	/* The remote server's own code is the more specific one: the field
	 * is that code cut short ("5.7.2" of "550 5.7.26"), or a generic
	 * detail of the same class and subject where the server names one of
	 * the later, specific details (5.7.26 DMARC, 5.7.25 PTR, 5.1.10 null
	 * MX: RFC 7372, 7505, 8098 and the IANA registry). */
	if (code.n > field.n && bk_sv_starts(code, field) &&
	    code.p[field.n] >= '0' && code.p[field.n] <= '9')
		return code;
	if (field.n == 5 && code.n >= 6 && field.p[0] == code.p[0] &&
	    field.p[2] == code.p[2] && field.p[3] == '.' && code.p[3] == '.')
		return code;
	bool fz2 = bk_sv_contains(field, BK_SV(".0.0"));
	bool cz2 = bk_sv_contains(code, BK_SV(".0.0"));
	bool fz1 = bk_sv_contains(field, BK_SV(".0"));
	bool cz1 = bk_sv_contains(code, BK_SV(".0"));
	if (fz2)
		return cz2 ? field : code;
	if (fz1 && !cz1)
		return code;
	if (cz2)
		return field;
	struct bk_sv sub = bk_sv_from(field, 1);
	if (bk_sv_eq(field, BK_SV("4.4.7")) || bk_sv_eq(field, BK_SV("4.7.0")) ||
	    bk_sv_starts(field, BK_SV("5.3.")) || bk_sv_starts(sub, BK_SV(".5.1")) ||
	    bk_sv_starts(sub, BK_SV(".5.2")) || bk_sv_starts(sub, BK_SV(".5.4")) ||
	    bk_sv_starts(sub, BK_SV(".5.5")))
		return code;
	if (bk_sv_eq(field, BK_SV("5.1.1")))
		return cz1 || bk_sv_starts(code, BK_SV("5.5.")) ? field : code;
	if (bk_sv_eq(field, BK_SV("5.1.3")) && bk_sv_starts(code, BK_SV("5.7.")))
		return code;
	return field;
}
