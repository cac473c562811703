/* SPDX-License-Identifier: BSD-2-Clause */
/* gmail.c - bounces from Gmail in its plain-text layout (Google's newer
 * multipart/report bounces are read by rfc3464.c).
 *
 *   From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
 *   Subject: Delivery Status Notification (Failure)
 *
 *   Delivery to the following recipient failed permanently:
 *
 *        kijitora@example.org
 *
 *   Technical details of permanent failure:
 *   Google tried to deliver your message, but it was rejected by the server
 *   for the recipient domain example.org by mx.example.org. [192.0.2.25].
 *
 *   The error that the other server returned was:
 *   550 550 5.1.1 <kijitora@example.org>... User Unknown (state 14).
 *
 *   ----- Original message -----
 *
 * The first line and the text after the indented addresses are the
 * explanation shared by the recipients listed.
 * Gmail names the SMTP session state it failed in ("(state 14)"); the
 * state tells the command, and a reason when the remote server's reply
 * carries no specific status code.
 */
#include "decode_priv.h"

static const struct bk_sv orig_marks[] = {
	BK_SVI("----- Original message -----"),
	BK_SVI("----- Message header follows -----"),
};

/* Gmail's session states and the command each names; state i is row
 * BK_GMAIL_STATE + i of its table (lib/reason/format_gmail.c). */
static const struct gmail_state {
	unsigned n;
	const char *command;
} states[] = {
	{ 6, "MAIL" }, { 8, "AUTH" }, { 9, "AUTH" }, { 12, "AUTH" },
	{ 13, "EHLO" }, { 14, "RCPT" }, { 15, "DATA" }, { 17, "DATA" },
	{ 18, "DATA" },
};

static const struct bk_sv first_line =
	BK_SVI("Delivery to the following recipient");

static const struct bk_sv google_daemon =
	BK_SVI("mailer-daemon@googlemail.com");
static const struct bk_sv dsn_subject = BK_SVI("Delivery Status Notification");

static bool
gmail_match(const struct bk_msg *m)
{
	static const struct bk_sv own = BK_SVI("Technical details of ");
	return (bk_sv_icontains(m->from, google_daemon) ||
		bk_msg_lenient(m, BK_MISSING_FROM, own)) &&
	       (bk_sv_icontains(m->subject, dsn_subject) ||
		bk_msg_lenient(m, BK_MISSING_SUBJECT, own));
}

/* "     kijitora@example.org": an indented address alone on its line. */
static bool
is_rcpt_line(struct bk_sv line)
{
	struct bk_sv t = bk_sv_trim(line);
	return line.n && (line.p[0] == ' ' || line.p[0] == '\t') &&
	       bk_sv_findc(t, '@') > 0 && bk_sv_findc(t, ' ') < 0;
}

/* "(state 14)" -> the row for 14, or NULL. */
static const struct gmail_state *
find_state(struct bk_sv diag)
{
	struct bk_sv r = bk_sv_iafter(diag, BK_SV("(state "));
	uint64_t n;
	long end = r.p ? bk_sv_findc(r, ')') : -1;
	if (end <= 0 || !bk_sv_to_u64(bk_sv_slice(r, 0, (size_t)end), &n))
		return NULL;
	for (size_t i = 0; i < BK_NELEM(states); i++)
		if (states[i].n == n)
			return &states[i];
	return NULL;
}

/* "... by mx.example.org. [192.0.2.25]." -> mx.example.org */
static struct bk_sv
remote_host(struct bk_sv diag)
{
	long end = bk_sv_find(diag, BK_SV(". ["));
	if (end < 0)
		return BK_SV_NULL;
	struct bk_sv head = bk_sv_slice(diag, 0, (size_t)end);
	struct bk_sv host = BK_SV_NULL;
	for (struct bk_sv r = head; (r = bk_sv_iafter(r, BK_SV(" by "))).p;)
		host = r;
	if (!host.p || bk_sv_findc(host, ' ') >= 0 ||
	    bk_sv_findc(host, '.') < 0)
		return BK_SV_NULL;
	return host;
}

/* A status with a specific subject and detail ("5.2.2", not "5.7.0")
 * names the failure better than Gmail's own tables. */
static bool
specific_status(struct bk_sv diag)
{
	char st[BK_STATUS_MAX];
	if (!bk_status_find(diag, 0, st))
		return false;
	size_t n = strlen(st);
	return st[2] != '0' && !(st[n - 1] == '0' && st[n - 2] == '.');
}

static void
explain(struct bk_dlv *d, struct bk_sv diag)
{
	const struct gmail_state *s = find_state(diag);
	d->spec = BK_SV("SMTP");
	d->rhost = remote_host(diag);
	d->action = bk_sv_icontains(diag, BK_SV("has been delayed"))
			    ? BK_SV("delayed") : BK_SV("failed");
	if (s)
		d->command = bk_sv_c(s->command);
	if (specific_status(diag))
		return;
	if (s) {
		d->said = bk_said_row(&bk_rules_gmail,
				      BK_GMAIL_STATE + (unsigned)(s - states));
		return;
	}
	d->said = bk_rule_find(&bk_rules_gmail, diag);
}

static int
gmail_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_msg_text(m);
	struct bk_sv rest = bk_text_before_any(text, orig_marks,
					       BK_NELEM(orig_marks));
	struct bk_sv line, head = BK_SV_NULL, diag = BK_SV_NULL;

	while (bk_sv_next_line(&rest, &line)) {
		if (!head.p) {
			if (bk_sv_istarts(line, first_line))
				head = line;
		} else if (is_rcpt_line(line) && bk_rcpt_add(dc, line)) {
			diag = rest;	/* what follows the last address */
		}
	}
	if (!dc->n)
		return BK_DECLINE;
	bk_text_join(dc, &head, diag);
	for (size_t i = 0; i < dc->n; i++) {
		dc->v[i].diag = head;
		explain(&dc->v[i], head);
	}
	dc->orig = bk_text_after_line(text, orig_marks, BK_NELEM(orig_marks));
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_gmail = {
	.name = "Gmail",
	.what = "Gmail plain-text delivery status notifications",
	.match = gmail_match,
	.decode = gmail_decode,
};
