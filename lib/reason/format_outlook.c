/* SPDX-License-Identifier: BSD-2-Clause */
/* format_outlook.c - what Outlook bounces state (lib/decode/outlook.c reads
 * them), and the reasons. */
#include "rule.h"

static const struct bk_rule notices[] = {
	BK_RULE("because the domain is not reachable", HOSTUNKNOWN),
	BK_RULE("Requested action not taken: mailbox unavailable", USERUNKNOWN),
};
BK_RULE_TABLE(bk_rules_outlook, "format.outlook", notices);
