/* SPDX-License-Identifier: BSD-2-Clause */
/* classify.c - the one classifier (docs/reasons.md).  The order in which evidence
 * is weighed lives here and only here (docs/classifier.md):
 *
 *   1. what the format itself states (a row of its table, rule.h), unless
 *      the reason it carries is worth a second look (retry[]);
 *   2. what a local delivery agent's message states (lda.c);
 *   3. what the remote provider documents about its own codes
 *      (provider.c, keyed by the remote host and recipient domain);
 *   4. a 2.x status: delivered;
 *   5. for SMTP diagnostics, the probes of order_probe[]: each weighs the
 *      status, the command, the reply code and the phrases of its reason;
 *   6. "another look": the status by itself, then the phrase tables of
 *      order_text[], the status class (X.6 content, X.7 security), the
 *      diagnostic type (X-UNIX), a syntax-error reply code, the action
 *      (delayed), the command (HELO/EHLO);
 *   7. auto-reply phrases: vacation; otherwise onhold when there is text,
 *      undefined when there is none.
 *
 * The phrases of every reason are matched in one pass over the text
 * (phrases.c); the probes read the resulting set.  The rules follow the
 * documented behaviour of Sisimai 5.1, whose users expect the same
 * verdicts.
 */
#include "reason.h"

#include <stdlib.h>

#include "provider.h"
#include "rule.h"

/* Verdicts a decoder may give that are looked at again: formats state
 * them for whole classes of failures. */
static const bk_reason_set retry = BK_RBIT(BK_R_UNDEFINED) |
	BK_RBIT(BK_R_ONHOLD) | BK_RBIT(BK_R_SYSTEMERROR) |
	BK_RBIT(BK_R_SECURITYERROR) | BK_RBIT(BK_R_EXPIRED) |
	BK_RBIT(BK_R_SUSPEND) | BK_RBIT(BK_R_NETWORKERROR) |
	BK_RBIT(BK_R_HOSTUNKNOWN) | BK_RBIT(BK_R_USERUNKNOWN);

struct ctx {
	const struct bk_classify_in *in;
	bk_reason_set phrases;
	int given;		/* the decoder's verdict, -1 when none */
	int by_status;		/* the reason the status names, -1 when none */
	int reply;		/* the reply code as a number, 0 when none */
	/* the format's statement stands for a status (rule.h) */
	bool stated_status;
	/* the command: the decoder's, else the one the text names, looked
	 * for only when a rule asks (command()) */
	struct lazy {
		bool known;
		struct bk_sv cmd;
	} *lazy;
};

/* The SMTP command of the record: the decoder's, else the one the text
 * names ("in reply to RCPT TO command"), so that the same text gets the
 * same reason whichever decoder read it. */
static struct bk_sv
command(const struct ctx *c)
{
	if (!c->lazy->known) {
		c->lazy->known = true;
		c->lazy->cmd = c->in->command.n ? c->in->command
			: bk_sv_c(bk_command_find(c->in->diag));
	}
	return c->lazy->cmd;
}

static bool
cmd_is(const struct ctx *c, const char *cmd)
{
	return bk_sv_eq(command(c), bk_sv_c(cmd));
}

/* Commands before DATA: a content verdict cannot come from them. */
static bool
before_data(const struct ctx *c)
{
	return cmd_is(c, "CONN") || cmd_is(c, "EHLO") || cmd_is(c, "HELO") ||
	       cmd_is(c, "MAIL") || cmd_is(c, "RCPT");
}

static bool
ph(const struct ctx *c, int r)
{
	return bk_phrase_in(c->phrases, r);
}

static bool
no_status(const struct ctx *c)
{
	return c->in->status.n == 0 && !c->stated_status;
}

/* ---- the probes, one per reason of order_probe[] ---- */

typedef bool (*probe_fn)(const struct ctx *c, int r);

/* The status names the reason, or a phrase of it occurs. */
static bool
status_or_phrase(const struct ctx *c, int r)
{
	return c->by_status == r || ph(c, r);
}

