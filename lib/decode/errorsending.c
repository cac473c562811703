/* SPDX-License-Identifier: BSD-2-Clause */
/* errorsending.c - decoder X6 (Sisimai's name): bounces from an unnamed MTA
 * ("There was an error sending your mail"), one line per error, the headers
 * of the message in a text attachment.
 *
 *   From: mailer-daemon
 *   Subject: There was an error sending your mail
 *
 *   We had trouble delivering your message. Full details follow:
 *
 *   1 error(s):
 *
 *   SMTP Server <mx.example.org> rejected recipient <kijitora@example.org>
 *   (Error following RCPT command). It responded as follows: [550 5.1.1
 *   User unknown]
 *
 *   The following recipients returned permanent errors: neko@example.net.
 *   Reason: SMTP Server <192.0.2.25> refused to accept your message (DATA),
 *   with the following error message: [554 5.4.6 Hop count exceeded]
 *
 *   The attachment contains the original mail headers. ...
 *
 * (each error is one line in the bounce).  The server between < and >
 * is the remote host; the command is in parentheses.
 */
#include "decode_priv.h"

static const struct bk_sv headers_marks[] = {
	BK_SVI("The attachment contains the original mail headers"),
};

static const struct bk_sv server_mark = BK_SVI("SMTP Server <");
static const struct bk_sv list_mark = BK_SVI("The following recipients returned ");

static bool
errorsending_match(const struct bk_msg *m)
{
	return bk_sv_istarts(m->subject, BK_SV("There was an error sending your mail")) ||
	       bk_msg_lenient(m, BK_MISSING_SUBJECT,
			      BK_SV("We had trouble delivering your message. Full details follow:"));
}

/* "SMTP Server <host> ...": host */
static struct bk_sv
server_of(struct bk_sv line)
{
	struct bk_sv host = bk_sv_iafter(line, server_mark);
	return host.p ? bk_sv_ibefore(host, BK_SV(">")) : BK_SV("");
}

/* "... errors: a@example.org, b@example.org. Reason: ..." */
static size_t
add_listed(struct bk_dctx *dc, struct bk_sv line)
{
	struct bk_sv list = bk_sv_iafter(line, BK_SV(" errors: "));
	if (!list.p)
		return 0;
	return bk_rcpt_add_list(dc, bk_sv_ibefore(list, BK_SV(" Reason: ")));
}

/* "SMTP Server <host> rejected recipient <a@example.org> (...)" */
static size_t
add_rejected(struct bk_dctx *dc, struct bk_sv line)
{
	struct bk_sv r = bk_sv_iafter(line, BK_SV(" rejected recipient "));
	return r.p && bk_rcpt_add(dc, r) ? 1 : 0;
}

static void
read_error(struct bk_dctx *dc, struct bk_sv line)
{
	size_t first = dc->n;
	if (bk_sv_istarts(line, list_mark))
		add_listed(dc, line);
	else if (bk_sv_istarts(line, server_mark))
		add_rejected(dc, line);
	/* "(DATA)", "(Error following RCPT command)" */
	struct bk_sv paren = bk_sv_iafter(line, BK_SV(" ("));
	struct bk_sv cmd = paren.p ? bk_sv_c(bk_command_find(
					     bk_sv_ibefore(paren, BK_SV(")"))))
				   : BK_SV("");
	for (size_t i = first; i < dc->n; i++) {
		struct bk_dlv *d = &dc->v[i];
		d->diag = line;
		d->rhost = server_of(line);
		d->command = cmd;
	}
}

static int
errorsending_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_msg_text(m);
	struct bk_sv rest = bk_text_before_any(text, headers_marks,
					       BK_NELEM(headers_marks));
	struct bk_sv line;
	while (bk_sv_next_line(&rest, &line))
		read_error(dc, bk_sv_trim(line));
	if (!m->flat.orig.p)
		dc->orig = bk_text_after_line(text, headers_marks,
					      BK_NELEM(headers_marks));
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_errorsending = {
	.name = "X6",
	.what = "an unnamed MTA: \"There was an error sending your mail\"",
	.match = errorsending_match,
	.decode = errorsending_decode,
};
