/* SPDX-License-Identifier: BSD-2-Clause */
/* format_gmail.c - what Gmail bounces state (lib/decode/gmail.c reads
 * them), and the reasons. */
#include "rule.h"

/* Gmail's own notices when no server replied. */
static const struct bk_rule notices[] = {
	/* the session states of Gmail's own reports ("(state 14)"), as
	 * documented in its help forums: rows BK_GMAIL_STATE + i */
	BK_RULE("(state 6: the remote server does not support TLS)", SYSTEMERROR),
	BK_RULE("(state 8: SMTP AUTH failed with the remote server)", SYSTEMERROR),
	BK_RULE("(state 9: TLS, missing certificate)", SYSTEMERROR),
	BK_RULE("(state 12: no SMTP authenticated relay)", NORELAYING),
	BK_RULE("(state 13: refused at EHLO)", BLOCKED),
	BK_RULE("(state 14: refused at RCPT)", USERUNKNOWN),
	BK_RULE("(state 15: refused at DATA)", FILTERED),
	BK_RULE("(state 17: refused at DATA)", FILTERED),
	BK_RULE("(state 18: refused at DATA)", FILTERED),
	/* Gmail's own notices when no server replied */
	BK_RULE("DNS Error: Could not contact DNS servers", EXPIRED),
	BK_RULE("Delivery to the following recipient has been delayed", EXPIRED),
	BK_RULE("The recipient server did not accept our requests to connect", EXPIRED),
	BK_RULE("DNS Error: Domain name not found", HOSTUNKNOWN),
	BK_RULE("DNS Error: DNS server returned answer with no data", HOSTUNKNOWN),
};
BK_RULE_TABLE(bk_rules_gmail, "format.gmail", notices);
