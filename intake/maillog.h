/* SPDX-License-Identifier: BSD-2-Clause */
/* maillog.h - the MTA's own delivery log (Postfix, Exim, Sendmail), one
 * line at a time, into records: each failed or deferred recipient becomes
 * a struct bk_record classified by the decoders' classifier
 * (bk_classify_text over the reply text, with the log's DSN status), and
 * each delivery a delivery count.  Used by `bouncekit ingest --log` and
 * `bouncekit watch --log` (docs/intake.md).
 *
 * Text parsing only: no store, no I/O.  It lives in intake/ and not in
 * lib/ because it keeps state across lines (the sender and Message-ID of
 * each queue id, learnt from the arrival lines) and is fed by a follower
 * of files, which are the intake's business; lib/ decodes messages.
 *
 * Every line is one of: a failure or deferral of a recipient (a record),
 * a delivery, a line the reader uses for state (arrival, message-id,
 * removal), a line of no interest (another program, a connection), or a
 * line it cannot read (no timestamp and program it knows, or a delivery
 * line without a status): these are counted and the caller reports them
 * with file:line. */
#ifndef BK_MAILLOG_H
#define BK_MAILLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bouncekit/bouncekit.h"

enum maillog_mta { MAILLOG_POSTFIX, MAILLOG_EXIM, MAILLOG_SENDMAIL };

/* "postfix", "exim", "sendmail"; false for another name */
bool maillog_mta_parse(const char *name, enum maillog_mta *out);
const char *maillog_mta_name(enum maillog_mta m);

enum maillog_kind {
	MAILLOG_FAILED,		/* a final failure: bounced, expired */
	MAILLOG_DELAYED,	/* a deferral */
	MAILLOG_SENT,		/* a delivery: count it */
};

struct maillog_item {
	enum maillog_kind kind;
	/* FAILED, DELAYED: the record (action failed or delayed); SENT: only
	 * timestamp, recipient, destination, addresser and senderdomain */
	const struct bk_record *rec;
	/* the join of one message at one MTA: "HOST QUEUEID", HOST the first
	 * label of the MTA's name in lower case (docs/store.md) */
	const char *join;
};

/* What a line was. */
enum maillog_line {
	MAILLOG_L_ITEM,		/* gave an item */
	MAILLOG_L_STATE,	/* arrival, message-id, removal: remembered */
	MAILLOG_L_OTHER,	/* of no interest */
	MAILLOG_L_UNKNOWN,	/* cannot be read: report and skip */
};

struct maillog_stats {
	unsigned long long lines, failed, delayed, sent, other, unknown;
};

struct maillog;

/* host: the MTA's name for the join when the lines carry none (Exim's
 * main log; NULL: gethostname()), and for every line when force_host. */
struct maillog *maillog_new(enum maillog_mta mta, const char *host,
			    bool force_host);
void maillog_free(struct maillog *m);

/* The year of timestamps without one (syslog's "Dec  6 23:50:48"): by
 * default the current one, or the one before for a date over two days in
 * the future. */
void maillog_set_year(struct maillog *m, int year);

typedef int (*maillog_fn)(void *arg, const struct maillog_item *it);

/* One line without its line end.  origin names it ("FILE:LINE") in the
 * records.  fn gets each item; its non-zero return is given back through
 * *fnrc (may be NULL).  Returns what the line was. */
enum maillog_line maillog_feed(struct maillog *m, const char *line, size_t len,
			       const char *origin, maillog_fn fn, void *arg,
			       int *fnrc);

const struct maillog_stats *maillog_stats(const struct maillog *m);

#endif
