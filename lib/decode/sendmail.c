/* SPDX-License-Identifier: BSD-2-Clause */
/* sendmail.c - bounces from Sendmail 8 (savemail.c): "Returned mail",
 * "Warning: could not send message" and "Postmaster notify" messages, a
 * DSN after a transcript of the SMTP session.
 *
 *   Subject: Returned mail: see transcript for details
 *
 *      ----- The following addresses had permanent fatal errors -----
 *   <kijitora@example.org>
 *       (reason: 550 5.1.1 <kijitora@example.org>... User Unknown)
 *
 *      ----- Transcript of session follows -----
 *   ... while talking to mx.example.org.:
 *   >>> RCPT To:<kijitora@example.org>
 *   <<< 550 5.1.1 <kijitora@example.org>... User Unknown
 *   550 5.1.1 <kijitora@example.org>... User unknown
 *
 *   Content-Type: message/delivery-status
 *
 *   Final-Recipient: RFC822; kijitora@example.org
 *   Status: 5.1.1
 *   Diagnostic-Code: SMTP; 550 5.1.1 <kijitora@example.org>... User Unknown
 *
 * The recipients come from the DSN fields (or, from sendmail versions
 * before DSNs, from the address list).  The transcript adds the remote
 * server's replies, the command they answered, and the text of errors that
 * happened without an SMTP session (DNS, local mailers, queue timeouts).
 * A bounce forwarded with "> " quoting is read unquoted.
 */
#include "decode_priv.h"

#define SM_MAX_STEPS 32

static const struct bk_sv transcript_mark =
	BK_SVI("----- Transcript of session follows -----");
static const struct bk_sv talking_mark = BK_SVI("... while talking to ");

/* What the transcript says (savemail.c writes it as the session went). */
struct transcript {
	struct bk_smtp_step fail[SM_MAX_STEPS];	/* failed exchanges */
	size_t nfail;
	struct bk_sv local;	/* an error without an SMTP session */
	struct bk_sv local_status;
};

static bool
classic_subject(const struct bk_msg *m)
{
	return bk_sv_icontains(m->subject, BK_SV("see transcript for details")) ||
	       bk_sv_starts(m->subject, BK_SV("Warning: "));
}

/* Older 8.x, without DSNs, name the error in the subject ("Returned mail:
 * Too many hops 26 (25 max) ...", "Returned mail: User unknown") and sign
 * as Mail Delivery Subsystem.  One with a report is left to RFC3464,
 * Sendmail 5 (no address list) to V5sendmail. */
static bool
named_subject(const struct bk_msg *m)
{
	return bk_sv_starts(m->subject, BK_SV("Returned mail: ")) &&
	       bk_sv_icontains(m->from, BK_SV("mail delivery subsystem")) &&
	       !bk_msg_header_has(m, BK_SV("content-type"), BK_SV("report"));
}

static bool
sendmail_match(const struct bk_msg *m)
{
	if (bk_msg_has(m, BK_SV("x-aol-ip")))
		return false;	/* AOL's look-alike, decoded as AOL */
	return classic_subject(m) || named_subject(m) ||
	       bk_msg_lenient(m, BK_MISSING_SUBJECT,
			      BK_SV("The original message was received at "));
}

/* The transcript: from its marker line to the next MIME part. */
static struct bk_sv
transcript_text(struct bk_sv text)
{
	struct bk_sv rest = bk_sv_iafter(text, transcript_mark);
	if (!rest.p)
		return BK_SV_NULL;
	static const struct bk_sv ends[] = {
		BK_SVI("\nContent-Type: message/"),
		BK_SVI("\nContent-Type: text/rfc822-headers"),
		BK_SVI("\n   ----- Original message follows -----"),
		BK_SVI("\n   ----- Message header follows -----"),
		BK_SVI("\nReporting-MTA:"),
	};
	return bk_text_before_any(rest, ends, BK_NELEM(ends));
}

/* The failed exchanges of one session, each reply text once. */
static void
read_session(struct bk_dctx *dc, struct bk_sv text, struct transcript *t)
{
	struct bk_smtp_reader r;
	struct bk_smtp_step s;
	bk_smtp_reader_init(&r, text, dc->arena);
	while (bk_smtp_next(&r, &s) && t->nfail < SM_MAX_STEPS) {
		bool seen = false;
		for (size_t i = 0; i < t->nfail && !seen; i++)
			seen = bk_sv_eq(t->fail[i].text, s.text);
		if (bk_smtp_failed(&s) && !seen)
			t->fail[t->nfail++] = s;
	}
}

