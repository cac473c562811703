/* SPDX-License-Identifier: BSD-2-Clause */
/* qmail.c - bounces from qmail-send and its descendants: netqmail,
 * notqmail, qmail-ldap, indimail (which attaches the message as a
 * message/rfc822 part), and vpopmail's vdelivermail behind them.
 *
 *   Subject: failure notice
 *
 *   Hi. This is the qmail-send program at mx.example.net.
 *   I'm afraid I wasn't able to deliver your message to the following
 *   addresses.
 *   This is a permanent error; I've given up. Sorry it didn't work out.
 *
 *   <kijitora@example.org>:
 *   192.0.2.25 does not like recipient.
 *   Remote host said: 550 5.1.1 <kijitora@example.org>... User unknown
 *   Giving up on 192.0.2.25.
 *
 *   --- Below this line is a copy of the message.
 *
 * Every "<address>:" line opens a recipient; the lines up to the next one
 * say why.  The sentences qmail-remote.c writes name the SMTP command, and
 * those of qmail-send, qmail-local and qmail-ldap name some reasons.  The
 * reader is shared with the qmail clones of qmailclone.c, which differ only in
 * their first sentence.
 */
#include "decode_priv.h"

static const struct bk_sv intros[] = {
	BK_SVI("Hi. This is the qmail"),	/* qmail-send.c */
};

static const struct bk_sv copy_marks[] = {
	BK_SVI("--- Below this line is "),
	BK_SVI("--- Below the next line is "),
	BK_SVI("--- Enclosed is a copy of "),
	BK_SVI("--- Mensaje original adjunto"),
	BK_SVI("Original message follows."),
};

/* qmail-remote.c: the step of the SMTP session that failed */
static const struct {
	struct bk_sv text;
	struct bk_sv cmd;
} steps[] = {
	{ BK_SVI(" but greeting failed."), BK_SVI("CONN") },
	{ BK_SVI(" but my name was rejected."), BK_SVI("EHLO") },
	{ BK_SVI(" but sender was rejected."), BK_SVI("MAIL") },
	{ BK_SVI(" does not like recipient."), BK_SVI("RCPT") },
	{ BK_SVI(" failed on DATA command"), BK_SVI("DATA") },
	{ BK_SVI(" failed after I sent the message"), BK_SVI("DATA") },
};

/* "no SMTP connection got far enough; most progress was RCPT TO response" */
static const struct {
	struct bk_sv text;
	struct bk_sv cmd;
} progress[] = {
	{ BK_SVI("most progress was RCPT"), BK_SVI("RCPT") },
	{ BK_SVI("most progress was MAIL"), BK_SVI("MAIL") },
	{ BK_SVI("most progress was DATA"), BK_SVI("DATA") },
	{ BK_SVI("most progress was EHLO"), BK_SVI("EHLO") },
	{ BK_SVI("most progress was HELO"), BK_SVI("HELO") },
};

/* Where the remote host is named (qmail-remote.c, qmail-send.c). */
static const struct bk_sv host_marks[] = {
	BK_SVI("Giving up on "),
	BK_SVI("Connected to "),
	BK_SVI("remote host "),
};

static bool
qmail_match(const struct bk_msg *m)
{
	if (bk_sv_istarts(m->subject, BK_SV("failure notice")))
		return true;
	/* "(qmail 2222 invoked for bounce)", indimail's "(invoked for
	 * bounce)", "(qmail 2202 invoked from network)" */
	return bk_msg_header_has(m, BK_SV("received"),
				 BK_SV("invoked for bounce")) ||
	       bk_msg_header_has(m, BK_SV("received"), BK_SV("(qmail ")) ||
	       bk_msg_lenient(m, BK_MISSING_SUBJECT | BK_MISSING_RECEIVED,
			      BK_SV("This is the qmail-send program at ")) ||
	       bk_msg_lenient(m, BK_MISSING_SUBJECT | BK_MISSING_RECEIVED,
			      BK_SV("I'm afraid I wasn't able to deliver your message to the following addresses"));
}

/* "<kijitora@example.org>:" */
static bool
is_rcpt_line(struct bk_sv line)
{
	return line.n > 4 && line.p[0] == '<' && bk_sv_findc(line, '@') > 0 &&
	       bk_sv_find(line, BK_SV(">:")) > 0;
}

/* "<kijitora@example.org>" of such a line */
static struct bk_sv
rcpt_part(struct bk_sv line)
{
	return bk_sv_slice(line, 0, (size_t)bk_sv_find(line, BK_SV(">:")) + 1);
}

