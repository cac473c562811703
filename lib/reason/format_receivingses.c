/* SPDX-License-Identifier: BSD-2-Clause */
/* format_receivingses.c - the bounce action's message templates of SES
 * receipt rules (lib/decode/receivingses.c), matched as written. */
#include "rule.h"

static const struct bk_rule rows[] = {
	BK_RULE("Mailbox does not exist", FILTERED),
	BK_RULE("Message too large", MESGTOOBIG),
	BK_RULE("Mailbox full", MAILBOXFULL),
	BK_RULE("Message content rejected", CONTENTERROR),
};
BK_RULE_TABLE(bk_rules_receivingses, "format.receivingses", rows);
