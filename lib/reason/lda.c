/* SPDX-License-Identifier: BSD-2-Clause */
/* lda.c - local delivery agents whose error text appears inside bounces:
 * dovecot (LDA and LMTP), mail.local(8), procmail, maildrop, vpopmail's
 * vdelivermail and vmailmgr's vdeliver.  The agent is recognised by its
 * marker; its own messages then say what went wrong; an agent's text that
 * matches none of them is a mailer error, except Dovecot's: its rejection
 * notice ("Your message to <x> was automatically rejected:") carries
 * either its own reasons (quota, disk space: the rows) or, where a Sieve
 * script's `reject` (RFC 5429, Pigeonhole) made it, the script's own
 * words, so any other text there is the recipient's filter: filtered.
 *
 * The rows are the tables of format_mda.c, which the RFC 3464 decoder
 * reads too: one meaning for an agent's message whichever path finds it.
 */
#include "reason.h"
#include "rule.h"

struct lda {
	const char *name;
	struct bk_sv marks[2];	/* lower case; any one identifies the agent */
	const struct bk_rule_table *rows;	/* format_mda.c */
	int other;		/* the reason of a text no row matches */
};

#define LDA(name, m1, m2, rows) \
	{ name, { BK_SVI(m1), BK_SVI(m2) }, &rows, BK_R_MAILERERROR }
#define LDA_OTHER(name, m1, m2, rows, other) \
	{ name, { BK_SVI(m1), BK_SVI(m2) }, &rows, BK_R_##other }

/* (marks as views: the search for each runs for every record) */
static const struct lda agents[] = {
	LDA("pipe", "\"|", "", bk_rules_mda_pipe),
	LDA_OTHER("dovecot", "your message to <", "> was automatically rejected:",
	    bk_rules_mda_dovecot, FILTERED),
	LDA("mail.local", "mail.local: ", "", bk_rules_mda_maillocal),
	LDA("procmail", "procmail: ", "/procmail ", bk_rules_mda_procmail),
	LDA("maildrop", "maildrop: ", "", bk_rules_mda_maildrop),
	LDA("vpopmail", "vdelivermail: ", "", bk_rules_mda_vpopmail),
	LDA("vmailmgr", "vdeliver: ", "", bk_rules_mda_vmailmgr),
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
		struct bk_said row = bk_rule_find(a->rows, diag);
		return bk_said_any(row) ? bk_said_reason(row) : a->other;
	}
	return -1;
}
