/* SPDX-License-Identifier: BSD-2-Clause */
/* http.h - inside the HTTP API: a request and its response as plain data,
 * so that routing and handlers run without sockets.  server.c's
 * libmicrohttpd callback fills a bk_http_req, calls bk_server_handle()
 * and sends the bk_http_resp; fuzz/fuzz_server.c calls bk_server_handle()
 * directly.  Handlers in server/NAME.c include this header:
 *
 *	static int
 *	get_thing(struct bk_server *s, const struct bk_http_req *rq,
 *		  struct bk_http_resp *rs)
 *	{
 *		char v[64];
 *		if (bk_http_arg(rq, "q", v, sizeof(v)) < 0)
 *			return bk_http_error(rs, 400, "bad_request", "bad q");
 *		struct bk_store *st = bk_server_store(s);
 *		... query st ...
 *		bk_server_release(s, st);
 *		return bk_http_json(rs, 200, json_pack(...));
 *	}
 *
 * A handler fills rs and returns 0, or returns -1 when it could not even
 * build a response (out of memory): the request then gets a 500. */
#ifndef BK_SERVER_HTTP_H
#define BK_SERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "server/server.h"

struct bk_http_req {
	const char *method;	/* "GET", "POST", ... */
	const char *url;	/* the raw path as sent, without the query */
	const char *query;	/* the raw query after '?', "" when none */
	/* a request header by name (case-insensitive), NULL when absent */
	const char *(*header)(void *hcls, const char *name);
	void *hcls;
	const char *body;	/* NUL-terminated, NULL when there is none */
	size_t len;
	bool too_big;		/* the body was over max_body (and dropped) */
	/* set by bk_server_handle() before a handler runs */
	const char *path;	/* url percent-decoded (no NUL, no "." or "..") */
	const char *param;	/* the {parameter} of the route's path, or NULL */
	int route;		/* its index in bk_routes, -1 for none */
	enum bk_token_scope { BK_TOKEN_NONE, BK_TOKEN_READ, BK_TOKEN_WRITE } scope;
	char token_name[65];	/* the bearer token's name, "" without one */
};

#define BK_HTTP_MAX_HEADERS 8

struct bk_http_resp {
	unsigned status;	/* 0 until a response is made */
	char *body;		/* malloc'd (freed by bk_http_resp_free) ... */
	size_t len;
	bool body_static;	/* ... unless this: a buffer that lives forever */
	const char *ctype;	/* a string that lives forever; NULL: JSON */
	/* or a body made as the client reads it (bk_http_stream) */
	ssize_t (*reader)(void *cls, uint64_t pos, char *buf, size_t max);
	void *reader_cls;
	void (*reader_free)(void *cls);
	unsigned nheaders;
	struct {
		const char *name;	/* lives forever */
		char *value;		/* malloc'd copy */
	} headers[BK_HTTP_MAX_HEADERS];
};

/* A route: method and path ("/v1/addresses/{address}": one {parameter},
 * a whole segment at the end), the token scope it needs (BK_TOKEN_NONE:
 * none) and its handler.  bk_routes (server.c) ends with a NULL method;
 * `bouncekit serve --routes` prints it and tests/api.sh compares it with
 * docs/openapi.yaml.  GET routes answer HEAD too. */
typedef int (*bk_http_fn)(struct bk_server *s, const struct bk_http_req *rq,
			  struct bk_http_resp *rs);
struct bk_route {
	const char *method, *path;
	enum bk_token_scope need;
	bk_http_fn fn;
};
extern const struct bk_route bk_routes[];

/* The server without its sockets: the store handles, the token cache. */
struct bk_server *bk_server_new(const struct bk_server_conf *conf, char *err,
				size_t errlen);
void bk_server_free(struct bk_server *s);
const struct bk_server_conf *bk_server_conf(const struct bk_server *s);

/* Answers one request (always fills rs; a bug or no memory gives 500).
 * Thread-safe: one call per thread at a time. */
void bk_server_handle(struct bk_server *s, struct bk_http_req *rq,
		      struct bk_http_resp *rs);
void bk_http_resp_free(struct bk_http_resp *rs);

/* A store handle for this thread (kept for the thread: cheap), given back
 * with bk_server_release() before the handler returns. */
struct bk_store *bk_server_store(struct bk_server *s);
void bk_server_release(struct bk_server *s, struct bk_store *st);

/* Responses: each returns 0, or -1 without memory.  The body is taken
 * (text: a malloc'd buffer; v: a reference, NULL allowed = no memory). */
int bk_http_text(struct bk_http_resp *rs, unsigned status, const char *ctype,
		 char *text, size_t len);
int bk_http_static(struct bk_http_resp *rs, unsigned status, const char *ctype,
		   const void *data, size_t len);
int bk_http_json(struct bk_http_resp *rs, unsigned status, json_t *v);
/* A body of unknown length, made by reader as the client reads it (large
 * exports): reader(cls, pos, buf, max) returns the bytes it wrote (1 to
 * max), -1 at the end, -2 on an error (the connection is closed).  cls is
 * given to done when the response is freed. */
int bk_http_stream(struct bk_http_resp *rs, unsigned status, const char *ctype,
		   ssize_t (*reader)(void *cls, uint64_t pos, char *buf, size_t max),
		   void *cls, void (*done)(void *cls));
int bk_http_error(struct bk_http_resp *rs, unsigned status, const char *code,
		  const char *msg);
/* A response header (value copied); -1 when there are too many. */
int bk_http_header(struct bk_http_resp *rs, const char *name, const char *value);

/* A query argument, percent-decoded ('+' is a space, as in HTML forms)
 * into out: 1 found, 0 absent, -1 bad encoding, NUL, not UTF-8 or longer
 * than outlen - 1. */
int bk_http_arg(const struct bk_http_req *rq, const char *name, char *out,
		size_t outlen);
/* Percent-decodes in into out (outlen > strlen(in)); -1 for a '%'
 * without two hex digits, an encoded NUL or no room. */
int bk_http_pct_decode(const char *in, size_t inlen, bool plus_space, char *out,
		       size_t outlen);
/* Whether p[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool bk_http_utf8_valid(const char *p, size_t n);
/* A request header, or NULL. */
const char *bk_http_get_header(const struct bk_http_req *rq, const char *name);

#endif