/* As above, but a text without any status code is not enough. */
static bool
guarded(const struct ctx *c, int r)
{
	return !no_status(c) && status_or_phrase(c, r);
}

static bool
phrase_only(const struct ctx *c, int r)
{
	return ph(c, r);
}

static bool
probe_mesgtoobig(const struct ctx *c, int r)
{
	if (c->by_status == r)
		return true;
	if (c->by_status == BK_R_EXCEEDLIMIT ||
	    bk_sv_eq(c->in->status, BK_SV("5.2.3")))
		return false;
	return ph(c, r);
}

static bool
probe_suspend(const struct ctx *c, int r)
{
	if (no_status(c))
		return false;
	return c->reply == 525 || ph(c, r);
}

static bool
probe_norelaying(const struct ctx *c, int r)
{
	if (c->given == BK_R_SECURITYERROR || c->given == BK_R_SYSTEMERROR ||
	    c->given == BK_R_UNDEFINED)
		return false;
	/* the phrase first: the command may have to be looked for */
	return ph(c, r) && !cmd_is(c, "CONN") && !cmd_is(c, "EHLO") &&
	       !cmd_is(c, "HELO");
}

/* A Japanese mobile carrier's mailbox: its reception filter (the
 * recipient's own domain and address filters) refuses mail with a
 * user-unknown text ("550 : User unknown"), so there such a text
 * without a command is no proof that the mailbox is gone
 * (docs/classifier.md). */
static bool
jp_carrier(struct bk_sv rcpt)
{
	static const struct bk_sv domains[] = {
		BK_SVI("@ezweb.ne.jp"), BK_SVI(".ezweb.ne.jp"), BK_SVI("@au.com"),
		BK_SVI("@docomo.ne.jp"), BK_SVI(".docomo.ne.jp"),
		BK_SVI("@softbank.ne.jp"), BK_SVI(".softbank.ne.jp"),
		BK_SVI("@i.softbank.jp"), BK_SVI("@vodafone.ne.jp"),
		BK_SVI(".vodafone.ne.jp"), BK_SVI("@disney.ne.jp"),
		BK_SVI("@emnet.ne.jp"), BK_SVI("@willcom.com"),
		BK_SVI("@pdx.ne.jp"), BK_SVI("@ymobile.ne.jp"),
	};
	rcpt = bk_sv_trim(rcpt);
	for (size_t i = 0; i < BK_NELEM(domains); i++)
		if (bk_sv_iends(rcpt, domains[i]))
			return true;
	return false;
}

static bool
probe_userunknown(const struct ctx *c, int r)
{
	if (c->by_status == BK_R_SUSPEND)
		return false;
	if (c->by_status == r) {
		/* X.1.1 with a text that says the failure is something else */
		static const int other[] = { BK_R_NORELAYING, BK_R_BLOCKED,
			BK_R_MAILBOXFULL, BK_R_HASMOVED, BK_R_REJECTED,
			BK_R_NOTACCEPT };
		for (size_t i = 0; i < BK_NELEM(other); i++)
			if (ph(c, other[i]))
				return false;
		return true;
	}
	if (!ph(c, r))
		return false;
	if (cmd_is(c, "RCPT"))
		return true;
	/* No command stated (docs/classifier.md, "User unknown when the
	 * command is not stated"): a text that says the mailbox does not
	 * exist means that, unless a status names another reason.  Only a
	 * stated DATA makes it a content filter's answer (filtered). */
	/* A status of notaccept is X.1.10, which RFC 7505 gives to a null
	 * MX but Exchange Online gives to RESOLVER.ADR.RecipientNotFound:
	 * with a user-unknown text and no null-MX text, it is the latter. */
	return command(c).n == 0 && !jp_carrier(c->in->recipient) &&
	       (c->by_status < 0 || c->by_status == BK_R_ONHOLD ||
		c->by_status == BK_R_UNDEFINED ||
		(c->by_status == BK_R_NOTACCEPT && !ph(c, BK_R_NOTACCEPT)));
}

