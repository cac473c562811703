/* SPDX-License-Identifier: BSD-2-Clause */
/* format_ezweb.c - EZweb's notices (lib/decode/ezweb.c), matched as
 * written; a message its filter refused carries X-SPASIGN: NG. */
#include "rule.h"

static const struct bk_rule rows[] = {
	BK_RULE("(X-SPASIGN: NG, refused by the recipient's filter)", FILTERED),
	BK_RULE("The user(s) account is temporarily over quota", MAILBOXFULL),
	BK_RULE("The user(s) account is disabled.", SUSPEND),
	BK_RULE("The user(s) account is temporarily limited.", SUSPEND),
	BK_RULE("Your message was not delivered within ", EXPIRED),
};
BK_RULE_TABLE(bk_rules_ezweb, "format.ezweb", rows);
