/* SPDX-License-Identifier: BSD-2-Clause */
/* fact.c - from what a decoder found to records (SPEC 3): the sender, the
 * time, the hosts, the original message's identity, the cleaned
 * diagnostic, status and reply code, the reason, the hard/soft verdict and
 * the token. */
#include <stdlib.h>
#include <time.h>

#include "report.h"

#include "core/json.h"

#include "reason/reason.h"
#include "reason/rule.h"

struct bk_message {
	const struct bk_msg *m;
};

/* ---- the returned message ---- */

struct orig {
	struct bk_hdrs h;
};

/* The fields of the returned message a record reads (the lists below,
 * Message-Id, List-Id, Subject, Feedback-Id, Received): the rest of its
 * header block is passed over. */
#define orig_wanted (BK_HDR_WANT("from") | BK_HDR_WANT("return-path") | \
	BK_HDR_WANT("reply-to") | BK_HDR_WANT("errors-to") | \
	BK_HDR_WANT("sender") | BK_HDR_WANT("x-envelope-from") | \
	BK_HDR_WANT("date") | BK_HDR_WANT("posted-date") | \
	BK_HDR_WANT("posted") | BK_HDR_WANT("resent-date") | \
	BK_HDR_WANT("message-id") | BK_HDR_WANT("list-id") | \
	BK_HDR_WANT("subject") | BK_HDR_WANT("feedback-id") | \
	BK_HDR_WANT("received"))

static void
load_orig(struct bk_report *p, struct bk_msg *m, struct bk_dctx *dc,
	  struct orig *o)
{
	struct bk_sv text = dc->orig.p ? dc->orig : m->flat.orig;
	struct bk_sv body;
	memset(o, 0, sizeof(*o));
	if (!text.p)
		return;
	text = bk_sv_ltrim(text);
	bk_hdrs_parse_only(p->arena, text, &p->opt->limits, &o->h, &body,
			   p->warn, orig_wanted);
}

/* A literal name: the compiler computes its hash. */
#define orig_get(o, name) bk_hdrs_get(&(o)->h, BK_SV(name))

/* The fields every record of a message shares: made once, at its first
 * record, and pointed to by all of them (a report on thousands of
 * recipients does not decode the same Subject thousands of times). */
struct shared {
	bool done;
	struct bk_sv addresser;
	const char *addr, *senderdomain, *messageid, *listid, *subject,
		   *feedbackid, *catch_json;
	/* the time when a delivery gives none: 0 not looked for yet,
	 * else the enum time_source it came from */
	int when;
	int64_t t;
	int off;
};

/* Where a record's timestamp came from (docs/record.md, the field
 * "timestampsource"), in the order they are tried. */
enum time_source {
	TS_NONE, TS_REPORT, TS_LAST_ATTEMPT, TS_ARRIVAL, TS_ORIGINAL, TS_DATE,
	TS_RECEIVED, TS_ORIGINAL_RECEIVED, TS_MBOX, TS_DECODED,
};
static const char *const time_source_name[] = {
	[TS_NONE] = "", [TS_REPORT] = "report",
	[TS_LAST_ATTEMPT] = "last-attempt-date", [TS_ARRIVAL] = "arrival-date",
	[TS_ORIGINAL] = "original-date", [TS_DATE] = "date",
	[TS_RECEIVED] = "received", [TS_ORIGINAL_RECEIVED] = "original-received",
	[TS_MBOX] = "mbox", [TS_DECODED] = "decoded",
};

/* RFC 5322 3.6.2/3.6.3 and the envelope headers MTAs add. */
static const struct bk_sv addresser_fields[] = {
	BK_SVI("from"), BK_SVI("return-path"), BK_SVI("reply-to"),
	BK_SVI("errors-to"), BK_SVI("sender"), BK_SVI("x-envelope-from"),
};
static const struct bk_sv date_fields[] = {
	BK_SVI("date"), BK_SVI("posted-date"), BK_SVI("posted"),
	BK_SVI("resent-date"),
};

