/* SPDX-License-Identifier: BSD-2-Clause */
/* dash.h - the web dashboard of `bouncekit serve` (docs/dashboard.md): its
 * pages and scripts embedded at build time (tools/uiembed.c), browser
 * sessions that stand for an API token (server/session.c), and the two
 * small calls its pages need besides the API (server/dash.c).
 *
 * The handlers here know nothing of libmicrohttpd: a request comes in as
 * struct bk_dreq (a header lookup callback, the body, a way to borrow a
 * store handle), the answer goes out as struct bk_reply, which server.c
 * turns into its HTTP response. */
#ifndef BK_DASH_H
#define BK_DASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bk_store;

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

struct bk_dreq {
	const char *method;
	const char *path;	/* percent-decoded, checked */
	const char *body;
	size_t len;
	/* a request header, or NULL */
	const char *(*header)(void *ctx, const char *name);
	void *ctx;
	/* a store handle, borrowed for one call */
	struct bk_store *(*store_get)(void *sctx);
	void (*store_put)(void *sctx, struct bk_store *st);
	void *sctx;
};

#define BK_REPLY_HEADERS 12
struct bk_reply {
	unsigned status;
	char *body;		/* malloc()ed, the caller frees it */
	size_t len;
	const char *ctype;
	unsigned nh;
	const char *hname[BK_REPLY_HEADERS];
	char hval[BK_REPLY_HEADERS][400];
};

/* Adds a header to a reply (dropped when there are too many). */
void bk_reply_header(struct bk_reply *r, const char *name, const char *value);
/* The headers every dashboard page and script carries: the
 * Content-Security-Policy and its friends. */
void bk_reply_secure(struct bk_reply *r);

/* True for the paths the dashboard answers itself, without a bearer
 * token: "/", "/ui/...", "/login", "/logout", "/session". */
bool bk_dash_path(const char *path);
/* Answers one of them.  Returns 0, or -1 when memory ran out. */
int bk_dash_handle(const struct bk_dreq *q, struct bk_reply *out);

/* The API calls of the dashboard, behind the usual auth (read scope):
 * GET /v1/reasons and POST /v1/classify. */
bool bk_dash_api_path(const char *path, const char **method);
int bk_dash_api(const struct bk_dreq *q, struct bk_reply *out);

/* ---- sessions (server/session.c) ---- */

#define BK_SESSION_MAX 1024		/* sessions held at once */
#define BK_SESSION_SECONDS (8 * 3600)	/* a session's life */
#define BK_SESSION_COOKIE "bk_session"

/* The session of a request, from its Cookie header: 1 and the hash of the
 * token it stands for in hash; 0 when there is none (no cookie, unknown,
 * expired); -1 when the method writes (not GET or HEAD) and the request's
 * X-CSRF-Token header is not the session's CSRF token (403). */
int bk_session_check(const char *cookie, const char *method,
		     const char *csrf, char hash[65]);

/* Sign-in, sign-out and the session's own description (JSON). */
int bk_session_login(const struct bk_dreq *q, struct bk_reply *out);
int bk_session_logout(const struct bk_dreq *q, struct bk_reply *out);
int bk_session_info(const struct bk_dreq *q, struct bk_reply *out);

/* A token's name and scope ("read"/"write") by its hash; every row is
 * compared in constant time.  Returns 1 found, 0 not, -1 store error. */
int bk_token_find(struct bk_store *st, const char hash[65], char name[65],
		  char scope[8]);

#endif
