/* SPDX-License-Identifier: BSD-2-Clause */
/* rfc3464.c - standard delivery status notifications (RFC 3464, RFC 6533
 * for message/global-delivery-status), and, as the last resort, plain-text
 * bounces from a mailer daemon that no other decoder knows.
 *
 *   Content-Type: multipart/report; report-type=delivery-status; ...
 *
 *   Content-Type: message/delivery-status
 *
 *   Reporting-MTA: dns; mx.example.jp
 *   Arrival-Date: Wed, 16 Oct 2013 14:15:34 +0900
 *
 *   Final-Recipient: rfc822; kijitora@example.org
 *   Action: failed
 *   Status: 5.1.1
 *   Remote-MTA: dns; mx.example.org
 *   Diagnostic-Code: smtp; 550 5.1.1 <kijitora@example.org>... User Unknown
 *
 * The fields are read from the delivery-status part, or, for MTAs that
 * write them into the text part, from the text before the returned
 * message.  A recipient without a Diagnostic-Code takes the explanation
 * of the human-readable part: a transcript line ("554 <a@b>... Service
 * unavailable") or the line that names it, else the comment of its
 * Status ("5.1.2 (550 Tried all MXs example.net)").  A notice of a local delivery
 * agent there ("mail.local: unknown user: kijitora", dovecot's "Your
 * message to <a> was automatically rejected:") overrides the rest.
 *
 * Without any field, a message from a mailer daemon is read as text:
 *
 *   From: MAILER-DAEMON@example.com
 *   Subject: Returned mail: Nyaan
 *
 *   User's mailbox is full: <kijitora@example.jp>
 *   Unable to deliver mail.
 */
#include "decode_priv.h"

/* ---- local delivery agents (their own notices and what they mean) ---- */

/* A notice starts with a line that begins with start (and ends with end,
 * when given) and runs to the next blank line. */
static const struct mda {
	const char *name;
	struct bk_sv start, end;
	const struct bk_rule_table *rules;	/* lib/reason/format_mda.c */
} mdas[] = {
	{ "dovecot", BK_SVI("Your message to "),
	  BK_SVI(" was automatically rejected:"), &bk_rules_mda_dovecot },
	{ "mail.local", BK_SVI("mail.local: "), BK_SVI(""),
	  &bk_rules_mda_maillocal },
	{ "procmail", BK_SVI("procmail: "), BK_SVI(""), &bk_rules_mda_procmail },
	{ "maildrop", BK_SVI("maildrop: "), BK_SVI(""), &bk_rules_mda_maildrop },
	{ "vpopmail", BK_SVI("vdelivermail: "), BK_SVI(""),
	  &bk_rules_mda_vpopmail },
	{ "vmailmgr", BK_SVI("vdeliver: "), BK_SVI(""), &bk_rules_mda_vmailmgr },
};

/* What each agent's records are, for bk_decoders(). */
static const char *const mda_what[BK_NELEM(mdas)] = {
	"Dovecot LDA/LMTP's rejection notice (\"Your message to <a> was "
	"automatically rejected:\") inside a bounce, read by RFC3464",
	"mail.local(8)'s error line (\"mail.local: unknown user: a\") inside "
	"a bounce, read by RFC3464",
	"procmail's error line (\"procmail: ...\") inside a bounce, read by "
	"RFC3464",
	"Courier maildrop's error line (\"maildrop: ...\") inside a bounce, "
	"read by RFC3464",
	"vpopmail's vdelivermail error line inside a bounce, read by RFC3464",
	"vmailmgr's vdeliver error line inside a bounce, read by RFC3464",
};
_Static_assert(BK_NELEM(mdas) <= BK_AGENTS_MAX, "BK_AGENTS_MAX");

size_t
bk_rfc3464_agents(struct bk_decoder_info *out, size_t max)
{
	size_t n = 0;
	for (; n < BK_NELEM(mdas) && n < max; n++) {
		out[n].name = mdas[n].name;
		out[n].what = mda_what[n];
	}
	return n;
}

