/* SPDX-License-Identifier: BSD-2-Clause */
/* format_sendgrid.c - a SendGrid bounce whose action is "expired"
 * (lib/decode/sendgrid.c). */
#include "rule.h"

static const struct bk_rule rows[] = {
	BK_RULE("(Action: expired)", EXPIRED),
};
BK_RULE_TABLE(bk_rules_sendgrid, "format.sendgrid", rows);