static bool
probe_filtered(const struct ctx *c, int r)
{
	if (c->by_status == BK_R_SUSPEND)
		return false;
	if (c->by_status == r)
		return ph(c, BK_R_USERUNKNOWN) || ph(c, r);
	return (ph(c, r) || ph(c, BK_R_USERUNKNOWN)) && !before_data(c);
}

static bool
probe_rejected(const struct ctx *c, int r)
{
	if (c->by_status == r)
		return true;
	/* every rule below needs a phrase: it goes first, the command may
	 * have to be looked for */
	if (!ph(c, r))
		return false;
	int s = c->by_status < 0 ? BK_R_UNDEFINED : c->by_status;
	if (cmd_is(c, "MAIL"))
		return true;
	if (cmd_is(c, "DATA"))
		return s != BK_R_USERUNKNOWN;
	return s == BK_R_ONHOLD || s == BK_R_UNDEFINED ||
	       s == BK_R_SECURITYERROR || s == BK_R_SYSTEMERROR;
}

static bool
probe_hostunknown(const struct ctx *c, int r)
{
	if (c->by_status == r)
		return !ph(c, BK_R_NETWORKERROR);
	return ph(c, r);
}

/* "... 5.7.1 spam" or "... 550 spam" at the very end of the text */
static bool
ends_with_code_spam(struct bk_sv t)
{
	if (!bk_sv_iends(t, BK_SV(" spam")) || t.n < 9)
		return false;
	struct bk_sv w = bk_sv_slice(t, 0, t.n - 5);
	const char *e = w.p + w.n;
	if (w.n >= 3 && bk_is_digit((unsigned char)e[-1]) &&
	    bk_is_digit((unsigned char)e[-2]) && bk_is_digit((unsigned char)e[-3]))
		return true;
	return w.n >= 5 && bk_is_digit((unsigned char)e[-1]) && e[-2] == '.' &&
	       bk_is_digit((unsigned char)e[-3]) && e[-4] == '.' &&
	       bk_is_digit((unsigned char)e[-5]);
}

static bool
probe_spamdetected(const struct ctx *c, int r)
{
	if (no_status(c))
		return false;
	if (c->by_status == r)
		return true;
	return ph(c, r) && !before_data(c);
}

static const struct {
	int reason;
	probe_fn probe;
} order_probe[] = {
	{ BK_R_MAILBOXFULL, guarded },
	{ BK_R_MESGTOOBIG, probe_mesgtoobig },
	{ BK_R_EXCEEDLIMIT, guarded },
	{ BK_R_SUSPEND, probe_suspend },
	{ BK_R_HASMOVED, phrase_only },
	{ BK_R_NORELAYING, probe_norelaying },
	{ BK_R_AUTHFAILURE, status_or_phrase },
	{ BK_R_USERUNKNOWN, probe_userunknown },
	{ BK_R_FILTERED, probe_filtered },
	{ BK_R_REQUIREPTR, status_or_phrase },
	{ BK_R_NOTCOMPLIANTRFC, phrase_only },
	{ BK_R_REJECTED, probe_rejected },
	{ BK_R_HOSTUNKNOWN, probe_hostunknown },
	{ BK_R_SPAMDETECTED, probe_spamdetected },
	{ BK_R_SPEEDING, guarded },
	{ BK_R_TOOMANYCONN, status_or_phrase },
	{ BK_R_BLOCKED, status_or_phrase },
};

/* Phrase tables of "another look", in order. */
static const int order_text[] = {
	BK_R_MAILBOXFULL, BK_R_SPAMDETECTED, BK_R_POLICYVIOLATION,
	BK_R_VIRUSDETECTED, BK_R_NORELAYING, BK_R_AUTHFAILURE,
	BK_R_BADREPUTATION, BK_R_FAILEDSTARTTLS, BK_R_SECURITYERROR,
	BK_R_SYSTEMERROR,
	BK_R_NETWORKERROR, BK_R_SPEEDING, BK_R_SUSPEND, BK_R_EXPIRED,
	BK_R_CONTENTERROR, BK_R_SYSTEMFULL, BK_R_NOTACCEPT, BK_R_MAILERERROR,
};

