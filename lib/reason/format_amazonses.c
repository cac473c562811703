/* SPDX-License-Identifier: BSD-2-Clause */
/* format_amazonses.c - what Amazon SES notifications state (lib/decode/amazonses.c
 * reads them): the bounceSubType of a JSON notification (SES notification
 * contents; the others, "General", "NoEmail", ..., leave it to the
 * diagnostic), a complaint, an expired delivery. */
#include "rule.h"

static const struct bk_rule rows[] = {
	BK_RULE("(a complaint notification)", FEEDBACK),
	BK_RULE("(\"Delivery expired\" in the DSN)", EXPIRED),
	BK_RULE("Suppressed", SUPPRESSED),
	BK_RULE("OnAccountSuppressionList", SUPPRESSED),
	BK_RULE("MailboxFull", MAILBOXFULL),
	BK_RULE("MessageTooLarge", MESGTOOBIG),
};
BK_RULE_TABLE(bk_rules_amazonses, "format.amazonses", rows);
