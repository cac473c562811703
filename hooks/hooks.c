/* SPDX-License-Identifier: BSD-2-Clause */
/* hooks.c - the providers' event payloads into records (hooks.h,
 * docs/webhooks.md).  Each provider's events are mapped field by field;
 * the reason comes from bk_classify_text() on the provider's diagnostic
 * text (and its status and reply code), as for a bounce message, with the
 * provider's own class as a hint where the text says nothing; the
 * provider's classification is kept verbatim beside it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "hooks/hooks.h"

#define MAX_PAYLOAD (16u << 20)

static const char *const names[] = { "", "ses", "sendgrid", "mailgun", "postmark", "sparkpost" };
static const char *const decodedby[] = { "", "AmazonSES", "SendGrid", "Mailgun", "Postmark", "SparkPost" };

const char *
bk_hook_provider_name(enum bk_hook_provider p)
{
	return (unsigned)p < sizeof(names) / sizeof(names[0]) ? names[p] : "";
}

enum bk_hook_provider
bk_hook_provider_by_name(const char *name)
{
	for (unsigned i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return (enum bk_hook_provider)i;
	return BK_HOOK_ANY;
}

void
bk_hook_batch_init(struct bk_hook_batch *b)
{
	memset(b, 0, sizeof(*b));
}

void
bk_hook_batch_clear(struct bk_hook_batch *b)
{
	for (size_t i = 0; i < b->nstrs; i++)
		free(b->strs[i]);
	free(b->strs);
	free(b->v);
	if (b->root)
		json_decref((json_t *)b->root);
	bk_hook_batch_init(b);
}

bool
bk_hook_looks_json(const char *data, size_t len)
{
	size_t i = 0;
	/* a UTF-8 byte order mark */
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && isspace((unsigned char)data[i]))
		i++;
	return i < len && (data[i] == '{' || data[i] == '[');
}

/* ---- strings the records point to ---- */

static const char *
keep(struct bk_hook_batch *b, char *s)
{
	if (!s)
		return NULL;
	if (b->nstrs == b->capstrs) {
		size_t cap = b->capstrs ? b->capstrs * 2 : 64;
		char **v = realloc(b->strs, cap * sizeof(*v));
		if (!v) {
			free(s);
			return NULL;
		}
		b->strs = v;
		b->capstrs = cap;
	}
	b->strs[b->nstrs++] = s;
	return s;
}

static const char *
dup(struct bk_hook_batch *b, const char *s)
{
	return keep(b, strdup(s ? s : ""));
}

/* ---- JSON values ---- */

/* A string, or a number as text (SparkPost sends numbers as strings, the
 * others numbers: both are read); NULL when absent or another type. */
static const char *
jtext(json_t *o, const char *key, char *buf, size_t n)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_real(v)) {
		snprintf(buf, n, "%.0f", json_real_value(v));
		return buf;
	}
	return NULL;
}

static const char *
jstr(json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_t *
jget(json_t *o, const char *key)
{
	return json_is_object(o) ? json_object_get(o, key) : NULL;
}

static int
digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* ISO 8601 ("2016-10-21T00:06:40.502Z", "...+09:00"), or epoch seconds
 * as a number or a string of digits (with a fraction). */
static bool
parse_time_str(const char *s, int64_t *out)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	if (n >= 19 && s[4] == '-' && s[7] == '-' && (s[10] == 'T' || s[10] == ' ') &&
	    s[13] == ':' && s[16] == ':') {
		struct tm tm;
		memset(&tm, 0, sizeof(tm));
		int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
		int h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
		if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
		    mi < 0 || mi > 59 || se < 0 || se > 60)
			return false;
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_sec = se;
		int64_t t = (int64_t)timegm(&tm);
		const char *p = s + 19;
		if (*p == '.' || *p == ',')
			for (p++; isdigit((unsigned char)*p); p++)
				;
		if ((*p == '+' || *p == '-') && strlen(p) >= 3) {
			int oh = digits(p + 1, 2), om = 0;
			const char *q = p + 3;
			if (*q == ':')
				q++;
			if (strlen(q) >= 2)
				om = digits(q, 2);
			if (oh < 0 || om < 0)
				return false;
			int64_t off = (int64_t)(oh * 3600 + om * 60);
			t += *p == '+' ? -off : off;
		}
		*out = t;
		return true;
	}
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s || v < 0 || (*end && *end != '.'))
		return false;
	*out = v;
	return true;
}

static bool
parse_time(json_t *v, int64_t *out)
{
	if (json_is_integer(v)) {
		*out = (int64_t)json_integer_value(v);
		return *out >= 0;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (!(d >= 0 && d < 1e13))
			return false;
		*out = (int64_t)d;
		return true;
	}
	if (json_is_string(v))
		return parse_time_str(json_string_value(v), out);
	return false;
}

