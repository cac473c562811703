/* SPDX-License-Identifier: BSD-2-Clause */
/* json.c - the one JSON reader (json.h, RFC 8259): the lenient in-place
 * reader the decoders use on JSON inside mail, and its strict mode, the
 * whole grammar, for JSON that goes out as it came in (a hook's answer in
 * a record's "catch" field). */
#include "json.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Scanners: each takes the offset of the first byte of a token and
 * returns the offset just past it, or 0 when it is malformed or cut off
 * (no token ends at offset 0). */

static size_t
skip_ws(struct bk_sv s, size_t i)
{
	while (i < s.n && (s.p[i] == ' ' || s.p[i] == '\t' || s.p[i] == '\n' ||
			   s.p[i] == '\r'))
		i++;
	return i;
}

/* The first '"' or '\\' at i or after (s.n when none), sixteen bytes at a
 * time where SSE2 is there: the text of a string is passed over whole. */
static size_t
next_quote_or_escape(struct bk_sv s, size_t i)
{
#if defined(__SSE2__)
	const __m128i q = _mm_set1_epi8('"'), e = _mm_set1_epi8('\\');
	for (; i + 16 <= s.n; i += 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s.p + i));
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_cmpeq_epi8(b, q), _mm_cmpeq_epi8(b, e)));
		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	while (i < s.n && s.p[i] != '"' && s.p[i] != '\\')
		i++;
	return i;
}

static size_t
string_end(struct bk_sv s, size_t i)
{
	for (i = next_quote_or_escape(s, i + 1); i < s.n;
	     i = next_quote_or_escape(s, i + 1)) {
		if (s.p[i] == '\\')
			i++;
		else if (s.p[i] == '"')
			return i + 1;
	}
	return 0;
}

/* An object or an array: brackets are counted, strings stepped over. */
static size_t
nested_end(struct bk_sv s, size_t i)
{
	size_t depth = 0;
	while (i < s.n) {
		char c = s.p[i];
		if (c == '"') {
			i = string_end(s, i);
			if (!i)
				return 0;
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0)
			return i + 1;
		i++;
	}
	return 0;
}

static bool
scalar_char(char c)
{
	return bk_is_alpha((unsigned char)c) || bk_is_digit((unsigned char)c) ||
	       c == '-' || c == '+' || c == '.';
}

static size_t
value_end(struct bk_sv s, size_t i)
{
	if (i >= s.n)
		return 0;
	if (s.p[i] == '"')
		return string_end(s, i);
	if (s.p[i] == '{' || s.p[i] == '[')
		return nested_end(s, i);
	size_t j = i;
	while (j < s.n && scalar_char(s.p[j]))
		j++;
	return j > i ? j : 0;
}

struct bk_sv
bk_json_value(struct bk_sv text)
{
	size_t i = skip_ws(text, 0);
	size_t e = value_end(text, i);
	return e ? bk_sv_slice(text, i, e) : BK_SV_NULL;
}

enum bk_json_type
bk_json_type(struct bk_sv v)
{
	if (!v.p || !v.n)
		return BK_JSON_NONE;
	switch (v.p[0]) {
	case '{': return BK_JSON_OBJECT;
	case '[': return BK_JSON_ARRAY;
	case '"': return BK_JSON_STRING;
	default: return BK_JSON_SCALAR;
	}
}

struct bk_sv
bk_json_get(struct bk_sv obj, const char *key)
{
	struct bk_sv want = bk_sv_c(key);
	if (bk_json_type(obj) != BK_JSON_OBJECT)
		return BK_SV_NULL;
	size_t i = skip_ws(obj, 1);
	while (i < obj.n && obj.p[i] == '"') {
		size_t ke = string_end(obj, i);
		if (!ke)
			break;
		struct bk_sv name = bk_sv_slice(obj, i + 1, ke - 1);
		i = skip_ws(obj, ke);
		if (i >= obj.n || obj.p[i] != ':')
			break;
		i = skip_ws(obj, i + 1);
		size_t ve = value_end(obj, i);
		if (!ve)
			break;
		if (bk_sv_eq(name, want))
			return bk_sv_slice(obj, i, ve);
		i = skip_ws(obj, ve);
		if (i >= obj.n || obj.p[i] != ',')
			break;
		i = skip_ws(obj, i + 1);
	}
	return BK_SV_NULL;
}

