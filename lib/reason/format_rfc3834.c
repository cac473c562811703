/* SPDX-License-Identifier: BSD-2-Clause */
/* format_rfc3834.c - an auto-reply (RFC 3834, lib/decode/rfc3834.c). */
#include "rule.h"

static const struct bk_rule rows[] = {
	BK_RULE("(an automatic reply)", VACATION),
};
BK_RULE_TABLE(bk_rules_rfc3834, "format.rfc3834", rows);
