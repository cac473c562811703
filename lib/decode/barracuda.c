/* SPDX-License-Identifier: BSD-2-Clause */
/* barracuda.c - Barracuda Spam Firewall: messages it blocked.
 *
 *   Subject: **Message you sent blocked by our bulk email filter**
 *   Content-Type: multipart/report; report-type=delivery-status; ...
 *
 *   Your message to: kijitora@example.org
 *   was blocked by our Spam Firewall. The email you sent with the
 *   following subject has NOT BEEN DELIVERED:
 *
 *   Content-Type: message/delivery-status
 *
 *   Final-Recipient: rfc822; kijitora@example.org
 *   Action: failed
 *   Status: 5.7.1
 *   Diagnostic-Code: smtp; 550 5.7.1 Message content rejected, UBE, id=...
 *
 * The recipients are those of the delivery-status part, else the
 * "Your message to:" lines of the text.
 */
#include "decode_priv.h"

static const struct bk_sv rcpt_mark = BK_SVI("Your message to:");

static bool
barracuda_match(const struct bk_msg *m)
{
	return bk_sv_icontains(m->subject, BK_SV("our bulk email filter"));
}

/* "Your message to: a@b" and the line after it, when there is no
 * delivery-status part. */
static void
read_text(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv rest = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv line, next;
	while (bk_sv_next_line(&rest, &line)) {
		if (!bk_sv_istarts(bk_sv_trim(line), rcpt_mark))
			continue;
		struct bk_sv v = bk_sv_iafter(line, rcpt_mark);
		struct bk_dlv *d = bk_rcpt_add(dc, v);
		struct bk_sv peek = rest;
		if (d && bk_sv_next_line(&peek, &next))
			bk_dlv_diag_add(dc, d, next);
	}
}

static int
barracuda_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	if (!m->flat.dsn.p || !bk_dsn_read(dc, m->flat.dsn))
		read_text(dc, m);
	if (!dc->n)
		return BK_DECLINE;
	bk_notice_apply(dc, &bk_rules_barracuda);
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_barracuda = {
	.name = "Barracuda",
	.what = "Barracuda Spam Firewall block notices",
	.match = barracuda_match,
	.decode = barracuda_decode,
};
