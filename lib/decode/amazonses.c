/* SPDX-License-Identifier: BSD-2-Clause */
/* amazonses.c - Amazon SES (sending): its delivery status notifications,
 * and the JSON notifications (bounce, complaint, delivery) that SNS
 * delivers by mail.
 *
 *   X-SES-Outgoing: 2016.10.11-192.0.2.8
 *   Subject: Delivery Status Notification (Failure)
 *
 *   An error occurred while trying to deliver the mail to the following
 *   recipients:
 *   kijitora@example.org
 *
 *   Content-Type: message/delivery-status
 *   Reporting-MTA: dsn; a27-33.smtp-out.us-west-2.amazonses.com
 *
 *   Action: failed
 *   Final-Recipient: rfc822; kijitora@example.org
 *   Diagnostic-Code: smtp; 550 5.1.1 user unknown
 *   Status: 5.1.1
 *
 * A notification (x-amz-sns-message-id) has the SES event as its body, or
 * an SNS envelope whose "Message" string holds it:
 *
 *   {"notificationType":"Bounce","bounce":{"bounceType":"Permanent",
 *    "bounceSubType":"General","bouncedRecipients":[{"emailAddress":
 *    "kijitora@example.org","action":"failed","status":"5.1.1",
 *    "diagnosticCode":"smtp; 550 5.1.1 user unknown"}],
 *    "timestamp":"2016-10-21T00:06:40.502Z",
 *    "reportingMTA":"dsn; a27-23.smtp-out.us-west-2.amazonses.com"},
 *    "mail":{"headers":[{"name":"From","value":"neko@example.jp"}, ...]}}
 *
 * An event gives the record the DSN of the same event gives: its fields
 * map one to one (emailAddress: Final-Recipient, diagnosticCode:
 * Diagnostic-Code, reportingMTA: Reporting-MTA, ...).  A complaint is
 * feedback of complaintFeedbackType ("abuse" when absent); a delivery has
 * its smtpResponse as the diagnostic.  The headers of the "mail" object
 * stand for the returned message.  JSON is read by lib/dsn/json.h.
 *
 * Long lines reach us folded by a relaying sendmail, "!" at the end of
 * the cut line and a space before the rest: "!\n " never occurs in JSON,
 * so it is removed wherever it is found.
 */
#include "decode_priv.h"

#include "core/json.h"

static const struct bk_sv dsn_marks[] = {
	BK_SVI("The following message to <"),
	BK_SVI("An error occurred while trying to deliver the mail "),
};

static bool
is_notification(const struct bk_msg *m)
{
	struct bk_sv t = bk_sv_ltrim(bk_sv_slice(m->flat.text, 0, 64));
	return bk_msg_has(m, BK_SV("x-amz-sns-message-id")) && t.n &&
	       t.p[0] == '{';
}

static bool
amazonses_match(const struct bk_msg *m)
{
	if (is_notification(m))
		return true;
	if (!bk_msg_has(m, BK_SV("x-aws-outgoing")) &&
	    !bk_msg_has(m, BK_SV("x-ses-outgoing")))
		return false;
	return !bk_msg_header_has(m, BK_SV("x-mailer"), BK_SV("Amazon WorkMail"));
}

/* ---- the delivery status notification ---- */

static int
decode_dsn(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = m->flat.text;
	struct bk_sv head = bk_sv_slice(text, 0, m->flat.orig_mark);
	struct bk_sv fields = m->flat.dsn.p ? m->flat.dsn : head;
	if (!bk_text_after_line(text, dsn_marks, BK_NELEM(dsn_marks)).p)
		return BK_DECLINE;
	bk_dsn_read(dc, fields);
	for (size_t i = 0; i < dc->n; i++)
		if (bk_sv_contains(dc->v[i].diag, BK_SV("Delivery expired")))
			dc->v[i].said = bk_said_row(&bk_rules_amazonses,
						     BK_AMAZONSES_EXPIRED);
	return dc->n ? BK_DECODED : BK_DECLINE;
}

/* ---- the JSON notification ---- */

