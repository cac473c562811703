/* SPDX-License-Identifier: BSD-2-Clause */
/* sendgrid.c - SendGrid's delivery status notifications.
 *
 *   Return-Path: <apps@sendgrid.net>
 *   Subject: Undelivered Mail Returned to Sender
 *
 *   This is an automatically generated message from SendGrid.
 *   ...
 *   kijitora:000000:<kijitora@example.jp> : 192.0.2.250 :
 *    mx.example.jp:[192.0.2.153] : 550 5.1.1 <kijitora@example.jp>...
 *    User Unknown  in RCPT TO              (one line, cut here)
 *
 *   Content-Type: message/delivery-status
 *   X-SendGrid-QueueID: 959479146
 *   Arrival-Date: 2012-10-31 04-46-42
 *
 *   Final-Recipient: rfc822; kijitora@example.jp
 *   Action: failed
 *   Status: 5.1.1
 *   Diagnostic-Code: 550 5.1.1 <kijitora@example.jp>... User Unknown
 *
 * The summary line of each recipient names the remote host and the SMTP
 * command ("in RCPT TO", "in MAIL FROM", "in End of DATA").  SendGrid
 * writes "Action: expired" for messages it gave up retrying.
 */
#include "decode_priv.h"

static bool
sendgrid_match(const struct bk_msg *m)
{
	return bk_sv_istarts(m->subject, BK_SV("Undelivered Mail Returned")) &&
	       bk_msg_header_has(m, BK_SV("return-path"),
				 BK_SV("apps@sendgrid.net"));
}

/* The fields of a summary line, split at " : ". */
static size_t
split_fields(struct bk_sv line, struct bk_sv *f, size_t max)
{
	size_t n = 0;
	long at;
	while (n + 1 < max && (at = bk_sv_find(line, BK_SV(" : "))) >= 0) {
		f[n++] = bk_sv_slice(line, 0, (size_t)at);
		line = bk_sv_from(line, (size_t)at + 3);
	}
	f[n++] = line;
	return n;
}

/* "user:queueid:<rcpt> : lhost-ip : rhost:[ip] : reply in COMMAND": the
 * remote host and the command for the recipient it names. */
static void
read_summary(struct bk_dlv *d, struct bk_sv line)
{
	struct bk_sv f[4], host;
	size_t n = split_fields(line, f, BK_NELEM(f));
	if (n == BK_NELEM(f) && !d->rhost.n) {
		bk_sv_cut(f[2], ':', &host);
		d->rhost = bk_sv_trim(host);
	}
	struct bk_sv reply = f[n - 1], cmd = BK_SV_NULL;
	long at;
	while ((at = bk_sv_find(reply, BK_SV(" in "))) >= 0)
		reply = cmd = bk_sv_from(reply, (size_t)at + 4);
	if (cmd.p && !d->command.n)
		d->command = bk_sv_c(bk_command_find(cmd));
}

/* Arrival-Date as SendGrid wrote it, "2012-10-31 04-46-42": the local
 * time of its servers, US Central daylight time (as Sisimai reads it). */
static struct bk_sv
arrival_date(struct bk_dctx *dc, struct bk_sv v)
{
	char buf[32];
	if (v.n != 19 || v.p[10] != ' ' || v.p[13] != '-' || v.p[16] != '-')
		return v;
	memcpy(buf, v.p, 19);
	buf[13] = buf[16] = ':';
	memcpy(buf + 19, " -0500", 6);
	return bk_dctx_keep(dc, bk_sv_make(buf, 25));
}

static int
sendgrid_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	if (!m->flat.dsn.p || !bk_dsn_read(dc, m->flat.dsn))
		return BK_DECLINE;
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv rest = text, line;
	while (bk_sv_next_line(&rest, &line)) {
		for (size_t i = 0; i < dc->n; i++)
			if (bk_sv_icontains(line, dc->v[i].recipient) &&
			    bk_sv_contains(line, BK_SV(" : ")))
				read_summary(&dc->v[i], line);
	}
	for (size_t i = 0; i < dc->n; i++) {
		struct bk_dlv *d = &dc->v[i];
		d->date = arrival_date(dc, d->date);
		if (bk_sv_ieq(d->action, BK_SV("expired")))
			d->said = bk_said_row(&bk_rules_sendgrid, BK_SENDGRID_EXPIRED);
	}
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_sendgrid = {
	.name = "SendGrid",
	.what = "SendGrid delivery status notifications",
	.match = sendgrid_match,
	.decode = sendgrid_decode,
};
