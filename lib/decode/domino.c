/* SPDX-License-Identifier: BSD-2-Clause */
/* domino.c - bounces from HCL (formerly IBM, Lotus) Domino servers, plain
 * or with a delivery-status part.
 *
 *   Subject: DELIVERY FAILURE: User Neko (neko@example.org) not listed in
 *
 *   Your message
 *
 *     Subject: Lunch
 *
 *   was not delivered to:
 *
 *     neko@example.org
 *
 *   because:
 *
 *     User Neko (neko@example.org) not listed in Domino Directory
 *
 * The text may be in the language of the server; the markers below are
 * those of its English and Japanese releases.
 */
#include "decode_priv.h"

static bool
domino_match(const struct bk_msg *m)
{
	return bk_sv_istarts(m->subject, BK_SV("DELIVERY FAILURE:")) ||
	       bk_msg_lenient(m, BK_MISSING_SUBJECT,
			      BK_SV("\nwas not delivered to:\n"));
}

/* Where the reader is in "was not delivered to:" ... "because:" */
enum step { INTRO, ADDRESSES, BECAUSE, REASON };

static enum step
read_line(struct bk_dctx *dc, struct bk_sv line, enum step at, size_t *group)
{
	struct bk_sv t = bk_sv_trim(line);
	if (bk_sv_ieq(t, BK_SV("was not delivered to:"))) {
		*group = dc->n;
		return ADDRESSES;
	}
	if (bk_sv_ieq(t, BK_SV("because:")))
		return at == ADDRESSES ? BECAUSE : at;
	if (at == ADDRESSES && t.n && bk_sv_findc(t, ' ') < 0)
		bk_rcpt_add(dc, t);
	else if (at == BECAUSE && t.n) {
		for (size_t i = *group; i < dc->n; i++)
			dc->v[i].diag = t;
		return REASON;
	} else if (at == REASON && !t.n)
		return INTRO;
	else if (at == REASON) {
		for (size_t i = *group; i < dc->n; i++)
			bk_text_span(&dc->v[i].diag, t);
	}
	return at;
}

static int
domino_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	static const struct bk_sv ends[] = {
		BK_SVI("\nContent-Type: message/delivery-status"),
	};
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv rest = bk_text_before_any(text, ends, BK_NELEM(ends));
	struct bk_sv line;
	enum step at = INTRO;
	size_t group = 0;

	while (bk_sv_next_line(&rest, &line))
		at = read_line(dc, line, at, &group);
	if (!dc->n)
		return BK_DECLINE;
	if (m->flat.dsn.p)
		bk_dsn_merge(dc, m->flat.dsn);
	/* no returned message: the "  Subject: ..." line of the text is all
	 * there is of it */
	long subj = bk_sv_find(text, BK_SV("\n  Subject: "));
	if (!m->flat.orig.p && subj >= 0)
		dc->orig = bk_sv_from(text, (size_t)subj + 3);
	bk_notice_apply(dc, &bk_rules_domino);
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_domino = {
	.name = "Domino",
	.what = "HCL (IBM, Lotus) Domino bounces",
	.match = domino_match,
	.decode = domino_decode,
};
