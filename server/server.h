/* SPDX-License-Identifier: BSD-2-Clause */
/* server.h - bouncekit's HTTP API (`bouncekit serve`, docs/api.md): a
 * libmicrohttpd daemon over one store, with bearer tokens kept hashed in
 * the store (bouncekit token).  Built into build/libbkserver.a; it uses
 * the public decoder API and store/store.h only. */
#ifndef BK_SERVER_H
#define BK_SERVER_H

#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

struct bk_server;	/* the server without its sockets (server/http.h) */

struct bk_server_conf {
	const char *listen;	/* "HOST:PORT" (IPv4): "127.0.0.1:8025" */
	const char *db;		/* store URL */
	const struct bk_policy *policy;	/* NULL: the store's own */
	unsigned threads;	/* worker threads of the pool: 4 */
	unsigned max_connections; /* open connections at once: 64 */
	unsigned timeout;	/* seconds a slow client may idle: 30 */
	size_t max_body;	/* bytes of one request body: 1 MiB */
	unsigned max_check;	/* addresses in one POST /v1/check: 1000 */
	bool metrics_open;	/* GET /metrics without a token: false */
	double rate_limit;	/* requests a second per token: 0, no limit */
	double rate_burst;	/* the bucket's size: 0, twice the rate */
	const char *webhooks;	/* the webhooks' configuration file
				 * (docs/webhooks.md); NULL: they refuse */
};

void bk_server_conf_init(struct bk_server_conf *c);

/* The routes, "METHOD PATH SCOPE" a line (SCOPE: none, read or write):
 * `bouncekit serve --routes`, which tests/api.sh compares with
 * docs/openapi.yaml. */
void bk_server_print_routes(FILE *f);

/* Serve until SIGINT or SIGTERM; writes "listening on HOST:PORT" (the
 * port the system gave for port 0) and one line per request to stderr.
 * Returns 0, or -1 with a message in err. */
int bk_server_run(const struct bk_server_conf *c, char *err, size_t errlen);

/* A new token: 43 characters "bk_" and 40 hex digits from getrandom(2).
 * Returns 0 or -1. */
int bk_token_generate(char out[44]);
/* The SHA-256 of a token in lower-case hex (what the store keeps). */
int bk_token_hash(const char *token, size_t len, char hex[65]);

#endif
