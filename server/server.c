/* SPDX-License-Identifier: BSD-2-Clause */
/* server.c - the HTTP API (docs/api.md) on libmicrohttpd: a bounded pool
 * of worker threads, a store handle per worker thread, bearer tokens, JSON
 * in and out (jansson), one log line per request on stderr. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>
#include <openssl/crypto.h>

#include "bouncekit/bouncekit.h"
#include "server/server.h"
#include "server/webhooks.h"

/* A store handle is one database connection, used by one thread at a
 * time: the server opens one per worker thread, and a request takes a
 * free one for as long as it needs it. */
struct srv {
	const struct bk_server_conf *conf;
	struct bk_store **pool;
	bool *busy;
	unsigned n;
	pthread_mutex_t lock;
	pthread_cond_t freed;
	struct bk_webhooks *wh;	/* POST /v1/webhooks/... (webhooks.c) */
};

static struct bk_store *
store_get(struct srv *s)
{
	pthread_mutex_lock(&s->lock);
	for (;;) {
		for (unsigned i = 0; i < s->n; i++)
			if (!s->busy[i]) {
				s->busy[i] = true;
				pthread_mutex_unlock(&s->lock);
				return s->pool[i];
			}
		pthread_cond_wait(&s->freed, &s->lock);
	}
}

static void
store_put(struct srv *s, struct bk_store *st)
{
	pthread_mutex_lock(&s->lock);
	for (unsigned i = 0; i < s->n; i++)
		if (s->pool[i] == st)
			s->busy[i] = false;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
}

/* One request: its body as it arrives, and when it began. */
struct req {
	char *body;
	size_t len, cap;
	bool too_big;
	struct timespec t0;
};

enum scope { SC_NONE, SC_READ, SC_WRITE };

void
bk_server_conf_init(struct bk_server_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->listen = "127.0.0.1:8025";
	c->db = bk_store_default_url();
	c->threads = 4;
	c->max_connections = 64;
	c->timeout = 30;
	c->max_body = 1 << 20;
	c->max_check = 1000;
}

/* ---- responses ---- */