static const struct bk_sv daemon_names[] = {
	BK_SVI("mailer-daemon"), BK_SVI("postmaster"),
	BK_SVI("mail delivery subsystem"), BK_SVI("mail delivery system"),
	BK_SVI("mdaemon@"),
};

static bool
from_daemon(const struct bk_msg *m)
{
	return bk_sv_icontains_any(m->from, daemon_names,
				   BK_NELEM(daemon_names));
}

static const struct mda *
mda_of(struct bk_sv line)
{
	for (size_t i = 0; i < BK_NELEM(mdas); i++)
		if (bk_sv_istarts(line, mdas[i].start) &&
		    (!mdas[i].end.n || bk_sv_iends(line, mdas[i].end)))
			return &mdas[i];
	return NULL;
}

/* The line of the notice that one of the agent's phrases is in. */
static bool
mda_match(const struct mda *a, struct bk_sv notice, struct bk_said *row,
	  struct bk_sv *said)
{
	const struct bk_rule_table *t = a->rules;
	for (size_t i = 0; i < t->n; i++) {
		struct bk_sv rest = notice, line;
		while (bk_sv_next_line(&rest, &line)) {
			if (!bk_sv_icontains(line, t->rows[i].text))
				continue;
			*row = bk_said_row(t, (unsigned)i);
			*said = bk_sv_trim(line);
			return true;
		}
	}
	return false;
}

/* A local delivery agent's notice in text: its diagnosis replaces what
 * the DSN says, and its reason is the agent's own. */
static void
mda_apply(struct bk_dctx *dc, const struct bk_msg *m, struct bk_sv text)
{
	if (!from_daemon(m) && !(m->missing & BK_MISSING_FROM))
		return;	/* (a notice that lost its From may be one) */
	/* the first bytes of the notices, lower-cased: most lines are
	 * turned away by theirs */
	uint64_t first[4] = { 0, 0, 0, 0 };
	for (size_t i = 0; i < BK_NELEM(mdas); i++) {
		unsigned char c = bk_lower((unsigned char)mdas[i].start.p[0]);
		first[c >> 6] |= 1ull << (c & 63);
	}
	struct bk_sv rest = text, line;
	while (bk_sv_next_line(&rest, &line)) {
		struct bk_sv t = bk_sv_ltrim(line);
		unsigned char c = t.n ? bk_lower((unsigned char)t.p[0]) : 0;
		if (!t.n || !((first[c >> 6] >> (c & 63)) & 1))
			continue;
		const struct mda *a = mda_of(bk_sv_trim(line));
		if (!a)
			continue;
		long end = rest.n && rest.p[0] == '\n' ? 0
			   : bk_sv_find(rest, BK_SV("\n\n"));
		size_t len = (size_t)(rest.p - line.p) +
			     (end < 0 ? rest.n : (size_t)end);
		struct bk_sv notice = bk_sv_make(line.p, len);
		struct bk_said row;
		struct bk_sv said;
		if (!mda_match(a, notice, &row, &said))
			return;
		for (size_t i = 0; i < dc->n; i++) {
			dc->v[i].diag = said;
			dc->v[i].said = row;
			dc->v[i].agent = bk_sv_c(a->name);
		}
		return;
	}
}

/* ---- the explanation in the human-readable part ---- */

enum { TEXT_SEARCHES = 32 };

/* The human-readable part: the text before the first message part. */
static struct bk_sv
readable_part(const struct bk_msg *m)
{
	struct bk_sv t = m->flat.text;
	long at = bk_sv_find(t, BK_SV("Content-Type: message/"));
	long at2 = bk_sv_find(t, BK_SV("Content-Type: text/rfc822-headers"));
	if (at < 0 || (at2 >= 0 && at2 < at))
		at = at2;
	return at < 0 ? t : bk_sv_slice(t, 0, (size_t)at);
}

/* A transcript line about the recipient; any one when it is the only
 * recipient of the message.  A line that names the recipient with a
 * status code in its text ("MTA '192.0.2.1' gives error message 5.7.1
 * Unable to relay for a@b", as X.400 gateways write) will do too. */
