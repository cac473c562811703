/* SPDX-License-Identifier: BSD-2-Clause */
/* interscanmss.c - bounces from Trend Micro InterScan Messaging Security
 * Suite (and its successor, Trend Vision One Email and Collaboration
 * Security): the SMTP exchange that failed, or a notice that the
 * recipient's domain refused the message.
 *
 *   From: "InterScan MSS" <postmaster@example.jp>
 *   Subject: Mail could not be delivered
 *
 *   Sent <<< RCPT TO:<kijitora@example.org>
 *   Received >>> 550 5.1.1 <kijitora@example.org>... user unknown
 *
 * or
 *
 *   ****** Message from InterScan Messaging Security Suite ******
 *
 *   Unable to deliver message to <kijitora@example.org> (and other
 *   recipients in the same domain). Please check if address is correct.
 */
#include "decode_priv.h"

static const struct bk_sv subjects[] = {
	BK_SVI("Mail could not be delivered"),
	BK_SVI("メッセージを配信できません。"),
	BK_SVI("メール配信に失敗しました"),
};

static const struct bk_sv unable = BK_SVI("Unable to deliver ");

static bool
interscanmss_match(const struct bk_msg *m)
{
	struct bk_sv s = bk_sv_trim(m->subject);
	for (size_t i = 0; i < BK_NELEM(subjects); i++)
		if (bk_sv_eq(s, subjects[i]))
			return true;
	if (bk_msg_lenient(m, BK_MISSING_SUBJECT | BK_MISSING_FROM,
			   BK_SV("\nSent <<< RCPT TO:<")))
		return true;
	/* both names begin alike: one search tells most From: lines away */
	return bk_sv_contains(m->from, BK_SV("\"InterScan ")) &&
	       (bk_sv_contains(m->from, BK_SV("\"InterScan MSS\"")) ||
		bk_sv_contains(m->from, BK_SV("\"InterScan Notification\"")));
}

/* The address in the last <...> of a line. */
static struct bk_sv
last_bracketed(struct bk_sv line)
{
	long lt = bk_sv_rfindc(line, '<'), gt = bk_sv_rfindc(line, '>');
	if (lt < 0 || gt <= lt)
		return BK_SV_NULL;
	return bk_sv_slice(line, (size_t)lt, (size_t)gt + 1);
}

/* "Sent <<< RCPT TO:<a@b>", "Received >>> 550 ...", in any language and
 * either direction of the arrows: what follows the arrow, or p == NULL. */
static struct bk_sv
exchange(struct bk_sv line)
{
	struct bk_sv v = bk_sv_iafter(line, BK_SV(" <<< "));
	if (!v.p)
		v = bk_sv_iafter(line, BK_SV(" >>> "));
	return v.p ? bk_sv_trim(v) : v;
}

static struct bk_dlv *
recipient_of(struct bk_dctx *dc, struct bk_dlv *d, struct bk_sv line)
{
	struct bk_sv br = last_bracketed(line);
	struct bk_sv a = br.p ? bk_addr_find(dc->arena, br) : BK_SV_NULL;
	if (!a.p || (d && bk_sv_ieq(d->recipient, a)))
		return d;
	return bk_rcpt_add(dc, a);
}

static struct bk_dlv *
read_line(struct bk_dctx *dc, struct bk_dlv *d, struct bk_sv line)
{
	struct bk_sv said = exchange(line);
	if (said.p || bk_sv_icontains(line, unable))
		d = recipient_of(dc, d, line);
	if (!d)
		return d;
	if (bk_sv_icontains(line, unable)) {
		d->diag = line;
		/* "Please check if address is correct" */
		d->said = bk_said_row(&bk_rules_interscanmss,
				      BK_INTERSCANMSS_UNABLE);
	} else if (said.n && bk_line_is_reply(said)) {
		d->diag = said;
	} else if (said.n && bk_command_valid(said)) {
		d->command = bk_sv_c(bk_command_find(said));
	}
	return d;
}

static int
interscanmss_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv rest = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv line;
	struct bk_dlv *d = NULL;

	while (bk_sv_next_line(&rest, &line))
		d = read_line(dc, d, bk_sv_trim(line));
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_interscanmss = {
	.name = "InterScanMSS",
	.what = "Trend Micro InterScan Messaging Security Suite bounces",
	.match = interscanmss_match,
	.decode = interscanmss_decode,
};
