/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_spectrum.c - Spectrum (Charter Communications: charter.net,
 * spectrum.net, and the former Time Warner Cable Road Runner domains).
 *
 *   550 5.1.0 <sender@example.com> sender rejected. Please see
 *   https://www.spectrum.net/support/internet/understanding-email-error-codes
 *   for more information. AUP#In-1310
 *
 * Sources: Spectrum's email error codes
 * (https://www.spectrum.net/support/internet/understanding-email-error-codes
 * and https://www.spectrumbusiness.net/support/internet/understanding-email-error-codes);
 * as observed in real bounces and in Sisimai's Spectrum table.  The code
 * is "AUP#I" (incoming) or "AUP#O" (outgoing), letters, then four digits.
 */
#include "provider.h"

static const char *const hosts[] = {
	"charter.net", "spectrum.net", NULL,
};
static const char *const domains[] = {
	"charter.net", "spectrum.net", "rr.com", "twc.com", "brighthouse.com",
	NULL,
};

#define R(lo, hi, reason) { lo, hi, BK_R_##reason }

static const struct {
	long lo, hi;
	int reason;
} ranges[] = {
	R(1000, 1000, BLOCKED),		/* IP blocked: suspicious activity */
	R(1010, 1010, REJECTED),	/* the sending account is blocked */
	R(1020, 1080, REJECTED),	/* the sending account is limited */
	R(1090, 1090, SYSTEMERROR),	/* cannot be processed now */
	R(1100, 1150, REQUIREPTR),	/* no full-circle DNS for the IP */
	R(1160, 1190, POLICYVIOLATION),	/* the domain's security policy */
	R(1200, 1210, BLOCKED),		/* listed by Cloudmark CSI */
	R(1220, 1250, BLOCKED),		/* listed by Spamhaus */
	R(1260, 1260, NETWORKERROR),	/* IPv6 is not accepted */
	R(1300, 1340, TOOMANYCONN),	/* concurrent connections */
	R(1350, 1490, SPEEDING),	/* messages, recipients, spam */
	R(1500, 1500, REJECTED),	/* sent as another address */
	R(1520, 1520, REJECTED),	/* sent as a domain not hosted */
	R(1530, 1530, MESGTOOBIG),	/* over 20 MB */
	R(1540, 1540, SPEEDING),	/* too many in one session */
	R(1550, 1550, SPEEDING),	/* too many recipients at once */
	R(1560, 1560, POLICYVIOLATION),	/* too many invalid recipients */
	R(1580, 1580, SPEEDING),	/* too many recipients lately */
};

/* "AUP#In-1310": the four digits after the letters and dashes. */
static long
aup_number(struct bk_sv t)
{
	struct bk_sv c = bk_sv_iafter(t, BK_SV("AUP#"));
	size_t i = 0;
	while (i < c.n && (bk_is_alpha((unsigned char)c.p[i]) || c.p[i] == '-'))
		i++;
	if (c.n < i + 4)
		return -1;
	long v = 0;
	for (size_t k = i; k < i + 4; k++) {
		if (!bk_is_digit((unsigned char)c.p[k]))
			return -1;
		v = v * 10 + (c.p[k] - '0');
	}
	return v;
}

static int
spectrum_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	long v = aup_number(in->diag);
	for (size_t i = 0; v >= 0 && i < BK_NELEM(ranges); i++)
		if (v >= ranges[i].lo && v <= ranges[i].hi)
			return ranges[i].reason;
	return -1;
}

const struct bk_provider bk_provider_spectrum = {
	.name = "spectrum",
	.hosts = hosts,
	.domains = domains,
	.reason = spectrum_reason,
};
