/* classify.c - the one classifier (SPEC 4).  The order in which evidence
 * is weighed lives here and only here:
 *
 *   1. the decoder's own verdict, unless it is one worth a second look
 *      (see retry[]);
 *   2. a 2.x status means delivered;
 *   3. for SMTP diagnostics, the reason probes in order_smtp[]: each looks
 *      at the status, the command and the phrases of the text;
 *   4. the status code by itself, the phrase tables in order_text[], the
 *      status class (X.6 content, X.7 security), the diagnostic type
 *      (X-UNIX: mailer error), syntax errors, the action (delayed:
 *      expired), the command (HELO/EHLO: blocked);
 *   5. "vacation" phrases, then onhold when there is text, undefined when
 *      there is none.
 *
 * The phrase tables are matched once per text (phrases.c); every probe
 * reads the resulting set.
 */
#include "reason.h"

#include "dsn/dsn.h"

/* Verdicts a decoder may give that the classifier looks at again: they
 * are often stated by a format for any failure of its kind. */
static const bk_reason_set retry = BK_RBIT(BK_R_UNDEFINED) |
	BK_RBIT(BK_R_ONHOLD) | BK_RBIT(BK_R_SYSTEMERROR) |
	BK_RBIT(BK_R_SECURITYERROR) | BK_RBIT(BK_R_EXPIRED) |
	BK_RBIT(BK_R_NETWORKERROR) | BK_RBIT(BK_R_HOSTUNKNOWN) |
	BK_RBIT(BK_R_USERUNKNOWN);

struct ctx {
	const struct bk_classify_in *in;
	bk_reason_set phrases;
	int by_status;		/* the reason the status names, or -1 */
};

static bool
cmd_is(const struct ctx *c, const char *cmd)
{
	return bk_sv_eq(c->in->command, bk_sv_c(cmd));
}

static bool
ph(const struct ctx *c, int r)
{
	return bk_phrase_in(c->phrases, r);
}

static bool
status_is(const struct ctx *c, const char *s)
{
	return bk_sv_eq(c->in->status, bk_sv_c(s));
}

/* ---- probes for SMTP diagnostics, in order ---- */

typedef bool (*probe_fn)(const struct ctx *c, int r);

/* The default: the status names the reason, or a phrase of it occurs. */
static bool
probe_default(const struct ctx *c, int r)
{
	return c->by_status == r || ph(c, r);
}

static bool
probe_userunknown(const struct ctx *c, int r)
{
	if (c->by_status == r) {
		/* 5.1.1 with a text that says something else */
		static const int other[] = { BK_R_BLOCKED, BK_R_MAILBOXFULL,
			BK_R_HASMOVED, BK_R_REJECTED, BK_R_NOTACCEPT };
		for (size_t i = 0; i < BK_NELEM(other); i++)
			if (ph(c, other[i]))
				return false;
		return true;
	}
	return cmd_is(c, "RCPT") && ph(c, r);
}

static bool
probe_status_only(const struct ctx *c, int r)
{
	return c->by_status == r;
}

static const struct {
	int reason;
	probe_fn probe;
} order_smtp[] = {
	{ BK_R_MAILBOXFULL, probe_default },
	{ BK_R_MESGTOOBIG, probe_default },
	{ BK_R_EXCEEDLIMIT, probe_default },
	{ BK_R_SUSPEND, probe_default },
	{ BK_R_HASMOVED, probe_default },
	{ BK_R_NORELAYING, probe_default },
	{ BK_R_AUTHFAILURE, probe_default },
	{ BK_R_USERUNKNOWN, probe_userunknown },
	{ BK_R_FILTERED, probe_default },
	{ BK_R_REQUIREPTR, probe_default },
	{ BK_R_NOTCOMPLIANTRFC, probe_default },
	{ BK_R_BADREPUTATION, probe_default },
	{ BK_R_CONTENTERROR, probe_default },
	{ BK_R_REJECTED, probe_default },
	{ BK_R_HOSTUNKNOWN, probe_default },
	{ BK_R_SPAMDETECTED, probe_default },
	{ BK_R_SPEEDING, probe_default },
	{ BK_R_TOOMANYCONN, probe_default },
	{ BK_R_BLOCKED, probe_default },
};

