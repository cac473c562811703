/* SPDX-License-Identifier: BSD-2-Clause */
/* test_provider.c - provider selection and each provider's tables. */
#include "reason/provider.h"
#include "t.h"

T_TEST(test_provider_code_in)
{
	static const struct {
		const char *code, *list;
		bool want;
	} cases[] = {
		{ "5.7.1", "5.7.1", true },
		{ "5.7.1", "5.7.10", false },	/* no prefix match */
		{ "5.7.10", "5.7.1", false },
		{ "4.7.26", "x.7.26", true },
		{ "5.7.26", "4.7.26 5.7.26", true },
		{ "5.7.606", "5.7.606-649", true },
		{ "5.7.649", "5.7.606-649", true },
		{ "5.7.650", "5.7.606-649", false },
		{ "5.6.610", "5.7.606-649", false },
		{ "4.7.550", "4.7.500-699 4.7.850-899", true },
		{ "550", "421 550", true },
		{ "551", "421 550", false },
		{ "", "550", false },
		{ "5.1.5", "5.1.4-5", true },
	};
	for (size_t i = 0; i < BK_NELEM(cases); i++)
		T_CHECK_AT(bk_code_in(bk_sv_c(cases[i].code), cases[i].list) ==
			   cases[i].want, i);
}

/* The compiled tables answer as the code lists read as strings: every
 * list of the kinds the providers write, against codes near and far. */
static const struct bk_prow lists[] = {
	{ 1, "5.7.1", NULL, NULL },
	{ 2, "5.7.10 x.7.26", NULL, NULL },
	{ 3, "4.7.26 5.7.26", "421 550", NULL },
	{ 4, "5.7.606-649", NULL, NULL },
	{ 5, "4.7.500-699 4.7.850-899", "x21", NULL },
	{ 6, "5.1.4-5", NULL, NULL },
	{ 7, "x.4.317", "550", "over quota" },
	{ 8, "5.7.1-5.7.3 5.7.-3 5.7.1234567-9", NULL, NULL },	/* never */
	{ 9, "5.7.123456", "550", NULL },	/* longer than a word */
	{ 10, NULL, "x50", NULL },
	{ 11, NULL, NULL, "mailbox unavailable" },
};
BK_PROW_TABLE(lists_table, lists);

T_TEST(test_provider_prows_table)
{
	static const char *const status[] = {
		"", "5.7.1", "5.7.10", "4.7.26", "5.7.26", "x.7.26", "5.7.606",
		"5.7.649", "5.7.650", "5.7.0606", "5.6.610", "4.7.550", "4.7.849",
		"4.7.899", "5.1.4", "5.1.5", "5.1.6", "4.4.317", "5.4.317",
		"5.7.2", "5.7.123456", "5.7.1234567", " 5.7.1 ", "5.7.1a",
		"5.7.00000606", "5.7.000000606",
	};
	static const char *const reply[] = {
		"", "421", "550", "521", "x21", "450", "55", "5500", " 550",
	};
	static const char *const diag[] = {
		"", "Mailbox is OVER QUOTA", "requested action: mailbox unavailable",
	};
	size_t k = 0;
	for (size_t i = 0; i < BK_NELEM(status); i++)
		for (size_t j = 0; j < BK_NELEM(reply); j++)
			for (size_t d = 0; d < BK_NELEM(diag); d++, k++) {
				struct bk_classify_in in = {
					.status = bk_sv_c(status[i]),
					.replycode = bk_sv_c(reply[j]),
					.diag = bk_sv_c(diag[d]),
				};
				T_CHECK_AT(bk_prows_table(&in, &lists_table) ==
					   bk_prows(&in, lists, BK_NELEM(lists)), k);
			}
	struct bk_classify_in in = { .status = BK_SV("5.7.640"),
				     .replycode = BK_SV("550") };
	T_CHECK(bk_prows_table(&in, &lists_table) == 4);
	in.status = BK_SV("4.7.870");
	in.replycode = BK_SV("421");
	T_CHECK(bk_prows_table(&in, &lists_table) == 5);
	in.replycode = BK_SV("551");
	T_CHECK(bk_prows_table(&in, &lists_table) == -1);
}

