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

struct phrase {
	struct bk_sv text;
	const char *reason;
};

/* fml's messages in the body */
static const struct phrase body_phrases[] = {
	{ BK_SVI(" header may cause mail loop"), "rejected" },
	{ BK_SVI("NOT MEMBER article from "), "rejected" },
	{ BK_SVI("reject mail from "), "rejected" },
	{ BK_SVI("reject spammers:"), "rejected" },
	{ BK_SVI("You are not a member of this mailing list"), "rejected" },
	{ BK_SVI(" has detected a loop condition so that"), "systemerror" },
	{ BK_SVI("Duplicated Message-ID"), "systemerror" },
	{ BK_SVI("Loop Back Warning:"), "systemerror" },
	{ BK_SVI("Security alert:"), "securityerror" },
};

/* and in the subject */
static const struct phrase subject_phrases[] = {
	{ BK_SVI(" are not member"), "rejected" },
	{ BK_SVI("NOT MEMBER article from "), "rejected" },
	{ BK_SVI("reject mail "), "rejected" },
	{ BK_SVI("Spam mail from a spammer is rejected"), "rejected" },
	{ BK_SVI("fml system error message"), "systemerror" },
	{ BK_SVI("Loop Alert: "), "systemerror" },
	{ BK_SVI("Loop Back Warning: "), "systemerror" },
	{ BK_SVI("WARNING: UNIX FROM Loop"), "systemerror" },
	{ BK_SVI("Security Alert"), "securityerror" },
};

static const struct bk_sv copy_marks[] = {
	BK_SVI("Original mail as follows:"),
};

static bool
fml_match(const struct bk_msg *m)
{
	return bk_msg_has(m, BK_SV("x-mlserver")) &&
	       bk_sv_icontains(m->from, BK_SV("-admin@")) &&
	       bk_msg_header_has(m, BK_SV("message-id"), BK_SV(".FML"));
}

static const char *
phrase_reason(struct bk_sv text, const struct phrase *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (bk_sv_contains(text, t[i].text))
			return t[i].reason;
	return NULL;
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
		struct bk_dlv *nd = lt > 0 && gt > lt
			? bk_rcpt_add(dc, bk_sv_slice(line, (size_t)lt, (size_t)gt + 1))
			: NULL;
		if (nd)
			d = nd;
		if (d && bk_sv_trim(line).n)
			bk_text_span(&d->diag, bk_sv_trim(line));
	}
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *x = &dc->v[i];
		const char *r = phrase_reason(x->diag, body_phrases, BK_NELEM(body_phrases));
		if (!r)
			r = phrase_reason(m->subject, subject_phrases, BK_NELEM(subject_phrases));
		if (r)
			x->reason = bk_sv_c(r);
	}
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_fml = {
	.name = "FML",
	.what = "fml mailing list manager notices",
	.match = fml_match,
	.decode = fml_decode,
};