static bool
host_char(unsigned char c)
{
	return bk_is_alpha(c) || bk_is_digit(c) || c == '.' || c == '-' ||
	       c == ':' || c == '[' || c == ']';
}

/* The host name or address that starts r, without a final dot. */
static struct bk_sv
host_word(struct bk_sv r)
{
	size_t e = 0;
	while (e < r.n && host_char((unsigned char)r.p[e]))
		e++;
	while (e && strchr(".:", r.p[e - 1]))
		e--;
	return bk_sv_slice(r, 0, e);
}

/* "Giving up on 192.0.2.25.", "Connected to 192.0.2.25 but ...",
 * "remote host 192.0.2.25 said: ...", else the host before "does not
 * like recipient" or "failed after I sent the message". */
static struct bk_sv
qmail_rhost(struct bk_sv diag)
{
	for (size_t i = 0; i < BK_NELEM(host_marks); i++) {
		long at = bk_sv_find(diag, host_marks[i]);
		struct bk_sv h = at < 0 ? BK_SV_NULL
			: host_word(bk_sv_from(diag, (size_t)at +
						     host_marks[i].n));
		if (h.n)
			return h;
	}
	for (size_t i = 0; i < BK_NELEM(steps); i++) {
		long at = bk_sv_find(diag, steps[i].text);
		size_t b = at < 0 ? 0 : (size_t)at;
		while (b && host_char((unsigned char)diag.p[b - 1]))
			b--;
		if (at > 0 && (size_t)at > b)
			return host_word(bk_sv_slice(diag, b, (size_t)at));
	}
	return BK_SV_NULL;
}

static struct bk_sv
qmail_command(struct bk_sv diag)
{
	for (size_t i = 0; i < BK_NELEM(steps); i++)
		if (bk_sv_contains(diag, steps[i].text))
			return steps[i].cmd;
	for (size_t i = 0; i < BK_NELEM(progress); i++)
		if (bk_sv_contains(diag, progress[i].text))
			return progress[i].cmd;
	return bk_sv_c(bk_command_find(diag));
}

static struct bk_said
qmail_said(struct bk_sv diag, struct bk_sv cmd)
{
	if (bk_sv_eq(cmd, BK_SV("EHLO")) || bk_sv_eq(cmd, BK_SV("HELO")))
		return bk_said_row(&bk_rules_qmail, BK_QMAIL_HELO);
	/* qmail-remote-fallback.patch: a refusal retried until it expired
	 * says nothing by itself */
	if (bk_sv_contains(diag, BK_SV(" does not like recipient.")) &&
	    bk_sv_contains(diag, BK_SV("in the queue too long.")))
		return bk_said_row(&bk_rules_qmail, BK_QMAIL_RETRIED);
	return bk_rule_find(&bk_rules_qmail, diag);
}

static void
finish(struct bk_dlv *d)
{
	d->command = qmail_command(d->diag);
	struct bk_said r = qmail_said(d->diag, d->command);
	if (bk_said_any(r))
		d->said = r;
	d->rhost = qmail_rhost(d->diag);
}

/* Read the recipients listed after the first line holding one of
 * intros; the text ends at the copy of the message. */
int
bk_qmail_read(struct bk_dctx *dc, const struct bk_msg *m,
	      const struct bk_sv *starts, size_t nstarts)
{
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv rest = bk_text_before_any(text, copy_marks,
					       BK_NELEM(copy_marks));
	struct bk_sv line;
	struct bk_dlv *d = NULL;
	bool on = false;

	while (bk_sv_next_line(&rest, &line)) {
		if (!on)
			on = bk_sv_icontains_any(line, starts, nstarts);
		else if (is_rcpt_line(line))
			d = bk_rcpt_add(dc, rcpt_part(line));
		else if (d && bk_sv_trim(line).n)
			bk_text_span(&d->diag, bk_sv_trim(line));
	}
	if (!dc->n)
		return BK_DECLINE;
	for (size_t i = 0; i < dc->n; i++)
		finish(&dc->v[i]);
	struct bk_sv copy = bk_text_after_line(text, copy_marks,
					       BK_NELEM(copy_marks));
	if (copy.p && !m->flat.orig.p)
		dc->orig = copy;
	return BK_DECODED;
}

static int
qmail_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	return bk_qmail_read(dc, m, intros, BK_NELEM(intros));
}

const struct bk_decoder bk_decoder_qmail = {
	.name = "qmail",
	.what = "qmail and its descendants (netqmail, notqmail, indimail, ...)",
	.match = qmail_match,
	.decode = qmail_decode,
};
