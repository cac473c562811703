/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_facebook.c - Facebook's mail servers (*.facebook.com), which
 * print a labelled response code before a link to its explanation.
 *
 *   550 5.1.1 RCP-P2 http://postmaster.facebook.com/response_codes?ip=
 *   192.0.2.135#rcp Refused due to recipient preferences
 *
 * Sources: Facebook's response codes page
 * (http://postmaster.facebook.com/response_codes); as observed in real
 * bounces and in Sisimai's Facebook table.  A label is three letters for
 * the stage (CON connection, DNS, INT, MSG message, POL policy, RCP
 * recipient), "-", P (permanent) or T (temporary) and a digit.
 */
#include "provider.h"

static const char *const hosts[] = {
	"facebook.com", NULL,
};
static const char *const domains[] = {
	"facebook.com", NULL,
};

static const struct bk_code_rule codes[] = {
	{ "CON-T1", BK_R_TOOMANYCONN }, { "CON-T2", BK_R_TOOMANYCONN },
	{ "CON-T3", BK_R_TOOMANYCONN }, { "CON-T4", BK_R_TOOMANYCONN },
	{ "DNS-P1", BK_R_REJECTED }, { "DNS-P2", BK_R_REJECTED },
	{ "DNS-T1", BK_R_REJECTED },
	{ "DNS-P3", BK_R_REQUIREPTR }, { "DNS-T2", BK_R_REQUIREPTR },
	{ "INT-P1", BK_R_USERUNKNOWN }, { "INT-P3", BK_R_USERUNKNOWN },
	{ "INT-P4", BK_R_USERUNKNOWN },
	{ "INT-P2", BK_R_MESGTOOBIG }, { "MSG-P1", BK_R_MESGTOOBIG },
	{ "MSG-P2", BK_R_CONTENTERROR },
	{ "MSG-P3", BK_R_NOTCOMPLIANTRFC },
	{ "MSG-T1", BK_R_TOOMANYCONN },
	{ "POL-P1", BK_R_BLOCKED }, { "POL-P2", BK_R_BLOCKED },
	{ "POL-P3", BK_R_BLOCKED }, { "POL-P4", BK_R_BLOCKED },
	{ "POL-T1", BK_R_BLOCKED }, { "POL-T2", BK_R_BLOCKED },
	{ "POL-T3", BK_R_BLOCKED },
	{ "POL-P5", BK_R_VIRUSDETECTED },
	{ "POL-P6", BK_R_SPAMDETECTED },
	{ "POL-P7", BK_R_AUTHFAILURE },	/* domain authentication */
	{ "RCP-P1", BK_R_USERUNKNOWN },
	{ "RCP-P2", BK_R_FILTERED }, { "RCP-P3", BK_R_FILTERED },
	{ "RCP-T1", BK_R_SYSTEMERROR },
	{ "RCP-T4", BK_R_SUSPEND },
};

/* The first "AAA-P1" / "AAA-T1" label of the text, standing alone. */
static struct bk_sv
fb_label(struct bk_sv t)
{
	for (size_t i = 3; i + 3 <= t.n; i++) {
		const char *p = t.p + i;
		if (p[0] != '-' || (p[1] != 'P' && p[1] != 'T') ||
		    !bk_is_digit((unsigned char)p[2]))
			continue;
		if (!bk_is_alpha((unsigned char)p[-1]) ||
		    !bk_is_alpha((unsigned char)p[-2]) ||
		    !bk_is_alpha((unsigned char)p[-3]) ||
		    (i > 3 && !bk_is_space((unsigned char)p[-4])) ||
		    (i + 3 < t.n && !bk_is_space((unsigned char)p[3])))
			continue;
		return bk_sv_make(p - 3, 6);
	}
	return bk_sv_make("", 0);
}

static int
facebook_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	return bk_code_rules(fb_label(in->diag), codes, BK_NELEM(codes));
}

const struct bk_provider bk_provider_facebook = {
	.name = "facebook",
	.hosts = hosts,
	.domains = domains,
	.reason = facebook_reason,
};
