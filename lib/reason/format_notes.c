/* SPDX-License-Identifier: BSD-2-Clause */
/* format_notes.c - what Notes bounces state (lib/decode/notes.c reads
 * them), and the reasons. */
#include "rule.h"

static const struct bk_rule notices[] = {
	BK_RULE("not listed in public Name & Address Book", USERUNKNOWN),
	BK_RULE("ディレクトリのリストにありません", USERUNKNOWN),
	BK_RULE("Message has exceeded maximum hop count", NETWORKERROR),
};
BK_RULE_TABLE(bk_rules_notes, "format.notes", notices);
