/* SPDX-License-Identifier: BSD-2-Clause */
/* mailru.c - bounces from Mail.Ru.  Its MTA is Exim: the report is Exim's,
 * preceded by a Russian version that prints the failed addresses without
 * their domains sometimes.
 *
 *   From: mailer-daemon@corp.mail.ru
 *   Subject: Ваше сообщение не доставлено. Mail failure.
 *   Message-Id: <E1XsaNj-0006ay-9N@smtp23.mail.ru>
 *
 *   Это письмо создано автоматически сервером Mail.Ru, ...
 *
 *     kijitora
 *       SMTP error from remote mail server after RCPT TO:<kijitora@example.org>:
 *       host mx.example.org [192.0.2.25]: 550 5.1.1 User Unknown
 *
 *   **********************
 *
 *   This message was created automatically by mail delivery software.
 *
 *   A message that you sent could not be delivered to one or more of its
 *   recipients. This is a permanent error. The following address(es) failed:
 *
 *     kijitora@example.org
 *       SMTP error from remote mail server after RCPT TO:<kijitora@example.org>:
 *       host mx.example.org [192.0.2.25]: 550 5.1.1 User Unknown
 *
 *   ------ This is a copy of the message, including all the headers. ------
 *
 * The English half is read by the Exim decoder, which starts at its first
 * sentence; this file only recognises Mail.Ru.
 */
#include "decode_priv.h"

static const struct bk_sv subjects[] = {
	BK_SVI("Mail failure"), BK_SVI("Mail delivery failed"),
	BK_SVI("Message frozen"), BK_SVI("Warning: message "),
	BK_SVI("Delivery Status Notification"),
	BK_SVI("error(s) in forwarding or filtering"),
};

static bool
mailru_match(const struct bk_msg *m)
{
	/* the rare sign first: most bounces come from a mailer-daemon */
	if (!bk_sv_icontains(m->from, BK_SV("mail.ru")) ||
	    !bk_sv_icontains(m->from, BK_SV("mailer-daemon@")))
		/* without From: its own first sentence, "... сервером
		 * Mail.Ru" */
		return bk_msg_lenient(m, BK_MISSING_FROM,
				      BK_SV("\xd1\x81\xd0\xb5\xd1\x80\xd0\xb2\xd0\xb5\xd1\x80\xd0\xbe\xd0\xbc Mail.Ru"));
	struct bk_sv id = bk_sv_trim(bk_msg_header(m, BK_SV("message-id")));
	return bk_sv_iends(id, BK_SV(".mail.ru>")) ||
	       bk_sv_iends(id, BK_SV("smailru.net>")) ||
	       bk_sv_icontains_any(m->subject, subjects, BK_NELEM(subjects));
}

static int
mailru_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	if (bk_decoder_exim.decode(dc, m) != BK_DECODED)
		return BK_DECLINE;
	/* Exim's statements stand for a status, an expiry for a temporary
	 * one; Mail.Ru's failure reports say each one is permanent: the same
	 * sentences, read with its own table (delay warnings keep Exim's) */
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *d = &dc->v[i];
		if (d->said.tab == &bk_rules_exim &&
		    !bk_sv_eq(d->action, BK_SV("delayed")))
			d->said.tab = &bk_rules_mailru;
	}
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_mailru = {
	.name = "MailRu",
	.what = "Mail.Ru bounces (Exim with a Russian preface)",
	.match = mailru_match,
	.decode = mailru_decode,
};
