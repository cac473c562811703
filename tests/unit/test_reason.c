/* SPDX-License-Identifier: BSD-2-Clause */
/* test_reason.c - the phrase matcher and the classifier. */
#include <stdlib.h>
#include <string.h>

#include "bouncekit/bouncekit.h"
#include "reason/reason.h"
#include "reason/rule.h"
#include "t.h"

T_TEST(test_phrases_linear_and_ordered)
{
	/* single pieces, any case */
	bk_reason_set s = bk_phrases_match(BK_SV("550 5.1.1 USER UNKNOWN here"));
	T_CHECK(bk_phrase_in(s, BK_R_USERUNKNOWN));
	T_CHECK(!bk_phrase_in(bk_phrases_match(BK_SV("all fine")), BK_R_USERUNKNOWN));
	T_CHECK(bk_phrases_match(BK_SV("")) == 0);
	/* a long repetitive text is scanned once */
	static char big[200000];
	memset(big, 'a', sizeof(big));
	memcpy(big + sizeof(big) - 20, " mailbox full", 13);
	s = bk_phrases_match(bk_sv_make(big, sizeof(big)));
	(void)s;	/* beyond the 64 KiB window: not an error to miss */
	T_CHECK(true);
}

T_TEST(test_classify_basics)
{
	static const struct {
		const char *status, *diag, *cmd, *want;
	} cases[] = {
		{ "5.1.1", "550 5.1.1 <a@example.jp>... User Unknown", "RCPT", "userunknown" },
		{ "2.1.5", "250 ok", "", "delivered" },
		{ "5.2.2", "552 5.2.2 Mailbox full", "", "mailboxfull" },
		{ "", "", "", "undefined" },
		{ "", "something nobody understands", "", "onhold" },
		{ "5.7.26", "550 5.7.26 unauthenticated", "", "authfailure" },
		{ "", "A message that you sent has not yet been delivered to one or more of its recipients after 2 days.", "", "expired" },
		{ "", "No action is required on your part. Delivery attempts will continue for some time", "", "expired" },
		{ "", "Messages without To: fields are not accepted here", "", "contenterror" },
		{ "5.0.0", "host mx.example.net[192.0.2.2] said: 554 No Resent-From field given", "DATA", "contenterror" },
		{ "", "kijitora@example.edu Does not have a final email delivery point, please contact this person by alternate means.", "RCPT", "userunknown" },
		{ "5.0.0", "550 zen.example.net Listed by CSS", "RCPT", "blocked" },
		{ "", "550 5.7.1 Rejected: 192.0.2.1 listed at zen.spamhaus.org", "RCPT", "blocked" },
		{ "", "554 mx.example.net 192.0.2.1 found on one or more DNSBLs, see http://postmaster.example.net/", "", "blocked" },
		{ "", "550 Rejected 192.0.2.1 found in dnsbl.example.org", "", "blocked" },
		{ "", "550 https://www.spamhaus.org/query/ip/192.0.2.1", "", "blocked" },
		{ "", "550 5.7.1 The IP address was rejected by the Realtime Block List provider bl.example.org.", "", "blocked" },
		{ "", "451 Over-quota", "RCPT", "mailboxfull" },
		{ "", "lowest numbered MX record points to local host", "", "systemerror" },
		{ "", "550 mx.example.net Poor Reputation Sender.", "", "badreputation" },
		{ "", "550 DNS error when resolving MX server for example.net: Domain name not found", "", "hostunknown" },
		{ "", "550 <kijitora@example.org>... Addressee unknown", "RCPT", "userunknown" },
		{ "", "550 No such email address", "RCPT", "userunknown" },
		{ "5.2.1", "550 5.2.1 Mailbox is disabled", "RCPT", "suspend" },
		{ "4.2.2", "452 Quota violation for kijitora@example.org", "RCPT", "mailboxfull" },
		{ "", "550 Connection refused due to abuse", "", "blocked" },
		{ "", "550 Sorry, looks like spam", "DATA", "spamdetected" },
		{ "", "550 Message does not pass DomainKeys", "DATA", "authfailure" },
		{ "", "421 You have exceeded the rate limit", "", "speeding" },
		{ "5.0.0", "Recipient user name neko (neko@example.org) not listed in Domino Directory", "RCPT", "userunknown" },
		{ "", "subject was \"money\" (filter fail)", "", "filtered" },
		{ "5.0.0", "no valid MX hosts found", "", "hostunknown" },
		{ "5.4.310", "550 5.4.310 DNS domain example.net does not exist [Message=InfoDomainNonexistent]", "", "hostunknown" },
		{ "", "550 Your host is not allowed to connect to this server.", "RCPT", "blocked" },
		{ "", "all relevant MX records point to non-existent hosts", "", "hostunknown" },
		{ "5.0.0", "554 5.7.0 Reject, id=01234-05 - INFECTED: Eicar-Signature", "DATA", "virusdetected" },
		{ "5.0.0", "554 5.7.0 Reject, id=20025-09 - SPAM", "DATA", "spamdetected" },
		{ "4.2.0", "450 4.2.0 <user@example.net>: Recipient address rejected: Greylisted, see http://greylist.example.org/help/example.net.html", "RCPT", "expired" },
		{ "", "user@example.net: message too large for peer", "", "mesgtoobig" },
		/* receivers' wording beyond the lab's one Postfix (docs/classifier.md,
		 * "Wording beyond the lab's one configuration") */
		{ "", "552 Message size exceeds maximum permitted", "MAIL", "mesgtoobig" },
		{ "", "552 Message is too large; 20000 bytes max", "", "mesgtoobig" },
		{ "5.0.0", "550 This message contains a virus (Eicar-Signature)", "DATA", "virusdetected" },
		{ "5.7.1", "550 5.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.9]", "RCPT", "requireptr" },
		{ "5.5.1", "530 5.5.1 Invalid command: Must issue a STARTTLS command first", "MAIL", "securityerror" },
		{ "5.7.1", "550 5.7.1 Rejected: 192.0.2.10 listed at bl.example.org", "RCPT", "blocked" },
		{ "", "550 User <nosuch> unknown", "RCPT", "userunknown" },
		{ "5.7.1", "554 5.7.1 Spam message rejected", "DATA", "spamdetected" },
		/* the sending MTA's own words once it gives up */
		{ "5.0.0", "Connection refused", "", "networkerror" },
		{ "5.0.0", "Host or network unreachable", "", "networkerror" },
		{ "5.1.2", "550 5.1.2 Tried all MXs example.net", "", "networkerror" },
		{ "4.4.7", "Deferred: Connection refused by mx.example.net.", "", "blocked" },
		{ "", "TLS required but not supported by remote host", "", "failedstarttls" },
		{ "5.7.0", "530 5.7.0 STARTTLS is required to send mail", "MAIL", "failedstarttls" },
	};
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_classify_in in = {
			.status = bk_sv_c(cases[i].status), .diag = bk_sv_c(cases[i].diag),
			.command = bk_sv_c(cases[i].cmd), .diagtype = BK_SV("SMTP"),
		};
		int r = bk_classify(&in);
		T_CHECK_AT(strcmp(bk_reason_name(r), cases[i].want) == 0, i);
	}
	/* another diagnostic type skips the probes, but a phrase read by them
	 * still beats onhold */
	struct bk_classify_in xn = {
		.status = BK_SV("5.0.0"), .diagtype = BK_SV("X-NOTES"),
		.diag = BK_SV("User neko (neko@example.org) not listed in Domino Directory"),
	};
	T_CHECK(bk_classify(&xn) != BK_R_ONHOLD);
	xn.diag = BK_SV("something nobody understands");
	T_CHECK(bk_classify(&xn) == BK_R_ONHOLD);
	/* what a format states stands, unless it is worth a second look */
	struct bk_said arf = bk_said_row(&bk_rules_arf, BK_ARF_REPORT);
	struct bk_classify_in fb = { .said = &arf };
	T_CHECK(bk_classify(&fb) == BK_R_FEEDBACK);
	struct bk_said exim = bk_rule_find(&bk_rules_exim,
					   BK_SV("Unrouteable address"));
	T_CHECK(bk_said_reason(exim) == BK_R_HOSTUNKNOWN);
	struct bk_classify_in ex = {
		.said = &exim, .diag = BK_SV("Unrouteable address"),
	};
	T_CHECK(bk_classify(&ex) == BK_R_HOSTUNKNOWN);
	/* rows described in parentheses are never matched by their text */
	T_CHECK(!bk_said_any(bk_rule_find(&bk_rules_exim,
		BK_SV("(SMTP error after EHLO or HELO)"))));
}

