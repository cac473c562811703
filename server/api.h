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

/* metrics.c: the counters of GET /metrics and the per-token rate limit */
struct bk_metrics;
struct bk_metrics *api_metrics_new(size_t nroutes);
void api_metrics_free(struct bk_metrics *m);
void api_metrics_request(struct bk_metrics *m, int route, unsigned status,
			 double seconds);
void api_metrics_ingested(struct bk_metrics *m, unsigned long long fresh,
			  unsigned long long dup);
/* Takes one request from the token's bucket: 0, or 1 when it is empty
 * (then *retry_after gets the seconds until there is one again). */
int api_rate_take(struct bk_metrics *m, const char *name, double rate,
		  double burst, unsigned *retry_after);
struct bk_metrics *api_server_metrics(struct bk_server *s);
int api_metrics(struct bk_server *s, const struct bk_http_req *rq,
		struct bk_http_resp *rs);

int api_suppressions(struct bk_server *s, const struct bk_http_req *rq,
		     struct bk_http_resp *rs);
int api_suppress(struct bk_server *s, const struct bk_http_req *rq,
		 struct bk_http_resp *rs);
int api_unsuppress(struct bk_server *s, const struct bk_http_req *rq,
		   struct bk_http_resp *rs);
int api_import(struct bk_server *s, const struct bk_http_req *rq,
	       struct bk_http_resp *rs);

#endif
