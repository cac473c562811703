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

#endif
