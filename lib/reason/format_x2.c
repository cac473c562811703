/* SPDX-License-Identifier: BSD-2-Clause */
/* format_x2.c - what X2 bounces state (lib/decode/x2.c reads
 * them), and the reasons. */
#include "rule.h"

/* qmail-remote.c and qmail-send.c sentences, the first that occurs */
static const struct bk_rule notices[] = {
	BK_RULE("Sorry, I wasn't able to establish an SMTP connection", NETWORKERROR),
	BK_RULE("Sorry, I couldn't find any host ", HOSTUNKNOWN),
	BK_RULE("this message has been in the queue too long.", EXPIRED),
};
BK_RULE_TABLE(bk_rules_x2, "format.x2", notices);
