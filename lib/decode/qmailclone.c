/* SPDX-License-Identifier: BSD-2-Clause */
/* qmailclone.c - decoder X4 (Sisimai's name, "Unknown MTA #4"): bounces
 * from qmail clones that replaced qmail-send's greeting with one of their
 * own but kept its "<address>:" list.
 *
 *   Subject: failure notice
 *
 *   Your mail message to the following address(es) could not be delivered.
 *   This is a permanent error. Please verify the addresses and try again.
 *
 *   <kijitora@example.org>:
 *   child status 100...The e-mail message could not be delivered because
 *   the user's mailfolder is full.
 *
 *   --- Below this line is a copy of the message.
 *
 * The list is read as qmail.c reads it.
 */
#include "decode_priv.h"

static const struct bk_sv intros[] = {
	BK_SVI("He/Her is not "),
	BK_SVI("unable to deliver your message to the following addresses"),
	BK_SVI("Su mensaje no pudo ser entregado"),
	BK_SVI("Sorry, we were unable to deliver your message to the "),
	BK_SVI("This is the machine generated message from mail service"),
	BK_SVI("This is the mail delivery agent at"),
	BK_SVI("Unable to deliver message to the following address"),
	BK_SVI("Unfortunately, your mail was not delivered to the following"),
	BK_SVI("Your mail message to the following address"),
	BK_SVI("Your message to the following addresses"),
	BK_SVI("We're sorry."),
};

static bool
qmailclone_match(const struct bk_msg *m)
{
	if (bk_sv_istarts(m->subject, BK_SV("failure notice")) ||
	    bk_sv_istarts(m->subject, BK_SV("Permanent Delivery Failure")))
		return true;
	return bk_msg_header_has(m, BK_SV("received"),
				 BK_SV("invoked for bounce")) ||
	       bk_msg_header_has(m, BK_SV("received"), BK_SV("(qmail "));
}

static int
qmailclone_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	return bk_qmail_read(dc, m, intros, BK_NELEM(intros));
}

const struct bk_decoder bk_decoder_qmailclone = {
	.name = "X4",
	.what = "qmail clones with a greeting of their own",
	.match = qmailclone_match,
	.decode = qmailclone_decode,
};
