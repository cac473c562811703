/* SPDX-License-Identifier: BSD-2-Clause */
/* receivingses.c - Amazon SES (receiving): the bounces a receipt rule's
 * bounce action sends back, as delivery status notifications.
 *
 *   X-SES-Outgoing: 2015.10.01-192.0.2.7
 *   Subject: Delivery Status Notification (Failure)
 *
 *   This message could not be delivered.
 *
 *   Content-Type: message/delivery-status
 *   Reporting-MTA: dns; inbound-smtp.us-west-2.amazonaws.com
 *   Arrival-Date: Thu, 01 Oct 15 13:48:54 UTC
 *
 *   Action: failed
 *   Final-Recipient: rfc822; kijitora@example.jp
 *   Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist
 *   Status: 5.1.1
 *
 *   Content-Type: text/rfc822-headers
 *
 * The texts of the bounce action's templates say why: the recipient's
 * rule set chose to refuse the message, so "Mailbox does not exist" is
 * a filter at work, not an unknown user.
 */
#include "decode_priv.h"

static const struct bk_sv marks[] = {
	BK_SVI("This message could not be delivered."),
};

static bool
receivingses_match(const struct bk_msg *m)
{
	return bk_msg_has(m, BK_SV("x-ses-outgoing")) &&
	       !bk_msg_header_has(m, BK_SV("x-mailer"),
				  BK_SV("Amazon WorkMail"));
}

static int
receivingses_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = m->flat.text;
	struct bk_sv head = bk_sv_slice(text, 0, m->flat.orig_mark);
	struct bk_sv fields = m->flat.dsn.p ? m->flat.dsn : head;
	if (!bk_text_after_line(text, marks, BK_NELEM(marks)).p)
		return BK_DECLINE;
	bk_dsn_read(dc, fields);
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *d = &dc->v[i];
		/* the bounce action's message templates (SES receipt rules) */
		d->said = bk_rule_find_case(&bk_rules_receivingses, d->diag);
	}
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_receivingses = {
	.name = "ReceivingSES",
	.what = "Amazon SES receiving: bounces of receipt rule bounce actions",
	.match = receivingses_match,
	.decode = receivingses_decode,
};
