/* SPDX-License-Identifier: BSD-2-Clause */
/* apachejames.c - bounces from Apache James (the AbstractNotify mailet):
 * an error message and then the details of the message that failed.
 *
 *   Subject: [BOUNCE]
 *   Message-ID: <1234.5678.1370000000000.JavaMail.james@mx.example.org>
 *
 *   Error message below:
 *   550 - Requested action not taken: no such user here
 *
 *   Message details:
 *     Subject: Lunch
 *     Sent date: Wed Jun 12 02:21:53 GMT 2013
 *     MAIL FROM: sironeko@example.jp
 *     RCPT TO: kijitora@example.org
 *     Size (in bytes): 1024
 */
#include "decode_priv.h"

static bool
apachejames_match(const struct bk_msg *m)
{
	return bk_sv_eq(bk_sv_trim(m->subject), BK_SV("[BOUNCE]")) ||
	       bk_msg_header_has(m, BK_SV("message-id"), BK_SV(".JavaMail.")) ||
	       bk_msg_header_has(m, BK_SV("received"),
				 BK_SV("JAMES SMTP Server"));
}

/* AbstractNotify.java: "Error message below:" and its lines up to a
 * blank line. */
static struct bk_sv
error_text(struct bk_sv text)
{
	struct bk_sv rest = bk_sv_iafter(text, BK_SV("\nError message below:"));
	struct bk_sv line, err = BK_SV_NULL;
	if (!rest.p)
		return err;
	bk_sv_next_line(&rest, &line);	/* the end of the marker line */
	while (bk_sv_next_line(&rest, &line) && bk_sv_trim(line).n)
		bk_text_span(&err, bk_sv_trim(line));
	return err;
}

static int
apachejames_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv details = bk_sv_iafter(text, BK_SV("\nMessage details:"));
	struct bk_sv line, date = BK_SV_NULL;

	while (details.p && bk_sv_next_line(&details, &line)) {
		struct bk_sv t = bk_sv_trim(line);
		if (bk_sv_istarts(t, BK_SV("RCPT TO:")))
			bk_rcpt_add(dc, bk_sv_from(t, 8));
		else if (bk_sv_istarts(t, BK_SV("Sent date:")))
			date = bk_sv_trim(bk_sv_from(t, 10));
	}
	if (!dc->n)
		return BK_DECLINE;
	BK_FILL(dc, diag, error_text(text));
	BK_FILL(dc, date, date);
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_apachejames = {
	.name = "ApacheJames",
	.what = "Apache James bounces",
	.match = apachejames_match,
	.decode = apachejames_decode,
};
