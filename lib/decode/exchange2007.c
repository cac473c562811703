/* SPDX-License-Identifier: BSD-2-Clause */
/* exchange2007.c - non-delivery reports from Microsoft Exchange Server 2007
 * and later, in the languages the corpus shows (English, French, Italian,
 * Swedish).
 *
 *   Subject: Undeliverable: Lunch
 *   Content-Language: en-US
 *
 *   Delivery has failed to these recipients or groups:
 *   kijitora@example.org<mailto:kijitora@example.org>
 *   ...
 *   Diagnostic information for administrators:
 *
 *   Generating server: mx.example.org
 *
 *   kijitora@example.org
 *   #550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
 *
 *   Original message headers:
 *
 * Newer servers write "Remote Server returned '550 5.1.1 ...'" instead of
 * "#550 ... ##", and one such line per attempt, the newest first.  The
 * Exchange error name (RESOLVER.ADR.RecipNotFound, QUEUE.Expired, ...)
 * says the reason.
 */
#include "decode_priv.h"

/* Subject prefixes (Content-Language en, fr, it, sv). */
static const struct bk_sv titles[] = {
	BK_SVI("Undeliverable"), BK_SVI("Non_remis_"), BK_SVI("Non remis "),
	BK_SVI("Non recapitabile"), BK_SVI("Olevererbart"),
};
static const struct bk_sv diag_marks[] = {
	BK_SVI("Diagnostic information for administrators"),
	BK_SVI("Informations de diagnostic pour les administrateurs"),
	BK_SVI("Informazioni di diagnostica per gli amministratori"),
	BK_SVI("Diagnostisk information f"),
};
static const struct bk_sv orig_marks[] = {
	BK_SVI("Original message headers:"),
	BK_SVI("En-t\xc3\xaates de message d'origine :"),
	BK_SVI("Intestazioni originali del messaggio:"),
	BK_SVI("Ursprungshuvuden:"),
};
static const struct bk_sv generating[] = {
	BK_SVI("Generating server:"), BK_SVI("Serveur de g\xc3\xa9n\xc3\xa9ration :"),
	BK_SVI("Server di generazione:"), BK_SVI("Genererande server:"),
};
static const struct bk_sv receiving[] = {
	BK_SVI("Receiving server:"), BK_SVI("Serveur de r\xc3\xa9" "ception :"),
	BK_SVI("Server di ricezione:"), BK_SVI("Mottagande server:"),
};

static bool
exchange2007_match(const struct bk_msg *m)
{
	if (!bk_sv_istarts_any(m->subject, titles, BK_NELEM(titles)) &&
	    !bk_msg_lenient(m, BK_MISSING_SUBJECT,
			    BK_SV("Delivery has failed to these recipients or ")))
		return false;
	return bk_msg_has(m, BK_SV("content-language")) ||
	       bk_msg_has(m, BK_SV("x-ms-exchange-message-is-ndr"));
}

/* "Generating server: mx.example.org", "Receiving server: mx.example.net
 * (192.0.2.1)": the host name. */
static bool
server_line(struct bk_sv line, const struct bk_sv *labels, size_t n,
	    struct bk_sv *host)
{
	for (size_t i = 0; i < n; i++) {
		if (!bk_sv_istarts(line, labels[i]))
			continue;
		struct bk_sv v = bk_sv_trim(bk_sv_from(line, labels[i].n)), head;
		bk_sv_cut(v, ' ', &head);
		*host = head;
		return true;
	}
	return false;
}

/* "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##" or "... Remote
 * Server at mx.example.org (192.0.2.1) returned '550 4.4.7 QUEUE...'" */
static void
error_line(struct bk_dctx *dc, struct bk_dlv *d, struct bk_sv line)
{
	char st[BK_STATUS_MAX];
	if (!bk_sv_contains(line, BK_SV("Remote Server ")) &&
	    !bk_status_find(line, 0, st))
		return;
	bk_dlv_diag_add(dc, d, line);
	/* attempts are listed newest first: the last is the error the queue
	 * expiry repeats */
	if (bk_status_find(line, 0, st))
		d->status = bk_dctx_keep(dc, bk_sv_c(st));
	if (!bk_said_any(d->said))
		d->said = bk_rule_find_case(&bk_rules_exchange2007, line);
}

/* The diagnostic section: a recipient line, its error lines; the servers. */
static void
read_diagnostics(struct bk_dctx *dc, struct bk_sv text)
{
	struct bk_sv rest = text, line, lhost = BK_SV_NULL, rhost = BK_SV_NULL;
	struct bk_dlv *d = NULL;
	while (bk_sv_next_line(&rest, &line)) {
		line = bk_sv_trim(line);
		if (!line.n ||
		    server_line(line, generating, BK_NELEM(generating), &lhost) ||
		    server_line(line, receiving, BK_NELEM(receiving), &rhost))
			continue;
		if (bk_sv_findc(line, ' ') < 0 && bk_sv_findc(line, '@') > 0)
			d = bk_rcpt_add(dc, line);
		else if (d)
			error_line(dc, d, line);
	}
	BK_FILL(dc, lhost, lhost);
	BK_FILL(dc, rhost, rhost);
}

/* The part of text after the first line starting with one of marks. */
static struct bk_sv
after_mark(struct bk_sv text, const struct bk_sv *marks, size_t n)
{
	struct bk_sv rest = text, line;
	while (bk_sv_next_line(&rest, &line))
		if (bk_sv_istarts_any(bk_sv_trim(line), marks, n))
			return rest;
	return BK_SV_NULL;
}

static int
exchange2007_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_msg_text(m);
	struct bk_sv diag = after_mark(text, diag_marks, BK_NELEM(diag_marks));
	if (!diag.p)
		return BK_DECLINE;
	static const struct bk_sv parts[] = {
		BK_SVI("\nContent-Type: message/"),
		BK_SVI("\nContent-Type: text/rfc822-headers"),
	};
	struct bk_sv orig = after_mark(diag, orig_marks, BK_NELEM(orig_marks));
	if (orig.p)
		diag = bk_sv_make(diag.p, (size_t)(orig.p - diag.p));
	diag = bk_text_before_any(diag, parts, BK_NELEM(parts));
	read_diagnostics(dc, diag);
	if (!dc->n)
		return BK_DECLINE;
	if (orig.p && !m->flat.orig.p)
		dc->orig = orig;
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_exchange2007 = {
	.name = "Exchange2007",
	.what = "Microsoft Exchange Server 2007 and later non-delivery reports",
	.match = exchange2007_match,
	.decode = exchange2007_decode,
};
