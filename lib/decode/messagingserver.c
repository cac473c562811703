/* SPDX-License-Identifier: BSD-2-Clause */
/* messagingserver.c - delivery notifications from Oracle Communications
 * Messaging Server (formerly Sun ONE / iPlanet Messaging Server, PMDF): a
 * readable report per recipient, then a DSN.
 *
 *   Subject: Delivery Notification: Delivery has failed
 *   Content-type: multipart/report; boundary="Boundary_(ID_jGsPxQIjNdbq)"
 *
 *   This report relates to a message you sent with the following header
 *   fields:
 *     Message-id: <20140429233445.ABCD@example.jp>
 *     To: kijitora@example.org
 *
 *   Your message cannot be delivered to the following recipients:
 *
 *     Recipient address: kijitora@example.org
 *     Reason: Remote SMTP server has rejected address
 *     Diagnostic code: smtp;550 5.1.1 <kijitora@example.org>... User Unknown
 *     Remote system: dns;mx.example.org (TCP|192.0.2.1|47323|192.0.2.2|25)
 *
 * A recipient address that is a route to an internal server ("@mx.example.
 * org:kijitora@store1") stands for the Original address that follows it.
 * PMDF on OpenVMS writes, instead of a Reason, the condition messages of
 * a local delivery that failed:
 *
 *     Recipient address: KIJITORA@mail.example.org
 *     Original address: kijitora@example.org
 *   %MAIL-E-OPENOUT, error opening !AS as output
 *   -SYSTEM-F-EXDISKQUOTA, disk quota exceeded
 * Status, action and dates come from the DSN.
 */
#include "decode_priv.h"

static const struct bk_sv report_mark =
	BK_SVI("This report relates to a message you sent with the following header fields:");

/* The labels of the readable report. */
enum { F_RCPT, F_ORIG, F_REASON, F_DIAG, F_REMOTE, F_NONE };
static const struct bk_sv labels[] = {
	[F_RCPT] = BK_SVI("Recipient address:"),
	[F_ORIG] = BK_SVI("Original address:"),
	[F_REASON] = BK_SVI("Reason:"),
	[F_DIAG] = BK_SVI("Diagnostic code:"),
	[F_REMOTE] = BK_SVI("Remote system:"),
};

static bool
messagingserver_match(const struct bk_msg *m)
{
	return bk_msg_header_has(m, BK_SV("content-type"), BK_SV("Boundary_(ID_")) ||
	       bk_sv_starts(m->subject, BK_SV("Delivery Notification: "));
}

static int
label_of(struct bk_sv line, struct bk_sv *value)
{
	line = bk_sv_ltrim(line);
	for (int i = 0; i < F_NONE; i++)
		if (bk_sv_istarts(line, labels[i])) {
			*value = bk_sv_trim(bk_sv_from(line, labels[i].n));
			return i;
		}
	return F_NONE;
}

/* "dns;mx.example.org (TCP|...) (...)": the host. */
static struct bk_sv
remote_host(struct bk_sv v)
{
	struct bk_sv host = bk_sv_iafter(v, BK_SV(";"));
	return host.p ? bk_sv_trim(bk_sv_ibefore(host, BK_SV("("))) : host;
}

/* A labelled line about the recipient d (NULL when its address was a
 * route not yet resolved); returns the recipient the next lines are for. */
static struct bk_dlv *
report_line(struct bk_dctx *dc, struct bk_dlv *d, int f, struct bk_sv v)
{
	struct bk_sv type;
	switch (f) {
	case F_RCPT:
		return bk_rcpt_add(dc, v);
	case F_ORIG:
		if (!d)
			return bk_rcpt_add(dc, v);
		d->alias = bk_addr_find(dc->arena, v);
		return d;
	default:
		break;
	}
	if (!d)
		return d;
	if (f == F_REASON && !d->diag.n) {
		d->diag = v;
	} else if (f == F_DIAG) {
		/* "smtp;550 5.1.1 ...": the type, then the text */
		struct bk_sv after = bk_sv_cut(v, ';', &type);
		if (after.p && bk_sv_findc(bk_sv_trim(type), ' ') < 0) {
			d->spec = bk_sv_trim(type);
			v = bk_sv_trim(after);
		}
		d->diag = v;
	} else if (f == F_REMOTE) {
		d->rhost = remote_host(v);
	}
	return d;
}

/* An OpenVMS condition message that PMDF writes under the addresses when
 * a local delivery failed: "%MAIL-E-OPENOUT, error opening !AS as output",
 * then "-SYSTEM-F-EXDISKQUOTA, disk quota exceeded" for its causes. */
static bool
vms_message(struct bk_sv line)
{
	line = bk_sv_trim(line);
	if (line.n < 8 || (line.p[0] != '%' && line.p[0] != '-'))
		return false;
	long comma = bk_sv_find(line, BK_SV(", "));
	if (comma < 5)
		return false;
	int dashes = 0;
	for (size_t i = 1; i < (size_t)comma; i++) {
		unsigned char c = (unsigned char)line.p[i];
		if (c == '-')
			dashes++;
		else if (!(c >= 'A' && c <= 'Z') && !bk_is_digit(c) && c != '_' &&
			 c != '$')
			return false;
	}
	return dashes == 2;
}

static void
read_report(struct bk_dctx *dc, struct bk_sv text)
{
	struct bk_sv rest = text, line, v;
	struct bk_dlv *d = NULL;
	while (bk_sv_next_line(&rest, &line)) {
		int f = label_of(line, &v);
		if (f != F_NONE)
			d = report_line(dc, d, f, v);
		else if (d && vms_message(line))
			bk_dlv_diag_add(dc, d, bk_sv_trim(line));
	}
}

/* The per-message fields of the DSN: who reported, when it arrived. */
static void
per_message(struct bk_dctx *dc, struct bk_sv dsn)
{
	struct bk_sv rest = dsn, line, type, v;
	while (bk_sv_next_line(&rest, &line)) {
		enum bk_dsn_field f = bk_dsn_field(line, &type, &v);
		if (f == BK_DF_REPORTING_MTA)
			BK_FILL(dc, lhost, bk_sv_trim(bk_sv_ibefore(v, BK_SV("("))));
		else if (f == BK_DF_ARRIVAL_DATE)
			BK_FILL(dc, date, v);
	}
}

static int
messagingserver_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_msg_text(m);
	if (m->flat.orig.p)
		text = bk_sv_slice(text, 0, m->flat.orig_mark);
	struct bk_sv report = bk_sv_iafter(text, report_mark);
	if (!report.p)
		return BK_DECLINE;
	struct bk_sv dsn = report;
	if (m->flat.dsn.p && m->flat.dsn.p > report.p) {
		dsn = m->flat.dsn;
		report = bk_sv_make(report.p, (size_t)(dsn.p - report.p));
	}
	read_report(dc, report);
	if (!dc->n)
		return BK_DECLINE;
	bk_dsn_merge(dc, dsn);
	per_message(dc, dsn);
	bk_notice_apply(dc, &bk_rules_messagingserver);
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_messagingserver = {
	.name = "MessagingServer",
	.what = "Oracle Communications Messaging Server (Sun ONE, PMDF) reports",
	.match = messagingserver_match,
	.decode = messagingserver_decode,
};
