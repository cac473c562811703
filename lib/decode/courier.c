/* SPDX-License-Identifier: BSD-2-Clause */
/* courier.c - bounces from the Courier mail server (courier/module.dsn).
 *
 *   From: Courier mail server at mx.example.jp <@>
 *   Subject: NOTICE: mail delivery status.
 *
 *                              UNDELIVERABLE MAIL
 *
 *   Your message to the following recipients cannot be delivered:
 *
 *   <kijitora@example.org>:
 *       mx.example.org [192.0.2.25]:
 *   >>> RCPT TO:<kijitora@example.org>
 *   <<< 550 5.1.1 <kijitora@example.org>... User Unknown
 *
 *   Content-Type: message/delivery-status
 *
 *   Final-Recipient: rfc822; kijitora@example.org
 *   Action: failed
 *   Status: 5.0.0
 *   Diagnostic-Code: smtp; 550 5.1.1 <kijitora@example.org>... User Unknown
 *
 * The delivery-status part gives the recipients; the text gives, in the
 * transcript under each one, the command that failed.  When Courier had
 * no session it writes its own message there ("<<< No such domain.").
 * Delay notices ("WARNING: delayed mail.") have the same layout.
 */
#include "decode_priv.h"

static const struct bk_sv part_marks[] = {
	BK_SVI("\nContent-Type: message/"),
	BK_SVI("\nContent-Type: text/rfc822-headers"),
};

static bool
courier_match(const struct bk_msg *m)
{
	struct bk_sv mid = bk_msg_header(m, BK_SV("message-id"));
	return bk_sv_icontains(m->from, BK_SV("Courier mail server at ")) ||
	       bk_sv_istarts(m->subject, BK_SV("NOTICE: mail delivery status.")) ||
	       bk_sv_istarts(m->subject, BK_SV("WARNING: delayed mail.")) ||
	       (mid.p && bk_sv_istarts(bk_sv_trim(mid), BK_SV("<courier.")));
}

/* "<kijitora@example.org>:" heads the part about one recipient. */
static bool
rcpt_head(struct bk_sv line)
{
	line = bk_sv_trim(line);
	return line.n > 3 && line.p[0] == '<' && bk_sv_ends(line, BK_SV(">:")) &&
	       bk_sv_findc(line, '@') > 0;
}

/* The exchange that failed, or the last thing the server (or Courier)
 * said. */
static bool
failed_step(struct bk_dctx *dc, struct bk_sv part, struct bk_smtp_step *out)
{
	struct bk_smtp_reader r;
	struct bk_smtp_step s;
	bool any = false;
	bk_smtp_reader_init(&r, part, dc->arena);
	while (bk_smtp_next(&r, &s)) {
		if (!s.text.n)
			continue;
		*out = s;
		any = true;
		if (bk_smtp_failed(&s))
			break;
	}
	return any;
}

/* "     mx.example.org [192.0.2.25]:" names the host of a session.  A
 * part without one holds what Courier itself said, not a server's
 * greeting: an unknown local user given on the sendmail command line is
 * taken and bounced later with "<<< 550 User <name> unknown"
 * (module.local), which the transcript reader would take for a reply at
 * connection time. */
static bool
names_host(struct bk_sv part)
{
	struct bk_sv line;
	while (bk_sv_next_line(&part, &line)) {
		line = bk_sv_trim(line);
		if (bk_sv_ends(line, BK_SV("]:")) && bk_sv_find(line, BK_SV(" [")) > 0)
			return true;
	}
	return false;
}

static void
read_part(struct bk_dctx *dc, struct bk_sv head, struct bk_sv part, bool add)
{
	struct bk_sv addr = bk_addr_find(dc->arena, head);
	struct bk_dlv *d = addr.p ? bk_rcpt_find(dc, addr) : NULL;
	struct bk_smtp_step s;
	if (!d && add)
		d = bk_rcpt_add(dc, head);
	if (!d || !failed_step(dc, part, &s))
		return;
	if (s.reply.n && !d->command.n &&
	    !(bk_sv_eq(s.command, BK_SV("CONN")) && !names_host(part)))
		d->command = s.command;
	if (!d->diag.n)
		d->diag = s.text;
}

/* Each "<address>:" and the lines up to the next one or the rule. */
static void
read_text(struct bk_dctx *dc, struct bk_sv text, bool add)
{
	struct bk_sv rest = text, line, head = BK_SV_NULL, part = BK_SV_NULL;
	while (bk_sv_next_line(&rest, &line)) {
		bool end = rcpt_head(line) || bk_sv_starts(line, BK_SV("-----"));
		if (end && head.p)
			read_part(dc, head, part, add);
		if (end) {
			head = rcpt_head(line) ? line : BK_SV_NULL;
			part = bk_sv_make(rest.p, 0);
		} else if (head.p) {
			part.n = (size_t)(line.p + line.n - part.p);
		}
	}
	if (head.p)
		read_part(dc, head, part, add);
}

static int
courier_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_text_before_any(bk_msg_text(m), part_marks,
					       BK_NELEM(part_marks));
	size_t n = m->flat.dsn.p ? bk_dsn_read(dc, m->flat.dsn) : 0;
	read_text(dc, text, n == 0);
	for (size_t i = 0; i < dc->n; i++)
		dc->v[i].said = bk_rule_find(&bk_rules_courier, dc->v[i].diag);
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_courier = {
	.name = "Courier",
	.what = "Courier mail server bounces and delay notices",
	.match = courier_match,
	.decode = courier_decode,
};
