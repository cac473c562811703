/* SPDX-License-Identifier: BSD-2-Clause */
/* format_imailserver.c - what IMailServer bounces state (lib/decode/imailserver.c reads
 * them), and the reasons. */
#include "rule.h"

static const struct bk_rule notices[] = {
	BK_RULE("Unknown host", HOSTUNKNOWN),
	BK_RULE("Unknown user", USERUNKNOWN),
	BK_RULE("Invalid final delivery userid", USERUNKNOWN),
	BK_RULE("User mailbox exceeds allowed size", MAILBOXFULL),
	BK_RULE("Requested action not taken: virus detected", VIRUSDETECTED),
	BK_RULE("Delivery failed ", EXPIRED),
};
BK_RULE_TABLE(bk_rules_imailserver, "format.imailserver", notices);