T_TEST(test_provider_selection)
{
	static const struct {
		const char *rhost, *rcpt, *want;
	} cases[] = {
		{ "gmail-smtp-in.l.google.com", "a@example.com", "google" },
		{ "ASPMX.L.GOOGLE.COM.", "a@example.com", "google" },
		{ "mx.example.org", "a@gmail.com", "google" },
		{ "mx.example.org", "a@mail.gmail.com", "google" },
		{ "mx.example.org", "a@notgmail.com", NULL },
		/* suffix at a label boundary, never a substring */
		{ "mx.cox.net.example.org", "a@example.org", NULL },
		{ "evilgoogle.com", "a@example.org", NULL },
		{ "example-com.mail.protection.outlook.com", "a@example.com", "microsoft" },
		{ "mx-aol.mail.gm0.yahoodns.net", "a@aol.com", "yahoo" },	/* host first */
		{ "omr-m04.mx.aol.com", "a@example.jp", "aol" },
		{ "cxr.mx.a.cloudfilter.net", "a@cox.net", "cox" },
		{ "mx01.mail.icloud.com", "a@example.jp", "apple" },
		{ "smtpz4.laposte.net", "a@example.fr", "franceptt" },
		{ "mfsmax.docomo.ne.jp", "a@example.jp", "docomo" },
		{ "", "a@ezweb.ne.jp", "kddi" },
		{ "mx3.qq.com", "a@example.cn", "tencent" },
		{ "", "", NULL },
	};
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_classify_in in = {
			.rhost = bk_sv_c(cases[i].rhost),
			.recipient = bk_sv_c(cases[i].rcpt),
		};
		const struct bk_provider *p = bk_provider_of(&in);
		if (!cases[i].want)
			T_CHECK_AT(p == NULL, i);
		else
			T_CHECK_AT(p && strcmp(p->name, cases[i].want) == 0, i);
	}
	T_CHECK(bk_provider_by_name(BK_SV("Google")) == &bk_provider_google);
	T_CHECK(bk_provider_by_name(BK_SV("nobody")) == NULL);
}

struct pcase {
	const char *rhost, *rcpt, *status, *reply, *cmd, *diag;
	const char *want;	/* NULL: the tables do not match */
};

static void
check_cases(const struct pcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct pcase *c = &cases[i];
		struct bk_classify_in in = {
			.rhost = bk_sv_c(c->rhost), .recipient = bk_sv_c(c->rcpt),
			.status = bk_sv_c(c->status), .replycode = bk_sv_c(c->reply),
			.command = bk_sv_c(c->cmd), .diag = bk_sv_c(c->diag),
			.diagtype = BK_SV("SMTP"),
		};
		bool final;
		int r = bk_provider_reason(&in, &final);
		if (!c->want)
			T_CHECK_AT(r == -1, i);
		else
			T_CHECK_AT(r >= 0 && strcmp(bk_reason_name(r), c->want) == 0, i);
	}
}

#define G "gmail-smtp-in.l.google.com"

T_TEST(test_provider_google)
{
	static const struct pcase cases[] = {
		{ G, "a@example.org", "5.7.26", "550", "DATA",
		  "550 5.7.26 This mail has been blocked because the sender is unauthenticated. "
		  "Gmail requires all senders to authenticate with either SPF or DKIM.", "authfailure" },
		{ G, "a@example.org", "4.7.26", "421", "DATA",
		  "421 4.7.26 This mail has been rate limited because it is unauthenticated. "
		  "Gmail requires all senders to authenticate with either SPF or DKIM.", "authfailure" },
		{ G, "a@example.org", "5.2.1", "550", "RCPT",
		  "550 5.2.1 The email account that you tried to reach is inactive.", "suspend" },
		{ G, "a@example.org", "5.1.1", "550", "RCPT",
		  "550 5.1.1 The email account that you tried to reach does not exist.", "userunknown" },
		{ G, "a@example.org", "4.2.2", "452", "RCPT",
		  "452 4.2.2 The recipient's inbox is out of storage space.", "mailboxfull" },
		{ G, "a@example.org", "5.7.1", "550", "DATA",
		  "550 5.7.1 This message is not RFC 5322 compliant. There are multiple Subject headers.",
		  "notcompliantrfc" },
		{ G, "a@example.org", "4.7.0", "421", "DATA",
		  "421 4.7.0 TLS required for RCPT domain, closing connection.", "failedstarttls" },
		{ G, "a@example.org", "4.7.28", "421", "DATA",
		  "421 4.7.28 Gmail has detected an unusual rate of mail originating from your IP address",
		  "blocked" },
		/* a documented text with another code: not Google's row */
		{ G, "a@example.org", "5.1.1", "550", "RCPT",
		  "550 5.1.1 The email account that you tried to reach is inactive.", NULL },
		/* no reply code: the rows need one */
		{ G, "a@example.org", "5.2.1", "", "RCPT",
		  "The email account that you tried to reach is disabled.", NULL },
		/* Workspace notices written by Google's own MTA */
		{ "mail-qk0-x247.google.com", "a@example.org", "4.0.0", "", "",
		  "DNS Error: 80458680 DNS type 'mx' lookup of example.org responded with code "
		  "NOERROR The domain example.org doesn't receive email according to the "
		  "administrator: returned Null MX", "notaccept" },
		{ "mail-qk0-x247.google.com", "a@example.org", "4.0.0", "", "",
		  "DNS Error: 80335577 DNS type 'mx' lookup of example.org responded with code "
		  "NXDOMAIN Domain name not found: example.org", "networkerror" },
		{ "mail-qk0-x247.google.com", "a@example.org", "5.0.0", "550", "",
		  "DNS Error: 80335577 DNS type 'mx' lookup of example.org responded with code "
		  "NXDOMAIN Domain name not found: example.org", "hostunknown" },
		{ "mail-lf0-f66.google.com", "a@example.org", "5.0.0", "", "",
		  "Your message wasn't delivered to a@example.org because the address couldn't be "
		  "found. Check for typos or unnecessary spaces and try again.", "userunknown" },
	};
	check_cases(cases, BK_NELEM(cases));
}

