/* SPDX-License-Identifier: BSD-2-Clause */
/* messagelabs.c - Symantec Email Security.cloud (formerly MessageLabs):
 * "Mail Delivery Failure" notices.
 *
 *   X-Msg-Ref: server-0.tower-0.messagelabs.com!1111111100!222222220!2
 *   From: Mail Delivery System <MAILER-DAEMON@messagelabs.com>
 *   Subject: Mail Delivery Failure
 *
 *   This is the mail delivery agent at Symantec Email Security.cloud.
 *   I was unable to deliver your message to the following addresses:
 *
 *   kijitora@example.org
 *
 *   Reason: 550-Please turn on SMTP Authentication in your mail client.
 *   550 relay through this server without authentication.
 *
 *   Content-Type: message/delivery-status
 *
 *   Last-Attempt-Date: Thu, 17 Jul 2017 23:34:45 +0000
 *   Diagnostic-Code: smtp; 550-Please turn on SMTP Authentication in ...
 *   550 relay through this server without authentication.
 *   Status: 5.0.0
 *   Action: failed
 *   Final-Recipient: rfc822; kijitora@example.org
 *
 * The delivery-status part has its fields in any order, and the lines of
 * a multi-line reply unindented; the shared DSN reader takes both.
 */
#include "decode_priv.h"

static bool
messagelabs_match(const struct bk_msg *m)
{
	return bk_msg_has(m, BK_SV("x-msg-ref")) &&
	       (bk_sv_icontains(m->from,
				BK_SV("MAILER-DAEMON@messagelabs.com")) ||
		bk_msg_absent(m, BK_MISSING_FROM)) &&
	       (bk_sv_istarts(m->subject, BK_SV("Mail Delivery Failure")) ||
		bk_msg_absent(m, BK_MISSING_SUBJECT));
}

static int
messagelabs_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	if (!m->flat.dsn.p || !bk_dsn_read(dc, m->flat.dsn))
		return BK_DECLINE;
	bk_notice_apply(dc, &bk_rules_messagelabs);
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_messagelabs = {
	.name = "MessageLabs",
	.what = "Symantec Email Security.cloud (MessageLabs) delivery failures",
	.match = messagelabs_match,
	.decode = messagelabs_decode,
};
