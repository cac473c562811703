/* SPDX-License-Identifier: BSD-2-Clause */
/* activehunter.c - bounces from TransWARE Active!hunter, a
 * sendmail-like layout marked by an X-AHMAILID header.
 *
 *   From: "MAILER-DAEMON" <MAILER-DAEMON@example.org>
 *   Subject: FAILURE NOTICE : Lunch
 *   X-AHMAILID: 20110429T233445+0900-0000-0000D0-AAA-FF
 *
 *     ----- The following addresses had permanent fatal errors -----
 *
 *   >>> kijitora@example.org <kijitora@example.org>
 *
 *     ----- Transcript of session follows -----
 *   550 sorry, no mailbox here by that name (#5.1.1 - chkusr)
 */
#include "decode_priv.h"

static const struct bk_sv fatal_mark =
	BK_SVI("----- The following addresses had permanent fatal errors");
static const struct bk_sv transcript_mark =
	BK_SVI("----- Transcript of session follows -----");

static bool
activehunter_match(const struct bk_msg *m)
{
	return bk_msg_has(m, BK_SV("x-ahmailid"));
}

/* The transcript: its lines up to the first blank one after them. */
static struct bk_sv
transcript(struct bk_sv text)
{
	struct bk_sv rest = bk_sv_iafter(text, transcript_mark);
	struct bk_sv line, t = BK_SV_NULL;
	if (!rest.p)
		return t;
	bk_sv_next_line(&rest, &line);	/* the end of the marker line */
	while (bk_sv_next_line(&rest, &line)) {
		struct bk_sv l = bk_sv_trim(line);
		if (!l.n && t.p)
			break;
		if (l.n)
			bk_text_span(&t, l);
	}
	return t;
}

static int
activehunter_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv rest = bk_sv_iafter(text, fatal_mark);
	struct bk_sv line;

	while (rest.p && bk_sv_next_line(&rest, &line)) {
		/* ">>> kijitora@example.org <kijitora@example.org>" */
		if (bk_sv_starts(line, BK_SV(">>> ")))
			bk_rcpt_add(dc, bk_sv_from(line, 4));
		else if (bk_sv_icontains(line, transcript_mark))
			break;
	}
	if (!dc->n)
		return BK_DECLINE;
	BK_FILL(dc, diag, transcript(text));
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_activehunter = {
	.name = "Activehunter",
	.what = "TransWARE Active!hunter bounces",
	.match = activehunter_match,
	.decode = activehunter_decode,
};
