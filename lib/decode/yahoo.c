/* SPDX-License-Identifier: BSD-2-Clause */
/* yahoo.c - bounces from Yahoo! Mail (and the AOL and Yahoo! JAPAN mail
 * systems run on it): a qmail-style notice.
 *
 *   From: MAILER-DAEMON@yahoo.com
 *   Subject: Failure Notice
 *   X-YMailISG: YtyUVyYWLDsbDhj3mu2nOlrk1HJCJucCscqR7TMgMtv3ChB8
 *
 *   Sorry, we were unable to deliver your message to the following address.
 *
 *   <kijitora@example.org>:
 *   Remote host said:
 *   550 5.2.2 <kijitora@example.org>... Mailbox Full
 *   [RCPT_TO]
 *
 *   --- Below this line is a copy of the message.
 *
 * The bracketed tag names the SMTP command; newer notices have none and
 * quote the recipient only in replies to RCPT.
 */
#include "decode_priv.h"

static const struct bk_sv copy_marks[] = {
	BK_SVI("--- Below this line is a copy of the message."),
};

static const struct yahoo_tag {
	struct bk_sv tag;
	const char *command;
} tags[] = {
	{ BK_SVI("[RCPT_TO]"), "RCPT" },
	{ BK_SVI("[MAIL_FROM]"), "MAIL" },
	{ BK_SVI("[DATA]"), "DATA" },
};

static const struct bk_sv preamble =
	BK_SVI("Sorry, we were unable to deliver your message");

static bool
yahoo_match(const struct bk_msg *m)
{
	return bk_msg_has(m, BK_SV("x-ymailisg"));
}

/* "<kijitora@example.org>:" */
static bool
is_rcpt_line(struct bk_sv t)
{
	return t.n > 4 && t.p[0] == '<' && bk_sv_ends(t, BK_SV(">:")) &&
	       bk_sv_findc(t, '@') > 0;
}

/* "... <kijitora@example.org>: User unknown": an address in brackets. */
static bool
quotes_address(struct bk_sv s)
{
	struct bk_sv r = bk_sv_iafter(s, BK_SV("<"));
	long at = r.p ? bk_sv_findc(r, '@') : -1;
	return at > 0 && bk_sv_findc(bk_sv_from(r, (size_t)at), '>') > 0;
}

static void
explain(struct bk_dlv *d)
{
	d->spec = BK_SV("SMTP");
	for (size_t i = 0; i < BK_NELEM(tags) && !d->command.n; i++)
		if (bk_sv_contains(d->diag, tags[i].tag))
			d->command = bk_sv_c(tags[i].command);
	if (!d->command.n && quotes_address(d->diag))
		d->command = BK_SV("RCPT");
	d->said = bk_rule_find(&bk_rules_yahoo, d->diag);
}

static int
yahoo_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_msg_text(m);
	struct bk_sv rest = bk_text_before_any(text, copy_marks,
					       BK_NELEM(copy_marks));
	struct bk_sv line;
	struct bk_dlv *d = NULL;
	bool started = false;

	while (bk_sv_next_line(&rest, &line)) {
		struct bk_sv t = bk_sv_trim(line);
		if (!started) {
			started = bk_sv_istarts(t, preamble);
		} else if (is_rcpt_line(t)) {
			d = bk_rcpt_add(dc, t);
		} else if (d && t.n) {
			bk_text_span(&d->diag, t);
		}
	}
	for (size_t i = 0; i < dc->n; i++)
		explain(&dc->v[i]);
	dc->orig = bk_text_after_line(text, copy_marks, BK_NELEM(copy_marks));
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_yahoo = {
	.name = "Yahoo",
	.what = "Yahoo! Mail failure notices",
	.match = yahoo_match,
	.decode = yahoo_decode,
};
