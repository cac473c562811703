/* SPDX-License-Identifier: BSD-2-Clause */
/* dragonfly.c - bounces from the DragonFly Mail Agent (dma: mail.c,
 * net.c).
 *
 *   Received: from MAILER-DAEMON
 *           by mx.example.jp (DragonFly Mail Agent v0.13);
 *   Subject: Mail delivery failed
 *
 *   This is the DragonFly Mail Agent v0.13 at mx.example.jp.
 *
 *   There was an error delivering your mail to <kijitora@example.org>.
 *
 *   mx.example.org [192.0.2.25] did not like our RCPT TO:
 *   550 5.1.1 <kijitora@example.org>: Recipient address rejected
 *
 *   Original message follows.
 *
 * The line naming the remote host also names the command it refused
 * ("MAIL FROM", "RCPT TO", "DATA", "final DATA" for the end of the data).
 * Without a session dma writes its own message (a DNS failure, the queue
 * lifetime exceeded).
 */
#include "decode_priv.h"

static const struct bk_sv copy_marks[] = {
	BK_SVI("Original message follows."),
	BK_SVI("Message headers follow."),
};

static const struct bk_sv agent_mark = BK_SVI("This is the DragonFly Mail Agent ");
static const struct bk_sv rcpt_mark = BK_SVI("There was an error delivering your mail to ");
static const struct bk_sv refused_mark = BK_SVI(" did not like our ");

static bool
dragonfly_match(const struct bk_msg *m)
{
	static const struct bk_sv own = BK_SVI("This is the DragonFly Mail Agent");
	return (bk_sv_istarts(m->subject, BK_SV("Mail delivery failed")) ||
		bk_msg_lenient(m, BK_MISSING_SUBJECT, own)) &&
	       (bk_msg_header_has(m, BK_SV("received"),
				  BK_SV("(DragonFly Mail Agent")) ||
		bk_msg_lenient(m, BK_MISSING_RECEIVED, own));
}

/* "mx.example.org [192.0.2.25] did not like our final DATA:" */
static void
read_refusal(struct bk_dlv *d, struct bk_sv line)
{
	long at = bk_sv_ifind(line, refused_mark);
	if (at < 0 || d->rhost.n)
		return;
	struct bk_sv host;
	bk_sv_cut(bk_sv_slice(line, 0, (size_t)at), ' ', &host);
	d->rhost = host;
	d->command = bk_sv_c(bk_command_find(
		bk_sv_from(line, (size_t)at + refused_mark.n)));
}

/* "This is the DragonFly Mail Agent v0.13 at mx.example.jp." */
static struct bk_sv
reporting_host(struct bk_sv text)
{
	struct bk_sv rest = text, line;
	while (bk_sv_next_line(&rest, &line)) {
		if (!bk_sv_istarts(line, agent_mark))
			continue;
		struct bk_sv host = bk_sv_iafter(line, BK_SV(" at "));
		if (!host.p)
			break;
		host = bk_sv_trim(host);
		while (host.n && host.p[host.n - 1] == '.')
			host.n--;
		return host;
	}
	return BK_SV("");
}

/* Each recipient's part runs to the next one; its lines are the
 * diagnostic. */
static int
dragonfly_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_msg_text(m);
	struct bk_sv rest = bk_text_before_any(text, copy_marks, BK_NELEM(copy_marks));
	struct bk_sv line;
	struct bk_dlv *d = NULL;
	while (bk_sv_next_line(&rest, &line)) {
		if (bk_sv_istarts(line, rcpt_mark)) {
			d = bk_rcpt_add(dc, bk_sv_from(line, rcpt_mark.n));
			continue;
		}
		if (!d || !bk_sv_trim(line).n)
			continue;
		read_refusal(d, line);
		bk_text_span(&d->diag, line);
	}
	for (size_t i = 0; i < dc->n; i++)
		dc->v[i].said = bk_rule_find(&bk_rules_dragonfly, dc->v[i].diag);
	BK_FILL(dc, lhost, reporting_host(text));
	dc->orig = bk_text_after_line(text, copy_marks, BK_NELEM(copy_marks));
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_dragonfly = {
	.name = "DragonFly",
	.what = "DragonFly Mail Agent (dma) bounces",
	.match = dragonfly_match,
	.decode = dragonfly_decode,
};
