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

bool
bk_sv_eq(struct bk_sv a, struct bk_sv b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

static bool
ieq_n(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (L(a[i]) != L(b[i]))
			return false;
	return true;
}

bool
bk_sv_ieq(struct bk_sv a, struct bk_sv b)
{
	return a.n == b.n && ieq_n(a.p, b.p, a.n);
}

bool
bk_sv_starts(struct bk_sv s, struct bk_sv prefix)
{
	return s.n >= prefix.n && memcmp(s.p, prefix.p, prefix.n) == 0;
}

bool
bk_sv_istarts(struct bk_sv s, struct bk_sv prefix)
{
	return s.n >= prefix.n && ieq_n(s.p, prefix.p, prefix.n);
}

bool
bk_sv_ends(struct bk_sv s, struct bk_sv suffix)
{
	return s.n >= suffix.n &&
	       memcmp(s.p + s.n - suffix.n, suffix.p, suffix.n) == 0;
}

bool
bk_sv_iends(struct bk_sv s, struct bk_sv suffix)
{
	return s.n >= suffix.n && ieq_n(s.p + s.n - suffix.n, suffix.p, suffix.n);
}

long
bk_sv_find(struct bk_sv s, struct bk_sv needle)
{
	if (needle.n == 0)
		return 0;
	if (s.n < needle.n)
		return -1;
	const char *hit = memmem(s.p, s.n, needle.p, needle.n);
	return hit ? (long)(hit - s.p) : -1;
}

/* Case-insensitive search.  The next occurrence of each case of the first
 * byte is found with memchr and kept until passed, so the scan is linear
 * in the text (times the needle length at worst for the comparisons). */
long
bk_sv_ifind(struct bk_sv s, struct bk_sv needle)
{
	if (needle.n == 0)
		return 0;
	if (s.n < needle.n)
		return -1;
	unsigned char c0 = L(needle.p[0]);
	unsigned char c1 = (unsigned char)(c0 >= 'a' && c0 <= 'z' ? c0 - 32 : c0);
	const char *end = s.p + (s.n - needle.n) + 1;	/* last start + 1 */
	const char *a = memchr(s.p, c0, (size_t)(end - s.p));
	const char *b = c1 != c0 ? memchr(s.p, c1, (size_t)(end - s.p)) : NULL;
	while (a || b) {
		const char *h = !a ? b : !b ? a : (a < b ? a : b);
		if (ieq_n(h + 1, needle.p + 1, needle.n - 1))
			return (long)(h - s.p);
		if (h == a)
			a = h + 1 < end ? memchr(h + 1, c0, (size_t)(end - h - 1)) : NULL;
		else
			b = h + 1 < end ? memchr(h + 1, c1, (size_t)(end - h - 1)) : NULL;
	}
	return -1;
}

long
bk_sv_findc(struct bk_sv s, char c)
{
	const char *h = s.n ? memchr(s.p, c, s.n) : NULL;
	return h ? (long)(h - s.p) : -1;
}

long
bk_sv_rfindc(struct bk_sv s, char c)
{
	const char *h = s.n ? memrchr(s.p, c, s.n) : NULL;
	return h ? (long)(h - s.p) : -1;
}

struct bk_sv
bk_sv_ltrim(struct bk_sv s)
{
	while (s.n && bk_is_space((unsigned char)s.p[0])) {
		s.p++;
		s.n--;
	}
	return s;
}

struct bk_sv
bk_sv_rtrim(struct bk_sv s)
{
	while (s.n && bk_is_space((unsigned char)s.p[s.n - 1]))
		s.n--;
	return s;
}

struct bk_sv
bk_sv_trim(struct bk_sv s)
{
	return bk_sv_rtrim(bk_sv_ltrim(s));
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
bk_sv_next_line(struct bk_sv *rest, struct bk_sv *line)
{
	if (rest->p == NULL || rest->n == 0) {
		*line = BK_SV_NULL;
		return false;
	}
	const char *nl = memchr(rest->p, '\n', rest->n);
	size_t len = nl ? (size_t)(nl - rest->p) : rest->n;
	*line = (struct bk_sv){ rest->p, len };
	size_t adv = nl ? len + 1 : len;
	rest->p += adv;
	rest->n -= adv;
	return true;
}

struct bk_sv
bk_sv_cut(struct bk_sv s, char c, struct bk_sv *head)
{
	long i = bk_sv_findc(s, c);
	if (i < 0) {
		*head = s;
		return BK_SV_NULL;
	}
	*head = bk_sv_slice(s, 0, (size_t)i);
	return bk_sv_from(s, (size_t)i + 1);
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

long
bk_sv_ifind_any(struct bk_sv s, const struct bk_sv *list, size_t n,
		size_t *which)
{
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
