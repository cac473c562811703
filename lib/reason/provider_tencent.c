/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_tencent.c - Tencent QQ Mail and Tencent Exmail (qq.com,
 * foxmail.com).
 *
 *   550 Ip frequency limited [...]. http://service.mail.qq.com/cgi-bin/help?
 *   subtype=1&&id=20022&&no=1000725
 *
 * Sources: QQ Mail's help pages for senders
 * (http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022); as
 * observed in real bounces and in Sisimai's Tencent table.
 */
#include "provider.h"

static const char *const hosts[] = {
	"qq.com", NULL,
};
static const char *const domains[] = {
	"qq.com", "foxmail.com", NULL,
};

static const struct bk_text_rule rows[] = {
	{ BK_R_AUTHFAILURE, "spf check failed" },
	{ BK_R_AUTHFAILURE, "dmarc check failed" },
	/* before "suspected spam", of which it is a longer form */
	{ BK_R_BLOCKED, "suspected spam ip" },
	{ BK_R_BLOCKED, "suspected bounce attacks" },
	{ BK_R_BLOCKED, "connection denied" },
	{ BK_R_MESGTOOBIG, "message too large" },
	{ BK_R_REJECTED, "suspected spam" },
	{ BK_R_REJECTED, "mail is rejected by recipients" },
	{ BK_R_SPAMDETECTED, "spam is embedded in the email" },
	{ BK_R_SPAMDETECTED, "mail content denied" },
	{ BK_R_SPEEDING, "mailbox unavailable or access denined" },	/* sic */
	{ BK_R_SUSPEND, "is a deactivated mailbox" },
	{ BK_R_SYNTAXERROR, "bad address syntax" },
	{ BK_R_TOOMANYCONN, "ip frequency limited" },
	{ BK_R_TOOMANYCONN, "domain frequency limited" },
	{ BK_R_TOOMANYCONN, "sender frequency limited" },
	{ BK_R_TOOMANYCONN, "connection frequency limited" },
	{ BK_R_USERUNKNOWN, "mailbox not found" },
};

static int
tencent_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	return bk_text_rules(in->diag, rows, BK_NELEM(rows));
}

const struct bk_provider bk_provider_tencent = {
	.name = "tencent",
	.hosts = hosts,
	.domains = domains,
	.reason = tencent_reason,
	.texts = rows,
	.ntexts = BK_NELEM(rows),
};