static struct bk_sv
find_addresser(struct bk_report *p, struct bk_msg *m, const struct orig *o)
{
	for (size_t i = 0; i < BK_NELEM(addresser_fields); i++) {
		struct bk_sv v = bk_hdrs_get(&o->h, addresser_fields[i]);
		if (!v.p)
			continue;
		struct bk_sv a = bk_addr_find(p->arena, v);
		if (a.p)
			return a;
	}
	/* the bounce goes back to the sender of the original */
	struct bk_sv to = bk_msg_header(m, BK_SV("to"));
	if (to.p) {
		struct bk_sv a = bk_addr_find(p->arena, to);
		if (a.p)
			return a;
	}
	return bk_sv_make("", 0);
}

/* The date of the newest Received: field of h (the first) that states
 * one: after its last ';'. */
static bool
received_time(const struct bk_hdrs *h, int64_t *t, int *off)
{
	struct bk_sv rcvd = BK_SV("received");
	uint32_t hash = bk_hdr_hash(rcvd);
	for (size_t k = 0; k < h->n; k++) {
		if (h->v[k].hash != hash || !bk_sv_ieq(h->v[k].name, rcvd))
			continue;
		struct bk_sv v = bk_hdr_value(h, k);
		long semi = bk_sv_rfindc(v, ';');
		if (semi >= 0 &&
		    bk_date_parse(bk_sv_trim(bk_sv_from(v, (size_t)semi + 1)),
				  t, off))
			return true;
	}
	return false;
}

/* "From sender@example.com  Sat Dec  6 20:50:50 2026": the date of the
 * mbox separator line the message still starts with. */
static bool
mbox_time(const struct bk_msg *m, int64_t *t, int *off)
{
	struct bk_sv rest = m->raw, line;
	if (!bk_sv_starts(rest, BK_SV("From ")) || !bk_sv_next_line(&rest, &line))
		return false;
	line = bk_sv_ltrim(bk_sv_from(line, 5));
	long sp = bk_sv_findc(line, ' ');
	if (sp < 0)
		return false;
	return bk_date_parse(bk_sv_trim(bk_sv_from(line, (size_t)sp)), t, off);
}

/* When no delivery states its date: the returned message's date, the
 * bounce's, the newest Received: of the bounce, then of the returned
 * message, the mbox "From " line, and at last the time of decoding.
 * Returns the enum time_source. */
static int
message_time(struct bk_msg *m, const struct orig *o, int64_t *t, int *off)
{
	for (size_t i = 0; i < BK_NELEM(date_fields); i++) {
		struct bk_sv v = bk_hdrs_get(&o->h, date_fields[i]);
		if (v.p && bk_date_parse(v, t, off))
			return TS_ORIGINAL;
	}
	struct bk_sv v = bk_msg_header(m, BK_SV("date"));
	if (v.p && bk_date_parse(v, t, off))
		return TS_DATE;
	if (received_time(&m->hdrs, t, off))
		return TS_RECEIVED;
	if (received_time(&o->h, t, off))
		return TS_ORIGINAL_RECEIVED;
	if (mbox_time(m, t, off))
		return TS_MBOX;
	*t = (int64_t)time(NULL);
	*off = 0;
	return TS_DECODED;
}

/* The time of a delivery: its own date (Last-Attempt-Date, else
 * Arrival-Date, or the date the format states), else the message's. */
static int
find_time(struct bk_msg *m, const struct orig *o, const struct bk_dlv *d,
	  struct shared *sh, int64_t *t, int *off)
{
	if (d->date.n && bk_date_parse(d->date, t, off))
		return d->datekind == BK_DATE_LAST_ATTEMPT ? TS_LAST_ATTEMPT
		       : d->datekind == BK_DATE_ARRIVAL ? TS_ARRIVAL : TS_REPORT;
	if (d->arrival.n && bk_date_parse(d->arrival, t, off))
		return TS_ARRIVAL;
	if (!sh->when)
		sh->when = message_time(m, o, &sh->t, &sh->off);
	*t = sh->t;
	*off = sh->off;
	return sh->when;
}

/* ---- hosts ---- */

