/* SPDX-License-Identifier: BSD-2-Clause */
/* provider_iua.c - I.UA (i.ua, email.ua), a Ukrainian mail service whose
 * refusals point to a numbered help page.
 *
 *   550 Mailbox is frozen. See http://mail.i.ua/err/3/
 *
 * Sources: I.UA's error pages (http://mail.i.ua/err/1/ .. /err/10/); as
 * observed in real bounces and in Sisimai's IUA table.  The number in the
 * link decides.
 */
#include "provider.h"

static const char *const hosts[] = {
	"email.ua", "i.ua", NULL,
};
static const char *const domains[] = {
	"i.ua", "email.ua", "ua.fm", NULL,
};

static const int by_number[] = {
	[1] = BK_R_NORELAYING,
	[2] = BK_R_USERUNKNOWN,
	[3] = BK_R_SUSPEND,	/* "Mailbox is frozen" */
	[4] = BK_R_MAILBOXFULL,
	[5] = BK_R_TOOMANYCONN,
	[6] = BK_R_NORELAYING,
	[7] = BK_R_BLOCKED,
	[8] = BK_R_REJECTED,
	[9] = BK_R_BLOCKED,
	[10] = BK_R_FILTERED,
};

static int
iua_reason(const struct bk_classify_in *in, bool *final)
{
	(void)final;
	struct bk_sv c = bk_sv_iafter(in->diag, BK_SV(".i.ua/err/"));
	size_t v = 0, k = 0;
	while (k < 2 && k < c.n && bk_is_digit((unsigned char)c.p[k]))
		v = v * 10 + (size_t)(c.p[k++] - '0');
	if (!k || v >= BK_NELEM(by_number) || !by_number[v])
		return -1;
	return by_number[v];
}

const struct bk_provider bk_provider_iua = {
	.name = "iua",
	.hosts = hosts,
	.domains = domains,
	.reason = iua_reason,
};
