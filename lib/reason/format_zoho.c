/* SPDX-License-Identifier: BSD-2-Clause */
/* format_zoho.c - what Zoho bounces state (lib/decode/zoho.c reads
 * them), and the reasons. */
#include "rule.h"

static const struct bk_rule notices[] = {
	BK_RULE("Host not reachable", EXPIRED),
};
BK_RULE_TABLE(bk_rules_zoho, "format.zoho", notices);
