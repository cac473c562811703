/* SPDX-License-Identifier: BSD-2-Clause */
/* mime.h - the MIME walk that flattens a message into the text decoders
 * read. */
#ifndef BK_MIME_H
#define BK_MIME_H

#include "mail.h"

/* The flattened text holds, in order, every part a bounce decoder can use:
 *
 *   text/plain        decoded (transfer encoding, charset to UTF-8)
 *   text/html         decoded, reduced to text (dropped inside a
 *                     multipart/alternative that has a text/plain part)
 *   message/delivery-status, message/global-delivery-status,
 *   message/feedback-report (and the misspelt message/xdelivery-status)
 *                     a line "Content-Type: message/delivery-status" (or
 *                     feedback-report), then the fields, decoded
 *   message/rfc822, message/global, message/partial, text/rfc822-headers
 *                     a line "Content-Type: message/rfc822" (or
 *                     text/rfc822-headers), then the part as it is: the
 *                     returned message is not walked into
 *
 * each followed by a blank line.  Other media types are skipped.
 */
struct bk_flat {
	struct bk_sv text;
	/* The first returned-message part, inside text (p == NULL when
	 * none), and where its marker line starts. */
	struct bk_sv orig;
	size_t orig_mark;
	/* The first message/delivery-status and message/feedback-report
	 * parts (their fields), p == NULL when none. */
	struct bk_sv dsn;
	struct bk_sv fbr;
	unsigned nparts;
	bool multipart;
};

struct bk_mime_in {
	struct bk_arena *a;
	struct bk_charsets *cs;
	const struct bk_limits *lim;
	unsigned *warn;
};

void bk_mime_flatten(const struct bk_mime_in *in, const struct bk_hdrs *h,
		     struct bk_sv body, struct bk_flat *out);

#endif
