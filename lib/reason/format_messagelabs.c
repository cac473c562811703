/* SPDX-License-Identifier: BSD-2-Clause */
/* format_messagelabs.c - what MessageLabs bounces state (lib/decode/messagelabs.c reads
 * them), and the reasons. */
#include "rule.h"

/* MessageLabs' own refusals and the reasons they state. */
static const struct bk_rule notices[] = {
	BK_RULE("Please turn on SMTP Authentication in your mail client", SECURITYERROR),
	BK_RULE("542 ", USERUNKNOWN),	/* "542 a@b Rejected" */
	BK_RULE("No such user", USERUNKNOWN),
};
BK_RULE_TABLE(bk_rules_messagelabs, "format.messagelabs", notices);
