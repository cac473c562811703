/* SPDX-License-Identifier: BSD-2-Clause */
/* format_opensmtpd.c - what OpenSMTPD bounces state (lib/decode/opensmtpd.c reads
 * them), and the reasons. */
#include "rule.h"

/* What OpenSMTPD writes when no remote reply was had (smtpd/mta.c). */
static const struct bk_rule own_errors[] = {
	BK_RULE("Envelope expired", EXPIRED),
	BK_RULE("Domain does not exist", HOSTUNKNOWN),
	BK_RULE("No MX found for domain", NOTACCEPT),
	BK_RULE("Network error on destination MXs", NETWORKERROR),
};
BK_RULE_TABLE(bk_rules_opensmtpd, "format.opensmtpd", own_errors);
