/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_kddi.c - KDDI au (ezweb.ne.jp, au.com), a Japanese mobile
 * carrier whose MXs refuse both unknown addresses and the recipient's
 * own domain or address filters with "User unknown".
 *
 *   550 : User unknown                           (the recipient's filter)
 *   550 <kijitora@ezweb.ne.jp>: User unknown     (no such address)
 *
 * Sources: as observed in real bounces and in Sisimai's KDDI table.  The
 * filter refusal names no address.
 */
#include "provider.h"

static const char *const hosts[] = {
	"ezweb.ne.jp", "au.com", NULL,
};
static const char *const domains[] = {
	"ezweb.ne.jp", "au.com", NULL,
};

static const struct bk_text_rule rows[] = {
	{ BK_R_FILTERED, "550 : user unknown" },
	{ BK_R_USERUNKNOWN, ">: user unknown" },
};

static int
kddi_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	return bk_text_rules(in->diag, rows, BK_NELEM(rows));
}

const struct bk_provider bk_provider_kddi = {
	.name = "kddi",
	.hosts = hosts,
	.domains = domains,
	.reason = kddi_reason,
	.texts = rows,
	.ntexts = BK_NELEM(rows),
};