static bool
is_ipv4(struct bk_sv s)
{
	int dots = 0;
	if (!s.n)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] == '.')
			dots++;
		else if (!bk_is_digit((unsigned char)s.p[i]))
			return false;
	}
	return dots == 3;
}

static bool
is_hostname(struct bk_sv s)
{
	if (s.n < 4 || s.n > 255 || bk_sv_findc(s, '.') <= 0)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (!(bk_is_alpha(c) || bk_is_digit(c) || c == '.' || c == '-'))
			return false;
	}
	return !is_ipv4(s) && bk_is_alpha((unsigned char)s.p[s.n - 1]);
}

/* "from mx.example.org (mx.example.org [192.0.2.1]) by mx.example.net"
 * -> the host after "from" (want_by false) or after "by". */
static struct bk_sv
received_host(struct bk_sv v, bool want_by)
{
	struct bk_sv key = want_by ? BK_SV("by ") : BK_SV("from ");
	long at = -1;
	if (!want_by && bk_sv_istarts(v, key))
		at = 0;
	else {
		long k = bk_sv_ifind(v, want_by ? BK_SV(" by ") : BK_SV(" from "));
		if (k >= 0)
			at = k + 1;
		else if (bk_sv_istarts(v, key))
			at = 0;
	}
	if (at < 0)
		return BK_SV_NULL;
	struct bk_sv r = bk_sv_ltrim(bk_sv_from(v, (size_t)at + key.n));
	size_t e = 0;
	while (e < r.n && !bk_is_space((unsigned char)r.p[e]) && r.p[e] != ';' &&
	       r.p[e] != '(')
		e++;
	return bk_sv_slice(r, 0, e);
}

/* A hostname in a diagnostic text ("host mx.example.org[192.0.2.1] said") */
struct bk_sv
bk_host_in_text(struct bk_sv t)
{
	static const struct bk_sv keys[] = { BK_SVI("host "), BK_SVI("remote-mta: dns; "),
		BK_SVI("mx "), BK_SVI("from ") };
	for (size_t k = 0; k < BK_NELEM(keys); k++) {
		struct bk_sv r = bk_sv_iafter(t, keys[k]);
		if (!r.p)
			continue;
		size_t e = 0;
		while (e < r.n && (bk_is_alpha((unsigned char)r.p[e]) ||
				   bk_is_digit((unsigned char)r.p[e]) ||
				   r.p[e] == '.' || r.p[e] == '-'))
			e++;
		struct bk_sv h = bk_sv_slice(r, 0, e);
		while (h.n && h.p[h.n - 1] == '.')
			h.n--;
		if (is_hostname(h))
			return h;
	}
	return BK_SV_NULL;
}

/* Brackets, CR and NUL bytes do not belong in a host name. */
static bool
host_junk(char c)
{
	return c == '(' || c == ')' || c == '[' || c == ']' || c == '\r' ||
	       c == '\0';
}

/* v without its junk bytes; copied only when it has some. */
static struct bk_sv
drop_junk(struct bk_arena *a, struct bk_sv v)
{
	size_t i = 0;
	/* most bytes of a name are letters, above every junk byte */
	while (i < v.n && ((unsigned char)v.p[i] > ']' || !host_junk(v.p[i])))
		i++;
	if (i == v.n)
		return v;
	char *out = bk_arena_alloc(a, v.n + 1);
	if (!out)
		return bk_sv_make("", 0);
	size_t o = 0;
	for (i = 0; i < v.n; i++)
		if (!host_junk(v.p[i]))
			out[o++] = v.p[i];
	out[o] = '\0';
	return bk_sv_make(out, o);
}

/* Tidy a host value: the domain of an address, no brackets, the first
 * name of a list, no trailing dot. */