/* "550 5.1.2 <a@example.org>... Host unknown": a reply code, a status. */
static bool
coded_line(struct bk_dctx *dc, struct bk_sv line, struct bk_sv *status)
{
	char st[BK_STATUS_MAX];
	if (!bk_line_is_reply(line) ||
	    !bk_status_find(bk_sv_from(line, 4), line.p[0], st))
		return false;
	*status = bk_dctx_keep(dc, bk_sv_c(st));
	return true;
}

/* A line sendmail wrote about an error of its own (DNS, a local mailer,
 * the queue), before any SMTP session. */
static void
local_line(struct bk_dctx *dc, struct transcript *t, struct bk_sv line)
{
	struct bk_sv st;
	if (line.p[0] == '<' && bk_sv_contains(line, BK_SV(">... "))) {
		/* <a@example.org>... Deferred: Connection refused by ... */
		t->local = bk_sv_iafter(line, BK_SV(">... "));
		return;
	}
	if (coded_line(dc, line, &st))
		t->local_status = st;
	else if (!bk_line_is_reply(line) &&	/* "554 Too many hops ..." */
		 !bk_sv_starts(line, BK_SV("Message ")) &&
		 !bk_sv_starts(line, BK_SV("Warning: ")))
		return;
	bk_text_join(dc, &t->local, line);
}

static struct bk_sv
span(const char *from, const char *to)
{
	return bk_sv_make(from, (size_t)(to - from));
}

/* Sendmail's own lines up to the first session, then each session. */
static void
read_transcript(struct bk_dctx *dc, struct bk_sv text, struct transcript *t)
{
	struct bk_sv rest = text, line;
	const char *session = NULL;	/* where the current session began */
	while (bk_sv_next_line(&rest, &line)) {
		if (bk_sv_starts(line, talking_mark)) {
			if (session)
				read_session(dc, span(session, line.p), t);
			session = line.p + line.n;
		} else if (!session && line.n && !bk_is_space((unsigned char)line.p[0]) &&
			   !bk_sv_starts(line, BK_SV("<<<")) &&
			   !bk_sv_starts(line, BK_SV(">>>"))) {
			local_line(dc, t, bk_sv_rtrim(line));
		}
	}
	read_session(dc, span(session ? session : text.p, text.p + text.n), t);
}

/* "Diagnostic-Code: X-Unix; 255" says nothing the transcript does not. */
static bool
only_digits(struct bk_sv s)
{
	s = bk_sv_trim(s);
	for (size_t i = 0; i < s.n; i++)
		if (!bk_is_digit((unsigned char)s.p[i]))
			return false;
	return true;
}

/* The exchange that failed this recipient: its RCPT, or the reply its
 * Diagnostic-Code quotes, or else the first failure; -1 when none. */
static long
step_for(const struct bk_dlv *d, const struct transcript *t)
{
	struct bk_sv own = bk_sv_trim(d->diag);
	for (size_t i = 0; i < t->nfail; i++)
		if (bk_sv_ieq(t->fail[i].argument, d->recipient))
			return (long)i;
	for (size_t i = 0; i < t->nfail && own.n; i++)
		if (bk_sv_icontains(t->fail[i].text, own) ||
		    bk_sv_icontains(own, t->fail[i].text))
			return (long)i;
	return t->nfail ? 0 : -1;
}

/* With one recipient the replies up to its failure are all about it (the
 * ones after, "503 Need RCPT", "421 too many errors", follow from it):
 * they lead the text. */
static void
lead_with_replies(struct bk_dctx *dc, struct bk_dlv *d,
		  const struct transcript *t, size_t upto)
{
	struct bk_sv own = bk_sv_trim(d->diag);
	d->diag = BK_SV("");
	for (size_t i = 0; i <= upto; i++)
		bk_dlv_diag_add(dc, d, t->fail[i].text);
	if (!bk_sv_icontains(d->diag, own))
		bk_dlv_diag_add(dc, d, own);
}

static void
apply_transcript(struct bk_dctx *dc, const struct transcript *t)
{
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *d = &dc->v[i];
		if (t->local.n && only_digits(d->diag))
			d->diag = t->local;
		long s = step_for(d, t);
		if (s >= 0 && !d->command.n)
			d->command = t->fail[s].command;
		if (s >= 0 && dc->n == 1)
			lead_with_replies(dc, d, t, (size_t)s);
		if (!d->command.n)
			d->command = bk_sv_c(bk_command_find(d->diag));
		if (t->local_status.n && !bk_status_valid(bk_sv_trim(d->status)))
			d->status = t->local_status;
	}
}

