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
 * one of them are marked "[go]" or "[perl]" (see /work/notes/reason-rules.md).
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
	BK_PH(AUTHFAILURE, "doesn't meet the required authentication level"),	/* [go] */
	BK_PH(AUTHFAILURE, "please inspect your spf settings"),
	BK_PH(AUTHFAILURE, "sender policy framework (spf) fail"),
	BK_PH(AUTHFAILURE, "sender policy framework violation"),
	BK_PH(AUTHFAILURE, "spf (sender policy framework) domain authentication fail"),
	BK_PH(AUTHFAILURE, "spf check: fail"),
	/* [go] written "5322.From" there, so it never matched lower-cased text */
	BK_PH(AUTHFAILURE, "the 5322.from address doesn't meet the authentication requirements defined for the sender"),
	BK_PH(AUTHFAILURE, " is not allowed to send mail.", "_401"),
	BK_PH(AUTHFAILURE, "is not allowed to send from <", " per it's spf record"),

	/* ---- badreputation ---- */
	BK_PH(BADREPUTATION, "a poor email reputation score"),
	BK_PH(BADREPUTATION, "has been temporarily rate limited due to ip reputation"),
	BK_PH(BADREPUTATION, "ip/domain reputation problems"),
	BK_PH(BADREPUTATION, "likely suspicious due to the very low reputation"),
	BK_PH(BADREPUTATION, "none/bad reputation"),	/* [go] t-online.de */
	/* [go] Yahoo; also a blocked phrase (blocked is probed later in Go) */
	BK_PH(BADREPUTATION, "temporarily deferred due to unexpected volume or user complaints"),
	BK_PH(BADREPUTATION, "the sending mta's poor reputation"),

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
	BK_PH(BLOCKED, "you are sending spam"),
	BK_PH(BLOCKED, "your ip address is listed in the rbl"),
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

	/* ---- contenterror ---- */
	BK_PH(CONTENTERROR, "duplicate header"),
	BK_PH(CONTENTERROR, "header size exceeds maximum permitted"),
	BK_PH(CONTENTERROR, "improper use of 8-bit data in message header"),
	BK_PH(CONTENTERROR, "message header size, or recipient list, exceeds policy limit"),
	BK_PH(CONTENTERROR, "message mime complexity exceeds the policy maximum"),
	BK_PH(CONTENTERROR, "routing loop detected -- too many received: headers"),
	BK_PH(CONTENTERROR, "this message contain invalid mime headers"),
	BK_PH(CONTENTERROR, "this message contain improperly-formatted binary content"),
	BK_PH(CONTENTERROR, "this message contain text that uses unnecessary base64 encoding"),

	/* ---- exceedlimit ---- */
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
	BK_PH(EXPIRED, "it has not been collected after"),
	BK_PH(EXPIRED, "message expired after sitting in queue for"),
	BK_PH(EXPIRED, "message expired, cannot connect to remote server"),
	BK_PH(EXPIRED, "message expired, connection refulsed"),	/* sic */
	BK_PH(EXPIRED, "message timed out"),
	BK_PH(EXPIRED, "retry time not reached for any host after a long failure period"),
	BK_PH(EXPIRED, "server did not respond"),
	BK_PH(EXPIRED, "this message has been in the queue too long"),
	BK_PH(EXPIRED, "unable to deliver message after multiple retries"),
	BK_PH(EXPIRED, "was not reachable within the allowed queue period"),
	BK_PH(EXPIRED, "your message could not be delivered for more than"),
	BK_PH(EXPIRED, "could not be delivered for", " days"),	/* [go] */

