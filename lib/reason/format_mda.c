/* SPDX-License-Identifier: BSD-2-Clause */
/* format_mda.c - local delivery agents' own messages and what they mean,
 * one table per agent: the one set of rows for both paths that read them,
 * an agent's notice quoted in a DSN (lib/decode/rfc3464.c) and an agent's
 * text in a diagnostic (lda.c, step 2 of the classifier's order).  Facts
 * from the agents' sources and manuals, and from Sisimai's LDA table. */
#include "rule.h"

/* dovecot: lib-lda/mail-send.c, the quota plugin */
static const struct bk_rule dovecot[] = {
	BK_RULE("mailbox doesn't exist: ", USERUNKNOWN),
	BK_RULE("quota exceeded", MAILBOXFULL),
	BK_RULE("not enough disk space", MAILBOXFULL),
};
BK_RULE_TABLE(bk_rules_mda_dovecot, "format.mda.dovecot", dovecot);

static const struct bk_rule maillocal[] = {
	BK_RULE(": unknown user:", USERUNKNOWN),
	BK_RULE(": user unknown", USERUNKNOWN),
	BK_RULE(": invalid mailbox path", USERUNKNOWN),
	BK_RULE(": user missing home directory", USERUNKNOWN),
	BK_RULE("disc quota exceeded", MAILBOXFULL),
	BK_RULE("mailbox full or quota exceeded", MAILBOXFULL),
	BK_RULE("temporary file write error", SYSTEMERROR),
};
BK_RULE_TABLE(bk_rules_mda_maillocal, "format.mda.mail.local", maillocal);

static const struct bk_rule procmail[] = {
	BK_RULE("quota exceeded while writing", MAILBOXFULL),
	BK_RULE("user over quota", MAILBOXFULL),
	BK_RULE("service unavailable", SYSTEMERROR),
	BK_RULE("no space left to finish writing", SYSTEMFULL),
};
BK_RULE_TABLE(bk_rules_mda_procmail, "format.mda.procmail", procmail);

static const struct bk_rule maildrop[] = {
	BK_RULE("invalid user specified.", USERUNKNOWN),
	BK_RULE("cannot find system user", USERUNKNOWN),
	BK_RULE("maildir over quota.", MAILBOXFULL),
};
BK_RULE_TABLE(bk_rules_mda_maildrop, "format.mda.maildrop", maildrop);

static const struct bk_rule vpopmail[] = {
	BK_RULE("sorry, no mailbox here by that name.", USERUNKNOWN),
	/* settled: suspend, the account is locked (lda.c said suspend, the
	 * DSN path filtered; the shared corpus's expectation for vpopmail's
	 * message is suspend) */
	BK_RULE("account is locked email bounced", SUSPEND),
	BK_RULE("user does not exist, but will deliver to ", FILTERED),
	BK_RULE("domain is over quota", MAILBOXFULL),
	BK_RULE("user is over quota", MAILBOXFULL),
};
BK_RULE_TABLE(bk_rules_mda_vpopmail, "format.mda.vpopmail", vpopmail);

static const struct bk_rule vmailmgr[] = {
	BK_RULE("invalid or unknown base user or domain", USERUNKNOWN),
	BK_RULE("invalid or unknown virtual user", USERUNKNOWN),
	BK_RULE("user name does not refer to a virtual user", USERUNKNOWN),
	BK_RULE("delivery failed due to system quota violation", MAILBOXFULL),
};
BK_RULE_TABLE(bk_rules_mda_vmailmgr, "format.mda.vmailmgr", vmailmgr);

/* A delivery to a program ("|/usr/bin/procmail ...", the form .forward and
 * aliases(5) give) that failed is the program's failure, whatever the MTA
 * wrapped around it. */
static const struct bk_rule pipe_rows[] = {
	BK_RULE("\"|", MAILERERROR),
};
BK_RULE_TABLE(bk_rules_mda_pipe, "format.mda.pipe", pipe_rows);
