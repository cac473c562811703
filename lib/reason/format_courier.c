/* SPDX-License-Identifier: BSD-2-Clause */
/* format_courier.c - what Courier bounces state (lib/decode/courier.c reads
 * them), and the reasons. */
#include "rule.h"

/* Courier's own errors (courier/module.esmtp/esmtpclient.c). */
static const struct bk_rule own_errors[] = {
	BK_RULE("No such domain.", HOSTUNKNOWN),
	BK_RULE("This domain's DNS violates RFC 1035.", SYSTEMERROR),
	BK_RULE("DNS lookup failed.", NETWORKERROR),
};
BK_RULE_TABLE(bk_rules_courier, "format.courier", own_errors);
