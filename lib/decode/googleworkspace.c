/* SPDX-License-Identifier: BSD-2-Clause */
/* googleworkspace.c - bounces from Google Workspace (formerly G Suite) and
 * Gmail whose delivery-status part is empty: the explanation is only in
 * the text, under a "** ... **" heading.
 *
 *   From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
 *   Subject: Delivery Status Notification (Failure)
 *   X-Failed-Recipients: nekochan@example.org
 *   Content-Type: multipart/report; report-type=delivery-status; ...
 *
 *   ** Message not delivered **
 *
 *   You're sending this from a different address or alias using the 'Send
 *   mail as' feature. The settings for your 'Send mail as' account are
 *   misconfigured or out of date. Check those settings and try resending.
 *
 *   The response was:
 *
 *   Unspecified Error (SENT_SECOND_EHLO): Smtp server does not advertise
 *   AUTH capability
 *
 *   Content-Type: message/delivery-status
 *   (empty)
 *
 * The recipients are those of X-Failed-Recipients, or the To: of the
 * returned message.  When the delivery-status part names them, rfc3464.c
 * reads the bounce instead.
 */
#include "decode_priv.h"

static const struct bk_sv part_marks[] = {
	BK_SVI("Content-Type: message/"),
	BK_SVI("Content-Type: text/rfc822-headers"),
};

static const struct bk_sv google_daemon =
	BK_SVI("mailer-daemon@googlemail.com");
static const struct bk_sv dsn_subject = BK_SVI("Delivery Status Notification");

static bool
gws_match(const struct bk_msg *m)
{
	static const struct bk_sv own = BK_SVI("** Message not delivered **");
	return (bk_sv_icontains(m->from, google_daemon) ||
		bk_msg_lenient(m, BK_MISSING_FROM, own)) &&
	       (bk_sv_icontains(m->subject, dsn_subject) ||
		bk_msg_lenient(m, BK_MISSING_SUBJECT, own));
}

/* The text from the "** Message not delivered **" heading to the first
 * message part; p == NULL when there is no such heading. */
static struct bk_sv
explanation(struct bk_sv text)
{
	struct bk_sv head = bk_text_before_any(text, part_marks,
					       BK_NELEM(part_marks));
	struct bk_sv rest = head, line;
	while (bk_sv_next_line(&rest, &line)) {
		struct bk_sv t = bk_sv_trim(line);
		if (t.n > 6 && bk_sv_starts(t, BK_SV("** ")) &&
		    bk_sv_ends(t, BK_SV(" **")))
			return bk_sv_from(head, (size_t)(line.p - head.p));
	}
	return BK_SV_NULL;
}

/* The To: of the returned message. */
static void
rcpt_from_orig(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv o = m->flat.orig;
	long at = o.p ? bk_sv_ifind(o, BK_SV("\nTo:")) : -1;
	if (at < 0)
		return;
	struct bk_sv line, rest = bk_sv_from(o, (size_t)at + 4);
	bk_sv_next_line(&rest, &line);
	bk_rcpt_add(dc, line);
}

static int
gws_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv dsn = m->flat.dsn;
	if (dsn.p && (bk_sv_icontains(dsn, BK_SV("final-recipient:")) ||
		      bk_sv_icontains(dsn, BK_SV("diagnostic-code:"))))
		return BK_DECLINE;
	struct bk_sv diag = explanation(bk_msg_text(m));
	if (!diag.p)
		return BK_DECLINE;
	struct bk_sv failed = bk_msg_header(m, BK_SV("x-failed-recipients"));
	if (!bk_rcpt_add_list(dc, failed))
		rcpt_from_orig(dc, m);
	struct bk_said said = bk_rule_find(&bk_rules_googleworkspace, diag);
	for (size_t i = 0; i < dc->n; i++) {
		dc->v[i].diag = diag;
		dc->v[i].spec = BK_SV("SMTP");
		dc->v[i].said = said;
	}
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_googleworkspace = {
	.name = "GoogleWorkspace",
	.what = "Google Workspace and Gmail notices without DSN fields",
	.match = gws_match,
	.decode = gws_decode,
};