static struct bk_sv
reply_line(struct bk_sv text, struct bk_sv rcpt, bool only)
{
	struct bk_sv rest = text, line, first = BK_SV_NULL, coded = BK_SV_NULL;
	char st[BK_STATUS_MAX];
	while (bk_sv_next_line(&rest, &line)) {
		line = bk_sv_trim(line);
		if (!bk_line_is_reply(line)) {
			if (!coded.p && bk_sv_icontains(line, rcpt) &&
			    bk_status_find(line, 0, st))
				coded = line;
			continue;
		}
		if (bk_sv_icontains(line, rcpt))
			return line;
		if (!first.p)
			first = line;
	}
	if (only && first.p)
		return first;
	return coded;
}

static const struct bk_sv rules[] = {
	BK_SVI("---"), BK_SVI("==="), BK_SVI("***"), BK_SVI("###"),
	BK_SVI("|--"),
};

/* The first line after rest that says something: separator lines are
 * passed over, a field or header line ends the search.  A line that only
 * leads in to the next ("LOCAL module(account kijitora) reports:") runs
 * on to it. */
static struct bk_sv
next_said(struct bk_sv rest)
{
	struct bk_sv line, said = BK_SV_NULL;
	while (bk_sv_next_line(&rest, &line)) {
		line = bk_sv_trim(line);
		if (!line.n || bk_sv_istarts_any(line, rules, BK_NELEM(rules)))
			continue;
		if (bk_looks_like_header(line))
			break;
		bk_text_span(&said, line);
		if (line.p[line.n - 1] != ':' || said.p != line.p)
			break;
	}
	return said;
}

/* The line that names the recipient: all of it when it says more than
 * the address ("Your message wasn't delivered to a@b because ..."), else
 * the line after it. */
static struct bk_sv
naming_line(struct bk_sv text, struct bk_sv rcpt)
{
	struct bk_sv rest = text, line;
	while (bk_sv_next_line(&rest, &line)) {
		long at = bk_sv_ifind(line, rcpt);
		if (at < 0)
			continue;
		struct bk_sv after = bk_sv_from(line, (size_t)at + rcpt.n);
		while (after.n && strchr(">:.,;) \t", after.p[0]))
			after = bk_sv_from(after, 1);
		after = bk_sv_trim(after);
		if (after.n <= 8)
			return next_said(rest);
		/* "a@b; Action: Delayed" says nothing */
		return bk_looks_like_header(after) ? BK_SV_NULL
						   : bk_sv_trim(line);
	}
	return BK_SV_NULL;
}

static void
diag_from_text(struct bk_dctx *dc, struct bk_dlv *d, struct bk_sv text)
{
	struct bk_sv said = reply_line(text, d->recipient, dc->n == 1);
	if (!said.p)
		said = naming_line(text, d->recipient);
	if (said.p)
		bk_dlv_diag_add(dc, d, said);
}

/* ---- plain-text bounces (no DSN fields at all) ---- */

static const struct bk_sv bounce_subjects[] = {
	BK_SVI("delivery fail"), BK_SVI("delivery report"),
	BK_SVI("failure notice"), BK_SVI("mail delivery"),
	BK_SVI("mail failed"), BK_SVI("mail error"), BK_SVI("non-delivery"),
	BK_SVI("returned mail"), BK_SVI("undeliverable"), BK_SVI("warning: "),
};

/* Subjects that open with what happened ("Delivery Failure", "Undeliverable
 * Mail", "Non-Delivery: ..."): a notice from a gateway or a mail service
 * whose sender is no daemon.  A reply or a forward opens otherwise. */
static const struct bk_sv notice_subjects[] = {
	BK_SVI("delivery fail"), BK_SVI("delivery status notification"),
	BK_SVI("delivery problem"), BK_SVI("failure notice"),
	BK_SVI("mail delivery"), BK_SVI("non-delivery"),
	BK_SVI("nondeliverable"), BK_SVI("permanent delivery failure"),
	BK_SVI("returned mail"), BK_SVI("undeliverable"),
	BK_SVI("undelivered mail"),
};

