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

/* fml's messages in the body */
static const struct bk_notice body_phrases[] = {
	BK_NOTICE(" header may cause mail loop", "rejected"),
	BK_NOTICE("NOT MEMBER article from ", "rejected"),
	BK_NOTICE("reject mail from ", "rejected"),
	BK_NOTICE("reject spammers:", "rejected"),
	BK_NOTICE("You are not a member of this mailing list", "rejected"),
	BK_NOTICE(" has detected a loop condition so that", "systemerror"),
	BK_NOTICE("Duplicated Message-ID", "systemerror"),
	BK_NOTICE("Loop Back Warning:", "systemerror"),
	BK_NOTICE("Security alert:", "securityerror"),
};

/* and in the subject */
static const struct bk_notice subject_phrases[] = {
	BK_NOTICE(" are not member", "rejected"),
	BK_NOTICE("NOT MEMBER article from ", "rejected"),
	BK_NOTICE("reject mail ", "rejected"),
	BK_NOTICE("Spam mail from a spammer is rejected", "rejected"),
	BK_NOTICE("fml system error message", "systemerror"),
	BK_NOTICE("Loop Alert: ", "systemerror"),
	BK_NOTICE("Loop Back Warning: ", "systemerror"),
	BK_NOTICE("WARNING: UNIX FROM Loop", "systemerror"),
	BK_NOTICE("Security Alert", "securityerror"),
};

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
		struct bk_sv r = bk_notice_reason(x->diag, body_phrases,
						  BK_NELEM(body_phrases));
		if (!r.n)
			r = bk_notice_reason(m->subject, subject_phrases,
					     BK_NELEM(subject_phrases));
		if (r.n)
			x->reason = r;
	}
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_fml = {
	.name = "FML",
	.what = "fml mailing list manager notices",
	.match = fml_match,
	.decode = fml_decode,
};
