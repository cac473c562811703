/* SPDX-License-Identifier: BSD-2-Clause */
/* format_googlegroups.c - a Google Groups refusal
 * (lib/decode/googlegroups.c): the group would not take the sender's
 * message. */
#include "rule.h"

static const struct bk_rule rows[] = {
	BK_RULE("(a Google Groups refusal of the sender)", REJECTED),
};
BK_RULE_TABLE(bk_rules_googlegroups, "format.googlegroups", rows);
