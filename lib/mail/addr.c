/* SPDX-License-Identifier: BSD-2-Clause */
/* addr.c - finding the mail address in header values and bounce text
 * (RFC 5322 3.4): display names, comments, angle brackets, quoted local
 * parts, "rfc822;" type prefixes, "mailto:". */
#include "mail.h"

#include <pthread.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Byte classes, one lookup a byte (these loops run over whole header
 * values and bounce lines). */
enum {
	C_ADDR = 1,	/* may be part of an address */
	C_CTRL = 2,	/* a control byte: never in an address */
	C_STOP = 4,	/* space < > , ;: never outside a quoted local part */
	C_WALK = 8,	/* " ( ) @: what the scan for a bare address stops at */
};

static unsigned char cls[256];
static pthread_once_t cls_once = PTHREAD_ONCE_INIT;

static void
cls_init(void)
{
	for (int c = 0; c < 256; c++) {
		unsigned char k = 0;
		if (c < ' ' || c == 0x7f)
			k |= C_CTRL;
		else if (c > ' ' && !strchr("<>()[],;:\"\\`{}|", c))
			k |= C_ADDR;
		if (c && strchr(" <>,;", c))
			k |= C_STOP;
		if (c && strchr("\"()@", c))
			k |= C_WALK;
		cls[c] = k;
	}
}

static bool
is_addr_char(unsigned char c)
{
	return cls[c] & C_ADDR;
}

static struct bk_sv
lower_copy(struct bk_arena *a, struct bk_sv s)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7full, high = ~low7;
	char *p = bk_arena_alloc(a, s.n + 1);
	if (!p)
		return BK_SV_NULL;
	size_t i = 0;
	/* eight bytes at a time: a byte of 'A' to 'Z' (its low seven bits
	 * at least 0x41 and below 0x5b, its top bit clear) gets bit 0x20 */
	for (; i + 8 <= s.n; i += 8) {
		uint64_t x, b;
		memcpy(&x, s.p + i, 8);
		b = x & low7;
		b = (b + 0x3f3f3f3f3f3f3f3full) & ~(b + 0x2525252525252525ull) &
		    ~x & high;
		x |= b >> 2;
		memcpy(p + i, &x, 8);
	}
	for (; i < s.n; i++)
		p[i] = (char)bk_lower((unsigned char)s.p[i]);
	p[s.n] = '\0';
	return bk_sv_make(p, s.n);
}

static struct bk_sv
clean(struct bk_sv s)
{
	s = bk_sv_trim(s);
	while (s.n && (s.p[s.n - 1] == '.' || s.p[s.n - 1] == '\''))
		s.n--;
	while (s.n && (s.p[0] == '\'' || s.p[0] == '.'))
		s = bk_sv_from(s, 1);
	if (bk_sv_istarts(s, BK_SV("mailto:")))
		s = bk_sv_from(s, 7);
	return s;
}

/* The address around the '@' at s.p[at]. */
static struct bk_sv
around(struct bk_sv s, size_t at)
{
	size_t b = at, e = at + 1;
	if (b > 0 && s.p[b - 1] == '"') {
		/* quoted local part: back to the opening quote */
		size_t q = b - 1;
		while (q > 0 && s.p[q - 1] != '"')
			q--;
		b = q > 0 ? q - 1 : 0;
	} else {
		while (b > 0 && is_addr_char((unsigned char)s.p[b - 1]))
			b--;
	}
	if (e < s.n && s.p[e] == '[') {	/* domain literal */
		while (e < s.n && s.p[e] != ']')
			e++;
		if (e < s.n)
			e++;
	} else {
		while (e < s.n && is_addr_char((unsigned char)s.p[e]))
			e++;
	}
	return bk_sv_slice(s, b, e);
}