#define M "example-com.mail.protection.outlook.com"

T_TEST(test_provider_microsoft)
{
	static const struct pcase cases[] = {
		{ M, "a@example.com", "5.7.606", "550", "DATA",
		  "550 5.7.606 Access denied, banned sending IP [192.0.2.25].", "blocked" },
		{ M, "a@example.com", "5.7.650", "550", "DATA",
		  "550 5.7.650 Access denied, banned sending IP [192.0.2.25].", NULL },
		{ M, "a@example.com", "5.7.509", "550", "DATA",
		  "550 5.7.509 Access denied, sending domain [EXAMPLE.ORG] does not pass DMARC "
		  "verification and has a DMARC policy of reject.", "authfailure" },
		{ M, "a@example.com", "4.7.650", "451", "MAIL",
		  "451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due "
		  "to IP reputation.", "badreputation" },
		{ M, "a@example.com", "5.4.1", "550", "RCPT",
		  "550 5.4.1 Recipient address rejected: Access denied.", "userunknown" },
		{ M, "a@example.com", "5.7.705", "550", "RCPT",
		  "550 5.7.705 Access denied, tenant has exceeded threshold.", "speeding" },
		{ M, "a@example.com", "5.1.10", "550", "RCPT",
		  "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
		  "userunknown" },
		/* the status is required for Exchange's rows */
		{ M, "a@example.com", "", "550", "RCPT",
		  "550 Access denied, banned sending IP [192.0.2.25].", NULL },
		/* Outlook.com's older MTAs */
		{ "bay004-mc1f6.hotmail.com", "a@example.org", "5.5.0", "550", "",
		  "550 Requested action not taken: mailbox unavailable (-2147:2222:-2147)",
		  "userunknown" },
		{ "", "a@outlook.com", "5.2.2", "550", "",
		  "550 5.2.2 Mailbox full", "mailboxfull" },
	};
	check_cases(cases, BK_NELEM(cases));
}

#define Y "mta6.am0.yahoodns.net"

T_TEST(test_provider_yahoo)
{
	static const struct pcase cases[] = {
		{ Y, "a@yahoo.com", "4.7.0", "421", "MAIL",
		  "421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to "
		  "unexpected volume or user complaints - 4.16.55.1", "rejected" },
		{ Y, "a@yahoo.com", "5.0.0", "554", "DATA",
		  "554 delivery error: dd This user doesn't have a yahoo.com account (a@yahoo.com) [0]",
		  "userunknown" },
		{ Y, "a@yahoo.com", "5.7.9", "554", "DATA",
		  "554 5.7.9 Message not accepted for policy reasons.", "policyviolation" },
		{ Y, "a@yahoo.com", "5.0.0", "554", "DATA",
		  "554 delivery error: dd a@yahoo.com is no longer valid. [-5]", "suspend" },
		{ Y, "a@yahoo.com", "4.0.0", "451", "DATA",
		  "451 Message temporarily deferred due to unresolvable RFC.5321 from domain;", "rejected" },
		{ "mx.example.org", "a@ymail.com", "4.0.0", "450", "",
		  "450 User is receiving mail too quickly", "speeding" },
		{ Y, "a@yahoo.com", "5.0.0", "550", "", "550 something else", NULL },
	};
	check_cases(cases, BK_NELEM(cases));
}