struct bk_sv
bk_clean_host(struct bk_arena *a, struct bk_sv v)
{
	v = bk_sv_trim(v);
	if (!v.n)
		return v;
	long at = bk_sv_rfindc(v, '@');
	if (at >= 0)
		v = bk_sv_from(v, (size_t)at + 1);
	long eq = bk_sv_findc(v, '=');
	if (eq >= 0)
		v = bk_sv_from(v, (size_t)eq + 1);
	v = bk_sv_trim(drop_junk(a, v));
	if (bk_sv_findc(v, ' ') > 0) {
		struct bk_sv rest = v, w, first = BK_SV_NULL;
		while (rest.p && rest.n) {
			rest = bk_sv_cut(rest, ' ', &w);
			if (!first.p && w.n)
				first = w;
			if (w.n && !is_ipv4(w)) {
				first = w;
				break;
			}
		}
		v = first.p ? first : v;
	}
	while (v.n && v.p[v.n - 1] == '.')
		v.n--;
	return v;
}

/* The index of the last Received: field before index k, h->n when none:
 * walking the fields backwards keeps the walk linear. */
static size_t
prev_received(const struct bk_hdrs *h, size_t k)
{
	struct bk_sv rcvd = BK_SV("received");
	uint32_t hash = bk_hdr_hash(rcvd);
	while (k-- > 0)
		if (h->v[k].hash == hash && bk_sv_ieq(h->v[k].name, rcvd))
			return k;
	return h->n;
}

/* The sending host of the last Received: that names one (the MTA nearest
 * the sender), BK_SV_NULL when none does. */
static struct bk_sv
last_received_host(struct bk_msg *m)
{
	const struct bk_hdrs *h = &m->hdrs;
	for (size_t k = h->n; (k = prev_received(h, k)) < h->n;) {
		struct bk_sv host = received_host(bk_hdr_value(h, k), false);
		if (is_hostname(host))
			return host;
	}
	return BK_SV_NULL;
}

/* The sending host of the first Received: that names one, tidied. */
static struct bk_sv
first_received_host(struct bk_msg *m)
{
	struct bk_sv rcvd = BK_SV("received");
	uint32_t hash = bk_hdr_hash(rcvd);
	const struct bk_hdrs *h = &m->hdrs;
	for (size_t k = bk_hdrs_next(h, rcvd, hash, 0); k < h->n;
	     k = bk_hdrs_after(h, k)) {
		struct bk_sv host = received_host(bk_hdr_value(h, k), false);
		if (is_hostname(host))
			return bk_clean_host(m->arena, host);
	}
	return BK_SV("");
}

static void
find_hosts(struct bk_msg *m, struct bk_dlv *d, struct bk_sv diag,
	   struct bk_sv *rhost, struct bk_sv *lhost)
{
	struct bk_sv r = d->rhost, l = d->lhost;
	if (!r.n) {
		r = bk_host_in_text(diag);
		if (!r.p)
			r = last_received_host(m);
	}
	*rhost = bk_clean_host(m->arena, r.p ? r : BK_SV(""));
	*lhost = bk_clean_host(m->arena, l);
	if (bk_sv_ieq(*rhost, *lhost))
		*lhost = BK_SV("");
	if (!lhost->n)
		*lhost = first_received_host(m);
}

/* ---- the diagnostic text ---- */

struct bk_sv
bk_clean_diag(struct bk_arena *a, struct bk_sv in, const char *status,
	   const char *reply)
{
	struct bk_sv tail = BK_SV_NULL;
	long h1 = bk_sv_ifind(in, BK_SV("<html>"));
	long h2 = h1 > 0 ? bk_sv_ifind(in, BK_SV("</html>")) : -1;
	if (h1 > 0 && h2 > h1) {
		tail = bk_sv_from(in, (size_t)h2 + 7);
		in = bk_sv_slice(in, 0, (size_t)h1);
	}
	struct bk_sv rv = bk_sv_c(reply), st = bk_sv_c(status);
	bool multi = false;
	if (rv.n == 3) {
		char pfx_dash[4] = { reply[0], reply[1], reply[2], '-' };
		multi = bk_sv_contains(in, bk_sv_make(pfx_dash, 4));
	}
	/* room for the text, and the code and status put in front */
	size_t room = in.n + tail.n + 2 + (multi ? 4 + st.n + 1 : 0);
	char *buf = bk_arena_alloc(a, room + 1);
	if (!buf)
		return bk_sv_make("", 0);
	struct bk_squeezer q = { buf, 0, true };
	if (multi) {
		memcpy(buf, reply, 3);
		buf[3] = ' ';
		q.o = 4;
		if (st.n) {
			memcpy(buf + 4, st.p, st.n);
			buf[4 + st.n] = ' ';
			q.o += st.n + 1;
		}
	}
	bk_squeeze_run(&q, in, multi ? rv : BK_SV_NULL, st);
	if (tail.p) {
		bk_squeeze_space(&q);
		bk_squeeze_run(&q, tail, multi ? rv : BK_SV_NULL, st);
	}
	buf[q.o] = '\0';
	return bk_sv_trim(bk_sv_make(buf, q.o));
}

