/* SPDX-License-Identifier: BSD-2-Clause */
/* format_qmail.c - what qmail bounces state (lib/decode/qmail.c reads
 * them), and the reasons. */
#include "rule.h"

/* Messages of qmail and its patches, in the order they are tried. */
static const struct bk_rule messages[] = {
	/* BK_QMAIL_HELO: refused at the greeting: the client was refused */
	BK_RULE("(refused at HELO or EHLO)", BLOCKED),
	/* BK_QMAIL_RETRIED: qmail-remote-fallback.patch, a refusal retried
	 * until it expired says nothing by itself */
	BK_RULE("(\" does not like recipient.\" and \"in the queue too long.\")", ONHOLD),
	/* qmail-local.c, error_str.c, qmail-smtpd.c */
	BK_RULE("no mailbox here by that name", USERUNKNOWN),
	BK_RULE("disk quota exceeded", MAILBOXFULL),
	BK_RULE("Message size exceeds fixed maximum message size:", MESGTOOBIG),
	/* qmail-remote.c; notqmail 1.08 for a null MX */
	BK_RULE("Sorry, I couldn't find any host ", HOSTUNKNOWN),
	BK_RULE("Requested action not taken: mailbox unavailable "
		  "(not enough free space)", SYSTEMFULL),
	BK_RULE("Sorry, I couldn't find a mail exchanger or IP address", NOTACCEPT),
	BK_RULE("Sorry, I wasn't able to establish an SMTP connection", NETWORKERROR),
	BK_RULE("Sorry. Although I'm listed as a best-preference MX or A "
		  "for that host", NETWORKERROR),
	/* qmail-ldap-1.03-20040101.patch */
	BK_RULE("Mailaddress is administrativly disabled", SUSPEND),
	BK_RULE("Mailaddress is administrativley disabled", SUSPEND),
	BK_RULE("Mailaddress is administratively disabled", SUSPEND),
	BK_RULE("Mailaddress is administrativeley disabled", SUSPEND),
	BK_RULE("The message exeeded the maximum size the user accepts", EXCEEDLIMIT),
	BK_RULE("Automatic homedir creator crashed", SYSTEMERROR),
	BK_RULE("Illegal value in LDAP attribute", SYSTEMERROR),
	BK_RULE("LDAP attribute is not given but mandatory", SYSTEMERROR),
	BK_RULE("Timeout while performing search on LDAP server", SYSTEMERROR),
	BK_RULE("Too many results returned but needs to be unique", SYSTEMERROR),
	BK_RULE("error while executing qmail-forward", SYSTEMERROR),
	BK_RULE("Temporary error in automatic homedir creation", SYSTEMERROR),
	BK_RULE("Temporary failure in LDAP lookup", SYSTEMERROR),
	BK_RULE("Unable to login into LDAP server, bad credentials", SYSTEMERROR),
	BK_RULE("bad interpreter: No such file or directory", SYSTEMERROR),
	BK_RULE("system error", SYSTEMERROR),
	BK_RULE("Unable to", SYSTEMERROR),
	/* qmail-send.c */
	BK_RULE("this message has been in the queue too long.", EXPIRED),
};
BK_RULE_TABLE(bk_rules_qmail, "format.qmail", messages);
