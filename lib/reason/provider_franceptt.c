/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_franceptt.c - Orange (orange.fr, wanadoo.fr) and La Poste
 * (laposte.net), which print a numbered code in every refusal.
 *
 *   550 5.5.0 Le compte du destinataire est bloque. The recipient account
 *   is blocked. LPN007_426 (in reply to RCPT TO command)
 *   421 4.2.0 Service refuse. Veuillez essayer plus tard. Service refused,
 *   please try later. OFR005_505 [505]
 *
 * Sources: Orange's postmaster error codes as collected by Postmastery
 * (https://www.postmastery.com/orange-postmaster-smtp-error-codes-ofr/) and
 * the SMTP Field Manual (https://smtpfieldmanual.com/provider/orange); as
 * observed in real bounces and in Sisimai's FrancePTT table.
 *
 * The code is LPN, LPNAAA, OFR or OUK, then "_NNN" or "NNN_NNN" / "NNN-NNN";
 * its last three digits name the failure.  Some codes only say "service
 * refused, try later" for several causes: for those the verdict is
 * undefined, and it stands (the generic rules would read "refused" as
 * blocked, which these codes do not say).
 */
#include "provider.h"

static const char *const hosts[] = {
	"laposte.net", "orange.fr", "wanadoo.fr", NULL,
};
static const char *const domains[] = {
	"laposte.net", "orange.fr", "wanadoo.fr", NULL,
};

static const struct bk_code_rule codes[] = {
	{ "101", BK_R_BLOCKED },	/* blocked using Spamhaus */
	{ "102", BK_R_BLOCKED },	/* IP blocked for spamming issues */
	{ "103", BK_R_BLOCKED },	/* service refused */
	{ "104", BK_R_TOOMANYCONN },	/* too many connections, slow down */
	{ "105", BK_R_UNDEFINED },	/* try again later */
	{ "107", BK_R_UNDEFINED },	/* service refused, please try later */
	{ "108", BK_R_UNDEFINED },
	{ "109", BK_R_UNDEFINED },
	{ "201", BK_R_UNDEFINED },
	{ "305", BK_R_SECURITYERROR },	/* invalid authentication code */
	{ "401", BK_R_AUTHFAILURE },	/* SPF: not allowed to send mail */
	{ "402", BK_R_SECURITYERROR },	/* authentication required */
	{ "403", BK_R_REJECTED },	/* invalid sender */
	{ "405", BK_R_REJECTED },
	{ "415", BK_R_REJECTED },
	{ "416", BK_R_USERUNKNOWN },	/* invalid recipient */
	{ "417", BK_R_MAILBOXFULL },	/* recipient over quota */
	{ "418", BK_R_USERUNKNOWN },	/* invalid recipient */
	{ "420", BK_R_SUSPEND },	/* archived recipient */
	{ "421", BK_R_REJECTED },	/* mail from not owned by user */
	{ "423", BK_R_UNDEFINED },	/* service refused, please try later */
	{ "424", BK_R_UNDEFINED },
	{ "426", BK_R_SUSPEND },	/* the recipient account is blocked */
	{ "505", BK_R_SYSTEMERROR },	/* service refused, please try later */
	{ "506", BK_R_SPAMDETECTED },	/* mail rejected */
	{ "510", BK_R_BLOCKED },
	{ "513", BK_R_UNDEFINED },	/* mail rejected */
	{ "514", BK_R_MESGTOOBIG },	/* message size limit reached */
	{ "517", BK_R_AUTHFAILURE },	/* DMARC verification failed */
	{ "630", BK_R_POLICYVIOLATION },	/* client host rejected */
	{ "999", BK_R_BLOCKED },	/* service refused */
};

static const struct bk_text_rule texts[] = {
	/* Invalid Sender. SPF check failed, please verify the SPF/DNS ... */
	{ BK_R_AUTHFAILURE, "spf/dns de votre nom de domaine" },
};

static bool
is_word(struct bk_sv t, size_t i)
{
	unsigned char c = (unsigned char)t.p[i];
	return bk_is_alpha(c) || bk_is_digit(c) || c == '_';
}

static bool
digits3(struct bk_sv t, size_t i)
{
	return i + 3 <= t.n && bk_is_digit((unsigned char)t.p[i]) &&
	       bk_is_digit((unsigned char)t.p[i + 1]) &&
	       bk_is_digit((unsigned char)t.p[i + 2]);
}

/* After a prefix at i: "_NNN" or "NNN_NNN" / "NNN-NNN", then no word
 * character.  The code's last three digits, or an empty view. */
static struct bk_sv
code_after(struct bk_sv t, size_t i)
{
	size_t end = 0;
	if (i < t.n && t.p[i] == '_' && digits3(t, i + 1))
		end = i + 4;
	else if (digits3(t, i) && i + 3 < t.n &&
		 (t.p[i + 3] == '_' || t.p[i + 3] == '-') && digits3(t, i + 4))
		end = i + 7;
	if (!end || (end < t.n && is_word(t, end)))
		return bk_sv_make("", 0);
	return bk_sv_slice(t, end - 3, end);
}

/* The first LPN/OFR/OUK code of the text (one pass). */
static struct bk_sv
ptt_code(struct bk_sv t)
{
	static const struct bk_sv pre[] = {
		BK_SVI("lpnaaa"), BK_SVI("lpn"), BK_SVI("ofr"), BK_SVI("ouk"),
	};
	for (size_t i = 0; i + 4 < t.n; i++) {
		if (i > 0 && is_word(t, i - 1))
			continue;
		struct bk_sv rest = bk_sv_from(t, i);
		for (size_t k = 0; k < BK_NELEM(pre); k++) {
			if (!bk_sv_istarts(rest, pre[k]))
				continue;
			struct bk_sv c = code_after(t, i + pre[k].n);
			if (c.n)
				return c;
		}
	}
	return bk_sv_make("", 0);
}

static int
ptt_reason(const struct bk_classify_in *in, bool *final)
{
	int r = bk_code_rules(ptt_code(in->diag), codes, BK_NELEM(codes));
	if (r == BK_R_UNDEFINED)
		*final = true;
	return r >= 0 ? r : bk_text_rules(in->diag, texts, BK_NELEM(texts));
}

const struct bk_provider bk_provider_franceptt = {
	.name = "franceptt",
	.hosts = hosts,
	.domains = domains,
	.reason = ptt_reason,
	.texts = texts,
	.ntexts = BK_NELEM(texts),
};
