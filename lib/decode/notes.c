/* SPDX-License-Identifier: BSD-2-Clause */
/* notes.c - bounces from the Lotus Notes SMTP MTA (Notes/Domino R4 and
 * R5 era; later releases write domino.c's layout).
 *
 *   Subject: Undeliverable message
 *
 *   ------- Failure Reasons  --------
 *
 *   User not listed in public Name & Address Book
 *   kijitora@example.org
 *
 *   ------- Returned Message --------
 *   Received: from mx.example.jp ...
 *
 * Each reason comes before the address it is about.  When no address is
 * listed, the To: of the returned message is the recipient.
 */
#include "decode_priv.h"

static const struct bk_sv starts[] = { BK_SVI("------- Failure Reasons") };
static const struct bk_sv copy_marks[] = { BK_SVI("------- Returned Message") };

static bool
notes_match(const struct bk_msg *m)
{
	return bk_sv_istarts(m->subject, BK_SV("Undeliverable message")) ||
	       bk_msg_lenient(m, BK_MISSING_SUBJECT,
			      BK_SV("------- Failure Reasons"));
}

static bool
is_address(struct bk_sv t)
{
	return bk_sv_findc(t, '@') > 0 && bk_sv_findc(t, ' ') < 0;
}

static void
read_reasons(struct bk_dctx *dc, struct bk_sv text)
{
	struct bk_sv line, why = BK_SV_NULL;
	bool fresh = false;	/* why has lines no address took yet */

	while (bk_sv_next_line(&text, &line)) {
		struct bk_sv t = bk_sv_trim(line);
		if (!t.n || t.p[0] == '-')
			continue;
		if (!is_address(t)) {
			if (!fresh)
				why = BK_SV_NULL;
			bk_text_span(&why, t);
			fresh = true;
			continue;
		}
		struct bk_dlv *d = bk_rcpt_add(dc, t);
		if (d)
			d->diag = why;
		fresh = false;
	}
}

static int
notes_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv copy = bk_text_after_line(text, copy_marks,
					       BK_NELEM(copy_marks));
	struct bk_sv list = bk_text_after_line(text, starts, BK_NELEM(starts));
	if (!list.p)
		return BK_DECLINE;
	read_reasons(dc, bk_text_before_any(list, copy_marks,
					    BK_NELEM(copy_marks)));
	if (copy.p && !m->flat.orig.p)
		dc->orig = copy;
	if (!dc->n && copy.p) {
		/* no address listed: the returned message says whom */
		struct bk_hdrs h;
		struct bk_sv body;
		bk_hdrs_parse(dc->arena, bk_sv_ltrim(copy), m->lim, &h, &body,
			      m->warn);
		struct bk_sv to = bk_hdrs_get(&h, BK_SV("to"));
		if (to.p)
			bk_rcpt_add(dc, to);
	}
	bk_notice_apply(dc, &bk_rules_notes);
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_notes = {
	.name = "Notes",
	.what = "Lotus Notes SMTP MTA bounces",
	.match = notes_match,
	.decode = notes_decode,
};
