/* SPDX-License-Identifier: BSD-2-Clause */
/* surfcontrol.c - Websense SurfControl E-mail Filter: non-delivery
 * reports.
 *
 *   X-Mailer: SurfControl E-mail Filter
 *   X-SEF-Processed: 0_0_0_000__2010_04_29_23_34_45
 *
 *   Your message could not be sent.
 *   A transcript of the attempts to send the message follows.
 *   The number of attempts made: 1
 *   Addressed To: kijitora@example.com
 *
 *   Thu 29 Apr 2010 23:34:45 +0900
 *   Failed to send to identified host,
 *   kijitora@example.com: [192.0.2.5], 550 kijitora@example.com... No such user
 *   --- Message non-deliverable.
 *
 *   Content-Type: message/delivery-status
 *
 *   Action: failed
 *   Final-Recipient: rfc822;kijitora@example.com
 *   Diagnostic-Code: smtp; 550 kijitora@example.com... No such user
 *   Status: 5.0.0
 *
 * "Addressed To:" names a recipient; the transcript line after the date
 * gives the remote host and its reply; the delivery-status part, when
 * there is one, adds its fields.
 */
#include "decode_priv.h"

static const struct bk_sv rcpt_mark = BK_SVI("Addressed To:");
static const struct bk_sv days[] = {
	BK_SVI("Sun "), BK_SVI("Mon "), BK_SVI("Tue "), BK_SVI("Wed "),
	BK_SVI("Thu "), BK_SVI("Fri "), BK_SVI("Sat "), BK_SVI("Sun, "),
	BK_SVI("Mon, "), BK_SVI("Tue, "), BK_SVI("Wed, "), BK_SVI("Thu, "),
	BK_SVI("Fri, "), BK_SVI("Sat, "),
};

static bool
surfcontrol_match(const struct bk_msg *m)
{
	return bk_msg_has(m, BK_SV("x-sef-processed")) &&
	       bk_msg_header_has(m, BK_SV("x-mailer"),
				 BK_SV("SurfControl E-mail Filter"));
}

/* "a@b: [192.0.2.5], 550 ..." for a recipient already named. */
static void
take_transcript(struct bk_dctx *dc, struct bk_sv line)
{
	long colon = bk_sv_find(line, BK_SV(": ["));
	long close = bk_sv_find(line, BK_SV("], "));
	if (colon < 0 || close < colon)
		return;
	struct bk_sv head = bk_sv_slice(line, 0, (size_t)colon);
	struct bk_sv a = bk_addr_find(dc->arena, head);
	struct bk_dlv *d = a.p ? bk_rcpt_find(dc, a) : NULL;
	if (!d)
		return;
	d->rhost = bk_sv_slice(line, (size_t)colon + 3, (size_t)close);
	d->diag = bk_sv_trim(bk_sv_from(line, (size_t)close + 3));
}

static void
read_text(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv rest = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv line;
	while (bk_sv_next_line(&rest, &line)) {
		line = bk_sv_trim(line);
		if (bk_sv_starts(line, BK_SV("Content-Type: message/")))
			break;
		if (bk_sv_istarts(line, rcpt_mark)) {
			struct bk_sv v = bk_sv_from(line, rcpt_mark.n);
			struct bk_sv a = bk_addr_find(dc->arena, v);
			if (a.p && !bk_rcpt_find(dc, a))
				bk_rcpt_add(dc, a);
		} else if (bk_sv_istarts_any(line, days, BK_NELEM(days))) {
			BK_FILL(dc, date, line);
		} else {
			take_transcript(dc, line);
		}
	}
}

static int
surfcontrol_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	if (m->flat.dsn.p)
		bk_dsn_read(dc, m->flat.dsn);
	read_text(dc, m);
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_surfcontrol = {
	.name = "SurfControl",
	.what = "Websense SurfControl E-mail Filter non-delivery reports",
	.match = surfcontrol_match,
	.decode = surfcontrol_decode,
};
