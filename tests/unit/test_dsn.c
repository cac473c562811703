/* SPDX-License-Identifier: BSD-2-Clause */
/* test_dsn.c - status codes, reply codes, commands, DSN fields. */
#include "dsn/dsn.h"
#include "reason/reason.h"
#include "t.h"

T_TEST(test_status_find)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "5.1.1", "5.1.1" },
		{ "  4.2.2 full", "4.2.2" },
		{ "550 5.1.1 <a@example.jp>... User Unknown", "5.1.1" },
		{ "5.1", NULL },			/* RFC 3463: three fields */
		{ "6.0.0", NULL },			/* class is 2, 4 or 5 */
		{ "host 192.0.2.1 said", NULL },	/* an IPv4 address */
		{ "[5.6.7.8] refused", NULL },
		{ "Postfix v2.5.5 said", NULL },	/* a version */
		{ "550 5.0.0 and then 5.7.1 blocked", "5.7.1" },
		{ "550 5.0.0 only", "5.0.0" },
		{ "5.7.26 unauthenticated", "5.7.26" },
		{ "4.4.7 expired; 5.1.1 unknown", "5.1.1" },
	};
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		char got[BK_STATUS_MAX];
		bool ok = bk_status_find(bk_sv_c(cases[i].in), 0, got);
		T_CHECK_AT(ok == (cases[i].want != NULL), i);
		if (ok && cases[i].want)
			T_CHECK_AT(strcmp(got, cases[i].want) == 0, i);
	}
}

T_TEST(test_status_prefer)
{
	static const struct {
		const char *field, *text, *reply, *want;
	} cases[] = {
		{ "5.0.0", "5.1.1", "", "5.1.1" },
		{ "5.1.1", "5.0.0", "", "5.1.1" },
		{ "", "5.2.2", "", "5.2.2" },
		{ "4.4.7", "5.1.1", "550", "5.1.1" },
		{ "5.1.1", "4.2.2", "452", "4.2.2" },
		{ "5.3.0", "5.1.1", "", "5.1.1" },
		{ "5.7.1", "5.7.1", "", "5.7.1" },
		{ "5.1.3", "5.7.1", "", "5.7.1" },
		{ "5.7.2", "5.7.26", "550", "5.7.26" },	/* cut short */
		{ "5.7.1", "5.7.26", "550", "5.7.26" },	/* generic detail */
		{ "5.7.26", "5.7.1", "550", "5.7.26" },
		{ "5.7.1", "5.1.10", "550", "5.7.1" },	/* another subject */
	};
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_sv p = bk_status_prefer(bk_sv_c(cases[i].field),
			bk_sv_c(cases[i].text), bk_sv_c(cases[i].reply));
		T_CHECK_AT(bk_sv_eq(p, bk_sv_c(cases[i].want)), i);
	}
}

T_TEST(test_status_reason)
{
	T_CHECK(bk_status_reason(BK_SV("5.1.1")) == BK_R_USERUNKNOWN);
	T_CHECK(bk_status_reason(BK_SV("4.2.2")) == BK_R_MAILBOXFULL);
	T_CHECK(bk_status_reason(BK_SV("5.7.26")) == BK_R_AUTHFAILURE);
	T_CHECK(bk_status_reason(BK_SV("5.0.0")) == -1);
	/* first, last and multi-digit rows of the table; near misses */
	T_CHECK(bk_status_reason(BK_SV("2.1.5")) == BK_R_DELIVERED);
	T_CHECK(bk_status_reason(BK_SV("5.7.30")) == BK_R_FAILEDSTARTTLS);
	T_CHECK(bk_status_reason(BK_SV("5.1.10")) == BK_R_NOTACCEPT);
	T_CHECK(bk_status_reason(BK_SV("4.7.12")) == BK_R_SECURITYERROR);
	T_CHECK(bk_status_reason(BK_SV("5.1.01")) == -1);
	T_CHECK(bk_status_reason(BK_SV("5.1.1x")) == -1);
	T_CHECK(bk_status_reason(BK_SV("5.7.31")) == -1);
	T_CHECK(bk_status_is_pseudo(BK_SV("5.0.911")));
	T_CHECK(!bk_status_is_pseudo(BK_SV("5.1.1")));
}

T_TEST(test_reply_find)
{
	static const struct {
		const char *in;
		char hint;
		const char *want;
	} cases[] = {
		{ "550 5.1.1 User unknown", 0, "550" },
		{ "host said: 452 4.2.2 Mailbox full", 0, "452" },
		{ "5.5.0 5501 not a code", 0, NULL },
		{ "error 550.1", 0, NULL },
		{ "421 then 550", '4', "421" },
		{ "X-Unix; 550 mailer", 0, NULL },
		{ "999 nothing", 0, NULL },
		/* codes across and after the sixteen-byte blocks of the scan */
		{ "the remote server said only 452", 0, "452" },
		{ "the remote server said it, 5510 and 4521 are no codes", 0, NULL },
		{ "0123456789abcde 421-0123456789abcd 450", '4', "421" },
		{ "a long text with no code in it at all, none", 0, NULL },
	};
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		char got[4];
		bool ok = bk_reply_find(bk_sv_c(cases[i].in), cases[i].hint, got);
		T_CHECK_AT(ok == (cases[i].want != NULL), i);
		if (ok && cases[i].want)
			T_CHECK_AT(strcmp(got, cases[i].want) == 0, i);
	}
	T_CHECK(bk_reply_valid(BK_SV("550")) && !bk_reply_valid(BK_SV("599")));
	T_CHECK(bk_reply_valid(BK_SV("354")) && !bk_reply_valid(BK_SV("300")));
}