bool
bk_json_next(struct bk_sv *rest, struct bk_sv *elem)
{
	size_t i = skip_ws(*rest, 0), e = 0;
	if (i < rest->n && (rest->p[i] == '[' || rest->p[i] == ',')) {
		i = skip_ws(*rest, i + 1);
		e = value_end(*rest, i);
	}
	if (!e) {
		rest->n = 0;	/* at the end, or malformed: stop */
		return false;
	}
	*elem = bk_sv_slice(*rest, i, e);
	*rest = bk_sv_from(*rest, e);
	return true;
}

static int
hex4(struct bk_sv s, size_t i)
{
	int v = 0;
	if (i + 4 > s.n)
		return -1;
	for (size_t k = i; k < i + 4; k++) {
		unsigned char c = (unsigned char)s.p[k];
		int d = bk_is_digit(c) ? c - '0' :
			(c >= 'a' && c <= 'f') ? c - 'a' + 10 :
			(c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static void
put_utf8(struct bk_sb *sb, unsigned long cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	bk_sb_add(sb, b, n);
}

/* A \u escape at s[i] ('u'): the code point, a surrogate pair joined;
 * U+FFFD for anything broken.  *i is left on the last byte used. */
static unsigned long
unicode_escape(struct bk_sv s, size_t *i)
{
	int hi = hex4(s, *i + 1);
	if (hi < 0)
		return 0xFFFD;
	*i += 4;
	if (hi < 0xD800 || hi > 0xDFFF)
		return (unsigned long)hi;
	if (hi > 0xDBFF || *i + 2 >= s.n || s.p[*i + 1] != '\\' ||
	    s.p[*i + 2] != 'u')
		return 0xFFFD;
	int lo = hex4(s, *i + 3);
	if (lo < 0xDC00 || lo > 0xDFFF)
		return 0xFFFD;
	*i += 6;
	return 0x10000 + (((unsigned long)hi - 0xD800) << 10) +
	       ((unsigned long)lo - 0xDC00);
}

static char
simple_escape(char c)
{
	switch (c) {
	case 'b': return '\b';
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	default: return c;	/* '"', '\\', '/' and anything unknown */
	}
}

struct bk_sv
bk_json_str(struct bk_arena *a, struct bk_sv v)
{
	if (bk_json_type(v) != BK_JSON_STRING || v.n < 2)
		return BK_SV_NULL;
	struct bk_sv in = bk_sv_slice(v, 1, v.n - 1);
	if (bk_sv_findc(in, '\\') < 0)
		return in;
	struct bk_sb sb;
	bk_sb_init(&sb, a, in.n);
	for (size_t i = 0; i < in.n; i++) {
		if (in.p[i] != '\\' || i + 1 >= in.n) {
			bk_sb_addc(&sb, in.p[i]);
			continue;
		}
		i++;
		if (in.p[i] == 'u')
			put_utf8(&sb, unicode_escape(in, &i));
		else
			bk_sb_addc(&sb, simple_escape(in.p[i]));
	}
	struct bk_sv out = bk_sb_sv(&sb);
	return a->failed ? BK_SV_NULL : out;
}

struct bk_sv
bk_json_get_str(struct bk_arena *a, struct bk_sv obj, const char *key)
{
	return bk_json_str(a, bk_json_get(obj, key));
}

/* ---- strict mode: the whole grammar ----
 * Iterative over nesting with a depth cap; linear in the input. */

#define MAX_DEPTH 64

static size_t
ws(const char *s, size_t i)
{
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
		i++;
	return i;
}

static bool
string_at(const char *s, size_t *i)
{
	size_t k = *i + 1;
	for (;;) {
		unsigned char c = (unsigned char)s[k];
		if (c == '"')
			break;
		if (c < 0x20)
			return false;
		if (c == '\\') {
			k++;
			if (s[k] == 'u') {
				for (int j = 1; j <= 4; j++)
					if (!strchr("0123456789abcdefABCDEF", s[k + (size_t)j]) ||
					    !s[k + (size_t)j])
						return false;
				k += 4;
			} else if (!s[k] || !strchr("\"\\/bfnrt", s[k])) {
				return false;
			}
		}
		k++;
	}
	*i = k + 1;
	return true;
}

static bool
number_at(const char *s, size_t *i)
{
	size_t k = *i;
	if (s[k] == '-')
		k++;
	if (!bk_is_digit((unsigned char)s[k]))
		return false;
	if (s[k] == '0')
		k++;
	else
		while (bk_is_digit((unsigned char)s[k]))
			k++;
	if (s[k] == '.') {
		k++;
		if (!bk_is_digit((unsigned char)s[k]))
			return false;
		while (bk_is_digit((unsigned char)s[k]))
			k++;
	}
	if (s[k] == 'e' || s[k] == 'E') {
		k++;
		if (s[k] == '+' || s[k] == '-')
			k++;
		if (!bk_is_digit((unsigned char)s[k]))
			return false;
		while (bk_is_digit((unsigned char)s[k]))
			k++;
	}
	*i = k;
	return true;
}

static bool
json_valid(const char *s)
{
	char stack[MAX_DEPTH];
	int depth = 0;
	size_t i = ws(s, 0);
	bool want_value = true;
	for (;;) {
		if (want_value) {
			char c = s[i];
			if (c == '{' || c == '[') {
				if (depth == MAX_DEPTH)
					return false;
				stack[depth++] = c;
				i = ws(s, i + 1);
				if (s[i] == (c == '{' ? '}' : ']')) {
					depth--;
					i++;
					want_value = false;
					goto after;
				}
				if (c == '{') {
					if (s[i] != '"' || !string_at(s, &i))
						return false;
					i = ws(s, i);
					if (s[i++] != ':')
						return false;
					i = ws(s, i);
				}
				continue;
			}
			if (c == '"') {
				if (!string_at(s, &i))
					return false;
			} else if (!strncmp(s + i, "true", 4)) {
				i += 4;
			} else if (!strncmp(s + i, "false", 5)) {
				i += 5;
			} else if (!strncmp(s + i, "null", 4)) {
				i += 4;
			} else if (!number_at(s, &i)) {
				return false;
			}
			want_value = false;
		}
after:
		i = ws(s, i);
		if (depth == 0)
			return s[i] == '\0';
		char top = stack[depth - 1];
		if (s[i] == ',') {
			i = ws(s, i + 1);
			if (top == '{') {
				if (s[i] != '"' || !string_at(s, &i))
					return false;
				i = ws(s, i);
				if (s[i++] != ':')
					return false;
				i = ws(s, i);
			}
			want_value = true;
			continue;
		}
		if (s[i] == (top == '{' ? '}' : ']')) {
			depth--;
			i++;
			continue;
		}
		return false;
	}
}

/* The text itself when it is valid JSON and valid UTF-8, else a JSON string
 * holding it. */
const char *
bk_json_valid_or_string(struct bk_arena *a, const char *text)
{
	struct bk_sv t = bk_sv_c(text);
	if (bk_utf8_valid(t) && json_valid(text))
		return bk_arena_cstr(a, t);
	t = bk_utf8_fix(a, t);
	struct bk_sb sb;
	bk_sb_init(&sb, a, t.n + 8);
	bk_sb_addc(&sb, '"');
	for (size_t i = 0; i < t.n; i++) {
		unsigned char c = (unsigned char)t.p[i];
		if (c == '"' || c == '\\') {
			bk_sb_addc(&sb, '\\');
			bk_sb_addc(&sb, (char)c);
		} else if (c < 0x20) {
			static const char hex[] = "0123456789abcdef";
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			bk_sb_add(&sb, e, 6);
		} else {
			bk_sb_addc(&sb, (char)c);
		}
	}
	bk_sb_addc(&sb, '"');
	return bk_sb_sv(&sb).p;
}
