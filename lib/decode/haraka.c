/* SPDX-License-Identifier: BSD-2-Clause */
/* haraka.c - bounces from Haraka's outbound delivery (its template
 * config/outbound.bounce_message, the plain form of older releases; the
 * newer multipart/report one is read by the RFC 3464 decoder):
 *
 *   From: MAILER-DAEMON@mail.example.com
 *   Subject: failure notice
 *
 *   Hi. This is the Haraka Mailer program at mail.example.com.
 *   I'm afraid I wasn't able to deliver your message to the following addresses.
 *   This is a permanent error; I've given up. Sorry it didn't work out.
 *
 *   Intended Recipients: <a@example.net>, <b@example.net>
 *   Failure Reason: 550 5.1.1 <a@example.net>: Recipient address rejected: ...
 *
 *   --- Below this line is a copy of the message.
 *
 * Every intended recipient failed for the one reason given. */
#include "decode_priv.h"

static const struct bk_sv haraka_mark = BK_SVI("This is the Haraka Mailer program at ");

static bool
haraka_match(const struct bk_msg *m)
{
	return bk_sv_icontains(m->flat.text, haraka_mark);
}

static int
haraka_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv rest = bk_sv_iafter(bk_msg_text(m), haraka_mark);
	struct bk_sv line, rcpts = BK_SV_NULL, diag = BK_SV_NULL;
	if (!rest.p)
		return BK_DECLINE;
	while (bk_sv_next_line(&rest, &line)) {
		line = bk_sv_trim(line);
		if (bk_sv_istarts(line, BK_SV("Intended Recipients:")))
			rcpts = bk_sv_trim(bk_sv_iafter(line, BK_SV("Intended Recipients:")));
		else if (bk_sv_istarts(line, BK_SV("Failure Reason:")))
			diag = bk_sv_trim(bk_sv_iafter(line, BK_SV("Failure Reason:")));
		else if (bk_sv_istarts(line, BK_SV("--- Below this line is a copy")))
			break;
	}
	while (rcpts.n) {
		struct bk_sv one;
		ptrdiff_t comma = bk_sv_findc(rcpts, ',');
		if (comma < 0) {
			one = rcpts;
			rcpts = BK_SV_NULL;
		} else {
			one = bk_sv_make(rcpts.p, (size_t)comma);
			rcpts = bk_sv_from(rcpts, (size_t)comma + 1);
		}
		struct bk_dlv *d = bk_rcpt_add(dc, bk_sv_trim(one));
		if (d && diag.n)
			bk_dlv_diag_add(dc, d, diag);
	}
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_haraka = {
	.name = "Haraka",
	.what = "Haraka outbound bounces (the plain failure notice)",
	.match = haraka_match,
	.decode = haraka_decode,
};
