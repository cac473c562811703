/* SPDX-License-Identifier: BSD-2-Clause */
/* format_dragonfly.c - what DragonFly bounces state (lib/decode/dragonfly.c reads
 * them), and the reasons. */
#include "rule.h"

/* dma's own errors (dma.c, net.c). */
static const struct bk_rule own_errors[] = {
	BK_RULE("Could not deliver for the last ", EXPIRED),
	BK_RULE("DNS lookup failure: host ", HOSTUNKNOWN),
	/* its SMTP AUTH to the smarthost or MX failed (net.c) */
	BK_RULE("SMTP login to ", SECURITYERROR),
};
BK_RULE_TABLE(bk_rules_dragonfly, "format.dragonfly", own_errors);
