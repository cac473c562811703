/* SPDX-License-Identifier: BSD-2-Clause */
/* test_consistency.c - one verdict: the same diagnostic text gets the same
 * reason whichever decoder found it.  Every row of every phrase table and
 * every row of the providers' tables (status and text, or text) is put in
 * three bounces made here: an RFC 3464 DSN, a Postfix bounce and an Exim
 * bounce, each naming the same remote host, status, reply code and
 * command; the three records must agree on the reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncekit/bouncekit.h"
#include "reason/phrase.h"
#include "reason/provider.h"
#include "t.h"

extern const struct bk_phrase_table bk_phrases_en, bk_phrases_ja,
	bk_phrases_de, bk_phrases_fr, bk_phrases_es, bk_phrases_pt,
	bk_phrases_it, bk_phrases_ru, bk_phrases_zh;

static const struct bk_phrase_table *const tables[] = {
	&bk_phrases_en, &bk_phrases_ja, &bk_phrases_de, &bk_phrases_fr,
	&bk_phrases_es, &bk_phrases_pt, &bk_phrases_it, &bk_phrases_ru,
	&bk_phrases_zh,
};

enum { DSN, POSTFIX, EXIM, NWRAP };
static const char *const wrap_name[] = { "RFC 3464", "Postfix", "Exim" };

static const char head[] =
	"Date: Tue, 10 Mar 2020 10:20:31 +0900\n"
	"To: sender@example.jp\n"
	"MIME-Version: 1.0\n";

static const char orig[] =
	"From: sender@example.jp\n"
	"To: user@example.org\n"
	"Subject: hello\n"
	"Message-Id: <1@example.jp>\n"
	"Date: Tue, 10 Mar 2020 10:20:00 +0900\n"
	"\n"
	"hello\n";

/* The bounce of kind w for a reply "code status text" from host. */
static char *
bounce(int w, const char *host, const char *code, const char *status,
       const char *text)
{
	size_t n = strlen(text) + strlen(host) + 4096;
	char *m = malloc(n);
	if (!m)
		return NULL;
	switch (w) {
	case DSN:
		snprintf(m, n,
			 "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.jp>\n"
			 "Subject: Delivery Status Notification (Failure)\n%s"
			 "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n"
			 "\n--b\nContent-Type: text/plain\n\n"
			 "Your message could not be delivered.\n"
			 "\n--b\nContent-Type: message/delivery-status\n\n"
			 "Reporting-MTA: dns; mx.example.jp\n\n"
			 "Final-Recipient: rfc822; user@example.org\n"
			 "Action: failed\nStatus: %s\nRemote-MTA: dns; %s\n"
			 "Diagnostic-Code: smtp; %s %s %s (in reply to RCPT TO command)\n"
			 "\n--b\nContent-Type: message/rfc822\n\n%s\n--b--\n",
			 head, status, host, code, status, text, orig);
		break;
	case POSTFIX:
		snprintf(m, n,
			 "From: MAILER-DAEMON@mx.example.jp (Mail Delivery System)\n"
			 "Subject: Undelivered Mail Returned to Sender\n%s"
			 "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n"
			 "\n--b\nContent-Type: text/plain\n\n"
			 "This is the mail system at host mx.example.jp.\n\n"
			 "I'm sorry to have to inform you that your message could not\n"
			 "be delivered to one or more recipients. It's attached below.\n\n"
			 "                   The mail system\n\n"
			 "<user@example.org>: host %s[192.0.2.25] said: %s %s %s (in reply to RCPT TO command)\n"
			 "\n--b\nContent-Type: message/delivery-status\n\n"
			 "Reporting-MTA: dns; mx.example.jp\n\n"
			 "Final-Recipient: rfc822; user@example.org\n"
			 "Action: failed\nStatus: %s\nRemote-MTA: dns; %s\n"
			 "Diagnostic-Code: smtp; %s %s %s\n"
			 "\n--b\nContent-Type: message/rfc822\n\n%s\n--b--\n",
			 head, host, code, status, text, status, host, code,
			 status, text, orig);
		break;
	default:
		snprintf(m, n,
			 "From: Mail Delivery System <Mailer-Daemon@mx.example.jp>\n"
			 "Subject: Mail delivery failed: returning message to sender\n%s"
			 "X-Failed-Recipients: user@example.org\n"
			 "Auto-Submitted: auto-replied\n\n"
			 "This message was created automatically by mail delivery software.\n\n"
			 "A message that you sent could not be delivered to one or more of its\n"
			 "recipients. This is a permanent error. The following address(es) failed:\n\n"
			 "  user@example.org\n"
			 "    SMTP error from remote mail server after RCPT TO:<user@example.org>:\n"
			 "    host %s [192.0.2.25]: %s %s %s\n\n"
			 "------ This is a copy of the message, including all the headers. ------\n\n%s",
			 head, host, code, status, text, orig);
		break;
	}
	return m;
}

