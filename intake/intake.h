/* SPDX-License-Identifier: BSD-2-Clause */
/* intake.h - one bounce message as an MTA hands it over (a pipe, LMTP, a
 * Maildir), with its envelope, into the store: decode it, read the
 * original recipient from a VERP envelope recipient, keep a message that
 * gave no record when asked, and commit its events before the caller
 * acknowledges it.  Used by `bouncekit ingest -` (the MTA pipe) and
 * `bouncekit lmtp` (intake/lmtp.h); docs/intake.md.
 *
 * The outcome tells the caller what to answer the MTA: stored (or
 * accepted as not a bounce), a temporary failure (the store is down or
 * locked, memory ran out, the message could not be kept: nothing was
 * written, deliver it again later), or a message that can never be read
 * (empty, over the size limit). */
#ifndef BK_INTAKE_H
#define BK_INTAKE_H

#include <stdbool.h>
#include <stddef.h>

#include "bouncekit/bouncekit.h"

struct bk_store;

struct intake_conf {
	const char *channel;	/* the store's channel: "pipe", "lmtp"... */
	const char *keep_dir;	/* messages that gave no record: NULL = not kept */
	/* VERP: the first character separates the bounce address's local
	 * part from the encoded recipient, the second stands for its '@'
	 * ("+=": bounces+user=example.org@sender.example).  NULL or "": off. */
	const char *verp;
	size_t max_size;	/* bytes; 0: the decoder's default limit */
	/* A long-running caller's (lmtp, watch): called before the next
	 * message after a temporary failure, it gives a store opened again
	 * in place of the old one (a database server that went away and
	 * came back takes the old connection with it for good), having
	 * closed the old one; or NULL, and the old one is tried again.  NULL:
	 * never. */
	struct bk_store *(*reopen)(void *arg, struct bk_store *old);
	void *reopen_arg;
};

enum intake_result {
	INTAKE_STORED,		/* events committed */
	INTAKE_NOTBOUNCE,	/* no record: accepted (and kept if configured) */
	INTAKE_TEMPFAIL,	/* nothing written: try again later */
	INTAKE_DATAERR,		/* can never be read */
};

struct intake_outcome {
	enum intake_result result;
	unsigned decoded;	/* records the decoders gave */
	unsigned records;	/* records offered to the store */
	unsigned verp_supplied;	/* of which recipients read from VERP */
	unsigned verp_confirmed; /* decoded recipients a VERP address named */
	bool kept;
	char kept_path[4096];
	char msg[600];		/* for people: why a failure */
};

struct intake;

/* st stays the caller's; conf is copied (its strings must outlive it).
 * NULL on failure (message in err). */
struct intake *intake_new(struct bk_store *st, const struct intake_conf *conf,
			  char *err, size_t errlen);
void intake_free(struct intake *in);

/* One message (any line endings) with its envelope: sender (may be NULL
 * or "" for the null sender) and the envelope recipients.  Decodes,
 * applies VERP, keeps the message if it gave no decoded record, stores
 * and commits.  Returns out->result. */
enum intake_result intake_message(struct intake *in, const char *data,
				  size_t len, const char *origin,
				  const char *sender, const char *const *rcpts,
				  size_t nrcpt, struct intake_outcome *out);

/* The same in two steps, for a caller that commits several messages in
 * one transaction (group commit): intake_stage() does all but the commit
 * (its INTAKE_STORED and INTAKE_NOTBOUNCE say what the message gives once
 * committed); intake_commit() commits what every message staged since the
 * last commit gave: 0, or -1 (msg filled) when nothing of them was
 * written (each is then a temporary failure). */
enum intake_result intake_stage(struct intake *in, const char *data,
				size_t len, const char *origin,
				const char *sender, const char *const *rcpts,
				size_t nrcpt, struct intake_outcome *out);
int intake_commit(struct intake *in, char *msg, size_t msglen);

/* The first header field called name in the message's header block,
 * unfolded, into buf; false when absent. */
bool intake_header(const char *data, size_t len, const char *name, char *buf,
		   size_t buflen);

/* The MTA host and queue id a bounce message names for the message it
 * returns, as "HOST QUEUEID" (HOST the first label of the name, lower
 * case), the join of bk_store_add_join() (docs/store.md): Postfix's
 * X-Postfix-Queue-ID with its Reporting-MTA; else (Exim, Sendmail) the
 * "by HOST ... id QUEUEID" of the returned message's first Received
 * field.  false when it names none. */
bool intake_join(const char *data, size_t len, char *out, size_t outlen);

/* The recipient a VERP address encodes (local part after the first
 * delims[0], its last delims[1] turned into '@'), lower case; false when
 * it encodes none. */
bool intake_verp_decode(const char *addr, const char *delims, char *out,
			size_t outlen);

#endif
