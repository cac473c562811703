/* SPDX-License-Identifier: BSD-2-Clause */
/* rfc3834.c - automatic responses (RFC 3834): out-of-office and other
 * auto-replies.  The recipient is the person who is away, the author of
 * the reply.
 *
 *   From: kijitora@example.net
 *   Auto-Submitted: auto-replied
 *   Subject: Automatic reply: Lunch on Friday
 *
 *   I am currently away returning to the office on May 5th.
 *
 * An auto-reply is known by Auto-Submitted: auto-replied (RFC 3834 5),
 * the headers of common responders (Precedence: auto_reply,
 * X-Autoreply, X-Apple-Action: vacation) or a subject prefix.  Replies
 * that say nothing about a recipient give no record: those of a mailer
 * daemon, of root or of a no-reply address (nobody sent mail to it),
 * and sudo's or Exim's reports.
 */
#include "decode_priv.h"

/* Subject prefixes of auto-replies; the original subject follows. */
static const struct bk_sv subjects[] = {
	BK_SVI("auto:"), BK_SVI("auto response"), BK_SVI("automatic reply"),
	BK_SVI("auto reply"), BK_SVI("autoreply"), BK_SVI("out of office"),
	BK_SVI("out of the office"), BK_SVI("away from the office"),
	BK_SVI("autorespons"), BK_SVI("abwesenheitsnotiz"),
	BK_SVI("réponse automatique"), BK_SVI("respuesta automática"),
	BK_SVI("自動応答"), BK_SVI("自動返信"),
};

/* Authors whose replies name no recipient. */
static const struct bk_sv not_people[] = {
	BK_SVI("mailer-daemon@"), BK_SVI("postmaster@"), BK_SVI("root@"),
};
/* Local parts of addresses nobody writes to. */
static const struct bk_sv no_reply[] = {
	BK_SVI("noreply"), BK_SVI("no-reply"), BK_SVI("no_reply"),
	BK_SVI("donotreply"), BK_SVI("do-not-reply"), BK_SVI("do_not_reply"),
};
/* Reports that look like auto-replies: sudo(8), Exim's "Mail failure -". */
static const struct bk_sv not_replies[] = {
	BK_SVI("security information for"), BK_SVI("mail failure -"),
};

static bool
rfc3834_match(const struct bk_msg *m)
{
	struct bk_sv as = bk_msg_header(m, BK_SV("auto-submitted"));
	if (as.p && bk_sv_istarts(bk_sv_trim(as), BK_SV("auto-replied")))
		return true;
	if (bk_msg_has(m, BK_SV("x-autoreply")) ||
	    bk_msg_has(m, BK_SV("x-autorespond")) ||
	    bk_msg_header_has(m, BK_SV("precedence"), BK_SV("auto_reply")) ||
	    bk_msg_header_has(m, BK_SV("x-apple-action"), BK_SV("vacation")))
		return true;
	return bk_sv_istarts_any(m->subject, subjects, BK_NELEM(subjects));
}

static bool
no_reply_address(struct bk_sv addr)
{
	struct bk_sv local = bk_sv_ibefore(addr, BK_SV("@"));
	for (size_t i = 0; i < BK_NELEM(no_reply); i++)
		if (bk_sv_ieq(local, no_reply[i]))
			return true;
	return false;
}

/* Replies that tell nothing about a recipient. */
static bool
excluded(const struct bk_msg *m, struct bk_sv author)
{
	struct bk_sv as = bk_msg_header(m, BK_SV("auto-submitted"));
	/* "Auto-Submitted: no": written by a person (RFC 3834 5.1) */
	if (as.p && bk_sv_ieq(bk_sv_trim(bk_sv_ibefore(as, BK_SV("("))),
			      BK_SV("no")))
		return true;
	struct bk_sv rp = bk_msg_header(m, BK_SV("return-path"));
	struct bk_sv to = bk_msg_header(m, BK_SV("to"));
	return (rp.p && bk_sv_icontains(rp, BK_SV("mailer-daemon"))) ||
	       bk_sv_icontains_any(m->from, not_people, BK_NELEM(not_people)) ||
	       (to.p && bk_sv_icontains(to, BK_SV("root@"))) ||
	       bk_sv_icontains_any(m->subject, not_replies,
				   BK_NELEM(not_replies)) ||
	       no_reply_address(author);
}

/* What the reply says: the first lines of its first two paragraphs. */
static void
take_text(struct bk_dctx *dc, struct bk_dlv *d, struct bk_sv text)
{
	struct bk_sv rest = text, line;
	size_t taken = 0, paragraphs = 0;
	bool in_para = false;
	while (taken < 5 && bk_sv_next_line(&rest, &line)) {
		line = bk_sv_trim(line);
		if (!line.n) {
			if (in_para && ++paragraphs == 2)
				break;
			in_para = false;
			continue;
		}
		in_para = true;
		bk_dlv_diag_add(dc, d, line);
		taken++;
	}
}

/* "Automatic reply: Lunch" answers a message with the subject "Lunch":
 * the returned message is known by that much. */
static void
original_subject(struct bk_dctx *dc, const struct bk_msg *m)
{
	if (!bk_sv_istarts_any(m->subject, subjects, BK_NELEM(subjects)))
		return;
	struct bk_sv s = bk_sv_iafter(m->subject, BK_SV(":"));
	if (!s.p || !(s = bk_sv_trim(s)).n)
		return;
	struct bk_sb sb;
	bk_sb_init(&sb, dc->arena, s.n + 12);
	bk_sb_addsv(&sb, BK_SV("Subject: "));
	bk_sb_addsv(&sb, s);
	bk_sb_addsv(&sb, BK_SV("\n\n"));
	dc->orig = bk_sb_sv(&sb);
}

static int
rfc3834_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv author = bk_msg_author(dc->arena, m);
	if (!author.p || excluded(m, author))
		return BK_DECLINE;
	struct bk_dlv *d = bk_rcpt_add(dc, author);
	if (!d)
		return BK_DECLINE;
	d->said = bk_said_row(&bk_rules_rfc3834, BK_RFC3834_AUTOREPLY);
	d->spec = BK_SV("");
	take_text(dc, d, m->flat.text);
	original_subject(dc, m);
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_rfc3834 = {
	.name = "RFC3834",
	.what = "RFC 3834 automatic responses (out of office)",
	.match = rfc3834_match,
	.decode = rfc3834_decode,
};
