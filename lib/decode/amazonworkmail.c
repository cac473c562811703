/* SPDX-License-Identifier: BSD-2-Clause */
/* amazonworkmail.c - Amazon WorkMail: the delivery status fields come in
 * the text part, after "Technical report:".
 *
 *   X-Mailer: Amazon WorkMail
 *   X-SES-Outgoing: 2016.01.14-192.0.2.5
 *   Subject: Delivery Status Notification (Failure)
 *
 *   An error occurred while trying to deliver the mail to the following
 *   recipients:
 *   kijitora@example.jp
 *
 *   Technical report:
 *
 *   Reporting-MTA: dsn; a27-85.smtp-out.us-west-2.amazonses.com
 *
 *   Action: failed
 *   Final-Recipient: rfc822; kijitora@example.jp
 *   Diagnostic-Code: smtp; 550 5.1.1 <kijitora@example.jp>... User Unknown
 *   Status: 5.1.1
 *
 *   Content-Type: message/rfc822
 */
#include "decode_priv.h"

static const struct bk_sv marks[] = {
	BK_SVI("Technical report:"),
};

static bool
is_workmail(const struct bk_msg *m)
{
	static const struct bk_sv name = BK_SVI("Amazon WorkMail");
	return bk_msg_header_has(m, BK_SV("x-mailer"), name) ||
	       bk_msg_header_has(m, BK_SV("x-original-mailer"), name);
}

static bool
amazonworkmail_match(const struct bk_msg *m)
{
	return bk_msg_has(m, BK_SV("x-ses-outgoing")) && is_workmail(m);
}

static int
amazonworkmail_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv head = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv report = bk_text_after_line(head, marks, BK_NELEM(marks));
	if (report.p)
		bk_dsn_read(dc, report);
	if (!dc->n && m->flat.dsn.p)
		bk_dsn_read(dc, m->flat.dsn);
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_amazonworkmail = {
	.name = "AmazonWorkMail",
	.what = "Amazon WorkMail delivery status notifications",
	.match = amazonworkmail_match,
	.decode = amazonworkmail_decode,
};
