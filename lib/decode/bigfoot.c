/* SPDX-License-Identifier: BSD-2-Clause */
/* bigfoot.c - bounces from Bigfoot's mail forwarding (LiteMail), written
 * as Sendmail writes them: the failed addresses, a transcript of the SMTP
 * session and a delivery-status part.
 *
 *   From: Mail Delivery Subsystem <MAILER-DAEMON@bigfoot.com>
 *   Subject: Returned mail: Requested action not taken: mailbox name not
 *       allowed
 *   Received: by LITEMAIL00.bigfoot.com (LiteMail v3.03(LITEMAIL00)) ...
 *
 *      ----- The following addresses had permanent fatal errors -----
 *   <kijitora@example.org>
 *
 *      ----- Transcript of session follows -----
 *   >>> RCPT TO:<kijitora@example.org>
 *   <<< 553 Invalid recipient kijitora@example.org (Mode: normal)
 *
 *   Content-Type: message/delivery-status
 *
 *   Reporting-MTA: dns; litemail00.bigfoot.com
 *
 *   Final-Recipient: RFC822; <kijitora@example.org>
 *   Action: failed
 *   Status: 5.7.1
 *   Diagnostic-Code: SMTP; 553 Invalid recipient kijitora@example.org
 *
 * The report is read by the Sendmail decoder, which takes the command from
 * the transcript; this file recognises Bigfoot, whose subjects the
 * Sendmail decoder does not know.
 */
#include "decode_priv.h"

static bool
bigfoot_match(const struct bk_msg *m)
{
	return bk_sv_icontains(m->from, BK_SV("@bigfoot.com>")) ||
	       bk_msg_header_has(m, BK_SV("received"), BK_SV(".bigfoot.com "));
}

static int
bigfoot_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	return bk_decoder_sendmail.decode(dc, m);
}

const struct bk_decoder bk_decoder_bigfoot = {
	.name = "Bigfoot",
	.what = "Bigfoot (LiteMail) bounces in Sendmail's layout",
	.match = bigfoot_match,
	.decode = bigfoot_decode,
};
