/* SPDX-License-Identifier: BSD-2-Clause */
/* imailserver.c - bounces from Ipswitch IMail Server (SMTP32).
 *
 *   Subject: Undeliverable Mail
 *   X-Mailer: <SMTP32 v8.22>
 *
 *   User mailbox exceeds allowed size: kijitora@example.org
 *
 *   Original message follows.
 *
 * or, when the remote server refused the message:
 *
 *   undeliverable to kijitora@example.org
 *
 *   Body of message generated response:
 *   550 5.7.1 Message rejected as spam
 *
 * Each "Reason: address" line names a recipient and why.
 */
#include "decode_priv.h"

static const struct bk_sv response_mark =
	BK_SVI("Body of message generated response:");

static const struct bk_sv copy_marks[] = {
	BK_SVI("Original message follows."),
};

static bool
imailserver_match(const struct bk_msg *m)
{
	struct bk_sv xm = bk_sv_trim(bk_msg_header(m, BK_SV("x-mailer")));
	return bk_sv_starts(xm, BK_SV("<SMTP32 v")) ||
	       bk_sv_eq(bk_sv_trim(m->subject), BK_SV("Undeliverable Mail"));
}

/* "Unknown user: kijitora@example.org": the reason, ": ", the address */
static bool
is_reason_line(struct bk_sv t)
{
	long colon = bk_sv_find(t, BK_SV(": "));
	return colon > 8 && bk_sv_findc(bk_sv_from(t, (size_t)colon), '@') > 0;
}

static struct bk_dlv *
read_line(struct bk_dctx *dc, struct bk_dlv *d, struct bk_sv t, bool *response)
{
	if (is_reason_line(t)) {
		d = bk_rcpt_add(dc, bk_sv_iafter(t, BK_SV(": ")));
		if (d)
			d->diag = t;
		*response = false;
	} else if (bk_sv_istarts(t, BK_SV("undeliverable ")) &&
		   bk_sv_istarts(bk_sv_ltrim(bk_sv_from(t, 13)), BK_SV("to "))) {
		/* "undeliverable to a@b", also with more spaces between */
		d = bk_rcpt_add(dc, bk_sv_from(t, 13));
		*response = false;
	} else if (d && bk_sv_icontains(t, response_mark)) {
		/* the remote server refused the message after its data */
		bk_text_span(&d->diag, t);
		d->command = BK_SV("DATA");
		*response = true;
	} else if (d && *response && t.n) {
		bk_text_span(&d->diag, t);
	}
	return d;
}

static int
imailserver_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv rest = bk_text_before_any(text, copy_marks,
					       BK_NELEM(copy_marks));
	struct bk_sv line;
	struct bk_dlv *d = NULL;
	bool response = false;

	while (bk_sv_next_line(&rest, &line))
		d = read_line(dc, d, bk_sv_trim(line), &response);
	bk_notice_apply(dc, &bk_rules_imailserver);
	struct bk_sv copy = bk_text_after_line(text, copy_marks,
					       BK_NELEM(copy_marks));
	if (copy.p && !m->flat.orig.p)
		dc->orig = copy;
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_imailserver = {
	.name = "IMailServer",
	.what = "Ipswitch IMail Server bounces",
	.match = imailserver_match,
	.decode = imailserver_decode,
};
