/* SPDX-License-Identifier: BSD-2-Clause */
/* dsn.h - delivery status vocabulary: RFC 3463 status codes, RFC 5321
 * reply codes, SMTP commands, and the fields of RFC 3464 delivery status
 * notifications. */
#ifndef BK_DSN_H
#define BK_DSN_H

#include "core/core.h"

#define BK_STATUS_MAX 16

/* Find the RFC 3463 status in free text ("550 5.1.1 <a@b>... User
 * unknown").  hint is the class to look for ('2', '4', '5') or 0 for any.
 * Codes next to digits or dots (IPv4 addresses, versions) are not status
 * codes; X.0.0 and 4.4.7 are taken only when nothing better is there.
 * Returns true and writes out. */
bool bk_status_find(struct bk_sv text, char hint, char out[BK_STATUS_MAX]);
/* true for a well-formed status: class 2/4/5, subject 0-7, detail 0-999. */
bool bk_status_valid(struct bk_sv s);
/* Of the Status: field value, the code in the text and the reply code,
 * the one to keep (see status.c for the rules). */
struct bk_sv bk_status_prefer(struct bk_sv field, struct bk_sv intext,
			      struct bk_sv reply);
/* true for pseudo codes X.0.9NN. */
bool bk_status_is_pseudo(struct bk_sv s);

/* Find the SMTP reply code in text; hint as above.  Returns true and
 * writes out[4]. */
bool bk_reply_find(struct bk_sv text, char hint, char out[4]);
bool bk_reply_valid(struct bk_sv code);
/* true for a line of an SMTP error reply: "550 ...", "451-4.7.1 ...". */
bool bk_line_is_reply(struct bk_sv line);

/* The SMTP command named in text ("... in reply to RCPT TO command"):
 * "HELO", "EHLO", "MAIL", "RCPT", "DATA", ... or "" when none. */
const char *bk_command_find(struct bk_sv text);
/* true when s is (or begins with) a known command name. */
bool bk_command_valid(struct bk_sv s);

/* ---- RFC 3464 fields ---- */

enum bk_dsn_field {
	BK_DF_NONE = 0,
	/* per message */
	BK_DF_REPORTING_MTA,
	BK_DF_DSN_GATEWAY,
	BK_DF_RECEIVED_FROM_MTA,
	BK_DF_ARRIVAL_DATE,
	BK_DF_ORIGINAL_ENVELOPE_ID,
	/* per recipient */
	BK_DF_ORIGINAL_RECIPIENT,
	BK_DF_FINAL_RECIPIENT,
	BK_DF_ACTION,
	BK_DF_STATUS,
	BK_DF_REMOTE_MTA,
	BK_DF_DIAGNOSTIC_CODE,
	BK_DF_LAST_ATTEMPT_DATE,
	BK_DF_FINAL_LOG_ID,
	BK_DF_WILL_RETRY_UNTIL,
	BK_DF_X_ACTUAL_RECIPIENT,
};

/* Recognise a DSN field line.  *type gets the address or diagnostic type
 * before ';' ("rfc822", "smtp", "dns"; empty when none) and *value the
 * rest, trimmed. */
enum bk_dsn_field bk_dsn_field(struct bk_sv line, struct bk_sv *type,
			       struct bk_sv *value);
static inline bool
bk_dsn_field_per_recipient(enum bk_dsn_field f)
{
	return f >= BK_DF_ORIGINAL_RECIPIENT;
}

/* Normalise an Action value ("failed", "delayed", "delivered", "relayed",
 * "expanded"); also maps the misspellings seen in the wild ("failure",
 * "expired" ...).  Returns "" when unknown. */
const char *bk_action_normalize(struct bk_sv v);

/* ---- SMTP session transcripts (transcript.c) ---- */

/* One exchange of a session a bounce quotes: a command and the reply it
 * got.  Views point into the text read or into the reader's arena. */
struct bk_smtp_step {
	struct bk_sv command;	/* "EHLO", "MAIL", "RCPT", "DATA", ...; "CONN"
				 * for a reply before any command; "" for a
				 * client line that names no known command */
	struct bk_sv argument;	/* MAIL, RCPT: the address; else the rest */
	struct bk_sv reply;	/* "550"; "" when the command got no reply */
	struct bk_sv status;	/* "5.1.1" found in the reply, or "" */
	struct bk_sv text;	/* the reply, its lines joined by a space */
};

#define BK_SMTP_PENDING 8

/* Reads the exchanges of a transcript in either form,
 *
 *   >>> RCPT TO:<kijitora@example.org>          (client)
 *   <<< 550 5.1.1 <kijitora@example.org>... User unknown
 *
 *    In:  RCPT TO:<kijitora@example.org>        (Postfix smtpd)
 *    Out: 550 5.1.1 <kijitora@example.org>: Recipient address rejected
 *
 * skipping the lines between them.  Multi-line replies ("550-...") make one
 * step; a line indented deeper than the one before continues it. */
struct bk_smtp_reader {
	struct bk_sv rest;		/* the text not read yet */
	struct bk_arena *arena;		/* for joined multi-line replies */
	int style;			/* the labels in use, once seen */
	struct bk_smtp_step pending[BK_SMTP_PENDING];	/* unanswered */
	size_t npending;
	bool drain;			/* hand out the unanswered first */
	struct bk_smtp_step last;	/* the command answered last */
};

void bk_smtp_reader_init(struct bk_smtp_reader *r, struct bk_sv text,
			 struct bk_arena *a);
/* The next exchange, in the order of the replies: true and *s filled, or
 * false at the end.  Commands left without a reply come when the run of
 * transcript lines they are in ends (at other text or the end). */
bool bk_smtp_next(struct bk_smtp_reader *r, struct bk_smtp_step *s);
/* true when the step's reply is a failure (4xx or 5xx). */
bool bk_smtp_failed(const struct bk_smtp_step *s);

#endif
