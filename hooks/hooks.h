/* SPDX-License-Identifier: BSD-2-Clause */
/* hooks.h - email service providers' event payloads (docs/webhooks.md):
 * Amazon SES notifications (bare or inside an SNS envelope), SendGrid and
 * SparkPost event arrays, Mailgun webhook bodies and Postmark events, read
 * into records, one per recipient, classified by the decoder library's own
 * classifier (bk_classify_text).
 *
 * A layer above lib/ (which has no dependencies), beside store/ and
 * server/: it reads JSON with jansson and hashes with libcrypto, and is
 * used by the command line tool (`bouncekit parse`, `bouncekit ingest` on
 * a file holding a payload) and by the server's POST /v1/webhooks/...
 * endpoints (server/webhooks.c), so that both give the same records.
 * Built into build/libbkhooks.a. */
#ifndef BK_HOOKS_H
#define BK_HOOKS_H

#include <stdbool.h>
#include <stddef.h>

#include "bouncekit/bouncekit.h"

enum bk_hook_provider {
	BK_HOOK_ANY = 0,	/* detect from the payload */
	BK_HOOK_SES,
	BK_HOOK_SENDGRID,
	BK_HOOK_MAILGUN,
	BK_HOOK_POSTMARK,
	BK_HOOK_SPARKPOST,
};

/* "ses", "sendgrid", "mailgun", "postmark", "sparkpost" ("" for ANY). */
const char *bk_hook_provider_name(enum bk_hook_provider p);
/* By name; BK_HOOK_ANY when unknown. */
enum bk_hook_provider bk_hook_provider_by_name(const char *name);

/* One record and what the provider said of it. */
struct bk_hook_rec {
	struct bk_record rec;		/* strings owned by the batch */
	const char *provider_class;	/* JSON object, the provider's own words */
	const char *event_id;		/* the provider's event id, "" when none */
	char key[33];			/* idempotency key of the event (from
					 * provider, event id, recipient and
					 * action); "" when there is no id */
};

/* What an SNS envelope was (SES through SNS). */
enum bk_sns_type {
	BK_SNS_NONE = 0,		/* not an SNS envelope */
	BK_SNS_NOTIFICATION,
	BK_SNS_SUBSCRIBE,		/* SubscriptionConfirmation */
	BK_SNS_UNSUBSCRIBE,		/* UnsubscribeConfirmation */
	BK_SNS_OTHER,
};

struct bk_hook_batch {
	enum bk_hook_provider provider;	/* as read (detected or given) */
	struct bk_hook_rec *v;
	size_t n, cap;
	size_t events;			/* events in the payload */
	size_t ignored;			/* events of types we do not map */
	size_t bad;			/* events skipped: no recipient... */
	char bad_msg[200];		/* why the first of them was skipped */
	enum bk_sns_type sns;
	void *root;			/* the parsed JSON (a json_t *) */
	char **strs;			/* strings the records point to */
	size_t nstrs, capstrs;
};

void bk_hook_batch_init(struct bk_hook_batch *b);
/* Frees what the batch holds and makes it empty again (reusable). */
void bk_hook_batch_clear(struct bk_hook_batch *b);

/* Whether data starts (after white space) with '{' or '[': then it is
 * read as a payload, not as a mail message. */
bool bk_hook_looks_json(const char *data, size_t len);

/* Read one payload of len bytes (at most 16 MiB).  provider BK_HOOK_ANY:
 * detected from its shape.  origin: where it came from (a path,
 * "webhook:ses").  Clears b first.  Returns the number of records (0 for a
 * payload of events that give none, e.g. opens or clicks: b->ignored
 * counts them) or -1 with a message in err: not JSON, not a payload of
 * that provider, an event without a recipient. */
int bk_hook_read(struct bk_hook_batch *b, enum bk_hook_provider provider,
		 const char *data, size_t len, const char *origin, char *err,
		 size_t errlen);

/* The record's catch: {"webhook":PROVIDER,"event_id":ID,"class":{...}}. */

#endif
