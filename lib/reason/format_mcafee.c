/* SPDX-License-Identifier: BSD-2-Clause */
/* format_mcafee.c - what McAfee bounces state (lib/decode/mcafee.c reads
 * them), and the reasons. */
#include "rule.h"

/* The appliance's own wording for a recipient that does not exist. */
static const struct bk_rule notices[] = {
	BK_RULE("Unknown user ", USERUNKNOWN),
	BK_RULE("User not exist", USERUNKNOWN),
	BK_RULE("No such user", USERUNKNOWN),
};
BK_RULE_TABLE(bk_rules_mcafee, "format.mcafee", notices);
