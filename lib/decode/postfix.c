/* SPDX-License-Identifier: BSD-2-Clause */
/* postfix.c - bounces from Postfix's bounce(8), with or without a
 * delivery-status part, and the "SMTP server: errors from" notices that
 * quote a session.
 *
 *   Subject: Undelivered Mail Returned to Sender
 *
 *   This is the mail system at host mx.example.jp.
 *   ...
 *                      The mail system
 *
 *   <kijitora@example.org> (expanded from <neko@example.jp>): host
 *       mx.example.org[192.0.2.25] said: 550 5.1.1 <kijitora@example.org>:
 *       Recipient address rejected: User unknown (in reply to RCPT TO
 *       command)
 *
 *   Content-Type: message/delivery-status
 *
 *   Reporting-MTA: dns; mx.example.jp
 *   Final-Recipient: rfc822; kijitora@example.org
 *   Action: failed
 *   Status: 5.1.1
 *   Diagnostic-Code: smtp; 550 5.1.1 <kijitora@example.org>: Recipient
 *       address rejected: User unknown
 *
 * The explanation in the text part wins over the Diagnostic-Code when it
 * says more (the reply and the command it answered); old Postfix sends the
 * text part only.  The notice to the postmaster
 *
 *   Subject: Postfix SMTP server: errors from client.example.net[192.0.2.9]
 *
 *   Transcript of session follows.
 *    Out: 220 mx.example.jp ESMTP
 *    In:  RCPT TO:<kijitora@example.jp>
 *    Out: 550 5.1.1 <kijitora@example.jp>: Recipient address rejected
 *
 * is read with the transcript reader.
 */
#include "decode_priv.h"

static const struct bk_sv orig_marks[] = {
	BK_SVI("\nContent-Type: message/rfc822"),
	BK_SVI("\nContent-Type: text/rfc822-headers"),
};

/* What Postfix's smtp(8) says when a session broke off before a reply
 * (src/smtp/smtp_proto.c, smtp_connect.c). */
static const struct {
	struct bk_sv text;
	struct bk_sv command;
} stages[] = {
	{ BK_SVI("refused to talk to me"), BK_SVI("HELO") },
	{ BK_SVI("while receiving the initial server greeting"), BK_SVI("CONN") },
	{ BK_SVI("while performing the HELO handshake"), BK_SVI("HELO") },
	{ BK_SVI("while performing the EHLO handshake"), BK_SVI("EHLO") },
	{ BK_SVI("while sending MAIL FROM"), BK_SVI("MAIL") },
	{ BK_SVI("while sending RCPT TO"), BK_SVI("RCPT") },
	{ BK_SVI("while sending DATA command"), BK_SVI("DATA") },
	{ BK_SVI("while sending message body"), BK_SVI("DATA") },
	{ BK_SVI("while sending end of data"), BK_SVI("DATA") },
};

static bool
is_session_notice(const struct bk_msg *m)
{
	return bk_sv_icontains(m->subject, BK_SV("SMTP server: errors from"));
}

static bool
postfix_match(const struct bk_msg *m)
{
	return bk_sv_istarts(bk_sv_trim(m->subject),
			     BK_SV("Undelivered Mail Returned to Sender")) ||
	       is_session_notice(m) ||
	       bk_msg_lenient(m, BK_MISSING_SUBJECT,
			      BK_SV("This is the mail system at host")) ||
	       bk_msg_lenient(m, BK_MISSING_SUBJECT,
			      BK_SV("This is the Postfix program at host"));
}

/* ---- the explanations in the text part ---- */

struct expl {
	struct bk_sv rcpt, alias, diag;
};

/* "<kijitora@example.org>: ..." or "<...> (expanded from <...>): ...",
 * indented less than the lines that continue it (four spaces). */
static bool
starts_block(struct bk_sv line)
{
	struct bk_sv t = bk_sv_ltrim(line);
	if (line.n - t.n >= 4)
		return false;
	line = t;
	if (!line.n || line.p[0] != '<')
		return false;
	long gt = bk_sv_findc(line, '>');
	if (gt < 0)
		return false;
	struct bk_sv after = bk_sv_from(line, (size_t)gt + 1);
	return bk_sv_starts(after, BK_SV(":")) ||
	       bk_sv_istarts(after, BK_SV(" (expanded from"));
}

/* Copy text with each run of white space made one space. */
static struct bk_sv
squeeze(struct bk_dctx *dc, struct bk_sv text)
{
	char *out = bk_arena_alloc(dc->arena, text.n + 1);
	if (!out)
		return bk_sv_make("", 0);
	return bk_squeeze(out, text);
}

/* An explanation: its first line and the lines up to a blank one or the
 * next explanation (Postfix indents them; some relays do not). */
static struct bk_sv
block_at(struct bk_dctx *dc, struct bk_sv *rest, struct bk_sv first)
{
	struct bk_sv block = first, peek = *rest, line;
	while (bk_sv_next_line(&peek, &line) && bk_sv_trim(line).n &&
	       !starts_block(line)) {
		block.n = (size_t)(line.p + line.n - block.p);
		*rest = peek;
	}
	return squeeze(dc, block);
}

