/* SPDX-License-Identifier: BSD-2-Clause */
/* jsonw.c - see jsonw.h.  Each call makes room once for the most it can
 * write, then writes without further checks. */
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
jw_init_buf(struct jw *w, char *buf, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->p = buf;
	w->cap = cap;
	w->ext = true;
}

void
jw_free(struct jw *w)
{
	if (!w->ext)
		free(w->p);
	memset(w, 0, sizeof(*w));
}

static bool
grow(struct jw *w, size_t n)
{
	if (w->oom)
		return false;
	size_t cap = w->cap ? w->cap * 2 : 2048;
	while (cap < w->len + n + 2)
		cap *= 2;
	char *p = w->ext ? malloc(cap) : realloc(w->p, cap);
	if (!p) {
		w->oom = true;
		return false;
	}
	if (w->ext && w->len)
		memcpy(p, w->p, w->len);
	w->ext = false;
	w->p = p;
	w->cap = cap;
	return true;
}

bool
jw_reserve(struct jw *w, size_t n)
{
	return w->len + n + 2 <= w->cap ? !w->oom : grow(w, n);
}

/* Room for n more bytes (and the final newline and NUL of jw_take). */
static inline bool
room(struct jw *w, size_t n)
{
	if (__builtin_expect(w->len + n + 2 <= w->cap && !w->oom, 1))
		return true;
	return grow(w, n);
}

/* A comma when a value was written at this level (room made by the
 * caller for one more byte). */
static inline void
sep(struct jw *w)
{
	if (w->comma)
		w->p[w->len++] = ',';
	w->comma = true;
}

char *
jw_take(struct jw *w, size_t *len)
{
	/* the caller's buffer: the text copied into allocated memory */
	if (w->ext && !grow(w, w->cap)) {
		jw_free(w);
		return NULL;
	}
	if (!room(w, 1) || !w->p) {
		jw_free(w);
		return NULL;
	}
	w->p[w->len++] = '\n';
	w->p[w->len] = '\0';
	char *p = w->p;
	*len = w->len;
	memset(w, 0, sizeof(*w));
	return p;
}

void
jw_open(struct jw *w, char bracket)
{
	if (!room(w, 2))
		return;
	sep(w);
	w->p[w->len++] = bracket;
	w->comma = false;
}

void
jw_close(struct jw *w, char bracket)
{
	if (!room(w, 1))
		return;
	w->p[w->len++] = bracket;
	w->comma = true;
}

void
jw_keyn(struct jw *w, const char *key, size_t n)
{
	if (!room(w, n + 4))
		return;
	sep(w);
	char *o = w->p + w->len;
	*o++ = '"';
	memcpy(o, key, n);
	o += n;
	*o++ = '"';
	*o++ = ':';
	w->len = (size_t)(o - w->p);
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

/* The bytes jw_str cannot copy as they are: control characters, '"',
 * '\\' and those of a multi-byte sequence (checked). */
static const unsigned char special[256] = {
#define X16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
	X16, X16,				/* 0x00-0x1f */
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* '"' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,	/* '\\' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	X16, X16, X16, X16, X16, X16, X16, X16,	/* 0x80-0xff */
#undef X16
};

void
jw_str(struct jw *w, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t n = strlen((const char *)s);
	/* at most 6 bytes out for one in (a control character: \u001f) */
	if (n > (SIZE_MAX - 8) / 6 || !room(w, 6 * n + 3))
		return;
	sep(w);
	char *o = w->p + w->len;
	*o++ = '"';
	const unsigned char *e = s + n;
	while (s < e) {
		/* the usual case: a run of bytes copied as they are */
		while (s < e && !special[*s])
			*o++ = (char)*s++;
		if (s == e)
			break;
		unsigned c = *s;
		if (c >= 0x80) {
			size_t k = utf8_len(s, (size_t)(e - s));
			if (k) {
				memcpy(o, s, k);
				o += k;
				s += k;
				continue;
			}
		}
		*o++ = '\\';
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			if (c < 0x20) {
				static const char hex[] = "0123456789abcdef";
				*o++ = 'u';
				*o++ = '0';
				*o++ = '0';
				*o++ = hex[c >> 4];
				*o++ = hex[c & 15];
			} else {
				o[-1] = '\xef';	/* not UTF-8: U+FFFD */
				*o++ = '\xbf';
				*o++ = '\xbd';
			}
		}
		s++;
	}
	*o++ = '"';
	w->len = (size_t)(o - w->p);
}

void
jw_int(struct jw *w, int64_t v)
{
	if (!room(w, 22))
		return;
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
	memcpy(w->p + w->len, p, (size_t)(e - p));
	w->len += (size_t)(e - p);
}

void
jw_bool(struct jw *w, bool v)
{
	if (!room(w, 6))
		return;
	sep(w);
	memcpy(w->p + w->len, v ? "true" : "false", v ? 4 : 5);
	w->len += v ? 4 : 5;
}

void
jw_null(struct jw *w)
{
	if (!room(w, 5))
		return;
	sep(w);
	memcpy(w->p + w->len, "null", 4);
	w->len += 4;
}

void
jw_raw(struct jw *w, const char *text, size_t n)
{
	if (!room(w, n + 1))
		return;
	sep(w);
	memcpy(w->p + w->len, text, n);
	w->len += n;
}
