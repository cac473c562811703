/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_docomo.c - NTT docomo (docomo.ne.jp), a Japanese mobile
 * carrier.  Its MX (mfsmax.docomo.ne.jp) answers "Unknown user" both for
 * unknown addresses and for mail its users' filters refuse; the status
 * and the SMTP command tell which.
 *
 *   550 Unknown user kijitora@docomo.ne.jp (in reply to end of DATA command)
 *
 * Sources: as observed in real bounces and in Sisimai's NTTDOCOMO table.
 */
#include "provider.h"

static const char *const hosts[] = {
	"docomo.ne.jp", NULL,
};
static const char *const domains[] = {
	"docomo.ne.jp", NULL,
};

static const struct bk_prow rows[] = {
	{ BK_R_USERUNKNOWN, "5.1.1 5.0.911", NULL, NULL },
	{ BK_R_FILTERED, "5.2.0", NULL, NULL },
	{ BK_R_MAILBOXFULL, NULL, NULL, "552 too much mail data" },
	{ BK_R_TOOMANYCONN, NULL, NULL, "552 too many recipients" },
	{ BK_R_SYNTAXERROR, NULL, NULL, "503 bad sequence of commands" },
	{ BK_R_SYNTAXERROR, NULL, NULL, "504 command parameter not implemented" },
};
BK_PROW_TABLE(table, rows);

static int
docomo_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	int r = bk_prows_table(in, &table);
	if (r >= 0 || !bk_sv_eq(in->status, BK_SV("5.0.0")))
		return r;
	/* a bare 5.0.0: refused at RCPT, no such user; after DATA, refused
	 * by the recipient's settings */
	if (bk_sv_eq(in->command, BK_SV("RCPT")))
		return BK_R_USERUNKNOWN;
	if (bk_sv_eq(in->command, BK_SV("DATA")))
		return BK_R_REJECTED;
	return -1;
}

const struct bk_provider bk_provider_docomo = {
	.name = "docomo",
	.hosts = hosts,
	.domains = domains,
	.reason = docomo_reason,
	.rows = rows,
	.nrows = BK_NELEM(rows),
};