/* "<rcpt> (expanded from <alias>): diag" */
static bool
parse_block(struct bk_sv b, struct expl *e)
{
	b = bk_sv_ltrim(b);
	long gt = bk_sv_findc(b, '>');
	if (gt < 0)
		return false;
	e->rcpt = bk_sv_slice(b, 1, (size_t)gt);
	e->alias = BK_SV("");
	struct bk_sv rest = bk_sv_ltrim(bk_sv_from(b, (size_t)gt + 1));
	if (bk_sv_istarts(rest, BK_SV("(expanded from"))) {
		struct bk_sv in = bk_sv_ibefore(rest, BK_SV(")"));
		e->alias = bk_sv_iafter(in, BK_SV("<"));
		e->alias = e->alias.p ? bk_sv_ibefore(e->alias, BK_SV(">")) : in;
		rest = bk_sv_iafter(rest, BK_SV(")"));
		if (!rest.p)
			return false;
		rest = bk_sv_ltrim(rest);
	}
	if (!rest.n || rest.p[0] != ':')
		return false;
	e->diag = bk_sv_trim(bk_sv_from(rest, 1));
	return bk_sv_findc(e->rcpt, '@') > 0;
}

/* The text says more than the Diagnostic-Code: the reply, the host. */
static bool
says_more(struct bk_sv text, struct bk_sv field)
{
	char rc[4];
	return !field.n || (text.n > field.n && bk_reply_find(text, 0, rc));
}

/* The number of explanations in the report, counted when first asked
 * for: most explanations are matched by their address. */
struct expl_count {
	struct bk_sv report;
	size_t n;
	bool known;
};

static size_t
count_expl(struct expl_count *c)
{
	struct bk_sv rest = c->report, line;
	if (c->known)
		return c->n;
	c->n = 0;
	while (bk_sv_next_line(&rest, &line))
		c->n += starts_block(line);
	c->known = true;
	return c->n;
}

/* The recipient an explanation is about: the one with its address, else
 * the one in the same place when the DSN lists as many as the text. */
static struct bk_dlv *
expl_rcpt(struct bk_dctx *dc, const struct expl *e, size_t nth,
	  struct expl_count *count)
{
	struct bk_sv addr = bk_addr_find(dc->arena, e->rcpt);
	struct bk_dlv *d = addr.p ? bk_rcpt_find(dc, addr) : NULL;
	if (d || !dc->n)
		return d;
	return count_expl(count) == dc->n ? &dc->v[nth] : NULL;
}

static void
apply_expl(struct bk_dctx *dc, struct bk_dlv *d, const struct expl *e)
{
	if (e->alias.n && !d->alias.n)
		d->alias = bk_addr_find(dc->arena, e->alias);
	if (says_more(e->diag, d->diag))
		d->diag = e->diag;
}

/* Calls fn for each explanation of the text, with its place. */
static void
each_expl(struct bk_dctx *dc, struct bk_sv report, struct expl_count *count,
	  void (*fn)(struct bk_dctx *, const struct expl *, size_t,
		     struct expl_count *))
{
	struct bk_sv rest = report, line;
	struct expl e;
	size_t nth = 0;
	while (bk_sv_next_line(&rest, &line)) {
		if (!starts_block(line))
			continue;
		if (parse_block(block_at(dc, &rest, line), &e))
			fn(dc, &e, nth, count);
		nth++;
	}
}

static void
merge_expl(struct bk_dctx *dc, const struct expl *e, size_t nth,
	   struct expl_count *count)
{
	struct bk_dlv *d = expl_rcpt(dc, e, nth, count);
	if (d)
		apply_expl(dc, d, e);
}

static void
add_expl(struct bk_dctx *dc, const struct expl *e, size_t nth,
	 struct expl_count *count)
{
	struct bk_dlv *d = bk_rcpt_add(dc, e->rcpt);
	(void)nth, (void)count;
	if (d)
		apply_expl(dc, d, e);
}

/* Old Postfix: the text is all there is.  Otherwise it adds to what the
 * DSN says. */
static void
read_explanations(struct bk_dctx *dc, struct bk_sv report)
{
	struct expl_count count = { report, 0, false };
	each_expl(dc, report, &count, dc->n ? merge_expl : add_expl);
}

/* "--- Delivery report unavailable ---": the recipient is the To: of the
 * returned message. */
static void
rcpt_from_original(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv rest = m->flat.orig, line;
	if (!rest.p || !bk_sv_icontains(bk_msg_text(m),
					BK_SV("--- Delivery report unavailable ---")))
		return;
	while (bk_sv_next_line(&rest, &line) && line.n)
		if (bk_sv_istarts(line, BK_SV("To:"))) {
			bk_rcpt_add(dc, bk_sv_from(line, 3));
			return;
		}
}