static void
log_line(struct MHD_Connection *c, const char *method, const char *url,
	 unsigned status, size_t bytes, const struct req *r)
{
	(void)c;
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long long us = (long long)(t1.tv_sec - r->t0.tv_sec) * 1000000 +
		       (t1.tv_nsec - r->t0.tv_nsec) / 1000;
	/* the path only (MHD gives it without the query string); bytes
	 * that are not printable are shown as '?' */
	char path[256];
	size_t i = 0;
	for (; url[i] && i < sizeof(path) - 1; i++)
		path[i] = isprint((unsigned char)url[i]) && url[i] != ' ' ? url[i] : '?';
	path[i] = '\0';
	char line[512];
	int n = snprintf(line, sizeof(line), "bouncekit: serve: %s %s %u %zu %lldus\n",
			 method, path, status, bytes, us);
	if (n > 0)
		(void)!write(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static enum MHD_Result
send_text(struct MHD_Connection *c, const char *method, const char *url,
	  struct req *r, unsigned status, char *text, size_t len,
	  const char *hname, const char *hval)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", "application/json");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (hname)
		MHD_add_response_header(resp, hname, hval);
	enum MHD_Result ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	log_line(c, method, url, status, len, r);
	return ret;
}

/* Sends a JSON value (and takes it). */
static enum MHD_Result
send_json(struct MHD_Connection *c, const char *method, const char *url,
	  struct req *r, unsigned status, json_t *v, const char *hname,
	  const char *hval)
{
	char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	if (!text)
		return MHD_NO;
	size_t n = strlen(text);
	char *t = realloc(text, n + 2);
	if (!t) {
		free(text);
		return MHD_NO;
	}
	t[n] = '\n';
	t[n + 1] = '\0';
	return send_text(c, method, url, r, status, t, n + 1, hname, hval);
}

static enum MHD_Result
send_error(struct MHD_Connection *c, const char *method, const char *url,
	   struct req *r, unsigned status, const char *code, const char *msg,
	   const char *hname, const char *hval)
{
	return send_json(c, method, url, r, status,
			 json_pack("{s:s, s:s}", "error", code, "message", msg),
			 hname, hval);
}

/* ---- paths ---- */

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Percent-decodes in into out (outlen > strlen(in)); -1 for a '%' without
 * two hex digits or an encoded NUL. */
static int
pct_decode(const char *in, char *out, size_t outlen)
{
	size_t n = 0;
	for (const char *p = in; *p; p++) {
		if (n + 1 >= outlen)
			return -1;
		if (*p != '%') {
			out[n++] = *p;
			continue;
		}
		int h = hexval((unsigned char)p[1]), l = h < 0 ? -1 : hexval((unsigned char)p[2]);
		if (h < 0 || l < 0 || (h == 0 && l == 0))
			return -1;
		out[n++] = (char)(h * 16 + l);
		p += 2;
	}
	out[n] = '\0';
	return 0;
}

/* A segment "." or "..", or a backslash: refused. */
static bool
traversal(const char *path)
{
	if (strchr(path, '\\'))
		return true;
	for (const char *p = path; *p;) {
		const char *e = strchr(p, '/');
		size_t k = e ? (size_t)(e - p) : strlen(p);
		if ((k == 1 && p[0] == '.') || (k == 2 && p[0] == '.' && p[1] == '.'))
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

/* MHD would unescape the path itself (and accept bad escapes): keep it
 * raw, it is decoded and checked here. */
static size_t
keep_raw(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/* ---- authorisation ---- */

struct tok_find {
	char hash[65];
	enum scope found;
};

static int
tok_cmp(void *arg, const struct bk_token_row *t)
{
	struct tok_find *f = arg;
	/* every row is compared, in constant time, whatever matched before */
	if (strlen(t->hash) == 64 && CRYPTO_memcmp(t->hash, f->hash, 64) == 0)
		f->found = !strcmp(t->scope, "write") ? SC_WRITE : SC_READ;
	return 0;
}

/* The scope of the request's bearer token; -1 when the store failed. */
static int
authorise(struct srv *s, struct MHD_Connection *c, enum scope *out,
	  bool *given)
{
	*out = SC_NONE;
	*given = false;
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    MHD_HTTP_HEADER_AUTHORIZATION);
	if (!h)
		return 0;
	*given = true;
	if (strncasecmp(h, "Bearer ", 7))
		return 0;
	const char *t = h + 7;
	while (*t == ' ')
		t++;
	size_t n = strlen(t);
	while (n && t[n - 1] == ' ')
		n--;
	if (!n || n > 256)
		return 0;
	struct tok_find f = { .found = SC_NONE };
	if (bk_token_hash(t, n, f.hash) < 0)
		return -1;
	struct bk_store_err err = { 0 };
	struct bk_store *st = store_get(s);
	int rc = bk_store_token_list(st, tok_cmp, &f, &err);
	store_put(s, st);
	if (rc < 0)
		return -1;
	*out = f.found;
	return 0;
}

/* ---- endpoints ---- */

static json_t *
state_json(const struct bk_addr_state *a, const char *asked)
{
	json_t *o = json_pack("{s:s, s:b, s:s, s:s, s:s, s:s}",
			      "address", a->known ? a->address : asked,
			      "known", a->known, "verdict", a->verdict,
			      "basis", a->basis, "reason", a->last_reason,
			      "status", a->last_status);
	if (!o)
		return NULL;
	json_object_set_new(o, "since", a->known ? json_integer(a->since) : json_null());
	json_object_set_new(o, "until", !strcmp(a->verdict, "retry-after")
					    ? json_integer(a->until) : json_null());
	return o;
}

static int
event_json(void *arg, const struct bk_event *ev)
{
	json_t *arr = arg;
	const struct bk_record *r = &ev->rec;
#define S(x) ((x) ? (x) : "")
	json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}",
			      "key", S(ev->key), "channel", S(ev->channel),
			      "ingested", (json_int_t)ev->ingested,
			      "timestamp", (json_int_t)r->timestamp,
			      "recipient", S(r->recipient), "addresser", S(r->addresser),
			      "action", S(r->action), "reason", S(r->reason),
			      "deliverystatus", S(r->deliverystatus),
			      "replycode", S(r->replycode),
			      "diagnosticcode", S(r->diagnosticcode),
			      "rhost", S(r->rhost), "decodedby", S(r->decodedby),
			      "hardbounce", r->hardbounce, "subject", S(r->subject));
#undef S
	if (!o)
		return -1;
	return json_array_append_new(arr, o) ? -1 : 0;
}

static unsigned
store_status(int rc)
{
	return rc == BK_STORE_ETEMP ? MHD_HTTP_SERVICE_UNAVAILABLE
				    : MHD_HTTP_INTERNAL_SERVER_ERROR;
}

#define MAX_EVENTS 1000

static enum MHD_Result
get_address(struct srv *s, struct MHD_Connection *c, const char *method,
	    const char *url, struct req *r, const char *addr)
{
	char norm[330];
	if (!bk_store_normalize(addr, norm, sizeof(norm)) || strlen(addr) > 320)
		return send_error(c, method, url, r, MHD_HTTP_BAD_REQUEST,
				  "bad_address", "not an e-mail address", NULL, NULL);
	struct bk_addr_state a;
	struct bk_store_err err = { 0 };
	json_t *events = json_array();
	if (!events)
		return MHD_NO;
	struct bk_store *st = store_get(s);
	int rc = bk_store_query(st, norm, "", (int64_t)time(NULL), &a, &err);
	if (rc >= 0)
		rc = bk_store_address_events(st, norm, MAX_EVENTS, event_json,
					     events, &err);
	store_put(s, st);
	if (rc < 0) {
		json_decref(events);
		return send_error(c, method, url, r, store_status(rc), "store", err.msg,
				  NULL, NULL);
	}
	json_t *o = state_json(&a, norm);
	if (!o) {
		json_decref(events);
		return MHD_NO;
	}
	json_object_set_new(o, "first", a.known ? json_integer(a.first) : json_null());
	json_object_set_new(o, "last", a.known ? json_integer(a.last) : json_null());
	json_object_set_new(o, "counts",
			    json_pack("{s:I, s:I, s:I, s:I, s:I}", "hard", (json_int_t)a.hard,
				      "soft", (json_int_t)a.soft, "complaint",
				      (json_int_t)a.complaint, "senderside",
				      (json_int_t)a.senderside, "delivered",
				      (json_int_t)a.delivered));
	json_object_set_new(o, "cause", json_string(a.cause));
	json_object_set_new(o, "events", events);
	return send_json(c, method, url, r, MHD_HTTP_OK, o, NULL, NULL);
}

static enum MHD_Result
post_check(struct srv *s, struct MHD_Connection *c, const char *method,
	   const char *url, struct req *r)
{
	json_error_t jerr;
	json_t *in = json_loadb(r->body ? r->body : "", r->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!in) {
		char msg[256];
		snprintf(msg, sizeof(msg), "bad JSON: %s (line %d, column %d)",
			 jerr.text, jerr.line, jerr.column);
		return send_error(c, method, url, r, MHD_HTTP_BAD_REQUEST, "bad_json",
				  msg, NULL, NULL);
	}
	json_t *list = json_is_object(in) ? json_object_get(in, "addresses") : NULL;
	if (!json_is_array(list) || json_array_size(list) == 0) {
		json_decref(in);
		return send_error(c, method, url, r, MHD_HTTP_BAD_REQUEST, "bad_request",
				  "expected {\"addresses\": [\"ADDRESS\", ...]}", NULL, NULL);
	}
	if (json_array_size(list) > s->conf->max_check) {
		char msg[128];
		snprintf(msg, sizeof(msg), "at most %u addresses in one check",
			 s->conf->max_check);
		json_decref(in);
		return send_error(c, method, url, r, MHD_HTTP_CONTENT_TOO_LARGE,
				  "too_many", msg, NULL, NULL);
	}
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		if (!json_is_string(v)) {
			json_decref(in);
			return send_error(c, method, url, r, MHD_HTTP_BAD_REQUEST,
					  "bad_request", "every address must be a string",
					  NULL, NULL);
		}
	}
	json_t *out = json_array();
	int rc = 0;
	struct bk_store_err err = { 0 };
	struct bk_store *st = store_get(s);
	int64_t now = (int64_t)time(NULL);
	json_array_foreach(list, i, v) {
		const char *addr = json_string_value(v);
		char norm[330];
		json_t *o;
		if (strlen(addr) > 320 || !bk_store_normalize(addr, norm, sizeof(norm))) {
			o = json_pack("{s:s, s:s}", "address", addr, "error",
				      "not an e-mail address");
		} else {
			struct bk_addr_state a;
			if ((rc = bk_store_query(st, norm, "", now, &a, &err)) < 0)
				break;
			o = state_json(&a, norm);
		}
		if (!o || json_array_append_new(out, o)) {
			rc = BK_STORE_ENOMEM;
			snprintf(err.msg, sizeof(err.msg), "out of memory");
			break;
		}
	}
	store_put(s, st);
	json_decref(in);
	if (rc < 0) {
		json_decref(out);
		return send_error(c, method, url, r, store_status(rc), "store", err.msg,
				  NULL, NULL);
	}
	return send_json(c, method, url, r, MHD_HTTP_OK,
			 json_pack("{s:o}", "results", out), NULL, NULL);
}

