/* SPDX-License-Identifier: BSD-2-Clause */
/* format_exchange2003.c - the MSEXCH codes of Exchange 2003 bounces
 * (lib/decode/exchange2003.c) and what they mean, where they say it:
 * "MSEXCH:IMS:SITE:SERVER 0 (000C05A6) Unknown Recipient".  Compared
 * whole, any case. */
#include "rule.h"

static const struct bk_rule rows[] = {
	BK_RULE("000C05A6", USERUNKNOWN),	/* Unknown Recipient */
	BK_RULE("000C0595", FILTERED),		/* Ambiguous Recipient */
	BK_RULE("00010256", SYSTEMERROR),	/* Too many recipients */
	BK_RULE("000D06B5", SYSTEMERROR),	/* No proxy for recipient */
	BK_RULE("00120270", NETWORKERROR),	/* Too Many Hops */
	BK_RULE("00050311", CONTENTERROR),	/* Conversion to Internet format failed */
	BK_RULE("000502CC", CONTENTERROR),	/* Conversion to Internet format failed */
	BK_RULE("000B0981", SECURITYERROR),	/* 502 Server does not support AUTH */
};
BK_RULE_TABLE(bk_rules_exchange2003, "format.exchange2003", rows);
