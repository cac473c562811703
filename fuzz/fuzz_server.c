/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_server.c - the HTTP API's request handling without sockets
 * (bk_server_handle, server/http.h): routing, percent-decoding of the
 * path and the query, the bearer token header, the JSON bodies and the
 * handlers, against a throwaway SQLite store made at start (removed at
 * exit) that holds one stored bounce and a read and a write token.
 *
 * An input is a request as text:
 *	FLAGS-BYTE "METHOD TARGET\n" ("Name: value\n")* "\n" BODY
 * FLAGS bit 0 adds the write token's Authorization header, bit 1 the read
 * token's (the fuzzer could not guess them); TARGET is split at '?'. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bouncekit/bouncekit.h"
#include "fuzz.h"
#include "server/http.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct bk_server *srv;
static struct bk_server_conf conf;
static char dir[] = "/tmp/bk-fuzz-server.XXXXXX";
static char url[sizeof(dir) + 16];

#define WRITE_TOKEN "bk_00000000000000000000000000000000000000ff"
#define READ_TOKEN "bk_00000000000000000000000000000000000000ee"
static const char write_token[] = WRITE_TOKEN, read_token[] = READ_TOKEN;
static const char wauth[] = "Bearer " WRITE_TOKEN, rauth[] = "Bearer " READ_TOKEN;

static const char bounce[] =
	"From: MAILER-DAEMON@mx.example.org\n"
	"To: sender@example.jp\n"
	"Subject: Undelivered Mail Returned to Sender\n"
	"Date: Thu, 29 Apr 2021 12:00:00 +0900\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
	"--B\n\nThe mail system\n\n<nobody@example.com>: host mx.example.com said: 550 5.1.1 "
	"User unknown\n\n--B\nContent-Type: message/delivery-status\n\n"
	"Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; nobody@example.com\n"
	"Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n\n"
	"--B--\n";

struct hdrs {
	const char *name[32], *value[32];
	unsigned n;
};

static const char *
lookup(void *cls, const char *name)
{
	struct hdrs *h = cls;
	for (unsigned i = 0; i < h->n; i++)
		if (!strcasecmp(h->name[i], name))
			return h->value[i];
	return NULL;
}

static void
cleanup(void)
{
	bk_server_free(srv);
	char cmd[sizeof(dir) + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_server: could not remove %s\n", dir);
}

static void
add_token(struct bk_store *st, const char *name, const char *scope, const char *tok)
{
	char hex[65];
	struct bk_store_err err = { 0 };
	if (bk_token_hash(tok, strlen(tok), hex) < 0 ||
	    bk_store_token_add(st, name, scope, hex, &err) < 0) {
		fprintf(stderr, "fuzz_server: token: %s\n", err.msg);
		exit(1);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!mkdtemp(dir)) {
		perror("fuzz_server: mkdtemp");
		exit(1);
	}
	snprintf(url, sizeof(url), "%s/f.db", dir);
	struct bk_store *st;
	struct bk_store_err err = { 0 };
	if (bk_store_open(&st, url, BK_STORE_OPEN_MIGRATE, NULL, &err) < 0) {
		fprintf(stderr, "fuzz_server: store: %s\n", err.msg);
		exit(1);
	}
	add_token(st, "fuzz-write", "write", write_token);
	add_token(st, "fuzz-read", "read", read_token);
	bk_store_close(st);
	bk_server_conf_init(&conf);
	conf.db = url;
	conf.threads = 1;
	conf.max_body = 65536;
	char e[600];
	if (!(srv = bk_server_new(&conf, e, sizeof(e)))) {
		fprintf(stderr, "fuzz_server: %s\n", e);
		exit(1);
	}
	atexit(cleanup);
	/* one stored bounce, so that address lookups find events */
	struct hdrs h = { .n = 1, .name = { "Authorization" }, .value = { wauth } };
	struct bk_http_req rq = { .method = "POST", .url = "/v1/messages",
				  .query = "store=1", .header = lookup, .hcls = &h,
				  .body = bounce, .len = sizeof(bounce) - 1 };
	struct bk_http_resp rs;
	bk_server_handle(srv, &rq, &rs);
	if (rs.status != 200) {
		fprintf(stderr, "fuzz_server: storing the bounce: %u %.*s\n", rs.status,
			(int)rs.len, rs.body);
		exit(1);
	}
	bk_http_resp_free(&rs);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned flags = data[0];
	/* a NUL-terminated copy, cut into lines in place */
	char *buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	size_t n = size - 1;
	char *p = buf, *end = buf + n;
	char *nl = memchr(p, '\n', n);
	char *line = p;
	if (nl) {
		*nl = '\0';
		p = nl + 1;
	} else {
		p = end;
	}
	char *sp = strchr(line, ' ');
	const char *method = "GET", *target = line;
	if (sp) {
		*sp = '\0';
		method = line;
		target = sp + 1;
	}
	char *q = strchr(target, '?');
	if (q)
		*q++ = '\0';
	struct hdrs h = { .n = 0 };
	if (flags & 1) {
		h.name[h.n] = "Authorization";
		h.value[h.n++] = wauth;
	} else if (flags & 2) {
		h.name[h.n] = "Authorization";
		h.value[h.n++] = rauth;
	}
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		char *l = p;
		if (nl) {
			*nl = '\0';
			p = nl + 1;
		} else {
			p = end;
		}
		if (!*l)
			break;	/* the blank line: the body follows */
		char *colon = strchr(l, ':');
		if (!colon || h.n == 32)
			continue;
		*colon = '\0';
		const char *v = colon + 1;
		while (*v == ' ')
			v++;
		h.name[h.n] = l;
		h.value[h.n++] = v;
	}
	struct bk_http_req rq = {
		.method = method, .url = target, .query = q,
		.header = lookup, .hcls = &h,
		.body = p < end ? p : NULL, .len = (size_t)(end - p),
		.too_big = (size_t)(end - p) > conf.max_body,
	};
	struct bk_http_resp rs;
	bk_server_handle(srv, &rq, &rs);
	if (rs.status < 200 || rs.status > 599 || (rs.len && !rs.body))
		abort();
	if (rs.reader) {
		/* a streamed body (an export): read it as a client would */
		char chunk[4096];
		uint64_t pos = 0;
		ssize_t n;
		while ((n = rs.reader(rs.reader_cls, pos, chunk, sizeof(chunk))) > 0)
			pos += (uint64_t)n;
		if (n != -1 && n != -2)
			abort();
	}
	bk_http_resp_free(&rs);
	free(buf);
	return 0;
}