struct bk_sv
bk_addr_find(struct bk_arena *a, struct bk_sv s)
{
	/* the first <...> that holds an '@' wins */
	for (size_t i = 0; i < s.n; i++) {
		const char *lt = memchr(s.p + i, '<', s.n - i);
		if (!lt)
			break;
		i = (size_t)(lt - s.p);
		struct bk_sv in = bk_sv_from(s, i + 1);
		long close = bk_sv_findc(in, '>');
		if (close < 0)
			break;
		struct bk_sv c = clean(bk_sv_slice(in, 0, (size_t)close));
		if (bk_addr_valid(c))
			return lower_copy(a, c);
		i += (size_t)close;
	}
	/* else the first word with an '@' outside comments */
	int depth = 0;
	bool quoted = false;
	pthread_once(&cls_once, cls_init);
	for (size_t i = 0; i < s.n; i++) {
		while (i < s.n && !(cls[(unsigned char)s.p[i]] & C_WALK))
			i++;
		if (i == s.n)
			break;
		char c = s.p[i];
		if (c == '"' && depth == 0)
			quoted = !quoted;
		else if (c == '(' && !quoted)
			depth++;
		else if (c == ')' && depth > 0)
			depth--;
		else if (c == '@' && depth == 0) {
			struct bk_sv w = clean(around(s, i));
			if (bk_addr_valid(w))
				return lower_copy(a, w);
		}
	}
	return BK_SV_NULL;
}

/* Whether s may hold a control byte or a C_STOP one (false: it has
 * none), sixteen bytes at a time; short strings say "maybe". */
static bool
maybe_special(struct bk_sv s)
{
#if defined(__SSE2__)
	if (s.n < 16)
		return true;
	const __m128i sp = _mm_set1_epi8(' ');
	for (size_t i = 0;; i += 16) {
		size_t at = i + 16 <= s.n ? i : s.n - 16;	/* the tail overlaps */
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s.p + at));
		__m128i m = _mm_cmpeq_epi8(_mm_min_epu8(b, sp), b);	/* <= ' ' */
		m = _mm_or_si128(m, _mm_cmpeq_epi8(b, _mm_set1_epi8(0x7f)));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(b, _mm_set1_epi8('<')));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(b, _mm_set1_epi8('>')));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(b, _mm_set1_epi8(',')));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(b, _mm_set1_epi8(';')));
		if (_mm_movemask_epi8(m))
			return true;
		if (at + 16 >= s.n)
			return false;
	}
#else
	(void)s;
	return true;
#endif
}

bool
bk_addr_valid(struct bk_sv s)
{
	if (s.n < 3 || s.n > 254)
		return false;
	long at = bk_sv_rfindc(s, '@');
	if (at <= 0 || (size_t)at + 1 >= s.n)
		return false;
	struct bk_sv local = bk_sv_slice(s, 0, (size_t)at);
	struct bk_sv dom = bk_sv_from(s, (size_t)at + 1);
	bool qlocal = local.n >= 2 && local.p[0] == '"' &&
		      local.p[local.n - 1] == '"';
	/* the bytes one by one only when one of them may be special */
	bool maybe = maybe_special(s);
	if (maybe)
		pthread_once(&cls_once, cls_init);
	for (size_t i = 0; maybe && i < s.n; i++) {
		unsigned char k = cls[(unsigned char)s.p[i]];
		if (!(k & (C_CTRL | C_STOP)))
			continue;
		if (k & C_CTRL)
			return false;
		if (!(i < local.n && qlocal))
			return false;
	}
	if (dom.p[0] == '[')
		return dom.p[dom.n - 1] == ']';
	if (dom.p[0] == '.' || dom.p[0] == '-' || bk_sv_findc(dom, '@') >= 0)
		return false;
	return bk_sv_findc(dom, '.') > 0 || bk_sv_ieq(dom, BK_SV("localhost"));
}

struct bk_sv
bk_addr_domain(struct bk_sv addr)
{
	long at = bk_sv_rfindc(addr, '@');
	return at < 0 ? bk_sv_make("", 0) : bk_sv_from(addr, (size_t)at + 1);
}