T_TEST(test_command_find)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "(in reply to RCPT TO command)", "RCPT" },
		{ "SMTP error from remote mail server after end of data", "" },
		{ ">>> DATA <<< 554 rejected", "DATA" },
		{ "DATABASE@EXAMPLE.JP refused", "" },
		{ "in reply to MAIL FROM command", "MAIL" },
		{ "while talking to mx: >>> MAIL From:<a> <<< 550 ... >>> RCPT To:<b>", "RCPT" },
		{ "EHLO rejected", "EHLO" },
	};
	for (size_t i = 0; i < BK_NELEM(cases); i++)
		T_CHECK_AT(strcmp(bk_command_find(bk_sv_c(cases[i].in)), cases[i].want) == 0, i);
}

T_TEST(test_dsn_fields)
{
	static const struct {
		const char *line;
		enum bk_dsn_field f;
		const char *type, *value;
	} cases[] = {
		{ "Final-Recipient: RFC822; a@example.org", BK_DF_FINAL_RECIPIENT, "RFC822", "a@example.org" },
		{ "final-recipient:rfc822;a@example.org", BK_DF_FINAL_RECIPIENT, "rfc822", "a@example.org" },
		{ "Status: 5.1.1 (bad)", BK_DF_STATUS, "", "5.1.1 (bad)" },
		{ "Diagnostic-Code: smtp; 550 5.1.1 x; y", BK_DF_DIAGNOSTIC_CODE, "smtp", "550 5.1.1 x; y" },
		{ "Diagnostic-Code: 550 5.1.1 a; b", BK_DF_DIAGNOSTIC_CODE, "", "550 5.1.1 a; b" },
		{ "Reporting-MTA: dns; mx.example.jp", BK_DF_REPORTING_MTA, "dns", "mx.example.jp" },
		{ "Subject: no", BK_DF_NONE, "", "" },
		{ "Action : failed", BK_DF_ACTION, "", "failed" },
	};
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_sv type = BK_SV(""), value = BK_SV("");
		enum bk_dsn_field f = bk_dsn_field(bk_sv_c(cases[i].line), &type, &value);
		T_CHECK_AT(f == cases[i].f, i);
		if (f == BK_DF_NONE)
			continue;
		T_CHECK_AT(bk_sv_eq(type, bk_sv_c(cases[i].type)), i);
		T_CHECK_AT(bk_sv_eq(value, bk_sv_c(cases[i].value)), i);
	}
	/* every name, found by its length (fields.c: by_len) in any case */
	static const struct {
		const char *line;
		enum bk_dsn_field f;
	} names[] = {
		{ "action: x", BK_DF_ACTION }, { "STATUS: x", BK_DF_STATUS },
		{ "Remote-MTA: x", BK_DF_REMOTE_MTA },
		{ "DSN-Gateway: x", BK_DF_DSN_GATEWAY },
		{ "Arrival-Date: x", BK_DF_ARRIVAL_DATE },
		{ "Final-Log-ID: x", BK_DF_FINAL_LOG_ID },
		{ "reporting-mta: x", BK_DF_REPORTING_MTA },
		{ "Final-Recipient: x", BK_DF_FINAL_RECIPIENT },
		{ "Diagnostic-Code: x", BK_DF_DIAGNOSTIC_CODE },
		{ "X-Postfix-Sender: x", BK_DF_NONE },
		{ "Will-Retry-Until: x", BK_DF_WILL_RETRY_UNTIL },
		{ "Received-From-MTA: x", BK_DF_RECEIVED_FROM_MTA },
		{ "Last-Attempt-Date: x", BK_DF_LAST_ATTEMPT_DATE },
		{ "Original-Recipient: x", BK_DF_ORIGINAL_RECIPIENT },
		{ "X-Actual-Recipient: x", BK_DF_X_ACTUAL_RECIPIENT },
		{ "Original-Envelope-Id: x", BK_DF_ORIGINAL_ENVELOPE_ID },
		{ "Final-Recipients: x", BK_DF_NONE },
		{ "Finalrecipient: x", BK_DF_NONE },
		{ "Original-Envelope-Ids: x", BK_DF_NONE },
		{ "Final_Recipient: x", BK_DF_NONE },
		{ "Final\rRecipient: x", BK_DF_NONE },
		{ "Final-Recipien\x14: x", BK_DF_NONE },
		{ "DIAGNOSTIC-CODE: x", BK_DF_DIAGNOSTIC_CODE },
	};
	for (size_t i = 0; i < BK_NELEM(names); i++) {
		struct bk_sv type, value = BK_SV("");
		T_CHECK_AT(bk_dsn_field(bk_sv_c(names[i].line), &type, &value) ==
				   names[i].f, i);
		T_CHECK_AT(names[i].f == BK_DF_NONE || bk_sv_eq(value, BK_SV("x")), i);
	}
	T_CHECK(strcmp(bk_action_normalize(BK_SV("Failed")), "failed") == 0);
	T_CHECK(strcmp(bk_action_normalize(BK_SV("failed (bad address)")), "failed") == 0);
	T_CHECK(strcmp(bk_action_normalize(BK_SV("weird")), "") == 0);
}
