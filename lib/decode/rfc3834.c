/* rfc3834.c - automatic responses (RFC 3834): out-of-office and other
 * auto-replies.  The recipient is the person who is away, the author of
 * the reply.
 *
 *   From: kijitora@example.net
 *   Auto-Submitted: auto-replied
 *   Subject: Away until May 5
 *
 *   I am currently away returning to the office on May 5th.
 */
#include "decode_priv.h"

static const struct bk_sv subjects[] = {
	BK_SVI("auto:"), BK_SVI("auto response"), BK_SVI("automatic reply"),
	BK_SVI("auto reply"), BK_SVI("autoreply"), BK_SVI("out of office"),
	BK_SVI("out of the office"), BK_SVI("away from the office"),
	BK_SVI("autorespons"), BK_SVI("abwesenheitsnotiz"),
	BK_SVI("réponse automatique"), BK_SVI("respuesta automática"),
	BK_SVI("自動応答"), BK_SVI("自動返信"),
};

static bool
rfc3834_match(const struct bk_msg *m)
{
	struct bk_sv as = bk_msg_header(m, BK_SV("auto-submitted"));
	if (as.p && bk_sv_istarts(bk_sv_trim(as), BK_SV("auto-replied")))
		return true;
	if (bk_msg_has(m, BK_SV("x-autoreply")) ||
	    bk_msg_has(m, BK_SV("x-autorespond")) ||
	    bk_msg_header_has(m, BK_SV("precedence"), BK_SV("auto_reply")))
		return true;
	return bk_sv_istarts_any(m->subject, subjects, BK_NELEM(subjects));
}

static int
rfc3834_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	/* an auto-reply to a bounce, or a bounce that says auto-replied */
	struct bk_sv as = bk_msg_header(m, BK_SV("auto-submitted"));
	if (as.p && bk_sv_icontains(as, BK_SV("no")) &&
	    !bk_sv_icontains(as, BK_SV("auto-replied")))
		return BK_DECLINE;
	struct bk_sv from = bk_msg_header(m, BK_SV("from"));
	if (!from.p)
		return BK_DECLINE;
	struct bk_sv rp = bk_msg_header(m, BK_SV("return-path"));
	if (rp.p && bk_sv_icontains(rp, BK_SV("mailer-daemon")))
		return BK_DECLINE;
	struct bk_dlv *d = bk_rcpt_add(dc, from);
	if (!d)
		return BK_DECLINE;
	d->reason = BK_SV("vacation");
	d->spec = BK_SV("");
	/* the first lines of the reply say what it is about */
	struct bk_sv rest = m->flat.text, line;
	size_t taken = 0;
	while (bk_sv_next_line(&rest, &line) && taken < 5) {
		line = bk_sv_trim(line);
		if (!line.n) {
			if (taken)
				break;
			continue;
		}
		bk_dlv_diag_add(dc, d, line);
		taken++;
	}
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_rfc3834 = {
	.name = "RFC3834",
	.what = "RFC 3834 automatic responses (out of office)",
	.match = rfc3834_match,
	.decode = rfc3834_decode,
};
