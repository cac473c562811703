/* SPDX-License-Identifier: BSD-2-Clause */
/* jsonw.c - see jsonw.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/jsonw.h"

void
jw_init(struct jw *w)
{
	memset(w, 0, sizeof(*w));
}

void
jw_free(struct jw *w)
{
	free(w->p);
	memset(w, 0, sizeof(*w));
}

static bool
room(struct jw *w, size_t n)
{
	if (w->oom)
		return false;
	if (w->len + n + 2 <= w->cap)
		return true;
	size_t cap = w->cap ? w->cap * 2 : 2048;
	while (cap < w->len + n + 2)
		cap *= 2;
	char *p = realloc(w->p, cap);
	if (!p) {
		w->oom = true;
		return false;
	}
	w->p = p;
	w->cap = cap;
	return true;
}

static void
put(struct jw *w, const char *s, size_t n)
{
	if (!room(w, n))
		return;
	memcpy(w->p + w->len, s, n);
	w->len += n;
}

static void
sep(struct jw *w)
{
	if (w->comma)
		put(w, ",", 1);
	w->comma = true;
}

char *
jw_take(struct jw *w, size_t *len)
{
	put(w, "\n", 1);
	if (w->oom || !w->p) {
		jw_free(w);
		return NULL;
	}
	w->p[w->len] = '\0';
	char *p = w->p;
	*len = w->len;
	memset(w, 0, sizeof(*w));
	return p;
}

void
jw_open(struct jw *w, char bracket)
{
	sep(w);
	put(w, &bracket, 1);
	w->comma = false;
}

void
jw_close(struct jw *w, char bracket)
{
	put(w, &bracket, 1);
	w->comma = true;
}

void
jw_key(struct jw *w, const char *key)
{
	sep(w);
	put(w, "\"", 1);
	put(w, key, strlen(key));
	put(w, "\":", 2);
	w->comma = false;	/* the value follows without a comma */
}

/* The length of the UTF-8 sequence at s (n bytes left), 0 when it is not
 * one (overlong, surrogate, over U+10FFFF, cut short). */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t need;
	uint32_t cp, min;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1, min = 0x80, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2, min = 0x800, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (n < need + 1)
		return 0;
	for (size_t i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need + 1;
}

void
jw_str(struct jw *w, const char *str)
{
	sep(w);
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t n = strlen((const char *)s);
	put(w, "\"", 1);
	size_t run = 0;	/* bytes copied as they are, pending */
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			run++;
			i++;
			continue;
		}
		if (c >= 0x80) {
			size_t k = utf8_len(s + i, n - i);
			if (k) {
				run += k;
				i += k;
				continue;
			}
		}
		put(w, (const char *)s + i - run, run);
		run = 0;
		char esc[8];
		const char *e = esc;
		size_t el = 2;
		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		default:
			if (c < 0x20) {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				el = 6;
			} else {
				e = "\xef\xbf\xbd";	/* not UTF-8: U+FFFD */
				el = 3;
			}
		}
		put(w, e, el);
		i++;
	}
	put(w, (const char *)s + n - run, run);
	put(w, "\"", 1);
}

void
jw_int(struct jw *w, int64_t v)
{
	sep(w);
	/* the digits from the end, without printf */
	char b[24];
	char *e = b + sizeof(b), *p = e;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	put(w, p, (size_t)(e - p));
}

void
jw_raw(struct jw *w, const char *text, size_t n)
{
	sep(w);
	put(w, text, n);
}

void
jw_bool(struct jw *w, bool v)
{
	sep(w);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void
jw_null(struct jw *w)
{
	sep(w);
	put(w, "null", 4);
}
