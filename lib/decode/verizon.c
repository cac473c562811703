/* SPDX-License-Identifier: BSD-2-Clause */
/* verizon.c - bounces from Verizon Wireless's gateways: the e-mail to SMS
 * gateway of vtext.com and the MMS centre of vzwpix.com.
 *
 *   From: post_master@vtext.com
 *
 *   Error: Invalid user address
 *
 *   Error message below:
 *   550 - Requested action not taken: no such user here
 *
 *   Message details:
 *     Subject: Lunch
 *     MAIL FROM: kijitora@example.com
 *     RCPT TO: 5551234567@vtext.com
 *
 * and
 *
 *   From: MMSC NDR Administrator <sysadmin@m01.vzwpix.com>
 *
 *   Message could not be delivered to mobile.
 *   Error: No valid recipients for this MM
 *
 *   Original Message:
 *   From: Kijitora <kijitora@example.com>
 *   To: 5551234567@vzwpix.com
 *   Subject: Lunch
 *
 * The "Error:" line is the gateway's own verdict.
 */
#include "decode_priv.h"

static const struct bk_sv error_mark = BK_SVI("Error: ");

static bool
verizon_match(const struct bk_msg *m)
{
	return bk_sv_icontains(m->from, BK_SV("post_master@vtext.com")) ||
	       (bk_sv_icontains(m->from, BK_SV("sysadmin@")) &&
		bk_sv_icontains(m->from, BK_SV(".vzwpix.com"))) ||
	       bk_msg_lenient(m, BK_MISSING_FROM,
			      BK_SV("Message could not be delivered to mobile.\n")) ||
	       (bk_msg_lenient(m, BK_MISSING_FROM,
			       BK_SV("Error message below:\n")) &&
		bk_sv_icontains(m->flat.text, BK_SV("\nMessage details:\n")));
}

/* What the notice says, whichever of the two it is. */
struct notice {
	struct bk_sv error;	/* "Error: ..." */
	struct bk_sv reply;	/* the line after "Error message below:" */
	struct bk_sv rcpt;	/* "RCPT TO:" or the original's "To:" */
	struct bk_sv orig;	/* after "Original Message:" */
};

static void
read_notice(struct bk_sv text, struct notice *n)
{
	struct bk_sv rest = text, line;
	bool want_reply = false;
	while (bk_sv_next_line(&rest, &line)) {
		struct bk_sv t = bk_sv_trim(line);
		if (want_reply && t.n) {
			n->reply = t;
			want_reply = false;
		} else if (bk_sv_istarts(t, BK_SV("Error message below:"))) {
			want_reply = true;
		} else if (bk_sv_istarts(t, error_mark) && !n->error.p) {
			n->error = t;
		} else if (bk_sv_istarts(t, BK_SV("RCPT TO:"))) {
			n->rcpt = t;
		} else if (bk_sv_istarts(t, BK_SV("Original Message:"))) {
			n->orig = rest;
		} else if (n->orig.p && bk_sv_istarts(line, BK_SV("To:"))) {
			n->rcpt = line;
			return;
		}
	}
}

static int
verizon_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct notice n = { BK_SV_NULL, BK_SV_NULL, BK_SV_NULL, BK_SV_NULL };
	read_notice(bk_sv_slice(m->flat.text, 0, m->flat.orig_mark), &n);
	struct bk_dlv *d = NULL;
	if (n.rcpt.p)
		d = bk_rcpt_add(dc, bk_sv_iafter(n.rcpt, BK_SV(":")));
	if (!d)
		return BK_DECLINE;
	if (n.reply.p)
		d->diag = n.reply;
	else if (n.error.p)
		d->diag = bk_sv_from(n.error, error_mark.n);
	d->spec = BK_SV("SMTP");
	d->said = bk_rule_find(&bk_rules_verizon, n.error);
	if (n.orig.p)
		dc->orig = n.orig;
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_verizon = {
	.name = "Verizon",
	.what = "Verizon Wireless SMS and MMS gateway bounces",
	.match = verizon_match,
	.decode = verizon_decode,
};