/* Find and settle the status and reply code of one delivery. */
void
bk_settle_codes(struct bk_dlv *d, struct bk_sv diag, char status[BK_STATUS_MAX],
	     char reply[4], char cs[BK_STATUS_MAX])
{
	char cr[4] = "";
	cs[0] = status[0] = reply[0] = '\0';
	if (diag.n) {
		bk_status_find(diag, 0, cs);
		bk_reply_find(diag, cs[0], cr);
	}
	struct bk_sv field = bk_sv_trim(d->status);
	char fbuf[BK_STATUS_MAX] = "";
	if (field.n && !bk_status_valid(field)) {
		/* "5.1.1 (bad destination mailbox)": take the code */
		if (bk_status_find(field, 0, fbuf))
			field = bk_sv_c(fbuf);
		else
			field = BK_SV("");
	}
	struct bk_sv pick = bk_status_prefer(field, bk_sv_c(cs), bk_sv_c(cr));
	size_t pn = BK_MIN(pick.n, (size_t)BK_STATUS_MAX - 1);
	memcpy(status, pick.p, pn);
	status[pn] = '\0';
	struct bk_sv rc = bk_sv_trim(d->replycode);
	if (rc.n == 3 && bk_reply_valid(rc))
		memcpy(reply, rc.p, 3), reply[3] = '\0';
	else if (cr[0])
		memcpy(reply, cr, 4);
}

/* ---- records ---- */

/* Diagnostic types are written in upper case ("smtp" -> "SMTP"). */
static struct bk_sv
upper(struct bk_arena *a, struct bk_sv s)
{
	char *p = bk_arena_alloc(a, s.n + 1);
	if (!p)
		return s;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		p[i] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
	}
	p[s.n] = '\0';
	return bk_sv_make(p, s.n);
}

/* Record fields are UTF-8 C strings (bouncekit.h): raw 8-bit bytes (an
 * address in an undecoded header) become U+FFFD, and so does a NUL byte,
 * which would end the field early and hide what follows. */
/* Printable ASCII through and through (the usual field): nothing to fix.
 * Eight bytes at a time: no byte with the top bit set, none zero; the
 * last word, and a short field's two halves, overlap what was tested. */
static bool
bad64(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
	return ((x | ((x - ones) & ~x)) & high) != 0;
}

static bool
bad32(uint32_t x)
{
	const uint32_t ones = 0x01010101u, high = ones * 0x80;
	return ((x | ((x - ones) & ~x)) & high) != 0;
}

static bool
plain(struct bk_sv s)
{
	if (s.n >= 8) {
		uint64_t x;
		for (size_t i = 0; i + 8 < s.n; i += 8) {
			memcpy(&x, s.p + i, 8);
			if (bad64(x))
				return false;
		}
		memcpy(&x, s.p + s.n - 8, 8);
		return !bad64(x);
	}
	if (s.n >= 4) {
		uint32_t x, y;
		memcpy(&x, s.p, 4);
		memcpy(&y, s.p + s.n - 4, 4);
		return !bad32(x) && !bad32(y);
	}
	for (size_t i = 0; i < s.n; i++)
		if (!s.p[i] || (unsigned char)s.p[i] >= 0x80)
			return false;
	return true;
}

/* n bytes from src to dst: a field of up to sixteen as two overlapping
 * words, without a call. */
