/* SPDX-License-Identifier: BSD-2-Clause */
/* format_domino.c - what Domino bounces state (lib/decode/domino.c reads
 * them), and the reasons. */
#include "rule.h"

/* Domino's own explanations */
static const struct bk_rule notices[] = {
	BK_RULE("not listed in Domino Directory", USERUNKNOWN),
	BK_RULE("not listed in public Name & Address Book", USERUNKNOWN),
	BK_RULE("Domino ディレクトリには見つかりません", USERUNKNOWN),
	BK_RULE("Cannot route mail to user", FILTERED),
	BK_RULE("Several matches found in Domino Directory", SYSTEMERROR),
};
BK_RULE_TABLE(bk_rules_domino, "format.domino", notices);