/* Phrase tables consulted when the probes found nothing. */
static const int order_text[] = {
	BK_R_MAILBOXFULL, BK_R_AUTHFAILURE, BK_R_BADREPUTATION, BK_R_SPEEDING,
	BK_R_SPAMDETECTED, BK_R_VIRUSDETECTED, BK_R_POLICYVIOLATION,
	BK_R_NORELAYING, BK_R_SYSTEMERROR, BK_R_NETWORKERROR, BK_R_SUSPEND,
	BK_R_CONTENTERROR, BK_R_SYSTEMFULL, BK_R_NOTACCEPT, BK_R_EXPIRED,
	BK_R_FAILEDSTARTTLS, BK_R_SECURITYERROR, BK_R_SUPPRESSED,
	BK_R_MAILERERROR,
};

static bool
is_retry(int r)
{
	return r < 0 || (retry & BK_RBIT(r)) != 0;
}

static bool
explicit_reason(int r)
{
	return r >= 0 && r != BK_R_UNDEFINED && r != BK_R_ONHOLD;
}

static bool
syntax_error(const struct ctx *c)
{
	char rc = c->in->replycode.n ? c->in->replycode.p[0] : 0;
	return c->by_status == BK_R_SYNTAXERROR ||
	       (rc == '5' && c->in->replycode.n == 3 &&
		c->in->replycode.p[1] == '0' && c->in->replycode.p[2] <= '4' &&
		c->in->replycode.p[2] >= '0');
}

static int
second_look(const struct ctx *c, int given)
{
	const struct bk_classify_in *in = c->in;
	if (explicit_reason(given))
		return given;
	int r = c->by_status;
	bool smtp = bk_sv_ieq(in->diagtype, BK_SV("SMTP"));
	if (!is_retry(r) && smtp)
		return r;
	for (size_t i = 0; i < BK_NELEM(order_text); i++)
		if (ph(c, order_text[i]))
			return order_text[i];
	if (r >= 0)
		return r;
	if (bk_sv_starts(bk_sv_from(in->status, 1), BK_SV(".6")))
		return BK_R_CONTENTERROR;
	if (bk_sv_starts(bk_sv_from(in->status, 1), BK_SV(".7")))
		return BK_R_SECURITYERROR;
	if (bk_sv_istarts(in->diagtype, BK_SV("X-UNIX")))
		return BK_R_MAILERERROR;
	if (syntax_error(c))
		return BK_R_SYNTAXERROR;
	if (bk_sv_eq(in->action, BK_SV("delayed")) ||
	    bk_sv_eq(in->action, BK_SV("expired")))
		return BK_R_EXPIRED;
	if (cmd_is(c, "EHLO") || cmd_is(c, "HELO"))
		return BK_R_BLOCKED;
	return -1;
}

int
bk_classify(const struct bk_classify_in *in)
{
	struct ctx c = { in, 0, -1 };
	int given = in->reason.n ? bk_reason_by_name(in->reason) : -1;

	if (given >= 0 && !is_retry(given))
		return given;
	if (bk_sv_starts(in->status, BK_SV("2.")))
		return BK_R_DELIVERED;
	c.phrases = bk_phrases_match(in->diag);
	c.by_status = bk_status_is_pseudo(in->status) ? -1
						       : bk_status_reason(in->status);
	(void)status_is;
	(void)probe_status_only;

	int r = -1;
	if (bk_sv_ieq(in->diagtype, BK_SV("SMTP")) || in->diagtype.n == 0) {
		for (size_t i = 0; i < BK_NELEM(order_smtp) && r < 0; i++)
			if (order_smtp[i].probe(&c, order_smtp[i].reason))
				r = order_smtp[i].reason;
	}
	if (r < 0 || r == BK_R_UNDEFINED) {
		r = second_look(&c, given);
		if (r == BK_R_UNDEFINED)
			r = -1;
		if (r < 0 && bk_sv_eq(in->action, BK_SV("delayed")))
			r = BK_R_EXPIRED;
		if (r >= 0)
			return r;
		if (ph(&c, BK_R_VACATION))
			return BK_R_VACATION;
		return in->diag.n ? BK_R_ONHOLD : BK_R_UNDEFINED;
	}
	return r;
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