static void
copy_short(char *dst, const char *src, size_t n)
{
	if (n > 16) {
		memcpy(dst, src, n);
	} else if (n >= 8) {
		uint64_t x, y;
		memcpy(&x, src, 8);
		memcpy(&y, src + n - 8, 8);
		memcpy(dst, &x, 8);
		memcpy(dst + n - 8, &y, 8);
	} else if (n >= 4) {
		uint32_t x, y;
		memcpy(&x, src, 4);
		memcpy(&y, src + n - 4, 4);
		memcpy(dst, &x, 4);
		memcpy(dst + n - 4, &y, 4);
	} else {
		for (size_t i = 0; i < n; i++)
			dst[i] = src[i];
	}
}

/* A field with 8-bit or NUL bytes, repaired (the rare case). */
static __attribute__((noinline)) const char *
cstr_fix(struct bk_arena *a, struct bk_sv s)
{
	s = bk_utf8_fix(a, s);
	if (s.n == 0 || !memchr(s.p, '\0', s.n))
		return bk_arena_cstr(a, s);
	struct bk_sb sb;
	bk_sb_init(&sb, a, s.n + 16);
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i])
			bk_sb_addc(&sb, s.p[i]);
		else
			bk_sb_add(&sb, "\xef\xbf\xbd", 3);
	}
	return bk_sb_sv(&sb).p;
}

/* The usual field, plain ASCII, copied here. */
static const char *
cstr(struct bk_arena *a, struct bk_sv s)
{
	if (!plain(s))
		return cstr_fix(a, s);
	char *p = s.n ? bk_arena_alloc(a, s.n + 1) : NULL;
	if (!p)
		return "";
	copy_short(p, s.p, s.n);
	p[s.n] = '\0';
	return p;
}

static struct bk_sv
angle_id(struct bk_sv v, char open, char close)
{
	long a = bk_sv_findc(v, open), b = bk_sv_rfindc(v, close);
	if (a < 0 || b <= a)
		return BK_SV_NULL;
	return bk_sv_trim(bk_sv_slice(v, (size_t)a + 1, (size_t)b));
}

/* The address after " for " in the last Received: of the returned message
 * that names one other than the recipient. */
static struct bk_sv
alias_from_received(struct bk_msg *m, const struct orig *o, struct bk_sv rcpt)
{
	const struct bk_hdrs *h = &o->h;
	for (size_t k = h->n; (k = prev_received(h, k)) < h->n;) {
		struct bk_sv f = bk_sv_iafter(bk_hdr_value(h, k), BK_SV(" for "));
		if (!f.p)
			continue;
		struct bk_sv a = bk_addr_find(m->arena, bk_sv_ibefore(f, BK_SV(";")));
		if (a.p && !bk_sv_ieq(a, rcpt))
			return a;
	}
	return BK_SV_NULL;
}

static void
run_hook(struct bk_report *p, struct bk_msg *m)
{
	free(p->catch_json);
	p->catch_json = NULL;
	if (!p->opt->catch_fn)
		return;
	struct bk_message msg = { m };
	p->catch_json = p->opt->catch_fn(&msg, p->opt->catch_arg);
}

/* Decimal digits of v into out (no NUL); returns their count.  Two
 * digits a division. */
static size_t
put_int(char *out, int64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324"
		"25262728293031323334353637383940414243444546474849"
		"50515253545556575859606162636465666768697071727374"
		"75767778798081828384858687888990919293949596979899";
	char tmp[24];
	size_t n = sizeof(tmp);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	for (; u >= 100; u /= 100) {
		size_t d = (size_t)(u % 100) * 2;
		tmp[--n] = pairs[d + 1];
		tmp[--n] = pairs[d];
	}
	if (u >= 10) {
		tmp[--n] = pairs[2 * u + 1];
		tmp[--n] = pairs[2 * u];
	} else {
		tmp[--n] = (char)('0' + u);
	}
	size_t o = 0;
	if (v < 0)
		out[o++] = '-';
	copy_short(out + o, tmp + n, sizeof(tmp) - n);
	return o + sizeof(tmp) - n;
}

