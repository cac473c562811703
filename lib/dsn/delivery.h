/* SPDX-License-Identifier: BSD-2-Clause */
/* delivery.h - what a bounce says about each recipient (struct bk_dlv),
 * the set of them a decoder fills (struct bk_dctx), and the readers they
 * share: recipients, diagnostic text, the RFC 3464 delivery-status fields
 * (delivery.c).  Decoders fill them; the record builder reads them. */
#ifndef BK_DELIVERY_H
#define BK_DELIVERY_H

#include "core/core.h"
#include "dsn/dsn.h"
#include "mail/msg.h"

/* What a format states about a recipient: a row of the format's own table
 * (lib/reason/rule.h, format_*.c), tab NULL when none.  The classifier
 * reads the reason the row carries. */
struct bk_rule_table;
struct bk_said {
	const struct bk_rule_table *tab;
	unsigned row;
};

/* What a bounce says about one recipient.  Views point into the message,
 * the arena or static strings. */
struct bk_dlv {
	struct bk_sv recipient;
	struct bk_sv alias;	/* Original-Recipient, X-Actual-Recipient */
	struct bk_sv action;
	struct bk_sv status;	/* Status: field, or a code found in text */
	struct bk_sv replycode;
	struct bk_sv diag;	/* the diagnostic text */
	struct bk_sv spec;	/* diagnostic type: "SMTP", "X-UNIX", ... */
	struct bk_sv command;	/* "RCPT", "DATA", ... */
	struct bk_sv lhost;	/* reporting MTA */
	struct bk_sv rhost;	/* remote MTA */
	struct bk_sv date;	/* Last-Attempt-Date, Arrival-Date */
	struct bk_sv arrival;	/* Arrival-Date, when date is another */
	unsigned char datekind;	/* what date is: enum bk_datekind */
	/* what the format itself states: a row of its table in lib/reason
	 * (rule.h); the classifier reads the reason it carries */
	struct bk_said said;
	struct bk_sv feedbacktype;
	struct bk_sv agent;	/* "decodedby" when not the decoder's name */
};

struct bk_dctx {
	struct bk_msg *m;
	struct bk_arena *arena;
	struct bk_dlv *v;
	size_t n, cap;
	unsigned max;		/* limits.recipients */
	/* The returned message (its header block at least) when the decoder
	 * knows where it is; otherwise the core uses the first
	 * message/rfc822 or text/rfc822-headers part. */
	struct bk_sv orig;
	/* bk_text_join's last buffer and the text it holds, so that text
	 * appended line by line is extended in place (amortised linear time)
	 * instead of copied whole each time (quadratic). */
	struct {
		const struct bk_sv *acc;
		const char *p;
		size_t n, cap;
	} join;
};

/* Where bk_dlv.date came from: a date the format states (its own text,
 * JSON), the DSN's Last-Attempt-Date or its Arrival-Date. */
enum bk_datekind { BK_DATE_REPORT = 0, BK_DATE_LAST_ATTEMPT, BK_DATE_ARRIVAL };

/* Start a new recipient from text holding an address ("<a@b>",
 * "rfc822; a@b", ...).  Returns NULL when no valid address is found, when
 * the recipient limit is reached or when memory ran out. */
struct bk_dlv *bk_rcpt_add(struct bk_dctx *dc, struct bk_sv text);
/* Add a recipient for each address of a comma-separated list (the value
 * of X-Failed-Recipients, ...).  Returns the number added. */
size_t bk_rcpt_add_list(struct bk_dctx *dc, struct bk_sv list);
/* The recipient already listed with this address, or NULL. */
struct bk_dlv *bk_rcpt_find(struct bk_dctx *dc, struct bk_sv addr);
static inline size_t
bk_rcpt_count(const struct bk_dctx *dc)
{
	return dc->n;
}
static inline struct bk_dlv *
bk_rcpt_last(struct bk_dctx *dc)
{
	return dc->n ? &dc->v[dc->n - 1] : NULL;
}
/* Append text (trimmed, skipped when empty) to *acc, with one space
 * between; the joined text lives in the arena. */
void bk_text_join(struct bk_dctx *dc, struct bk_sv *acc, struct bk_sv text);
/* Extend *span (p == NULL when empty) to the end of piece, a later part
 * of the same text: a diagnostic over several lines as one view, without
 * copying (the record's cleaner squeezes the line breaks). */
static inline void
bk_text_span(struct bk_sv *span, struct bk_sv piece)
{
	if (!span->p)
		*span = piece;
	else if (piece.p + piece.n > span->p + span->n)
		span->n = (size_t)(piece.p + piece.n - span->p);
}
/* Append text to a recipient's diagnostic text, with one space between. */
void bk_dlv_diag_add(struct bk_dctx *dc, struct bk_dlv *d, struct bk_sv text);
/* Set one of the per-recipient DSN fields every layout treats alike
 * (Action, Status, Remote-MTA, Last-Attempt-Date); false for another. */
bool bk_dlv_set_field(struct bk_dlv *d, enum bk_dsn_field f, struct bk_sv v);
/* Copy text into the arena (for views that must outlive a buffer). */
struct bk_sv bk_dctx_keep(struct bk_dctx *dc, struct bk_sv text);
/* Set a field on every recipient where it is still empty. */
void bk_dctx_fill(struct bk_dctx *dc, size_t field_offset, struct bk_sv v);
#define BK_FILL(dc, field, v) \
	bk_dctx_fill((dc), offsetof(struct bk_dlv, field), (v))

/* Read RFC 3464 fields from text into recipients: a Final-Recipient (or an
 * Original-Recipient not followed by one) starts a recipient; per-message
 * fields fill every recipient.  Diagnostic-Code continuation lines are
 * joined.  Returns the number of recipients added. */
size_t bk_dsn_read(struct bk_dctx *dc, struct bk_sv text);
/* Apply the per-recipient fields of a delivery-status part (status,
 * remote MTA, action, last attempt date, the diagnostic when the decoder
 * has none) to the recipients already found in the text: a group goes to
 * the recipient with its address, else to the one at its position (a
 * Final-Recipient may be a file or a pipe).  Returns the groups applied. */
size_t bk_dsn_merge(struct bk_dctx *dc, struct bk_sv dsn);

#endif
