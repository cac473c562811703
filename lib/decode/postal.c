/* SPDX-License-Identifier: BSD-2-Clause */
/* postal.c - bounces from Postal (postalserver), the mail delivery
 * platform.  Postal sends a bounce only for mail it received for one of
 * its routes: when the route is set to bounce or reject, or when the
 * delivery to the route's endpoint (HTTP, SMTP or address) failed for
 * good.  Mail it sends out is never bounced by mail (its failures go to
 * webhooks and the suppression list).  The notice is a multipart/mixed
 * with no delivery-status part and no reply of any remote server:
 *
 *   From: Mail Delivery Service <support@example.com>
 *   Subject: Mail Delivery Failed (SUBJECT OF THE ORIGINAL)
 *
 *   This is the mail delivery service responsible for delivering mail
 *   to support@example.com.
 *
 *   The message you've sent cannot be delivered. Your original message
 *   is attached to this message.
 *   ...
 *   Message Token: ...
 *   Orginal Message ID: <...>          (sic)
 *   Mail from: customer@example.org
 *   Rcpt To: support@example.com
 *
 * then the message itself as a message/rfc822 attachment ("Original
 * Message.eml").  The recipient is the "Rcpt To:" line; the statement
 * that it cannot be delivered is the only diagnosis. */
#include "decode_priv.h"

static const struct bk_sv postal_mark =
	BK_SVI("This is the mail delivery service responsible for delivering mail to ");

static bool
postal_match(const struct bk_msg *m)
{
	return (bk_sv_istarts(bk_sv_trim(m->subject),
			      BK_SV("Mail Delivery Failed (")) ||
		bk_msg_absent(m, BK_MISSING_SUBJECT)) &&
	       bk_sv_icontains(m->flat.text, postal_mark);
}

static int
postal_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv rest = bk_sv_iafter(bk_msg_text(m), postal_mark);
	struct bk_sv line, diag = BK_SV_NULL;
	if (!rest.p)
		return BK_DECLINE;
	while (bk_sv_next_line(&rest, &line)) {
		line = bk_sv_trim(line);
		if (bk_sv_istarts(line, BK_SV("The message you've sent ")))
			diag = bk_sv_ibefore(line, BK_SV(". "));
		else if (bk_sv_istarts(line, BK_SV("Rcpt To:"))) {
			struct bk_dlv *d = bk_rcpt_add(
				dc, bk_sv_iafter(line, BK_SV("Rcpt To:")));
			if (d && diag.p)
				bk_dlv_diag_add(dc, d, diag);
			break;
		}
	}
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_postal = {
	.name = "Postal",
	.what = "Postal (postalserver) bounces for mail to its routes",
	.match = postal_match,
	.decode = postal_decode,
};