/* From a mailer daemon (or a null sender), a report of delivery status,
 * a bounce subject with a null sender, or a subject that is a notice. */
static bool
looks_like_bounce(const struct bk_msg *m)
{
	if (m->flat.fbr.p)
		return false;
	if (from_daemon(m) || bk_sv_eq(bk_sv_trim(m->from), BK_SV("<>")))
		return true;
	if (bk_msg_header_has(m, BK_SV("content-type"),
			      BK_SV("report-type=delivery-status")))
		return true;
	struct bk_sv subj = bk_sv_trim(m->subject);
	if (bk_sv_istarts_any(subj, notice_subjects, BK_NELEM(notice_subjects)))
		return true;
	struct bk_sv rp = bk_msg_header(m, BK_SV("return-path"));
	return rp.p && (bk_sv_eq(bk_sv_trim(rp), BK_SV("<>")) ||
			bk_sv_icontains(rp, BK_SV("mailer-daemon"))) &&
	       bk_sv_icontains_any(m->subject, bounce_subjects,
				   BK_NELEM(bounce_subjects));
}

/* The explanation starts at the last of these that occurs. */
static const struct bk_sv read_from[] = {
	BK_SVI("\tthe postfix "),
	BK_SVI("the following is the error message"),
	BK_SVI("the message that you sent was undeliverable to the following"),
	BK_SVI("your message was not delivered to "),
};
/* It ends at a line that starts with one of these ... */
static const struct bk_sv stop_at[] = {
	BK_SVI("content-type: message/"),
	BK_SVI("content-type: text/rfc822-headers"),
	BK_SVI("a copy of the original message below this line:"),
	BK_SVI("for further assistance, please contact "),
	BK_SVI("here is a copy of the first part of the message"),
	BK_SVI("received:"), BK_SVI("received-from-mta:"),
	BK_SVI("reporting-mta:"), BK_SVI("reporting-ua:"),
	BK_SVI("return-path:"),
	BK_SVI("the non-delivered message is attached to this message"),
};
/* ... or that holds one of these. */
static const struct bk_sv stop_in[] = {
	BK_SVI("a summary of the undelivered message you sent follows:"),
	BK_SVI("attachment is a copy of the message"),
	BK_SVI("below is a copy of the original message:"),
	BK_SVI("below this line is a copy of the message"),
	BK_SVI("header of the original message"),
	BK_SVI("copy of the message's headers"),
	BK_SVI("message contains "), BK_SVI("message text follows: "),
	BK_SVI("original message follows"),
	BK_SVI("the attachment contains the original mail headers"),
	BK_SVI("included is a copy of the message"),
	BK_SVI("this is a copy of the message"),
	BK_SVI("the first "), BK_SVI("unsent message below"),
	BK_SVI("your message reads (in part):"),
};
static const struct bk_sv skip_at[] = {
	BK_SVI("   -----"), BK_SVI(" -----"), BK_SVI("--"), BK_SVI("|--"),
	BK_SVI("*"), BK_SVI("##"),
};
static const struct bk_sv skip_in[] = {
	BK_SVI("mail from:"), BK_SVI("message-id:"), BK_SVI("  from: "),
};
/* Words that put a recipient address on the line, or on the next one. */
static const struct bk_sv rcpt_cues[] = {
	BK_SVI("address:"), BK_SVI("addressed to"),
	BK_SVI("could not be delivered to:"), BK_SVI("delivered to"),
	BK_SVI("delivery failed:"),
	BK_SVI("did not reach the following recipient:"),
	BK_SVI("error-for:"), BK_SVI("failed recipient:"),
	BK_SVI("failed to deliver to"), BK_SVI("intended recipient:"),
	/* mail.ru: "Local mailbox a@b is unavailable: user not found" */
	BK_SVI("local mailbox "),
	BK_SVI("mailbox is full:"), BK_SVI("recipient:"), BK_SVI("rcpt to:"),
	BK_SVI("smtp server <"),
	BK_SVI("the following recipients returned permanent errors:"),
	BK_SVI("the following addresses had permanent errors"),
	BK_SVI("the following message to"), BK_SVI("to: "),
	BK_SVI("unknown user:"),
	BK_SVI("unable to deliver mail to the following recipient"),
	BK_SVI("unable to deliver your message to"),
	BK_SVI("undeliverable to"), BK_SVI("undeliverable  to"),
	BK_SVI("undeliverable address:"), BK_SVI("delivery failed "),
	BK_SVI("could not be delivered to"), BK_SVI("not delivered to"),
	BK_SVI("you sent mail to"),
	BK_SVI("your message has encountered delivery problems to the "
	       "following recipients:"),
	BK_SVI("was automatically rejected"), BK_SVI("was rejected due to"),
};

