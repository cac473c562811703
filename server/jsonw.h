/* SPDX-License-Identifier: BSD-2-Clause */
/* jsonw.h - a JSON writer into one growing buffer, for the hot responses
 * (GET /v1/addresses/{address}): no tree of values, no allocation per
 * member.  Strings are escaped as jansson's json_dumps escapes them
 * ('"', '\\', control characters; the rest as is); bytes that are not
 * UTF-8 become U+FFFD.  Commas are placed by the writer. */
#ifndef BK_SERVER_JSONW_H
#define BK_SERVER_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <string.h>

struct jw {
	char *p;
	size_t len, cap;
	bool oom;	/* an allocation failed: the text is not whole */
	bool comma;	/* a value was written at this level */
	bool ext;	/* p is the caller's (jw_init_buf), not allocated */
};

void jw_init(struct jw *w);
/* Written into the caller's buf (cap bytes: on the stack, say) until it
 * is full, then into allocated memory as with jw_init. */
void jw_init_buf(struct jw *w, char *buf, size_t cap);
/* Room for n more bytes made at once (one allocation for a text whose
 * size is known); false when out of memory. */
bool jw_reserve(struct jw *w, size_t n);
void jw_free(struct jw *w);
/* The text (NUL-terminated, with a final newline), taken by the caller;
 * NULL when an allocation failed. */
char *jw_take(struct jw *w, size_t *len);

void jw_open(struct jw *w, char bracket);	/* '{' or '[' */
void jw_close(struct jw *w, char bracket);	/* '}' or ']' */
void jw_keyn(struct jw *w, const char *key, size_t n);
/* "key": (a plain word); inline, so that a literal's length is known */
static inline void
jw_key(struct jw *w, const char *key)
{
	jw_keyn(w, key, strlen(key));
}
void jw_str(struct jw *w, const char *s);	/* NULL: "" */
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* n bytes of JSON text as they are, as one value (or member list) */
void jw_raw(struct jw *w, const char *text, size_t n);

#endif
