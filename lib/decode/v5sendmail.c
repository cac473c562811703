/* SPDX-License-Identifier: BSD-2-Clause */
/* v5sendmail.c - bounces from Sendmail 5 and appliances built on it: no
 * DSN, a transcript with a line per failed recipient, the returned message
 * inline.
 *
 *   Subject: Returned mail: User unknown
 *
 *      ----- Transcript of session follows -----
 *   While talking to mx.example.org:
 *   >>> RCPT To:<kijitora@example.org>
 *   <<< 550 Requested mailbox not found
 *   550 <kijitora@example.org>... User unknown
 *   421 example.net (smtp)... Deferred: Connection timed out with example.net
 *
 *      ----- Unsent message follows -----
 *   To: kijitora@example.org
 *
 * A recipient line takes the failed reply quoted just before it in its
 * session.  When no recipient line is there (the host could not be
 * reached), the recipients are those of the returned message's To: in the
 * domain of a host line, else its first.
 */
#include "decode_priv.h"

static const struct bk_sv transcript_mark =
	BK_SVI("----- Transcript of session follows -----");
static const struct bk_sv unsent_marks[] = {
	BK_SVI("----- Unsent message follows -----"),
	BK_SVI("----- No message was collected -----"),
};

/* A host line: "421 example.net (smtp)... Deferred: ..." */
struct hostline {
	struct bk_sv host, code, text;
};

static bool
v5sendmail_match(const struct bk_msg *m)
{
	return bk_sv_starts(m->subject, BK_SV("Returned mail: ")) ||
	       bk_msg_lenient(m, BK_MISSING_SUBJECT,
			      BK_SV("----- Unsent message follows -----"));
}

/* "550 <kijitora@example.org>... User unknown" */
static bool
rcpt_line(struct bk_sv line)
{
	return bk_line_is_reply(line) && line.p[4] == '<' &&
	       bk_sv_contains(line, BK_SV(">... "));
}

/* The last failed exchange in a stretch of transcript, or false. */
static bool
last_failure(struct bk_dctx *dc, struct bk_sv text, struct bk_smtp_step *out)
{
	struct bk_smtp_reader r;
	struct bk_smtp_step s;
	bool any = false;
	bk_smtp_reader_init(&r, text, dc->arena);
	while (bk_smtp_next(&r, &s))
		if (bk_smtp_failed(&s)) {
			*out = s;
			any = true;
		}
	return any;
}

/* A recipient line; before is its session's transcript since the last
 * recipient line, host the server of the session (the remote host when
 * a reply there failed it). */
static void
add_rcpt(struct bk_dctx *dc, struct bk_sv line, struct bk_sv before,
	 struct bk_sv host)
{
	struct bk_smtp_step s;
	struct bk_dlv *d = bk_rcpt_add(dc, bk_sv_ibefore(line, BK_SV(">... ")));
	if (!d)
		return;
	bk_dlv_diag_add(dc, d, bk_sv_iafter(line, BK_SV(">... ")));
	if (last_failure(dc, before, &s)) {
		bk_dlv_diag_add(dc, d, s.text);
		d->command = s.command;
		d->rhost = host;
	}
	if (!d->command.n)
		d->command = bk_sv_c(bk_command_find(d->diag));
}

static void
read_host_line(struct bk_sv line, struct hostline *h)
{
	long sp = bk_sv_findc(bk_sv_from(line, 4), ' ');
	if (sp < 0 || !bk_sv_contains(line, BK_SV(" (smtp)... ")))
		return;
	h->code = bk_sv_slice(line, 0, 3);
	h->host = bk_sv_slice(line, 4, 4 + (size_t)sp);
	h->text = bk_sv_iafter(line, BK_SV(")... "));
}

/* Each recipient line with the replies of its session since the last. */
static void
read_transcript(struct bk_dctx *dc, struct bk_sv text, struct hostline *h)
{
	static const struct bk_sv talking = BK_SVI("While talking to ");
	struct bk_sv rest = text, line, host = BK_SV_NULL;
	const char *from = text.p;	/* replies not given to anyone yet */
	while (bk_sv_next_line(&rest, &line)) {
		line = bk_sv_trim(line);
		if (bk_sv_istarts(line, talking)) {
			host = bk_sv_from(line, talking.n);
			if (host.n && host.p[host.n - 1] == ':')
				host.n--;
			from = rest.p;
		} else if (rcpt_line(line)) {
			add_rcpt(dc, line, bk_sv_make(from, (size_t)(line.p - from)),
				 host);
			from = rest.p;
		} else if (bk_line_is_reply(line)) {
			read_host_line(line, h);
		}
	}
}

/* No recipient line: the returned message's To: in the failing host's
 * domain, else its first address. */
static void
rcpt_from_orig(struct bk_dctx *dc, struct bk_sv orig, const struct hostline *h)
{
	struct bk_hdrs hd;
	struct bk_sv body;
	bk_hdrs_parse(dc->arena, orig, dc->m->lim, &hd, &body, dc->m->warn);
	struct bk_sv to = bk_hdrs_get(&hd, BK_SV("to")), item;
	for (struct bk_sv list = to; list.p && h->host.n;) {
		list = bk_sv_cut(list, ',', &item);
		struct bk_sv a = bk_addr_find(dc->arena, item);
		if (a.p && bk_sv_ieq(bk_addr_domain(a), h->host))
			bk_rcpt_add(dc, a);
	}
	if (!dc->n && to.p)
		bk_rcpt_add(dc, to);
}

/* The returned message: after the marker line. */
static struct bk_sv
unsent_message(struct bk_sv text)
{
	struct bk_sv head;
	for (size_t i = 0; i < BK_NELEM(unsent_marks); i++) {
		struct bk_sv o = bk_sv_iafter(text, unsent_marks[i]);
		if (o.p)
			return bk_sv_ltrim(bk_sv_cut(o, '\n', &head));
	}
	return BK_SV_NULL;
}

/* Sendmail 8 writes an address list and DSN fields (older 8.x with a
 * subject like ours): not ours. */
static bool
sendmail8(const struct bk_msg *m)
{
	static const struct bk_sv signs[] = {
		BK_SVI("----- The following addresses had "),
		BK_SVI("\nFinal-Recipient: "),
	};
	return m->flat.dsn.p ||
	       bk_sv_ifind_any(bk_msg_text(m), signs, BK_NELEM(signs), NULL) >= 0;
}

static int
v5sendmail_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv tr = bk_sv_iafter(bk_msg_text(m), transcript_mark);
	if (!tr.p || sendmail8(m))
		return BK_DECLINE;
	struct bk_sv orig = unsent_message(tr);
	tr = bk_text_before_any(tr, unsent_marks, BK_NELEM(unsent_marks));
	struct hostline h = { BK_SV_NULL, BK_SV_NULL, BK_SV_NULL };
	read_transcript(dc, tr, &h);
	if (!dc->n && orig.p && h.text.n)
		rcpt_from_orig(dc, orig, &h);
	if (!dc->n)
		return BK_DECLINE;
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *d = &dc->v[i];
		if (!d->diag.n) {
			d->diag = h.text;
			d->replycode = h.code;
		}
	}
	if (orig.p)
		dc->orig = orig;
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_v5sendmail = {
	.name = "V5sendmail",
	.what = "Sendmail 5 bounces (transcript, returned message inline)",
	.match = v5sendmail_match,
	.decode = v5sendmail_decode,
};
