/* SPDX-License-Identifier: BSD-2-Clause */
/* sns.h - Amazon SNS messages (SES notifications through SNS) for the
 * webhook endpoint (webhooks.c, docs/webhooks.md): the signature
 * (versions 1, SHA1, and 2, SHA256) over the SNS canonical string, with
 * the signing certificate fetched by libcurl only from an https URL on an
 * SNS host, verified against the CA store and cached in memory; the
 * TopicArn allow-list; subscription confirmations. */
#ifndef BK_SERVER_SNS_H
#define BK_SERVER_SNS_H

#include <stdbool.h>
#include <stddef.h>

#include "hooks/hooks.h"

#define BK_SNS_MAX 16

struct bk_sns_conf {
	char *topics[BK_SNS_MAX];	/* ses.topic: allowed TopicArns */
	unsigned ntopics;
	bool enabled;			/* ses.enabled, or a topic given */
	bool auto_confirm;		/* ses.auto_confirm = yes */
	char *ca_file;			/* ses.ca_file: trust anchors (tests) */
	char *connect_to[BK_SNS_MAX];	/* ses.connect_to: HOST:PORT:HOST2:PORT2 */
	unsigned nconnect;
};

void bk_sns_conf_init(struct bk_sns_conf *c);
/* key without "ses.": topic, enabled, auto_confirm, ca_file, connect_to. */
int bk_sns_conf_set(struct bk_sns_conf *c, const char *key, const char *val,
		    char *err, size_t errlen);
bool bk_sns_conf_enabled(const struct bk_sns_conf *c);
void bk_sns_conf_free(struct bk_sns_conf *c);

struct bk_sns;
struct bk_sns *bk_sns_new(const struct bk_sns_conf *c, char *err, size_t errlen);
void bk_sns_free(struct bk_sns *s);

/* A message's authenticity (root: a json_t * of the body): 0 when its
 * signature verifies (and, for a notification, its topic is allowed),
 * else 401/403 with *why set. */
unsigned bk_sns_check(struct bk_sns *s, void *root, const char **why);
/* A verified SubscriptionConfirmation or UnsubscribeConfirmation: confirm
 * it (auto_confirm and an allowed topic) or say what the operator should
 * do; msg gets one line for the log. */
void bk_sns_control(struct bk_sns *s, void *root, enum bk_sns_type type,
		    char *msg, size_t msglen);

#endif
