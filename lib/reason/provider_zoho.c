/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_zoho.c - Zoho Mail (zoho.com, zohomail.com and Zoho's
 * regional data centres).
 *
 *   550 5.1.1 User does not exist - <kijitora@example.com>
 *
 * Sources: as observed in real bounces and in Sisimai's Zoho table
 * (go-sisimai 5.5).
 *
 * Three of Zoho's texts are left to the generic rules, which read them as
 * Sisimai 5.2 does and as our users expect: "554 5.7.7 Email policy
 * violation detected" and "554 5.7.1 Email cannot be delivered. Reason:
 * Email flagged as Spam." (securityerror from the status), "541 5.4.1 Mail
 * rejected by destination domain" (onhold).
 */
#include "provider.h"

static const char *const hosts[] = {
	"zoho.com", "zohomail.com", "zoho.eu", "zoho.in", "zoho.com.au",
	"zoho.jp", NULL,
};
static const char *const domains[] = {
	"zoho.com", "zohomail.com", "zoho.eu", "zoho.in", "zoho.com.au",
	"zoho.jp", NULL,
};

static const struct bk_text_rule rows[] = {
	{ BK_R_AUTHFAILURE, "email rejected per dmarc policy" },
	{ BK_R_BLOCKED, "greylisted, try again after some time" },
	{ BK_R_POLICYVIOLATION, "mailbox delivery restricted by policy error" },
	{ BK_R_SYSTEMERROR, "temporary system error" },
	{ BK_R_USERUNKNOWN, "user does not exist" },
	{ BK_R_VIRUSDETECTED, " detected by zoho mail" },
};

static int
zoho_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	return bk_text_rules(in->diag, rows, BK_NELEM(rows));
}

const struct bk_provider bk_provider_zoho = {
	.name = "zoho",
	.hosts = hosts,
	.domains = domains,
	.reason = zoho_reason,
	.texts = rows,
	.ntexts = BK_NELEM(rows),
};
