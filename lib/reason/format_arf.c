/* SPDX-License-Identifier: BSD-2-Clause */
/* format_arf.c - what a feedback report states (lib/decode/arf.c): it is
 * a complaint, whatever it says. */
#include "rule.h"

static const struct bk_rule rows[] = {
	BK_RULE("(a feedback report: RFC 5965, JMRP, Apple Mail's unsubscribe)", FEEDBACK),
};
BK_RULE_TABLE(bk_rules_arf, "format.arf", rows);
