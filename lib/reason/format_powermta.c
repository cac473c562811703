/* SPDX-License-Identifier: BSD-2-Clause */
/* format_powermta.c - PowerMTA's bounce categories (its
 * "bounce-category-patterns"; X-PowerMTA-BounceCategory:,
 * lib/decode/powermta.c), compared whole, any case. */
#include "rule.h"

static const struct bk_rule rows[] = {
	BK_RULE("bad-domain", HOSTUNKNOWN),
	BK_RULE("bad-mailbox", USERUNKNOWN),
	BK_RULE("content-related", CONTENTERROR),
	BK_RULE("inactive-mailbox", SUSPEND),
	BK_RULE("invalid-sender", REJECTED),
	BK_RULE("message-expired", EXPIRED),
	BK_RULE("no-answer-from-host", NETWORKERROR),
	BK_RULE("policy-related", POLICYVIOLATION),
	BK_RULE("quota-issues", MAILBOXFULL),
	BK_RULE("relaying-issues", NORELAYING),
	BK_RULE("routing-errors", SYSTEMERROR),
	BK_RULE("spam-related", SPAMDETECTED),
	BK_RULE("virus-related", VIRUSDETECTED),
};
BK_RULE_TABLE(bk_rules_powermta, "format.powermta", rows);
