/* SPDX-License-Identifier: BSD-2-Clause */
/* dash.h - the web dashboard of `bouncekit serve` (docs/dashboard.md): its
 * pages and scripts embedded at build time (tools/uiembed.c), browser
 * sessions that stand for an API token (server/session.c), and the two
 * small calls its pages need besides the API (server/dash.c).  Handlers
 * as server/http.h describes them. */
#ifndef BK_DASH_H
#define BK_DASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/http.h"

/* one embedded file (generated: build/gen/ui_assets.c) */
struct bk_ui_asset {
	const char *path;	/* "/", "/ui/app.js" */
	const char *ctype;
	const unsigned char *data;
	size_t len;
	const char *etag;	/* quoted */
};
extern const struct bk_ui_asset bk_ui_assets[];
extern const size_t bk_ui_nassets;

/* True for the paths the dashboard answers itself, without a bearer
 * token: "/", "/favicon.ico", "/ui/...", "/login", "/logout", "/session". */
bool bk_dash_path(const char *path);
/* Answers one of them (rq->path set).  Returns 0, or -1 without memory. */
int bk_dash_handle(struct bk_server *s, struct bk_http_req *rq,
		   struct bk_http_resp *rs);

/* The API calls of the dashboard (bk_routes, read scope): GET
 * /v1/reasons and POST /v1/classify. */
int bk_dash_reasons(struct bk_server *s, const struct bk_http_req *rq,
		    struct bk_http_resp *rs);
int bk_dash_classify(struct bk_server *s, const struct bk_http_req *rq,
		     struct bk_http_resp *rs);

/* ---- sessions (server/session.c) ---- */

#define BK_SESSION_MAX 1024		/* sessions held at once */
#define BK_SESSION_SECONDS (8 * 3600)	/* a session's life */
#define BK_SESSION_COOKIE "bk_session"

/* The session of a request, from its Cookie header: 1 and the hash of the
 * token it stands for in hash; 0 when there is none (no cookie, unknown,
 * expired); -1 when the method writes (not GET or HEAD) and the request's
 * X-CSRF-Token header is not the session's CSRF token (403). */
int bk_session_check(const struct bk_http_req *rq, char hash[65]);

/* Sign-in, sign-out and the session's own description (JSON). */
int bk_session_login(struct bk_server *s, struct bk_http_req *rq,
		     struct bk_http_resp *rs);
int bk_session_logout(struct bk_server *s, struct bk_http_req *rq,
		      struct bk_http_resp *rs);
int bk_session_info(struct bk_server *s, struct bk_http_req *rq,
		    struct bk_http_resp *rs);
/* The headers every dashboard page and script carries: the
 * Content-Security-Policy and its friends.  -1: no room, no memory. */
int bk_dash_secure(struct bk_http_resp *rs);

/* A token's name and scope ("read"/"write") by its hash; every row is
 * compared in constant time.  Returns 1 found, 0 not, -1 store error. */
int bk_token_find(struct bk_store *st, const char hash[65], char name[65],
		  char scope[8]);

#endif
