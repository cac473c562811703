/* SPDX-License-Identifier: BSD-2-Clause */
/* webhooks.h - POST /v1/webhooks/{ses,sendgrid,mailgun,postmark,sparkpost}
 * on `bouncekit serve` (docs/webhooks.md): each provider's authenticity
 * check, its payload read by hooks/, the records stored on channel
 * "webhook".  An endpoint without configuration refuses every request. */
#ifndef BK_SERVER_WEBHOOKS_H
#define BK_SERVER_WEBHOOKS_H

#include <stddef.h>

#include "server/http.h"

struct bk_webhooks;

/* conf: the configuration file (KEY = VALUE lines, docs/webhooks.md), or
 * NULL: every endpoint refuses.  NULL with a message in err when the file
 * is wrong. */
struct bk_webhooks *bk_webhooks_new(const char *conf, char *err, size_t errlen);
void bk_webhooks_free(struct bk_webhooks *w);

/* One request to a path under /v1/webhooks/ (rq->path set); the
 * events go to the server's store.  A refusal is logged on stderr with
 * its reason.  Returns 0, or -1 without memory (http.h). */
int bk_webhooks_handle(struct bk_webhooks *w, struct bk_server *s,
		       const struct bk_http_req *rq, struct bk_http_resp *rs);

#endif