/* Sisimai's token: SHA-1 of STX addresser RS recipient RS time ETX. */
static const char *
token(struct bk_arena *a, const char *addresser, const char *recipient,
      int64_t t)
{
	size_t an = strlen(addresser), rn = strlen(recipient);
	char *buf = bk_arena_alloc(a, an + rn + 32);
	char *tok = bk_arena_alloc(a, 41);
	if (!buf || !tok)
		return NULL;
	size_t o = 0;
	buf[o++] = '\x02';
	memcpy(buf + o, addresser, an);
	o += an;
	buf[o++] = '\x1e';
	memcpy(buf + o, recipient, rn);
	o += rn;
	buf[o++] = '\x1e';
	o += put_int(buf + o, t);
	buf[o++] = '\x03';
	bk_sha1_hex(buf, o, tok);
	return tok;
}

static void
make_shared(struct bk_report *p, const struct orig *o, struct shared *sh)
{
	struct bk_arena *a = p->arena;
	sh->done = true;
	sh->addr = cstr(a, sh->addresser);
	sh->senderdomain = cstr(a, bk_addr_domain(sh->addresser));
	struct bk_sv mid = orig_get(o, "message-id");
	sh->messageid = cstr(a, mid.p && bk_sv_findc(mid, '@') > 0
				    ? angle_id(mid, '<', '>') : BK_SV(""));
	struct bk_sv lid = orig_get(o, "list-id");
	sh->listid = cstr(a, lid.p ? angle_id(lid, '<', '>') : BK_SV(""));
	struct bk_sv subj = orig_get(o, "subject");
	sh->subject = cstr(a, subj.p ? bk_rfc2047_decode(p->cs, a, subj, p->warn)
				     : BK_SV(""));
	struct bk_sv fid = orig_get(o, "feedback-id");
	sh->feedbackid = cstr(a, fid.p ? fid : BK_SV(""));
	sh->catch_json = p->catch_json ? bk_json_valid_or_string(a, p->catch_json)
				       : NULL;
}

static bool
make_one(struct bk_report *p, struct bk_msg *m, const struct orig *o,
	 struct bk_dlv *d, const char *decoder, struct shared *sh,
	 struct bk_record *r)
{
	struct bk_arena *a = p->arena;
	int64_t t;
	int off;
	char status[BK_STATUS_MAX], reply[4], zone[6];
	char intext[BK_STATUS_MAX];

	if (!bk_addr_valid(d->recipient))
		return false;
	int tsrc = find_time(m, o, d, sh, &t, &off);
	struct bk_sv diag0 = d->diag;
	bk_settle_codes(d, diag0, status, reply, intext);
	if (status[0] == '2' && !p->opt->delivered)
		return false;
	if (bk_said_reason(d->said) == BK_R_VACATION && !p->opt->vacation)
		return false;
	struct bk_sv diag = bk_clean_diag(a, diag0, intext, reply);

	if (!sh->done)
		make_shared(p, o, sh);
	memset(r, 0, sizeof(*r));
	r->timestamp = t;
	r->timestampsource = time_source_name[tsrc];
	bk_date_offset_str(off, zone);
	r->timezoneoffset = cstr(a, bk_sv_c(zone));
	r->origin = m->origin;
	r->addresser = sh->addr;
	r->senderdomain = sh->senderdomain;
	r->recipient = cstr(a, d->recipient);
	r->destination = cstr(a, bk_addr_domain(d->recipient));
	struct bk_sv alias = d->alias;
	if (!alias.n || bk_sv_ieq(alias, d->recipient))
		alias = alias_from_received(m, o, d->recipient);
	r->alias = cstr(a, alias.p && !bk_sv_ieq(alias, d->recipient) ? alias : BK_SV(""));
	struct bk_sv rhost, lhost;
	find_hosts(m, d, diag, &rhost, &lhost);
	r->rhost = cstr(a, rhost);
	r->lhost = cstr(a, lhost);
	r->messageid = sh->messageid;
	r->listid = sh->listid;
	r->subject = sh->subject;
	r->feedbackid = sh->feedbackid;
	r->command = cstr(a, bk_command_valid(d->command) ? d->command : BK_SV(""));
	r->feedbacktype = cstr(a, d->feedbacktype);
	r->decodedby = d->agent.n ? cstr(a, d->agent) : decoder;
	r->diagnosticcode = cstr(a, diag);

