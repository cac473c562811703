/* SPDX-License-Identifier: BSD-2-Clause */
/* mfilter.c - bounces from Digital Arts m-FILTER, in Japanese, with the
 * remote server's reply and the SMTP command it answered.
 *
 *   X-Mailer: m-FILTER
 *   Subject: failure notice
 *
 *   このメールは「m-FILTER」が自動的に生成して送信しています。
 *   ...
 *   以下のメールアドレスへの送信に失敗しました。
 *   kijitora@example.org
 *
 *   -------server message
 *   550 5.1.1 unknown user <kijitora@example.org>
 *
 *   -------SMTP command
 *   DATA
 *
 *   -------original message
 *
 * (or "-------original mail info" with the original's From, Subject,
 * Date and Message-ID only).  Some deployments rename the X-Mailer; the
 * layout is the same.
 */
#include "decode_priv.h"

static const struct bk_sv copy_marks[] = {
	BK_SVI("-------original message"), BK_SVI("-------original mail info"),
};

static bool
mfilter_match(const struct bk_msg *m)
{
	struct bk_sv xm = bk_sv_trim(bk_msg_header(m, BK_SV("x-mailer")));
	if (bk_sv_eq(xm, BK_SV("m-FILTER")))
		return true;
	return bk_sv_eq(bk_sv_trim(m->subject), BK_SV("failure notice")) &&
	       bk_sv_contains(m->flat.text, BK_SV("\n-------server message\n"));
}

enum section { ADDRESSES, SERVER, COMMAND };

static enum section
read_line(struct bk_dctx *dc, struct bk_sv t, enum section at,
	  struct bk_sv *said, struct bk_sv *cmd)
{
	if (bk_sv_eq(t, BK_SV("-------server message")))
		return SERVER;
	if (bk_sv_eq(t, BK_SV("-------SMTP command")))
		return COMMAND;
	if (!t.n)
		return at;
	bool address = bk_sv_findc(t, '@') > 0 && bk_sv_findc(t, ' ') < 0;
	if (at == ADDRESSES && address)
		bk_rcpt_add(dc, t);
	else if (at == SERVER)
		bk_text_span(said, t);
	else if (at == COMMAND && !cmd->n)
		*cmd = t;
	return at;
}

static int
mfilter_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv rest = bk_text_before_any(text, copy_marks,
					       BK_NELEM(copy_marks));
	struct bk_sv line, said = BK_SV_NULL, cmd = BK_SV_NULL;
	enum section at = ADDRESSES;

	while (bk_sv_next_line(&rest, &line))
		at = read_line(dc, bk_sv_trim(line), at, &said, &cmd);
	if (!dc->n)
		return BK_DECLINE;
	BK_FILL(dc, diag, said);
	if (bk_command_valid(cmd))
		BK_FILL(dc, command, cmd);
	struct bk_sv copy = bk_text_after_line(text, copy_marks,
					       BK_NELEM(copy_marks));
	if (copy.p && !m->flat.orig.p)
		dc->orig = copy;
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_mfilter = {
	.name = "mFILTER",
	.what = "Digital Arts m-FILTER bounces",
	.match = mfilter_match,
	.decode = mfilter_decode,
};