T_TEST(test_provider_others)
{
	static const struct pcase cases[] = {
		/* Apple */
		{ "mx01.mail.icloud.com", "a@icloud.com", "5.7.1", "554", "DATA",
		  "554 5.7.1 Your message was rejected due to example.org's DMARC policy.",
		  "authfailure" },
		{ "mx01.mail.icloud.com", "a@icloud.com", "5.1.6", "550", "RCPT",
		  "550 5.1.6 recipient no longer on server: a@icloud.com", "hasmoved" },
		/* AOL's outbound MTAs */
		{ "omr-a015e.mx.aol.com", "a@example.org", "5.4.4", "", "",
		  "Name service error for name=example.org type=MX: Malformed or unexpected name "
		  "server reply", "notaccept" },
		/* Cox: the AUP# code before the text ("sender rejected") */
		{ "cxr.mx.a.cloudfilter.net", "a@cox.net", "5.1.0", "550", "MAIL",
		  "550 5.1.0 <s@example.com> sender rejected. AUP#CDRBL", "blocked" },
		{ "cxr.mx.a.cloudfilter.net", "a@cox.net", "5.1.0", "550", "MAIL",
		  "550 5.1.0 <s@example.com> sender rejected.", "rejected" },
		/* Spectrum */
		{ "", "a@charter.net", "5.1.0", "550", "",
		  "550 5.1.0 <s@example.com> sender rejected. AUP#In-1310", "toomanyconn" },
		{ "", "a@charter.net", "5.1.0", "550", "",
		  "550 5.1.0 <s@example.com> sender rejected. AUP#O-1530", "mesgtoobig" },
		/* GoDaddy */
		{ "smtp.secureserver.net", "a@example.com", "5.1.1", "550", "RCPT",
		  "550 5.1.1 <a@example.com> - 192.0.2.25 has sent to too many recipients this "
		  "hour. IB607 <http://x.co/rlbounce>", "speeding" },
		{ "smtp.secureserver.net", "a@example.com", "5.1.3", "553", "RCPT",
		  "553 http://www.spamhaus.org/query/bl?ip=192.0.2.25", "blocked" },
		/* Orange, La Poste */
		{ "smtpz4.laposte.net", "a@laposte.net", "5.5.0", "550", "RCPT",
		  "550 5.5.0 Le compte du destinataire est bloque. The recipient account is "
		  "blocked. LPN007_426", "suspend" },
		{ "smtp-in.orange.fr", "a@orange.fr", "5.2.0", "550", "DATA",
		  "550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506]", "spamdetected" },
		{ "smtp-in.orange.fr", "a@orange.fr", "5.5.0", "550", "",
		  "550 5.5.0 Service refuse. LPN001_108", "undefined" },
		{ "smtp-in.orange.fr", "a@orange.fr", "5.5.0", "550", "",
		  "550 5.5.0 Service refuse. XLPN001_108", NULL },
		/* I.UA */
		{ "mx3.email.ua", "a@i.ua", "5.0.0", "550", "RCPT",
		  "550 Mailbox is frozen. See http://mail.i.ua/err/3/", "suspend" },
		{ "mx3.email.ua", "a@i.ua", "5.0.0", "550", "RCPT",
		  "550 Sorry. See http://mail.i.ua/err/10/", "filtered" },
		/* KDDI */
		{ "lsean.ezweb.ne.jp", "a@ezweb.ne.jp", "5.0.0", "550", "DATA",
		  "550 : User unknown", "filtered" },
		{ "msmx.au.com", "a@au.com", "5.0.0", "550", "DATA",
		  "550 <a@au.com>: User unknown", "userunknown" },
		/* NTT docomo */
		{ "mfsmax.docomo.ne.jp", "a@docomo.ne.jp", "5.0.0", "550", "DATA",
		  "550 Unknown user a@docomo.ne.jp", "rejected" },
		{ "mfsmax.docomo.ne.jp", "a@docomo.ne.jp", "5.0.0", "550", "RCPT",
		  "550 Unknown user a@docomo.ne.jp", "userunknown" },
		{ "mfsmax.docomo.ne.jp", "a@docomo.ne.jp", "5.2.0", "550", "DATA",
		  "550 Unknown user a@docomo.ne.jp", "filtered" },
		/* Tencent */
		{ "mx3.qq.com", "a@qq.com", "5.0.0", "550", "DATA",
		  "550 Ip frequency limited [...]", "toomanyconn" },
		{ "mx3.qq.com", "a@qq.com", "5.0.0", "550", "DATA",
		  "550 Suspected spam ip, mail refused", "blocked" },
		{ "mx3.qq.com", "a@qq.com", "5.0.0", "550", "DATA",
		  "550 DMARC check failed.", "authfailure" },
		/* Mimecast: reply code and text */
		{ "us-smtp-inbound-1.mimecast.com", "a@example.com", "5.0.0", "554", "RCPT",
		  "554 Host network not allowed - https://community.mimecast.com/docs/DOC-1369#554",
		  "policyviolation" },
		{ "service1.mimecast.com", "a@example.com", "5.0.0", "554", "DATA",
		  "554 email rejected due to security policies - MCSpamSignature.sa.2.2",
		  "virusdetected" },
		{ "service1.mimecast.com", "a@example.com", "5.0.0", "550", "DATA",
		  "550 email rejected due to security policies", NULL },
		/* MessageLabs */
		{ "mail0.bemta0.messagelabs.com", "a@example.com", "5.0.0", "550", "",
		  "550 5.0.0 Please turn on SMTP Authentication in your mail client.",
		  "securityerror" },
		/* Cloudflare */
		{ "route3.mx.cloudflare.net", "a@example.com", "5.7.1", "554", "DATA",
		  "554 5.7.1 192.0.2.25 found on one or more DNSBLs", "blocked" },
		{ "route3.mx.cloudflare.net", "a@example.com", "4.3.0", "421", "DATA",
		  "421 4.3.0 Upstream error, please check ...", NULL },
		/* Zoho */
		{ "mx.zoho.com", "a@example.com", "5.1.1", "550", "RCPT",
		  "550 5.1.1 User does not exist - <a@example.com>", "userunknown" },
		{ "mx.zoho.com", "a@example.com", "5.7.7", "554", "DATA",
		  "554 5.7.7 Email policy violation detected", NULL },
		/* Facebook */
		{ "smtpin.mx.facebook.com", "a@facebook.com", "5.1.1", "550", "",
		  "550 5.1.1 RCP-P2 http://postmaster.facebook.com/response_codes?ip=192.0.2.1#rcp "
		  "Refused due to recipient preferences", "filtered" },
		{ "smtpin.mx.facebook.com", "a@facebook.com", "5.1.1", "550", "",
		  "550 5.1.1 RCP-P1 http://postmaster.facebook.com/response_codes", "userunknown" },
		{ "smtpin.mx.facebook.com", "a@facebook.com", "5.1.1", "550", "",
		  "550 5.1.1 XRCP-P1 no label", NULL },
	};
	check_cases(cases, BK_NELEM(cases));
}