/* An address line of the list: "<a@example.org>", or the address bare
 * at the start of the line ("a@example.org", as 8.9 and older write it
 * for an expanded alias). */
static bool
list_address(struct bk_sv line, struct bk_sv l)
{
	if (l.p[0] == '<')
		return true;
	return !bk_is_space((unsigned char)line.p[0]) && l.p[0] != '(' &&
	       bk_sv_findc(l, '@') > 0 && bk_sv_findc(l, ' ') < 0;
}

/* Sendmail before DSNs (or a Final-Recipient without a local part): the
 * address lines after "----- The following addresses had permanent fatal
 * errors -----", each with "(reason: ...)" and, for an alias, "(expanded
 * from: <a@example.org>)". */
static void
read_address_list(struct bk_dctx *dc, struct bk_sv text)
{
	static const struct bk_sv expanded = BK_SVI("(expanded from: ");
	struct bk_sv rest = text, line;
	struct bk_dlv *d = NULL;
	bool in = false;
	while (bk_sv_next_line(&rest, &line)) {
		struct bk_sv l = bk_sv_trim(line);
		if (bk_sv_starts(l, BK_SV("----- The following addresses had")))
			in = true;
		else if (!in)
			continue;
		else if (!l.n || bk_sv_starts(l, BK_SV("-----")))
			break;
		else if (list_address(line, l))
			d = bk_rcpt_add(dc, l);
		else if (d && bk_sv_starts(l, BK_SV("(reason: ")))
			bk_dlv_diag_add(dc, d, bk_sv_slice(l, 9, l.n - 1));
		else if (d && bk_sv_starts(l, expanded))
			d->alias = bk_addr_find(dc->arena, bk_sv_from(l, expanded.n));
	}
}

/* "Fwd: Returned mail": the bounce quoted in a person's message. */
static bool
quoted_bounce(struct bk_sv text)
{
	long at = bk_sv_ifind(text, transcript_mark);
	if (at < 0)
		return false;
	size_t i = (size_t)at;
	while (i > 0 && text.p[i - 1] != '\n')
		i--;
	return text.p[i] == '>';
}

/* The returned message in a bounce without MIME parts (or a quoted one):
 * after its marker line, or from its first header line. */
static struct bk_sv
returned_message(struct bk_sv text)
{
	static const struct bk_sv marks[] = {
		BK_SVI("Content-Type: message/rfc822"),
		BK_SVI("Content-Type: text/rfc822-headers"),
		BK_SVI("----- Original message follows -----"),
		BK_SVI("----- Message header follows -----"),
	};
	static const struct bk_sv heads[] = {
		BK_SVI("Return-Path: "), BK_SVI("Received: "),
	};
	struct bk_sv rest = text, line;
	while (bk_sv_next_line(&rest, &line)) {
		if (bk_sv_istarts_any(bk_sv_ltrim(line), marks, BK_NELEM(marks)))
			return rest;
		if (bk_sv_istarts_any(line, heads, BK_NELEM(heads)))
			return span(line.p, text.p + text.n);
	}
	return BK_SV_NULL;
}

static int
sendmail_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_msg_text(m);
	bool quoted = quoted_bounce(text);
	if (quoted)
		text = bk_text_unquote(dc, text);
	struct bk_sv tr = transcript_text(text);
	if (!tr.p)
		return BK_DECLINE;
	struct bk_sv after = span(tr.p + tr.n, text.p + text.n);
	bool parts = m->flat.dsn.p && !quoted;
	struct bk_sv orig = parts ? BK_SV_NULL : returned_message(after);
	struct bk_sv fields = parts ? m->flat.dsn
				    : span(after.p, orig.p ? orig.p : after.p + after.n);
	if (!bk_dsn_read(dc, fields))
		read_address_list(dc, text);
	if (!dc->n)
		return BK_DECLINE;
	struct transcript t = { .nfail = 0 };
	read_transcript(dc, tr, &t);
	apply_transcript(dc, &t);
	if (orig.p)
		dc->orig = orig;
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_sendmail = {
	.name = "Sendmail",
	.what = "Sendmail 8 bounces and postmaster notices (DSN and transcript)",
	.match = sendmail_match,
	.decode = sendmail_decode,
};
