/* SPDX-License-Identifier: BSD-2-Clause */
/* test_transcript.c - the SMTP transcript reader (lib/dsn/transcript.c).
 * Each case lists the steps it must yield, one per line, as
 * "command|argument|reply|status|text". */
#include <stdio.h>

#include "dsn/dsn.h"
#include "t.h"

static const struct {
	const char *in, *want;
} cases[] = {
	/* 0: Sendmail, one exchange */
	{ "... while talking to mx.example.org.:\n"
	  ">>> RCPT TO:<kijitora@example.org>\n"
	  "<<< 550 5.1.1 <kijitora@example.org>... User unknown\n",
	  "RCPT|kijitora@example.org|550|5.1.1|"
	  "550 5.1.1 <kijitora@example.org>... User unknown\n" },
	/* 1: pipelined commands get their replies in order */
	{ ">>> MAIL From:<neko@example.jp> SIZE=1024\n"
	  ">>> RCPT To:<kijitora@example.org>\n"
	  ">>> DATA\n"
	  "<<< 250 2.1.0 <neko@example.jp>... Sender ok\n"
	  "<<< 550 5.1.1 <kijitora@example.org>... User unknown\n"
	  "<<< 503 5.0.0 Need RCPT (recipient)\n",
	  "MAIL|neko@example.jp|250|2.1.0|250 2.1.0 <neko@example.jp>... Sender ok\n"
	  "RCPT|kijitora@example.org|550|5.1.1|"
	  "550 5.1.1 <kijitora@example.org>... User unknown\n"
	  "DATA||503|5.0.0|503 5.0.0 Need RCPT (recipient)\n" },
	/* 2: Postfix smtpd: greeting, multi-line reply, folded command, two
	 * replies to DATA, a command without reply at the end */
	{ "Transcript of session follows.\n\n"
	  " Out: 220 mx.example.jp ESMTP\n"
	  " In:  EHLO client.example.net\n"
	  " Out: 250-mx.example.jp\n"
	  " Out: 250-PIPELINING\n"
	  " Out: 250 8BITMIME\n"
	  " In:  MAIL\n"
	  "     FROM:<neko@example.net>\n"
	  "     SIZE=20088\n"
	  " Out: 250 2.1.0 Ok\n"
	  " In:  DATA\n"
	  " Out: 354 End data with <CR><LF>.<CR><LF>\n"
	  " Out: 451 4.3.0 Error: queue file write error\n"
	  " In:  QUIT\n",
	  "CONN||220||220 mx.example.jp ESMTP\n"
	  "EHLO|client.example.net|250||"
	  "250-mx.example.jp 250-PIPELINING 250 8BITMIME\n"
	  "MAIL|neko@example.net|250|2.1.0|250 2.1.0 Ok\n"
	  "DATA||354||354 End data with <CR><LF>.<CR><LF>\n"
	  "DATA||451|4.3.0|451 4.3.0 Error: queue file write error\n"
	  "QUIT||||\n" },
	/* 3: a multi-line failure reply, indented transcript */
	{ "    >>> RCPT TO:<kijitora@example.com>\n"
	  "    <<< 550-5.1.1 The email account that you tried to reach does\n"
	  "    <<< 550 5.1.1 not exist.\n",
	  "RCPT|kijitora@example.com|550|5.1.1|550-5.1.1 The email account "
	  "that you tried to reach does 550 5.1.1 not exist.\n" },
	/* 4: other text between exchanges; the end of the data */
	{ ">>> DATA\n"
	  "<<< 354 Go ahead\n"
	  ">>> .\n"
	  "<<< 554 5.7.1 Message rejected as spam\n"
	  "554 5.7.1 <kijitora@example.org>... Service unavailable\n"
	  "<<< 503 5.0.0 Need RCPT (recipient)\n",
	  "DATA||354||354 Go ahead\n"
	  "DATA||554|5.7.1|554 5.7.1 Message rejected as spam\n"
	  "DATA||503|5.0.0|503 5.0.0 Need RCPT (recipient)\n" },
	/* 5: unanswered commands end at other text; unknown client lines */
	{ ">>> RCPT TO: kijitora@example.org\n"
	  "\n"
	  ">>> kijitora@example.org <kijitora@example.org>\n"
	  "<<< 421 4.4.2 mx.example.org timeout\n",
	  "RCPT|kijitora@example.org|||\n"
	  "|kijitora@example.org <kijitora@example.org>|421|4.4.2|"
	  "421 4.4.2 mx.example.org timeout\n" },
	/* 6: not a transcript at all; labels of the other style */
	{ "In reply to RCPT TO command\n"
	  "550 5.1.1 <kijitora@example.org>... User unknown\n",
	  "" },
	{ ">>> HELO mx.example.jp\n"
	  "<<< 250 Hello\n"
	  "Out: 550 5.7.1 not a reply in this style\n",
	  "HELO|mx.example.jp|250||250 Hello\n" },
	/* 8: a reply without a code; an address-like status is not one */
	{ ">>> RCPT TO:<a@example.org>\n"
	  "<<< Connection reset by 192.0.2.5.1.1\n",
	  "RCPT|a@example.org|||Connection reset by 192.0.2.5.1.1\n" },
	/* 9: a folded reply line */
	{ " In:  RCPT TO:<a@example.org>\n"
	  " Out: 550 5.1.1 <a@example.org>: Recipient address\n"
	  "     rejected: User unknown\n",
	  "RCPT|a@example.org|550|5.1.1|550 5.1.1 <a@example.org>: "
	  "Recipient address rejected: User unknown\n" },
};