T_TEST(test_provider_final_and_classify)
{
	/* FrancePTT: a known code that names no reason stands as undefined */
	struct bk_classify_in in = {
		.rhost = BK_SV("smtpz4.laposte.net"), .recipient = BK_SV("a@laposte.net"),
		.status = BK_SV("5.5.0"), .replycode = BK_SV("550"),
		.command = BK_SV("HELO"), .diagtype = BK_SV("SMTP"),
		.diag = BK_SV("550 5.5.0 Service refuse. Veuillez essayer plus tard. "
			      "service refused, please try later. LPN001_108"),
	};
	bool final;
	T_CHECK(bk_provider_reason(&in, &final) == BK_R_UNDEFINED && final);
	T_CHECK(bk_classify(&in) == BK_R_UNDEFINED);
	/* the same text from an unknown host: the generic rules decide */
	in.rhost = BK_SV("mx.example.org");
	in.recipient = BK_SV("a@example.org");
	T_CHECK(bk_classify(&in) != BK_R_UNDEFINED);
	/* no table row: the generic rules decide */
	struct bk_classify_in g = {
		.rhost = BK_SV(G), .recipient = BK_SV("a@example.org"),
		.status = BK_SV("5.1.1"), .replycode = BK_SV("550"),
		.command = BK_SV("RCPT"), .diagtype = BK_SV("SMTP"),
		.diag = BK_SV("550 5.1.1 <a@example.org>... User Unknown"),
	};
	T_CHECK(bk_provider_reason(&g, &final) == -1 && !final);
	T_CHECK(bk_classify(&g) == BK_R_USERUNKNOWN);
}
