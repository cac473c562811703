/* SPDX-License-Identifier: BSD-2-Clause */
/* yandex.c - bounces from Yandex.Mail.  Its MTA is Postfix: the report is
 * Postfix's, with a Russian preface and a subject of its own.
 *
 *   From: mailer-daemon@yandex.ru
 *   Subject: Недоставленное сообщение
 *   X-Yandex-Uniq: 92309766-f1c8-4bd4-92bc-657c75766587
 *
 *                 **********
 *   Это письмо отправлено почтовым сервером yandex.ru. ...
 *                 **********
 *
 *   This is the mail system at host yandex.ru.
 *   ...
 *   <kijitora@example.org>: host mx.example.org[192.0.2.25] said: 550
 *       5.1.1 <kijitora@example.org>... User Unknown (in reply to RCPT TO
 *       command)
 *
 *   Content-Type: message/delivery-status
 *
 *   Reporting-MTA: dns; forward1h.mail.yandex.net
 *   X-Yandex-Queue-ID: 367D79E130D
 *
 *   Final-Recipient: rfc822; kijitora@example.org
 *   Action: failed
 *   Status: 5.1.1
 *   Diagnostic-Code: smtp; 550 5.1.1 <kijitora@example.org>... User Unknown
 *
 * The report is read by the Postfix decoder; this file only recognises
 * Yandex, whose subject the Postfix decoder does not know.
 */
#include "decode_priv.h"

static bool
yandex_match(const struct bk_msg *m)
{
	return bk_msg_has(m, BK_SV("x-yandex-uniq")) &&
	       (bk_sv_icontains(m->from, BK_SV("mailer-daemon@yandex.")) ||
		bk_msg_absent(m, BK_MISSING_FROM));
}

static int
yandex_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	return bk_decoder_postfix.decode(dc, m);
}

const struct bk_decoder bk_decoder_yandex = {
	.name = "Yandex",
	.what = "Yandex.Mail bounces (Postfix with a Russian preface)",
	.match = yandex_match,
	.decode = yandex_decode,
};