static void
add_step(struct bk_buf *b, const struct bk_smtp_step *s)
{
	bk_buf_addf(b, "%.*s|%.*s|%.*s|%.*s|%.*s\n", BK_SVF(s->command),
		    BK_SVF(s->argument), BK_SVF(s->reply), BK_SVF(s->status),
		    BK_SVF(s->text));
}

T_TEST(test_transcript_steps)
{
	struct bk_arena a;
	bk_arena_init(&a, 1u << 20);
	for (size_t i = 0; i < BK_NELEM(cases); i++) {
		struct bk_smtp_reader r;
		struct bk_smtp_step s;
		struct bk_buf got;
		bk_buf_init(&got, 0);
		bk_smtp_reader_init(&r, bk_sv_c(cases[i].in), &a);
		while (bk_smtp_next(&r, &s))
			add_step(&got, &s);
		bool same = bk_sv_eq(bk_buf_sv(&got), bk_sv_c(cases[i].want));
		if (!same)
			printf("     case %zu got:\n%.*s", i, BK_SVF(bk_buf_sv(&got)));
		T_CHECK_AT(same, i);
		bk_buf_free(&got);
	}
	bk_arena_free(&a);
}

T_TEST(test_transcript_failed)
{
	static const struct {
		const char *reply;
		bool failed;
	} f[] = {
		{ "550", true }, { "421", true }, { "354", false },
		{ "250", false }, { "", false },
	};
	for (size_t i = 0; i < BK_NELEM(f); i++) {
		struct bk_smtp_step s = { BK_SVI(""), BK_SVI(""), BK_SVI(""),
					  BK_SVI(""), BK_SVI("") };
		s.reply = bk_sv_c(f[i].reply);
		T_CHECK_AT(bk_smtp_failed(&s) == f[i].failed, i);
	}
}

T_TEST(test_transcript_many_unanswered)
{
	/* more commands than the reader keeps: none is lost */
	struct bk_arena a;
	struct bk_smtp_reader r;
	struct bk_smtp_step s;
	struct bk_buf in;
	size_t n = 0;
	bk_arena_init(&a, 0);
	bk_buf_init(&in, 0);
	for (int i = 0; i < 3 * BK_SMTP_PENDING; i++)
		bk_buf_addf(&in, ">>> RCPT TO:<u%d@example.org>\n", i);
	bk_smtp_reader_init(&r, bk_buf_sv(&in), &a);
	while (bk_smtp_next(&r, &s)) {
		char want[32];
		snprintf(want, sizeof(want), "u%zu@example.org", n);
		T_CHECK_AT(bk_sv_eq(s.argument, bk_sv_c(want)) && !s.reply.n, n);
		n++;
	}
	T_CHECK(n == 3 * BK_SMTP_PENDING);
	bk_buf_free(&in);
	bk_arena_free(&a);
}