/* "smtp; 550 ..." -> "smtp" and "550 ...", as a DSN field is split. */
static struct bk_sv
split_typed(struct bk_sv v, struct bk_sv *type)
{
	long semi = bk_sv_findc(v, ';');
	*type = BK_SV("");
	if (semi <= 0 || semi >= 16 ||
	    bk_sv_findc(bk_sv_slice(v, 0, (size_t)semi), ' ') >= 0)
		return bk_sv_trim(v);
	*type = bk_sv_slice(v, 0, (size_t)semi);
	return bk_sv_trim(bk_sv_from(v, (size_t)semi + 1));
}

static struct bk_sv
unfold(struct bk_dctx *dc, struct bk_sv text)
{
	if (!bk_sv_contains(text, BK_SV("!\n ")))
		return text;
	struct bk_sb sb;
	bk_sb_init(&sb, dc->arena, text.n);
	for (size_t i = 0; i < text.n; i++) {
		if (bk_sv_starts(bk_sv_from(text, i), BK_SV("!\n ")))
			i += 2;
		else
			bk_sb_addc(&sb, text.p[i]);
	}
	return bk_sb_sv(&sb);
}

/* The SES event: the body, or the "Message" of an SNS envelope. */
static struct bk_sv
find_event(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv top = bk_json_value(unfold(dc, m->flat.text));
	struct bk_sv inner = bk_json_get_str(dc->arena, top, "Message");
	return inner.p ? bk_json_value(inner) : top;
}

static void
bounce_rcpt(struct bk_dctx *dc, struct bk_sv b, struct bk_sv r)
{
	struct bk_arena *a = dc->arena;
	struct bk_sv addr = bk_json_get_str(a, r, "emailAddress");
	struct bk_dlv *d = bk_rcpt_add(dc, addr);
	if (!d)
		return;
	struct bk_sv type, v = bk_json_get_str(a, r, "diagnosticCode");
	if (v.p) {
		bk_dlv_diag_add(dc, d, split_typed(v, &type));
		d->spec = type;
	}
	d->action = bk_json_get_str(a, r, "action");
	d->status = bk_json_get_str(a, r, "status");
	v = bk_json_get_str(a, b, "reportingMTA");
	if (v.p)
		d->lhost = split_typed(v, &type);
	d->rhost = bk_json_get_str(a, b, "remoteMtaIp");
	d->date = bk_json_get_str(a, b, "timestamp");
	v = bk_json_get_str(a, b, "bounceSubType");
	/* the reasons a bounceSubType states (SES notification contents);
	 * the others ("General", "NoEmail", ...) leave it to the diagnostic */
	struct bk_said s = bk_rule_exact(&bk_rules_amazonses, v);
	if (bk_said_any(s))
		d->said = s;
}

static void
complaint_rcpt(struct bk_dctx *dc, struct bk_sv c, struct bk_sv r)
{
	struct bk_arena *a = dc->arena;
	struct bk_sv addr = bk_json_get_str(a, r, "emailAddress");
	struct bk_dlv *d = bk_rcpt_add(dc, addr);
	if (!d)
		return;
	struct bk_sv type = bk_json_get_str(a, c, "complaintFeedbackType");
	d->said = bk_said_row(&bk_rules_amazonses, BK_AMAZONSES_COMPLAINT);
	d->feedbacktype = type.n ? type : BK_SV("abuse");
	d->date = bk_json_get_str(a, c, "timestamp");
}

static void
delivery_rcpt(struct bk_dctx *dc, struct bk_sv dl, struct bk_sv r)
{
	struct bk_dlv *d = bk_rcpt_add(dc, bk_json_str(dc->arena, r));
	if (!d)
		return;
	bk_dlv_diag_add(dc, d, bk_json_get_str(dc->arena, dl, "smtpResponse"));
	d->action = BK_SV("delivered");
	d->lhost = bk_json_get_str(dc->arena, dl, "reportingMTA");
	d->rhost = bk_json_get_str(dc->arena, dl, "remoteMtaIp");
	d->date = bk_json_get_str(dc->arena, dl, "timestamp");
}

typedef void (*rcpt_fn)(struct bk_dctx *dc, struct bk_sv obj, struct bk_sv r);

