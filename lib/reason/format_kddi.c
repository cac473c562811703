/* SPDX-License-Identifier: BSD-2-Clause */
/* format_kddi.c - KDDI's notices (lib/decode/kddi.c), matched as
 * written; a message its filter refused carries X-SPASIGN: NG. */
#include "rule.h"

static const struct bk_rule rows[] = {
	BK_RULE("(X-SPASIGN: NG, refused by the recipient's filter)", FILTERED),
	BK_RULE("As their mailbox is full", MAILBOXFULL),
	BK_RULE("Due to the following SMTP relay error", NORELAYING),
	BK_RULE("As the remote domain doesnt exist", HOSTUNKNOWN),
};
BK_RULE_TABLE(bk_rules_kddi, "format.kddi", rows);