static enum MHD_Result
post_messages(struct srv *s, struct MHD_Connection *c, const char *method,
	      const char *url, struct req *r, bool store)
{
	if (!r->len)
		return send_error(c, method, url, r, MHD_HTTP_BAD_REQUEST, "empty",
				  "the body is the raw bounce message", NULL, NULL);
	struct bk_err derr;
	memset(&derr, 0, sizeof(derr));
	struct bk_parser *p = bk_parser_new(NULL, &derr);
	if (!p)
		return MHD_NO;
	const struct bk_record *recs = NULL;
	int n = bk_decode(p, r->body, r->len, "<api>", &recs, &derr);
	if (n < 0) {
		bk_parser_free(p);
		return send_error(c, method, url, r,
				  n == BK_ELIMIT ? MHD_HTTP_CONTENT_TOO_LARGE
						 : MHD_HTTP_UNPROCESSABLE_CONTENT,
				  "undecodable", "the message could not be decoded",
				  NULL, NULL);
	}
	char *text = bk_records_to_text(BK_FMT_JSON, recs, (size_t)n);
	if (!text) {
		bk_parser_free(p);
		return MHD_NO;
	}
	char stored[96] = "";
	if (store) {
		struct bk_store_err err = { 0 };
		int rc = 0;
		struct bk_store *st = store_get(s);
		struct bk_ingest_stats before = *bk_store_stats_ingest(st);
		for (int i = 0; i < n && rc >= 0; i++)
			rc = bk_store_add(st, &recs[i], "api", &err);
		if (rc >= 0)
			rc = bk_store_flush(st, &err);
		const struct bk_ingest_stats *after = bk_store_stats_ingest(st);
		snprintf(stored, sizeof(stored), "%llu new, %llu duplicate",
			 after->events_new - before.events_new,
			 after->duplicates - before.duplicates);
		store_put(s, st);
		if (rc < 0) {
			free(text);
			bk_parser_free(p);
			return send_error(c, method, url, r, store_status(rc), "store",
					  err.msg, NULL, NULL);
		}
	}
	bk_parser_free(p);
	return send_text(c, method, url, r, MHD_HTTP_OK, text, strlen(text),
			 store ? "X-Bouncekit-Stored" : NULL, stored);
}

