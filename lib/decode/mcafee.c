/* SPDX-License-Identifier: BSD-2-Clause */
/* mcafee.c - McAfee Email and Web Security appliances: "Delivery Status"
 * notices.
 *
 *   X-NAI-Header: Modified by McAfee Email and Web Security Appliance
 *   Subject: Delivery Status
 *
 *       --- The following addresses had delivery problems ---
 *
 *   <kijitora@example.org>   (Unknown user kijitora@example.org)
 *
 *   Content-Type: message/delivery-status; name="deliverystatus.txt"
 *
 *   Original-Recipient: <kijitora@example.org>
 *   Action: failed
 *   Diagnostic-Code: smtp; 550 Unknown user kijitora@example.org
 *   Remote-MTA: 192.0.2.192
 *
 * The delivery-status part has no Final-Recipient: its Original-Recipient
 * stands for it.  The "<address>   (why)" lines of the text name the
 * recipients too, and say why when the part does not.
 */
#include "decode_priv.h"

static const struct bk_sv start =
	BK_SVI("--- The following addresses had delivery problems ---");

static bool
mcafee_match(const struct bk_msg *m)
{
	return bk_msg_header_has(m, BK_SV("x-nai-header"),
				 BK_SV("Modified by McAfee")) &&
	       (bk_sv_ieq(bk_sv_trim(m->subject), BK_SV("Delivery Status")) ||
		bk_msg_lenient(m, BK_MISSING_SUBJECT,
			       BK_SV("--- The following addresses had delivery problems ---")));
}

/* "<a@b>   (why)" */
static void
take_line(struct bk_dctx *dc, struct bk_sv line)
{
	long close = bk_sv_findc(line, '>');
	if (line.n < 3 || line.p[0] != '<' || close < 0)
		return;
	struct bk_sv why = bk_sv_trim(bk_sv_from(line, (size_t)close + 1));
	if (why.n < 2 || why.p[0] != '(' || why.p[why.n - 1] != ')')
		return;
	struct bk_sv addr = bk_sv_slice(line, 0, (size_t)close + 1);
	struct bk_sv a = bk_addr_find(dc->arena, addr);
	struct bk_dlv *d = a.p ? bk_rcpt_find(dc, a) : NULL;
	if (!d && a.p)
		d = bk_rcpt_add(dc, a);
	if (d && !d->diag.n)
		bk_dlv_diag_add(dc, d, bk_sv_slice(why, 1, why.n - 1));
}

static int
mcafee_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	if (m->flat.dsn.p)
		bk_dsn_read(dc, m->flat.dsn);
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	long at = bk_sv_ifind(text, start);
	struct bk_sv rest = at < 0 ? BK_SV_NULL : bk_sv_from(text, (size_t)at);
	struct bk_sv line;
	bk_sv_next_line(&rest, &line);	/* the start line itself */
	while (rest.p && bk_sv_next_line(&rest, &line)) {
		if (bk_sv_starts(line, BK_SV("Content-Type: ")))
			break;
		take_line(dc, bk_sv_trim(line));
	}
	if (!dc->n)
		return BK_DECLINE;
	bk_notice_apply(dc, &bk_rules_mcafee);
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_mcafee = {
	.name = "McAfee",
	.what = "McAfee Email and Web Security appliance delivery status",
	.match = mcafee_match,
	.decode = mcafee_decode,
};
