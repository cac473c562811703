/* SPDX-License-Identifier: BSD-2-Clause */
/* json.c - a small validator for the JSON a caller's hook returns, so that
 * the output stays valid whatever the hook does (RFC 8259).  Iterative
 * over nesting with a depth cap; linear in the input. */
#include "core/core.h"

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

const char *bk_json_valid_or_string(struct bk_arena *a, const char *text);

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
