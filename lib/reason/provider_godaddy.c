/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_godaddy.c - GoDaddy's mail service (*.secureserver.net).
 *
 *   550 5.1.1 <kijitora@example.com> - 192.0.2.25 has sent to too many
 *   recipients this hour. IB607 <http://x.co/rlbounce>
 *
 * Sources: GoDaddy's bounce-back help pages
 * (https://www.godaddy.com/help/what-does-my-email-bounceback-mean-3568,
 * https://ca.godaddy.com/help/fix-rejected-email-with-a-bounce-error-40685);
 * as observed in real bounces and in Sisimai's GoDaddy table.  The IBnnn
 * code decides; the texts are for replies without one.
 */
#include "provider.h"

static const char *const hosts[] = {
	"secureserver.net", NULL,
};

static const struct bk_code_rule codes[] = {
	/* sender bounces */
	{ "IB401", BK_R_SECURITYERROR },	/* AUTH not allowed inbound */
	{ "IB501", BK_R_NOTCOMPLIANTRFC },	/* blank From: */
	{ "IB502", BK_R_NOTCOMPLIANTRFC },	/* an IP address as From: */
	{ "IB506", BK_R_REJECTED },	/* From: domain is invalid */
	{ "IB508", BK_R_AUTHFAILURE },	/* SPF does not authorize */
	{ "IB108", BK_R_REQUIREPTR },	/* reverse DNS failed */
	/* content bounces */
	{ "IB212", BK_R_SPAMDETECTED },
	{ "IB705", BK_R_VIRUSDETECTED },
	/* rate limiting */
	{ "IB605", BK_R_TOOMANYCONN },	/* too many recipients */
	{ "IB007", BK_R_TOOMANYCONN },	/* too many sessions from the IP */
	{ "IB101", BK_R_SPEEDING },	/* higher than normal volume */
	{ "IB504", BK_R_SPEEDING },	/* too many messages this hour */
	{ "IB510", BK_R_SPEEDING },	/* too many messages per session */
	{ "IB607", BK_R_SPEEDING },	/* too many recipients this hour */
	{ "IB110", BK_R_BLOCKED },	/* IP blocked: spam, an hour */
	{ "IB111", BK_R_BLOCKED },	/* IP blocked: spam, the day */
	{ "IB112", BK_R_BLOCKED },	/* IP blocked: invalid recipients */
	{ "IB113", BK_R_BLOCKED },
	/* remote block lists */
	{ "IB103", BK_R_BADREPUTATION },	/* Cloudmark CSI reputation */
	{ "IB104", BK_R_BLOCKED },	/* Spamhaus SBL */
	{ "IB105", BK_R_BLOCKED },	/* Spamhaus XBL */
	{ "IB106", BK_R_BLOCKED },	/* Spamhaus PBL */
};

static const struct bk_text_rule texts[] = {
	{ BK_R_BLOCKED, "rbl reject" },
	{ BK_R_BLOCKED, "www.spamhaus.org/query/bl?ip=" },
	{ BK_R_EXPIRED, "has been in the queue too long" },
	{ BK_R_EXPIRED, "delivery timeout" },
	{ BK_R_MAILBOXFULL, "account storage limit" },
	{ BK_R_SPAMDETECTED, "message rejected for spam or virus content" },
	{ BK_R_SUSPEND, "account disabled" },
	{ BK_R_SYSTEMERROR, "message is looping" },
	{ BK_R_USERUNKNOWN, "recipient not found" },
	{ BK_R_USERUNKNOWN, "account does not exist" },
};

/* The first " IBnnn" of the text. */
static struct bk_sv
ib_code(struct bk_sv t)
{
	for (;;) {
		long at = bk_sv_find(t, BK_SV(" IB"));
		if (at < 0)
			return bk_sv_make("", 0);
		struct bk_sv c = bk_sv_from(t, (size_t)at + 1);
		if (c.n >= 5 && bk_is_digit((unsigned char)c.p[2]) &&
		    bk_is_digit((unsigned char)c.p[3]) &&
		    bk_is_digit((unsigned char)c.p[4]))
			return bk_sv_slice(c, 0, 5);
		t = bk_sv_from(c, 2);
	}
}

static int
godaddy_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	int r = bk_code_rules(ib_code(in->diag), codes, BK_NELEM(codes));
	return r >= 0 ? r : bk_text_rules(in->diag, texts, BK_NELEM(texts));
}

const struct bk_provider bk_provider_godaddy = {
	.name = "godaddy",
	.hosts = hosts,
	.domains = NULL,
	.reason = godaddy_reason,
	.texts = texts,
	.ntexts = BK_NELEM(texts),
};