static bool
in_retry(int r)
{
	return r >= 0 && (retry & BK_RBIT(r)) != 0;
}

static bool
is_explicit(int r)
{
	return r >= 0 && r != BK_R_UNDEFINED && r != BK_R_ONHOLD;
}

static bool
syntax_error(const struct ctx *c)
{
	return (c->reply > 400 && c->reply < 408) ||
	       (c->reply > 500 && c->reply < 508);
}

/* ---- the trace (only when the caller asks for one) ---- */

_Thread_local struct bk_trace *bk_trace_cur;

static const char *const probe_names[] = {
	"mailboxfull: status or phrase, with a status",
	"mesgtoobig: status or phrase, not when the status says exceedlimit",
	"exceedlimit: status or phrase, with a status",
	"suspend: reply 525 or phrase, with a status",
	"hasmoved: phrase",
	"norelaying: phrase, not after a security/system verdict nor at CONN/EHLO/HELO",
	"authfailure: status or phrase",
	"userunknown: status (unless the text says otherwise), or phrase at RCPT or with no command stated (not a DATA-time filter)",
	"filtered: status with a phrase, or phrase after RCPT",
	"requireptr: status or phrase",
	"notcompliantrfc: phrase",
	"rejected: status, or phrase at MAIL, DATA or with a vague status",
	"hostunknown: status (not with a network phrase) or phrase",
	"spamdetected: status or phrase after RCPT, with a status",
	"speeding: status or phrase, with a status",
	"toomanyconn: status or phrase",
	"blocked: status or phrase",
};

/* An item for step, pointing at reason r. */
static struct bk_trace_item
item(const char *step, int r)
{
	struct bk_trace_item it;
	memset(&it, 0, sizeof(it));
	it.step = step;
	it.reason = r;
	it.row = -1;
	return it;
}

/* The evidence a status code or a phrase gives for reason r. */
static struct bk_trace_item
evidence(const struct ctx *c, const char *step, int r)
{
	struct bk_trace_item it = item(step, r);
	if (c->by_status == r) {
		it.table = "status";	/* RFC 3463 (dsn/status.c) */
		it.rule = c->in->status;
		return it;
	}
	const char *tab;
	int row;
	const char *const *pieces;
	if (bk_phrase_which(c->in->diag, r, &tab, &row, &pieces)) {
		it.table = tab;
		it.row = row;
		it.pieces = pieces;
	} else if (r == BK_R_SPAMDETECTED && ends_with_code_spam(c->in->diag)) {
		it.table = "text";
		it.rule = BK_SV("a code and \"spam\" at the end of the text");
	} else if (r == BK_R_SUSPEND && c->reply == 525) {
		it.table = "reply";
		it.rule = c->in->replycode;
	}
	return it;
}

static void
reject(const struct ctx *c, struct bk_trace_item it, const char *why)
{
	struct bk_trace *t = c->in->trace;
	if (!t || t->nrej >= BK_TRACE_MAX)
		return;
	it.why = why;
	t->rejected[t->nrej++] = it;
}

static int
decide(const struct ctx *c, struct bk_trace_item it)
{
	if (c->in->trace)
		c->in->trace->decided = it;
	return it.reason;
}

/* Probes with evidence for their reason that their rule turned down. */
static void
reject_probes(const struct ctx *c, size_t upto, const char *step)
{
	for (size_t i = 0; c->in->trace && i < upto; i++) {
		int r = order_probe[i].reason;
		if (c->by_status == r || ph(c, r))
			reject(c, evidence(c, step, r), probe_names[i]);
	}
}

/* ---- the steps ---- */

