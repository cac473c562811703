/* SPDX-License-Identifier: BSD-2-Clause */
/* lda.c - local delivery agents whose error text appears inside bounces:
 * dovecot (LDA and LMTP), mail.local(8), procmail, maildrop, vpopmail's
 * vdelivermail and vmailmgr's vdeliver.  The agent is recognised by its
 * marker; its own messages then say what went wrong; an agent's text that
 * matches none of them is a mailer error.
 *
 * Facts from the agents' sources and manuals, and from Sisimai's LDA table.
 */
#include "reason.h"

struct lda_row {
	int reason;
	const char *text;	/* lower case */
};

struct lda {
	const char *name;
	struct bk_sv marks[2];	/* lower case; any one identifies the agent */
	const struct lda_row *rows;
	size_t n;
};

/* A delivery to a program ("|/usr/bin/procmail ...", the form .forward
 * and aliases(5) give) that failed is the program's failure, whatever the
 * MTA wrapped around it. */
static const struct lda_row pipe[] = {
	{ BK_R_MAILERERROR, "\"|" },
};
static const struct lda_row dovecot[] = {
	{ BK_R_MAILBOXFULL, "not enough disk space" },
	{ BK_R_MAILBOXFULL, "quota exceeded" },
	{ BK_R_USERUNKNOWN, "mailbox doesn't exist: " },
};
static const struct lda_row maillocal[] = {
	{ BK_R_MAILBOXFULL, "disc quota exceeded" },
	{ BK_R_MAILBOXFULL, "mailbox full or quota exceeded" },
	{ BK_R_SYSTEMERROR, "temporary file write error" },
	{ BK_R_USERUNKNOWN, ": invalid mailbox path" },
	{ BK_R_USERUNKNOWN, ": unknown user:" },
	{ BK_R_USERUNKNOWN, ": user missing home directory" },
	{ BK_R_USERUNKNOWN, ": user unknown" },
};
static const struct lda_row procmail[] = {
	{ BK_R_MAILBOXFULL, "quota exceeded while writing" },
	{ BK_R_MAILBOXFULL, "user over quota" },
	{ BK_R_SYSTEMERROR, "service unavailable" },
	{ BK_R_SYSTEMFULL, "no space left to finish writing" },
};
static const struct lda_row maildrop[] = {
	{ BK_R_MAILBOXFULL, "maildir over quota." },
	{ BK_R_USERUNKNOWN, "invalid user specified." },
	{ BK_R_USERUNKNOWN, "cannot find system user" },
};
static const struct lda_row vpopmail[] = {
	{ BK_R_FILTERED, "user does not exist, but will deliver to " },
	{ BK_R_MAILBOXFULL, "domain is over quota" },
	{ BK_R_MAILBOXFULL, "user is over quota" },
	{ BK_R_SUSPEND, "account is locked email bounced" },
	{ BK_R_USERUNKNOWN, "sorry, no mailbox here by that name." },
};
static const struct lda_row vmailmgr[] = {
	{ BK_R_MAILBOXFULL, "delivery failed due to system quota violation" },
	{ BK_R_USERUNKNOWN, "invalid or unknown base user or domain" },
	{ BK_R_USERUNKNOWN, "invalid or unknown virtual user" },
	{ BK_R_USERUNKNOWN, "user name does not refer to a virtual user" },
};

#define LDA(name, m1, m2, rows) \
	{ name, { BK_SVI(m1), BK_SVI(m2) }, rows, BK_NELEM(rows) }

/* (marks as views: the search for each runs for every record) */
static const struct lda agents[] = {
	LDA("pipe", "\"|", "", pipe),
	LDA("dovecot", "your message to <", "> was automatically rejected:",
	    dovecot),
	LDA("mail.local", "mail.local: ", "", maillocal),
	LDA("procmail", "procmail: ", "/procmail ", procmail),
	LDA("maildrop", "maildrop: ", "", maildrop),
	LDA("vpopmail", "vdelivermail: ", "", vpopmail),
	LDA("vmailmgr", "vdeliver: ", "", vmailmgr),
};

/* Most marks end in ": " ("procmail: "): a text has few of those, so
 * their places are found once and each such mark is looked for where
 * one ends, instead of searching the whole text for each mark. */
#define MAX_COLONS 16

struct colons {
	size_t at[MAX_COLONS];	/* where each ": " starts */
	size_t n;
	bool many;		/* more than MAX_COLONS: search instead */
};

static void
find_colons(struct bk_sv t, struct colons *c)
{
	c->n = 0;
	c->many = false;
	for (size_t i = 0; i + 1 < t.n;) {
		const char *p = memchr(t.p + i, ':', t.n - i - 1);
		if (!p)
			break;
		i = (size_t)(p - t.p);
		if (t.p[i + 1] == ' ') {
			if (c->n == MAX_COLONS) {
				c->many = true;
				return;
			}
			c->at[c->n++] = i;
		}
		i++;
	}
}

static bool
has_mark(struct bk_sv t, struct bk_sv mark, const struct colons *c)
{
	if (c->many || mark.n < 3 || mark.p[mark.n - 2] != ':' ||
	    mark.p[mark.n - 1] != ' ')
		return bk_sv_icontains(t, mark);
	struct bk_sv word = bk_sv_make(mark.p, mark.n - 2);
	for (size_t k = 0; k < c->n; k++)
		if (c->at[k] >= word.n &&
		    bk_sv_ieq(bk_sv_slice(t, c->at[k] - word.n, c->at[k]), word))
			return true;
	return false;
}

/* The reason a local delivery agent's message states, or -1.  Applies to
 * failures at delivery (no SMTP command, or DATA). */
int
bk_lda_reason(struct bk_sv diag, struct bk_sv command)
{
	if (!diag.n || (command.n && !bk_sv_eq(command, BK_SV("DATA"))))
		return -1;
	struct colons c;
	find_colons(diag, &c);
	for (size_t i = 0; i < BK_NELEM(agents); i++) {
		const struct lda *a = &agents[i];
		bool mine = false;
		for (size_t k = 0; k < 2 && a->marks[k].n && !mine; k++)
			mine = has_mark(diag, a->marks[k], &c);
		if (!mine)
			continue;
		for (size_t k = 0; k < a->n; k++)
			if (bk_sv_icontains(diag, bk_sv_c(a->rows[k].text)))
				return a->rows[k].reason;
		return BK_R_MAILERERROR;
	}
	return -1;
}
