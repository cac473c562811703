/* SPDX-License-Identifier: BSD-2-Clause */
/* json.h - a small reader for the JSON that providers send inside mail
 * (Amazon SES notifications relayed by SNS).
 *
 * It reads in place and never recurses: a value is a view of its own text
 * (quotes and brackets included); looking a member up scans its object
 * once, stepping over nested values with a depth counter; a string is
 * unescaped, into the arena, only when asked for.  Every call is linear in
 * the length of the value it is given.  The reader is lenient: it checks
 * the structure it walks through, not the whole grammar (a number is any
 * run of number characters; "[}" closes like "[]"); malformed input gives
 * "not found" (p == NULL), never an error.
 */
#ifndef BK_DSN_JSON_H
#define BK_DSN_JSON_H

#include "core/core.h"

enum bk_json_type {
	BK_JSON_NONE = 0,	/* not a value */
	BK_JSON_OBJECT,
	BK_JSON_ARRAY,
	BK_JSON_STRING,
	BK_JSON_SCALAR,		/* number, true, false, null */
};

/* The first value in text, after white space; p == NULL when there is
 * none or it is unterminated. */
struct bk_sv bk_json_value(struct bk_sv text);
enum bk_json_type bk_json_type(struct bk_sv v);
/* The value of the member key of the object obj (keys are compared as
 * written, escapes not decoded); p == NULL when absent. */
struct bk_sv bk_json_get(struct bk_sv obj, const char *key);
/* Walk an array: start with *rest = the array value; each call takes the
 * next element into *elem, false at the end. */
bool bk_json_next(struct bk_sv *rest, struct bk_sv *elem);
/* The text of a string value, unescaped (a view into v when it has no
 * escapes, else a copy in the arena); p == NULL when v is no string or
 * memory ran out. */
struct bk_sv bk_json_str(struct bk_arena *a, struct bk_sv v);
/* bk_json_str of bk_json_get. */
struct bk_sv bk_json_get_str(struct bk_arena *a, struct bk_sv obj,
			     const char *key);

#endif
