/* SPDX-License-Identifier: BSD-2-Clause */
/* format_exim.c - what Exim bounces state (lib/decode/exim.c reads
 * them), and the reasons. */
#include "rule.h"

/* Exim's own messages, in the order they are tried (a full mailbox
 * that timed out is a full mailbox). */
static const struct bk_rule messages[] = {
	/* BK_EXIM_HELO: refused at the greeting: the client was refused */
	BK_RULE("(SMTP error after EHLO or HELO)", BLOCKED),
	/* BK_EXIM_MAIL: refused at MAIL: the classifier decides */
	BK_RULE("(SMTP error after MAIL FROM)", ONHOLD),
	/* BK_EXIM_PIPE: a pipe failed (X-UNIX), none of the sentences below */
	BK_RULE("(a pipe or local delivery failed, X-UNIX)", MAILERERROR),
	/* BK_EXIM_LOCAL: "Unrouteable address" for an address of the
	 * reporting host's own domain: no router took the local part (the
	 * bounce lab's Exim; Debian's exim4 says the same) */
	BK_RULE("(Unrouteable address in the reporting host's own domain)", USERUNKNOWN),
	BK_RULE("user not found", USERUNKNOWN),		/* route.c */
	/* a local delivery agent run by a pipe transport (dovecot-lda,
	 * procmail...) exited 67, EX_NOUSER: Exim's hint for it (os.c) */
	BK_RULE("returned 67 (could mean user nonexistent)", USERUNKNOWN),
	BK_RULE("all host address lookups failed permanently", HOSTUNKNOWN),
	BK_RULE("all relevant MX records point to non-existent hosts", HOSTUNKNOWN),
	BK_RULE("Unrouteable address", HOSTUNKNOWN),
	BK_RULE("mailbox is full", MAILBOXFULL),	/* appendfile.c */
	BK_RULE("error: quota exceed", MAILBOXFULL),
	BK_RULE("an MX or SRV record indicated no SMTP service", NOTACCEPT),
	BK_RULE("no host found for existing SMTP connection", NOTACCEPT),
	/* parser.c */
	BK_RULE("angle-brackets nested too deep", SYNTAXERROR),
	BK_RULE("expected word or \"<\"", SYNTAXERROR),
	BK_RULE("domain missing in source-routed address", SYNTAXERROR),
	BK_RULE("malformed address:", SYNTAXERROR),
	BK_RULE("delivery to file forbidden", SYSTEMERROR),	/* deliver.c */
	BK_RULE("delivery to pipe forbidden", SYSTEMERROR),
	BK_RULE("local delivery failed", SYSTEMERROR),	/* pipe.c */
	BK_RULE("LMTP error after ", SYSTEMERROR),
	/* hosts_require_tls (transports/smtp.c): "a TLS session is required,
	 * but the server did not offer TLS support" / "..., but an attempt to
	 * start TLS failed", with ": retry timeout exceeded" once given up */
	BK_RULE("a TLS session is required", FAILEDSTARTTLS),
	BK_RULE("Too many \"Received\" headers", CONTENTERROR),
	BK_RULE("retry timeout exceeded", EXPIRED),	/* retry.c */
	BK_RULE("retry time not reached for any host after a long failure", EXPIRED),
	BK_RULE("all hosts have been failing for a long time", EXPIRED),
	BK_RULE("Delay reason: ", EXPIRED),
	BK_RULE(" has been frozen", EXPIRED),
	BK_RULE(" was frozen on arrival", EXPIRED),
};
const struct bk_rule_table bk_rules_exim = { "format.exim", messages, BK_NELEM(messages), true };

/* Mail.Ru's reports are Exim's with a Russian preface (lib/decode/mailru.c)
 * and the same sentences, but each failure report says it is permanent:
 * its statements stand for no status, the text decides (a delay warning
 * keeps Exim's table). */
const struct bk_rule_table bk_rules_mailru = { "format.mailru", messages, BK_NELEM(messages), false };
