/* SPDX-License-Identifier: BSD-2-Clause */
/* ezweb.c - au by KDDI's mobile mail (ezweb.ne.jp, au.com): "Mail System
 * Error" notices.
 *
 *   From: Postmaster@ezweb.ne.jp
 *   Subject: Mail System Error - Returned Mail
 *
 *   (a notice in Japanese)
 *
 *   The user(s) account is disabled.
 *
 *   <kijitora@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)
 *
 * or, when the next server refused the message:
 *
 *   Each of the following recipients was rejected by a remote
 *   mail server.
 *
 *       Recipient: <kijitora@example.org>
 *       >>> RCPT TO:<kijitora@example.org>
 *       <<< 550 <kijitora@example.org>: User unknown
 *
 * EZweb's own English notices state the reason (notices[] below) and are
 * then the whole diagnostic; otherwise it is the text before the first
 * recipient and the lines about the recipient.  A message refused by the
 * recipient's domain filter comes back with "X-SPASIGN: NG".  Some
 * notices carry delivery status fields too; the returned message follows
 * a line of dashes or comes as a message/rfc822 part.
 */
#include "decode_priv.h"

static const struct bk_sv starts[] = {
	BK_SVI("The user(s) "), BK_SVI("Your message "),
	BK_SVI("Each of the following"), BK_SVI("<"),
};

static const struct bk_sv dashes =
	BK_SVI("--------------------------------------------------");

struct ezweb {
	struct bk_dctx *dc;
	struct bk_dlv *cur;	/* the recipient the lines are about */
	struct bk_dlv common;	/* before any recipient; lhost, date */
	struct bk_dlv notice;	/* EZweb's notice: text and reason */
};

static bool
ezweb_match(const struct bk_msg *m)
{
	static const struct bk_sv subject =
		BK_SVI("Mail System Error - Returned Mail");
	struct bk_sv mid = bk_msg_header(m, BK_SV("message-id"));
	struct bk_sv from = BK_SV("from"), rcvd = BK_SV("received");
	struct bk_sv ezmail = BK_SV("ezweb.ne.jp (EZweb Mail) with");
	/* two of four marks; the cheap ones first, the Received: search
	 * only when it can decide */
	int votes = bk_sv_eq(m->subject, subject);
	mid = bk_sv_rtrim(mid.p ? mid : BK_SV(""));
	votes += bk_sv_iends(mid, BK_SV(".ezweb.ne.jp>")) ||
		 bk_sv_iends(mid, BK_SV(".au.com>"));
	/* both addresses begin alike: one search tells most From: away */
	votes += bk_msg_header_has(m, from, BK_SV("Postmaster@")) &&
		 (bk_msg_header_has(m, from, BK_SV("Postmaster@ezweb.ne.jp")) ||
		  bk_msg_header_has(m, from, BK_SV("Postmaster@au.com")));
	/* without the fields: the returned message's Received: and the
	 * sentence of the notice */
	if (votes < 2 &&
	    bk_msg_lenient(m, BK_MISSING_SUBJECT | BK_MISSING_FROM, ezmail) &&
	    bk_sv_icontains(m->flat.text,
			    BK_SV("recipients was rejected by a remote mail server")))
		votes = 2;
	if (votes != 1)
		return votes >= 2;
	return bk_msg_header_has(m, rcvd, ezmail) ||
	       bk_msg_header_has(m, rcvd, BK_SV(".au.com ("));
}

static bool
is_8bit(struct bk_sv s)
{
	for (size_t i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] >= 0x80)
			return true;
	return false;
}

/* "<kijitora@example.jp>: text" or "Recipient: <kijitora@example.jp>":
 * the bracketed address (p == NULL when the line is neither), *rest
 * what follows it. */
static struct bk_sv
rcpt_in_line(struct bk_sv t, struct bk_sv *rest)
{
	if (bk_sv_istarts(t, BK_SV("Recipient: <")))
		t = bk_sv_from(t, 11);
	if (!bk_sv_starts(t, BK_SV("<")))
		return BK_SV_NULL;
	long close = bk_sv_findc(t, '>');
	struct bk_sv a = bk_sv_slice(t, 1, close > 0 ? (size_t)close : 0);
	if (!a.n || bk_sv_findc(a, '@') <= 0 || bk_sv_findc(a, ' ') >= 0)
		return BK_SV_NULL;
	*rest = bk_sv_trim(bk_sv_from(t, (size_t)close + 1));
	if (rest->n && rest->p[0] == ':')
		*rest = bk_sv_trim(bk_sv_from(*rest, 1));
	return a;
}

