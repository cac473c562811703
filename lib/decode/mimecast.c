/* SPDX-License-Identifier: BSD-2-Clause */
/* mimecast.c - Mimecast "[Postmaster] Email Delivery Failure" notices.
 *
 *   Subject: [Postmaster] Email Delivery Failure
 *   Message-Id: <0123456789-1102117314000@us-mta-1.us.mimecast.lan>
 *
 *   An email that you attempted to send to the following address could
 *   not be delivered:
 *   -- kijitora@example.org
 *
 *   The problem appears to be :
 *   -- Recipient email address is possibly incorrect
 *
 *   Additional information follows :
 *   -- 5.4.1 Recipient address rejected: Access denied.
 *
 * Lines that start with "-- " hold the recipient (one address) or what
 * went wrong.  Newer notices add a delivery-status part (with "Name :"
 * fields and "rfc/822;" addresses) whose fields complete the text.
 */
#include "decode_priv.h"

static bool
mimecast_match(const struct bk_msg *m)
{
	if (bk_sv_icontains(m->subject, BK_SV("Email Delivery Failure")))
		return true;
	return bk_msg_header_has(m, BK_SV("message-id"),
				 BK_SV(".mimecast.lan>")) &&
	       bk_sv_icontains(m->from, BK_SV("postmaster"));
}

/* "-- a@b" or "-- what went wrong" */
static void
take_line(struct bk_dctx *dc, struct bk_sv v)
{
	struct bk_dlv *d = bk_rcpt_last(dc);
	if (bk_sv_findc(v, ' ') < 0 && bk_sv_findc(v, '@') > 0) {
		struct bk_sv a = bk_addr_find(dc->arena, v);
		if (a.p && !bk_rcpt_find(dc, a))
			bk_rcpt_add(dc, a);
		return;
	}
	if (d)
		bk_dlv_diag_add(dc, d, v);
}

/* The fields of the delivery-status part, for the recipient they name. */
static void
take_fields(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_dctx fx = *dc;
	fx.v = NULL;
	fx.n = fx.cap = 0;
	if (!m->flat.dsn.p || !bk_dsn_read(&fx, m->flat.dsn))
		return;
	for (size_t i = 0; i < fx.n; i++) {
		struct bk_dlv *d = bk_rcpt_find(dc, fx.v[i].recipient);
		if (!d)
			continue;
		d->status = fx.v[i].status;
		d->rhost = fx.v[i].rhost;
		d->lhost = fx.v[i].lhost;
		d->date = fx.v[i].date;
		if (fx.v[i].diag.n) {
			d->diag = fx.v[i].diag;
			d->spec = fx.v[i].spec;
		}
	}
}

static int
mimecast_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv rest = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv line;
	while (bk_sv_next_line(&rest, &line)) {
		if (bk_sv_starts(line, BK_SV("Content-Type: message/")))
			break;
		if (bk_sv_starts(line, BK_SV("-- ")))
			take_line(dc, bk_sv_trim(bk_sv_from(line, 3)));
	}
	if (!dc->n)
		return BK_DECLINE;
	take_fields(dc, m);
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_mimecast = {
	.name = "Mimecast",
	.what = "Mimecast email delivery failure notices",
	.match = mimecast_match,
	.decode = mimecast_decode,
};
