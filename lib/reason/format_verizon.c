/* SPDX-License-Identifier: BSD-2-Clause */
/* format_verizon.c - what Verizon bounces state (lib/decode/verizon.c reads
 * them), and the reasons. */
#include "rule.h"

static const struct bk_rule notices[] = {
	BK_RULE("Invalid user address", USERUNKNOWN),
	BK_RULE("No valid recipients for this MM", USERUNKNOWN),
};
BK_RULE_TABLE(bk_rules_verizon, "format.verizon", notices);
