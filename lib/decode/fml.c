/* SPDX-License-Identifier: BSD-2-Clause */
/* fml.c - error notices of the fml mailing list manager: the list refuses
 * a post (not a member, spam, a loop) and tells the sender.
 *
 *   From: neko-admin@example.org
 *   Subject: You kijitora@example.net are not member (neko ML)
 *   Message-ID: <200504292334.FMLAAAAAA0.neko@example.org>
 *   X-MLServer: fml [fml 4.0.3 release (20011202/4.0.3)]
 *
 *   You are not a member of this mailing list <neko@example.org>.
 *
 *   If you know the general guide of this list, please send mail with
 *   the mail body
 *
 *   Original mail as follows:
 *
 * The address in angle brackets (the list, as fml writes it) is the
 * recipient; fml's own sentences, or else its subject, name the reason.
 */
#include "decode_priv.h"

static const struct bk_sv copy_marks[] = {
	BK_SVI("Original mail as follows:"),
};

static bool
fml_match(const struct bk_msg *m)
{
	return bk_msg_has(m, BK_SV("x-mlserver")) &&
	       (bk_sv_icontains(m->from, BK_SV("-admin@")) ||
		bk_msg_absent(m, BK_MISSING_FROM)) &&
	       bk_msg_header_has(m, BK_SV("message-id"), BK_SV(".FML"));
}

static int
fml_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv rest = bk_text_before_any(m->flat.text, copy_marks,
					       BK_NELEM(copy_marks));
	struct bk_sv line;
	struct bk_dlv *d = NULL;

	while (bk_sv_next_line(&rest, &line)) {
		long lt = bk_sv_findc(line, '<'), gt = bk_sv_rfindc(line, '>');
		struct bk_sv br = lt > 0 && gt > lt
			? bk_sv_slice(line, (size_t)lt, (size_t)gt + 1)
			: BK_SV_NULL;
		struct bk_dlv *nd = br.p ? bk_rcpt_add(dc, br) : NULL;
		if (nd)
			d = nd;
		if (d && bk_sv_trim(line).n)
			bk_text_span(&d->diag, bk_sv_trim(line));
	}
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *x = &dc->v[i];
		struct bk_said r = bk_rule_find(&bk_rules_fml_body_phrases, x->diag);
		if (!bk_said_any(r))
			r = bk_rule_find(&bk_rules_fml_subject_phrases, m->subject);
		if (bk_said_any(r))
			x->said = r;
	}
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_fml = {
	.name = "FML",
	.what = "fml mailing list manager notices",
	.match = fml_match,
	.decode = fml_decode,
};
