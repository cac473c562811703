/* SPDX-License-Identifier: BSD-2-Clause */
/* format_barracuda.c - what Barracuda bounces state (lib/decode/barracuda.c reads
 * them), and the reasons. */
#include "rule.h"

/* Barracuda's own refusals and the reasons they state. */
static const struct bk_rule notices[] = {
	/* UBE: unsolicited bulk email, the firewall's spam verdict */
	BK_RULE("Message content rejected, UBE", SPAMDETECTED),
};
BK_RULE_TABLE(bk_rules_barracuda, "format.barracuda", notices);
