/* SPDX-License-Identifier: BSD-2-Clause */
/* gmx.c - bounces from GMX and mail.com.  They run the mail system of
 * United Internet that 1&1 runs too: the report is read by einsundeins.c;
 * this file recognises GMX by the header its filters add.
 *
 *   From: MAILER-DAEMON@mail.gmx.com
 *   Subject: Mail delivery failed: returning message to sender
 *   X-GMX-Antispam: 0 (Mail was not recognized as spam); Detail=V3;
 *
 *   This message was created automatically by mail delivery software.
 *   ...
 *   <kijitora@example.org>
 *
 *   Reason:
 *   delivery retry timeout exceeded
 *
 *   --- The header of the original message is following. ---
 */
#include "decode_priv.h"

static bool
gmx_match(const struct bk_msg *m)
{
	return bk_msg_has(m, BK_SV("x-gmx-antispam"));
}

static int
gmx_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	return bk_decoder_einsundeins.decode(dc, m);
}

const struct bk_decoder bk_decoder_gmx = {
	.name = "GMX",
	.what = "GMX and mail.com bounces",
	.match = gmx_match,
	.decode = gmx_decode,
};