static struct bk_dlv *
rcpt_for(struct bk_dctx *dc, struct bk_sv text)
{
	struct bk_sv a = bk_addr_find(dc->arena, text);
	struct bk_dlv *d = a.p ? bk_rcpt_find(dc, a) : NULL;
	return d ? d : bk_rcpt_add(dc, text);
}

/* A delivery status field of the recipient the lines are about. */
static void
recipient_field(struct bk_dctx *dc, struct bk_dlv *d, enum bk_dsn_field f,
		struct bk_sv v)
{
	if (f == BK_DF_DIAGNOSTIC_CODE)
		bk_dlv_diag_add(dc, d, v);
	else
		bk_dlv_set_field(d, f, v);
}

/* A delivery status field; false when the line is none. */
static bool
take_field(struct ezweb *st, struct bk_sv line)
{
	struct bk_sv type, v;
	enum bk_dsn_field f = bk_dsn_field(line, &type, &v);
	if (f == BK_DF_NONE)
		return false;
	if (f == BK_DF_FINAL_RECIPIENT)
		st->cur = rcpt_for(st->dc, v);
	else if (f == BK_DF_REPORTING_MTA)
		st->common.lhost = v;
	else if (f == BK_DF_ARRIVAL_DATE)
		st->common.date = v;
	else if (st->cur)
		recipient_field(st->dc, st->cur, f, v);
	return true;
}

static bool
take_notice(struct ezweb *st, struct bk_sv line)
{
	struct bk_said s = bk_rule_find_case(&bk_rules_ezweb, line);
	if (!bk_said_any(s))
		return false;
	bk_dlv_diag_add(st->dc, &st->notice, line);
	if (!bk_said_any(st->notice.said))
		st->notice.said = s;
	return true;
}

static void
take_line(struct ezweb *st, struct bk_sv line)
{
	struct bk_sv t = bk_sv_trim(line), rest, a;
	if (!t.n || bk_sv_istarts(t, BK_SV("Content-Type:")))
		return;
	if ((a = rcpt_in_line(t, &rest)).p) {
		st->cur = rcpt_for(st->dc, a);
		if (st->cur)
			bk_dlv_diag_add(st->dc, st->cur, rest);
		return;
	}
	if (take_field(st, t) || is_8bit(t) || take_notice(st, t))
		return;
	if (bk_sv_starts(t, BK_SV(">>> "))) {
		if (st->cur)
			st->cur->command = bk_sv_c(bk_command_find(t));
		return;
	}
	bk_dlv_diag_add(st->dc, st->cur ? st->cur : &st->common, t);
}

/* The notice, when there is one, is the diagnostic; else the text before
 * the first recipient and the recipient's own lines. */
static void
finish(struct ezweb *st, const struct bk_msg *m)
{
	bool spasign = bk_msg_header_has(m, BK_SV("x-spasign"), BK_SV("NG"));
	for (size_t i = 0; i < st->dc->n; i++) {
		struct bk_dlv *d = &st->dc->v[i];
		struct bk_sv own = d->diag;
		d->diag = st->notice.diag.n ? st->notice.diag : st->common.diag;
		if (!st->notice.diag.n)
			bk_dlv_diag_add(st->dc, d, own);
		d->said = spasign ? bk_said_row(&bk_rules_ezweb, BK_EZWEB_SPASIGN)
			   : st->notice.said;
	}
	BK_FILL(st->dc, lhost, st->common.lhost);
	BK_FILL(st->dc, date, st->common.date);
}

static int
ezweb_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct ezweb st = { .dc = dc };
	struct bk_sv rest = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv line;
	bool started = false;

	while (bk_sv_next_line(&rest, &line)) {
		if (bk_sv_starts(line, dashes)) {
			if (!m->flat.orig.p)
				dc->orig = rest; /* the returned message */
			break;
		}
		started = started || bk_sv_istarts_any(bk_sv_trim(line), starts,
						       BK_NELEM(starts));
		if (started)
			take_line(&st, line);
	}
	if (!dc->n)
		return BK_DECLINE;
	finish(&st, m);
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_ezweb = {
	.name = "EZweb",
	.what = "au by KDDI mobile mail (ezweb.ne.jp, au.com) error notices",
	.match = ezweb_match,
	.decode = ezweb_decode,
};
