/* SPDX-License-Identifier: BSD-2-Clause */
/* amavis.c - nondelivery reports of the amavisd-new content filter: an
 * RFC 3464 report sent from "Content-filter at HOST", for a message its
 * next hop refused or that it judged spam, banned or infected.
 *
 *   From: "Content-filter at mx.example.jp" <postmaster@mx.example.jp>
 *   Subject: Undeliverable mail, MTA-BLOCKED
 *
 *   The message WAS NOT relayed to:
 *     <kijitora@example.org>: [127.0.0.1] said:
 *      550 5.1.1 Failed, id=02022-02, from MTA([127.0.0.1]:10025): ...
 *
 *   Content-Type: message/delivery-status
 *
 *   Final-Recipient: rfc822;kijitora@example.org
 *   Action: failed
 *   Status: 5.1.1
 *   Diagnostic-Code: smtp; 550 5.1.1 <kijitora@example.org>: Recipient
 *    address rejected: User unknown in virtual mailbox table
 */
#include "decode_priv.h"

static bool
amavis_match(const struct bk_msg *m)
{
	return bk_sv_starts(bk_sv_ltrim(m->from),
			    BK_SV("\"Content-filter at "));
}

static int
amavis_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	if (!m->flat.dsn.p || !bk_dsn_read(dc, m->flat.dsn))
		return BK_DECLINE;
	for (size_t i = 0; i < dc->n; i++) {
		/* the refusal of the next hop, a Postfix behind the filter */
		if (bk_sv_ieq(dc->v[i].spec, BK_SV("X-Postfix")))
			dc->v[i].spec = BK_SV("SMTP");
	}
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_amavis = {
	.name = "Amavis",
	.what = "amavisd-new content filter reports",
	.match = amavis_match,
	.decode = amavis_decode,
};
