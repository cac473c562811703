/* SPDX-License-Identifier: BSD-2-Clause */
/* mailfoundry.c - MailFoundry gateways: "Message delivery has failed".
 *
 *   Received: From localhost (127.0.0.1) by smtp9.example.net
 *       (MAILFOUNDRY) id 000000000000ffff; ...
 *   Subject: Message delivery has failed
 *
 *   Unable to deliver message to: <kijitora@example.org>
 *   Delivery failed for the following reason:
 *   Server mx22.example.org[192.0.2.222] failed with: 550
 *   <kijitora@example.org> No such user here
 *
 *   This has been a permanent failure.  No further delivery attempts
 *   will be made.
 *
 * Each "Unable to deliver message to:" line starts a recipient; the lines
 * after "Delivery failed for the following reason:" up to a blank line
 * say why.
 */
#include "decode_priv.h"

static const struct bk_sv rcpt_mark = BK_SVI("Unable to deliver message to:");
static const struct bk_sv why_mark =
	BK_SVI("Delivery failed for the following reason:");

static bool
mailfoundry_match(const struct bk_msg *m)
{
	static const struct bk_sv own =
		BK_SVI("\nDelivery failed for the following reason:\n");
	return (bk_sv_ieq(bk_sv_trim(m->subject),
			  BK_SV("Message delivery has failed")) ||
		bk_msg_lenient(m, BK_MISSING_SUBJECT, own)) &&
	       (bk_msg_header_has(m, BK_SV("received"),
				  BK_SV("(MAILFOUNDRY) id")) ||
		bk_msg_lenient(m, BK_MISSING_RECEIVED, own));
}

/* "Server mx.example.org[192.0.2.1] failed with: ..." or
 * "mx.example.org[192.0.2.1] responded with failure: ..." */
static struct bk_sv
remote_host(struct bk_sv t)
{
	long open = bk_sv_findc(t, '[');
	if (open <= 0)
		return BK_SV_NULL;
	struct bk_sv h = bk_sv_slice(t, 0, (size_t)open);
	if (bk_sv_istarts(h, BK_SV("Server ")))
		h = bk_sv_from(h, 7);
	return bk_sv_findc(h, ' ') < 0 ? h : BK_SV_NULL;
}

static int
mailfoundry_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv rest = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv line;
	bool ok = false;	/* the last recipient line gave a recipient */
	bool why = false;	/* in the reason lines of that recipient */
	while (bk_sv_next_line(&rest, &line)) {
		struct bk_sv t = bk_sv_trim(line);
		if (bk_sv_istarts(t, rcpt_mark)) {
			struct bk_sv v = bk_sv_from(t, rcpt_mark.n);
			ok = bk_rcpt_add(dc, v) != NULL;
			why = false;
		} else if (bk_sv_istarts(t, why_mark)) {
			why = ok;
		} else if (!t.n) {
			why = false;
		} else if (why) {
			struct bk_dlv *d = bk_rcpt_last(dc);
			if (!d->diag.n)
				d->rhost = remote_host(t);
			bk_dlv_diag_add(dc, d, t);
		}
	}
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_mailfoundry = {
	.name = "MailFoundry",
	.what = "MailFoundry gateway delivery failures",
	.match = mailfoundry_match,
	.decode = mailfoundry_decode,
};
