/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_aol.c - AOL Mail's outbound MTAs (omr-*.mx.aol.com), which
 * write bounces of their own when the recipient's domain fails in DNS.
 *
 *   <neko@example.org>: Name service error for name=example.org type=MX:
 *   Malformed or unexpected name server reply
 *
 * Sources: AOL's postmaster pages (https://postmaster.yahooinc.com, AOL
 * Mail is run by Yahoo Inc.) and Postfix's DNS error texts (dns_lookup.c),
 * which AOL's MTAs print; as observed in real bounces and in Sisimai's Aol
 * table.  AOL's inbound MXs are Yahoo's (provider_yahoo.c).
 */
#include "provider.h"

static const char *const hosts[] = {
	"mail.aol.com", "mx.aol.com", NULL,
};
static const char *const domains[] = {
	"aol.com", "aim.com", NULL,
};

static const struct bk_text_rule rows[] = {
	{ BK_R_HOSTUNKNOWN, "host or domain name not found" },
	/* a domain whose MX lookup fails this way accepts no mail */
	{ BK_R_NOTACCEPT, "type=mx: malformed or unexpected name server reply" },
};

static int
aol_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	return bk_text_rules(in->diag, rows, BK_NELEM(rows));
}

const struct bk_provider bk_provider_aol = {
	.name = "aol",
	.hosts = hosts,
	.domains = domains,
	.reason = aol_reason,
	.texts = rows,
	.ntexts = BK_NELEM(rows),
};
