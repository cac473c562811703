/* SPDX-License-Identifier: BSD-2-Clause */
/* format_googleworkspace.c - what GoogleWorkspace bounces state (lib/decode/googleworkspace.c reads
 * them), and the reasons. */
#include "rule.h"

/* Google's explanations that say what went wrong. */
static const struct bk_rule notices[] = {
	BK_RULE("because the address couldn't be found", USERUNKNOWN),
	BK_RULE("'Send mail as' feature", REJECTED),
};
BK_RULE_TABLE(bk_rules_googleworkspace, "format.googleworkspace", notices);