static int
another_look(const struct ctx *c, const char **why)
{
	const struct bk_classify_in *in = c->in;
	if (c->given >= 0) {
		*why = "format";
		return c->given;
	}
	int r = c->by_status;
	*why = "status";
	if (r >= 0 && !in_retry(r) && bk_sv_eq(in->diagtype, BK_SV("SMTP")))
		return r;
	*why = "phrase";
	for (size_t i = 0; i < BK_NELEM(order_text); i++)
		if (ph(c, order_text[i]))
			return order_text[i];
	*why = "status";
	if (r >= 0)
		return r;
	struct bk_sv sub = bk_sv_from(in->status, 1);
	*why = "status-class";
	if (bk_sv_starts(sub, BK_SV(".6")))
		return BK_R_CONTENTERROR;
	if (bk_sv_starts(sub, BK_SV(".7")))
		return BK_R_SECURITYERROR;
	*why = "diagnostic-type";
	if (bk_sv_istarts(in->diagtype, BK_SV("X-UNIX")))
		return BK_R_MAILERERROR;
	*why = "reply-code";
	if (syntax_error(c))
		return BK_R_SYNTAXERROR;
	*why = "action";
	if (bk_sv_starts(in->action, BK_SV("delayed")) ||
	    bk_sv_starts(in->action, BK_SV("expired")))
		return BK_R_EXPIRED;
	/* refused at the greeting or the HELO: the client was refused */
	*why = "command";
	if (cmd_is(c, "EHLO") || cmd_is(c, "HELO") || cmd_is(c, "CONN"))
		return BK_R_BLOCKED;
	*why = NULL;
	return -1;
}

/* The trace item of another_look's verdict r, found by its sub-step. */
static struct bk_trace_item
look_item(const struct ctx *c, const char *why, int r)
{
	const struct bk_classify_in *in = c->in;
	struct bk_trace_item it = item("another-look", r);
	it.table = why;
	if (!strcmp(why, "phrase"))
		return evidence(c, "another-look", r);
	if (!strcmp(why, "status") || !strcmp(why, "status-class"))
		it.rule = in->status;
	else if (!strcmp(why, "diagnostic-type"))
		it.rule = in->diagtype;
	else if (!strcmp(why, "reply-code"))
		it.rule = in->replycode;
	else if (!strcmp(why, "action"))
		it.rule = in->action;
	else if (!strcmp(why, "command"))
		it.rule = command(c);
	else if (!strcmp(why, "format") && in->said) {
		it.table = in->said->tab->name;
		it.row = (int)in->said->row;
		it.rule = in->said->tab->rows[in->said->row].text;
	}
	return it;
}

/* Steps 4 to 7 of the order above. */
static int
find(const struct ctx *c)
{
	const struct bk_classify_in *in = c->in;
	if (bk_sv_starts(in->status, BK_SV("2."))) {
		if (!in->trace)
			return BK_R_DELIVERED;
		struct bk_trace_item it = item("delivered", BK_R_DELIVERED);
		it.table = "status";
		it.rule = in->status;
		return decide(c, it);
	}
	if (bk_sv_eq(in->diagtype, BK_SV("SMTP")) || in->diagtype.n == 0) {
		for (size_t i = 0; i < BK_NELEM(order_probe); i++) {
			int r = order_probe[i].reason;
			if (c->given == r || order_probe[i].probe(c, r)) {
				if (!in->trace)
					return r;
				reject_probes(c, i, "probe");
				struct bk_trace_item it = c->given == r
					? look_item(c, "format", r)
					: evidence(c, "probe", r);
				it.step = "probe";
				it.why = probe_names[i];
				return decide(c, it);
			}
		}
		reject_probes(c, BK_NELEM(order_probe), "probe");
	}
	const char *why = NULL;
	int r = another_look(c, &why);
	if (r == BK_R_UNDEFINED)
		r = -1;
	if (r >= 0)
		return in->trace ? decide(c, look_item(c, why, r)) : r;
	if (bk_sv_eq(in->action, BK_SV("delayed"))) {
		if (!in->trace)
			return BK_R_EXPIRED;
		struct bk_trace_item it = item("another-look", BK_R_EXPIRED);
		it.table = "action";
		it.rule = in->action;
		return decide(c, it);
	}
	if (ph(c, BK_R_VACATION))
		return in->trace ? decide(c, evidence(c, "vacation", BK_R_VACATION))
				 : BK_R_VACATION;
	/* A diagnostic of another type (X-Notes, X-Postfix, ...) skipped the
	 * probes above; before giving up, let them read it all the same. */
	if (in->diag.n && !bk_sv_eq(in->diagtype, BK_SV("SMTP")) &&
	    in->diagtype.n != 0) {
		for (size_t i = 0; i < BK_NELEM(order_probe); i++) {
			int p = order_probe[i].reason;
			if (order_probe[i].probe(c, p)) {
				if (!in->trace)
					return p;
				reject_probes(c, i, "late-probe");
				struct bk_trace_item it = evidence(c, "late-probe", p);
				it.why = probe_names[i];
				return decide(c, it);
			}
		}
		reject_probes(c, BK_NELEM(order_probe), "late-probe");
	}
	if (!in->trace)
		return in->diag.n ? BK_R_ONHOLD : BK_R_UNDEFINED;
	struct bk_trace_item it = item("fallback", in->diag.n ? BK_R_ONHOLD
							      : BK_R_UNDEFINED);
	it.rule = in->diag.n ? BK_SV("a diagnostic no rule fits")
			     : BK_SV("no diagnostic");
	return decide(c, it);
}

