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
	/* the header fields a decoder's match reads that the message lacks
	 * (enum bk_missing), and those a match may stand in for: set only
	 * during the second pass over a message that lacks some
	 * (bk_run_decoders) */
	unsigned missing, lenient;
};

enum bk_missing {
	BK_MISSING_SUBJECT = 1 << 0,
	BK_MISSING_FROM = 1 << 1,
	BK_MISSING_RECEIVED = 1 << 2,
};

/* In the second pass, for a message without the field f (enum
 * bk_missing): does its text hold the phrase that stands for it?  A
 * decoder whose match reads a Subject, From or Received: the message
 * lost tries, instead, a phrase of its own text that the field would
 * have confirmed. */
static inline bool
bk_msg_lenient(const struct bk_msg *m, unsigned f, struct bk_sv phrase)
{
	return (m->lenient & f) && bk_sv_icontains(m->flat.text, phrase);
}

/* The same for a decoder whose other marks (its own header fields) are
 * enough without the field. */
static inline bool
bk_msg_absent(const struct bk_msg *m, unsigned f)
{
	return (m->lenient & f) != 0;
}

/* The author of the message: From, else Reply-To, else Sender (an
 * auto-reply that lost its From). */
struct bk_sv bk_msg_author(struct bk_arena *a, const struct bk_msg *m);

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
	struct bk_sv reason;	/* a reason the format itself states */
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

/* A format's own notice and the reason it states: d->reason is set only
 * from such tables, general SMTP phrases belong to lib/reason/. */
struct bk_notice {
	struct bk_sv text, reason;
};
#define BK_NOTICE(text, reason) { BK_SVI(text), BK_SVI(reason) }
/* The reason of the first notice whose text occurs in s (any case); an
 * empty view when none does. */
struct bk_sv bk_notice_reason(struct bk_sv s, const struct bk_notice *tab,
			      size_t n);
/* Set the reason of each recipient whose diagnosis holds a notice. */
void bk_notice_apply(struct bk_dctx *dc, const struct bk_notice *tab,
		     size_t n);

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
/* Each decoder's place in the list: BK_DI_rfc3464 is the first generic
 * one (decoders.def), BK_DI__COUNT their number. */
enum bk_decoder_index {
#define BK_DECODER(name) BK_DI_##name,
#include "decoders.def"
#undef BK_DECODER
	BK_DI__COUNT
};

/* The local delivery agents whose own notice, found inside a bounce by
 * RFC3464, names the records' decodedby (rfc3464.c); listed by
 * bk_decoders() after the decoders. */
#define BK_AGENTS_MAX 16
size_t bk_rfc3464_agents(struct bk_decoder_info *out, size_t max);

#endif
