/* SPDX-License-Identifier: BSD-2-Clause */
/* maildeliversystem.c - decoder X1 (Sisimai's name): bounces from an
 * unidentified MTA ("Mail Deliver System"), one line per recipient with the
 * error in brackets.
 *
 *   From: "Mail Deliver System" <MAILER-DAEMON@mx.example.jp>
 *   Subject: Returned Mail: User unknown
 *
 *   The original message was received at Thu, 29 Apr 2010 23:34:45 +0900
 *   from neko@example.jp
 *
 *   ---The following addresses had delivery errors---
 *
 *   kijitora@example.org [User unknown]
 *
 * The date the original message was received is the only date given.
 */
#include "decode_priv.h"

static const struct bk_sv errors_mark =
	BK_SVI("---The following addresses had delivery errors---");
static const struct bk_sv received_mark =
	BK_SVI("The original message was received at ");

static bool
maildeliversystem_match(const struct bk_msg *m)
{
	return bk_sv_starts(m->subject, BK_SV("Returned Mail: ")) ||
	       bk_sv_starts(m->subject, BK_SV("Mail Delivery Failure")) ||
	       bk_sv_contains(m->from, BK_SV("\"Mail Deliver System\"")) ||
	       bk_msg_lenient(m, BK_MISSING_SUBJECT | BK_MISSING_FROM,
			      BK_SV("\n---The following addresses had delivery errors---\n"));
}

/* "kijitora@example.org [User unknown]" */
static bool
rcpt_line(struct bk_dctx *dc, struct bk_sv line, struct bk_sv date)
{
	struct bk_sv addr, why = bk_sv_cut(line, ' ', &addr);
	why = bk_sv_trim(why);
	if (!why.n || why.p[0] != '[' || why.p[why.n - 1] != ']' ||
	    bk_sv_findc(addr, '@') <= 0)
		return false;
	struct bk_dlv *d = bk_rcpt_add(dc, addr);
	if (!d)
		return false;
	bk_dlv_diag_add(dc, d, bk_sv_slice(why, 1, why.n - 1));
	d->date = date;
	return true;
}

/* "The original message was received at <date>" */
static struct bk_sv
received_at(struct bk_sv text)
{
	struct bk_sv date = bk_sv_iafter(text, received_mark), head;
	if (!date.p)
		return date;
	bk_sv_cut(date, '\n', &head);
	return bk_sv_trim(head);
}

/* The returned message follows the list as a MIME part without part
 * headers of its own: its header lines are read as the part's, so it is
 * found in the raw body, from its first Received: or Return-Path:. */
static struct bk_sv
returned_message(struct bk_sv body)
{
	static const struct bk_sv heads[] = {
		BK_SVI("Received: "), BK_SVI("Return-Path: "),
	};
	struct bk_sv rest = bk_sv_iafter(body, errors_mark), line;
	while (rest.p && bk_sv_next_line(&rest, &line))
		if (bk_sv_istarts_any(line, heads, BK_NELEM(heads)))
			return bk_sv_make(line.p, (size_t)(body.p + body.n - line.p));
	return BK_SV_NULL;
}

static int
maildeliversystem_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_msg_text(m), date = received_at(text);
	struct bk_sv rest = bk_sv_iafter(text, errors_mark), line;
	if (!rest.p)
		return BK_DECLINE;
	while (bk_sv_next_line(&rest, &line)) {
		struct bk_sv t = bk_sv_trim(line);
		if (t.n && !rcpt_line(dc, t, date))
			break;
	}
	if (!dc->n)
		return BK_DECLINE;
	if (!m->flat.orig.p)
		dc->orig = returned_message(m->body);
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_maildeliversystem = {
	.name = "X1",
	.what = "an unidentified MTA's \"Mail Deliver System\" bounces",
	.match = maildeliversystem_match,
	.decode = maildeliversystem_decode,
};
