/* SPDX-License-Identifier: BSD-2-Clause */
/* biglobe.c - BIGLOBE (and the cable providers on its mail system:
 * inacatv, tmtv, ttv) "Returned mail" notices.
 *
 *   From: postmaster@biglobe.ne.jp
 *   Subject: Returned mail: Service unavailable
 *
 *   (a notice in Japanese)
 *
 *      ----- The following addresses had delivery problems -----
 *   kijitora@example.biglobe.ne.jp
 *
 *      ----- Non-delivered information -----
 *   The number of messages in recipient's mailbox exceeded the local limit.
 *
 *   Content-Type: message/rfc822
 *
 * The information applies to every address listed; its sentences state
 * the reason (notices[] below).  BIGLOBE answers a message its filter
 * refused with "Mail Delivery Failed... User unknown".
 */
#include "decode_priv.h"

static const struct bk_sv start =
	BK_SVI("----- The following addresses had delivery problems -----");

static const struct bk_sv domains[] = {
	BK_SVI("@biglobe.ne.jp"), BK_SVI("@inacatv.ne.jp"),
	BK_SVI("@tmtv.ne.jp"), BK_SVI("@ttv.ne.jp"),
};

static bool
biglobe_match(const struct bk_msg *m)
{
	return bk_sv_icontains(m->from, BK_SV("postmaster@")) &&
	       bk_sv_icontains_any(m->from, domains, BK_NELEM(domains)) &&
	       bk_sv_starts(m->subject, BK_SV("Returned mail:"));
}

/* A line that is an address alone. */
static bool
is_address_line(struct bk_sv t)
{
	return t.n && bk_sv_findc(t, '@') > 0 && bk_sv_findc(t, ' ') < 0;
}

static void
finish(struct bk_dctx *dc, struct bk_sv info)
{
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *d = &dc->v[i];
		d->diag = info;
		d->said = bk_rule_find_case(&bk_rules_biglobe, info);
	}
}

static int
biglobe_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv rest = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv line;
	struct bk_dlv info = { .diag = BK_SV_NULL };
	bool started = false;

	while (bk_sv_next_line(&rest, &line)) {
		struct bk_sv t = bk_sv_trim(line);
		if (!started)
			started = bk_sv_eq(t, start);
		else if (is_address_line(t))
			bk_rcpt_add(dc, t);
		else if (t.n && (bk_is_alpha((unsigned char)t.p[0]) ||
				 bk_is_digit((unsigned char)t.p[0])))
			bk_dlv_diag_add(dc, &info, t);
	}
	if (!dc->n)
		return BK_DECLINE;
	finish(dc, info.diag);
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_biglobe = {
	.name = "Biglobe",
	.what = "BIGLOBE (inacatv, tmtv, ttv) returned mail notices",
	.match = biglobe_match,
	.decode = biglobe_decode,
};
