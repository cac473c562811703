/* SPDX-License-Identifier: BSD-2-Clause */
/* format_yahoo.c - what Yahoo bounces state (lib/decode/yahoo.c reads
 * them), and the reasons. */
#include "rule.h"

/* Yahoo's own notices when no server replied. */
static const struct bk_rule notices[] = {
	BK_RULE("Unable to deliver message after multiple retries", EXPIRED),
};
BK_RULE_TABLE(bk_rules_yahoo, "format.yahoo", notices);
