/* SPDX-License-Identifier: BSD-2-Clause */
/* outlook.c - delivery status notifications from Outlook.com (formerly
 * Hotmail and Windows Live Mail).
 *
 *   From: postmaster@mail.hotmail.com
 *   Subject: Delivery Status Notification (Failure)
 *   X-Message-Delivery: Vj0xLjE7RD0wO0dEPTA7U0NMPTk7bD0xO3VzPTE=
 *
 *   This is an automatically generated Delivery Status Notification.
 *
 *   Delivery to the following recipients failed.
 *
 *          kijitora@example.org
 *
 *   Content-Type: message/delivery-status
 *
 *   Reporting-MTA: dns;BLU004-OMC3S13.hotmail.com
 *
 *   Final-Recipient: rfc822;kijitora@example.org
 *   Action: failed
 *   Status: 5.5.0
 *   Diagnostic-Code: smtp;550 Requested action not taken: mailbox unavailable
 *
 * The fields are standard; what Outlook.com adds is the meaning of its
 * own replies (a 550 "mailbox unavailable" from Hotmail is a mailbox that
 * does not exist) and, when a recipient has no Diagnostic-Code, the
 * sentence of the text part that introduces the recipients.
 */
#include "decode_priv.h"

static const struct bk_sv preamble =
	BK_SVI("This is an automatically generated Delivery Status "
	       "Notification");

static bool
outlook_match(const struct bk_msg *m)
{
	/* two signs: the Received: search only when it can decide */
	unsigned signs = (bk_msg_has(m, BK_SV("x-message-delivery")) ? 1u : 0u) +
			 (bk_msg_has(m, BK_SV("x-message-info")) ? 1u : 0u);
	if (signs < 2 &&
	    bk_sv_icontains(m->subject, BK_SV("Delivery Status Notification")))
		signs++;
	if (signs == 1 &&
	    bk_msg_header_has(m, BK_SV("received"), BK_SV(".hotmail.com")))
		signs++;
	/* Exchange Online's reports carry some of the same marks */
	return signs >= 2 && bk_sv_istarts(bk_sv_ltrim(m->flat.text), preamble);
}

/* The sentence before the first indented address of the text part:
 * "Delivery to the following recipients has been delayed." */
static struct bk_sv
intro(struct bk_sv text)
{
	struct bk_sv rest = text, line, last = BK_SV_NULL;
	while (bk_sv_next_line(&rest, &line)) {
		struct bk_sv t = bk_sv_trim(line);
		if (bk_sv_istarts(t, BK_SV("Content-Type:")))
			break;
		if (line.n && bk_is_space((unsigned char)line.p[0]) &&
		    bk_sv_findc(t, '@') > 0)
			return last;
		if (t.n)
			last = t;
	}
	return BK_SV_NULL;
}

static int
outlook_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv head = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	if (!bk_dsn_read(dc, m->flat.dsn.p ? m->flat.dsn : head))
		return BK_DECLINE;
	struct bk_sv sentence = intro(head);
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *d = &dc->v[i];
		if (!d->diag.n)
			d->diag = sentence;
		d->said = bk_rule_find(&bk_rules_outlook, d->diag);
	}
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_outlook = {
	.name = "Outlook",
	.what = "Outlook.com / Hotmail delivery status notifications",
	.match = outlook_match,
	.decode = outlook_decode,
};