static enum MHD_Result
healthz(struct srv *s, struct MHD_Connection *c, const char *method,
	const char *url, struct req *r)
{
	struct bk_addr_state a;
	struct bk_store_err err = { 0 };
	struct bk_store *st = store_get(s);
	int rc = bk_store_query(st, "healthz@healthz.invalid", "", (int64_t)time(NULL),
				&a, &err);
	store_put(s, st);
	if (rc < 0)
		return send_json(c, method, url, r, MHD_HTTP_SERVICE_UNAVAILABLE,
				 json_pack("{s:s, s:s}", "status", "unavailable",
					   "message", err.msg), NULL, NULL);
	return send_json(c, method, url, r, MHD_HTTP_OK,
			 json_pack("{s:s}", "status", "ok"), NULL, NULL);
}

/* ---- dispatch ---- */

enum route { R_NONE, R_HEALTH, R_ADDRESS, R_CHECK, R_MESSAGES };

static enum MHD_Result
dispatch(struct srv *s, struct MHD_Connection *c, const char *url,
	 const char *method, struct req *r)
{
	if (r->too_big)
		return send_error(c, method, url, r, MHD_HTTP_CONTENT_TOO_LARGE,
				  "too_large", "the request body is over the limit",
				  "Connection", "close");
	size_t ul = strlen(url);
	char *path = malloc(ul + 1);
	if (!path)
		return MHD_NO;
	enum MHD_Result ret;
	if (url[0] != '/' || pct_decode(url, path, ul + 1) < 0) {
		ret = send_error(c, method, url, r, MHD_HTTP_BAD_REQUEST, "bad_path",
				 "bad percent-encoding in the path", NULL, NULL);
		goto out;
	}
	if (traversal(path)) {
		ret = send_error(c, method, url, r, MHD_HTTP_BAD_REQUEST, "bad_path",
				 "'.' and '..' are not allowed in the path", NULL, NULL);
		goto out;
	}
	/* the providers' webhooks authenticate as each provider does */
	if (!strncmp(path, "/v1/webhooks/", 13)) {
		ret = bk_webhooks_handle(s->wh, c, method, path, r->body, r->len, &r->t0);
		goto out;
	}
	enum route rt = R_NONE;
	const char *want = "GET", *arg = NULL;
	static const char pre[] = "/v1/addresses/";
	if (!strcmp(path, "/healthz")) {
		rt = R_HEALTH;
	} else if (!strncmp(path, pre, sizeof(pre) - 1) && path[sizeof(pre) - 1] &&
		   !strchr(path + sizeof(pre) - 1, '/')) {
		rt = R_ADDRESS;
		arg = path + sizeof(pre) - 1;
	} else if (!strcmp(path, "/v1/check")) {
		rt = R_CHECK;
		want = "POST";
	} else if (!strcmp(path, "/v1/messages")) {
		rt = R_MESSAGES;
		want = "POST";
	}
	if (rt == R_NONE) {
		ret = send_error(c, method, url, r, MHD_HTTP_NOT_FOUND, "not_found",
				 "no such resource", NULL, NULL);
		goto out;
	}
	if (strcmp(method, want) && !(rt == R_HEALTH && !strcmp(method, "HEAD"))) {
		ret = send_error(c, method, url, r, MHD_HTTP_METHOD_NOT_ALLOWED,
				 "method_not_allowed", want, "Allow", want);
		goto out;
	}
	if (rt == R_HEALTH) {
		ret = healthz(s, c, method, url, r);
		goto out;
	}
	const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "store");
	bool store = rt == R_MESSAGES && q && !strcmp(q, "1");
	if (q && rt == R_MESSAGES && !store && strcmp(q, "0")) {
		ret = send_error(c, method, url, r, MHD_HTTP_BAD_REQUEST, "bad_request",
				 "store is 0 or 1", NULL, NULL);
		goto out;
	}
	enum scope sc;
	bool given;
	if (authorise(s, c, &sc, &given) < 0) {
		ret = send_error(c, method, url, r, MHD_HTTP_SERVICE_UNAVAILABLE, "store",
				 "the tokens could not be read", NULL, NULL);
		goto out;
	}
	if (sc == SC_NONE) {
		ret = send_error(c, method, url, r, MHD_HTTP_UNAUTHORIZED, "unauthorized",
				 given ? "the token is not valid" : "a bearer token is needed",
				 MHD_HTTP_HEADER_WWW_AUTHENTICATE,
				 given ? "Bearer realm=\"bouncekit\", error=\"invalid_token\""
				       : "Bearer realm=\"bouncekit\"");
		goto out;
	}
	if (store && sc != SC_WRITE) {
		ret = send_error(c, method, url, r, MHD_HTTP_FORBIDDEN, "forbidden",
				 "storing needs a write token", NULL, NULL);
		goto out;
	}
	switch (rt) {
	case R_ADDRESS:
		ret = get_address(s, c, method, url, r, arg);
		break;
	case R_CHECK:
		ret = post_check(s, c, method, url, r);
		break;
	default:
		ret = post_messages(s, c, method, url, r, store);
		break;
	}
