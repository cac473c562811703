/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_apple.c - Apple iCloud Mail (icloud.com, me.com, mac.com).
 *
 *   550 5.1.1 <kijitora@icloud.com>: inactive email address (in reply to
 *   RCPT TO command)
 *
 * Sources: Apple's iCloud Mail guidance for senders
 * (https://support.apple.com/en-us/102322); as observed in real bounces
 * and in Sisimai's Apple table.
 */
#include "provider.h"

static const char *const hosts[] = {
	"mail.icloud.com", "apple.com", "me.com", NULL,
};
static const char *const domains[] = {
	"icloud.com", "me.com", "mac.com", NULL,
};

static const struct bk_text_rule rows[] = {
	/* 554 5.7.1 Your message was rejected due to example.jp's DMARC
	 * policy. */
	{ BK_R_AUTHFAILURE, "'s dmarc policy" },
	/* [HME1] ... (sic) */
	{ BK_R_AUTHFAILURE, "blocked for failing both spf and dkim autentication checks" },
	{ BK_R_AUTHFAILURE, "blocked for failing both spf and dkim authentication checks" },
	{ BK_R_BLOCKED, "rejected due to having a domain present in the spamhaus" },
	{ BK_R_BLOCKED, "rejected due to listing in spamhaus" },
	{ BK_R_BLOCKED, "blocked - see https://support.proofpoint.com/dnsbl-lookup" },
	{ BK_R_BLOCKED, "not accepting connections" },
	{ BK_R_HASMOVED, "recipient no longer on server" },
	{ BK_R_MAILBOXFULL, "user is over quota" },
	{ BK_R_NORELAYING, "relay access denied" },
	{ BK_R_NOTACCEPT, "host/domain does not accept mail" },
	{ BK_R_POLICYVIOLATION, "due to local policy" },
	{ BK_R_REJECTED, "sender address rejected" },
	{ BK_R_SPEEDING, "due to excessive volume" },
	{ BK_R_USERUNKNOWN, "inactive email address" },
	{ BK_R_USERUNKNOWN, "user does not exist" },
	{ BK_R_USERUNKNOWN, "unknown or illegal alias" },
};

static int
apple_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	return bk_text_rules(in->diag, rows, BK_NELEM(rows));
}

const struct bk_provider bk_provider_apple = {
	.name = "apple",
	.hosts = hosts,
	.domains = domains,
	.reason = apple_reason,
	.texts = rows,
	.ntexts = BK_NELEM(rows),
};
