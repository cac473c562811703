/* SPDX-License-Identifier: BSD-2-Clause */
/* webhooks.h - POST /v1/webhooks/{ses,sendgrid,mailgun,postmark,sparkpost}
 * on `bouncekit serve` (docs/webhooks.md): each provider's authenticity
 * check, its payload read by hooks/, the records stored on channel
 * "webhook".  An endpoint without configuration refuses every request. */
#ifndef BK_SERVER_WEBHOOKS_H
#define BK_SERVER_WEBHOOKS_H

#include <stddef.h>
#include <time.h>

#include <microhttpd.h>

#include "store/store.h"

struct bk_webhooks;

/* conf: the configuration file (KEY = VALUE lines, docs/webhooks.md), or
 * NULL: every endpoint refuses.  db, policy: the store the events go to.
 * NULL with a message in err when the file is wrong. */
struct bk_webhooks *bk_webhooks_new(const char *conf, const char *db,
				    const struct bk_policy *policy, char *err,
				    size_t errlen);
void bk_webhooks_free(struct bk_webhooks *w);

/* One request to a path under /v1/webhooks/ (decoded path, its raw
 * body); the response is queued on c and one line logged on stderr. */
enum MHD_Result bk_webhooks_handle(struct bk_webhooks *w,
				   struct MHD_Connection *c, const char *method,
				   const char *path, const char *body,
				   size_t len, const struct timespec *t0);

#endif