enum line_kind { L_TEXT, L_SKIP, L_STOP, L_RCPT };

static bool
has_at(struct bk_sv line)
{
	return bk_sv_findc(line, '@') > 1;
}

/* The line less the marks that set it off: a "> " or "* " bullet, one
 * pair of parentheses around it all ("(Originally addressed to a@b)"). */
static struct bk_sv
unmarked(struct bk_sv line)
{
	struct bk_sv l = bk_sv_trim(line);
	while (l.n > 1 && strchr(">*-", l.p[0]) && l.p[1] == ' ')
		l = bk_sv_trim(bk_sv_from(l, 1));
	if (l.n > 2 && l.p[0] == '(' && l.p[l.n - 1] == ')' &&
	    bk_sv_findc(bk_sv_slice(l, 1, l.n - 1), '(') < 0)
		l = bk_sv_trim(bk_sv_slice(l, 1, l.n - 1));
	return l;
}

/* A line that opens with an address: "a@b", "a@b:", "a@b - no such user
 * here.", "a@b<br>" (the words after it say what happened to it). */
static bool
opens_with_address(struct bk_sv l)
{
	size_t i = 0;
	while (i < l.n && !bk_is_space((unsigned char)l.p[i]))
		i++;
	struct bk_sv w = bk_sv_slice(l, 0, i);
	while (w.n && strchr(":,;.", w.p[w.n - 1]))
		w.n--;
	if (w.n > 2 && w.p[0] == '"' && w.p[w.n - 1] == '"')
		w = bk_sv_slice(w, 1, w.n - 1);
	return bk_addr_valid(w) && bk_sv_findc(w, '@') > 0 &&
	       bk_sv_findc(w, '/') < 0 && bk_sv_findc(w, '=') < 0;
}

/* An indented or quoted line with a quoted address first or an address
 * in angle brackets ("   <a@b>: 550 ...", "\"a@b\"", "  宛先: <a@b>").
 * An indented line with a bare address after other words is prose or a
 * directory listing ("  Judy User  +1 925 ...  j@b"), not the one that
 * failed; one that opens with a bare address is taken by
 * opens_with_address(). */
static bool
indented_address(struct bk_sv line)
{
	if (!strchr(" \t\"<", line.p[0]))
		return false;
	struct bk_sv l = unmarked(line);
	if (l.n && l.p[0] == '"')
		return true;
	long lt = bk_sv_findc(l, '<');
	if (lt < 0)
		return false;
	struct bk_sv in = bk_sv_from(l, (size_t)lt + 1);
	long at = bk_sv_findc(in, '@'), gt = bk_sv_findc(in, '>');
	return at > 0 && gt > at;
}

