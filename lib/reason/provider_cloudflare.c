/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_cloudflare.c - Cloudflare Email Routing (*.mx.cloudflare.net),
 * which forwards mail for its customers' domains.
 *
 *   554 5.7.1 [...] found on one or more DNSBLs, see
 *   https://developers.cloudflare.com/email-routing/postmaster/
 *
 * Sources: Cloudflare's Email Routing postmaster page
 * (https://developers.cloudflare.com/email-routing/postmaster/); as
 * observed in real bounces and in Sisimai's Cloudflare table.
 *
 * "421 4.3.0 Upstream error" is left to the generic rules: Cloudflare
 * prints it for any failure of the mailbox it forwards to, so it names no
 * single reason (Sisimai 5.2, whose verdicts our users expect, has no row
 * for it either).
 */
#include "provider.h"

static const char *const hosts[] = {
	"mx.cloudflare.net", NULL,
};

static const struct bk_text_rule rows[] = {
	{ BK_R_BLOCKED, "found on one or more dnsbls" },
};

static int
cloudflare_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	return bk_text_rules(in->diag, rows, BK_NELEM(rows));
}

const struct bk_provider bk_provider_cloudflare = {
	.name = "cloudflare",
	.hosts = hosts,
	.domains = NULL,
	.reason = cloudflare_reason,
	.texts = rows,
	.ntexts = BK_NELEM(rows),
};
