/* SPDX-License-Identifier: BSD-2-Clause */
/* json.h - the one JSON reader: for the JSON that providers send inside
 * mail (Amazon SES notifications relayed by SNS), and in a strict mode for
 * JSON a caller hands to the library (bk_json_valid_or_string).
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
#ifndef BK_CORE_JSON_H
#define BK_CORE_JSON_H

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

/* ---- strict mode: the whole grammar (RFC 8259) ---- */

/* The text itself (copied into the arena) when it is one valid JSON value
 * and valid UTF-8, else a JSON string holding it: a value that is written
 * out as it came in stays valid JSON whatever the caller gave. */
const char *bk_json_valid_or_string(struct bk_arena *a, const char *text);

#endif
