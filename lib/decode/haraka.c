/* SPDX-License-Identifier: BSD-2-Clause */
/* haraka.c - bounces from Haraka's outbound delivery, made from its
 * template config/outbound.bounce_message:
 *
 *   From: MAILER-DAEMON@mail.example.com
 *   Subject: failure notice
 *
 *   Hi. This is the Haraka Mailer program at mail.example.com.
 *   I'm afraid I wasn't able to deliver your message
 *       "Subject of the message"
 *   to the following addresses.
 *   This is a permanent error; I've given up. Sorry it didn't work out.
 *
 *   Intended Recipients: <a@example.net>, <b@example.net>
 *   Failure Reason: Error: Some recipients failed: <a@example.net>
 *
 *   <a@example.net>: 550 5.1.1 <a@example.net>: Recipient address rejected: ...
 *
 * The lines after the failure reason ("{extended_reason}") give each
 * recipient refused at RCPT its own reply.  Releases since 2.8 put this
 * text (and an HTML one) in a multipart/report whose delivery-status part
 * has a field group per recipient: the fields are read from there, and a
 * recipient without a Diagnostic-Code (no host replied: "Tried all MXs",
 * "No Such Domain") gets the comment of its Status,
 * "5.1.2 (550 Tried all MXs example.net)".  An installation without the
 * template (`haraka -i` copies none) sends the multipart/report with an
 * empty text part: the RFC 3464 decoder reads it, the same way.
 *
 * Older releases sent the text alone, ending with
 *   --- Below this line is a copy of the message.
 * where every intended recipient failed for the one reason given. */
#include "decode_priv.h"

static const struct bk_sv haraka_mark = BK_SVI("This is the Haraka Mailer program at ");

static bool
haraka_match(const struct bk_msg *m)
{
	return bk_sv_icontains(m->flat.text, haraka_mark);
}

/* "<a@example.net>: 550 ..." or "a@example.net: 550 ..." after the
 * failure reason: the reply that recipient got; p == NULL when none. */
static struct bk_sv
own_reply(struct bk_sv rest, struct bk_sv rcpt)
{
	struct bk_sv line;
	while (bk_sv_next_line(&rest, &line)) {
		line = bk_sv_trim(line);
		if (bk_sv_istarts(line, BK_SV("--- Below this line")))
			break;
		struct bk_sv a = line;
		if (a.n && a.p[0] == '<')
			a = bk_sv_from(a, 1);
		if (!bk_sv_istarts(a, rcpt))
			continue;
		a = bk_sv_from(a, rcpt.n);
		if (a.n && a.p[0] == '>')
			a = bk_sv_from(a, 1);
		if (a.n && a.p[0] == ':')
			return bk_sv_trim(bk_sv_from(a, 1));
	}
	return BK_SV_NULL;
}

static int
haraka_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv rest = bk_sv_iafter(bk_msg_text(m), haraka_mark);
	struct bk_sv line, rcpts = BK_SV_NULL, diag = BK_SV_NULL;
	if (!rest.p)
		return BK_DECLINE;
	if (m->flat.dsn.p && bk_dsn_read(dc, m->flat.dsn)) {
		bk_diag_from_status(dc);
		return BK_DECODED;
	}
	while (bk_sv_next_line(&rest, &line)) {
		line = bk_sv_trim(line);
		if (bk_sv_istarts(line, BK_SV("Intended Recipients:")))
			rcpts = bk_sv_trim(bk_sv_iafter(line, BK_SV("Intended Recipients:")));
		else if (bk_sv_istarts(line, BK_SV("Failure Reason:"))) {
			diag = bk_sv_trim(bk_sv_iafter(line, BK_SV("Failure Reason:")));
			/* the reason is a JavaScript Error, printed as one */
			if (bk_sv_starts(diag, BK_SV("Error: ")))
				diag = bk_sv_from(diag, 7);
			break;
		} else if (bk_sv_istarts(line, BK_SV("--- Below this line is a copy")))
			break;
	}
	while (rcpts.n) {
		struct bk_sv one;
		long comma = bk_sv_findc(rcpts, ',');
		if (comma < 0) {
			one = rcpts;
			rcpts = BK_SV_NULL;
		} else {
			one = bk_sv_make(rcpts.p, (size_t)comma);
			rcpts = bk_sv_from(rcpts, (size_t)comma + 1);
		}
		struct bk_dlv *d = bk_rcpt_add(dc, bk_sv_trim(one));
		if (!d)
			continue;
		struct bk_sv own = own_reply(rest, d->recipient);
		if (own.n)
			bk_dlv_diag_add(dc, d, own);
		else if (diag.n)
			bk_dlv_diag_add(dc, d, diag);
	}
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_haraka = {
	.name = "Haraka",
	.what = "Haraka outbound bounces (its failure notice, with or without "
		"a delivery-status part)",
	.match = haraka_match,
	.decode = haraka_decode,
};
