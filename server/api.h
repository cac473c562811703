/* SPDX-License-Identifier: BSD-2-Clause */
/* api.h - the API's listing and writing calls (api.c, suppress.c,
 * metrics.c) and the helpers their handlers share. */
#ifndef BK_SERVER_API_H
#define BK_SERVER_API_H

#include <stdint.h>

#include "server/http.h"

/* 503 for a transient store error, else 500 (server.c). */
unsigned api_store_status(int rc);

/* An argument: 1 given (into out), 0 absent or empty; -1 after a 400 was
 * put in rs (bad encoding, too long). */
int api_arg(const struct bk_http_req *rq, struct bk_http_resp *rs,
	    const char *name, char *out, size_t outlen);
/* Epoch seconds, or YYYY-MM-DD[THH:MM:SS[Z]] in UTC. */
bool api_time(const char *s, int64_t *out);
/* since= and until= (0 when absent); -1 after a 400. */
int api_range(const struct bk_http_req *rq, struct bk_http_resp *rs,
	      int64_t *since, int64_t *until);
/* limit= (def when absent, 1..max); -1 after a 400. */
int api_limit(const struct bk_http_req *rq, struct bk_http_resp *rs,
	      size_t def, size_t max, size_t *out);
/* Opaque paging cursors: base64url of KIND, f1 and f2 (malloc'd). */
char *api_cursor_make(const char *kind, const char *f1, const char *f2);
bool api_cursor_read(const char *c, const char *kind, char *f1, char *f2,
		     size_t bufsz);
/* An event as JSON, appended to the array arg (a bk_event_fn). */
int api_event_json(void *arg, const struct bk_event *ev);

/* handlers (bk_routes) */
int api_stats(struct bk_server *s, const struct bk_http_req *rq,
	      struct bk_http_resp *rs);
int api_events(struct bk_server *s, const struct bk_http_req *rq,
	       struct bk_http_resp *rs);

#endif
