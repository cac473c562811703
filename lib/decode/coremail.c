/* SPDX-License-Identifier: BSD-2-Clause */
/* coremail.c - bounces from Coremail, the mail system of NetEase (163.com,
 * 126.com, yeah.net) and of many Chinese companies and universities.
 *
 *   From: Postmaster@163.com
 *   Subject: =?gb2312?B?...?=          ("系统退信")
 *   X-Mailer: Coremail MTA server
 *
 *   抱歉，您的邮件被退回来了……
 *         原邮件信息：
 *               时  间 2026-01-12 13:39:46
 *               主  题 Test message
 *               收件人 kijitora@example.org
 *         退信原因：
 *               未知的原因，对方拒绝接收您的邮件
 *               英文说明:SMTP error, RCPT TO: Host example.org(192.0.2.1)
 *               RCPT TO said 550 No such user here
 *         建议解决方案：
 *               ...
 *
 * The notice is a GBK text part (and its HTML twin) with no delivery-status
 * part and no copy of the message: the recipient follows 收件人
 * ("recipient"), the remote server's reply follows 英文说明 ("English
 * explanation"), else the lines under 退信原因 ("reason for the return")
 * tell it in Chinese.
 */
#include "decode_priv.h"

static const struct bk_sv k_rcpt = BK_SVI("收件人");
static const struct bk_sv k_reason = BK_SVI("退信原因");
static const struct bk_sv k_english = BK_SVI("英文说明");
static const struct bk_sv k_advice = BK_SVI("建议解决方案");

static bool
coremail_match(const struct bk_msg *m)
{
	return bk_sv_icontains(m->from, BK_SV("postmaster@")) &&
	       bk_msg_header_has(m, BK_SV("x-mailer"), BK_SV("Coremail"));
}

/* The text after a label: its colon (ASCII or full-width) and blanks go. */
static struct bk_sv
after_label(struct bk_sv line, long at, struct bk_sv label)
{
	struct bk_sv v = bk_sv_trim(bk_sv_from(line, (size_t)at + label.n));
	if (bk_sv_starts(v, BK_SV("：")))
		v = bk_sv_from(v, BK_SV("：").n);
	else if (bk_sv_starts(v, BK_SV(":")))
		v = bk_sv_from(v, 1);
	return bk_sv_trim(v);
}

static int
coremail_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv rest = bk_msg_text(m), line;
	struct bk_dlv *d = NULL;
	struct bk_sv english = BK_SV_NULL, chinese = BK_SV_NULL;
	bool in_reason = false;
	long at;

	while (bk_sv_next_line(&rest, &line)) {
		struct bk_sv t = bk_sv_trim(line);
		if (!d && (at = bk_sv_find(t, k_rcpt)) >= 0) {
			d = bk_rcpt_add(dc, after_label(t, at, k_rcpt));
		} else if ((at = bk_sv_find(t, k_english)) >= 0) {
			english = after_label(t, at, k_english);
			in_reason = false;
		} else if (bk_sv_find(t, k_reason) >= 0) {
			in_reason = true;
		} else if (bk_sv_find(t, k_advice) >= 0 || (in_reason && !t.n)) {
			in_reason = false;
		} else if (in_reason && t.n) {
			bk_text_span(&chinese, t);
		}
	}
	if (!d)
		return BK_DECLINE;
	d->diag = english.p ? english : chinese;
	if (bk_sv_contains(d->diag, BK_SV("RCPT TO")))
		d->command = BK_SV("RCPT");
	else if (bk_sv_contains(d->diag, BK_SV("DATA")))
		d->command = BK_SV("DATA");
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_coremail = {
	.name = "Coremail",
	.what = "Coremail (NetEase 163/126/yeah.net and Chinese enterprise mail) bounces",
	.match = coremail_match,
	.decode = coremail_decode,
};
