/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_mimecast.c - Mimecast's gateways (*.mimecast.com), in front of
 * many companies' mailboxes.
 *
 *   554 Host network not allowed -
 *   https://community.mimecast.com/docs/DOC-1369#554 [...]
 *
 * Sources: Mimecast's SMTP error codes
 * (https://community.mimecast.com/docs/DOC-1369, now in Mimecast's
 * support knowledge base as "Mimecast SMTP Error Codes"); as observed in
 * real bounces and in Sisimai's Mimecast table.  Mimecast documents each
 * text with its reply code; a row needs both.  Texts Mimecast gives for
 * its customers' own configuration ("account outbounds disabled",
 * "hostname is not authorized") name no reason: the generic rules decide.
 */
#include "provider.h"

static const char *const hosts[] = {
	"mimecast.com", "mimecast.co.za", NULL,
};

#define R(reason, reply, text) { BK_R_##reason, NULL, reply, text }

static const struct bk_prow rows[] = {
	R(AUTHFAILURE, "550", "spf sender invalid - envelope rejected"),
	R(AUTHFAILURE, "550", "dkim sender invalid - envelope rejected"),
	R(AUTHFAILURE, "550", "dmarc sender invalid - envelope rejected"),
	R(BADREPUTATION, "451", "internal resources are temporarily unavailable"),
	R(BADREPUTATION, "550", "local ct ip reputation - (reject)"),
	R(BLOCKED, "421", "sender address blocked"),
	R(BLOCKED, "451", "recipient temporarily unavailable"),
	R(BLOCKED, "451", "ip temporarily blacklisted"),
	R(MESGTOOBIG, "554", "maximum email size exceeded"),
	R(NETWORKERROR, "451 550", "the incorrect hostname used for inbounds"),
	R(NETWORKERROR, "554", "mail loop detected"),
	R(NORELAYING, "451", "open relay not allowed"),
	R(NORELAYING, "451", "open relay is not allowed"),
	R(NOTACCEPT, "451", "account inbounds disabled"),
	R(POLICYVIOLATION, "550", "anti-spoofing policy - inbound not allowed"),
	R(POLICYVIOLATION, "550", "rejected by header-based anti-spoofing policy"),
	R(POLICYVIOLATION, "550", "message bounced due to content examination policy"),
	R(POLICYVIOLATION, "554", "host network not allowed"),
	R(POLICYVIOLATION, "554", "host network, not allowed"),
	R(REJECTED, "550", "administrative prohibition envelope blocked"),
	R(REJECTED, "550", "envelope blocked - user entry"),
	R(REJECTED, "550", "envelope blocked - user domain entry"),
	R(REJECTED, "550", "rejected by header-based manually blocked senders"),
	R(REJECTED, "550", "rejected by header-based blocked senders"),
	R(REJECTED, "550", "envelope rejected - block policy for envelope from address"),
	R(SECURITYERROR, "535", "incorrect authentication data"),
	R(SECURITYERROR, "550", "submitter failed to authenticate"),
	R(SECURITYERROR, "553", "this route requires encryption (tls)"),
	R(SECURITYERROR, "553", "this route requires tls version 1.2 or greater"),
	R(SECURITYERROR, "553", "this route requires high-strength ciphers"),
	R(SECURITYERROR, "554", "configuration is invalid for this certificate"),
	R(SYSTEMERROR, "451", "unable to process connection at this time"),
	R(SYSTEMERROR, "451", "message ended early"),
	R(SYSTEMERROR, "451", "unable to process command"),
	R(SYSTEMERROR, "451", "unable to process an email at this time"),
	R(TOOMANYCONN, "451", "account service is temporarily unavailable"),
	R(TOOMANYCONN, "452", "too many recipients"),
	R(TOOMANYCONN, "550", "exceeding outbound thread limit"),
	R(USERUNKNOWN, "501", "invalid address"),
	R(USERUNKNOWN, "503", "user unknown"),
	R(USERUNKNOWN, "550", "invalid recipient"),
	R(VIRUSDETECTED, "554", "email rejected due to security policies"),
};
BK_PROW_TABLE(table, rows);

static int
mimecast_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	return in->diag.n ? bk_prows_table(in, &table) : -1;
}

const struct bk_provider bk_provider_mimecast = {
	.name = "mimecast",
	.hosts = hosts,
	.domains = NULL,
	.reason = mimecast_reason,
	.rows = rows,
	.nrows = BK_NELEM(rows),
};
