/* SPDX-License-Identifier: BSD-2-Clause */
/* mailmarshal.c - bounces from Trustwave Secure Email Gateway, formerly
 * MailMarshal SMTP.
 *
 *   Subject: Undeliverable Mail: "Lunch"
 *
 *   Your message:
 *      From:    sironeko@example.jp
 *      Subject: Lunch
 *
 *   Could not be delivered because of
 *
 *   550 5.1.1 User unknown
 *
 *   The following recipients were affected:
 *       kijitora@example.org
 *
 *   Additional Information
 *   ======================
 *   Original Sender:    <sironeko@example.jp>
 *   Sender-MTA:         <192.0.2.250>
 *   Remote-MTA:         <192.0.2.2>
 *   Reporting-MTA:      <gw.example.org>
 *
 * One error for every recipient listed.
 */
#include "decode_priv.h"

static const struct bk_sv because =
	BK_SVI("Could not be delivered because of");
static const struct bk_sv affected =
	BK_SVI("The following recipients were affected:");

static bool
mailmarshal_match(const struct bk_msg *m)
{
	return bk_sv_starts(m->subject, BK_SV("Undeliverable Mail: \""));
}

/* "Remote-MTA:         <192.0.2.2>" -> "192.0.2.2" */
static struct bk_sv
info_value(struct bk_sv text, struct bk_sv name)
{
	struct bk_sv v = bk_sv_iafter(text, name), line;
	if (!v.p)
		return BK_SV_NULL;
	bk_sv_next_line(&v, &line);
	line = bk_sv_trim(line);
	if (line.n > 2 && line.p[0] == '<' && line.p[line.n - 1] == '>')
		line = bk_sv_slice(line, 1, line.n - 1);
	return line;
}

/* From "Could not be delivered because of" to the list of recipients. */
static struct bk_sv
error_text(struct bk_sv text)
{
	long at = bk_sv_find(text, because);
	if (at < 0)
		return BK_SV_NULL;
	struct bk_sv err = bk_sv_from(text, (size_t)at);
	long end = bk_sv_find(err, affected);
	return bk_sv_trim(end < 0 ? err : bk_sv_slice(err, 0, (size_t)end));
}

static int
mailmarshal_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv list = bk_sv_iafter(text, affected), line;

	while (list.p && bk_sv_next_line(&list, &line)) {
		struct bk_sv t = bk_sv_trim(line);
		if (t.n && (line.p[0] != ' ' || bk_sv_findc(t, ' ') >= 0))
			break;	/* the end of the indented list */
		if (t.n)
			bk_rcpt_add(dc, t);
	}
	if (!dc->n)
		return BK_DECLINE;
	BK_FILL(dc, diag, error_text(text));
	BK_FILL(dc, rhost, info_value(text, BK_SV("\nRemote-MTA:")));
	BK_FILL(dc, lhost, info_value(text, BK_SV("\nReporting-MTA:")));
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_mailmarshal = {
	.name = "MailMarshalSMTP",
	.what = "Trustwave Secure Email Gateway (MailMarshal SMTP) bounces",
	.match = mailmarshal_match,
	.decode = mailmarshal_decode,
};