/* "(in reply to end of DATA command)", else the stage a session broke
 * off at. */
static struct bk_sv
command_of(struct bk_sv diag)
{
	struct bk_sv r = bk_sv_iafter(diag, BK_SV("in reply to "));
	if (r.p) {
		const char *c = bk_command_find(bk_sv_ibefore(r, BK_SV("command")));
		if (c[0])
			return bk_sv_c(c);
	}
	for (size_t i = 0; i < BK_NELEM(stages); i++)
		if (bk_sv_icontains(diag, stages[i].text))
			return stages[i].command;
	return BK_SV("");
}

static void
finish(struct bk_dctx *dc)
{
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *d = &dc->v[i];
		/* Postfix's own words about an SMTP delivery */
		if (bk_sv_ieq(d->spec, BK_SV("X-Postfix")))
			d->spec = BK_SV("SMTP");
		if (!d->command.n)
			d->command = command_of(d->diag);
	}
}

static struct bk_sv
report_text(const struct bk_msg *m)
{
	struct bk_sv t = bk_msg_text(m);
	if (m->flat.orig.p)
		return bk_sv_slice(t, 0, m->flat.orig_mark);
	return bk_text_before_any(t, orig_marks, BK_NELEM(orig_marks));
}

/* A bounce quoted as text: the returned message follows its part
 * header, where the report text ends. */
static struct bk_sv
quoted_original(struct bk_sv text, struct bk_sv report)
{
	struct bk_sv rest = bk_sv_from(text, report.n + 1), line;
	if (report.n >= text.n || !bk_sv_next_line(&rest, &line))
		return BK_SV_NULL;
	while (bk_sv_next_line(&rest, &line) && bk_sv_trim(line).n)
		;
	return rest;
}

/* ---- the session notice ---- */

/* The first failure of a command other than RCPT, and where it came. */
struct session_failure {
	struct bk_smtp_step step;
	size_t at;
	bool found;
};

static void
set_failure(struct bk_dlv *d, const struct bk_smtp_step *s)
{
	d->diag = s->text;
	d->replycode = s->reply;
	d->status = s->status;
	d->command = s->command;
}

static struct session_failure
session_failure(struct bk_dctx *dc, struct bk_sv text)
{
	struct session_failure f = { .found = false };
	struct bk_smtp_reader r;
	struct bk_smtp_step s;
	bk_smtp_reader_init(&r, text, dc->arena);
	for (size_t i = 0; bk_smtp_next(&r, &s) && !f.found; i++)
		if (bk_smtp_failed(&s) && !bk_sv_eq(s.command, BK_SV("RCPT")))
			f = (struct session_failure){ s, i, true };
	return f;
}

/* The envelope sender stands for the returned message, which the notice
 * does not carry. */
static void
sender_as_original(struct bk_dctx *dc, struct bk_sv sender)
{
	struct bk_sb sb;
	bk_sb_init(&sb, dc->arena, sender.n + 20);
	bk_sb_addsv(&sb, BK_SV("Return-Path: <"));
	bk_sb_addsv(&sb, sender);
	bk_sb_addsv(&sb, BK_SV(">\n\n"));
	dc->orig = bk_sb_sv(&sb);
}

/* Each recipient failed with its own RCPT, or with the session: a failure
 * before its RCPT, or after it (DATA). */
static int
read_session(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_msg_text(m);
	struct session_failure f = session_failure(dc, text);
	struct bk_smtp_reader r;
	struct bk_smtp_step s;
	bk_smtp_reader_init(&r, text, dc->arena);
	for (size_t i = 0; bk_smtp_next(&r, &s); i++) {
		if (bk_sv_eq(s.command, BK_SV("MAIL")) && s.argument.n && !dc->orig.p)
			sender_as_original(dc, s.argument);
		if (!bk_sv_eq(s.command, BK_SV("RCPT")))
			continue;
		bool own = bk_smtp_failed(&s) && !(f.found && f.at < i);
		if (!own && !f.found)
			continue;
		struct bk_dlv *d = bk_rcpt_add(dc, s.argument);
		if (d)
			set_failure(d, own ? &s : &f.step);
	}
	return dc->n ? BK_DECODED : BK_DECLINE;
}

static int
postfix_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	if (is_session_notice(m))
		return read_session(dc, m);
	struct bk_sv report = report_text(m);
	bk_dsn_read(dc, m->flat.dsn.p ? m->flat.dsn : report);
	read_explanations(dc, report);
	if (!dc->n)
		rcpt_from_original(dc, m);
	if (!m->flat.orig.p)
		dc->orig = quoted_original(bk_msg_text(m), report);
	finish(dc);
	return dc->n ? BK_DECODED : BK_DECLINE;
}

const struct bk_decoder bk_decoder_postfix = {
	.name = "Postfix",
	.what = "Postfix bounces and SMTP server error notices",
	.match = postfix_match,
	.decode = postfix_decode,
};
