/* rfc3464.c - standard delivery status notifications (RFC 3464, RFC 6533
 * for message/global-delivery-status).
 *
 *   Content-Type: multipart/report; report-type=delivery-status; ...
 *
 *   Content-Type: message/delivery-status
 *
 *   Reporting-MTA: dns; mx.example.jp
 *   Arrival-Date: Wed, 16 Oct 2013 14:15:34 +0900
 *
 *   Final-Recipient: rfc822; kijitora@example.org
 *   Action: failed
 *   Status: 5.1.1
 *   Remote-MTA: dns; mx.example.org
 *   Diagnostic-Code: smtp; 550 5.1.1 <kijitora@example.org>... User Unknown
 *
 * The fields are read from the delivery-status part, or, for MTAs that
 * write them into the text part, from the text before the returned
 * message.  A recipient without a Diagnostic-Code takes the human-readable
 * explanation, when there is one that names it.
 */
#include "decode_priv.h"

static bool
rfc3464_match(const struct bk_msg *m)
{
	if (m->flat.dsn.p)
		return true;
	struct bk_sv head = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	return bk_sv_icontains(head, BK_SV("\nfinal-recipient:")) ||
	       bk_sv_icontains(head, BK_SV("\noriginal-recipient:"));
}

/* The human-readable part: the text before the first message part. */
static struct bk_sv
readable_part(const struct bk_msg *m)
{
	struct bk_sv t = m->flat.text;
	long at = bk_sv_find(t, BK_SV("Content-Type: message/"));
	long at2 = bk_sv_find(t, BK_SV("Content-Type: text/rfc822-headers"));
	if (at < 0 || (at2 >= 0 && at2 < at))
		at = at2;
	return at < 0 ? t : bk_sv_slice(t, 0, (size_t)at);
}

/* A line of the readable part that names the recipient and says why. */
static void
diag_from_text(struct bk_dctx *dc, struct bk_dlv *d, struct bk_sv text)
{
	struct bk_sv rest = text, line;
	while (bk_sv_next_line(&rest, &line)) {
		if (!bk_sv_icontains(line, d->recipient))
			continue;
		/* the explanation is on this line after the address, or on
		 * the next non-empty line */
		long at = bk_sv_ifind(line, d->recipient);
		struct bk_sv after = bk_sv_trim(bk_sv_from(line, (size_t)at + d->recipient.n));
		while (after.n && strchr(">:.,;)", after.p[0]))
			after = bk_sv_trim(bk_sv_from(after, 1));
		if (after.n > 8) {
			bk_dlv_diag_add(dc, d, after);
			return;
		}
		struct bk_sv next;
		while (bk_sv_next_line(&rest, &next)) {
			next = bk_sv_trim(next);
			if (next.n == 0)
				continue;
			if (!bk_looks_like_header(next) || bk_sv_findc(next, ' ') < (long)next.n / 3)
				bk_dlv_diag_add(dc, d, next);
			return;
		}
		return;
	}
}

static int
rfc3464_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv fields = m->flat.dsn.p ? m->flat.dsn
					    : bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	if (!bk_dsn_read(dc, fields) && m->flat.dsn.p) {
		/* some put the fields in the text part after all */
		bk_dsn_read(dc, bk_sv_slice(m->flat.text, 0, m->flat.orig_mark));
	}
	if (!dc->n)
		return BK_DECLINE;
	struct bk_sv text = readable_part(m);
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *d = &dc->v[i];
		if (!d->diag.n)
			diag_from_text(dc, d, text);
	}
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_rfc3464 = {
	.name = "RFC3464",
	.what = "RFC 3464 delivery status notifications (any MTA)",
	.match = rfc3464_match,
	.decode = rfc3464_decode,
};
