/* SPDX-License-Identifier: BSD-2-Clause */
/* deutschetelekom.c - bounces in the banner layout of Smail 3 (notify.c),
 * which Deutsche Telekom's T-Online mail servers still write.
 *
 *   From: Mail Delivery System <Mailer-Daemon@t-online.de>
 *
 *   |------------------------- Failed addresses follow: ---------------------|
 *    <neko@t-online.de>
 *      552 5.2.2 <neko@t-online.de> Quota exceeded (mailbox for user is full)
 *
 *   |------------------------- Message header follows: ----------------------|
 *   Received: from mx.example.jp ...
 *
 * Smail itself writes " kijitora@example.org ... failed: unknown host",
 * may put a "Message log follows:" section first, and ends the list with
 * "Message text follows:".
 */
#include "decode_priv.h"

static const struct bk_sv log_banner =
	BK_SVI("|------------------------- Message log follows:");
static const struct bk_sv failed_banner =
	BK_SVI("|------------------------- Failed addresses follow:");
static const struct bk_sv copy_marks[] = {
	BK_SVI("|------------------------- Message text follows:"),
	BK_SVI("|------------------------- Message header follows:"),
};

static bool
deutschetelekom_match(const struct bk_msg *m)
{
	/* the banner comes first in the text */
	struct bk_sv head = bk_sv_slice(m->flat.text, 0, 4096);
	return bk_sv_contains(head, failed_banner);
}

/* " <a@b>" (Deutsche Telekom) or " a@b ... failed: why" (Smail): the
 * address, and *rest what follows it. */
static struct bk_sv
address_line(struct bk_sv line, struct bk_sv *rest)
{
	struct bk_sv word;
	if (!line.n || line.p[0] != ' ' || line.n < 2 || line.p[1] == ' ')
		return BK_SV_NULL;
	*rest = bk_sv_cut(bk_sv_trim(line), ' ', &word);
	if (bk_sv_findc(word, '@') < 0)
		return BK_SV_NULL;
	*rest = bk_sv_trim(rest->p ? *rest : BK_SV(""));
	if (bk_sv_starts(*rest, BK_SV("...")))
		*rest = bk_sv_trim(bk_sv_from(*rest, 3));
	return word;
}

static void
read_failed(struct bk_dctx *dc, struct bk_sv list)
{
	struct bk_sv line, rest;
	struct bk_dlv *d = NULL;

	while (bk_sv_next_line(&list, &line)) {
		struct bk_sv addr = address_line(line, &rest);
		struct bk_dlv *nd = addr.p ? bk_rcpt_add(dc, addr) : NULL;
		if (nd) {
			d = nd;
			d->diag = rest.n ? rest : BK_SV_NULL;
		} else if (d && bk_sv_trim(line).n) {
			bk_text_span(&d->diag, bk_sv_trim(line));
		}
	}
}

/* Smail's message log, for the addresses listed without a reason */
static struct bk_sv
message_log(struct bk_sv text)
{
	struct bk_sv log = bk_sv_iafter(text, log_banner);
	struct bk_sv line, span = BK_SV_NULL;
	if (!log.p)
		return span;
	bk_sv_next_line(&log, &line);	/* the end of the banner */
	while (bk_sv_next_line(&log, &line) &&
	       !bk_sv_starts(line, BK_SV("|-----")))
		if (bk_sv_trim(line).n)
			bk_text_span(&span, bk_sv_trim(line));
	return span;
}

static int
deutschetelekom_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv list = bk_sv_iafter(text, failed_banner), line;
	if (!list.p)
		return BK_DECLINE;
	bk_sv_next_line(&list, &line);	/* the end of the banner */
	read_failed(dc, bk_text_before_any(list, copy_marks,
					   BK_NELEM(copy_marks)));
	if (!dc->n)
		return BK_DECLINE;
	BK_FILL(dc, diag, message_log(text));
	struct bk_sv copy = bk_text_after_line(text, copy_marks,
					       BK_NELEM(copy_marks));
	if (copy.p && !m->flat.orig.p)
		dc->orig = copy;
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_deutschetelekom = {
	.name = "DeutscheTelekom",
	.what = "Deutsche Telekom (T-Online) and Smail 3 bounces",
	.match = deutschetelekom_match,
	.decode = deutschetelekom_decode,
};
