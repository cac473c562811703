/* SPDX-License-Identifier: BSD-2-Clause */
/* notificationforward.c - decoder X5 (Sisimai's name): an unnamed gateway
 * that forwards the bounce it received to a notification address, as an
 * attached message.
 *
 *   From: "=?iso-2022-jp?B?...?=" <MAILER-DAEMON@example.jp>
 *   To: "NotificationRecipients" <NotificationRecipients@gw.example.jp>
 *   Subject: Returned mail: User unknown
 *
 *   ----- The following addresses had permanent delivery errors -----
 *
 *   Content-Type: message/rfc822
 *
 *   From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.jp>
 *   Content-Type: multipart/report; report-type=delivery-status; ...
 *
 *   Content-Type: message/delivery-status
 *
 *   Final-Recipient: RFC822; kijitora@example.org
 *   Action: failed
 *   Status: 5.1.1
 *   Diagnostic-Code: smtp; 550 5.1.1 User unknown
 *
 *   Content-Type: message/rfc822
 *
 * The delivery-status fields are read from the attached bounce; its own
 * attached message is the original.
 */
#include "decode_priv.h"

static const struct bk_sv dsn_mark = BK_SVI("Content-Type: message/delivery-status");
static const struct bk_sv orig_mark = BK_SVI("Content-Type: message/rfc822");

static bool
notificationforward_match(const struct bk_msg *m)
{
	return m->flat.orig.p &&
	       bk_msg_header_has(m, BK_SV("to"), BK_SV("NotificationRecipients")) &&
	       bk_sv_icontains(m->from, BK_SV("MAILER-DAEMON"));
}

/* The part after a "Content-Type:" line: past its header block. */
static struct bk_sv
part_body(struct bk_sv after_mark)
{
	struct bk_sv b = bk_sv_iafter(after_mark, BK_SV("\n\n"));
	return b.p ? b : after_mark;
}

static int
notificationforward_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv fields = bk_sv_iafter(m->flat.orig, dsn_mark);
	if (!fields.p)
		return BK_DECLINE;
	struct bk_sv orig = bk_sv_iafter(fields, orig_mark);
	if (orig.p) {
		fields = bk_sv_slice(fields, 0,
				     (size_t)(orig.p - fields.p) - orig_mark.n);
		dc->orig = part_body(orig);
	}
	bk_dsn_read(dc, fields);
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_notificationforward = {
	.name = "X5",
	.what = "an unnamed gateway forwarding bounces to NotificationRecipients",
	.match = notificationforward_match,
	.decode = notificationforward_decode,
};
