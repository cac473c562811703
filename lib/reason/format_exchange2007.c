/* SPDX-License-Identifier: BSD-2-Clause */
/* format_exchange2007.c - Exchange's error names
 * ("#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##",
 * lib/decode/exchange2007.c) and the reasons they state; matched as
 * written. */
#include "rule.h"

static const struct bk_rule rows[] = {
	BK_RULE("SMTPSEND.DNS.NonExistentDomain", HOSTUNKNOWN),
	BK_RULE("SMTPSEND.DNS.MxLoopback", NETWORKERROR),
	BK_RULE("RESOLVER.ADR.BadPrimary", SYSTEMERROR),
	BK_RULE("RESOLVER.ADR.RecipNotFound", USERUNKNOWN),
	BK_RULE("RESOLVER.ADR.RecipientNotFound", USERUNKNOWN),
	BK_RULE("RESOLVER.ADR.ExRecipNotFound", USERUNKNOWN),
	BK_RULE("RESOLVER.ADR.RecipLimit", TOOMANYCONN),
	BK_RULE("RESOLVER.ADR.InvalidInSmtp", SYSTEMERROR),
	BK_RULE("RESOLVER.ADR.Ambiguous", SYSTEMERROR),
	BK_RULE("RESOLVER.RST.AuthRequired", SECURITYERROR),
	BK_RULE("RESOLVER.RST.NotAuthorized", REJECTED),
	BK_RULE("RESOLVER.RST.RecipSizeLimit", MESGTOOBIG),
	BK_RULE("QUEUE.Expired", EXPIRED),
};
BK_RULE_TABLE(bk_rules_exchange2007, "format.exchange2007", rows);
