/* SPDX-License-Identifier: BSD-2-Clause */
/* phrase.h - rows of the phrase tables that the classifier matches against
 * diagnostic text.
 *
 * A phrase is one to four lower-case pieces.  It matches when the pieces
 * occur in the (lower-cased, whitespace-squeezed) text in the given order,
 * each after the end of the previous one, with anything in between.  All
 * phrases of all tables are compiled into one Aho-Corasick automaton, so a
 * text is scanned once, in time linear in its length, whatever the number of
 * rows.  A new phrase is one row.
 */
#ifndef BK_REASON_PHRASE_H
#define BK_REASON_PHRASE_H

#include <stddef.h>
#include <stdint.h>

#include "reason.h"

struct bk_phrase {
	uint8_t reason;		/* enum bk_reason */
	const char *piece[4];	/* unused pieces are NULL */
	uint8_t veto;		/* 1: when this occurs, the reason's phrases
				 * do not count (an "is not" row) */
};

/* BK_PH(USERUNKNOWN, "user unknown")  or  BK_PH(USERUNKNOWN, "<", "> not found") */
#define BK_PH(r, ...) { BK_R_##r, { __VA_ARGS__ }, 0 }
/* BK_PH_NOT(REJECTED, "recipient address rejected"): a text with this is
 * not a "rejected" text, whatever else it says. */
#define BK_PH_NOT(r, ...) { BK_R_##r, { __VA_ARGS__ }, 1 }

struct bk_phrase_table {
	const char *lang;	/* "en", "ja", ... */
	const struct bk_phrase *rows;
	size_t n;
};

#endif
