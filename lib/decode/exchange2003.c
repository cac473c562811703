/* SPDX-License-Identifier: BSD-2-Clause */
/* exchange2003.c - non-delivery reports from Microsoft Exchange Server 5.5
 * to 2003 (the Internet Mail Service and Connector).
 *
 *   X-Mailer: Internet Mail Service (5.5.2657.72)
 *   Subject: Undeliverable: Lunch
 *
 *   Your message
 *     To:      kijitora@example.org
 *     Subject: Lunch
 *     Sent:    Thu, 29 Apr 2010 18:14:35 +0000
 *   did not reach the following recipient(s):
 *   kijitora@example.org on Thu, 29 Apr 2010 18:14:40 +0000
 *       The recipient name is not recognized
 *       The MTS-ID of the original message is: c=us;a= ;p=example
 *   ;l=EXAMPLE0000000000000000
 *       MSEXCH:IMS:EXAMPLE:SITE:SERVER 0 (000C05A6) Unknown Recipient
 *
 * The code in parentheses on the MSEXCH line names the failure; the text
 * after it (sometimes wrapped onto the next line) says it in words.
 */
#include "decode_priv.h"

static const struct bk_sv starts[] = {
	BK_SVI("did not reach the following recipient(s):"),
	BK_SVI("The following recipient(s) could not be reached:"),
};

static bool
exchange2003_match(const struct bk_msg *m)
{
	struct bk_sv xm = bk_sv_trim(bk_msg_header(m, BK_SV("x-mailer")));
	struct bk_sv ole = bk_sv_trim(bk_msg_header(m, BK_SV("x-mimeole")));
	return bk_msg_has(m, BK_SV("x-ms-embedded-report")) ||
	       bk_sv_starts(xm, BK_SV("Internet Mail Service (")) ||
	       bk_sv_starts(xm, BK_SV("Microsoft Exchange Server Internet Mail Connector")) ||
	       bk_sv_starts(ole, BK_SV("Produced By Microsoft Exchange")) ||
	       bk_msg_header_has(m, BK_SV("received"),
				 BK_SV(" with Internet Mail Service ("));
}

/* "kijitora@example.org on 4/29/99 9:19:59 AM" or "Kijitora (SMTP=
 * kijitora@example.org) on ...": the address and the date. */
static bool
rcpt_line(struct bk_sv line, struct bk_sv *who, struct bk_sv *date)
{
	long on = bk_sv_find(line, BK_SV(" on "));
	if (on <= 0)
		return false;
	struct bk_sv before = bk_sv_trim(bk_sv_slice(line, 0, (size_t)on));
	bool plain = bk_sv_findc(before, ' ') < 0 && bk_sv_findc(before, '@') > 0;
	if (!plain && !bk_sv_icontains(before, BK_SV("SMTP=")))
		return false;
	*who = plain ? before : bk_sv_iafter(before, BK_SV("SMTP="));
	*date = bk_sv_trim(bk_sv_from(line, (size_t)on + 4));
	return true;
}

/* "MSEXCH:IMS:SITE:SERVER 0 (000C05A6) Unknown Recipient" */
static void
msexch_line(struct bk_dctx *dc, struct bk_dlv *d, struct bk_sv line)
{
	long open = bk_sv_findc(line, '('), close = bk_sv_findc(line, ')');
	if (open < 0 || close < open) {
		bk_dlv_diag_add(dc, d, line);
		return;
	}
	struct bk_sv code = bk_sv_slice(line, (size_t)open + 1, (size_t)close);
	struct bk_said s = bk_rule_exact_icase(&bk_rules_exchange2003, code);
	if (bk_said_any(s))
		d->said = s;
	bk_dlv_diag_add(dc, d, bk_sv_from(line, (size_t)close + 1));
}

/* The MTS-ID of the original message, wrapped: nothing about the error. */
static bool
mts_id(struct bk_sv line)
{
	return bk_sv_starts(line, BK_SV("The MTS-ID ")) ||
	       bk_sv_contains(line, BK_SV(";l="));
}

static void
read_recipients(struct bk_dctx *dc, struct bk_sv text)
{
	struct bk_sv rest = text, line, who, date;
	struct bk_dlv *d = NULL;
	bool msexch = false;	/* after the MSEXCH line: its wrapped end */
	while (bk_sv_next_line(&rest, &line)) {
		line = bk_sv_trim(line);
		if (!line.n && msexch) {
			msexch = false;
			d = NULL;
		} else if (!line.n || mts_id(line)) {
			continue;
		} else if (rcpt_line(line, &who, &date)) {
			if ((d = bk_rcpt_add(dc, who)))
				d->date = date;
			msexch = false;
		} else if (!d) {
			continue;
		} else if (bk_sv_starts(line, BK_SV("MSEXCH:"))) {
			msexch_line(dc, d, line);
			msexch = true;
		} else if (msexch) {
			/* the words after the code, wrapped */
			bk_dlv_diag_add(dc, d, line);
			msexch = false;
			d = NULL;
		} else {
			bk_dlv_diag_add(dc, d, line);
		}
	}
}

static int
exchange2003_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_msg_text(m);
	if (m->flat.orig.p)
		text = bk_sv_slice(text, 0, m->flat.orig_mark);
	struct bk_sv rest = BK_SV_NULL;
	for (size_t i = 0; i < BK_NELEM(starts) && !rest.p; i++) {
		rest = bk_sv_iafter(text, starts[i]);
	}
	if (!rest.p)
		return BK_DECLINE;
	read_recipients(dc, rest);
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_exchange2003 = {
	.name = "Exchange2003",
	.what = "Microsoft Exchange Server 5.5-2003 non-delivery reports",
	.match = exchange2003_match,
	.decode = exchange2003_decode,
};
