/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_microsoft.c - Exchange Online (Microsoft 365), Exchange Server
 * and Outlook.com / Hotmail.
 *
 *   550 5.7.606 Access denied, banned sending IP [192.0.2.25]. To request
 *   removal from this list please visit https://sender.office.com/ ...
 *
 * Sources: Microsoft's Exchange Online NDR reference
 * (https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online),
 * Exchange Server NDRs
 * (https://learn.microsoft.com/en-us/exchange/mail-flow/non-delivery-reports-and-bounce-messages/non-delivery-reports-and-bounce-messages),
 * the Outlook.com postmaster pages (https://postmaster.live.com); as
 * observed in real bounces and in Sisimai's Microsoft and Outlook tables.
 *
 * Exchange documents each enhanced status with its text; a row needs both.
 * The 5.7.5xx-7xx families are ranges ("5.7.606-649").  Outlook.com's
 * older MTAs print texts without an enhanced status: the last rows.
 *
 * The table also decides every record the Office 365 decoder reads
 * (decoders[] below), whatever host answered.
 */
#include "provider.h"

static const char *const hosts[] = {
	"outlook.com",		/* *.prod., *.protection.outlook.com */
	"office365.com", "onmicrosoft.com", "exchangelabs.com", "hotmail.com",
	NULL,
};
static const char *const domains[] = {
	"outlook.com", "hotmail.com", "live.com", "msn.com", "onmicrosoft.com",
	NULL,
};

#define R(reason, status, text) { BK_R_##reason, status, NULL, text }

static const struct bk_prow rows[] = {
	R(AUTHFAILURE, "4.7.26", "must pass either spf or dkim validation, this message is not signed"),
	R(AUTHFAILURE, "x.7.323", "tlsa-invalid: the domain failed dane validation"),
	R(AUTHFAILURE, "x.7.324", "dnssec-invalid: destination domain returned invalid dnssec records"),
	R(AUTHFAILURE, "x.7.325", "certificate-host-mismatch: remote certificate must have a common name or subject alternative name matching the hostname (dane)"),
	R(AUTHFAILURE, "5.7.23", "the message was rejected because of sender policy framework violation"),
	R(AUTHFAILURE, "5.7.322", "certificate-expired: destination mail server's certificate is expired"),
	R(AUTHFAILURE, "5.7.509", "does not pass dmarc verification"),

	R(BADREPUTATION, "4.7.650", "has been temporarily rate limited due to ip reputation"),

	R(BLOCKED, "4.4.2", "connection dropped"),
	R(BLOCKED, "4.7.500-699 4.7.850-899", "access denied, please try again later"),
	R(BLOCKED, "5.7.25", "must have a reverse dns record"),
	R(BLOCKED, "5.7.506", "access denied, bad helo"),
	R(BLOCKED, "5.7.507", "access denied, rejected by recipient"),
	R(BLOCKED, "5.7.510", "does not accept email over ipv6"),
	R(BLOCKED, "5.7.511", "access denied, banned sender"),
	R(BLOCKED, "5.7.513", "using customer block list"),
	R(BLOCKED, "5.7.606-649", "access denied, banned sending ip "),
	R(BLOCKED, "5.5.4", "invalid domain name"),
	R(BLOCKED, "5.7.51", "restrictdomainstoipaddresses or restrictdomainstocertificate"),
	R(BLOCKED, "5.7.1", "part of their network is on our block list (s3150)"),

	R(CONTENTERROR, "5.3.0", "too many related errors"),
	R(CONTENTERROR, "5.6.11", "invalid characters"),
	R(CONTENTERROR, "5.4.11", "agent generated message depth exceeded"),
	R(CONTENTERROR, "5.5.6", "invalid message content"),

	R(EXCEEDLIMIT, "5.2.3", "resolver.rst.recipsizelimit; message too large for this recipient"),

	R(EXPIRED, "4.4.1", "connection timed out"),
	R(EXPIRED, "4.4.7", "message delayed"),
	R(EXPIRED, "4.4.7 5.4.300", "message expired"),

	R(MAILBOXFULL, "5.2.2", "mailbox full"),

	R(MESGTOOBIG, "5.3.4", "message size exceeds fixed maximum message size"),
	R(MESGTOOBIG, "5.3.4", "message too big for system"),

	R(NETWORKERROR, "5.4.4", "smtpsend.dns.nonexistentdomain; nonexistent domain"),
	R(NETWORKERROR, "5.4.4", "invalid arguments"),
	R(NETWORKERROR, "5.4.6", "hop count exceeded - possible mail loop"),
	R(NETWORKERROR, "5.4.6 5.4.14", "routing loop detected"),
	R(NETWORKERROR, "4.4.316", "connection refused"),

	/* "550 5.7.1 Client was not authenticated": anonymous relaying */
	R(NORELAYING, "5.7.1", "unable to relay"),
	R(NORELAYING, "5.7.1", "client was not authenticated"),
	R(NORELAYING, "5.4.1", "relay access denied"),
	R(NORELAYING, "5.7.64", "tenantattribution; relay access denied"),
	R(NORELAYING, "5.4.310", "does not exist"),

	R(NOTACCEPT, "4.3.2", "system not accepting network messages"),
	R(NOTACCEPT, "5.3.2", "storedrv.deliver: missing or bad storedriver mdb properties"),

	R(POLICYVIOLATION, "5.0.350", "x-dg-ref header is too long"),
	R(POLICYVIOLATION, "5.0.350", "requested action not taken: policy violation detected (as345)"),
	R(POLICYVIOLATION, "5.7.900-999", "delivery not authorized, message refused"),

	R(REJECTED, "5.1.7", "invalid address"),
	R(REJECTED, "5.1.7", "unknown sender address"),
	R(REJECTED, "5.1.0", "sender denied"),
	R(REJECTED, "5.1.8", "access denied, bad outbound sender"),
	R(REJECTED, "5.7.1", "delivery not authorized"),
	R(REJECTED, "5.7.12", "sender was not authenticated by organization"),
	R(REJECTED, "5.7.124", "sender not in allowed-senders list"),
	R(REJECTED, "5.7.133", "sender not authenticated for group"),
	R(REJECTED, "5.7.134", "sender was not authenticated for mailbox"),
	R(REJECTED, "5.7.13 5.7.135", "sender was not authenticated for public folder"),
	R(REJECTED, "5.7.136", "sender was not authenticated"),
	R(REJECTED, "5.7.501-503", "access denied, spam abuse detected"),
	R(REJECTED, "5.7.501-503", "access denied, banned sender"),
	R(REJECTED, "5.7.512", "access denied, message must be rfc 5322 section 3.6.2 compliant"),
	R(REJECTED, "5.7.750", "service unavailable. client blocked from sending from unregistered domains"),

	R(SECURITYERROR, "5.7.3", "cannot achieve exchange server authentication"),
	R(SECURITYERROR, "5.7.3", "not authorized"),
	R(SECURITYERROR, "x.4.317", "starttls is required to send mail"),
	R(SECURITYERROR, "x.7.321", "starttls-not-supported: destination mail server must support tls to receive mail"),
	R(SECURITYERROR, "5.7.57", "client was not authenticated to send anonymous mail during mail from"),

	R(SPAMDETECTED, "5.2.1", "content filter agent quarantined this message"),

	R(SPEEDING, "4.3.2", "storedrv.deliver; recipient thread limit exceeded"),
	R(SPEEDING, "5.1.90", "you've reached your daily limit for message recipients"),
	R(SPEEDING, "5.2.2", "submission quota exceeded"),
	R(SPEEDING, "5.2.121", "recipient's per hour message receive limit from specific sender exceeded"),
	R(SPEEDING, "5.2.122", "recipient's per hour message receive limit exceeded"),
	R(SPEEDING, "5.7.508", "has exceeded permitted limits within"),
	R(SPEEDING, "5.7.700-749", "access denied, tenant has exceeded threshold"),
	R(SPEEDING, "5.7.700-749", "access denied, traffic not accepted from this ip"),

	R(SUSPEND, "5.7.504", "recipient address rejected: access denied"),
	R(SUSPEND, "5.7.505", "access denied, banned recipient"),
	R(SUSPEND, "5.2.1", "mailbox cannot be accessed"),

	R(SYNTAXERROR, "5.3.3", "unrecognized command"),
	R(SYNTAXERROR, "5.5.2", "send hello first"),

	R(SYSTEMERROR, "4.3.2", "service not available"),
	R(SYSTEMERROR, "4.3.2", "service not active"),
	R(SYSTEMERROR, "5.3.5", "system incorrectly configured"),
	R(SYSTEMERROR, "5.3.190", "journaling on-premises messages to microsoft 365 or office 365 not supported when journaling archive is disabled"),
	R(SYSTEMERROR, "5.0.0", "helo / ehlo requires domain address"),
	R(SYSTEMERROR, "5.1.4", "destination mailbox address ambiguous"),
	R(SYSTEMERROR, "5.2.4", "mailing list expansion problem"),
	R(SYSTEMERROR, "5.2.14", "misconfigured forwarding address"),
	R(SYSTEMERROR, "4.4.3", "temporary server error. please try again later attr18"),
	R(SYSTEMERROR, "4.7.0", "temporary server error. please try again later. prx4 nexthop:"),
	R(SYSTEMERROR, "4.4.24", "message failed to be replicated: insufficient system resource:"),
	R(SYSTEMERROR, "4.4.25", "message failed to be replicated: no healthy secondary server available"),
	R(SYSTEMERROR, "4.4.28", "message failed to be replicated: the operation was canceled"),
	R(SYSTEMERROR, "x.4.318", "(suspiciousremoteservererror)"),
	R(SYSTEMERROR, "4.7.500", "server busy. please try again later from "),
	R(SYSTEMERROR, "4.7.700", "pfa agent busy, please try again."),

	R(SYSTEMFULL, "4.3.1", "insufficient system resources"),

	R(TOOMANYCONN, "4.5.3 5.5.3", "too many recipients"),
	R(TOOMANYCONN, "5.2.122", "the recipient has exceeded their limit for"),

	R(USERUNKNOWN, "5.1.1", "resolver.adr.exrecipnotfound; not found"),
	R(USERUNKNOWN, "5.1.1", "user unknown"),
	R(USERUNKNOWN, "5.1.1", "bad destination mailbox address"),
	R(USERUNKNOWN, "5.1.3", "storedrv.submit; invalid recipient address"),
	R(USERUNKNOWN, "5.1.4-5", "recipient address reserved by rfc 2606"),
	R(USERUNKNOWN, "5.1.6", "recipient addresses in single label domains not accepted"),
	R(USERUNKNOWN, "5.1.10", "recipient not found"),
	R(USERUNKNOWN, "5.4.1", "recipient address rejected: access denied"),
	R(USERUNKNOWN, "5.5.0", "requested action not taken: mailbox unavailable"),
	R(USERUNKNOWN, "5.1.2", "invalid x.400 address"),

	/* Outlook.com / Hotmail MTAs, with or without a status */
	R(HOSTUNKNOWN, NULL, "the mail could not be delivered to the recipient because the domain is not reachable"),
	R(USERUNKNOWN, NULL, "requested action not taken: mailbox unavailable"),

	/* Exchange Online's enhanced status codes by themselves, whatever the
	 * text (they were the Office 365 decoder's own table: one table now,
	 * whichever path reads a Microsoft reply).  A row above, code and
	 * documented text together, wins over these; where the two named
	 * different reasons for one code (5.7.23, 5.7.25, 5.7.501-505,
	 * 5.7.510, 5.7.700-749) the documented text decides when it is
	 * there, the code alone otherwise. */
	R(EXPIRED, "4.4.7", NULL),
	R(NETWORKERROR, "4.4.312", NULL),
	R(EXPIRED, "4.4.316", NULL),
	R(AUTHFAILURE, "4.7.26", NULL),
	R(BLOCKED, "4.7.500-699", NULL),
	R(BLOCKED, "4.7.850-899", NULL),
	R(CONTENTERROR, "5.0.350", NULL),
	R(USERUNKNOWN, "5.1.10", NULL),
	R(NORELAYING, "5.4.1", NULL),
	R(NETWORKERROR, "5.4.6", NULL),
	R(NETWORKERROR, "5.4.312", NULL),
	R(EXPIRED, "5.4.316", NULL),
	R(CONTENTERROR, "5.6.11", NULL),
	R(REJECTED, "5.7.1", NULL),
	R(REJECTED, "5.7.12-13", NULL),
	R(BLOCKED, "5.7.23", NULL),
	R(NETWORKERROR, "5.7.25", NULL),
	R(SECURITYERROR, "5.7.57", NULL),
	R(REJECTED, "5.7.124", NULL),
	R(REJECTED, "5.7.133-136", NULL),
	R(SPAMDETECTED, "5.7.501-503", NULL),
	R(FILTERED, "5.7.504-505", NULL),
	R(BLOCKED, "5.7.506-507", NULL),
	/* settled: speeding, as the text row above.  Microsoft documents
	 * 5.7.508 "Access denied, [$SenderIPAddress] has exceeded permitted
	 * limits within $range range" as a sender's IPv6 range that "has
	 * attempted to send too many messages in too short a time period"
	 * (Email non-delivery reports and SMTP errors in Exchange Online,
	 * learn.microsoft.com/en-us/troubleshoot/exchange/email-delivery/ndr/
	 * non-delivery-reports-in-exchange-online): a rate limit, not a
	 * count of connections.  The Office 365 decoder's own table said
	 * toomanyconn. */
	R(SPEEDING, "5.7.508", NULL),
	R(AUTHFAILURE, "5.7.509", NULL),
	R(NOTACCEPT, "5.7.510", NULL),
	R(REJECTED, "5.7.511", NULL),
	R(POLICYVIOLATION, "5.7.512", NULL),
	R(BLOCKED, "5.7.606-649", NULL),
	R(TOOMANYCONN, "5.7.700-749", NULL),
};
BK_PROW_TABLE(table, rows);

static const char *const decoders[] = { "Office365", NULL };

static int
microsoft_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	return in->diag.n ? bk_prows_table(in, &table) : -1;
}

const struct bk_provider bk_provider_microsoft = {
	.name = "microsoft",
	.hosts = hosts,
	.domains = domains,
	.decoders = decoders,
	.reason = microsoft_reason,
	.rows = rows,
	.nrows = BK_NELEM(rows),
};