/* "Name <user@example.com>" -> "user@example.com"; "<id@host>" -> "id@host". */
static void
strip_angle(const char *in, char *out, size_t n)
{
	const char *lt = strrchr(in, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	if (lt && gt && (size_t)(gt - lt - 1) < n) {
		memcpy(out, lt + 1, (size_t)(gt - lt - 1));
		out[gt - lt - 1] = '\0';
	} else {
		snprintf(out, n, "%s", in);
	}
	/* trimmed */
	size_t k = strlen(out);
	while (k && isspace((unsigned char)out[k - 1]))
		out[--k] = '\0';
	size_t i = 0;
	while (out[i] && isspace((unsigned char)out[i]))
		i++;
	if (i)
		memmove(out, out + i, strlen(out + i) + 1);
}

/* ---- one record ---- */

struct fields {
	const char *recipient, *addresser, *action, *status, *code, *diag;
	const char *lhost, *rhost, *messageid, *subject, *feedbacktype;
	const char *forced;	/* "delivered", "feedback": no classifying */
	const char *said;	/* a reason the provider states outright */
	const char *hint;	/* a reason for when the text says nothing */
	int64_t ts;
	const char *event_id;
	json_t *cls;		/* the provider's classification (borrowed) */
};

static void
hex(const unsigned char *d, size_t n, char *out)
{
	static const char h[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = h[d[i] >> 4];
		out[2 * i + 1] = h[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static bool
digest(const EVP_MD *md, const char *data, size_t len, unsigned char *out)
{
	unsigned int n = 0;
	return EVP_Digest(data, len, out, &n, md, NULL) == 1;
}

static bool
reason_hard(const char *reason)
{
	const struct bk_reason_info *list;
	size_t n = bk_reasons(&list);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i].name, reason))
			return list[i].hard;
	return false;
}

static void
bad_event(struct bk_hook_batch *b, const char *fmt, const char *what)
{
	if (!b->bad++)
		snprintf(b->bad_msg, sizeof(b->bad_msg), fmt, what);
}

/* "smtp; 550 ..." -> type "SMTP" and "550 ..." */
static const char *
split_typed(const char *v, char *type, size_t tn)
{
	const char *semi = strchr(v, ';');
	type[0] = '\0';
	if (!semi || semi == v || semi - v >= 16 || memchr(v, ' ', (size_t)(semi - v)))
		return v;
	size_t k = (size_t)(semi - v);
	if (k >= tn)
		return v;
	for (size_t i = 0; i < k; i++)
		type[i] = (char)toupper((unsigned char)v[i]);
	type[k] = '\0';
	for (semi++; isspace((unsigned char)*semi); semi++)
		;
	return semi;
}

static int
emit(struct bk_hook_batch *b, const struct fields *f, const char *origin)
{
	char rcpt[330], from[330], mid[1000], type[16] = "";
	if (!f->recipient || !*f->recipient) {
		bad_event(b, "%s event without a recipient: skipped", names[b->provider]);
		return 0;
	}
	strip_angle(f->recipient, rcpt, sizeof(rcpt));
	if (!strchr(rcpt, '@') || strlen(rcpt) > 320) {
		bad_event(b, "recipient '%.100s' is not an address: skipped", f->recipient);
		return 0;
	}
	strip_angle(f->addresser ? f->addresser : "", from, sizeof(from));
	strip_angle(f->messageid ? f->messageid : "", mid, sizeof(mid));
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		struct bk_hook_rec *v = realloc(b->v, cap * sizeof(*v));
		if (!v)
			return -1;
		b->v = v;
		b->cap = cap;
	}
	struct bk_hook_rec *h = &b->v[b->n];
	memset(h, 0, sizeof(*h));
	struct bk_record *r = &h->rec;
	const char *diag = f->diag ? split_typed(f->diag, type, sizeof(type)) : "";
	if (*diag && !*type)
		strcpy(type, "SMTP");
	const char *status = f->status ? f->status : "";
	const char *code = f->code ? f->code : "";
	struct bk_verdict v;
	memset(&v, 0, sizeof(v));
	/* the text the classifier reads: the diagnostic, else the code and
	 * status the provider gave */
	char text[4096];
	if (*diag)
		snprintf(text, sizeof(text), "%s", diag);
	else
		snprintf(text, sizeof(text), "%s%s%s", code, *code && *status ? " " : "", status);
	if (*text)
		bk_classify_text(text, strlen(text), &v);
	const char *reason;
	bool hard;
	if (f->forced) {
		reason = f->forced;
		hard = false;
		if (!strcmp(reason, "delivered") && strncmp(status, "2.", 2))
			status = !strncmp(v.status, "2.", 2) ? v.status : "2.0.0";
		if (!strcmp(reason, "feedback"))
			status = "";
	} else {
		reason = v.reason;
		hard = v.hardbounce;
		bool nothing = !*reason || !strcmp(reason, "undefined") || !strcmp(reason, "onhold");
		const char *want = f->said ? f->said : nothing ? f->hint : NULL;
		if (want) {
			reason = want;
			hard = reason_hard(reason) && (status[0] == '5' || (!*status && code[0] == '5') ||
						       (!*status && !*code));
		}
		if (!*reason)
			reason = "undefined";
		if (!*status)
			status = v.status;
		if (f->action && !strcmp(f->action, "delayed"))
			hard = false;
	}
	if (!*code && !f->forced)
		code = v.replycode;
	else if (!*code && f->forced && !strcmp(f->forced, "delivered"))
		code = v.replycode;
	char dom[330];
	snprintf(dom, sizeof(dom), "%s", strrchr(rcpt, '@') + 1);
	for (char *p = dom; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	const char *fdom = strrchr(from, '@');
	char lower[330];
	snprintf(lower, sizeof(lower), "%s", fdom ? fdom + 1 : "");
	for (char *p = lower; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	char lhostbuf[256], ltype[16];
	const char *lhost = f->lhost ? split_typed(f->lhost, ltype, sizeof(ltype)) : "";
	snprintf(lhostbuf, sizeof(lhostbuf), "%s", lhost);

	r->timestamp = f->ts;
	r->timezoneoffset = "+0000";
	r->origin = dup(b, origin);
	r->addresser = dup(b, from);
	r->senderdomain = dup(b, lower);
	r->recipient = dup(b, rcpt);
	r->destination = dup(b, dom);
	r->alias = "";
	r->action = dup(b, f->action ? f->action : "");
	r->deliverystatus = dup(b, status);
	r->replycode = dup(b, code);
	r->reason = dup(b, reason);
	r->diagnosticcode = dup(b, diag);
	r->diagnostictype = dup(b, *diag ? type : "");
	r->command = dup(b, f->forced ? "" : v.command);
	r->lhost = dup(b, lhostbuf);
	r->rhost = dup(b, f->rhost ? f->rhost : "");
	r->messageid = dup(b, mid);
	r->listid = "";
	r->subject = dup(b, f->subject ? f->subject : "");
	r->feedbacktype = dup(b, f->feedbacktype ? f->feedbacktype : "");
	r->feedbackid = "";
	r->hardbounce = hard;
	r->decodedby = decodedby[b->provider];
	r->timestampsource = "report";
	r->explain_json = NULL;
	/* Sisimai's token: SHA-1 of STX addresser RS recipient RS time ETX */
	char tb[800];
	int tn = snprintf(tb, sizeof(tb), "\x02%s\x1e%s\x1e%lld\x03", from, rcpt,
			  (long long)f->ts);
	unsigned char md[EVP_MAX_MD_SIZE];
	char tok[41] = "";
	if (tn > 0 && (size_t)tn < sizeof(tb) && digest(EVP_sha1(), tb, (size_t)tn, md))
		hex(md, 20, tok);
	r->token = dup(b, tok);
	h->event_id = dup(b, f->event_id ? f->event_id : "");
	json_t *cls = json_object();
	json_object_set_new(cls, "provider", json_string(names[b->provider]));
	if (json_is_object(f->cls))
		json_object_update(cls, f->cls);
	h->provider_class = keep(b, json_dumps(cls, JSON_COMPACT | JSON_SORT_KEYS));
	json_t *c = json_pack("{s:s, s:s, s:O}", "webhook", names[b->provider],
			      "event_id", h->event_id ? h->event_id : "", "class", cls);
	r->catch_json = c ? keep(b, json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS)) : NULL;
	json_decref(c);
	json_decref(cls);
	if (!r->origin || !r->addresser || !r->senderdomain || !r->recipient ||
	    !r->destination || !r->action || !r->deliverystatus || !r->replycode ||
	    !r->reason || !r->diagnosticcode || !r->diagnostictype || !r->command ||
	    !r->lhost || !r->rhost || !r->messageid || !r->subject ||
	    !r->feedbacktype || !r->token || !h->event_id || !h->provider_class ||
	    !r->catch_json)
		return -1;
	if (*h->event_id) {
		/* the key: provider, event id, recipient, action */
		char kb[2048];
		char lrcpt[330];
		snprintf(lrcpt, sizeof(lrcpt), "%s", rcpt);
		for (char *p = lrcpt; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		int kn = snprintf(kb, sizeof(kb), "webhook\x1f%s\x1f%s\x1f%s\x1f%s",
				  names[b->provider], h->event_id, lrcpt, r->action);
		if (kn > 0 && (size_t)kn < sizeof(kb) && digest(EVP_sha256(), kb, (size_t)kn, md))
			hex(md, 16, h->key);
	}
	b->n++;
	return 0;
}

/* A class object of the keys of o that are present, verbatim. */
static json_t *
pick(json_t *o, const char *const *keys)
{
	json_t *c = json_object();
	for (; *keys; keys++) {
		json_t *v = jget(o, *keys);
		if (v)
			json_object_set(c, *keys, v);
	}
	return c;
}

/* emit() with the provider's class: the keys of o that are present. */
static int
emit_class(struct bk_hook_batch *b, struct fields *f, const char *origin,
	   json_t *o, const char *const *keys)
{
	json_t *cls = pick(o, keys);
	f->cls = cls;
	int rc = emit(b, f, origin);
	json_decref(cls);
	f->cls = NULL;
	return rc;
}

/* ---- Amazon SES ---- */

static const char *
ses_said(const char *subtype)
{
	static const char *const map[][2] = {
		{ "Suppressed", "suppressed" },
		{ "OnAccountSuppressionList", "suppressed" },
		{ "MailboxFull", "mailboxfull" },
		{ "MessageTooLarge", "mesgtoobig" },
	};
	for (size_t i = 0; subtype && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(subtype, map[i][0]))
			return map[i][1];
	return NULL;
}

static void
ses_mail(json_t *mail, struct fields *f)
{
	json_t *ch = jget(mail, "commonHeaders");
	f->addresser = jstr(mail, "source");
	f->subject = jstr(ch, "subject");
	f->messageid = jstr(ch, "messageId");
	json_t *hs = jget(mail, "headers"), *h;
	size_t i;
	json_array_foreach(hs, i, h) {
		const char *n = jstr(h, "name");
		if (n && !strcasecmp(n, "Message-ID") && !f->messageid)
			f->messageid = jstr(h, "value");
		if (n && !strcasecmp(n, "Subject") && !f->subject)
			f->subject = jstr(h, "value");
	}
	if (!f->addresser) {
		json_t *from = jget(ch, "from");
		if (json_is_array(from))
			from = json_array_get(from, 0);
		if (json_is_string(from))
			f->addresser = json_string_value(from);
	}
	int64_t t;
	if (parse_time(jget(mail, "timestamp"), &t))
		f->ts = t;
}

static int
read_ses(struct bk_hook_batch *b, json_t *ev, const char *origin)
{
	const char *type = jstr(ev, "notificationType");
	const char *tkey = "notificationType";
	if (!type) {
		type = jstr(ev, "eventType");
		tkey = "eventType";
	}
	b->events++;
	if (!type) {
		bad_event(b, "%s", "an SES notification without notificationType or eventType");
		return 0;
	}
	struct fields base;
	memset(&base, 0, sizeof(base));
	json_t *mail = jget(ev, "mail");
	ses_mail(mail, &base);
	const char *mailid = jstr(mail, "messageId");
	int64_t t;
	json_t *obj, *list, *r;
	size_t i;
	char idbuf[600];
	if (!strcmp(type, "Bounce")) {
		obj = jget(ev, "bounce");
		static const char *const k[] = { "bounceType", "bounceSubType", NULL };
		json_t *cls = pick(obj, k);
		json_object_set_new(cls, tkey, json_string(type));
		list = jget(obj, "bouncedRecipients");
		if (parse_time(jget(obj, "timestamp"), &t))
			base.ts = t;
		base.lhost = jstr(obj, "reportingMTA");
		base.rhost = jstr(obj, "remoteMtaIp");
		base.said = ses_said(jstr(obj, "bounceSubType"));
		base.event_id = jstr(obj, "feedbackId");
		base.cls = cls;
		const char *btype = jstr(obj, "bounceType");
		if (!json_is_array(list) || !json_array_size(list))
			bad_event(b, "%s", "an SES bounce without bouncedRecipients");
		json_array_foreach(list, i, r) {
			struct fields f = base;
			f.recipient = jstr(r, "emailAddress");
			f.action = jstr(r, "action");
			if (!f.action)
				f.action = "failed";
			f.status = jstr(r, "status");
			f.diag = jstr(r, "diagnosticCode");
			if (btype && !strcmp(btype, "Transient") && !f.status && !f.diag)
				f.hint = "undefined";
			if (emit(b, &f, origin) < 0) {
				json_decref(cls);
				return -1;
			}
		}
		json_decref(cls);
		return 0;
	}
	if (!strcmp(type, "Complaint")) {
		obj = jget(ev, "complaint");
		static const char *const k[] = { "complaintFeedbackType", "complaintSubType", NULL };
		json_t *cls = pick(obj, k);
		json_object_set_new(cls, tkey, json_string(type));
		list = jget(obj, "complainedRecipients");
		if (parse_time(jget(obj, "timestamp"), &t))
			base.ts = t;
		base.forced = "feedback";
		base.feedbacktype = jstr(obj, "complaintFeedbackType");
		if (!base.feedbacktype)
			base.feedbacktype = "abuse";
		base.event_id = jstr(obj, "feedbackId");
		base.cls = cls;
		if (!json_is_array(list) || !json_array_size(list))
			bad_event(b, "%s", "an SES complaint without complainedRecipients");
		json_array_foreach(list, i, r) {
			struct fields f = base;
			f.recipient = jstr(r, "emailAddress");
			if (emit(b, &f, origin) < 0) {
				json_decref(cls);
				return -1;
			}
		}
		json_decref(cls);
		return 0;
	}
	if (!strcmp(type, "Delivery")) {
		obj = jget(ev, "delivery");
		json_t *cls = json_pack("{s:s}", tkey, type);
		list = jget(obj, "recipients");
		if (parse_time(jget(obj, "timestamp"), &t))
			base.ts = t;
		base.forced = "delivered";
		base.action = "delivered";
		base.diag = jstr(obj, "smtpResponse");
		base.lhost = jstr(obj, "reportingMTA");
		base.rhost = jstr(obj, "remoteMtaIp");
		snprintf(idbuf, sizeof(idbuf), "delivery:%s", mailid ? mailid : "");
		base.event_id = mailid ? idbuf : NULL;
		base.cls = cls;
		json_array_foreach(list, i, r) {
			struct fields f = base;
			f.recipient = json_is_string(r) ? json_string_value(r) : NULL;
			if (emit(b, &f, origin) < 0) {
				json_decref(cls);
				return -1;
			}
		}
		json_decref(cls);
		return 0;
	}
	if (!strcmp(type, "DeliveryDelay")) {
		obj = jget(ev, "deliveryDelay");
		static const char *const k[] = { "delayType", NULL };
		json_t *cls = pick(obj, k);
		json_object_set_new(cls, tkey, json_string(type));
		list = jget(obj, "delayedRecipients");
		const char *ts = jstr(obj, "timestamp");
		if (parse_time(jget(obj, "timestamp"), &t))
			base.ts = t;
		base.action = "delayed";
		base.lhost = jstr(obj, "reportingMTA");
		base.rhost = jstr(obj, "remoteMtaIp");
		snprintf(idbuf, sizeof(idbuf), "delay:%s:%s", mailid ? mailid : "", ts ? ts : "");
		base.event_id = mailid ? idbuf : NULL;
		base.cls = cls;
		json_array_foreach(list, i, r) {
			struct fields f = base;
			f.recipient = jstr(r, "emailAddress");
			f.status = jstr(r, "status");
			f.diag = jstr(r, "diagnosticCode");
			if (emit(b, &f, origin) < 0) {
				json_decref(cls);
				return -1;
			}
		}
		json_decref(cls);
		return 0;
	}
	/* Send, Reject, Open, Click, Rendering Failure, Subscription... */
	b->ignored++;
	return 0;
}

/* An SNS envelope: its Message holds the SES notification. */
static int
read_sns(struct bk_hook_batch *b, json_t *root, const char *origin, char *err,
	 size_t errlen)
{
	const char *type = jstr(root, "Type");
	if (!strcmp(type, "SubscriptionConfirmation")) {
		b->sns = BK_SNS_SUBSCRIBE;
		return 0;
	}
	if (!strcmp(type, "UnsubscribeConfirmation")) {
		b->sns = BK_SNS_UNSUBSCRIBE;
		return 0;
	}
	if (strcmp(type, "Notification")) {
		b->sns = BK_SNS_OTHER;
		b->ignored++;
		return 0;
	}
	b->sns = BK_SNS_NOTIFICATION;
	const char *msg = jstr(root, "Message");
	if (!msg) {
		snprintf(err, errlen, "an SNS notification without a Message string");
		return -1;
	}
	json_error_t je;
	json_t *ev = json_loads(msg, 0, &je);
	if (!json_is_object(ev)) {
		/* a notification of a topic that is not SES's */
		json_decref(ev);
		b->events++;
		b->ignored++;
		return 0;
	}
	int rc = read_ses(b, ev, origin);
	/* the records point into ev's strings: keep it with the root */
	json_object_set_new(root, "\x01parsed", ev);
	return rc;
}

/* ---- SendGrid ---- */

static int
read_sendgrid(struct bk_hook_batch *b, json_t *root, const char *origin)
{
	size_t i;
	json_t *e;
	json_array_foreach(root, i, e) {
		b->events++;
		const char *ev = jstr(e, "event");
		if (!ev) {
			bad_event(b, "%s", "a SendGrid event without \"event\"");
			continue;
		}
		struct fields f;
		memset(&f, 0, sizeof(f));
		f.recipient = jstr(e, "email");
		f.messageid = jstr(e, "smtp-id");
		f.event_id = jstr(e, "sg_event_id");
		int64_t t;
		if (parse_time(jget(e, "timestamp"), &t))
			f.ts = t;
		if (!strcmp(ev, "bounce")) {
			f.action = "failed";
			f.status = jstr(e, "status");
			f.diag = jstr(e, "reason");
			/* SendGrid's classes, for a text that says nothing */
			static const char *const hints[][2] = {
				{ "Invalid Address", "userunknown" },
				{ "Mailbox Unavailable", "userunknown" },
				{ "Reputation", "blocked" }, { "Content", "contenterror" },
				{ "Frequency or Volume Too High", "speeding" },
			};
			const char *bc = jstr(e, "bounce_classification");
			for (size_t k = 0; bc && k < sizeof(hints) / sizeof(hints[0]); k++)
				if (!strcmp(bc, hints[k][0]))
					f.hint = hints[k][1];
		} else if (!strcmp(ev, "deferred")) {
			f.action = "delayed";
			f.diag = jstr(e, "response");
			if (!f.diag)
				f.diag = jstr(e, "reason");
		} else if (!strcmp(ev, "delivered")) {
			f.action = "delivered";
			f.forced = "delivered";
			f.diag = jstr(e, "response");
		} else if (!strcmp(ev, "spamreport")) {
			f.forced = "feedback";
			f.feedbacktype = "abuse";
		} else {
			/* processed, dropped, open, click, unsubscribe... */
			b->ignored++;
			continue;
		}
		static const char *const k[] = { "event", "type", "bounce_classification", NULL };
		int rc = emit_class(b, &f, origin, e, k);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- Mailgun ---- */

static int
read_mailgun(struct bk_hook_batch *b, json_t *ed, const char *origin)
{
	b->events++;
	const char *ev = jstr(ed, "event");
	if (!ev) {
		bad_event(b, "%s", "a Mailgun event without \"event\"");
		return 0;
	}
	struct fields f;
	memset(&f, 0, sizeof(f));
	char code[32];
	json_t *ds = jget(ed, "delivery-status");
	json_t *hs = jget(jget(ed, "message"), "headers");
	f.recipient = jstr(ed, "recipient");
	f.messageid = jstr(hs, "message-id");
	f.subject = jstr(hs, "subject");
	f.addresser = jstr(jget(ed, "envelope"), "sender");
	if (!f.addresser)
		f.addresser = jstr(hs, "from");
	f.event_id = jstr(ed, "id");
	int64_t t;
	if (parse_time(jget(ed, "timestamp"), &t))
		f.ts = t;
	f.rhost = jstr(ds, "mx-host");
	if (!strcmp(ev, "failed")) {
		const char *sev = jstr(ed, "severity");
		f.action = sev && !strcmp(sev, "temporary") ? "delayed" : "failed";
		f.diag = jstr(ds, "message");
		if (!f.diag || !*f.diag)
			f.diag = jstr(ds, "description");
		f.code = jtext(ds, "code", code, sizeof(code));
		if (f.code && !strcmp(f.code, "0"))
			f.code = NULL;
		f.status = jstr(ds, "enhanced-code");
		const char *why = jstr(ed, "reason");
		if (why && !strcmp(why, "suppress-bounce"))
			f.hint = "suppressed";
	} else if (!strcmp(ev, "delivered")) {
		f.action = "delivered";
		f.forced = "delivered";
		f.diag = jstr(ds, "message");
	} else if (!strcmp(ev, "complained")) {
		f.forced = "feedback";
		f.feedbacktype = "abuse";
	} else {
		/* accepted, opened, clicked, unsubscribed, stored... */
		b->ignored++;
		return 0;
	}
	static const char *const k[] = { "event", "severity", "reason", NULL };
	int rc = emit_class(b, &f, origin, ed, k);
	return rc;
}

/* ---- Postmark ---- */

static int
read_postmark(struct bk_hook_batch *b, json_t *e, const char *origin)
{
	b->events++;
	const char *rt = jstr(e, "RecordType");
	struct fields f;
	memset(&f, 0, sizeof(f));
	char idbuf[600], idnum[32];
	const char *id = jtext(e, "ID", idnum, sizeof(idnum));
	const char *mid = jstr(e, "MessageID");
	f.messageid = mid;
	f.subject = jstr(e, "Subject");
	f.addresser = jstr(e, "From");
	int64_t t;
	if (!rt) {
		bad_event(b, "%s", "a Postmark event without RecordType");
		return 0;
	}
	if (!strcmp(rt, "Bounce") || !strcmp(rt, "SpamComplaint")) {
		const char *type = jstr(e, "Type");
		static const char *const ignore[] = {
			"Subscribe", "AutoResponder", "AddressChange", "OpenRelayTest",
			"ChallengeVerification", "Unsubscribe", NULL,
		};
		for (int i = 0; type && ignore[i]; i++)
			if (!strcmp(type, ignore[i])) {
				b->ignored++;
				return 0;
			}
		f.recipient = jstr(e, "Email");
		f.event_id = id;
		if (parse_time(jget(e, "BouncedAt"), &t))
			f.ts = t;
		if (!strcmp(rt, "SpamComplaint") || (type && !strcmp(type, "SpamComplaint"))) {
			f.forced = "feedback";
			f.feedbacktype = "abuse";
		} else {
			static const char *const hints[][2] = {
				{ "HardBounce", "userunknown" }, { "BadEmailAddress", "userunknown" },
				{ "DnsError", "networkerror" }, { "Blocked", "blocked" },
				{ "ManuallyDeactivated", "suppressed" },
				{ "SpamNotification", "spamdetected" },
				{ "VirusNotification", "virusdetected" },
				{ "DMARCPolicy", "authfailure" },
			};
			f.action = type && (!strcmp(type, "Transient") || !strcmp(type, "DnsError"))
					   ? "delayed" : "failed";
			f.diag = jstr(e, "Details");
			if (!f.diag || !*f.diag)
				f.diag = jstr(e, "Description");
			for (size_t i = 0; type && i < sizeof(hints) / sizeof(hints[0]); i++)
				if (!strcmp(type, hints[i][0]))
					f.hint = hints[i][1];
		}
	} else if (!strcmp(rt, "Delivery")) {
		f.recipient = jstr(e, "Recipient");
		f.action = "delivered";
		f.forced = "delivered";
		f.diag = jstr(e, "Details");
		if (parse_time(jget(e, "DeliveredAt"), &t))
			f.ts = t;
		snprintf(idbuf, sizeof(idbuf), "delivery:%s", mid ? mid : "");
		f.event_id = mid ? idbuf : NULL;
	} else {
		/* Open, Click, SubscriptionChange */
		b->ignored++;
		return 0;
	}
	static const char *const k[] = { "RecordType", "Type", "TypeCode", NULL };
	int rc = emit_class(b, &f, origin, e, k);
	return rc;
}

/* ---- SparkPost ---- */

static const char *
sparkpost_hint(const char *bc)
{
	static const char *const map[][2] = {
		{ "10", "userunknown" }, { "21", "networkerror" }, { "22", "mailboxfull" },
		{ "23", "mesgtoobig" }, { "24", "expired" }, { "25", "policyviolation" },
		{ "26", "suppressed" }, { "30", "userunknown" }, { "50", "blocked" },
		{ "51", "blocked" }, { "52", "spamdetected" }, { "53", "securityerror" },
		{ "54", "norelaying" },
	};
	for (size_t i = 0; bc && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(bc, map[i][0]))
			return map[i][1];
	return NULL;
}

static int
read_sparkpost(struct bk_hook_batch *b, json_t *root, const char *origin)
{
	size_t i;
	json_t *e;
	json_array_foreach(root, i, e) {
		json_t *msys = jget(e, "msys");
		if (!json_is_object(msys)) {
			b->events++;
			bad_event(b, "%s", "a SparkPost event without \"msys\"");
			continue;
		}
		json_t *me = jget(msys, "message_event");
		if (!me) {
			/* the ping of a new webhook ({"msys":{}}), track_event,
			 * gen_event, unsubscribe_event, relay_event */
			b->events++;
			b->ignored++;
			continue;
		}
		b->events++;
		const char *type = jstr(me, "type");
		struct fields f;
		memset(&f, 0, sizeof(f));
		char code[32], bcbuf[32];
		f.recipient = jstr(me, "rcpt_to");
		f.addresser = jstr(me, "msg_from");
		f.subject = jstr(me, "subject");
		f.event_id = jstr(me, "event_id");
		int64_t t;
		if (parse_time(jget(me, "timestamp"), &t))
			f.ts = t;
		if (!type) {
			bad_event(b, "%s", "a SparkPost message_event without \"type\"");
			continue;
		}
		if (!strcmp(type, "bounce") || !strcmp(type, "out_of_band") ||
		    !strcmp(type, "delay")) {
			const char *bc = jtext(me, "bounce_class", bcbuf, sizeof(bcbuf));
			if (bc && (!strcmp(bc, "60") || !strcmp(bc, "80") || !strcmp(bc, "90") ||
				   !strcmp(bc, "100"))) {
				/* auto-reply, subscribe, unsubscribe, challenge */
				b->ignored++;
				continue;
			}
			f.action = !strcmp(type, "delay") ? "delayed" : "failed";
			f.diag = jstr(me, "raw_reason");
			if (!f.diag)
				f.diag = jstr(me, "reason");
			f.code = jtext(me, "error_code", code, sizeof(code));
			f.hint = sparkpost_hint(bc);
		} else if (!strcmp(type, "delivery")) {
			f.action = "delivered";
			f.forced = "delivered";
			f.diag = jstr(me, "raw_reason");
		} else if (!strcmp(type, "spam_complaint")) {
			f.forced = "feedback";
			f.feedbacktype = jstr(me, "fbtype");
			if (!f.feedbacktype)
				f.feedbacktype = "abuse";
		} else {
			/* injection, policy_rejection, sms_status... */
			b->ignored++;
			continue;
		}
		static const char *const k[] = { "type", "bounce_class", "fbtype", NULL };
		int rc = emit_class(b, &f, origin, me, k);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- the payload ---- */

static enum bk_hook_provider
detect(json_t *root)
{
	if (json_is_object(root)) {
		if (jstr(root, "Type") && (jget(root, "TopicArn") || jget(root, "Message")))
			return BK_HOOK_SES;
		if ((jstr(root, "notificationType") || jstr(root, "eventType")) && jget(root, "mail"))
			return BK_HOOK_SES;
		if (json_is_object(jget(root, "event-data")))
			return BK_HOOK_MAILGUN;
		if (jstr(root, "RecordType"))
			return BK_HOOK_POSTMARK;
		if (jget(root, "msys"))
			return BK_HOOK_SPARKPOST;
		return BK_HOOK_ANY;
	}
	if (json_is_array(root)) {
		json_t *e = json_array_get(root, 0);
		if (jget(e, "msys"))
			return BK_HOOK_SPARKPOST;
		if (jget(e, "sg_event_id") || (jget(e, "event") && jget(e, "email")))
			return BK_HOOK_SENDGRID;
	}
	return BK_HOOK_ANY;
}

int
bk_hook_read(struct bk_hook_batch *b, enum bk_hook_provider provider,
	     const char *data, size_t len, const char *origin, char *err,
	     size_t errlen)
{
	bk_hook_batch_clear(b);
	if (len > MAX_PAYLOAD) {
		snprintf(err, errlen, "the payload is over %u bytes", MAX_PAYLOAD);
		return -1;
	}
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(err, errlen, "bad JSON: %s (line %d, column %d)", je.text,
			 je.line, je.column);
		return -1;
	}
	b->root = root;
	enum bk_hook_provider found = detect(root);
	if (provider == BK_HOOK_ANY) {
		provider = found;
		if (provider == BK_HOOK_ANY && json_is_array(root) && !json_array_size(root))
			return 0;
		if (provider == BK_HOOK_ANY) {
			snprintf(err, errlen,
				 "not the event payload of a provider we read (Amazon SES, "
				 "SendGrid, Mailgun, Postmark, SparkPost)");
			return -1;
		}
	}
	b->provider = provider;
	int rc = -1;
	const char *want = NULL;
	switch (provider) {
	case BK_HOOK_SES:
		if (!json_is_object(root)) {
			want = "an SES notification or SNS message (a JSON object)";
		} else if (jstr(root, "Type") && !jget(root, "mail")) {
			rc = read_sns(b, root, origin, err, errlen);
			if (rc < 0)
				return rc;
		} else {
			rc = read_ses(b, root, origin);
		}
		break;
	case BK_HOOK_SENDGRID:
		if (!json_is_array(root))
			want = "a SendGrid event array";
		else
			rc = read_sendgrid(b, root, origin);
		break;
	case BK_HOOK_MAILGUN: {
		json_t *ed = jget(root, "event-data");
		if (!json_is_object(ed) && jstr(root, "event"))
			ed = root;
		if (!json_is_object(ed))
			want = "a Mailgun webhook body ({\"signature\":..., \"event-data\":...})";
		else
			rc = read_mailgun(b, ed, origin);
		break;
	}
	case BK_HOOK_POSTMARK:
		if (!json_is_object(root) || !jstr(root, "RecordType"))
			want = "a Postmark event (an object with RecordType)";
		else
			rc = read_postmark(b, root, origin);
		break;
	case BK_HOOK_SPARKPOST:
		if (json_is_object(root) && jget(root, "msys")) {
			json_t *arr = json_array();
			json_array_append(arr, root);
			rc = read_sparkpost(b, arr, origin);
			json_decref(arr);
		} else if (!json_is_array(root)) {
			want = "a SparkPost event array";
		} else {
			rc = read_sparkpost(b, root, origin);
		}
		break;
	default:
		break;
	}
	if (want) {
		snprintf(err, errlen, "not %s", want);
		return -1;
	}
	if (rc < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!b->n && b->bad) {
		snprintf(err, errlen, "%s", b->bad_msg);
		return -1;
	}
	return (int)b->n;
}
