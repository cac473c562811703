/* SPDX-License-Identifier: BSD-2-Clause */
/* format_biglobe.c - BIGLOBE's notices (lib/decode/biglobe.c); matched
 * as written (case counts).  BIGLOBE answers a message its filter refused
 * with "User unknown". */
#include "rule.h"

static const struct bk_rule rows[] = {
	BK_RULE("Mail Delivery Failed... User unknown", FILTERED),
	BK_RULE("The number of messages in recipient's mailbox exceeded "
		"the local limit.", MAILBOXFULL),
};
BK_RULE_TABLE(bk_rules_biglobe, "format.biglobe", rows);
