/* SPDX-License-Identifier: BSD-2-Clause */
/* maddy.c - bounces from Maddy Mail Server.  An RFC 3464 report under
 * Postfix's subject, with fields of its own in the per-message block:
 *
 *   Subject: Undelivered Mail Returned to Sender
 *   Auto-Submitted: auto-replied
 *
 *   This is the mail delivery system at mx.example.net.
 *   ...
 *   Delivery to ghost@example.org failed with error: 550 5.1.1 ...
 *
 *   Content-Type: message/delivery-status
 *
 *   Reporting-Mta: dns; mx.example.net
 *   X-Maddy-Sender: rfc822; sender@example.com
 *   X-Maddy-Msgid: 5a1b2c3d
 *   ...
 *   Final-Recipient: rfc822; ghost@example.org
 *
 * The returned message is its header block (message/rfc822-headers).
 * Postfix's decoder would take it for one of its own by the subject: the
 * X-Maddy- fields tell them apart, and the DSN is read as RFC 3464. */
#include "decode_priv.h"

static const struct bk_sv maddy_field = BK_SVI("\nX-Maddy-Msgid:");

static bool
maddy_match(const struct bk_msg *m)
{
	return (bk_sv_istarts(bk_sv_trim(m->subject),
			      BK_SV("Undelivered Mail Returned to Sender")) ||
		bk_msg_absent(m, BK_MISSING_SUBJECT)) &&
	       bk_sv_icontains(m->flat.text, maddy_field);
}

static int
maddy_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	return bk_decoder_rfc3464.decode(dc, m);
}

const struct bk_decoder bk_decoder_maddy = {
	.name = "Maddy",
	.what = "Maddy Mail Server bounces (RFC 3464 with X-Maddy- fields)",
	.match = maddy_match,
	.decode = maddy_decode,
};
