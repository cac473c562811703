/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_yahoo.c - Yahoo Inc. (Yahoo Mail, and AOL Mail's inbound MXs,
 * which Yahoo runs: mx-aol.mail.gm0.yahoodns.net).
 *
 *   421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to
 *   unexpected volume or user complaints - 4.16.55.1; see
 *   https://postmaster.yahooinc.com/error-codes
 *
 * Sources: Yahoo's SMTP error codes for senders
 * (https://senders.yahooinc.com/smtp-error-codes); as observed in real
 * bounces and in Sisimai's YahooInc table.
 *
 * Yahoo's texts are specific enough to stand without the codes.  TSS04
 * ("deferred due to unexpected volume or user complaints") is given for
 * poor reputation and for missing authentication alike; Yahoo calls it a
 * refusal of the sender, and so do we.
 */
#include "provider.h"

static const char *const hosts[] = {
	"yahoodns.net", "yahoo.com", NULL,
};
static const char *const domains[] = {
	"yahoo.com", "ymail.com", "rocketmail.com", "yahoo.ca", "yahoo.co.uk",
	"yahoo.com.au", "yahoo.com.br", "yahoo.de", "yahoo.es", "yahoo.fr",
	"yahoo.in", "yahoo.it", NULL,
};

static const struct bk_text_rule rows[] = {
	{ BK_R_AUTHFAILURE, "yahoo requires all senders to authenticate with either spf or dkim" },
	{ BK_R_BLOCKED, " because the ip is in spamhaus's list;" },
	{ BK_R_BLOCKED, "not accepted from ip addresses on spamhaus xbl" },
	{ BK_R_NORELAYING, "relaying denied for " },
	{ BK_R_NOTCOMPLIANTRFC, "headers are not rfc compliant" },
	{ BK_R_POLICYVIOLATION, "not accepted for policy reasons" },
	{ BK_R_REJECTED, "temporarily deferred due to unexpected volume or user complaints" },
	{ BK_R_REJECTED, "due to unresolvable rfc.5321 domain" },
	{ BK_R_REJECTED, "due to unresolvable rfc.5321 from domain" },
	{ BK_R_REJECTED, " will be permanently deferred" },
	{ BK_R_SPEEDING, "user is receiving mail too quickly" },
	{ BK_R_SUSPEND, " is no longer valid." },
	{ BK_R_SUSPEND, "this mailbox is disabled" },
	{ BK_R_SYNTAXERROR, "syntax error in parameters or arguments" },
	{ BK_R_TOOMANYCONN, "max message per connection reached" },
	{ BK_R_USERUNKNOWN, "dd this user doesn't have a " },
	{ BK_R_USERUNKNOWN, "mailbox not found" },
};

static int
yahoo_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	return bk_text_rules(in->diag, rows, BK_NELEM(rows));
}

const struct bk_provider bk_provider_yahoo = {
	.name = "yahoo",
	.hosts = hosts,
	.domains = domains,
	.reason = yahoo_reason,
	.texts = rows,
	.ntexts = BK_NELEM(rows),
};
