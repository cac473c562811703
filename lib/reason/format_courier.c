/* SPDX-License-Identifier: BSD-2-Clause */
/* format_courier.c - what Courier bounces state (lib/decode/courier.c reads
 * them), and the reasons. */
#include "rule.h"

/* Courier's own errors (courier/module.esmtp/esmtpclient.c). */
static const struct bk_rule own_errors[] = {
	BK_RULE("No such domain.", HOSTUNKNOWN),
	BK_RULE("This domain's DNS violates RFC 1035.", SYSTEMERROR),
	BK_RULE("DNS lookup failed.", NETWORKERROR),
	/* newer esmtpclient: a null MX (RFC 7505), and an MX that is itself */
	BK_RULE("Domain does not receive mail.", NOTACCEPT),
	BK_RULE("mail loops back to myself", NETWORKERROR),
};
BK_RULE_TABLE(bk_rules_courier, "format.courier", own_errors);
