/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_cox.c - Cox Communications (cox.net), whose inbound MXs are
 * run by Cloudmark (cxr.mx.a.cloudfilter.net).
 *
 *   550 5.1.0 <sender@example.com> sender rejected. Refer to Error Codes
 *   section at https://www.cox.com/residential/support/email-error-codes.html
 *   for more information. AUP#CDRBL
 *
 * Sources: Cox's email error codes
 * (https://www.cox.com/residential/support/email-error-codes.html); as
 * observed in real bounces and in Sisimai's Cox table.  The AUP# code
 * decides; the texts are for replies without one.
 */
#include "provider.h"

static const char *const hosts[] = {
	"cox.net", NULL,
};
static const char *const domains[] = {
	"cox.net", NULL,
};

static const struct bk_code_rule codes[] = {
	{ "CXBL", BK_R_BLOCKED },	/* IP blocked for spam-like behaviour */
	{ "CXDNS", BK_R_REQUIREPTR },	/* reverse DNS of the IP fails */
	{ "CXSNDR", BK_R_AUTHFAILURE },	/* SPF, DomainKeys or DKIM failed */
	{ "CXSMTP", BK_R_REJECTED },	/* SMTP violation: sender not verified */
	{ "CXCNCT", BK_R_TOOMANYCONN },	/* concurrent connections per IP */
	{ "CXMXRT", BK_R_TOOMANYCONN },	/* too many recipients, must wait */
	{ "CDRBL", BK_R_BLOCKED },	/* IP temporarily blocked */
	{ "CXTHRT", BK_R_SECURITYERROR },	/* suspicious account activity */
	{ "CXMJ", BK_R_SECURITYERROR },
	/* the IP is on DNS block lists: one bit per list */
	{ "IPBL0001", BK_R_BLOCKED }, { "IPBL0010", BK_R_BLOCKED },
	{ "IPBL0011", BK_R_BLOCKED }, { "IPBL0100", BK_R_BLOCKED },
	{ "IPBL0101", BK_R_BLOCKED }, { "IPBL0110", BK_R_BLOCKED },
	{ "IPBL0111", BK_R_BLOCKED }, { "IPBL1000", BK_R_BLOCKED },
	{ "IPBL1001", BK_R_BLOCKED }, { "IPBL1010", BK_R_BLOCKED },
	{ "IPBL1011", BK_R_BLOCKED }, { "IPBL1100", BK_R_BLOCKED },
	{ "IPBL1101", BK_R_BLOCKED }, { "IPBL1110", BK_R_BLOCKED },
	{ "IPBL1111", BK_R_BLOCKED }, { "IPBL00001", BK_R_BLOCKED },
	/* a URL in the body is on URI block lists */
	{ "URLBL011", BK_R_SPAMDETECTED }, { "URLBL101", BK_R_SPAMDETECTED },
	{ "URLBL110", BK_R_SPAMDETECTED }, { "URLBL1001", BK_R_SPAMDETECTED },
};

static const struct bk_text_rule texts[] = {
	{ BK_R_BLOCKED, "cox too many bad commands from" },
	{ BK_R_BLOCKED, "too many invalid recipients" },
	{ BK_R_REQUIREPTR, "dns check failure - try again later" },
	{ BK_R_REQUIREPTR, "rejected - no rdns" },
	{ BK_R_POLICYVIOLATION, "esmtp no data before greeting" },
	{ BK_R_POLICYVIOLATION, "attachment extension is forbidden" },
	{ BK_R_REJECTED, "sender rejected" },
	{ BK_R_SYSTEMERROR, "esmtp server temporarily not available" },
	{ BK_R_TOOMANYCONN, "too many sessions from" },
	{ BK_R_TOOMANYCONN, "requested action aborted: try again later" },
	{ BK_R_TOOMANYCONN, "message threshold exceeded" },
	{ BK_R_USERUNKNOWN, "recipient rejected" },
};

/* The code after "AUP#": upper-case letters and digits. */
static struct bk_sv
aup_code(struct bk_sv t)
{
	struct bk_sv c = bk_sv_iafter(t, BK_SV("AUP#"));
	size_t n = 0;
	while (n < c.n && (bk_is_digit((unsigned char)c.p[n]) ||
			   (c.p[n] >= 'A' && c.p[n] <= 'Z')))
		n++;
	return bk_sv_make(c.p, n);
}

static int
cox_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	int r = bk_code_rules(aup_code(in->diag), codes, BK_NELEM(codes));
	return r >= 0 ? r : bk_text_rules(in->diag, texts, BK_NELEM(texts));
}

const struct bk_provider bk_provider_cox = {
	.name = "cox",
	.hosts = hosts,
	.domains = domains,
	.reason = cox_reason,
	.texts = texts,
	.ntexts = BK_NELEM(texts),
};
