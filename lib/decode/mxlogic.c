/* SPDX-License-Identifier: BSD-2-Clause */
/* mxlogic.c - McAfee SaaS Email Protection (formerly MX Logic), an Exim
 * derivative: "Mail delivery failed" messages.
 *
 *   From: Mail Delivery System <MAILER-DAEMON@relay0.mxl8.example.net>
 *   Subject: Mail delivery failed
 *   X-MX-Bounce: mta/src/queue/bounce
 *
 *   This message was created automatically by mail delivery software.
 *
 *   A message that you have sent could not be delivered to one or more
 *   recipients.  This is a permanent error.  The following address failed:
 *
 *     <kijitora@example.org>: 550 5.1.1 <kijitora@example.org>: Recipient
 *   address rejected: User unknown in local recipient table
 *
 *   Included is a copy of the message header:
 *   -----------------------------------------
 *   Received: from ...
 *
 * A "  <address>: reply" line starts a recipient; the lines up to the
 * next blank one continue its reply.  The returned header block follows
 * the dashes inline.
 */
#include "decode_priv.h"

static const struct bk_sv start =
	BK_SVI("This message was created automatically by mail delivery "
	       "software.");
static const struct bk_sv copy_mark =
	BK_SVI("Included is a copy of the message header:");

static bool
mxlogic_match(const struct bk_msg *m)
{
	return bk_msg_has(m, BK_SV("x-mx-bounce")) ||
	       bk_msg_has(m, BK_SV("x-mxl-hash")) ||
	       bk_msg_has(m, BK_SV("x-mxl-notehash")) ||
	       (bk_sv_icontains(m->from, BK_SV(".mxlogic.net")) &&
		bk_sv_icontains(m->from, BK_SV("MAILER-DAEMON@")));
}

/* "  <a@b>: 550 5.1.1 ..." */
static struct bk_dlv *
take_rcpt(struct bk_dctx *dc, struct bk_sv line)
{
	struct bk_sv t = bk_sv_trim(line);
	long close = bk_sv_find(t, BK_SV(">:"));
	if (!bk_sv_starts(line, BK_SV("  <")) || close < 0)
		return NULL;
	struct bk_sv addr = bk_sv_slice(t, 0, (size_t)close + 1);
	struct bk_dlv *d = bk_rcpt_add(dc, addr);
	if (d)
		bk_dlv_diag_add(dc, d, bk_sv_from(t, (size_t)close + 2));
	return d;
}

/* The header block after the copy mark and its line of dashes. */
static struct bk_sv
inline_orig(struct bk_sv rest)
{
	struct bk_sv line;
	if (!bk_sv_next_line(&rest, &line) || !bk_sv_starts(line, BK_SV("---")))
		return BK_SV_NULL;
	return bk_looks_like_header(rest) ? rest : BK_SV_NULL;
}

static int
mxlogic_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv rest = bk_text_after_line(text, &start, 1), line;
	bool open = false;	/* a reply goes on */
	while (rest.p && bk_sv_next_line(&rest, &line)) {
		if (bk_sv_starts(line, copy_mark)) {
			dc->orig = inline_orig(rest);
			break;
		}
		if (take_rcpt(dc, line))
			open = true;
		else if (!bk_sv_trim(line).n)
			open = false;
		else if (open)
			bk_dlv_diag_add(dc, bk_rcpt_last(dc), line);
	}
	if (!dc->n)
		return BK_DECLINE;
	for (size_t i = 0; i < dc->n; i++)
		dc->v[i].command = bk_sv_c(bk_command_find(dc->v[i].diag));
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_mxlogic = {
	.name = "MXLogic",
	.what = "McAfee SaaS (MX Logic) delivery failures",
	.match = mxlogic_match,
	.decode = mxlogic_decode,
};