out:
	free(path);
	return ret;
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
	const char *method, const char *version, const char *upload,
	size_t *upsize, void **con_cls)
{
	struct srv *s = cls;
	struct req *r = *con_cls;
	(void)version;
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &r->t0);
		*con_cls = r;
		/* refused before the body is read when it says it is too big */
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > s->conf->max_body) {
			r->too_big = true;
			return dispatch(s, c, url, method, r);
		}
		return MHD_YES;
	}
	if (*upsize) {
		if (!r->too_big) {
			if (r->len + *upsize > s->conf->max_body) {
				r->too_big = true;
				free(r->body);
				r->body = NULL;
				r->len = r->cap = 0;
			} else {
				if (r->len + *upsize + 1 > r->cap) {
					size_t cap = (r->len + *upsize + 1) * 2;
					if (cap > s->conf->max_body + 1)
						cap = s->conf->max_body + 1;
					char *b = realloc(r->body, cap);
					if (!b)
						return MHD_NO;
					r->body = b;
					r->cap = cap;
				}
				memcpy(r->body + r->len, upload, *upsize);
				r->len += *upsize;
				r->body[r->len] = '\0';
			}
		}
		*upsize = 0;
		return MHD_YES;
	}
	return dispatch(s, c, url, method, r);
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls,
	  enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	struct req *r = *con_cls;
	if (r) {
		free(r->body);
		free(r);
		*con_cls = NULL;
	}
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n > 0 && line[strlen(line) - 1] == '\n')
		line[strlen(line) - 1] = '\0';
	fprintf(stderr, "bouncekit: serve: %s\n", line);
}