static enum line_kind
line_kind(struct bk_sv line, struct bk_sv prev)
{
	if (!bk_sv_trim(line).n)
		return L_SKIP;
	if (bk_sv_istarts_any(line, stop_at, BK_NELEM(stop_at)) ||
	    bk_sv_icontains_any(line, stop_in, BK_NELEM(stop_in)))
		return L_STOP;
	if (bk_sv_istarts_any(line, skip_at, BK_NELEM(skip_at)) ||
	    bk_sv_icontains_any(line, skip_in, BK_NELEM(skip_in)))
		return L_SKIP;
	if (!has_at(line))
		return L_TEXT;
	/* "... for the following reason:\n 552 Quota violation for a@b": the
	 * reason, whatever address it names (an alias, the expansion) */
	if (bk_sv_iends(bk_sv_rtrim(prev), BK_SV("reason:")) ||
	    bk_sv_iends(bk_sv_rtrim(prev), BK_SV("reasons:")))
		return L_TEXT;
	if (indented_address(line) ||
	    bk_sv_icontains_any(line, rcpt_cues, BK_NELEM(rcpt_cues)) ||
	    opens_with_address(unmarked(line)))
		return L_RCPT;
	/* an address alone on the line after a cue */
	if (bk_sv_icontains_any(prev, rcpt_cues, BK_NELEM(rcpt_cues)) &&
	    bk_sv_findc(line, '.') > 1 && bk_sv_findc(line, '$') < 0)
		return L_RCPT;
	return L_TEXT;
}

static struct bk_sv
fallback_region(const struct bk_msg *m)
{
	struct bk_sv t = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	for (size_t i = 0; i < BK_NELEM(read_from); i++) {
		long at = bk_sv_ifind(t, read_from[i]);
		if (at >= 0)
			t = bk_sv_from(t, (size_t)at);
	}
	return t;
}

/* The returned message when it follows the explanation inline. */
static struct bk_sv
inline_orig(struct bk_sv stop_line, struct bk_sv rest)
{
	size_t len = (size_t)(rest.p + rest.n - stop_line.p);
	struct bk_sv from_stop = bk_sv_make(stop_line.p, len);
	if (bk_looks_like_header(from_stop))
		return from_stop;
	/* blank and rule lines after the marker */
	struct bk_sv after = rest, line;
	while (bk_sv_next_line(&after, &line)) {
		line = bk_sv_trim(line);
		if (line.n && !bk_sv_istarts_any(line, rules, BK_NELEM(rules)))
			break;
		rest = after;
	}
	return bk_looks_like_header(rest) ? rest : BK_SV_NULL;
}

/* Each recipient's text: from its address line to the next recipient's,
 * less the lines passed over, after the explanation that comes before the
 * first address line ("Host example.org is not responding. The following
 * recipients did not receive your message: <a@b> ... <c@d>"), which is
 * about them all. */
static void
fallback_diag(struct bk_dctx *dc, struct bk_sv region)
{
	struct bk_sv rest = region, line, prev = BK_SV_NULL;
	struct bk_sv preamble = BK_SV_NULL;
	struct bk_sb sb;
	size_t cur = 0;
	bk_sb_init(&sb, dc->arena, 256);
	while (bk_sv_next_line(&rest, &line)) {
		enum line_kind k = line_kind(line, prev);
		if (k == L_STOP)
			break;
		if (k == L_SKIP)
			continue;
		prev = line;
		struct bk_dlv *d = NULL;
		if (k == L_RCPT)
			d = bk_rcpt_find(dc, bk_addr_find(dc->arena,
							  unmarked(line)));
		if (d && !preamble.p)
			preamble = bk_sv_trim(bk_sb_sv(&sb));
		if (d && d != &dc->v[cur]) {
			dc->v[cur].diag = bk_sv_trim(bk_sb_sv(&sb));
			bk_sb_init(&sb, dc->arena, 256);
			if (preamble.n) {
				bk_sb_addsv(&sb, preamble);
				bk_sb_addc(&sb, ' ');
			}
			cur = (size_t)(d - dc->v);
		}
		bk_sb_addsv(&sb, bk_sv_trim(line));
		bk_sb_addc(&sb, ' ');
	}
	dc->v[cur].diag = bk_sv_trim(bk_sb_sv(&sb));
}