static int
classify(const struct bk_classify_in *in)
{
	struct lazy lazy = { false, BK_SV_NULL };
	struct ctx c = { in, 0, -1, -1, 0, false, &lazy };
	c.given = in->said ? bk_said_reason(*in->said) : -1;
	if (c.given >= 0 && !in->trace && !in_retry(c.given))
		return c.given;
	if (c.given >= 0) {
		struct bk_trace_item it = look_item(&c, "format", c.given);
		it.step = "format";
		if (!in_retry(c.given))
			return decide(&c, it);
		reject(&c, it, "a reason the order looks at again");
	}
	c.stated_status = c.given >= 0 && in->said->tab->stands_for_status &&
			  !in->status.n;

	/* local delivery agents fail at delivery: no SMTP command, or DATA */
	int r = bk_lda_reason(in->diag, in->command);
	if (r >= 0 && !in->command.n && command(&c).n &&
	    !bk_sv_eq(command(&c), BK_SV("DATA")))
		r = -1;
	if (r >= 0 && !in->trace) {
		if (is_explicit(r))
			return r;
	} else if (r >= 0) {
		struct bk_trace_item it = item("lda", r);
		it.table = "lda";
		if (is_explicit(r))
			return decide(&c, it);
		reject(&c, it, "not an explicit reason");
	}
	bool final = false;
	if (in->trace)
		in->trace->m_row = -1;
	r = bk_provider_reason(in, &final);
	if (r >= 0 && !in->trace) {
		if (final || is_explicit(r))
			return r;
	} else if (r >= 0) {
		struct bk_trace_item it = item("provider", r);
		if (in->trace) {
			const struct bk_provider *p = bk_provider_of(in);
			it.table = p ? p->name : NULL;
			it.row = in->trace->m_row;
			it.code = in->trace->m_code;
			if (in->trace->m_text)
				it.rule = bk_sv_c(in->trace->m_text);
		}
		if (final || is_explicit(r))
			return decide(&c, it);
		reject(&c, it, "not an explicit reason");
	}

	c.phrases = bk_phrases_match(in->diag);
	/* a phrase of spamdetected for the probe and for "another look"
	 * alike: XWall writes "Diagnostic-Code: X-XWall; 5.9.8 Spam" */
	if (ends_with_code_spam(in->diag))
		c.phrases |= BK_RBIT(BK_R_SPAMDETECTED);
	c.by_status = bk_status_is_pseudo(in->status) ? -1
						       : bk_status_reason(in->status);
	uint64_t rc;
	if (in->replycode.n == 3 && bk_sv_to_u64(in->replycode, &rc))
		c.reply = (int)rc;
	return find(&c);
}

int
bk_classify(const struct bk_classify_in *in)
{
	if (!in->trace)
		return classify(in);
	memset(in->trace, 0, sizeof(*in->trace));
	struct bk_trace *saved = bk_trace_cur;
	bk_trace_cur = in->trace;
	int r = classify(in);
	bk_trace_cur = saved;
	return r;
}

