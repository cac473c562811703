/* arf.c - feedback reports: RFC 5965 (ARF), as sent by mailbox providers'
 * complaint loops.
 *
 *   Content-Type: multipart/report; report-type=feedback-report; ...
 *
 *   Content-Type: message/feedback-report
 *
 *   Feedback-Type: abuse
 *   User-Agent: SomeGenerator/1.0
 *   Version: 1
 *   Original-Mail-From: <sender@example.com>
 *   Original-Rcpt-To: <user@example.org>
 *   Arrival-Date: Thu, 8 Mar 2005 14:00:00 EDT
 *   Source-IP: 192.0.2.1
 *
 * The complaining recipient is Original-Rcpt-To; when the report hides it,
 * the To: of the returned message; when that is hidden too, a placeholder
 * address that says so (as Sisimai does).
 */
#include "decode_priv.h"

#define UNDISCLOSED "undisclosed-recipient-in-headers@libsisimai.org.invalid"

static bool
arf_match(const struct bk_msg *m)
{
	if (m->flat.fbr.p)
		return true;
	struct bk_sv ct = bk_msg_header(m, BK_SV("content-type"));
	return ct.p && bk_sv_icontains(ct, BK_SV("feedback-report"));
}

static struct bk_sv
field(struct bk_sv text, const char *name, size_t nth)
{
	struct bk_sv rest = text, line;
	struct bk_sv n = bk_sv_c(name);
	while (bk_sv_next_line(&rest, &line)) {
		if (!bk_sv_istarts(line, n) || line.n <= n.n || line.p[n.n] != ':')
			continue;
		if (nth-- == 0)
			return bk_sv_trim(bk_sv_from(line, n.n + 1));
	}
	return BK_SV_NULL;
}

static int
arf_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv fbr = m->flat.fbr.p ? m->flat.fbr : m->flat.text;
	struct bk_sv type = field(fbr, "feedback-type", 0);
	if (!type.p)
		return BK_DECLINE;
	struct bk_sv v;
	for (size_t i = 0; (v = field(fbr, "original-rcpt-to", i)).p; i++)
		if (!bk_rcpt_find(dc, bk_addr_find(dc->arena, v)))
			bk_rcpt_add(dc, v);
	if (!dc->n && m->flat.orig.p) {
		struct bk_hdrs h;
		struct bk_sv body;
		bk_hdrs_parse(dc->arena, bk_sv_ltrim(m->flat.orig), m->lim, &h,
			      &body, m->warn);
		struct bk_sv to = bk_hdrs_get(&h, BK_SV("to"));
		if (to.p)
			bk_rcpt_add(dc, to);
	}
	if (!dc->n)
		bk_rcpt_add(dc, BK_SV(UNDISCLOSED));
	if (!dc->n)
		return BK_DECLINE;
	struct bk_sv date = field(fbr, "arrival-date", 0);
	if (!date.p)
		date = field(fbr, "received-date", 0);
	struct bk_sv lhost = field(fbr, "reporting-mta", 0);
	struct bk_sv ip = field(fbr, "source-ip", 0);
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *d = &dc->v[i];
		d->reason = BK_SV("feedback");
		d->feedbacktype = bk_sv_trim(type);
		if (date.p)
			d->date = date;
		if (lhost.p) {
			struct bk_sv h = bk_sv_iafter(lhost, BK_SV(";"));
			d->lhost = bk_sv_trim(h.p ? h : lhost);
		}
		if (ip.p)
			d->rhost = ip;
	}
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_arf = {
	.name = "ARF",
	.what = "RFC 5965 feedback reports (complaints)",
	.match = arf_match,
	.decode = arf_decode,
};
