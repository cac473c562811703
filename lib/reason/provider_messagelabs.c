/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_messagelabs.c - Symantec (Broadcom) Email Security.cloud,
 * formerly MessageLabs (*.messagelabs.com), a filtering service in front
 * of its customers' mail servers and a relay for their outbound mail.
 *
 *   550 Please turn on SMTP Authentication in your mail client.
 *   mail0.bemta0.messagelabs.com [192.0.2.21]:11111 is not permitted to
 *   relay through this server without authentication.
 *
 * Sources: as observed in real bounces and in Sisimai's MessageLabs table.
 */
#include "provider.h"

static const char *const hosts[] = {
	"messagelabs.com", NULL,
};

static const struct bk_text_rule rows[] = {
	{ BK_R_AUTHFAILURE, "domain authentication fail" },
	{ BK_R_BADREPUTATION, "connection rejected by policy" },
	{ BK_R_BLOCKED, "mail rejected because your ip is in the pbl" },
	{ BK_R_BLOCKED, "your ip address has been " },
	{ BK_R_BLOCKED, "your ip address (ip-addr) has been blocked" },
	{ BK_R_BLOCKED, "your email address (addr) has been blocked" },
	{ BK_R_CONTENTERROR, "stray linefeeds in message" },
	{ BK_R_FAILEDSTARTTLS, "tls/sslv3 connection required" },
	/* before " as a relay, ": this one asks for authentication */
	{ BK_R_SECURITYERROR, "please turn on smtp authentication in your mail client" },
	{ BK_R_NORELAYING, " as a relay, " },
	{ BK_R_NOTCOMPLIANTRFC, "550 requested action aborted [4]" },
	{ BK_R_NOTCOMPLIANTRFC, "has detected that this message is not rfc 5322" },
	{ BK_R_REJECTED, "sender envelope domain not allowed for sender ip address" },
	{ BK_R_REJECTED, "your domain has been blocked" },
	{ BK_R_REJECTED, "your email address has been blocked" },
	{ BK_R_REJECTED, "your envelope sender is in my badmailfrom list" },
	{ BK_R_REJECTED, "your email address has been blacklisted" },
	{ BK_R_REJECTED, "your domain has been blacklisted" },
	{ BK_R_SPAMDETECTED, "message filtered" },
	{ BK_R_SPAMDETECTED, "filtered by outbound scanning" },
	{ BK_R_TOOMANYCONN, "too many recipients received this hour" },
	{ BK_R_TOOMANYCONN, "too many messages" },
	{ BK_R_USERUNKNOWN, "no such user" },
	{ BK_R_USERUNKNOWN, "invalid recipient" },
	{ BK_R_USERUNKNOWN, "mailbox is not allowed" },
};

static int
messagelabs_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	return bk_text_rules(in->diag, rows, BK_NELEM(rows));
}

const struct bk_provider bk_provider_messagelabs = {
	.name = "messagelabs",
	.hosts = hosts,
	.domains = NULL,
	.reason = messagelabs_reason,
	.texts = rows,
	.ntexts = BK_NELEM(rows),
};