	struct bk_sv spec = upper(a, bk_sv_trim(d->spec));

	const char *action = bk_action_normalize(d->action);
	struct bk_classify_in ci = {
		.said = &d->said, .status = bk_sv_c(status),
		.replycode = bk_sv_c(reply), .command = bk_sv_c(r->command),
		.diagtype = spec, .diag = diag,
		.action = bk_sv_c(action),
		/* no remote host named (a bounce without its Received:
		 * fields): the provider's own MTA that wrote the bounce
		 * stands for it */
		.rhost = rhost.n ? rhost : lhost, .recipient = d->recipient,
		.decodedby = bk_sv_c(r->decodedby),
	};
	struct bk_trace trace;
	if (p->explain)
		ci.trace = &trace;
	int reason = bk_classify(&ci);
	if (p->explain) {
		r->explain_json = bk_trace_json(a, &trace, r->decodedby);
		if (!r->explain_json)
			return false;
	}
	r->reason = bk_reason_name(reason);

	if (!spec.n && reason == BK_R_MAILERERROR)
		spec = BK_SV("X-UNIX");
	else if (!spec.n && reason != BK_R_FEEDBACK && reason != BK_R_VACATION)
		spec = BK_SV("SMTP");
	r->diagnostictype = cstr(a, spec);

	bk_settle(reason, &d->said, diag, status, reply, &r->hardbounce);
	/* the reply code must agree with the status class */
	if (status[0] && reply[0] && status[0] != reply[0]) {
		char again[4] = "";
		if (bk_reply_find(diag, status[0], again) && again[0] == status[0])
			memcpy(reply, again, 4);
		else
			reply[0] = '\0';
	}
	r->deliverystatus = cstr(a, bk_sv_c(status));
	r->replycode = cstr(a, bk_sv_c(reply));

	if (reason == BK_R_DELIVERED)
		action = "delivered";
	else if (reason == BK_R_EXPIRED)
		action = "delayed";
	if (!action[0] && (status[0] == '4' || status[0] == '5'))
		action = "failed";
	r->action = action;

	r->token = token(a, r->addresser, r->recipient, t);
	if (!r->token)
		return false;
	r->catch_json = sh->catch_json;
	return !a->failed;
}

int
bk_make_records(struct bk_report *p, struct bk_msg *m, struct bk_dctx *dc,
		const char *decoder)
{
	struct orig o;
	struct shared sh;
	load_orig(p, m, dc, &o);
	memset(&sh, 0, sizeof(sh));
	sh.addresser = find_addresser(p, m, &o);
	p->recs = bk_arena_alloc(p->arena, (dc->n + 1) * sizeof(*p->recs));
	if (!p->recs)
		return -1;
	run_hook(p, m);
	size_t n = 0;
	for (size_t i = 0; i < dc->n; i++)
		if (make_one(p, m, &o, &dc->v[i], decoder, &sh, &p->recs[n]))
			n++;
	if (p->arena->failed)
		return -1;
	p->nrecs = n;
	return (int)n;
}

/* ---- hook access ---- */

const char *
bk_message_header(const struct bk_message *msg, const char *name, unsigned i)
{
	const struct bk_msg *m = msg->m;
	struct bk_sv v = bk_hdrs_get_nth(&m->hdrs, bk_sv_c(name), i);
	if (!v.p)
		return NULL;
	struct bk_sv d = bk_rfc2047_decode(m->cs, m->arena, v, m->warn);
	return bk_arena_cstr(m->arena, d);
}

const char *
bk_message_body(const struct bk_message *msg, size_t *len)
{
	*len = msg->m->body.n;
	return msg->m->body.p;
}

const char *
bk_message_origin(const struct bk_message *msg)
{
	return msg->m->origin;
}