/* ---- status, hard and soft: computed here and only here ---- */

/* Exim's statements stand for a status when it gives none (rule.h): as
 * Sisimai reads them, temporary for a 4xx reply, else for a timeout or a
 * full mailbox. */
static bool
stated_temporary(int reason, const char *reply)
{
	if (reply[0])
		return reply[0] == '4';
	return reason == BK_R_EXPIRED || reason == BK_R_MAILBOXFULL;
}

/* "<head> <diag>", trimmed, in buf (or in a malloc'd copy when too
 * long: *big to free). */
static struct bk_sv
joined(const char *head, struct bk_sv diag, char *buf, size_t size,
       char **big)
{
	size_t h = strlen(head), n = h + 1 + diag.n;
	char *p = buf;
	*big = NULL;
	if (n + 1 > size) {
		p = *big = malloc(n + 1);
		if (!p)
			return bk_sv_trim(bk_sv_c(head));
	}
	memcpy(p, head, h);
	p[h] = ' ';
	if (diag.n)
		memcpy(p + h + 1, diag.p, diag.n);
	p[n] = '\0';
	return bk_sv_trim(bk_sv_make(p, n));
}

void
bk_settle(int reason, const struct bk_said *said, struct bk_sv diag,
	  char status[BK_STATUS_MAX], char reply[4], bool *hard)
{
	bool none = reason == BK_R_FEEDBACK || reason == BK_R_VACATION;
	char buf[512], *big;
	if (none)
		reply[0] = '\0';
	/* a format whose statement stands for a status: its pseudo status
	 * is the status the record's other verdicts read */
	if (!status[0] && said && bk_said_reason(*said) >= 0 &&
	    said->tab->stands_for_status && !none) {
		int sr = bk_said_reason(*said);
		bk_reason_pseudo(sr, stated_temporary(sr, reply), status);
	}
	*hard = false;
	if (reason == BK_R_NOTACCEPT) {
		/* the only reason whose verdict reads the text */
		struct bk_sv t = joined(status, diag, buf, sizeof(buf), &big);
		*hard = bk_is_hard(reason, t);
		free(big);
	} else if (reason != BK_R_DELIVERED && !none) {
		*hard = bk_is_hard(reason, BK_SV(""));
	}
	if (!status[0] && !none && reason != BK_R_DELIVERED) {
		struct bk_sv t = joined(reply, diag, buf, sizeof(buf), &big);
		bk_reason_pseudo(reason, bk_text_temporary(t), status);
		free(big);
	}
}

/* ---- hard and soft ---- */

static bool
class_of(struct bk_sv t, char *cls)
{
	char s[BK_STATUS_MAX], rc[4];
	if (bk_status_find(t, 0, s)) {
		*cls = s[0];
		return true;
	}
	if (bk_reply_find(t, 0, rc)) {
		*cls = rc[0];
		return true;
	}
	return false;
}

bool
bk_text_permanent(struct bk_sv t)
{
	char cls;
	if (!t.n)
		return false;
	if (class_of(t, &cls) && cls == '5')
		return true;
	return bk_sv_icontains(t, BK_SV(" permanent "));
}

bool
bk_text_temporary(struct bk_sv t)
{
	char cls;
	if (!t.n)
		return false;
	if (class_of(t, &cls) && cls == '4')
		return true;
	return bk_sv_icontains(t, BK_SV(" temporar")) ||
	       bk_sv_icontains(t, BK_SV(" persistent"));
}

bool
bk_is_hard(int r, struct bk_sv t)
{
	char cls;
	if (r == BK_R_USERUNKNOWN || r == BK_R_HOSTUNKNOWN || r == BK_R_HASMOVED)
		return true;
	if (r != BK_R_NOTACCEPT)
		return false;
	/* notaccept: hard for a 5xx failure or when nothing says temporary */
	if (t.n < 4)
		return true;
	if (class_of(t, &cls) && cls == '5')
		return true;
	return !bk_text_temporary(t);
}
