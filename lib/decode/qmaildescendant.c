/* SPDX-License-Identifier: BSD-2-Clause */
/* qmaildescendant.c - decoder X2 (Sisimai's name): bounces from an
 * unidentified MTA (the layout of qmail's descendants, with "Message from"
 * and its own markers): each recipient in angle brackets, the error below
 * it, the original message inline.
 *
 *   From: MAILER-DAEMON@example.com
 *   Subject: Delivery failure
 *
 *   Message from example.com.
 *   Unable to deliver message to the following address(es).
 *
 *   <kijitora@example.com>:
 *   This user doesn't have a example.com account (kijitora@example.com) [0]
 *
 *   --- Original message follows.
 *
 * The errors are qmail's own sentences where qmail wrote them.
 */
#include "decode_priv.h"

static const struct bk_sv start_mark =
	BK_SVI("Unable to deliver message to the following address");
static const struct bk_sv orig_mark = BK_SVI("--- Original message follows.");

static const struct bk_sv titles[] = {
	BK_SVI("Delivery failure"), BK_SVI("failure delivery"),
	BK_SVI("failed delivery"),
};

static bool
qmaildescendant_match(const struct bk_msg *m)
{
	return bk_sv_contains(m->from, BK_SV("MAILER-DAEMON@")) ||
	       bk_sv_istarts_any(m->subject, titles, BK_NELEM(titles)) ||
	       bk_msg_lenient(m, BK_MISSING_SUBJECT | BK_MISSING_FROM,
			      BK_SV("Unable to deliver message to the following address(es)."));
}

/* "<kijitora@example.com>:" */
static bool
rcpt_line(struct bk_sv line)
{
	return line.n > 4 && line.p[0] == '<' && bk_sv_ends(line, BK_SV(">:")) &&
	       bk_sv_findc(line, '@') > 0;
}

static int
qmaildescendant_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_msg_text(m), head, line;
	struct bk_sv rest = bk_sv_iafter(text, start_mark);
	if (!rest.p)
		return BK_DECLINE;
	struct bk_sv orig = bk_sv_iafter(rest, orig_mark);
	if (orig.p)
		rest = bk_sv_make(rest.p, (size_t)(orig.p - orig_mark.n - rest.p));
	bk_sv_cut(rest, '\n', &head);	/* the rest of the marker line */
	rest = bk_sv_from(rest, head.n);
	struct bk_dlv *d = NULL;
	while (bk_sv_next_line(&rest, &line)) {
		line = bk_sv_trim(line);
		if (rcpt_line(line))
			d = bk_rcpt_add(dc, line);
		else if (d)
			bk_dlv_diag_add(dc, d, line);
	}
	if (!dc->n)
		return BK_DECLINE;
	bk_notice_apply(dc, &bk_rules_x2);
	if (orig.p && !m->flat.orig.p)
		dc->orig = bk_sv_ltrim(orig);
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_qmaildescendant = {
	.name = "X2",
	.what = "an unidentified MTA's \"Unable to deliver message\" bounces",
	.match = qmaildescendant_match,
	.decode = qmaildescendant_decode,
};
