/* SPDX-License-Identifier: BSD-2-Clause */
/* aol.c - the notices of AOL's own mail system (AIRmail, the 2000s),
 * which name the failed recipients by screen name, without a domain, and
 * say why in the sentence before them.
 *
 *   From: Mail Delivery Subsystem <MAILER-DAEMON@aol.com>
 *   Subject: Mail Delivery Problem
 *   Mailer: AIRmail [v110.15]
 *
 *   Sorry neko@example.com. Your mail to the following recipients could
 *   not be delivered because they are not accepting mail from
 *   neko@example.com:
 *   	kijitora
 *
 * A screen name is a mailbox of the domain the notice comes from.  The
 * classifier reads the sentence ("not accepting mail from" a sender the
 * recipient refuses, "not accepting mail with attachments or embedded
 * images").  Later AOL bounces are RFC 3464 reports (rfc3464.c).
 */
#include "decode_priv.h"

static const struct bk_sv intro =
	BK_SVI("Your mail to the following recipients could not be delivered");

static bool
aol_match(const struct bk_msg *m)
{
	return bk_sv_icontains(m->from, BK_SV("mailer-daemon@aol.com")) &&
	       bk_sv_istarts(bk_sv_trim(m->subject),
			     BK_SV("Mail Delivery Problem"));
}

/* "kijitora" is kijitora@<domain>; a full address stays as it is. */
static struct bk_dlv *
add_name(struct bk_dctx *dc, struct bk_sv name, struct bk_sv domain)
{
	if (bk_sv_findc(name, '@') > 0 || !domain.n)
		return bk_rcpt_add(dc, name);
	if (bk_sv_findc(name, ' ') >= 0 || bk_sv_findc(name, '<') >= 0)
		return NULL;
	struct bk_sb sb;
	bk_sb_init(&sb, dc->arena, name.n + domain.n + 1);
	bk_sb_addsv(&sb, name);
	bk_sb_addc(&sb, '@');
	bk_sb_addsv(&sb, domain);
	return bk_rcpt_add(dc, bk_sb_sv(&sb));
}

static int
aol_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	long at = bk_sv_ifind(text, intro);
	if (at < 0)
		return BK_DECLINE;
	struct bk_sv from = bk_addr_find(dc->arena, m->from);
	struct bk_sv domain = from.p ? bk_addr_domain(from) : BK_SV_NULL;
	struct bk_sv rest = bk_sv_from(text, (size_t)at), line;
	struct bk_sv why = BK_SV_NULL;
	bool listing = false;

	while (bk_sv_next_line(&rest, &line)) {
		struct bk_sv t = bk_sv_trim(line);
		if (!listing) {
			/* the sentence runs to the line that ends with ':' */
			bk_text_join(dc, &why, t);
			listing = bk_sv_ends(t, BK_SV(":"));
			continue;
		}
		if (!t.n || !bk_is_space((unsigned char)line.p[0]))
			break;	/* the list is the indented lines after it */
		struct bk_dlv *d = add_name(dc, t, domain);
		if (d)
			d->diag = why;
	}
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_aol = {
	.name = "AOL",
	.what = "AOL's own delivery notices naming screen names (AIRmail)",
	.match = aol_match,
	.decode = aol_decode,
};
