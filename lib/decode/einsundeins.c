/* SPDX-License-Identifier: BSD-2-Clause */
/* einsundeins.c - bounces from 1&1 (IONOS, mx.kundenserver.de), the mail
 * system of United Internet that GMX and mail.com run too (gmx.c).
 *
 *   From: "Mail Delivery System" <mailer-daemon@kundenserver.de>
 *   Subject: Mail delivery failed: returning message to sender
 *
 *   This message was created automatically by mail delivery software.
 *
 *   A message that you sent could not be delivered to one or more of
 *   its recipients. This is a permanent error. The following address
 *   failed:
 *
 *   "kijitora@example.org":
 *   SMTP error from remote server after RCPT command:
 *   host: mx.example.org
 *   5.1.1 <kijitora@example.org>... User Unknown
 *
 *   --- The header of the original message is following. ---
 *
 * An address alone on its line (bare, quoted or in brackets) opens a
 * recipient; the lines up to the next one say why, sometimes after a
 * "Reason:" or "For the following reason:" label, sometimes as one line
 * "SMTP error from remote server for TEXT command, host: mx.example.org
 * (192.0.2.25) reason: 550 5.2.0 ...".
 */
#include "decode_priv.h"

static const struct bk_sv start =
	BK_SVI("This message was created automatically by mail delivery");
static const struct bk_sv header_marks[] = {
	BK_SVI("--- The header of the original message is following. ---"),
};

static bool
ui_match(const struct bk_msg *m)
{
	static const struct bk_sv own = BK_SVI("SMTP error from remote server for ");
	return (bk_sv_istarts(bk_sv_ltrim(m->from),
			      BK_SV("\"Mail Delivery System\"")) ||
		bk_msg_lenient(m, BK_MISSING_FROM, own)) &&
	       (bk_sv_eq(bk_sv_trim(m->subject),
			 BK_SV("Mail delivery failed: returning message to sender")) ||
		bk_msg_lenient(m, BK_MISSING_SUBJECT, own));
}

/* "kijitora@example.org", "\"kijitora@example.org\":",
 * "<kijitora@example.org>": one word with an '@'. */
static bool
is_rcpt_line(struct bk_sv t)
{
	return t.n > 2 && bk_sv_findc(t, ' ') < 0 && bk_sv_findc(t, '@') > 0;
}

/* "host: mx.example.org" or "..., host: mx.example.org (192.0.2.25)" */
static struct bk_sv
host_of(struct bk_sv line)
{
	struct bk_sv h = bk_sv_iafter(line, BK_SV("host: "));
	if (!h.p)
		return BK_SV_NULL;
	long sp = bk_sv_findc(h, ' ');
	return sp < 0 ? bk_sv_trim(h) : bk_sv_slice(h, 0, (size_t)sp);
}

/* "SMTP error from remote server after RCPT command:", "... for TEXT
 * command, ...": TEXT is the message body, sent after DATA. */
static struct bk_sv
command_of(struct bk_sv line)
{
	if (bk_sv_contains(line, BK_SV("for TEXT command")))
		return BK_SV("DATA");
	return bk_sv_c(bk_command_find(line));
}

static bool
is_label(struct bk_sv t)
{
	return bk_sv_eq(t, BK_SV("Reason:")) ||
	       bk_sv_eq(t, BK_SV("For the following reason:"));
}

static void
read_line(struct bk_dlv *d, struct bk_sv t)
{
	if (bk_sv_istarts(t, BK_SV("SMTP error from remote server ")))
		d->command = command_of(t);
	if (!d->rhost.n)
		d->rhost = host_of(t);
	if (!is_label(t) || d->diag.p)
		bk_text_span(&d->diag, t);
}

static int
ui_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_msg_text(m);
	struct bk_sv orig = bk_text_after_line(text, header_marks,
					       BK_NELEM(header_marks));
	if (!orig.p)
		return BK_DECLINE;
	struct bk_sv rest = bk_text_before_any(text, header_marks,
					       BK_NELEM(header_marks));
	struct bk_sv line;
	struct bk_dlv *d = NULL;
	bool started = false;

	while (bk_sv_next_line(&rest, &line)) {
		struct bk_sv t = bk_sv_trim(line);
		if (!started)
			started = bk_sv_istarts(t, start);
		else if (is_rcpt_line(t))
			d = bk_rcpt_add(dc, t);
		else if (d && t.n)
			read_line(d, t);
	}
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *x = &dc->v[i];
		x->spec = BK_SV("SMTP");
		x->said = bk_rule_find(&bk_rules_einsundeins, x->diag);
	}
	dc->orig = orig;
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_einsundeins = {
	.name = "EinsUndEins",
	.what = "1&1 / IONOS bounces",
	.match = ui_match,
	.decode = ui_decode,
};
