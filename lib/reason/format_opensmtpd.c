/* SPDX-License-Identifier: BSD-2-Clause */
/* format_opensmtpd.c - what OpenSMTPD bounces state (lib/decode/opensmtpd.c reads
 * them), and the reasons. */
#include "rule.h"

/* What OpenSMTPD writes when no remote reply was had (smtpd/mta.c). */
static const struct bk_rule own_errors[] = {
	BK_RULE("Envelope expired", EXPIRED),
	BK_RULE("Domain does not exist", HOSTUNKNOWN),
	BK_RULE("Invalid domain name", HOSTUNKNOWN),
	/* the recipient's user lookup failed for good (mda.c): no such user,
	 * although the DSN's status is 5.1.6 */
	BK_RULE("Permanent failure in user lookup", USERUNKNOWN),
	BK_RULE("Temporary failure in MX lookup", NETWORKERROR),
	BK_RULE("Destination seem to reject all mails", NOTACCEPT),
	BK_RULE("No valid route to remote MX", NETWORKERROR),
	BK_RULE("No valid route to destination", NETWORKERROR),
	BK_RULE("No MX found for destination", NETWORKERROR),
	BK_RULE("Address family mismatch on destination MXs", NETWORKERROR),
	BK_RULE("All routes to destination blocked", NETWORKERROR),
	BK_RULE("Could not retrieve source address", NETWORKERROR),
	BK_RULE("Could not retrieve credentials", SECURITYERROR),
	BK_RULE("Loop detected", NETWORKERROR),
	/* a session that failed during a transaction (mta_session.c
	 * mta_error): the envelope is tempfailed with the error */
	BK_RULE("Connection timeout", NETWORKERROR),
	BK_RULE("Connection closed unexpectedly", NETWORKERROR),
	BK_RULE("No MX found for domain", NOTACCEPT),
	BK_RULE("Network error on destination MXs", NETWORKERROR),
};
BK_RULE_TABLE(bk_rules_opensmtpd, "format.opensmtpd", own_errors);
