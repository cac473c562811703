/* SPDX-License-Identifier: BSD-2-Clause */
/* format_interscanmss.c - InterScan MSS (lib/decode/interscanmss.c):
 * "Unable to deliver message to <...>. Please check if address is
 * correct" is its unknown-recipient notice. */
#include "rule.h"

static const struct bk_rule rows[] = {
	BK_RULE("(\"Unable to deliver message to\": check the address)", USERUNKNOWN),
};
BK_RULE_TABLE(bk_rules_interscanmss, "format.interscanmss", rows);