static const struct {
	const char *type, *object, *list;
	rcpt_fn fn;
} events[] = {
	{ "Bounce", "bounce", "bouncedRecipients", bounce_rcpt },
	{ "Complaint", "complaint", "complainedRecipients", complaint_rcpt },
	{ "Delivery", "delivery", "recipients", delivery_rcpt },
};

/* "Name: value" and a line end; line breaks in the value become spaces,
 * so that it stays one field. */
static void
add_header(struct bk_sb *sb, struct bk_sv name, struct bk_sv value)
{
	bk_sb_addsv(sb, name);
	bk_sb_add(sb, ": ", 2);
	for (size_t i = 0; i < value.n; i++) {
		char c = value.p[i];
		bk_sb_addc(sb, c == '\n' || c == '\r' ? ' ' : c);
	}
	bk_sb_addc(sb, '\n');
}

/* RFC 5322 2.2: printable ASCII but ":" */
static bool
is_field_name(struct bk_sv s)
{
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] <= ' ' || s.p[i] > '~' || s.p[i] == ':')
			return false;
	return s.n > 0;
}

/* "commonHeaders", which SES always sends ("headers" only on request):
 * a string, or a list of which the first is taken. */
static void
common_headers(struct bk_dctx *dc, struct bk_sb *sb, struct bk_sv ch)
{
	static const struct {
		const char *key;
		struct bk_sv name;
	} fields[] = {
		{ "from", BK_SVI("From") },	  { "to", BK_SVI("To") },
		{ "subject", BK_SVI("Subject") }, { "date", BK_SVI("Date") },
		{ "messageId", BK_SVI("Message-ID") },
	};
	for (size_t i = 0; i < BK_NELEM(fields); i++) {
		struct bk_sv v = bk_json_get(ch, fields[i].key), first;
		if (bk_json_type(v) == BK_JSON_ARRAY)
			v = bk_json_next(&v, &first) ? first : BK_SV_NULL;
		v = bk_json_str(dc->arena, v);
		if (v.p)
			add_header(sb, fields[i].name, v);
	}
}

/* The headers of the "mail" object as a header block, for the addresser,
 * the subject and the message id of the records. */
static struct bk_sv
orig_headers(struct bk_dctx *dc, struct bk_sv mail)
{
	struct bk_sv rest = bk_json_get(mail, "headers"), h;
	struct bk_sb sb;
	bk_sb_init(&sb, dc->arena, 256);
	while (bk_json_next(&rest, &h)) {
		struct bk_sv name = bk_json_get_str(dc->arena, h, "name");
		struct bk_sv value = bk_json_get_str(dc->arena, h, "value");
		if (is_field_name(name) && value.p)
			add_header(&sb, name, value);
	}
	if (!sb.n)
		common_headers(dc, &sb, bk_json_get(mail, "commonHeaders"));
	if (!sb.n)
		return BK_SV_NULL;
	bk_sb_addc(&sb, '\n');
	return bk_sb_sv(&sb);
}

static int
decode_json(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv ev = find_event(dc, m);
	struct bk_sv type = bk_json_get_str(dc->arena, ev, "notificationType");
	if (!type.p)
		type = bk_json_get_str(dc->arena, ev, "eventType");
	for (size_t i = 0; type.p && i < BK_NELEM(events); i++) {
		if (!bk_sv_eq(type, bk_sv_c(events[i].type)))
			continue;
		struct bk_sv obj = bk_json_get(ev, events[i].object);
		struct bk_sv rest = bk_json_get(obj, events[i].list), r;
		while (bk_json_next(&rest, &r))
			events[i].fn(dc, obj, r);
		break;
	}
	if (!dc->n)
		return BK_DECLINE;
	dc->orig = orig_headers(dc, bk_json_get(ev, "mail"));
	return BK_DECODED;
}

static int
amazonses_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	if (is_notification(m))
		return decode_json(dc, m);
	return decode_dsn(dc, m);
}

const struct bk_decoder bk_decoder_amazonses = {
	.name = "AmazonSES",
	.what = "Amazon SES: DSNs, SNS bounce/complaint/delivery notifications",
	.match = amazonses_match,
	.decode = amazonses_decode,
};
