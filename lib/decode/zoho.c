/* SPDX-License-Identifier: BSD-2-Clause */
/* zoho.c - bounces and delay notices from Zoho Mail.
 *
 *   From: mailer-daemon@mail.zoho.com
 *   Subject: Undelivered Mail Returned to Sender
 *   X-ZohoMail: Si CHF_MF_NL SS_10 UW48 UB48 FMWL UW48 UB48 SGR3_1_09124_42
 *
 *   This message was created automatically by mail delivery software.
 *   A message that you sent could not be delivered to one or more of its
 *   recipients. This is a permanent error.
 *
 *   kijitora@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1
 *   <kijitora@example.org>... User Unknown
 *
 *   Received:from mail.zoho.com by mx.zohomail.com ...
 *
 * A delay notice lists "[Status: Error, Address: <kijitora@example.org>,
 * ResponseCode 421, , Host not reachable.]" instead.  The header of the
 * returned message follows the notice in the same text part.
 */
#include "decode_priv.h"

static const struct bk_sv start =
	BK_SVI("This message was created automatically by mail delivery");

static bool
zoho_match(const struct bk_msg *m)
{
	return bk_msg_has(m, BK_SV("x-zohomail"));
}

/* "kijitora@example.org Invalid Address, ERROR_CODE :550, ..." opens a
 * recipient with the rest of the line; "[Status: ..., Address: <...>,
 * ...]" one with the whole line. */
static struct bk_dlv *
read_rcpt(struct bk_dctx *dc, struct bk_sv t)
{
	struct bk_sv word, rest = bk_sv_cut(t, ' ', &word);
	struct bk_dlv *d = NULL;
	if (bk_sv_istarts(t, BK_SV("[Status: "))) {
		d = bk_rcpt_add(dc, bk_sv_iafter(t, BK_SV("Address: ")));
		if (d)
			d->diag = t;
	} else if (rest.p && bk_sv_findc(word, '@') > 0 &&
		   bk_sv_contains(rest, BK_SV("ERROR_CODE :"))) {
		d = bk_rcpt_add(dc, word);
		if (d)
			d->diag = bk_sv_trim(rest);
	}
	return d;
}

static int
zoho_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv rest = text, line;
	struct bk_dlv *d = NULL;
	bool started = false;

	while (bk_sv_next_line(&rest, &line)) {
		struct bk_sv t = bk_sv_trim(line);
		if (!started) {
			started = bk_sv_istarts(t, start);
		} else if (bk_sv_istarts(line, BK_SV("Received:"))) {
			/* the returned message's header */
			dc->orig = bk_sv_from(text, (size_t)(line.p - text.p));
			break;
		} else if (t.n) {
			struct bk_dlv *nd = read_rcpt(dc, t);
			if (nd)
				d = nd;
			else if (d && !bk_sv_istarts(d->diag, BK_SV("[Status: ")))
				bk_text_span(&d->diag, t);	/* a folded line */
		} else {
			d = NULL;
		}
	}
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *x = &dc->v[i];
		x->spec = BK_SV("SMTP");
		x->said = bk_rule_find(&bk_rules_zoho, x->diag);
	}
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_zoho = {
	.name = "Zoho",
	.what = "Zoho Mail bounces and delay notices",
	.match = zoho_match,
	.decode = zoho_decode,
};
