/* SPDX-License-Identifier: BSD-2-Clause */
/* format_messagingserver.c - what MessagingServer bounces state (lib/decode/messagingserver.c reads
 * them), and the reasons. */
#include "rule.h"

static const struct bk_rule notices[] = {
	BK_RULE("Illegal host/domain name found", HOSTUNKNOWN),
};
BK_RULE_TABLE(bk_rules_messagingserver, "format.messagingserver", notices);
