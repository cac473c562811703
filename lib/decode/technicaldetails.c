/* SPDX-License-Identifier: BSD-2-Clause */
/* technicaldetails.c - decoder X3 (Sisimai's name): bounces from an
 * unidentified MTA, a list of recipients, then "Technical details" with the
 * SMTP exchange that failed, sometimes a delivery-status part.
 *
 *   From: Mail Delivery System <Mail.Delivery.System@mx.example.com>
 *   Subject: Delivery status notification
 *
 *         This is an automatically generated Delivery Status Notification.
 *
 *   Delivery to the following recipients failed permanently:
 *
 *      * kijitora@example.com
 *
 *                                Technical details:
 *
 *   SMTP:RCPT host 192.0.2.8: 553 5.3.0 <kijitora@example.com>... No such user
 *   Routing: Could not find a gateway for kijitora@example.org
 *
 * A detail line naming a recipient is that recipient's; the others go to
 * every recipient still without one.
 */
#include "decode_priv.h"

static const struct bk_sv start_mark =
	BK_SVI("This is an automatically generated Delivery Status Notification.");

static bool
technicaldetails_match(const struct bk_msg *m)
{
	static const struct bk_sv own =
		BK_SVI("This is an automatically generated Delivery Status Notification.");
	return (bk_sv_starts(bk_sv_trim(m->from), BK_SV("Mail Delivery System")) ||
		bk_msg_lenient(m, BK_MISSING_FROM, own)) &&
	       (bk_sv_starts(m->subject, BK_SV("Delivery status notification")) ||
		bk_msg_lenient(m, BK_MISSING_SUBJECT, own));
}

/* "SMTP:RCPT host 192.0.2.8: 553 5.3.0 ...": the command, the host and
 * the reply. */
static void
smtp_detail(struct bk_sv line, struct bk_dlv *d)
{
	struct bk_sv cmd, rest = bk_sv_cut(bk_sv_from(line, 5), ' ', &cmd);
	d->command = bk_sv_c(bk_command_find(cmd));
	d->spec = BK_SV("SMTP");
	if (rest.p && bk_sv_istarts(rest, BK_SV("host "))) {
		struct bk_sv host;
		rest = bk_sv_cut(bk_sv_from(rest, 5), ':', &host);
		d->rhost = host;
	}
	d->diag = rest.p ? bk_sv_trim(rest) : line;
}

/* The recipient a detail line names, else NULL. */
static struct bk_dlv *
named(struct bk_dctx *dc, struct bk_sv line)
{
	for (size_t i = 0; i < dc->n; i++)
		if (bk_sv_icontains(line, dc->v[i].recipient))
			return &dc->v[i];
	return NULL;
}

static void
detail(struct bk_dctx *dc, struct bk_sv line)
{
	bool smtp = bk_sv_starts(line, BK_SV("SMTP:"));
	if (!smtp && !bk_sv_starts(line, BK_SV("Routing: ")))
		return;
	struct bk_dlv *one = named(dc, line);
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *d = &dc->v[i];
		if ((one && d != one) || (!one && d->diag.n))
			continue;
		if (smtp)
			smtp_detail(line, d);
		else
			d->diag = bk_sv_from(line, 9);
	}
}

static int
technicaldetails_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_msg_text(m);
	if (m->flat.orig.p)
		text = bk_sv_slice(text, 0, m->flat.orig_mark);
	struct bk_sv rest = bk_sv_iafter(text, start_mark), line;
	if (!rest.p)
		return BK_DECLINE;
	struct bk_sv details = rest;
	while (bk_sv_next_line(&rest, &line)) {
		struct bk_sv t = bk_sv_trim(line);
		if (bk_sv_starts(t, BK_SV("* ")))
			bk_rcpt_add(dc, bk_sv_from(t, 2));
	}
	if (!dc->n)
		return BK_DECLINE;
	while (bk_sv_next_line(&details, &line))
		detail(dc, bk_sv_trim(line));
	if (m->flat.dsn.p)
		bk_dsn_merge(dc, m->flat.dsn);
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_technicaldetails = {
	.name = "X3",
	.what = "an unidentified MTA's \"Delivery status notification\" messages",
	.match = technicaldetails_match,
	.decode = technicaldetails_decode,
};
