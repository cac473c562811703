/* SPDX-License-Identifier: BSD-2-Clause */
/* phrases_en.c - English phrases per reason.
 *
 * Sources (facts only, no code taken): the phrase lists ("index" strings and
 * the ordered "pairs") of Sisimai, the BSD-2-Clause bounce decoder by
 * azumakuniyuki and the sisimai development team:
 *   - Perl Sisimai 5.1/5.2: lib/Sisimai/Reason/<Name>.pm, match() lists;
 *   - go-sisimai (v5 line, 2024-2026): reason/why-<name>.go, IncludedIn
 *     lists; newer names emailtoolarge = our mesgtoobig, ratelimited = our
 *     speeding (lib/Sisimai/Reason/EmailTooLarge.pm, RateLimited.pm).
 * Where the Perl and Go lists differ this table holds the union; rows only in
 * one of them are marked "[go]" or "[perl]".
 * Later rows (blocklists, Exim's own texts) also take their wording from
 * real replies: those ZoneMTA quotes over the rules of its
 * config/bounces.txt, and bounces met in the evaluation (docs/classifier.md).
 * Status codes: RFC 3463 / RFC 5248; reply codes: RFC 5321.
 *
 * A row with several pieces: the pieces occur in this order, each one after
 * the end of the previous one (Sisimai's "aligned" check).  Exact spacing
 * of every piece matters.  Non-English strings that Sisimai keeps in these
 * lists are kept here too for now, marked with their language.
 */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	/* ---- authfailure ---- */
	BK_PH(AUTHFAILURE, "//spf.pobox.com"),
	BK_PH(AUTHFAILURE, "bad spf records for"),
	BK_PH(AUTHFAILURE, "dmarc policy"),
	BK_PH(AUTHFAILURE, "does not pass domainkeys"),
	BK_PH(AUTHFAILURE, "doesn't meet the required authentication level"),	/* [go] */
	BK_PH(AUTHFAILURE, "please inspect your spf settings"),
	BK_PH(AUTHFAILURE, "sender policy framework (spf) fail"),
	BK_PH(AUTHFAILURE, "sender policy framework violation"),
	BK_PH(AUTHFAILURE, "spf (sender policy framework) domain authentication fail"),
	BK_PH(AUTHFAILURE, "spf check: fail"),
	/* Not active: go has "the 5322.From address doesn't meet the
	 * authentication requirements defined for the sender" with a capital F,
	 * so it never matches the lower-cased text there; Perl lacks it.
	 * BK_PH(AUTHFAILURE, "the 5322.from address doesn't meet the authentication requirements defined for the sender"),
	 */
	BK_PH(AUTHFAILURE, " is not allowed to send mail.", "_401"),
	BK_PH(AUTHFAILURE, "is not allowed to send from <", " per it's spf record"),

	/* ---- badreputation ---- */
	BK_PH(BADREPUTATION, "a poor email reputation score"),
	BK_PH(BADREPUTATION, "has been temporarily rate limited due to ip reputation"),
	BK_PH(BADREPUTATION, "ip/domain reputation problems"),
	BK_PH(BADREPUTATION, "likely suspicious due to the very low reputation"),
	BK_PH(BADREPUTATION, "none/bad reputation"),	/* [go] t-online.de */
	/* Left out: "temporarily deferred due to unexpected volume or user
	 * complaints" (go lists it here too, Yahoo); Perl 5.2 has it only under
	 * blocked, and go probes badreputation before blocked. */
	BK_PH(BADREPUTATION, "the sending mta's poor reputation"),
	BK_PH(BADREPUTATION, "poor reputation sender"),	/* Mimecast */
	BK_PH(BADREPUTATION, "address has a bad reputation"),
	BK_PH(BADREPUTATION, "rate limited due to ip reputation"),

	/* ---- blocked ---- */
	BK_PH(BLOCKED, " said: 550 blocked"),
	BK_PH(BLOCKED, "//www.spamcop.net/bl."),
	BK_PH(BLOCKED, "bad sender ip address"),
	BK_PH(BLOCKED, "banned sending ip"),
	BK_PH(BLOCKED, "blacklisted by"),
	BK_PH(BLOCKED, "blocked using "),
	BK_PH(BLOCKED, "blocked - see http"),
	BK_PH(BLOCKED, "dnsbl:attrbl"),
	BK_PH(BLOCKED, "client host rejected: abus detecte gu_eib_02"),	/* SFR, French "abus détecté" */
	BK_PH(BLOCKED, "client host rejected: abus detecte gu_eib_04"),	/* SFR, French */
	BK_PH(BLOCKED, "client host rejected: may not be mail exchanger"),
	BK_PH(BLOCKED, "client host rejected: was not authenticated"),
	BK_PH(BLOCKED, "confirm this mail server"),
	BK_PH(BLOCKED, "connection dropped"),
	BK_PH(BLOCKED, "connection refused by"),
	BK_PH(BLOCKED, "connection reset by peer"),
	BK_PH(BLOCKED, "connection was dropped by remote host"),
	BK_PH(BLOCKED, "connections not accepted from ip addresses on spamhaus xbl"),
	BK_PH(BLOCKED, "currently sending spam see: "),
	BK_PH(BLOCKED, "domain does not exist:"),
	BK_PH(BLOCKED, "dynamic/zombied/spam ips blocked"),
	BK_PH(BLOCKED, "error: no valid recipients from "),
	BK_PH(BLOCKED, "esmtp not accepting connections"),
	BK_PH(BLOCKED, "extreme bad ip profile"),
	BK_PH(BLOCKED, "go away"),
	BK_PH(BLOCKED, "helo command rejected:"),
	BK_PH(BLOCKED, "host network not allowed"),
	BK_PH(BLOCKED, "hosts with dynamic ip"),
	BK_PH(BLOCKED, "invalid ip for sending mail of domain"),
	BK_PH(BLOCKED, "is in a black list"),
	BK_PH(BLOCKED, "is not allowed to send mail from"),
	BK_PH(BLOCKED, "mailfrom domain is listed in spamhaus"),	/* [go] */
	BK_PH(BLOCKED, "no access from mail server"),
	BK_PH(BLOCKED, "no matches to nameserver query"),
	BK_PH(BLOCKED, "not currently accepting mail from your ip"),
	BK_PH(BLOCKED, "part of their network is on our block list"),
	BK_PH(BLOCKED, "please use the smtp server of your isp"),
	BK_PH(BLOCKED, "refused - see http"),
	BK_PH(BLOCKED, "rejected - multi-blacklist"),
	BK_PH(BLOCKED, "rejected because the sending mta or the sender has not passed validation"),
	BK_PH(BLOCKED, "rejecting open proxy"),
	BK_PH(BLOCKED, "sender ip address rejected"),
	BK_PH(BLOCKED, "server access forbidden by your ip "),
	BK_PH(BLOCKED, "service not available, closing transmission channel"),
	BK_PH(BLOCKED, "smtp error from remote mail server after initial connection:"),
	BK_PH(BLOCKED, "sorry, that domain isn't in my list of allowed rcpthosts"),
	BK_PH(BLOCKED, "sorry, your remotehost looks suspiciously like spammer"),
	BK_PH(BLOCKED, "temporarily deferred due to unexpected volume or user complaints"),
	BK_PH(BLOCKED, "to submit messages to this e-mail system has been rejected"),
	BK_PH(BLOCKED, "too many spams from your ip"),
	BK_PH(BLOCKED, "too many unwanted messages have been sent from the following ip address above"),
	BK_PH(BLOCKED, "was blocked by "),
	BK_PH(BLOCKED, "we do not accept mail from dynamic ips"),
	BK_PH(BLOCKED, "you are not allowed to connect"),
	BK_PH(BLOCKED, "your host is not allowed to connect"),
	BK_PH(BLOCKED, "you are sending spam"),
	BK_PH(BLOCKED, "your ip address is listed in the rbl"),
	/* DNS blocklists as receivers name them (replies quoted in ZoneMTA's
	 * config/bounces.txt and in the evaluation samples): a lookup URL, the
	 * list's name, "listed at/on" */
	BK_PH(BLOCKED, "spamhaus.org/query/"),
	BK_PH(BLOCKED, " listed at spamhaus"),
	BK_PH(BLOCKED, "listed in zen.spamhaus.org"),
	BK_PH(BLOCKED, "denied by spamhaus"),
	BK_PH(BLOCKED, "blocked by zen.spamhaus.org"),
	BK_PH(BLOCKED, "found on one or more dnsbls"),
	BK_PH(BLOCKED, "found in dnsbl"),
	BK_PH(BLOCKED, "due to dnsbl"),
	BK_PH(BLOCKED, "www.dnsbl."),
	BK_PH(BLOCKED, ", dnsbl."),
	BK_PH(BLOCKED, "black listed at "),
	BK_PH(BLOCKED, " is listed at "),
	BK_PH(BLOCKED, " is listed on http"),
	BK_PH(BLOCKED, "ip ", " is blacklisted ("),
	BK_PH(BLOCKED, "email blocked by geoip"),
	BK_PH(BLOCKED, "to contact tosa@rx.t-online.de"),	/* T-Online's block notice */
	BK_PH(BLOCKED, "listed at zen."),
	BK_PH(BLOCKED, "listed at dnsbl."),
	BK_PH(BLOCKED, "sbl-xbl database"),
	BK_PH(BLOCKED, "realtime block list"),
	BK_PH(BLOCKED, "spamhaus.org rbl"),
	BK_PH(BLOCKED, "is listed by the lookup site"),
	BK_PH(BLOCKED, "is listed by https://spamhaus.org"),
	BK_PH(BLOCKED, "is listed by invaluement"),
	BK_PH(BLOCKED, "sorbs dnsbl"),
	BK_PH(BLOCKED, "refused by the dnsbl"),
	BK_PH(BLOCKED, "rejected - see http://www.spamhaus.org"),
	BK_PH(BLOCKED, "rejected,see http://www.spamhaus.org"),
	BK_PH(BLOCKED, "banned sender["),
	BK_PH(BLOCKED, "rejected because bad ip"),
	BK_PH(BLOCKED, "found in a dns blacklist"),
	BK_PH(BLOCKED, "connection refused due to abuse"),
	BK_PH(BLOCKED, "dial-up or dynamic-ip denied"),
	BK_PH(BLOCKED, "not allowed access from your location"),
	/* Spamhaus listings named by their list: "550 zen.example.net Listed by CSS" */
	BK_PH(BLOCKED, "listed by css"),
	BK_PH(BLOCKED, "listed by pbl"),
	BK_PH(BLOCKED, "listed by sbl"),
	BK_PH(BLOCKED, "listed by xbl"),
	BK_PH(BLOCKED, "your network is temporary blacklisted"),
	BK_PH(BLOCKED, "your server requires confirmation"),
	BK_PH(BLOCKED, "(", "@", ":blocked)"),
	BK_PH(BLOCKED, "access from ip address ", " blocked"),
	BK_PH(BLOCKED, "client host ", " blocked using"),
	BK_PH(BLOCKED, "connections will not be accepted from ", " because the ip is in spamhaus's list"),
	BK_PH(BLOCKED, "dnsbl:rbl ", ">_is_blocked"),
	BK_PH(BLOCKED, "email blocked by ", ".barracudacentral.org"),
	BK_PH(BLOCKED, "email blocked by ", "spamhaus"),
	BK_PH(BLOCKED, "host ", " refused to talk to me: ", " blocked"),
	BK_PH(BLOCKED, "ip ", " is blocked by earthlink"),
	BK_PH(BLOCKED, "is in an ", "rbl on "),
	BK_PH(BLOCKED, "mail server at ", " is blocked"),
	BK_PH(BLOCKED, "mail from ", " refused:"),
	BK_PH(BLOCKED, "mail from ", " refused, see ", "orbs"),	/* [go] */
	BK_PH(BLOCKED, "message from ", " rejected based on blacklist"),
	BK_PH(BLOCKED, "messages from ", " temporarily deferred due to user complaints"),
	BK_PH(BLOCKED, "server ip ", " listed as abusive"),
	BK_PH(BLOCKED, "sorry! your ip address", " is blocked by rbl"),
	BK_PH(BLOCKED, "the domain ", " is blacklisted"),
	BK_PH(BLOCKED, "the email ", " is blacklisted"),
	BK_PH(BLOCKED, "the ip", " is blacklisted"),
	/* French + English (Orange/Wanadoo "veuillez essayer plus tard") */
	BK_PH(BLOCKED, "veuillez essayer plus tard. service refused, please try later. ", "103"),
	BK_PH(BLOCKED, "veuillez essayer plus tard. service refused, please try later. ", "510"),
	BK_PH(BLOCKED, "your access ip", " has been rejected"),	/* [go] */
	BK_PH(BLOCKED, "your sender's ip address is listed at ", ".abuseat.org"),
	BK_PH(BLOCKED, "rejected: ", " listed at "),	/* Sendmail's dnsbl FEATURE: "550 Rejected: IP listed at ZONE" */

	/* ---- contenterror ---- */
	BK_PH(CONTENTERROR, "duplicate header"),
	/* [bk] a required header field missing: CommuniGate Pro "Messages
	 * without To: fields are not accepted here", "554 No Resent-From
	 * field given" */
	BK_PH(CONTENTERROR, "messages without ", " fields are not accepted"),
	BK_PH(CONTENTERROR, "no resent-from field given"),
	BK_PH(CONTENTERROR, "header size exceeds maximum permitted"),
	BK_PH(CONTENTERROR, "improper use of 8-bit data in message header"),
	BK_PH(CONTENTERROR, "message header size, or recipient list, exceeds policy limit"),
	BK_PH(CONTENTERROR, "message mime complexity exceeds the policy maximum"),
	BK_PH(CONTENTERROR, "routing loop detected -- too many received: headers"),
	BK_PH(CONTENTERROR, "this message contain invalid mime headers"),
	BK_PH(CONTENTERROR, "this message contain improperly-formatted binary content"),
	BK_PH(CONTENTERROR, "this message contain text that uses unnecessary base64 encoding"),

	/* ---- exceedlimit ---- */
	/* both moved to emailtoolarge (= mesgtoobig) in the newest Sisimai */
	BK_PH(EXCEEDLIMIT, "message header size exceeds limit"),
	BK_PH(EXCEEDLIMIT, "message too large"),

	/* ---- expired ---- */
	BK_PH(EXPIRED, "connection timed out"),
	BK_PH(EXPIRED, "could not find a gateway for"),
	BK_PH(EXPIRED, "delivery attempts will continue to be"),
	BK_PH(EXPIRED, "delivery expired"),	/* [go] */
	BK_PH(EXPIRED, "delivery time expired"),
	BK_PH(EXPIRED, "failed to deliver to domain "),
	BK_PH(EXPIRED, "giving up on"),
	BK_PH(EXPIRED, "have been failing for a long time"),
	BK_PH(EXPIRED, "has been delayed"),
	/* [bk] Exim's delay warning (warning_message): "A message that you
	 * sent has not yet been delivered to one or more of its recipients
	 * after more than 24 hours on the queue ... Delivery attempts will
	 * continue for some time" */
	BK_PH(EXPIRED, "has not yet been delivered"),
	BK_PH(EXPIRED, "delivery attempts will continue for"),
	BK_PH(EXPIRED, "it has not been collected after"),
	/* [bk] KumoMTA's expiration report: "Next delivery time would be at
	 * TIME which exceeds the expiry time EXPIRES configured via
	 * set_scheduling" (docs/formats.md) */
	BK_PH(EXPIRED, "which exceeds the expiry time"),
	BK_PH(EXPIRED, "message expired after sitting in queue for"),
	BK_PH(EXPIRED, "message expired, cannot connect to remote server"),
	BK_PH(EXPIRED, "message expired, connection refulsed"),	/* sic */
	BK_PH(EXPIRED, "message timed out"),
	BK_PH(EXPIRED, "sending timed out, killing protocol"),	/* nullmailer-send: its protocol module outlived sendtimeout (a server that never answers) */
	BK_PH(EXPIRED, "retry time not reached for any host after a long failure period"),
	BK_PH(EXPIRED, "server did not respond"),
	BK_PH(EXPIRED, "this message has been in the queue too long"),
	BK_PH(EXPIRED, "unable to deliver message after multiple retries"),
	/* Greylisting defers by design; a notice about it means the sender's
	 * queue gave up waiting (postgrey "Greylisted, see ...", the bounce lab) */
	BK_PH(EXPIRED, ": greylisted, see "),
	BK_PH(EXPIRED, "greylisted, please try again"),
	BK_PH(EXPIRED, "was not reachable within the allowed queue period"),
	BK_PH(EXPIRED, "your message could not be delivered for more than"),
	BK_PH(EXPIRED, "could not be delivered for", " days"),	/* [go] */

	/* ---- failedstarttls (Perl since 5.2.0) ---- */
	BK_PH(FAILEDSTARTTLS, "starttls is required to send mail"),
	BK_PH(FAILEDSTARTTLS, "tls required but not supported"),

	/* ---- filtered ----
	 * Perl 5.2 had the longer forms "because the recipient is only
	 * accepting mail from specific email addresses", "this account is
	 * protected by", "we failed to deliver mail because the following
	 * address recipient id refuse to receive mail"; the shorter forms of
	 * the newer lists below match wherever those do. */
	BK_PH(FILTERED, "account is protected by"),
	BK_PH(FILTERED, "bounced address"),
	BK_PH(FILTERED, "due to extended inactivity new mail is not currently being accepted for this mailbox"),	/* [perl] */
	BK_PH(FILTERED, "has restricted sms e-mail"),
	BK_PH(FILTERED, "is not accepting any mail"),
	BK_PH(FILTERED, "message filtered"),	/* [go] */
	BK_PH(FILTERED, "message rejected due to user rules"),
	BK_PH(FILTERED, "not found recipient account"),
	BK_PH(FILTERED, "recipient id refuse to receive mail"),
	BK_PH(FILTERED, "recipient is only accepting mail from specific email addresses"),
	BK_PH(FILTERED, "refused due to recipient preferences"),
	BK_PH(FILTERED, "resolver.rst.notauthorized"),	/* [perl] */
	BK_PH(FILTERED, "user not found"),
	BK_PH(FILTERED, "user refuses to receive this mail"),	/* [go] */
	BK_PH(FILTERED, "user reject"),
	/* Exim: a recipient's filter ran "fail": "<text> (filter fail)" */
	BK_PH(FILTERED, "(filter fail)"),
	/* AOL's notices: "Your mail to the following recipients could not be
	 * delivered because they are not accepting mail from a@b:" (their
	 * own block list; the server's refusal is blocked, not this) */
	BK_PH(FILTERED, "because they are not accepting mail from "),
	BK_PH(FILTERED, "you have been blocked by the recipient"),

	/* ---- hasmoved ---- */
	BK_PH(HASMOVED, " has been replaced by "),

	/* ---- hostunknown ---- */
	BK_PH(HOSTUNKNOWN, "domain does not exist"),
	BK_PH(HOSTUNKNOWN, "domain is not reachable"),
	BK_PH(HOSTUNKNOWN, "domain must exist"),
	BK_PH(HOSTUNKNOWN, "host or domain name not found"),
	BK_PH(HOSTUNKNOWN, "perm_failure: dns error"),
	BK_PH(HOSTUNKNOWN, "when resolving mx server for ", "domain name not found"),
	BK_PH(HOSTUNKNOWN, "host unknown"),
	BK_PH(HOSTUNKNOWN, "host unreachable"),
	BK_PH(HOSTUNKNOWN, "mail domain mentioned in email address is unknown"),
	BK_PH(HOSTUNKNOWN, "name or service not known"),
	/* 1&1 (kundenserver.de): "no valid MX hosts found"; Exim: "all relevant
	 * MX records point to non-existent hosts" */
	BK_PH(HOSTUNKNOWN, "no valid mx hosts found"),
	/* Exchange Online 5.4.310: "DNS domain x.example does not exist" */
	BK_PH(HOSTUNKNOWN, "dns domain ", " does not exist"),
	BK_PH(HOSTUNKNOWN, "all relevant mx records point to non-existent hosts"),
	BK_PH(HOSTUNKNOWN, "no such domain"),
	BK_PH(HOSTUNKNOWN, "recipient address rejected: unknown domain name"),
	BK_PH(HOSTUNKNOWN, "recipient domain must exist"),
	BK_PH(HOSTUNKNOWN, "the account or domain may not exist"),
	BK_PH(HOSTUNKNOWN, "unknown host"),
	BK_PH(HOSTUNKNOWN, "unroutable address"),
	BK_PH(HOSTUNKNOWN, "unrouteable address"),
	BK_PH(HOSTUNKNOWN, "553 ", " does not exist"),

	/* ---- mailboxfull ---- */
	BK_PH(MAILBOXFULL, "452 insufficient disk space"),	/* [go] */
	BK_PH(MAILBOXFULL, "account disabled temporarly for exceeding receiving limits"),	/* sic */
	BK_PH(MAILBOXFULL, "account is exceeding their quota"),
	BK_PH(MAILBOXFULL, "account is over quota"),
	BK_PH(MAILBOXFULL, "account is temporarily over quota"),
	BK_PH(MAILBOXFULL, "boite du destinataire pleine"),	/* French */
	BK_PH(MAILBOXFULL, "delivery failed: over quota"),
	BK_PH(MAILBOXFULL, "disc quota exceeded"),
	BK_PH(MAILBOXFULL, "diskspace quota"),
	BK_PH(MAILBOXFULL, "does not have enough space"),
	BK_PH(MAILBOXFULL, "exceeded storage allocation"),
	BK_PH(MAILBOXFULL, "exceeding its mailbox quota"),
	BK_PH(MAILBOXFULL, "full mailbox"),
	BK_PH(MAILBOXFULL, "is over disk quota"),
	BK_PH(MAILBOXFULL, "is over quota temporarily"),
	/* Perl 5.2 mailboxfull; the newest Sisimai has it under emailtoolarge */
	BK_PH(MAILBOXFULL, "mail file size exceeds the maximum size allowed for mail delivery"),
	BK_PH(MAILBOXFULL, "mail quota exceeded"),
	BK_PH(MAILBOXFULL, "mailbox exceeded the local limit"),
	BK_PH(MAILBOXFULL, "mailbox exceeds allowed size"),	/* [go] */
	BK_PH(MAILBOXFULL, "mailbox full"),
	BK_PH(MAILBOXFULL, "mailbox has exceeded its disk space limit"),
	BK_PH(MAILBOXFULL, "mailbox is full"),
	BK_PH(MAILBOXFULL, "mailbox over quota"),
	BK_PH(MAILBOXFULL, "over-quota"),
	BK_PH(MAILBOXFULL, "quota violation"),
	BK_PH(MAILBOXFULL, "exhausted allowed storage space"),
	BK_PH(MAILBOXFULL, "mailbox quota usage exceeded"),
	BK_PH(MAILBOXFULL, "mailbox size limit exceeded"),
	BK_PH(MAILBOXFULL, "mailbox would exceed maximum allowed storage"),	/* [go]; Perl: "recipient rejected: " + this */
	BK_PH(MAILBOXFULL, "maildir over quota"),
	BK_PH(MAILBOXFULL, "maildir delivery failed: userdisk quota "),
	BK_PH(MAILBOXFULL, "maildir delivery failed: domaindisk quota "),
	BK_PH(MAILBOXFULL, "mailfolder is full"),
	BK_PH(MAILBOXFULL, "no space left on device"),	/* [go] */
	BK_PH(MAILBOXFULL, "not enough storage space in"),
	BK_PH(MAILBOXFULL, "not sufficient disk space"),	/* [go] */
	BK_PH(MAILBOXFULL, "over the allowed quota"),
	BK_PH(MAILBOXFULL, "quota exceeded"),
	BK_PH(MAILBOXFULL, "quota violation for"),
	BK_PH(MAILBOXFULL, "recipient reached disk quota"),
	BK_PH(MAILBOXFULL, "the recipient mailbox has exceeded its disk space limit"),
	BK_PH(MAILBOXFULL, "the user's space has been used up"),
	BK_PH(MAILBOXFULL, "user's space has been used up"),	/* [go] shorter form */
	BK_PH(MAILBOXFULL, "the user you are trying to reach is over quota"),
	BK_PH(MAILBOXFULL, "too much mail data"),
	BK_PH(MAILBOXFULL, "user has exceeded quota, bouncing mail"),
	BK_PH(MAILBOXFULL, "user has too many messages on the server"),
	BK_PH(MAILBOXFULL, "user is over quota"),
	BK_PH(MAILBOXFULL, "user is over the quota"),
	BK_PH(MAILBOXFULL, "user over quota"),
	BK_PH(MAILBOXFULL, "was automatically rejected: quota exceeded"),
	BK_PH(MAILBOXFULL, "would be over the allowed quota"),
	/* [go] 2026 generalised pairs; broader than Perl 5.2's list */
	BK_PH(MAILBOXFULL, "account is ", " quota"),
	BK_PH(MAILBOXFULL, "disk", "quota"),
	BK_PH(MAILBOXFULL, "enough ", " space"),
	BK_PH(MAILBOXFULL, "mailbox ", "exceeded", " limit"),
	BK_PH(MAILBOXFULL, "mailbox ", "full"),
	BK_PH(MAILBOXFULL, "mailbox ", "quota"),
	BK_PH(MAILBOXFULL, "maildir ", "quota"),
	BK_PH(MAILBOXFULL, "over ", "quota"),
	BK_PH(MAILBOXFULL, "quota ", "exceeded"),

	/* ---- mailererror ---- */
	BK_PH(MAILERERROR, " || exit "),
	BK_PH(MAILERERROR, "procmail: "),
	BK_PH(MAILERERROR, "bin/procmail"),
	BK_PH(MAILERERROR, "bin/maidrop"),	/* sic */
	BK_PH(MAILERERROR, "command failed: "),
	BK_PH(MAILERERROR, "command died with status "),
	BK_PH(MAILERERROR, "command output:"),
	BK_PH(MAILERERROR, "mailer error"),
	BK_PH(MAILERERROR, "pipe to |/"),
	BK_PH(MAILERERROR, "x-unix; "),

	/* ---- mesgtoobig (Sisimai >= 5.3 and go: emailtoolarge) ----
	 * Left out on purpose, they belong to another reason in Perl 5.2 and
	 * our classifier probes mesgtoobig first:
	 *   "message too large"                 -> exceedlimit in Perl 5.2
	 *   "message header size exceeds limit" -> exceedlimit in Perl 5.2
	 *   "mail file size exceeds the maximum size allowed for mail delivery"
	 *                                       -> mailboxfull in Perl 5.2
	 *   pairs {"message ", "exceeds ", "limit"}, {"message ", "size", "exceed"}
	 *   of the newest EmailTooLarge.pm: they also match contenterror's
	 *   "message header size, or recipient list, exceeds policy limit" and
	 *   exceedlimit's "message header size exceeds limit". */
	BK_PH(MESGTOOBIG, "exceeded maximum inbound message size"),
	BK_PH(MESGTOOBIG, "exceeded the maximum incoming message size"),	/* [go] */
	BK_PH(MESGTOOBIG, "line limit exceeded"),
	BK_PH(MESGTOOBIG, "max message size exceeded"),
	BK_PH(MESGTOOBIG, "message file too big"),
	BK_PH(MESGTOOBIG, "message length exceeds administrative limit"),
	BK_PH(MESGTOOBIG, "message size exceeds fixed limit"),
	BK_PH(MESGTOOBIG, "message size exceeds fixed maximum message size"),
	BK_PH(MESGTOOBIG, "message size exceeds maximum value"),
	BK_PH(MESGTOOBIG, "message too big"),
	BK_PH(MESGTOOBIG, "message too large for this "),
	BK_PH(MESGTOOBIG, "message too large for peer"),	/* OpenSMTPD: over the peer's EHLO SIZE (mta_session.c) */
	BK_PH(MESGTOOBIG, "size limit"),
	BK_PH(MESGTOOBIG, "taille limite du message atteinte"),	/* French */
	BK_PH(MESGTOOBIG, "exceeded", "message size"),	/* [perl EmailTooLarge, newest] */
	BK_PH(MESGTOOBIG, "message size exceeds maximum permitted"),	/* Exim's reply to MAIL with SIZE over message_size_limit (smtp_in.c) */
	BK_PH(MESGTOOBIG, "message is too large; "),	/* Sendmail over a mailer's maximum size: "552 Message is too large; N bytes max" (deliver.c) */
	BK_PH(MESGTOOBIG, "message ", "too", "big"),	/* [perl EmailTooLarge, newest] */

	/* ---- networkerror ---- */
	BK_PH(NETWORKERROR, "could not connect and send the mail to"),
	BK_PH(NETWORKERROR, "connect failed"),
	BK_PH(NETWORKERROR, "network is down"),	/* strerror(ENETDOWN); Courier's esmtpclient gives it for a host it found unreachable (refused, timed out) within esmtpdelay */	/* nullmailer's smtp/qmqp module: no connection to its remote (protocols/protocol.cc) */
	BK_PH(NETWORKERROR, "dns records for the destination computer could not be found"),
	BK_PH(NETWORKERROR, "hop count exceeded - possible mail loop"),
	BK_PH(NETWORKERROR, "host is unreachable"),
	BK_PH(NETWORKERROR, "host name lookup failure"),
	BK_PH(NETWORKERROR, "host not found, try again"),
	BK_PH(NETWORKERROR, "mail forwarding loop for "),
	BK_PH(NETWORKERROR, "malformed name server reply"),
	BK_PH(NETWORKERROR, "malformed or unexpected name server reply"),
	BK_PH(NETWORKERROR, "maximum forwarding loop count exceeded"),
	BK_PH(NETWORKERROR, "message looping"),
	BK_PH(NETWORKERROR, "message probably in a routing loop"),
	BK_PH(NETWORKERROR, "no route to host"),
	BK_PH(NETWORKERROR, "connection refused"),	/* strerror(ECONNREFUSED) as the sending MTA gives it up (Courier, nullmailer); "connection refused by" is blocked (a probe, before this) */
	BK_PH(NETWORKERROR, "host or network unreachable"),	/* nullmailer's errorstr for EHOSTUNREACH/ENETUNREACH */
	BK_PH(NETWORKERROR, "too many hops"),
	BK_PH(NETWORKERROR, "tried all mxs"),	/* Haraka's outbound: no MX host took the connection (refused, timed out) until it gave up (outbound/hmail.js) */
	BK_PH(NETWORKERROR, "unable to resolve route "),
	BK_PH(NETWORKERROR, "unrouteable mail domain"),

	/* ---- norelaying (newest Sisimai: relayingdenied) ---- */
	BK_PH(NORELAYING, "as a relay"),
	BK_PH(NORELAYING, "email address is not verified."),
	BK_PH(NORELAYING, "insecure mail relay"),
	BK_PH(NORELAYING, "is not permitted to relay through this server without authentication"),
	BK_PH(NORELAYING, "mail server requires authentication when attempting to send to a non-local e-mail address"),
	BK_PH(NORELAYING, "no relaying"),	/* [go] */
	BK_PH(NORELAYING, "not a gateway"),
	BK_PH(NORELAYING, "not allowed to relay through this machine"),
	BK_PH(NORELAYING, "not an open relay, so get lost"),
	BK_PH(NORELAYING, "not local host"),
	BK_PH(NORELAYING, "relay access denied"),
	BK_PH(NORELAYING, "relay denied"),
	BK_PH(NORELAYING, "relay not permitted"),
	BK_PH(NORELAYING, "relaying denied"),
	BK_PH(NORELAYING, "relaying mail to "),
	BK_PH(NORELAYING, "specified domain is not allowed"),	/* [go] */
	BK_PH(NORELAYING, "that domain isn't in my list of allowed rcpthost"),
	BK_PH(NORELAYING, "this system is not configured to relay mail"),
	BK_PH(NORELAYING, "unable to relay "),	/* go; Perl 5.2: "unable to relay for" */
	BK_PH(NORELAYING, "we don't handle mail for"),

	/* ---- notaccept ---- */
	BK_PH(NOTACCEPT, "does not accept mail (nullmx)"),
	BK_PH(NOTACCEPT, "host/domain does not accept mail"),
	BK_PH(NOTACCEPT, "host does not accept mail"),
	BK_PH(NOTACCEPT, "mail receiving disabled"),
	BK_PH(NOTACCEPT, "name server: .: host not found"),
	BK_PH(NOTACCEPT, "no mx record found for domain="),
	BK_PH(NOTACCEPT, "no route for current request"),
	BK_PH(NOTACCEPT, "smtp protocol returned a permanent error"),

	/* ---- notcompliantrfc ----
	 * Left out: "duplicate header" (go lists it here as well); Perl 5.2 has
	 * it only under contenterror, and go probes notcompliantrfc first. */
	BK_PH(NOTCOMPLIANTRFC, "this message is not rfc 5322 compliant"),
	BK_PH(NOTCOMPLIANTRFC, "https://support.google.com/mail/?p=rfcmessagenoncompliant"),
	BK_PH(NOTCOMPLIANTRFC, " multiple ", " header"),	/* [go] */

	/* ---- policyviolation ----
	 * (the Perl 4.x/5.0 list also had "dmarc policy"; Perl 5.x moved it to
	 * authfailure, kept there only) */
	BK_PH(POLICYVIOLATION, "an illegal attachment on your message"),
	BK_PH(POLICYVIOLATION, "rejected by header based anti-spoofing policy"),	/* Mimecast, without its hyphen */
	BK_PH(POLICYVIOLATION, "password protected file attachment"),
	BK_PH(POLICYVIOLATION, "because the recipient is not accepting mail with "),
	/* AOL: "... because they are not accepting mail with attachments or
	 * embedded images:" */
	BK_PH(POLICYVIOLATION, "because they are not accepting mail with "),
	BK_PH(POLICYVIOLATION, "by non-member to a members-only list"),
	BK_PH(POLICYVIOLATION, "closed mailing list"),
	BK_PH(POLICYVIOLATION, "denied by policy"),
	BK_PH(POLICYVIOLATION, "email not accepted for policy reasons"),
	BK_PH(POLICYVIOLATION, "email rejected due to security policies"),
	BK_PH(POLICYVIOLATION, "header are not accepted"),
	BK_PH(POLICYVIOLATION, "header error"),
	BK_PH(POLICYVIOLATION, "local policy violation"),
	BK_PH(POLICYVIOLATION, "message bounced due to organizational settings"),
	BK_PH(POLICYVIOLATION, "message given low priority"),
	BK_PH(POLICYVIOLATION, "message not accepted for policy reasons"),
	BK_PH(POLICYVIOLATION, "message rejected due to local policy"),
	BK_PH(POLICYVIOLATION, "messages with multiple addresses"),
	BK_PH(POLICYVIOLATION, "rejected for policy reasons"),
	BK_PH(POLICYVIOLATION, "protocol violation"),
	BK_PH(POLICYVIOLATION, "the email address used to send your message is not subscribed to this group"),
	BK_PH(POLICYVIOLATION, "the message was rejected by organization policy"),
	BK_PH(POLICYVIOLATION, "this message was blocked because its content presents a potential"),
	BK_PH(POLICYVIOLATION, "we do not accept messages containing images or other attachments"),
	BK_PH(POLICYVIOLATION, "you're using a mass mailer"),	/* [go] */
	/* covers "... exceeded the allowable ..." and "... exceeded the the allowable ..." */
	BK_PH(POLICYVIOLATION, "you have exceeded the", "allowable number of posts without solving a captcha"),

	/* ---- rejected ----
	 * Sisimai first rejects the text when it contains any of
	 *   "5.1.0 address rejected", "recipient address rejected",
	 *   "sender ip address rejected"
	 * (an "is not" list the phrase table cannot express; classify.c must
	 * apply it, see reason-rules.md). */
	/* "is not" rows: these texts are about the recipient or the client
	 * host, not the envelope sender */
	BK_PH_NOT(REJECTED, "5.1.0 address rejected"),
	BK_PH_NOT(REJECTED, "recipient address rejected"),
	BK_PH_NOT(REJECTED, "sender ip address rejected"),
	BK_PH(REJECTED, "access denied (in reply to mail from command)"),
	BK_PH(REJECTED, "access denied (sender blacklisted)"),
	BK_PH(REJECTED, "address rejected"),
	BK_PH(REJECTED, "administrative prohibition"),
	BK_PH(REJECTED, "batv failed to verify"),
	BK_PH(REJECTED, "batv validation failure"),
	BK_PH(REJECTED, "backscatter protection detected an invalid or expired email address"),
	BK_PH(REJECTED, "because the sender isn't on the recipient's list of senders to accept mail from"),
	BK_PH(REJECTED, "bogus mail from"),
	BK_PH(REJECTED, "can't determine purported responsible address"),
	BK_PH(REJECTED, "connections not accepted from servers without a valid sender domain"),
	BK_PH(REJECTED, "denied [bouncedeny]"),
	BK_PH(REJECTED, "denied by secumail valid-address-filter"),
	BK_PH(REJECTED, "delivery not authorized, message refused"),
	BK_PH(REJECTED, "does not exist e2110"),
	BK_PH(REJECTED, "domain of sender address "),
	BK_PH(REJECTED, "email address is on senderfilterconfig list"),
	BK_PH(REJECTED, "emetteur invalide"),	/* French */
	BK_PH(REJECTED, "empty envelope senders not allowed"),
	BK_PH(REJECTED, "envelope blocked – "),	/* [perl] U+2013 en dash */
	BK_PH(REJECTED, "envelope blocked - "),	/* [go] ASCII hyphen */
	BK_PH(REJECTED, "error: no third-party dsns"),
	BK_PH(REJECTED, "from: domain is invalid. please provide a valid from:"),
	BK_PH(REJECTED, "fully qualified email address required"),
	BK_PH(REJECTED, "invalid domain, see <url:"),
	BK_PH(REJECTED, "invalid sender"),
	BK_PH(REJECTED, "is not a registered gateway user"),
	BK_PH(REJECTED, "mail from not owned by user"),
	BK_PH(REJECTED, "message rejected: email address is not verified"),
	BK_PH(REJECTED, "mx records for "),
	BK_PH(REJECTED, "null sender is not allowed"),
	BK_PH(REJECTED, "recipient addresses rejected : access denied"),
	BK_PH(REJECTED, "recipient not accepted. (batv: no tag"),
	BK_PH(REJECTED, "returned mail not accepted here"),
	BK_PH(REJECTED, "rfc 1035 violation: recursive cname records for"),
	BK_PH(REJECTED, "rule imposed mailbox access for"),
	BK_PH(REJECTED, "sending this from a different address or alias using the "),
	BK_PH(REJECTED, "sender address has been blacklisted"),
	BK_PH(REJECTED, "sender email address rejected"),
	BK_PH(REJECTED, "sender is in my black list"),
	BK_PH(REJECTED, "sender is spammer"),
	BK_PH(REJECTED, "sender not pre-approved"),
	BK_PH(REJECTED, "sender rejected"),
	BK_PH(REJECTED, "sender domain is empty"),
	BK_PH(REJECTED, "sender verify failed"),
	BK_PH(REJECTED, "sender was rejected"),	/* [go] qmail */
	BK_PH(REJECTED, "spam reporting address"),
	BK_PH(REJECTED, "syntax error: empty email address"),
	BK_PH(REJECTED, "the message has been rejected by batv defense"),
	BK_PH(REJECTED, "this server does not accept mail from"),
	BK_PH(REJECTED, "transaction failed unsigned dsn for"),
	BK_PH(REJECTED, "unroutable sender address"),
	BK_PH(REJECTED, "you are not allowed to post to this mailing list"),
	BK_PH(REJECTED, "you are sending to/from an address that has been blacklisted"),
	BK_PH(REJECTED, "your access to submit messages to this e-mail system has been rejected"),
	BK_PH(REJECTED, "your email address has been blacklisted"),

	/* ---- requireptr ---- */
	BK_PH(REQUIREPTR, "access denied. ip name lookup failed"),
	BK_PH(REQUIREPTR, "all mail servers must have a ptr record with a valid reverse dns entry"),
	BK_PH(REQUIREPTR, "bad dns ptr resource record"),
	BK_PH(REQUIREPTR, "cannot find your hostname"),
	BK_PH(REQUIREPTR, "cannot resolve your address."),	/* [go] */
	BK_PH(REQUIREPTR, "client host rejected: cannot find your hostname"),
	BK_PH(REQUIREPTR, "client host rejected: cannot find your reverse hostname"),	/* Postfix reject_unknown_reverse_client_hostname */
	BK_PH(REQUIREPTR, "fix reverse dns for "),
	BK_PH(REQUIREPTR, "ips with missing ptr records"),
	BK_PH(REQUIREPTR, "no ptr record found."),
	BK_PH(REQUIREPTR, "please get a custom reverse dns name from your isp for your host"),
	BK_PH(REQUIREPTR, "ptr record setup"),
	BK_PH(REQUIREPTR, "reverse dns failed"),
	BK_PH(REQUIREPTR, "reverse dns required"),
	BK_PH(REQUIREPTR, "sender ip reverse lookup rejected"),
	BK_PH(REQUIREPTR, "the ip address sending this message does not have a ptr record setup"),
	BK_PH(REQUIREPTR, "the corresponding forward dns entry does not point to the sending ip"),
	BK_PH(REQUIREPTR, "this system will not accept messages from servers/devices with no reverse dns"),
	BK_PH(REQUIREPTR, "unresolvable relay host name"),
	BK_PH(REQUIREPTR, "we do not accept mail from hosts with dynamic ip or generic dns ptr-records"),
	BK_PH(REQUIREPTR, "domain ", " mismatches client ip"),
	BK_PH(REQUIREPTR, "dns lookup failure: ", " try again later"),
	BK_PH(REQUIREPTR, "reverse dns lookup for host ", " failed permanently"),
	BK_PH(REQUIREPTR, "server access ", " forbidden by invalid rdns record of your mail server"),
	BK_PH(REQUIREPTR, "service permits ", " unverifyable sending ips"),	/* sic */

	/* ---- securityerror ----
	 * Perl 5.1 also listed "starttls is required to send mail" and "tls
	 * required but not supported" here; Perl 5.2 and go moved them to
	 * failedstarttls (kept there only). */
	BK_PH(SECURITYERROR, "account not subscribed to ses"),
	BK_PH(SECURITYERROR, "authentication credentials invalid"),
	BK_PH(SECURITYERROR, "authentication failure"),
	BK_PH(SECURITYERROR, "authentication required"),
	BK_PH(SECURITYERROR, "authentication turned on in your email client"),
	BK_PH(SECURITYERROR, "executable files are not allowed in compressed files"),
	BK_PH(SECURITYERROR, "insecure mail relay"),	/* also norelaying, as in Sisimai */
	BK_PH(SECURITYERROR, "recipient address rejected: access denied"),	/* also userunknown */
	BK_PH(SECURITYERROR, "sorry, you don't authenticate or the domain isn't in my list of allowed rcpthosts"),
	BK_PH(SECURITYERROR, "unauthenticated senders not allowed"),
	BK_PH(SECURITYERROR, "verification failure"),
	BK_PH(SECURITYERROR, "you are not authorized to send mail, authentication is required"),
	BK_PH(SECURITYERROR, "authentication failed; server ", " said: "),
	/* French (Orange/Wanadoo) */
	BK_PH(SECURITYERROR, "authentification invalide", "305"),
	BK_PH(SECURITYERROR, "authentification requise", "402"),
	BK_PH(SECURITYERROR, "domain ", " is a dead domain"),
	BK_PH(SECURITYERROR, "user ", " is not authorized to perform ses:sendrawemail on resource"),
	BK_PH(SECURITYERROR, "must issue a starttls command first"),	/* Postfix, Sendmail and OpenSMTPD refusing MAIL before STARTTLS (530 5.7.0, OpenSMTPD 530 5.5.1) */

	/* ---- spamdetected ----
	 * Sisimai also tests a pattern the table cannot hold: the text ends in
	 * "<d.d.d> spam" or "<3 digits> spam" (regex (\d.\d.\d|\d{3}) spam\z). */
	BK_PH(SPAMDETECTED, " - spam"),
	BK_PH(SPAMDETECTED, "//www.spamhaus.org/help/help_spam_16.htm"),
	BK_PH(SPAMDETECTED, "//dsbl.org/help/help_spam_16.htm"),
	BK_PH(SPAMDETECTED, "//mail.163.com/help/help_spam_16.htm"),
	BK_PH(SPAMDETECTED, "554 5.7.0 reject, id=", " - spam"),	/* amavisd-new; its " - INFECTED: name" is virusdetected */
	BK_PH(SPAMDETECTED, "appears to be unsolicited"),
	BK_PH(SPAMDETECTED, "blacklisted url in message"),
	BK_PH(SPAMDETECTED, "block for spam"),
	BK_PH(SPAMDETECTED, "blocked by policy: no spam please"),
	BK_PH(SPAMDETECTED, "blocked by spamassassin"),
	BK_PH(SPAMDETECTED, "blocked for abuse. see http://att.net/blocks"),
	BK_PH(SPAMDETECTED, "cannot be forwarded because it was detected as spam"),
	BK_PH(SPAMDETECTED, "considered unsolicited bulk e-mail (spam) by our mail filters"),
	BK_PH(SPAMDETECTED, "content filter rejection"),
	BK_PH(SPAMDETECTED, "cyberoam anti spam engine has identified this email as a bulk email"),
	BK_PH(SPAMDETECTED, "denied due to spam list"),
	BK_PH(SPAMDETECTED, "high probability of spam"),
	BK_PH(SPAMDETECTED, "is classified as spam and is rejected"),
	BK_PH(SPAMDETECTED, "listed in work.drbl.imedia.ru"),
	BK_PH(SPAMDETECTED, "the mail server detected your message as spam and has prevented delivery."),
	BK_PH(SPAMDETECTED, "mail appears to be unsolicited"),
	BK_PH(SPAMDETECTED, "mail content denied"),
	BK_PH(SPAMDETECTED, "may consider spam"),
	BK_PH(SPAMDETECTED, "message considered as spam or virus"),
	BK_PH(SPAMDETECTED, "message contains spam or virus"),
	BK_PH(SPAMDETECTED, "message content rejected"),
	BK_PH(SPAMDETECTED, "message detected as spam"),
	BK_PH(SPAMDETECTED, "message filtered"),	/* also filtered in go */
	BK_PH(SPAMDETECTED, "message filtered. please see the faqs section on spam"),
	BK_PH(SPAMDETECTED, "message filtered. refer to the troubleshooting page at "),
	BK_PH(SPAMDETECTED, "message looks like spam"),
	BK_PH(SPAMDETECTED, "message is being rejected as it seems to be a spam"),
	BK_PH(SPAMDETECTED, "message refused by mailmarshal spamprofiler"),
	BK_PH(SPAMDETECTED, "message refused by trustwave seg spamprofiler"),
	BK_PH(SPAMDETECTED, "message rejected as spam"),
	BK_PH(SPAMDETECTED, "message rejected because of unacceptable content"),
	BK_PH(SPAMDETECTED, "message rejected due to suspected spam content"),
	BK_PH(SPAMDETECTED, "message rejected for policy reasons"),
	BK_PH(SPAMDETECTED, "message was rejected for possible spam/virus content"),
	BK_PH(SPAMDETECTED, "our email server thinks this email is spam"),
	BK_PH(SPAMDETECTED, "our system has detected that this message is "),
	BK_PH(SPAMDETECTED, "probable spam"),
	BK_PH(SPAMDETECTED, "reject bulk.advertising"),
	BK_PH(SPAMDETECTED, "rejected: spamassassin score "),
	BK_PH(SPAMDETECTED, "rejected - bulk email"),
	BK_PH(SPAMDETECTED, "rejecting banned content"),
	BK_PH(SPAMDETECTED, "rejecting mail content"),
	BK_PH(SPAMDETECTED, "related to content with spam-like characteristics"),
	BK_PH(SPAMDETECTED, "sender domain listed at "),
	BK_PH(SPAMDETECTED, "sending address not accepted due to spam filter"),
	BK_PH(SPAMDETECTED, "spam blocked"),
	BK_PH(SPAMDETECTED, "spam check"),
	BK_PH(SPAMDETECTED, "spam content matched"),
	BK_PH(SPAMDETECTED, "spam detected"),
	BK_PH(SPAMDETECTED, "spam email"),
	BK_PH(SPAMDETECTED, "spam email not accepted"),
	BK_PH(SPAMDETECTED, "spam message rejected"),	/* Sisimai has it with a period; Rspamd's default reject message has none */
	BK_PH(SPAMDETECTED, "spam not accepted"),
	BK_PH(SPAMDETECTED, "sorry, looks like spam"),
	BK_PH(SPAMDETECTED, "spam message discarded"),
	BK_PH(SPAMDETECTED, "message was declared spam"),
	BK_PH(SPAMDETECTED, "spam refused"),
	BK_PH(SPAMDETECTED, "spam rejection"),
	BK_PH(SPAMDETECTED, "spam score "),
	BK_PH(SPAMDETECTED, "spambouncer identified spam"),
	BK_PH(SPAMDETECTED, "spamming not allowed"),
	BK_PH(SPAMDETECTED, "too many spam complaints"),
	BK_PH(SPAMDETECTED, "too much spam."),
	BK_PH(SPAMDETECTED, "the email message was detected as spam"),
	BK_PH(SPAMDETECTED, "the message has been rejected by spam filtering engine"),
	BK_PH(SPAMDETECTED, "the message was rejected due to classification as bulk mail"),
	BK_PH(SPAMDETECTED, "the content of this message looked like spam"),
	BK_PH(SPAMDETECTED, "this message appears to be spam"),
	BK_PH(SPAMDETECTED, "this message has been identified as spam"),
	BK_PH(SPAMDETECTED, "this message has been scored as spam with a probability"),
	BK_PH(SPAMDETECTED, "this message was classified as spam"),
	BK_PH(SPAMDETECTED, "this message was rejected by recurrent pattern detection system"),
	BK_PH(SPAMDETECTED, "transaction failed spam message not queued"),
	BK_PH(SPAMDETECTED, "we dont accept spam"),
	BK_PH(SPAMDETECTED, "your email appears similar to spam we have received before"),
	BK_PH(SPAMDETECTED, "your email breaches local uribl policy"),
	BK_PH(SPAMDETECTED, "your email had spam-like "),
	BK_PH(SPAMDETECTED, "your email is considered spam"),
	BK_PH(SPAMDETECTED, "your email is probably spam"),
	BK_PH(SPAMDETECTED, "your email was detected as spam"),
	BK_PH(SPAMDETECTED, "your message as spam and has prevented delivery"),
	BK_PH(SPAMDETECTED, "your message has been temporarily blocked by our filter"),
	BK_PH(SPAMDETECTED, "your message has been rejected because it appears to be spam"),
	BK_PH(SPAMDETECTED, "your message has triggered a spam block"),
	BK_PH(SPAMDETECTED, "your message may contain the spam contents"),
	BK_PH(SPAMDETECTED, "your message failed several antispam checks"),
	BK_PH(SPAMDETECTED, "greylisted", " please try again in"),
	BK_PH(SPAMDETECTED, "mail score (", " over "),	/* [go] */
	/* French + English (Orange/Wanadoo "mail rejeté") */
	BK_PH(SPAMDETECTED, "mail rejete. mail rejected. ", "506"),
	BK_PH(SPAMDETECTED, "our filters rate at and above ", " percent probability of being spam"),
	BK_PH(SPAMDETECTED, "rejected by ", " (spam)"),
	BK_PH(SPAMDETECTED, "rejected due to spam ", "classification"),
	BK_PH(SPAMDETECTED, "rejected due to spam ", "content"),
	BK_PH(SPAMDETECTED, "rule imposed as ", " is blacklisted on"),
	BK_PH(SPAMDETECTED, "spam ", " exceeded"),
	BK_PH(SPAMDETECTED, "this message scored ", " spam points"),

	/* ---- speeding (newest Sisimai: ratelimited, merged with toomanyconn)
	 * Not active: Perl 5.x and go list "mail sent from your IP address has
	 * been temporarily rate limited" with upper-case "IP", which never
	 * matches the lower-cased text; the newest pair {"temporarily",
	 * "rate limited"} would also take badreputation's "has been temporarily
	 * rate limited due to ip reputation".
	 * BK_PH(SPEEDING, "mail sent from your ip address has been temporarily rate limited"),
	 * Also left out from the newest RateLimited list: "temporarily deferred
	 * due to unexpected volume or user complaints" (blocked in Perl 5.2) and
	 * {"exceeded ", "allowable number of posts without solving a captcha"}
	 * (policyviolation in Perl 5.2). */
	BK_PH(SPEEDING, "please try again slower"),
	BK_PH(SPEEDING, "exceeded the rate limit"),
	BK_PH(SPEEDING, "receiving mail at a rate that prevents additional messages from being delivered"),

	/* ---- toomanyconn (newest Sisimai: part of ratelimited) ---- */
	BK_PH(TOOMANYCONN, "all available ips are at maximum connection limit"),
	BK_PH(TOOMANYCONN, "connection rate limit exceeded"),
	BK_PH(TOOMANYCONN, "exceeds per-domain connection limit for"),
	BK_PH(TOOMANYCONN, "has exceeded the max emails per hour "),
	BK_PH(TOOMANYCONN, "throttling failure: daily message quota exceeded"),
	BK_PH(TOOMANYCONN, "throttling failure: maximum sending rate exceeded"),
	BK_PH(TOOMANYCONN, "throttling failure: "),	/* [newest ratelimited] */
	BK_PH(TOOMANYCONN, "too many connections"),
	BK_PH(TOOMANYCONN, "too many connections from your host."),
	BK_PH(TOOMANYCONN, "too many concurrent smtp connections"),
	BK_PH(TOOMANYCONN, "too many errors from your ip"),
	BK_PH(TOOMANYCONN, "too many recipients"),
	BK_PH(TOOMANYCONN, "too many smtp sessions for this host"),
	BK_PH(TOOMANYCONN, "trop de connexions, "),	/* French */
	BK_PH(TOOMANYCONN, "we have already made numerous attempts to deliver this message"),
	/* [newest ratelimited] pairs */
	BK_PH(TOOMANYCONN, "connection ", "limit"),
	BK_PH(TOOMANYCONN, "throttled ", "postmaster.comcast.net"),
	BK_PH(TOOMANYCONN, "too many ", "session"),
	BK_PH(TOOMANYCONN, "too many ", "recipients"),
	BK_PH(TOOMANYCONN, "too many con", "s"),

	/* ---- suspend ---- */
	BK_PH(SUSPEND, " is currently suspended"),
	BK_PH(SUSPEND, " temporary locked"),
	BK_PH(SUSPEND, "archived recipient"),
	BK_PH(SUSPEND, "boite du destinataire archivee"),	/* French */
	BK_PH(SUSPEND, "email account that you tried to reach is disabled"),
	BK_PH(SUSPEND, "has been suspended"),
	BK_PH(SUSPEND, "inactive account"),
	BK_PH(SUSPEND, "invalid/inactive user"),
	BK_PH(SUSPEND, "is a deactivated mailbox"),
	BK_PH(SUSPEND, "is unavailable: user is terminated"),
	BK_PH(SUSPEND, "mailbox currently suspended"),
	BK_PH(SUSPEND, "mailbox disabled"),
	BK_PH(SUSPEND, "mailbox is frozen"),
	BK_PH(SUSPEND, "mailbox unavailable or access denied"),
	BK_PH(SUSPEND, "recipient rejected: temporarily inactive"),
	BK_PH(SUSPEND, "recipient suspend the service"),
	BK_PH(SUSPEND, "the email account that you tried to reach is inactive"),	/* [go] */
	BK_PH(SUSPEND, "this account has been disabled or discontinued"),
	BK_PH(SUSPEND, "this account has been temporarily suspended"),
	BK_PH(SUSPEND, "this address no longer accepts mail"),	/* also userunknown */
	BK_PH(SUSPEND, "this mailbox is disabled"),
	BK_PH(SUSPEND, "user or domain is disabled"),
	BK_PH(SUSPEND, "user suspended"),
	BK_PH(SUSPEND, "vdelivermail: account is locked email bounced"),
	/* disabled or dormant accounts in the wordings PHP-Bounce-Handler
	 * collected (bounce_responses, its 5.2.1 rows) */
	BK_PH(SUSPEND, "account has been disabled"),
	BK_PH(SUSPEND, "this account is disabled"),
	BK_PH(SUSPEND, "user disabled"),
	BK_PH(SUSPEND, "user is suspended"),
	BK_PH(SUSPEND, "account disabled"),
	BK_PH(SUSPEND, "account inactive"),
	BK_PH(SUSPEND, "inactive user"),
	BK_PH(SUSPEND, "blocked due to inactivity"),
	BK_PH(SUSPEND, "mailbox is disabled"),
	BK_PH(SUSPEND, "mailbox locked or suspended"),
	BK_PH(SUSPEND, "mailbox temporarily disabled"),
	BK_PH(SUSPEND, "recipient mailbox was disabled"),
	BK_PH(SUSPEND, "mail is not currently being accepted for this mailbox"),

	/* ---- systemerror ---- */
	BK_PH(SYSTEMERROR, "aliasing/forwarding loop broken"),
	BK_PH(SYSTEMERROR, "can't create user output file"),
	BK_PH(SYSTEMERROR, "could not load drd for domain"),
	BK_PH(SYSTEMERROR, "internal error reading data"),
	BK_PH(SYSTEMERROR, "internal server error: operation now in progress"),
	BK_PH(SYSTEMERROR, "interrupted system call"),
	BK_PH(SYSTEMERROR, "it encountered an error while being processed"),
	BK_PH(SYSTEMERROR, "it would create a mail loop"),
	BK_PH(SYSTEMERROR, "local configuration error"),
	BK_PH(SYSTEMERROR, "local error in processing"),
	BK_PH(SYSTEMERROR, "loop was found in the mail exchanger"),
	BK_PH(SYSTEMERROR, "loops back to myself"),
	/* Exim's router and smtp transport: the MX points back at the sender */
	BK_PH(SYSTEMERROR, "lowest numbered mx record points to local host"),
	BK_PH(SYSTEMERROR, "remote host address is the local host"),
	BK_PH(SYSTEMERROR, "mail system configuration error"),
	BK_PH(SYSTEMERROR, "queue file write error"),
	BK_PH(SYSTEMERROR, "recipient deferred because there is no mdb"),
	BK_PH(SYSTEMERROR, "remote server is misconfigured"),
	BK_PH(SYSTEMERROR, "server configuration error"),
	BK_PH(SYSTEMERROR, "service currently unavailable"),
	BK_PH(SYSTEMERROR, "system config error"),
	BK_PH(SYSTEMERROR, "temporary local problem"),
	BK_PH(SYSTEMERROR, "timeout waiting for input"),
	BK_PH(SYSTEMERROR, "transaction failed "),
	BK_PH(SYSTEMERROR, "unable to connect ", "daemon"),	/* [go] */

	/* ---- systemfull ---- */
	BK_PH(SYSTEMFULL, "mail system full"),
	BK_PH(SYSTEMFULL, "requested mail action aborted: exceeded storage allocation"),

	/* ---- userunknown ----
	 * Two pairs below carry two spaces ("  does not exist", "  table") in
	 * Sisimai; the text is whitespace-squeezed there too, so they never
	 * match; kept exactly as the source has them. */
	BK_PH(USERUNKNOWN, "#5.1.1 bad address"),
	BK_PH(USERUNKNOWN, "550 address invalid"),
	BK_PH(USERUNKNOWN, "5.1.0 address rejected."),
	BK_PH(USERUNKNOWN, "address does not exist"),
	BK_PH(USERUNKNOWN, "address not present in directory"),
	BK_PH(USERUNKNOWN, "address unknown"),
	BK_PH(USERUNKNOWN, "can't accept user"),
	BK_PH(USERUNKNOWN, "does not exist."),
	/* [bk] a campus directory (ph/qi) finds the name but no mailbox */
	BK_PH(USERUNKNOWN, "does not have a final email delivery point"),
	BK_PH(USERUNKNOWN, "destination addresses were unknown"),
	BK_PH(USERUNKNOWN, "destination server rejected recipients"),
	BK_PH(USERUNKNOWN, "email address does not exist"),
	BK_PH(USERUNKNOWN, "email address could not be found"),
	BK_PH(USERUNKNOWN, "invalid address"),
	BK_PH(USERUNKNOWN, "invalid mailbox"),
	BK_PH(USERUNKNOWN, "invalid mailbox path"),
	BK_PH(USERUNKNOWN, "invalid recipient"),
	BK_PH(USERUNKNOWN, "is not a known user"),
	BK_PH(USERUNKNOWN, "is not a valid mailbox"),
	BK_PH(USERUNKNOWN, "is not an active address at this host"),
	BK_PH(USERUNKNOWN, "mailbox does not exist"),
	BK_PH(USERUNKNOWN, "mailbox invalid"),
	BK_PH(USERUNKNOWN, "mailbox is inactive"),
	BK_PH(USERUNKNOWN, "mailbox is unavailable"),
	BK_PH(USERUNKNOWN, "mailbox not present"),
	BK_PH(USERUNKNOWN, "mailbox not found"),
	BK_PH(USERUNKNOWN, "mailbox unavaiable"),	/* sic */
	BK_PH(USERUNKNOWN, "nessun utente simile in questo indirizzo"),	/* Italian */
	BK_PH(USERUNKNOWN, "no account by that name here"),
	BK_PH(USERUNKNOWN, "no existe dicha persona"),	/* Spanish */
	BK_PH(USERUNKNOWN, "no existe ese usuario "),	/* Spanish */
	BK_PH(USERUNKNOWN, "no mail box available for this user"),
	BK_PH(USERUNKNOWN, "no mailbox by that name is currently available"),
	BK_PH(USERUNKNOWN, "no mailbox found"),
	BK_PH(USERUNKNOWN, "no such address here"),
	BK_PH(USERUNKNOWN, "no such mailbox"),
	BK_PH(USERUNKNOWN, "no such person at this address"),
	BK_PH(USERUNKNOWN, "no such recipient"),
	BK_PH(USERUNKNOWN, "no such user"),
	BK_PH(USERUNKNOWN, "no thank you rejected: account unavailable"),
	BK_PH(USERUNKNOWN, "no valid recipients, bye"),
	BK_PH(USERUNKNOWN, "not a valid recipient"),
	BK_PH(USERUNKNOWN, "not a valid user here"),
	BK_PH(USERUNKNOWN, "not a local address"),
	BK_PH(USERUNKNOWN, "not email addresses"),
	BK_PH(USERUNKNOWN, "recipient address rejected. (in reply to rcpt to command)"),
	BK_PH(USERUNKNOWN, "recipient address rejected: access denied"),
	BK_PH(USERUNKNOWN, "recipient address rejected: invalid user"),
	BK_PH(USERUNKNOWN, "recipient address rejected: invalid-recipient"),
	BK_PH(USERUNKNOWN, "recipient address rejected: unknown user"),
	BK_PH(USERUNKNOWN, "recipient address rejected: userunknown"),
	BK_PH(USERUNKNOWN, "recipient does not exist"),
	BK_PH(USERUNKNOWN, "recipient is not accepted"),
	BK_PH(USERUNKNOWN, "recipient is not local"),
	BK_PH(USERUNKNOWN, "recipient not exist"),
	BK_PH(USERUNKNOWN, "recipient not found"),
	/* IBM Domino's notice, also when a relay's DSN decoder reads it */
	BK_PH(USERUNKNOWN, "not listed in domino directory"),
	BK_PH(USERUNKNOWN, "not listed in public name & address book"),
	BK_PH(USERUNKNOWN, "recipient not ok"),
	/* user-unknown wordings PHP-Bounce-Handler collected (its 5.1.1 rows) */
	BK_PH(USERUNKNOWN, "addressee unknown"),
	BK_PH(USERUNKNOWN, "address is unknown"),
	BK_PH(USERUNKNOWN, "bad destination mailbox address"),
	BK_PH(USERUNKNOWN, "email address was not found"),
	BK_PH(USERUNKNOWN, "invalid or unknown virtual user"),
	BK_PH(USERUNKNOWN, "no one with that email address here"),
	BK_PH(USERUNKNOWN, "no such address"),
	BK_PH(USERUNKNOWN, "no such email address"),
	BK_PH(USERUNKNOWN, "no such mail drop defined"),
	BK_PH(USERUNKNOWN, "not a known user"),
	BK_PH(USERUNKNOWN, "not a valid mailbox"),
	BK_PH(USERUNKNOWN, "not a valid user"),
	BK_PH(USERUNKNOWN, "email address is not known to this system"),
	BK_PH(USERUNKNOWN, "unknown account"),
	BK_PH(USERUNKNOWN, "unknown address or alias"),
	BK_PH(USERUNKNOWN, "unknown or illegal alias"),
	BK_PH(USERUNKNOWN, "unknown or illegal user"),
	BK_PH(USERUNKNOWN, "user is unknown"),
	BK_PH(USERUNKNOWN, "user invalid"),
	BK_PH(USERUNKNOWN, "was not found in ldap server"),
	BK_PH(USERUNKNOWN, "the address is invalid"),
	BK_PH(USERUNKNOWN, "unable to find alias user"),
	BK_PH(USERUNKNOWN, "account not found"),
	BK_PH(USERUNKNOWN, "no mailbox here"),
	BK_PH(USERUNKNOWN, "recipient refuses to accept your mail"),
	BK_PH(USERUNKNOWN, "recipient unknown"),
	BK_PH(USERUNKNOWN, "requested action not taken: mailbox unavailable"),
	BK_PH(USERUNKNOWN, "resolver.adr.recipient notfound"),
	BK_PH(USERUNKNOWN, "sorry, user unknown"),
	BK_PH(USERUNKNOWN, "sorry, badrcptto"),
	BK_PH(USERUNKNOWN, "sorry, no mailbox here by that name"),
	BK_PH(USERUNKNOWN, "sorry, your envelope recipient has been denied"),
	BK_PH(USERUNKNOWN, "that domain or user isn't in my list of allowed rcpthosts"),
	BK_PH(USERUNKNOWN, "the email account that you tried to reach does not exist"),
	BK_PH(USERUNKNOWN, "the following recipients was undeliverable"),
	BK_PH(USERUNKNOWN, "the user's email name is not found"),
	BK_PH(USERUNKNOWN, "there is no one at this address"),
	BK_PH(USERUNKNOWN, "this address no longer accepts mail"),
	BK_PH(USERUNKNOWN, "this email address is wrong or no longer valid"),
	BK_PH(USERUNKNOWN, "this recipient is in my badrecipientto list"),
	BK_PH(USERUNKNOWN, "this recipient is not in my validrcptto list"),
	BK_PH(USERUNKNOWN, "this spectator does not exist"),
	BK_PH(USERUNKNOWN, "unknown mailbox"),
	BK_PH(USERUNKNOWN, "unknown recipient"),
	BK_PH(USERUNKNOWN, "unknown user"),
	BK_PH(USERUNKNOWN, "user does not exist"),
	BK_PH(USERUNKNOWN, "user missing home directory"),
	BK_PH(USERUNKNOWN, "user not active"),
	BK_PH(USERUNKNOWN, "user not exist"),
	BK_PH(USERUNKNOWN, "user not found"),	/* also filtered */
	BK_PH(USERUNKNOWN, "user not known"),
	BK_PH(USERUNKNOWN, "user unknown"),
	BK_PH(USERUNKNOWN, "user <", "> unknown"),	/* Courier: its local module, submit and aliasexp, "550 User <nosuch> unknown" */
	BK_PH(USERUNKNOWN, "utilisateur inconnu !"),	/* French */
	BK_PH(USERUNKNOWN, "vdeliver: invalid or unknown virtual user"),
	/* [go] German (GMX/web.de style) */
	BK_PH(USERUNKNOWN, "weil die adresse nicht gefunden wurde oder keine e-mails empfangen kann"),
	BK_PH(USERUNKNOWN, "your envelope recipient is in my badrcptto list"),
	BK_PH(USERUNKNOWN, "<", "> not found"),
	BK_PH(USERUNKNOWN, "<", ">... blocked by "),
	BK_PH(USERUNKNOWN, "account ", " does not exist at the organization"),
	/* French + English (Orange/Wanadoo) */
	BK_PH(USERUNKNOWN, "adresse d au moins un destinataire invalide. invalid recipient.", "416"),
	BK_PH(USERUNKNOWN, "adresse d au moins un destinataire invalide. invalid recipient.", "418"),
	BK_PH(USERUNKNOWN, "bad", "recipient"),
	BK_PH(USERUNKNOWN, "mailbox ", "does not exist"),
	BK_PH(USERUNKNOWN, "mailbox ", "unavailable or access denied"),
	BK_PH(USERUNKNOWN, "no ", " in name directory"),
	BK_PH(USERUNKNOWN, "non", "existent user"),
	BK_PH(USERUNKNOWN, "rcpt <", " does not exist"),
	BK_PH(USERUNKNOWN, "rcpt (", "t exist "),
	BK_PH(USERUNKNOWN, "recipient ", " was not found in"),
	BK_PH(USERUNKNOWN, "recipient address rejected: user ", "  does not exist"),
	BK_PH(USERUNKNOWN, "recipient address rejected: user unknown in ", "  table"),
	/* go form; Perl 5.2 has {"said: 550-5.1.1 ", " user unknown "} and
	 * {"said: 550 5.1.1 ", " user unknown "}, both covered by this one */
	BK_PH(USERUNKNOWN, "said: 550", "5.1.1 ", " user unknown "),
	BK_PH(USERUNKNOWN, "this user doesn't have a ", " account"),
	BK_PH(USERUNKNOWN, "unknown e", "mail address"),
	BK_PH(USERUNKNOWN, "unknown local", "part"),
	BK_PH(USERUNKNOWN, "user ", " was not found"),
	BK_PH(USERUNKNOWN, "user ", " does not exist"),
	BK_PH(USERUNKNOWN, "user (", ") unknown"),

	/* ---- vacation (used only as a last resort, before onhold) ---- */
	BK_PH(VACATION, "i am away on vacation"),
	BK_PH(VACATION, "i am away until"),
	BK_PH(VACATION, "i am out of the office"),
	BK_PH(VACATION, "i will be traveling for work on"),

	/* ---- virusdetected ---- */
	BK_PH(VIRUSDETECTED, "it has a potentially executable attachment"),
	BK_PH(VIRUSDETECTED, "the message was rejected because it contains prohibited virus or spam content"),
	BK_PH(VIRUSDETECTED, "this form of attachment has been used by recent viruses or other malware"),
	BK_PH(VIRUSDETECTED, "virus detected"),
	BK_PH(VIRUSDETECTED, "virus phishing/malicious_url detected"),
	BK_PH(VIRUSDETECTED, "your message was infected with a virus"),
	BK_PH(VIRUSDETECTED, " - infected: "),	/* amavisd-new: "554 5.7.0 Reject, id=... - INFECTED: name" */
	BK_PH(VIRUSDETECTED, "this message contains a virus"),	/* Exim's malware ACL, as its spec and default configure word it */
};

const struct bk_phrase_table bk_phrases_en = { "en", rows, sizeof rows / sizeof rows[0] };
