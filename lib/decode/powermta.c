/* SPDX-License-Identifier: BSD-2-Clause */
/* powermta.c - delivery reports from PowerMTA: an RFC 3464 report whose
 * recipient groups carry PowerMTA's own X-PowerMTA-BounceCategory.
 *
 *   Subject: Delivery report
 *
 *   Hello, this is the mail server on mta.example.jp.
 *
 *     <kijitora@example.org>  delivery failed; will not continue trying
 *
 *   Content-Type: message/delivery-status
 *
 *   Reporting-MTA: dns;mta.example.jp
 *   X-PowerMTA-VirtualMTA: mta.example.jp
 *
 *   Final-Recipient: rfc822;kijitora@example.org
 *   Action: failed
 *   Status: 5.2.1 (mailbox disabled, not accepting messages)
 *   Remote-MTA: dns;mx.example.org (192.0.2.135)
 *   Diagnostic-Code: smtp;550 5.2.1 <kijitora@example.org>... User Unknown
 *   X-PowerMTA-BounceCategory: bad-mailbox
 *
 * The bounce category is PowerMTA's verdict on the failure.
 */
#include "decode_priv.h"

static const struct bk_sv category_field = BK_SVI("X-PowerMTA-BounceCategory:");

static bool
powermta_match(const struct bk_msg *m)
{
	return bk_sv_icontains(m->subject, BK_SV("Delivery report")) ||
	       bk_sv_icontains(m->flat.dsn, BK_SV("\nX-PowerMTA-"));
}

/* The k-th recipient group's category goes to the k-th recipient read. */
static void
read_categories(struct bk_dctx *dc, struct bk_sv dsn)
{
	struct bk_sv rest = dsn, line, type, v;
	size_t k = 0;
	while (bk_sv_next_line(&rest, &line)) {
		if (bk_dsn_field(line, &type, &v) == BK_DF_FINAL_RECIPIENT)
			k++;
		else if (k && k <= dc->n && bk_sv_istarts(line, category_field))
			dc->v[k - 1].said = bk_rule_exact_icase(&bk_rules_powermta,
				bk_sv_trim(bk_sv_from(line, category_field.n)));
	}
}

static int
powermta_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv dsn = m->flat.dsn;
	if (!dsn.p || !bk_sv_icontains(dsn, BK_SV("\nX-PowerMTA-")))
		return BK_DECLINE;
	if (!bk_dsn_read(dc, dsn))
		return BK_DECLINE;
	read_categories(dc, dsn);
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_powermta = {
	.name = "PowerMTA",
	.what = "PowerMTA delivery reports (X-PowerMTA-BounceCategory)",
	.match = powermta_match,
	.decode = powermta_decode,
};
