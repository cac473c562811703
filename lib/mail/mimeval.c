/* SPDX-License-Identifier: BSD-2-Clause */
/* mimeval.c - Content-Type values and parameters (RFC 2045 5.1, RFC 2231),
 * base64 (RFC 2045 6.8) and quoted-printable (RFC 2045 6.7, RFC 2047 4.2).
 * Decoders are lenient: characters outside the alphabet are skipped, bad
 * escapes are kept as they are. */
#include "mail.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

struct bk_sv
bk_mime_type(struct bk_arena *a, struct bk_sv ctype)
{
	struct bk_sv t;
	bk_sv_cut(ctype, ';', &t);
	t = bk_sv_trim(t);
	if (t.n == 0)
		return BK_SV("text/plain");
	/* most types are written in lower case already: then the view */
	size_t k = 0;
	while (k < t.n && bk_lower_tab[(unsigned char)t.p[k]] == (unsigned char)t.p[k] &&
	       !bk_is_space((unsigned char)t.p[k]) && t.p[k] != '"')
		k++;
	if (k == t.n)
		return t;
	char *p = bk_arena_alloc(a, t.n + 1);
	if (!p)
		return BK_SV("text/plain");
	size_t o = 0;
	for (size_t i = 0; i < t.n; i++)
		if (!bk_is_space((unsigned char)t.p[i]) && t.p[i] != '"')
			p[o++] = (char)bk_lower((unsigned char)t.p[i]);
	p[o] = '\0';
	return bk_sv_make(p, o);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#define MAX_SECTIONS 1000	/* RFC 2231 sections of one parameter */

/* One parameter of a header value: name, optional "*N" section, optional
 * "*" (extended), value (quoted or token). */
struct param {
	struct bk_sv name;
	int section;		/* -1 when none */
	bool ext;
	struct bk_sv value;
	bool quoted;
};

static size_t
skip_ws(struct bk_sv s, size_t i)
{
	while (i < s.n && bk_is_space((unsigned char)s.p[i]))
		i++;
	return i;
}

/* Read the parameter at s[*i] (after a ';').  False at the end. */
static bool
next_param(struct bk_sv s, size_t *i, struct param *pm)
{
	size_t k = skip_ws(s, *i), start = k;
	while (k < s.n && s.p[k] != '=' && s.p[k] != ';' && !bk_is_space((unsigned char)s.p[k]))
		k++;
	struct bk_sv name = bk_sv_slice(s, start, k);
	k = skip_ws(s, k);
	if (name.n == 0 || k >= s.n || s.p[k] != '=') {
		/* not "name=value": skip it, and say it has no name */
		pm->name = BK_SV_NULL;
		while (k < s.n && s.p[k] != ';')
			k++;
		*i = k < s.n ? k + 1 : k;
		return k < s.n || name.n;
	}
	k = skip_ws(s, k + 1);
	pm->quoted = k < s.n && s.p[k] == '"';
	if (pm->quoted) {
		size_t v0 = ++k;
		while (k < s.n && s.p[k] != '"')
			k += (s.p[k] == '\\' && k + 1 < s.n) ? 2 : 1;
		pm->value = bk_sv_slice(s, v0, k);
		k = k < s.n ? k + 1 : k;
	} else {
		size_t v0 = k;
		while (k < s.n && s.p[k] != ';')
			k++;
		pm->value = bk_sv_rtrim(bk_sv_slice(s, v0, k));
	}
	while (k < s.n && s.p[k] != ';')
		k++;
	*i = k < s.n ? k + 1 : k;
	/* RFC 2231: name*, name*N, name*N* */
	pm->ext = false;
	pm->section = -1;
	if (name.n && name.p[name.n - 1] == '*') {
		pm->ext = true;
		name.n--;
	}
	long star = bk_sv_rfindc(name, '*');
	if (star > 0) {
		uint64_t sec;
		if (bk_sv_to_u64(bk_sv_from(name, (size_t)star + 1), &sec) &&
		    sec < MAX_SECTIONS) {
			pm->section = (int)sec;
			name.n = (size_t)star;
		}
	}
	pm->name = name;
	return true;
}

static void
add_value(struct bk_sb *sb, const struct param *pm, bool first)
{
	struct bk_sv v = pm->value;
	if (pm->ext) {
		if (first) {	/* charset'language'value */
			long q1 = bk_sv_findc(v, '\'');
			if (q1 >= 0) {
				struct bk_sv r = bk_sv_from(v, (size_t)q1 + 1);
				long q2 = bk_sv_findc(r, '\'');
				if (q2 >= 0)
					v = bk_sv_from(r, (size_t)q2 + 1);
			}
		}
		for (size_t i = 0; i < v.n; i++) {
			int h, l;
			if (v.p[i] == '%' && i + 2 < v.n &&
			    (h = hexval(v.p[i + 1])) >= 0 &&
			    (l = hexval(v.p[i + 2])) >= 0) {
				bk_sb_addc(sb, (char)(h << 4 | l));
				i += 2;
			} else {
				bk_sb_addc(sb, v.p[i]);
			}
		}
		return;
	}
	if (!pm->quoted) {
		bk_sb_addsv(sb, v);
		return;
	}
	for (size_t i = 0; i < v.n; i++) {
		if (v.p[i] == '\\' && i + 1 < v.n)
			i++;
		bk_sb_addc(sb, v.p[i]);
	}
}

struct bk_sv
bk_mime_param(struct bk_arena *a, struct bk_sv ctype, const char *name)
{
	struct bk_sv want = bk_sv_c(name);
	long semi = bk_sv_findc(ctype, ';');
	if (semi < 0)
		return BK_SV_NULL;
	/* Sections may come in any order (RFC 2231 3): one pass notes where
	 * the first of each section starts (+ 1; 0 when not seen), then
	 * sections 0, 1, 2, ... are read from there, so a hostile value is
	 * read in linear time.  A plain "name=" before any section 0 wins. */
	size_t *at = NULL, i = (size_t)semi + 1;
	struct param pm;
	while (i < ctype.n) {
		size_t here = i;
		if (!next_param(ctype, &i, &pm))
			break;
		if (pm.name.n == 0 || !bk_sv_ieq(pm.name, want))
			continue;
		if (pm.section < 0 && (!at || !at[0])) {
			/* a token, or a quoted string without escapes, is
			 * its value as it stands */
			if (!pm.ext && (!pm.quoted ||
					!memchr(pm.value.p, '\\', pm.value.n)))
				return pm.value;
			struct bk_sb sb;
			bk_sb_init(&sb, a, 0);
			add_value(&sb, &pm, true);
			return bk_sb_sv(&sb);
		}
		if (pm.section < 0)
			continue;
		if (!at && !(at = bk_arena_zalloc(a, MAX_SECTIONS * sizeof(*at))))
			return BK_SV_NULL;
		if (!at[pm.section])
			at[pm.section] = here + 1;
	}
	if (!at || !at[0])
		return BK_SV_NULL;
	struct bk_sb sb;
	bk_sb_init(&sb, a, 0);
	for (size_t k = 0; k < MAX_SECTIONS && at[k]; k++) {
		size_t j = at[k] - 1;
		next_param(ctype, &j, &pm);
		add_value(&sb, &pm, k == 0);
	}
	return bk_sb_sv(&sb);
}

static const signed char b64tab[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6,
	['G'] = 7, ['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12,
	['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18,
	['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
	['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30,
	['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36,
	['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
	['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
	['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54,
	['2'] = 55, ['3'] = 56, ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60,
	['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64, ['-'] = 63, ['_'] = 64,
};

struct bk_sv
bk_base64_decode(struct bk_arena *a, struct bk_sv in)
{
	char *out = bk_arena_alloc(a, in.n / 4 * 3 + 4);
	if (!out)
		return BK_SV_NULL;
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < in.n; i++) {
		int v = b64tab[(unsigned char)in.p[i]];
		if (in.p[i] == '=') {
			/* padding ends a quantum; a new one may follow in
			 * concatenated data, so only reset */
			acc = 0;
			bits = 0;
			continue;
		}
		if (v == 0)
			continue;
		acc = acc << 6 | (uint32_t)(v - 1);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)(acc >> bits & 0xff);
		}
	}
	out[o] = '\0';
	return bk_sv_make(out, o);
}

/* One escape at in.p[*i] == '=' (RFC 2045 6.7): a soft line break ("="
 * then optional white space then LF, or the end of a body) is dropped, a
 * valid "=XX" becomes its byte, anything else stays. */
static size_t
qp_escape(struct bk_sv in, size_t *i, bool header, char *out)
{
	size_t k = *i + 1;
	while (k < in.n && (in.p[k] == ' ' || in.p[k] == '\t'))
		k++;
	if ((k < in.n && in.p[k] == '\n') || (k >= in.n && !header)) {
		*i = k;
		return 0;
	}
	int h = *i + 1 < in.n ? hexval(in.p[*i + 1]) : -1;
	int l = *i + 2 < in.n ? hexval(in.p[*i + 2]) : -1;
	if (h >= 0 && l >= 0) {
		*out = (char)(h << 4 | l);
		*i += 2;
	} else {
		*out = '=';
	}
	return 1;
}

struct bk_sv
bk_qp_decode(struct bk_arena *a, struct bk_sv in, bool header)
{
	char *out = bk_arena_alloc(a, in.n + 1);
	if (!out)
		return BK_SV_NULL;
	size_t o = 0;
	for (size_t i = 0; i < in.n; i++) {
		if (!header) {
			/* copy the run up to the next '=' whole */
			const char *eq = bk_copy_until(out, &o, in.p + i,
						       in.p + in.n, '=');
			i = eq ? (size_t)(eq - in.p) : in.n;
			if (i >= in.n)
				break;
		}
		char c = in.p[i];
		if (c == '_' && header)
			out[o++] = ' ';
		else if (c != '=')
			out[o++] = c;
		else
			o += qp_escape(in, &i, header, out + o);
	}
	/* strip trailing white space on lines is not done: it is rare and
	 * harmless for the text we read */
	out[o] = '\0';
	return bk_sv_make(out, o);
}
