/* SPDX-License-Identifier: BSD-2-Clause */
/* kddi.c - au by KDDI's internet mail (au one net, dion.ne.jp): error
 * notices.
 *
 *   From: no-reply@example.dion.ne.jp
 *   Reply-To: no-reply@app.auone-net.jp
 *   Subject: (a notice in Japanese)
 *
 *   (the notice in Japanese)
 *
 *   Your mail sent on: Thu, 29 Apr 2013 23:45:22 +0900
 *        Could not be delivered to: <kijitora@example.dion.ne.jp>
 *        As their mailbox is full.
 *
 *   Content-Type: message/rfc822
 *
 * The indented lines after a recipient say why, in words that state the
 * reason (notices[] below); a message refused by the recipient's filter
 * comes back with "X-SPASIGN: NG".
 */
#include "decode_priv.h"

static const struct bk_sv starts[] = {
	BK_SVI("Your mail sent on:"),
	BK_SVI("Your mail attempted to be delivered on:"),
};

static bool
kddi_match(const struct bk_msg *m)
{
	struct bk_sv from = m->from;
	long at = bk_sv_ifind(from, BK_SV("no-reply@"));
	if (at >= 0 && bk_sv_icontains(bk_sv_from(from, (size_t)at),
				       BK_SV(".dion.ne.jp")))
		return true;
	struct bk_sv rcvd = BK_SV("received");
	return bk_msg_header_has(m, BK_SV("reply-to"),
				 BK_SV("no-reply@app.auone-net.jp")) ||
	       bk_msg_header_has(m, rcvd, BK_SV("ezweb.ne.jp (")) ||
	       bk_msg_header_has(m, rcvd, BK_SV(".au.com ("));
}

static const struct bk_sv undelivered = BK_SVI("Could not be delivered to:");

static void
take_line(struct bk_dctx *dc, struct bk_sv line, struct bk_sv *date)
{
	struct bk_sv v = bk_sv_iafter(line, undelivered);
	struct bk_dlv *d = bk_rcpt_last(dc);
	if (v.p) {
		d = bk_rcpt_add(dc, v);
		if (d)
			d->date = *date;
	} else if ((v = bk_sv_iafter(line, BK_SV("Your mail sent on:"))).p) {
		*date = bk_sv_trim(v);
	} else if (d && line.n && bk_is_space((unsigned char)line.p[0])) {
		bk_dlv_diag_add(dc, d, line);
	}
}

static void
finish(struct bk_dctx *dc, const struct bk_msg *m)
{
	bool spasign = bk_msg_header_has(m, BK_SV("x-spasign"), BK_SV("NG"));
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *d = &dc->v[i];
		d->command = bk_sv_c(bk_command_find(d->diag));
		if (spasign) {
			d->said = bk_said_row(&bk_rules_kddi, BK_KDDI_SPASIGN);
			continue;
		}
		d->said = bk_rule_find_case(&bk_rules_kddi, d->diag);
	}
}

static int
kddi_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv rest = text, line, date = BK_SV_NULL;
	bool started = false;

	while (bk_sv_next_line(&rest, &line)) {
		started = started ||
			  bk_sv_istarts_any(line, starts, BK_NELEM(starts));
		if (started)
			take_line(dc, line, &date);
	}
	if (!dc->n)
		return BK_DECLINE;
	finish(dc, m);
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_kddi = {
	.name = "KDDI",
	.what = "au by KDDI internet mail (au one net, dion.ne.jp) notices",
	.match = kddi_match,
	.decode = kddi_decode,
};