static int
fallback_read(struct bk_dctx *dc, const struct bk_msg *m, struct bk_sv region)
{
	struct bk_sv rest = region, line;
	struct bk_sv prev = BK_SV_NULL;
	/* the sender the bounce goes back to, quoted in the text */
	struct bk_sv to = bk_msg_header(m, BK_SV("to"));
	struct bk_sv self = to.p ? bk_addr_find(dc->arena, to) : BK_SV_NULL;
	while (bk_sv_next_line(&rest, &line)) {
		enum line_kind k = line_kind(line, prev);
		if (k == L_STOP) {
			if (!m->flat.orig.p)
				dc->orig = inline_orig(line, rest);
			break;
		}
		if (k == L_SKIP)
			continue;
		prev = line;
		if (k != L_RCPT)
			continue;
		struct bk_sv a = bk_addr_find(dc->arena, unmarked(line));
		bool own = self.p && bk_sv_ieq(a, self);
		if (a.p && !own && !bk_rcpt_find(dc, a))
			bk_rcpt_add(dc, a);
	}
	if (!dc->n)
		return BK_DECLINE;
	fallback_diag(dc, region);
	return BK_DECODED;
}

static int
fallback_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv region = fallback_region(m);
	if (fallback_read(dc, m, region) == BK_DECODED)
		return BK_DECODED;
	/* a marker the explanation starts at in one layout may close it in
	 * another: the recipients are then before it */
	struct bk_sv all = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	if (region.p == all.p && region.n == all.n)
		return BK_DECLINE;
	dc->orig = BK_SV_NULL;
	return fallback_read(dc, m, all);
}

/* ---- the decoder ---- */

static bool
has_fields(const struct bk_msg *m)
{
	if (m->flat.dsn.p)
		return true;
	struct bk_sv head = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	return bk_sv_icontains(head, BK_SV("\nfinal-recipient:")) ||
	       bk_sv_icontains(head, BK_SV("\noriginal-recipient:"));
}

static bool
rfc3464_match(const struct bk_msg *m)
{
	return has_fields(m) || looks_like_bounce(m);
}

/* "Reason 1 (Unable-To-Transfer); Diagnostic 5 (Maximum-Time-Expired)":
 * an X.400 gateway's codes, which the readable part explains. */
static bool
x400_code(struct bk_sv diag)
{
	diag = bk_sv_trim(diag);
	return bk_sv_istarts(diag, BK_SV("Reason ")) &&
	       bk_sv_icontains(diag, BK_SV("; Diagnostic "));
}

static int
dsn_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	struct bk_sv text = bk_sv_slice(m->flat.text, 0, m->flat.orig_mark);
	struct bk_sv fields = m->flat.dsn.p ? m->flat.dsn : text;
	/* some write them in the text part even when there is a part */
	if (!bk_dsn_read(dc, fields) && m->flat.dsn.p)
		bk_dsn_read(dc, text);
	if (!dc->n)
		return BK_DECLINE;
	/* each search reads the whole text: a few recipients only, so that
	 * a report listing thousands stays linear */
	struct bk_sv said = readable_part(m);
	for (size_t i = 0, k = 0; i < dc->n && k < TEXT_SEARCHES; i++)
		if (!dc->v[i].diag.n || x400_code(dc->v[i].diag)) {
			diag_from_text(dc, &dc->v[i], said);
			k++;
		}
	bk_diag_from_status(dc);
	mda_apply(dc, m, text);
	return BK_DECODED;
}

static int
rfc3464_decode(struct bk_dctx *dc, const struct bk_msg *m)
{
	if (has_fields(m) && dsn_decode(dc, m) == BK_DECODED)
		return BK_DECODED;
	if (!looks_like_bounce(m))
		return BK_DECLINE;
	if (fallback_decode(dc, m) != BK_DECODED)
		return BK_DECLINE;
	mda_apply(dc, m, bk_sv_slice(m->flat.text, 0, m->flat.orig_mark));
	return BK_DECODED;
}

const struct bk_decoder bk_decoder_rfc3464 = {
	.name = "RFC3464",
	.what = "RFC 3464 delivery status notifications (any MTA), plain-text "
		"bounces from mailer daemons",
	.match = rfc3464_match,
	.decode = rfc3464_decode,
};