/* The reason of the one record of message m ("" when none). */
static void
reason_of(struct bk_parser *p, const char *m, char out[32], char dby[32])
{
	const struct bk_record *r;
	struct bk_err err;
	out[0] = dby[0] = '\0';
	if (bk_decode(p, m, strlen(m), "", &r, &err) == 1) {
		snprintf(out, 32, "%s", r[0].reason);
		snprintf(dby, 32, "%s", r[0].decodedby);
	}
}

static int shown;

/* Decode the three bounces; false (and a line) when they disagree. */
static bool
agree(struct bk_parser *p, const char *what, const char *host,
      const char *code, const char *status, const char *text)
{
	char rs[NWRAP][32], by[NWRAP][32], t[600];
	/* a word after the text: a row may end with a space, which the end
	 * of a text does not keep */
	snprintf(t, sizeof(t), "%s zq", text);
	for (int w = 0; w < NWRAP; w++) {
		char *m = bounce(w, host, code, status, t);
		if (!m)
			return false;
		reason_of(p, m, rs[w], by[w]);
		free(m);
	}
	bool ok = rs[0][0] && !strcmp(rs[0], rs[1]) && !strcmp(rs[0], rs[2]);
	if (!ok && shown++ < 20)
		fprintf(stderr, "  %s: \"%s %s %s\": %s %s (%s), %s %s (%s), %s %s (%s)\n",
			what, code, status, text, wrap_name[0], rs[0], by[0],
			wrap_name[1], rs[1], by[1], wrap_name[2], rs[2], by[2]);
	return ok;
}

/* A text holding the phrase's pieces in order. */
static void
phrase_text(const struct bk_phrase *ph, char *out, size_t n)
{
	out[0] = '\0';
	for (unsigned k = 0; k < 4 && ph->piece[k]; k++) {
		if (k)
			strncat(out, " x ", n - strlen(out) - 1);
		strncat(out, ph->piece[k], n - strlen(out) - 1);
	}
}

T_TEST(test_same_text_same_reason_phrases)
{
	struct bk_parser *p = bk_parser_new(NULL, NULL);
	T_CHECK(p != NULL);
	if (!p)
		return;
	size_t rows = 0, bad = 0;
	char text[512], what[64];
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		for (size_t i = 0; i < tables[t]->n; i++) {
			const struct bk_phrase *ph = &tables[t]->rows[i];
			if (ph->veto)
				continue;
			phrase_text(ph, text, sizeof(text));
			snprintf(what, sizeof(what), "phrases.%s row %zu",
				 tables[t]->lang, i);
			rows++;
			if (!agree(p, what, "mx.example.org", "550", "5.0.0", text))
				bad++;
		}
	}
	fprintf(stderr, "  phrase rows: %zu, in disagreement: %zu\n", rows, bad);
	T_CHECK(rows > 1000);
	T_CHECK(bad == 0);
	bk_parser_free(p);
}

/* The first status of a row's list, with its 'x' and ranges made
 * concrete ("x.7.26" -> "5.7.26", "5.7.606-649" -> "5.7.606"). */
static void
first_code(const char *list, char *out, size_t n)
{
	size_t k = 0;
	for (; list[k] && list[k] != ' ' && list[k] != '-' && k + 1 < n; k++)
		out[k] = list[k] == 'x' ? '5' : list[k];
	out[k] = '\0';
}

T_TEST(test_same_text_same_reason_providers)
{
	struct bk_parser *p = bk_parser_new(NULL, NULL);
	T_CHECK(p != NULL);
	if (!p)
		return;
	size_t rows = 0, bad = 0;
	char what[96], status[16], code[8];
	for (size_t i = 0; bk_provider_all[i]; i++) {
		const struct bk_provider *pv = bk_provider_all[i];
		const char *host = pv->hosts && pv->hosts[0] ? pv->hosts[0]
							     : "mx.example.org";
		char mx[128];
		snprintf(mx, sizeof(mx), "mx1.%s", host);
		for (size_t k = 0; k < pv->nrows; k++) {
			const struct bk_prow *r = &pv->rows[k];
			if (!r->text)
				continue;
			first_code(r->status ? r->status : "5.0.0", status,
				   sizeof(status));
			if (r->reply)
				first_code(r->reply, code, sizeof(code));
			else
				snprintf(code, sizeof(code), "%c50", status[0]);
			snprintf(what, sizeof(what), "provider.%s row %zu",
				 pv->name, k);
			rows++;
			if (!agree(p, what, mx, code, status, r->text))
				bad++;
		}
		for (size_t k = 0; k < pv->ntexts; k++) {
			snprintf(what, sizeof(what), "provider.%s text row %zu",
				 pv->name, k);
			rows++;
			if (!agree(p, what, mx, "550", "5.0.0", pv->texts[k].text))
				bad++;
		}
	}
	fprintf(stderr, "  provider rows: %zu, in disagreement: %zu\n", rows, bad);
	T_CHECK(rows > 200);
	T_CHECK(bad == 0);
	bk_parser_free(p);
}
