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

struct jw {
	char *p;
	size_t len, cap;
	bool oom;	/* an allocation failed: the text is not whole */
	bool comma;	/* a value was written at this level */
};

void jw_init(struct jw *w);
void jw_free(struct jw *w);
/* The text (NUL-terminated, with a final newline), taken by the caller;
 * NULL when an allocation failed. */
char *jw_take(struct jw *w, size_t *len);

void jw_open(struct jw *w, char bracket);	/* '{' or '[' */
void jw_close(struct jw *w, char bracket);	/* '}' or ']' */
void jw_key(struct jw *w, const char *key);	/* "key": (a plain word) */
void jw_str(struct jw *w, const char *s);	/* NULL: "" */
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* n bytes of JSON text as they are, as one value (or member list) */
void jw_raw(struct jw *w, const char *text, size_t n);

#endif
