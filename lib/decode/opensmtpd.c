/* SPDX-License-Identifier: BSD-2-Clause */
/* opensmtpd.c - bounces from OpenSMTPD (smtpd/bounce.c).
 *
 *   From: Mailer Daemon <MAILER-DAEMON@mx.example.jp>
 *   Subject: Delivery status notification: failed
 *
 *       Hi!
 *
 *       This is the MAILER-DAEMON, please DO NOT REPLY to this email.
 *
 *       An error has occurred while attempting to deliver a message for
 *       the following list of recipients:
 *
 *   kijitora@example.org: 550 5.1.1 <kijitora@example.org>: Recipient
 *   address rejected: User unknown
 *
 *       Below is a copy of the original message:
 *
 * One line per recipient, unindented, between the notice and the copy of
 * the message.  Since 6.x a delivery-status part follows, but its Status
 * is only a class code (4.0.0, 5.0.0; 4.4.7 for an expired envelope): the
 * line, which quotes the remote reply, is what is read.  A delay notice
 * ("A message is delayed for more than ...") lists recipients the same
 * way.
 */
#include "decode_priv.h"

static const struct bk_sv copy_marks[] = {
	BK_SVI("    Below is a copy of the original message:"),
};

static bool
opensmtpd_match(const struct bk_msg *m)
{
	static const struct bk_sv own =
		BK_SVI("This is the MAILER-DAEMON, please DO NOT REPLY");
	return (bk_sv_istarts(m->subject, BK_SV("Delivery status notification")) ||
		bk_msg_lenient(m, BK_MISSING_SUBJECT, own)) &&
	       (bk_msg_header_has(m, BK_SV("received"), BK_SV("(OpenSMTPD)")) ||
		bk_msg_lenient(m, BK_MISSING_RECEIVED, own));
}

/* "kijitora@example.org: 550 5.1.1 ..." */
static bool
rcpt_line(struct bk_sv line, struct bk_sv *addr, struct bk_sv *diag)
{
	if (!line.n || bk_is_space((unsigned char)line.p[0]))
		return false;
	struct bk_sv rest = bk_sv_cut(line, ':', addr);
	if (!rest.p || bk_sv_findc(*addr, '@') <= 0 || bk_sv_findc(*addr, ' ') >= 0)
		return false;
	*diag = bk_sv_trim(rest);
	return true;
}

static int
opensmtpd_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_msg_text(m);
	struct bk_sv rest = bk_text_before_any(text, copy_marks, BK_NELEM(copy_marks));
	struct bk_sv line, addr, diag;
	while (bk_sv_next_line(&rest, &line)) {
		struct bk_dlv *d;
		if (!rcpt_line(line, &addr, &diag) || !(d = bk_rcpt_add(dc, addr)))
			continue;
		bk_dlv_diag_add(dc, d, diag);
		d->said = bk_rule_find(&bk_rules_opensmtpd, diag);
	}
	if (bk_sv_icontains(text, BK_SV("A message is delayed for more than")))
		BK_FILL(dc, action, BK_SV("delayed"));
	if (!m->flat.orig.p)
		dc->orig = bk_text_after_line(text, copy_marks, BK_NELEM(copy_marks));
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_opensmtpd = {
	.name = "OpenSMTPD",
	.what = "OpenSMTPD bounces and delay notices",
	.match = opensmtpd_match,
	.decode = opensmtpd_decode,
};
