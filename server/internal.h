/* SPDX-License-Identifier: BSD-2-Clause */
/* internal.h - what the server's sources share (not public): the server,
 * one request (its body and its authenticated identity), the route table
 * and the response helpers.  Handlers take a struct http and answer with
 * http_json()/http_error()/http_text()/http_stream() only, so that they do
 * not depend on how the request arrived or was authenticated. */
#ifndef BK_SERVER_INTERNAL_H
#define BK_SERVER_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>

#include "server/server.h"

/* A token's (or a session's) rights. */
enum scope { SC_NONE, SC_READ, SC_WRITE };

struct srv {
	const struct bk_server_conf *conf;
	struct bk_store **pool;
	bool *busy;
	unsigned n;
	pthread_mutex_t lock;
	pthread_cond_t freed;
};

/* One request: its body as it arrives, when it began, and who sent it
 * (filled by the dispatcher once authenticated, whatever the means). */
struct req {
	char *body;
	size_t len, cap;
	bool too_big;
	struct timespec t0;
	enum scope scope;
	char who[65];		/* the token's name */
	struct argstr *args;	/* decoded query arguments, freed at the end */
};

struct argstr {
	struct argstr *next;
	char s[];
};

/* What a handler sees. */
struct http {
	struct srv *s;
	struct MHD_Connection *c;
	const char *method;
	const char *url;	/* the raw path, for the log */
	struct req *r;
	const char *arg;	/* the {parameter} of the path, decoded */
};

typedef enum MHD_Result (*http_fn)(struct http *h);

struct route {
	const char *method;	/* GET, POST, PUT, DELETE */
	const char *path;	/* "/v1/addresses/{address}": one {} at the end */
	enum scope need;	/* SC_NONE: no token */
	http_fn fn;
};
/* Every route, ending with a NULL method (server.c); `serve --routes`
 * prints them and tests/openapi.sh compares them with docs/openapi.yaml. */
extern const struct route bk_routes[];

/* A store handle for the request (give it back with store_put soon). */
struct bk_store *store_get(struct srv *s);
void store_put(struct srv *s, struct bk_store *st);
/* 503 for a transient store error, else 500. */
unsigned http_store_status(int rc);

/* Responses: each takes its argument (text is freed, v decref'd). */
enum MHD_Result http_text(struct http *h, unsigned status, const char *ctype,
			  char *text, size_t len, const char *hname,
			  const char *hval);
enum MHD_Result http_json(struct http *h, unsigned status, json_t *v,
			  const char *hname, const char *hval);
enum MHD_Result http_error(struct http *h, unsigned status, const char *code,
			   const char *msg, const char *hname, const char *hval);
/* A body made by fn as the client reads it (MHD's callback semantics:
 * return the bytes written, MHD_CONTENT_READER_END_OF_STREAM or
 * MHD_CONTENT_READER_END_WITH_ERROR); done frees cls. */
enum MHD_Result http_stream(struct http *h, unsigned status, const char *ctype,
			    ssize_t (*fn)(void *cls, uint64_t pos, char *buf,
					  size_t max),
			    void *cls, void (*done)(void *cls),
			    const char *hname, const char *hval);
/* A query-string argument, percent-decoded ('+' a space; valid: the
 * dispatcher refused a query that is not), or a request header (NULL when
 * absent). */
const char *http_arg(struct http *h, const char *name);
const char *http_header(struct http *h, const char *name);

/* api.c */
int http_event_json(void *arr, const struct bk_event *ev);
enum MHD_Result api_stats(struct http *h);
enum MHD_Result api_events(struct http *h);

#endif