T_TEST(test_hard_and_pseudo)
{
	char p[8];
	T_CHECK(bk_is_hard(BK_R_USERUNKNOWN, BK_SV("")));
	T_CHECK(!bk_is_hard(BK_R_MAILBOXFULL, BK_SV("5.2.2")));
	T_CHECK(bk_is_hard(BK_R_NOTACCEPT, BK_SV("556 5.1.10 null mx")));
	T_CHECK(!bk_is_hard(BK_R_NOTACCEPT, BK_SV("421 4.3.2 not accepting, try again")));
	bk_reason_pseudo(BK_R_USERUNKNOWN, false, p);
	T_CHECK(strcmp(p, "5.0.911") == 0);
	bk_reason_pseudo(BK_R_FILTERED, true, p);
	T_CHECK(strcmp(p, "4.0.924") == 0);
	bk_reason_pseudo(BK_R_DELIVERED, false, p);
	T_CHECK(p[0] == '\0');
}

T_TEST(test_classify_text_api)
{
	struct bk_verdict v;
	bk_classify_text("550 5.1.1 <kijitora@example.jp>: Recipient address rejected: User unknown", 73, &v);
	T_CHECK(strcmp(v.reason, "userunknown") == 0);
	T_CHECK(strcmp(v.status, "5.1.1") == 0 && strcmp(v.replycode, "550") == 0);
	T_CHECK(v.hardbounce);
}

T_TEST(test_reason_table)
{
	const struct bk_reason_info *list;
	size_t n = bk_reasons(&list);
	T_CHECK(n == BK_R__COUNT);
	T_CHECK(bk_reason_by_name(BK_SV("mailboxfull")) == BK_R_MAILBOXFULL);
	T_CHECK(bk_reason_by_name(BK_SV("nonsense")) == -1);
}

T_TEST(test_classify_text_any_length)
{
	/* a long text (over the 4 KB a fixed buffer held) ending in the
	 * reply that decides */
	size_t n = 4200;
	char *t = malloc(n + 64);
	T_CHECK(t != NULL);
	if (!t)
		return;
	for (size_t i = 0; i < n; i++)
		t[i] = i % 7 == 6 ? ' ' : 'x';
	strcpy(t + n, " 550 5.1.1 user unknown");
	struct bk_verdict v;
	bk_classify_text(t, strlen(t), &v);
	T_CHECK(strcmp(v.reason, "userunknown") == 0);
	T_CHECK(strcmp(v.status, "5.1.1") == 0);
	/* the same without a status: the phrase decides */
	strcpy(t + n, " 552 Mailbox is full");
	bk_classify_text(t, strlen(t), &v);
	T_CHECK(strcmp(v.reason, "mailboxfull") == 0);
	free(t);
}
