/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_google.c - Gmail and Google Workspace.
 *
 *   550-5.7.26 This mail has been blocked because the sender is
 *   550-5.7.26 unauthenticated. Gmail requires all senders to authenticate
 *   550 5.7.26 with either SPF or DKIM. ... - gsmtp
 *
 * Sources: Google's SMTP error reference
 * (https://support.google.com/a/answer/3726730), the Gmail sender
 * guidelines (https://support.google.com/mail/answer/81126), the SMTP relay
 * error messages (https://support.google.com/a/answer/6140680); as observed
 * in real bounces and in Sisimai's Google and GSuite tables.
 *
 * Google prints the reply code and the enhanced status in front of each
 * documented text, so a row needs all three.  The same text appears with a
 * temporary and a permanent code; both are listed where Google documents
 * both.  When Google's own MTA gives up on a remote domain it writes a
 * Workspace notice ("DNS Error: ... responded with code NXDOMAIN") with no
 * remote reply: those texts are the second table.
 */
#include "provider.h"

static const char *const hosts[] = {
	"google.com",		/* aspmx.l., gmail-smtp-in.l., mail-*. */
	"googlemail.com",
	NULL,
};
static const char *const domains[] = {
	"gmail.com", "googlemail.com", NULL,
};

#define R(reason, reply, status, text) { BK_R_##reason, status, reply, text }

static const struct bk_prow rows[] = {
	R(AUTHFAILURE, "451 550", "4.7.24 5.7.24", "the spf record of the sending domain"),
	R(AUTHFAILURE, "421 550", "4.7.26 5.7.26", "senders to authenticate with either spf or dkim"),
	R(AUTHFAILURE, "550", "5.7.26", "fails to pass spf checks for an spf record with a hard fail"),
	R(AUTHFAILURE, "550", "5.7.26", "has an spf record with a hard fail policy"),
	R(AUTHFAILURE, "451 550", "4.7.26 5.7.26", "is not accepted due to domain's dmarc policy"),
	R(AUTHFAILURE, "550", "5.7.1 5.7.26", "fails to pass authentication checks"),
	R(AUTHFAILURE, "421 550", "4.7.27 5.7.27", "senders to authenticate with spf"),
	R(AUTHFAILURE, "421", "4.7.27", "senders to authenticate their email with spf"),
	R(AUTHFAILURE, "421", "4.7.30", "senders to authenticate their email with dkim"),
	R(AUTHFAILURE, "421 550", "4.7.28 5.7.28 5.7.30", "senders to authenticate with dkim"),
	R(AUTHFAILURE, "421", "4.7.32", "aligned with either the authenticated spf or dkim"),

	R(BADREPUTATION, "421 550", "4.7.0 5.7.1", "very low reputation of the sending ip address"),
	R(BADREPUTATION, "421 550", "4.7.0 5.7.1", "very low reputation of the sending domain"),

	R(BLOCKED, "421", "4.7.0", "ip not in whitelist for rcpt domain"),
	R(BLOCKED, "421", "4.7.0", "try again later, closing connection."),
	R(BLOCKED, "501", "5.5.4", "empty helo/ehlo argument not allowed"),
	R(BLOCKED, "501", "5.5.4", "helo/ehlo argument is invalid"),
	R(BLOCKED, "421 550", "4.7.0 5.7.1 5.7.28", "an unusual rate of unsolicited mail"),
	R(BLOCKED, "421", "4.7.28", "an unusual rate of mail"),

	R(EXCEEDLIMIT, "552", "5.2.3", "exceeded google's message size limits"),
	R(EXCEEDLIMIT, "552", "5.3.4", "exceeds google's limit of limit attachments."),
	R(EXCEEDLIMIT, "552", "5.3.4", "exceeded google's message header size limits"),
	R(EXCEEDLIMIT, "552", "5.3.4", "bytes per individual header size"),
	R(EXCEEDLIMIT, "552", "5.3.4", "exceeds google's header name limit of"),
	R(EXCEEDLIMIT, "552", "5.3.4", "exceeds google's message header size limit"),

	R(EXPIRED, "421", "4.7.0", "connection expired"),
	R(EXPIRED, "451", "4.4.2", "timeout - closing connection"),

	R(FAILEDSTARTTLS, "530", "5.7.0", "must issue a starttls command first"),
	R(FAILEDSTARTTLS, "454", "5.5.1", "starttls may not be repeated"),
	R(FAILEDSTARTTLS, "421", "4.7.0", "tls required for rcpt domain"),
	R(FAILEDSTARTTLS, "421 550", "4.7.29 5.7.29", "senders to use tls/ssl for smtp"),

	R(MAILBOXFULL, "452", "4.2.2", "inbox is out of storage space"),
	R(MAILBOXFULL, "552", "5.2.2", "inbox is out of storage space and inactive"),
	R(MAILBOXFULL, "452 552", "4.2.2 5.2.2", "is over quota"),
	R(MAILBOXFULL, "550", "5.7.1", "email quota exceeded"),

	R(MESGTOOBIG, "552", "5.3.4", "exceeded google's message size limits"),
	R(MESGTOOBIG, "552", "5.3.4", "exceeds google's message size limit of"),

	R(NETWORKERROR, "554", "5.4.6 5.6.0", "message exceeded 50 hops"),

	R(NORELAYING, "550", "5.7.0", "mail relay denied"),
	R(NORELAYING, "550", "5.7.1", "invalid credentials for relay"),
	R(NORELAYING, "550", "5.7.1", "is not authorized to send email directly to our servers"),

	R(NOTCOMPLIANTRFC, "550", "5.7.1", "missing a valid address in the from: header"),
	R(NOTCOMPLIANTRFC, "550", "5.7.1", "multiple addresses in from: header are not accepted"),
	R(NOTCOMPLIANTRFC, "550", "5.7.1", "is not rfc 5322 compliant"),
	R(NOTCOMPLIANTRFC, "550", "5.7.1", "missing a valid message-id: header"),
	R(NOTCOMPLIANTRFC, "550", "5.7.1", "contains a unicode character in a disallowed header"),
	R(NOTCOMPLIANTRFC, "550", "5.7.1", "encoded-word syntax is not permitted"),
	R(NOTCOMPLIANTRFC, "553", "5.1.7", "is not a valid rfc 5321 address"),
	R(NOTCOMPLIANTRFC, "554", "5.6.0", "mail message is malformed"),

	R(POLICYVIOLATION, "552", "5.7.0", "illegal attachment on your message"),
	R(POLICYVIOLATION, "552", "5.7.0", "blocked because its content presents a potential security issue"),
	R(POLICYVIOLATION, "550", "5.7.1", "you are sending to (or from) has a policy that prohibited"),
	R(POLICYVIOLATION, "421", "4.7.28", "sending messages with the same message-id:"),

	R(REJECTED, "550", "5.7.0", "mail sending denied"),
	R(REJECTED, "550", "5.7.1", "unauthenticated email is not accepted"),

	R(REQUIREPTR, "421 550", "4.7.0 5.7.25", "does not have a ptr record"),
	R(REQUIREPTR, "421", "4.7.23", " have a ptr record, or the ptr record"),
	R(REQUIREPTR, "550", "5.7.1", "does not meet ipv6 sending guidelines regarding ptr records and authentication"),
	R(REQUIREPTR, "550", "5.7.25", "does not match the ip address of the hostname"),

	R(SECURITYERROR, "454", "4.7.0", "too many login attempts"),
	R(SECURITYERROR, "501", "5.5.2", "cannot decode response"),
	R(SECURITYERROR, "503", "5.7.0", "no identity changes permitted"),
	R(SECURITYERROR, "530", "5.5.1 5.7.0", "authentication required."),
	R(SECURITYERROR, "535", "5.7.1 5.7.9", "application-specific password required"),
	R(SECURITYERROR, "534 535", "5.7.1 5.7.9", "please log in with your web browser"),
	R(SECURITYERROR, "534", "5.7.14", "please log in through your web browser"),
	R(SECURITYERROR, "535", "5.7.1 5.7.8", "username and password not accepted"),

	R(SPAMDETECTED, "421", "4.7.0", "due to the nature of the content or the links within"),
	R(SPAMDETECTED, "550", "5.7.1", "likely unsolicited mail"),

	R(SPEEDING, "450", "4.2.1", "is receiving mail too quickly"),
	R(SPEEDING, "450", "4.2.1", "peak smtp relay limit exceeded for customer"),
	R(SPEEDING, "450 550", "4.2.1 5.2.1", "rate that prevents additional messages from being delivered"),
	R(SPEEDING, "550", "5.4.5", "daily sending quota exceeded"),
	R(SPEEDING, "550", "5.4.5", "daily user sending limit exceeded"),
	R(SPEEDING, "550", "5.4.5 5.7.1", "daily smtp relay limit exceeded for"),
	R(SPEEDING, "550", "5.7.1", "daily smtp relay sending limit exceeded for"),
	R(SPEEDING, "550", "5.7.1", "this mail has been rate limited"),

	R(SUSPEND, "550", "5.2.1", "account that you tried to reach is disabled"),
	R(SUSPEND, "550", "5.2.1", "account that you tried to reach is inactive"),

	R(SYNTAXERROR, "451 454", "4.5.0", "smtp protocol violation"),
	R(SYNTAXERROR, "525", "5.7.10", "smtp protocol violation"),
	R(SYNTAXERROR, "535", "5.5.4", "optional argument not permitted"),
	R(SYNTAXERROR, "501", "5.5.2 5.7.11", "syntax error"),
	R(SYNTAXERROR, "555", "5.5.2", "syntax error"),
	R(SYNTAXERROR, "502", "5.5.1", "too many unrecognized commands, goodbye"),
	R(SYNTAXERROR, "502", "5.5.1", "unimplemented command"),
	R(SYNTAXERROR, "502", "5.5.1", "unrecognized command"),
	R(SYNTAXERROR, "503", "5.5.1", "bad sequence of commands"),
	R(SYNTAXERROR, "503", "5.5.1", "ehlo/helo first"),
	R(SYNTAXERROR, "503", "5.5.1", "mail first"),
	R(SYNTAXERROR, "503", "5.5.1", "rcpt first"),
	R(SYNTAXERROR, "503", "5.5.1", "no data after bdat"),
	R(SYNTAXERROR, "504", "5.7.4", "unrecognized authentication type"),
	R(SYNTAXERROR, "504", "5.7.4", "xoauth is no longer supported"),
	R(SYNTAXERROR, "554", "5.7.0", "too many unauthenticated commands"),

	R(SYSTEMERROR, "421", "4.3.0 4.7.0", "temporary system problem"),
	R(SYSTEMERROR, "421", "4.4.5", "server busy"),
	R(SYSTEMERROR, "451", "4.3.0", "multiple destination domains per transaction is unsupported"),
	R(SYSTEMERROR, "451", "4.3.0", "mail server has temporarily rejected this message"),
	R(SYSTEMERROR, "451", "4.3.0", "mail server temporarily rejected message"),
	R(SYSTEMERROR, "452", "4.5.3", "domain policy size per transaction exceeded"),
	R(SYSTEMERROR, "454", "4.7.0", "cannot authenticate due to temporary system problem"),

	R(TOOMANYCONN, "452", "4.5.3", "your message has too many recipients"),
	R(TOOMANYCONN, "550", "5.5.3", "too many recipients for this sender"),

	R(USERUNKNOWN, "550", "5.1.1", "the email account that you tried to reach does not exist"),
	R(USERUNKNOWN, "553", "5.1.2", "we weren't able to find the recipient domain"),
	R(USERUNKNOWN, "553", "5.1.3", "is not a valid rfc 5321 address"),
};
BK_PROW_TABLE(table, rows);

/* Google Workspace's own delivery notices (no remote reply). */
static const struct bk_text_rule notices[] = {
	{ BK_R_NOTACCEPT, "null mx" },
	{ BK_R_USERUNKNOWN, "because the address couldn't be found. check "
			    "for typos or unnecessary spaces and try again." },
};

/* "DNS Error: ... responded with code NXDOMAIN Domain name not found":
 * the domain does not exist when the failure is permanent, a DNS failure
 * on the way when it is temporary or when nothing says which. */
static int
dns_error(const struct bk_classify_in *in)
{
	struct bk_sv t = in->diag;
	char st = in->status.n ? in->status.p[0] : 0;
	char rc = in->replycode.n ? in->replycode.p[0] : 0;
	if (!bk_sv_icontains(t, BK_SV("responded with code nxdomain")) &&
	    !bk_sv_icontains(t, BK_SV("domain name not found")) &&
	    !bk_sv_icontains(t, BK_SV(" had no relevant answers.")))
		return -1;
	if (st == '5' && rc == '5' &&
	    !bk_sv_icontains(t, BK_SV(" had no relevant answers.")))
		return BK_R_HOSTUNKNOWN;
	return st == '5' || rc == '5' ? -1 : BK_R_NETWORKERROR;
}

static int
google_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	if (!in->diag.n)
		return -1;
	int r = bk_prows_table(in, &table);
	if (r < 0)
		r = bk_text_rules(in->diag, notices, BK_NELEM(notices));
	return r >= 0 ? r : dns_error(in);
}

const struct bk_provider bk_provider_google = {
	.name = "google",
	.hosts = hosts,
	.domains = domains,
	.reason = google_reason,
	.rows = rows,
	.nrows = BK_NELEM(rows),
	.texts = notices,
	.ntexts = BK_NELEM(notices),
};
