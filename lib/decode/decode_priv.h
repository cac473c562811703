/* SPDX-License-Identifier: BSD-2-Clause */
/* decode_priv.h - what a decoder sees and what it fills in.
 *
 * A decoder only finds recipients and what the bounce says about each one
 * (status, reply code, diagnostic text, command, hosts, dates); the shared
 * classifier in lib/reason/ decides the reason, and lib/report/ turns the
 * deliveries into records.
 *
 * match() must be cheap: it looks only at the headers already indexed in
 * struct bk_msg (and at most the first bytes of the text), allocates
 * nothing, and says whether decode() is worth calling.  decode() returns
 * BK_DECODED when it found at least one recipient, BK_DECLINE otherwise;
 * a decoder that declines leaves no trace, and the next one is tried.
 */
#ifndef BK_DECODE_PRIV_H
#define BK_DECODE_PRIV_H

#include "core/core.h"
#include "dsn/dsn.h"
#include "mail/mail.h"
#include "mail/mime.h"
#include "reason/reason.h"
#include "reason/rule.h"

struct bk_parser;

/* The message being decoded. */
struct bk_msg {
	struct bk_parser *parser;
	struct bk_arena *arena;
	struct bk_charsets *cs;
	const char *origin;
	const struct bk_limits *lim;
	struct bk_sv raw;	/* the whole message, line ends LF */
	struct bk_hdrs hdrs;	/* its header fields */
	struct bk_sv body;	/* the body as it is */
	struct bk_sv subject;	/* decoded Subject, "" when none */
	struct bk_sv from;	/* the From value, raw */
	struct bk_flat flat;	/* the flattened text (mime.h) */
	/* every Received: value, one per line: decoders look for their host
	 * names there, and one search beats a search per field */
	struct bk_sv received;
	unsigned *warn;
};

/* The body text the decoders read: flattened, decoded, UTF-8, LF. */
static inline struct bk_sv
bk_msg_text(const struct bk_msg *m)
{
	return m->flat.text;
}

/* A header field of the bounce message (first occurrence, unfolded,
 * not decoded); p == NULL when absent. */
static inline struct bk_sv
bk_msg_header(const struct bk_msg *m, struct bk_sv name)
{
	return bk_hdrs_get(&m->hdrs, name);
}

static inline bool
bk_msg_has(const struct bk_msg *m, struct bk_sv name)
{
	return bk_hdrs_has(&m->hdrs, name);
}

/* Does any occurrence of header name contain needle (any case)? */
bool bk_msg_header_has(const struct bk_msg *m, struct bk_sv name,
		       struct bk_sv needle);

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

enum { BK_DECLINE = 0, BK_DECODED = 1 };

struct bk_decoder {
	const char *name;	/* the JSON "decodedby" value */
	const char *what;	/* one line for `bouncekit decoders` */
	bool (*match)(const struct bk_msg *m);
	int (*decode)(struct bk_dctx *dc, const struct bk_msg *m);
};

/* ---- helpers for decoders ---- */

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

/* For each recipient whose diagnosis holds a row of the format's table
 * (lib/reason/format_*.c), record that it states that row. */
void bk_notice_apply(struct bk_dctx *dc, const struct bk_rule_table *t);

/* true for a line of an SMTP error reply: "550 ...", "451-4.7.1 ...". */
bool bk_line_is_reply(struct bk_sv line);

/* The part of text before the first of the markers (case-insensitive),
 * all of text when none occurs. */
struct bk_sv bk_text_before_any(struct bk_sv text, const struct bk_sv *marks,
				size_t n);
/* The part of text after the first line that starts with one of the
 * markers; p == NULL when none. */
struct bk_sv bk_text_after_line(struct bk_sv text, const struct bk_sv *marks,
				size_t n);
/* A copy of text (in the arena) without one level of "> " quoting: a
 * bounce forwarded inline by a person.  Lines not quoted stay as they are. */
struct bk_sv bk_text_unquote(struct bk_dctx *dc, struct bk_sv text);

/* ---- readers shared by a family of formats ---- */

/* qmail.c: the "<address>:" list of qmail and its clones, read after the
 * first line that holds one of starts.  Returns BK_DECODED or BK_DECLINE. */
int bk_qmail_read(struct bk_dctx *dc, const struct bk_msg *m,
		  const struct bk_sv *starts, size_t nstarts);

/* The registry (decoders.def), in priority order; generic decoders last. */
#define BK_DECODER(name) extern const struct bk_decoder bk_decoder_##name;
#include "decoders.def"
#undef BK_DECODER

extern const struct bk_decoder *const bk_decoder_list[];
extern const size_t bk_decoder_count;

#endif
