/* SPDX-License-Identifier: BSD-2-Clause */
/* msg.h - the bounce message being decoded: read once (lib/parse/), then
 * read by the decoders (lib/decode/) and the record builder
 * (lib/report/). */
#ifndef BK_MSG_H
#define BK_MSG_H

#include "core/core.h"
#include "mail/mail.h"
#include "mail/mime.h"

/* The message being decoded. */
struct bk_msg {
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

#endif