/* "HOST:PORT", IPv4. */
static int
parse_listen(const char *s, struct sockaddr_in *sa)
{
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || colon - s > 63)
		return -1;
	char host[64];
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	char *end;
	errno = 0;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port > 65535)
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (!strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

static void
pool_close(struct srv *s)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->pool[i])
			bk_store_close(s->pool[i]);
	free(s->pool);
	free(s->busy);
}

int
bk_server_run(const struct bk_server_conf *conf, char *errbuf, size_t errlen)
{
	struct sockaddr_in sa;
	if (parse_listen(conf->listen, &sa) < 0) {
		snprintf(errbuf, errlen, "--listen '%s': expected IPV4:PORT", conf->listen);
		return -1;
	}
	struct srv s = { .conf = conf, .n = conf->threads ? conf->threads : 1 };
	struct bk_store_err err = { 0 };
	s.pool = calloc(s.n, sizeof(*s.pool));
	s.busy = calloc(s.n, sizeof(*s.busy));
	if (!s.pool || !s.busy) {
		snprintf(errbuf, errlen, "out of memory");
		free(s.pool);
		free(s.busy);
		return -1;
	}
	for (unsigned i = 0; i < s.n; i++)
		if (bk_store_open(&s.pool[i], conf->db, 0, conf->policy, &err) < 0) {
			snprintf(errbuf, errlen, "%s", err.msg);
			pool_close(&s);
			return -1;
		}
	if (!(s.wh = bk_webhooks_new(conf->webhooks, conf->db, conf->policy, errbuf, errlen))) {
		pool_close(&s);
		return -1;
	}
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.freed, NULL);
	/* epoll (MHD_USE_AUTO), not select(): no FD_SETSIZE bound on
	 * --max-connections.  The workers inherit a mask without the stop
	 * signals: this thread waits for them. */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG, 0, NULL, NULL,
		handler, &s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, &s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(conf->threads ? conf->threads : 1),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)conf->max_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)conf->timeout,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)0,
		MHD_OPTION_NOTIFY_COMPLETED, completed, &s,
		MHD_OPTION_UNESCAPE_CALLBACK, keep_raw, &s,
		MHD_OPTION_END);
	if (!d) {
		snprintf(errbuf, errlen, "cannot listen on %s: %s", conf->listen,
			 errno ? strerror(errno) : "libmicrohttpd refused");
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		bk_webhooks_free(s.wh);
		pool_close(&s);
		pthread_mutex_destroy(&s.lock);
		pthread_cond_destroy(&s.freed);
		return -1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof(host));
	fprintf(stderr, "bouncekit: serve: listening on %s:%u (store %s)\n", host,
		info ? (unsigned)info->port : (unsigned)ntohs(sa.sin_port),
		bk_store_driver_name(s.pool[0]));
	int sig = 0;
	while (sigwait(&set, &sig) != 0)
		;
	fprintf(stderr, "bouncekit: serve: signal %d: stopping\n", sig);
	MHD_stop_daemon(d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	bk_webhooks_free(s.wh);
	pool_close(&s);
	pthread_mutex_destroy(&s.lock);
	pthread_cond_destroy(&s.freed);
	return 0;
}
