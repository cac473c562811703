/* SPDX-License-Identifier: BSD-2-Clause */
/* test_lda.c - local delivery agents' own messages (lib/reason/lda.c). */
#include "reason/reason.h"
#include "t.h"

T_TEST(test_lda_agents)
{
	static const struct {
		const char *diag, *cmd;
		int want;
	} cases[] = {
		{ "Your message to <neko@example.jp> was automatically rejected: Not enough disk space", "", BK_R_MAILBOXFULL },
		{ "Your message to <neko@example.jp> was automatically rejected: Quota exceeded (mailbox for user is full)", "DATA", BK_R_MAILBOXFULL },
		{ "Your message to <neko@example.jp> was automatically rejected: Mailbox doesn't exist: Spam", "", BK_R_USERUNKNOWN },
		{ "Your message to <neko@example.jp> was automatically rejected: Sieve rejected it", "", BK_R_FILTERED },	/* a Sieve reject: the script's words */
		{ "mail.local: unknown user: kijitora", "", BK_R_USERUNKNOWN },
		{ "mail.local: Disc quota exceeded", "", BK_R_MAILBOXFULL },
		{ "procmail: Quota exceeded while writing \"/var/mail/neko\"", "", BK_R_MAILBOXFULL },
		{ "procmail: Couldn't create \"/var/mail/tmp.neko.22\"", "", BK_R_MAILERERROR },
		{ "maildrop: maildir over quota.", "", BK_R_MAILBOXFULL },
		{ "maildrop: Invalid user specified.", "", BK_R_USERUNKNOWN },
		{ "vdelivermail: Sorry, no mailbox here by that name. (#5.1.1)", "", BK_R_USERUNKNOWN },
		{ "vdelivermail: user is over quota", "", BK_R_MAILBOXFULL },
		{ "vdelivermail: account is locked email bounced", "", BK_R_SUSPEND },
		{ "vdeliver: Invalid or unknown virtual user 'neko'", "", BK_R_USERUNKNOWN },
		{ "vdeliver: Delivery failed due to system quota violation", "", BK_R_MAILBOXFULL },
		{ "554 \"|/usr/bin/procmail -f-\"... Service unavailable", "", BK_R_MAILERERROR },
		/* an SMTP refusal before DATA is not a delivery agent's */
		{ "mail.local: unknown user: kijitora", "RCPT", -1 },
		{ "550 5.1.1 User unknown", "", -1 },
		{ "", "", -1 },
		/* marks ending in ": " are looked for where a ": " is: in any
		 * case, after other ones, at the very start or end, and past
		 * sixteen of them (searched for then) */
		{ "host x: said: MAIL.LOCAL: unknown user: neko", "", BK_R_USERUNKNOWN },
		{ "x: y: Procmail: ", "", BK_R_MAILERERROR },
		{ "notprocmail : x", "", -1 },
		{ "procmail:x", "", -1 },
		{ "a: b: c: d: e: f: g: h: i: j: k: l: m: n: o: p: q: r: "
		  "maildrop: maildir over quota.", "", BK_R_MAILBOXFULL },
		{ "a: b: c: d: e: f: g: h: i: j: k: l: m: n: o: p: q: r: s", "", -1 },
	};
	for (size_t i = 0; i < BK_NELEM(cases); i++)
		T_CHECK_AT(bk_lda_reason(bk_sv_c(cases[i].diag), bk_sv_c(cases[i].cmd)) ==
			   cases[i].want, i);
}
