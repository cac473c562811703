/* SPDX-License-Identifier: BSD-2-Clause */
/* rule.h - what a bounce format states, and the reason each statement
 * carries.
 *
 * A decoder reports facts, never a reason: which row of its format's own
 * table the message states (a notice sentence, an error name, a code, a
 * kind of report).  The tables live here in lib/reason, one file per
 * format (format_<decoder>.c), beside the provider tables; the classifier
 * (classify.c) reads the row's reason at step 1 of its order, and
 * `--explain` names the table and the row.
 */
#ifndef BK_RULE_H
#define BK_RULE_H

#include "reason.h"

#include "dsn/delivery.h"

/* One statement of a format: its text as the format writes it (matched
 * in any case by bk_rule_find; for a fixed fact, a description) and the
 * reason it carries (enum bk_reason). */
struct bk_rule {
	struct bk_sv text;
	int reason;
};

struct bk_rule_table {
	const char *name;	/* "exim", "qmail", ...: for --explain */
	const struct bk_rule *rows;
	size_t n;
	/* the format's statements stand for a status code when the message
	 * gives none (Exim, as Sisimai reads it): see bk_settle() */
	bool stands_for_status;
};

#define BK_RULE(text, id) { BK_SVI(text), BK_R_##id }
#define BK_RULE_TABLE(var, name, rows) \
	const struct bk_rule_table var = { name, rows, BK_NELEM(rows), false }

/* The fact a decoder reports (struct bk_said, dsn/delivery.h): a row of a
 * format table, tab NULL for none. */

static inline struct bk_said
bk_said_row(const struct bk_rule_table *t, unsigned row)
{
	struct bk_said s = { t, row };
	return s;
}

static inline bool
bk_said_any(struct bk_said s)
{
	return s.tab != NULL;
}

/* The reason a fact carries, -1 for none. */
static inline int
bk_said_reason(struct bk_said s)
{
	return s.tab && s.row < s.tab->n ? s.tab->rows[s.row].reason : -1;
}

/* The first row whose text occurs in text (any case); none when no row
 * does. */
struct bk_said bk_rule_find(const struct bk_rule_table *t, struct bk_sv text);
/* As bk_rule_find, case counting. */
struct bk_said bk_rule_find_case(const struct bk_rule_table *t,
				 struct bk_sv text);
/* The row whose text equals text exactly (or in any case); none when no
 * row does. */
struct bk_said bk_rule_exact(const struct bk_rule_table *t, struct bk_sv text);
struct bk_said bk_rule_exact_icase(const struct bk_rule_table *t,
				   struct bk_sv text);

/* Rows a decoder names by number: facts found otherwise than by their
 * text (a description in parentheses, never matched by bk_rule_find). */
enum {
	BK_AMAZONSES_COMPLAINT = 0, BK_AMAZONSES_EXPIRED = 1,
	BK_AMAZONSES_SUBTYPE = 2,	/* first of the bounceSubType rows */
	BK_ARF_REPORT = 0,
	BK_RFC3834_AUTOREPLY = 0,
	BK_EZWEB_SPASIGN = 0, BK_KDDI_SPASIGN = 0,
	BK_GOOGLEGROUPS_REFUSED = 0,
	BK_INTERSCANMSS_UNABLE = 0,
	BK_SENDGRID_EXPIRED = 0,
	BK_GMAIL_STATE = 0,		/* first of the session-state rows */
	BK_QMAIL_HELO = 0, BK_QMAIL_RETRIED = 1,
	BK_EXIM_HELO = 0, BK_EXIM_MAIL = 1, BK_EXIM_PIPE = 2, BK_EXIM_LOCAL = 3,
};

#define BK_FORMAT(name) extern const struct bk_rule_table bk_rules_##name;
#include "formats.def"
#undef BK_FORMAT

#endif
