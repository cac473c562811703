/* SPDX-License-Identifier: BSD-2-Clause */
/* server.c - the HTTP API (docs/api.md): routing and handlers over plain
 * request and response structs (server/http.h), and the libmicrohttpd
 * daemon that feeds them (bk_server_run, at the end): a pool of worker
 * threads, a store handle and a token cache per worker thread, JSON in
 * and out (jansson), one log line per request on stderr. */
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>
#include <openssl/crypto.h>

#include "bouncekit/bouncekit.h"
#include "server/api.h"
#include "server/dash.h"
#include "server/http.h"
#include "server/jsonw.h"
#include "server/webhooks.h"

/* A valid token is remembered for this long, per worker thread, by its
 * text and its hash (so that a request with a known token is neither
 * hashed nor looked up).  On SQLite an entry is also dropped as soon as
 * anything was committed to the store since it was made (PRAGMA
 * data_version, read in the request's read transaction): a revoked token
 * is refused at once; on MariaDB and PostgreSQL at most this much later. */
#define TOKEN_CACHE_SECONDS 5
#define TOKEN_CACHE_SIZE 8
#define TOKEN_MAX 256

struct tok_cached {
	char hash[64];
	unsigned char text[TOKEN_MAX];
	size_t textlen;		/* 0: known by its hash only (a session) */
	char name[65];
	enum bk_token_scope scope;
	time_t expires;		/* 0: empty */
	long long version;	/* the store's data version then (0: none) */
};

/* On SQLite a read-only API call's snapshot (its read transaction) is
 * kept after the call, for the next one of the same worker thread, for
 * this long at most (counted from its start): a worker answering tens of
 * thousands of calls a second then begins and ends a snapshot every
 * twenty or so, not for each, and those (the WAL's shared-memory locks,
 * taken under a mutex that all the workers share, with fcntl(2) calls)
 * were a third of the store's time in a call.  A call sees what was
 * committed by another process (an ingest, `bouncekit token revoke`) at
 * most this much later; what this server wrote (any call that is not
 * GET or HEAD) is seen by every call that starts after it was answered
 * (the write generation below).  A snapshot left when its worker goes
 * idle is ended by the main thread (slots_tick), so that it never
 * holds back the WAL's checkpoints for long. */
#define SNAPSHOT_LINGER_NS 1000000ULL

/* A store handle (one database connection) with the token cache of the
 * thread that holds it: a worker thread takes one the first time it
 * needs it and keeps it.  Its mutex is taken by the thread while it uses
 * the handle (bk_server_store ... bk_server_release) and by the main
 * thread to end a snapshot left held: never contended otherwise. */
struct slot {
	struct bk_store *st;
	struct slot *next;
	struct tok_cached cache[TOKEN_CACHE_SIZE];
	unsigned next_cache;
	pthread_mutex_t mu;
	bool held;		/* a snapshot is kept (SNAPSHOT_LINGER_NS) */
	uint64_t held_ns;	/* when it began (CLOCK_MONOTONIC) */
	unsigned long held_gen;	/* the write generation when it began */
};

struct bk_server {
	const struct bk_server_conf *conf;
	struct bk_metrics *metrics;
	unsigned long id;
	struct slot *slots;	/* all of them */
	struct slot *free;	/* opened, held by no thread */
	pthread_mutex_t lock;
	struct bk_webhooks *wh;	/* POST /v1/webhooks/... (webhooks.c) */
	unsigned long wgen;	/* calls that may have written, answered */
};

static unsigned long server_ids;
static __thread struct {
	unsigned long id;
	struct slot *slot;
	unsigned depth;		/* bk_server_store calls not yet released */
} tl;

static uint64_t
mono_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

void
bk_server_conf_init(struct bk_server_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->listen = "127.0.0.1:8025";
	c->db = bk_store_default_url();
	/* one worker thread a core: a request holds its thread for the
	 * few microseconds of its store queries, never waiting on a client */
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	c->threads = cores < 1 ? 1 : cores > 64 ? 64 : (unsigned)cores;
	c->max_connections = 64;
	c->timeout = 30;
	c->max_body = 1 << 20;
	c->max_check = 1000;
}

const struct bk_server_conf *
bk_server_conf(const struct bk_server *s)
{
	return s->conf;
}

struct bk_metrics *
api_server_metrics(struct bk_server *s)
{
	return s->metrics;
}

static struct slot *
slot_open(struct bk_server *s, struct bk_store_err *err)
{
	struct slot *sl = calloc(1, sizeof(*sl));
	if (!sl) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return NULL;
	}
	if (bk_store_open(&sl->st, s->conf->db, 0, s->conf->policy, err) < 0) {
		free(sl);
		return NULL;
	}
	pthread_mutex_init(&sl->mu, NULL);
	return sl;
}

static struct slot *
thread_slot(struct bk_server *s)
{
	if (tl.id == s->id && tl.slot)
		return tl.slot;
	pthread_mutex_lock(&s->lock);
	struct slot *sl = s->free;
	if (sl) {
		s->free = sl->next;
		sl->next = s->slots;
		s->slots = sl;
	}
	pthread_mutex_unlock(&s->lock);
	if (!sl) {
		/* more threads than --threads: one more connection */
		struct bk_store_err err = { 0 };
		if (!(sl = slot_open(s, &err)))
			return NULL;
		pthread_mutex_lock(&s->lock);
		sl->next = s->slots;
		s->slots = sl;
		pthread_mutex_unlock(&s->lock);
	}
	tl.id = s->id;
	tl.slot = sl;
	return sl;
}

static void
slot_unhold(struct slot *sl)
{
	if (sl->held) {
		bk_store_read_end(sl->st);
		sl->held = false;
	}
}

/* The thread's slot, locked by the outermost call.  A snapshot held from
 * an earlier call is kept only when keep says the call may use it and it
 * is still young and nothing was written through the server since. */
static struct slot *
slot_acquire(struct bk_server *s, bool keep)
{
	struct slot *sl = thread_slot(s);
	if (!sl)
		return NULL;
	if (tl.depth++ == 0) {
		pthread_mutex_lock(&sl->mu);
		if (sl->held && !(keep && mono_ns() - sl->held_ns < SNAPSHOT_LINGER_NS &&
				  sl->held_gen == __atomic_load_n(&s->wgen, __ATOMIC_ACQUIRE)))
			slot_unhold(sl);
	}
	return sl;
}

struct bk_store *
bk_server_store(struct bk_server *s)
{
	struct slot *sl = slot_acquire(s, false);
	return sl ? sl->st : NULL;
}

void
bk_server_release(struct bk_server *s, struct bk_store *st)
{
	/* the handle stays with its thread; unlocked by the outermost call */
	if (st && tl.id == s->id && tl.slot && tl.depth && --tl.depth == 0)
		pthread_mutex_unlock(&tl.slot->mu);
}

/* Called by the main thread: snapshots left by idle workers ended. */
static void
slots_tick(struct bk_server *s)
{
	uint64_t now = mono_ns();
	pthread_mutex_lock(&s->lock);
	for (struct slot *sl = s->slots; sl; sl = sl->next) {
		if (pthread_mutex_trylock(&sl->mu))
			continue;	/* in use: its thread will see to it */
		if (sl->held && now - sl->held_ns >= SNAPSHOT_LINGER_NS)
			slot_unhold(sl);
		pthread_mutex_unlock(&sl->mu);
	}
	pthread_mutex_unlock(&s->lock);
}

struct bk_server *
bk_server_new(const struct bk_server_conf *conf, char *errbuf, size_t errlen)
{
	struct bk_server *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	s->conf = conf;
	s->id = __atomic_add_fetch(&server_ids, 1, __ATOMIC_RELAXED);
	size_t nroutes = 0;
	while (bk_routes[nroutes].method)
		nroutes++;
	if (!(s->metrics = api_metrics_new(nroutes))) {
		snprintf(errbuf, errlen, "out of memory");
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	unsigned n = conf->threads ? conf->threads : 1;
	/* all opened now: a store that cannot be opened stops the start */
	for (unsigned i = 0; i < n; i++) {
		struct bk_store_err err = { 0 };
		struct slot *sl = slot_open(s, &err);
		if (!sl) {
			snprintf(errbuf, errlen, "%s", err.msg);
			bk_server_free(s);
			return NULL;
		}
		sl->next = s->free;
		s->free = sl;
	}
	if (!(s->wh = bk_webhooks_new(conf->webhooks, errbuf, errlen))) {
		bk_server_free(s);
		return NULL;
	}
	return s;
}

static void
slots_free(struct slot *sl)
{
	while (sl) {
		struct slot *next = sl->next;
		slot_unhold(sl);
		bk_store_close(sl->st);
		pthread_mutex_destroy(&sl->mu);
		free(sl);
		sl = next;
	}
}

void
bk_server_free(struct bk_server *s)
{
	if (!s)
		return;
	bk_webhooks_free(s->wh);
	slots_free(s->slots);
	slots_free(s->free);
	api_metrics_free(s->metrics);
	pthread_mutex_destroy(&s->lock);
	if (tl.id == s->id)
		tl.slot = NULL;
	free(s);
}

/* ---- responses ---- */

void
bk_http_resp_free(struct bk_http_resp *rs)
{
	if (!rs->body_static)
		free(rs->body);
	if (rs->reader_free)
		rs->reader_free(rs->reader_cls);
	for (unsigned i = 0; i < rs->nheaders; i++)
		free(rs->headers[i].value);
	memset(rs, 0, sizeof(*rs));
}

int
bk_http_header(struct bk_http_resp *rs, const char *name, const char *value)
{
	if (rs->nheaders >= BK_HTTP_MAX_HEADERS)
		return -1;
	char *v = strdup(value);
	if (!v)
		return -1;
	rs->headers[rs->nheaders].name = name;
	rs->headers[rs->nheaders].value = v;
	rs->nheaders++;
	return 0;
}

int
bk_http_text(struct bk_http_resp *rs, unsigned status, const char *ctype,
	     char *text, size_t len)
{
	if (!text)
		return -1;
	if (!rs->body_static)
		free(rs->body);
	rs->status = status;
	rs->ctype = ctype;
	rs->body = text;
	rs->len = len;
	rs->body_static = false;
	return 0;
}

int
bk_http_stream(struct bk_http_resp *rs, unsigned status, const char *ctype,
	       ssize_t (*reader)(void *cls, uint64_t pos, char *buf, size_t max),
	       void *cls, void (*done)(void *cls))
{
	if (!rs->body_static)
		free(rs->body);
	if (rs->reader_free)
		rs->reader_free(rs->reader_cls);
	rs->status = status;
	rs->ctype = ctype;
	rs->body = NULL;
	rs->len = 0;
	rs->body_static = false;
	rs->reader = reader;
	rs->reader_cls = cls;
	rs->reader_free = done;
	return 0;
}

int
bk_http_static(struct bk_http_resp *rs, unsigned status, const char *ctype,
	       const void *data, size_t len)
{
	if (!rs->body_static)
		free(rs->body);
	rs->status = status;
	rs->ctype = ctype;
	rs->body = (char *)(uintptr_t)data;
	rs->len = len;
	rs->body_static = true;
	return 0;
}

int
bk_http_json(struct bk_http_resp *rs, unsigned status, json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	if (!text)
		return -1;
	size_t n = strlen(text);
	char *t = realloc(text, n + 2);
	if (!t) {
		free(text);
		return -1;
	}
	t[n] = '\n';
	t[n + 1] = '\0';
	return bk_http_text(rs, status, NULL, t, n + 1);
}

int
bk_http_error(struct bk_http_resp *rs, unsigned status, const char *code,
	      const char *msg)
{
	return bk_http_json(rs, status,
			    json_pack("{s:s, s:s}", "error", code, "message", msg));
}

/* ---- requests ---- */

const char *
bk_http_get_header(const struct bk_http_req *rq, const char *name)
{
	return rq->header ? rq->header(rq->hcls, name) : NULL;
}

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

int
bk_http_pct_decode(const char *in, size_t inlen, bool plus_space, char *out,
		   size_t outlen)
{
	size_t n = 0;
	for (size_t i = 0; i < inlen; i++) {
		if (n + 1 >= outlen)
			return -1;
		char ch = in[i];
		if (ch == '\0')
			return -1;
		if (ch == '+' && plus_space) {
			out[n++] = ' ';
			continue;
		}
		if (ch != '%') {
			out[n++] = ch;
			continue;
		}
		int h = i + 1 < inlen ? hexval((unsigned char)in[i + 1]) : -1;
		int l = h >= 0 && i + 2 < inlen ? hexval((unsigned char)in[i + 2]) : -1;
		if (h < 0 || l < 0 || (h == 0 && l == 0))
			return -1;
		out[n++] = (char)(h * 16 + l);
		i += 2;
	}
	if (!outlen)
		return -1;
	out[n] = '\0';
	return 0;
}

bool
bk_http_utf8_valid(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p, *e = s + n;
	while (s < e) {
		unsigned c = *s++;
		if (c < 0x80)
			continue;
		unsigned need, min;
		uint32_t cp;
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1, min = 0x80, cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2, min = 0x800, cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3, min = 0x10000, cp = c & 0x07;
		} else {
			return false;
		}
		if ((size_t)(e - s) < need)
			return false;
		for (unsigned i = 0; i < need; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		s += need;
	}
	return true;
}

int
bk_http_arg(const struct bk_http_req *rq, const char *name, char *out,
	    size_t outlen)
{
	size_t nl = strlen(name);
	for (const char *p = rq->query ? rq->query : ""; *p;) {
		const char *amp = strchr(p, '&');
		size_t k = amp ? (size_t)(amp - p) : strlen(p);
		const char *eq = memchr(p, '=', k);
		size_t kl = eq ? (size_t)(eq - p) : k;
		/* names are plain words: compared as sent */
		if (kl == nl && !memcmp(p, name, nl)) {
			const char *v = eq ? eq + 1 : p + k;
			if (bk_http_pct_decode(v, (size_t)(p + k - v), true, out, outlen) < 0)
				return -1;
			return bk_http_utf8_valid(out, strlen(out)) ? 1 : -1;
		}
		if (!amp)
			break;
		p = amp + 1;
	}
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

/* ---- authorisation ---- */

struct tok_find {
	char hash[65];
	enum bk_token_scope found;
	char name[65];
};

static int
tok_cmp(void *arg, const struct bk_token_row *t)
{
	struct tok_find *f = arg;
	/* every row is compared, in constant time, whatever matched before */
	if (strlen(t->hash) == 64 && CRYPTO_memcmp(t->hash, f->hash, 64) == 0) {
		f->found = !strcmp(t->scope, "write") ? BK_TOKEN_WRITE : BK_TOKEN_READ;
		snprintf(f->name, sizeof(f->name), "%s", t->name);
	}
	return 0;
}

/* The scope and name of the request's bearer token (rq->scope,
 * rq->token_name); -1 when the store failed.  A token found is kept in
 * the thread's cache (see TOKEN_CACHE_SECONDS).  Called inside the
 * request's read transaction when there is one (dispatch). */
static int
authorise(struct bk_server *s, struct bk_http_req *rq, const char *session,
	  bool *given)
{
	rq->scope = BK_TOKEN_NONE;
	rq->token_name[0] = '\0';
	*given = false;
	const char *h = bk_http_get_header(rq, "Authorization");
	struct tok_find f = { .found = BK_TOKEN_NONE };
	const char *t = NULL;
	size_t n = 0;
	if (!h && session) {	/* the dashboard's cookie: its token's hash */
		*given = true;
		memcpy(f.hash, session, 65);
	} else {
		if (!h)
			return 0;
		*given = true;
		if (strncasecmp(h, "Bearer ", 7))
			return 0;
		t = h + 7;
		while (*t == ' ')
			t++;
		n = strlen(t);
		while (n && t[n - 1] == ' ')
			n--;
		if (!n || n > TOKEN_MAX)
			return 0;
	}
	struct slot *sl = thread_slot(s);
	if (!sl)
		return -1;
	time_t now = time(NULL);
	long long version = bk_store_data_version(sl->st);
	/* a token: by its text, not hashed yet; every entry compared, in
	 * constant time */
	int hit = -1;
	for (int i = 0; t && i < TOKEN_CACHE_SIZE; i++) {
		const struct tok_cached *c = &sl->cache[i];
		bool live = c->expires > now && c->version == version;
		bool same = c->textlen == n && CRYPTO_memcmp(c->text, t, n) == 0;
		if (live && same)
			hit = i;
	}
	if (hit < 0 && t && bk_token_hash(t, n, f.hash) < 0)
		return -1;
	for (int i = 0; hit < 0 && i < TOKEN_CACHE_SIZE; i++) {
		const struct tok_cached *c = &sl->cache[i];
		bool live = c->expires > now && c->version == version;
		if (CRYPTO_memcmp(c->hash, f.hash, 64) == 0 && live)
			hit = i;
	}
	if (hit >= 0) {
		rq->scope = sl->cache[hit].scope;
		memcpy(rq->token_name, sl->cache[hit].name, sizeof(rq->token_name));
		return 0;
	}
	struct bk_store_err err = { 0 };
	if (bk_store_token_list(sl->st, tok_cmp, &f, &err) < 0)
		return -1;
	rq->scope = f.found;
	if (f.found != BK_TOKEN_NONE) {
		struct tok_cached *c = &sl->cache[sl->next_cache++ % TOKEN_CACHE_SIZE];
		memcpy(c->hash, f.hash, 64);
		c->textlen = t ? n : 0;
		if (t)
			memcpy(c->text, t, n);
		memcpy(c->name, f.name, sizeof(c->name));
		c->scope = f.found;
		c->expires = now + TOKEN_CACHE_SECONDS;
		c->version = version;
		memcpy(rq->token_name, f.name, sizeof(rq->token_name));
	}
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

unsigned
api_store_status(int rc)
{
	return rc == BK_STORE_ETEMP ? MHD_HTTP_SERVICE_UNAVAILABLE
				    : MHD_HTTP_INTERNAL_SERVER_ERROR;
}

#define MAX_EVENTS 1000

/* One event of GET /v1/addresses/{address}: the members of
 * api_event_json (server/api.c), in its order, written straight out
 * (tests/serve-abuse.sh checks that both give the same events). */
static int
event_jw(void *arg, const struct bk_event *ev)
{
	struct jw *w = arg;
	const struct bk_record *r = &ev->rec;
	jw_open(w, '{');
	jw_key(w, "id"), jw_int(w, ev->id);
	jw_key(w, "key"), jw_str(w, ev->key);
	jw_key(w, "channel"), jw_str(w, ev->channel);
	jw_key(w, "ingested"), jw_int(w, ev->ingested);
	jw_key(w, "timestamp"), jw_int(w, r->timestamp);
	jw_key(w, "recipient"), jw_str(w, r->recipient);
	jw_key(w, "addresser"), jw_str(w, r->addresser);
	jw_key(w, "action"), jw_str(w, r->action);
	jw_key(w, "reason"), jw_str(w, r->reason);
	jw_key(w, "deliverystatus"), jw_str(w, r->deliverystatus);
	jw_key(w, "replycode"), jw_str(w, r->replycode);
	jw_key(w, "diagnosticcode"), jw_str(w, r->diagnosticcode);
	jw_key(w, "rhost"), jw_str(w, r->rhost);
	jw_key(w, "decodedby"), jw_str(w, r->decodedby);
	jw_key(w, "class"), jw_str(w, ev->evclass);
	jw_key(w, "hardbounce"), jw_bool(w, r->hardbounce);
	jw_key(w, "subject"), jw_str(w, r->subject);
	jw_key(w, "destination"), jw_str(w, r->destination);
	jw_key(w, "senderdomain"), jw_str(w, r->senderdomain);
	jw_close(w, '}');
	return w->oom ? -1 : 0;
}

/* The events of an address as the store gives them (newest first), each
 * written into one buffer, where each begins. */
struct evlist {
	struct jw w;
	size_t n;
	size_t at[MAX_EVENTS + 1];
};

static int
event_collect(void *arg, const struct bk_event *ev)
{
	struct evlist *l = arg;
	if (l->n >= MAX_EVENTS)
		return -1;
	l->at[l->n++] = l->w.len;
	l->w.comma = false;
	return event_jw(&l->w, ev);
}

/* The hot call of the API (bench/serve.sh): the state and the most recent
 * events, read in one store call (one read transaction, statements
 * prepared once per connection), written straight into one buffer
 * (server/jsonw.h), no jansson tree; the events oldest first. */
static int
get_address(struct bk_server *s, const struct bk_http_req *rq,
	    struct bk_http_resp *rs)
{
	const char *addr = rq->param;
	if (strlen(addr) > 320)
		return bk_http_error(rs, MHD_HTTP_BAD_REQUEST, "bad_address",
				     "not an e-mail address");
	struct bk_addr_state a;
	struct bk_store_err err = { 0 };
	struct bk_store *st = bk_server_store(s);
	if (!st)
		return bk_http_error(rs, MHD_HTTP_SERVICE_UNAVAILABLE, "store",
				     "the store could not be opened");
	struct evlist evs, *ev = &evs;	/* 8 KB: on the worker's stack */
	char evbuf[4096];	/* the events' text while it fits, there too */
	jw_init_buf(&ev->w, evbuf, sizeof(evbuf));
	ev->n = 0;
	/* the address normalised (and checked) by the store, once */
	int rc = bk_store_address_view(st, addr, (int64_t)time(NULL), MAX_EVENTS, &a,
				       event_collect, ev, &err);
	bk_server_release(s, st);
	if (rc < 0 || ev->w.oom) {
		jw_free(&ev->w);
		if (rc >= 0)
			return -1;
		if (rc == BK_STORE_EINVAL)
			return bk_http_error(rs, MHD_HTTP_BAD_REQUEST, "bad_address",
					     "not an e-mail address");
		return bk_http_error(rs, api_store_status(rc), "store", err.msg);
	}
	/* the answer in one allocation: the events and room for the rest
	 * (the address escaped, the other members short) */
	struct jw w;
	jw_init(&w);
	if (!jw_reserve(&w, ev->w.len + 6 * strlen(a.address) + 1024)) {
		jw_free(&ev->w);
		return -1;
	}
	jw_open(&w, '{');
	jw_key(&w, "address"), jw_str(&w, a.address);
	jw_key(&w, "known"), jw_bool(&w, a.known);
	jw_key(&w, "verdict"), jw_str(&w, a.verdict);
	jw_key(&w, "basis"), jw_str(&w, a.basis);
	jw_key(&w, "reason"), jw_str(&w, a.last_reason);
	jw_key(&w, "status"), jw_str(&w, a.last_status);
	jw_key(&w, "since");
	a.known ? jw_int(&w, a.since) : jw_null(&w);
	jw_key(&w, "until");
	!strcmp(a.verdict, "retry-after") ? jw_int(&w, a.until) : jw_null(&w);
	jw_key(&w, "first");
	a.known ? jw_int(&w, a.first) : jw_null(&w);
	jw_key(&w, "last");
	a.known ? jw_int(&w, a.last) : jw_null(&w);
	jw_key(&w, "counts");
	jw_open(&w, '{');
	jw_key(&w, "hard"), jw_int(&w, a.hard);
	jw_key(&w, "soft"), jw_int(&w, a.soft);
	jw_key(&w, "complaint"), jw_int(&w, a.complaint);
	jw_key(&w, "senderside"), jw_int(&w, a.senderside);
	jw_key(&w, "delivered"), jw_int(&w, a.delivered);
	jw_close(&w, '}');
	jw_key(&w, "cause"), jw_str(&w, a.cause);
	jw_key(&w, "events");
	jw_open(&w, '[');
	ev->at[ev->n] = ev->w.len;
	for (size_t i = ev->n; i > 0; i--)	/* oldest first */
		jw_raw(&w, ev->w.p + ev->at[i - 1], ev->at[i] - ev->at[i - 1]);
	jw_close(&w, ']');
	jw_close(&w, '}');
	jw_free(&ev->w);
	size_t len = 0;
	char *text = jw_take(&w, &len);
	return text ? bk_http_text(rs, MHD_HTTP_OK, NULL, text, len) : -1;
}

static int
post_check(struct bk_server *s, const struct bk_http_req *rq,
	   struct bk_http_resp *rs)
{
	json_error_t jerr;
	json_t *in = json_loadb(rq->body ? rq->body : "", rq->len,
				JSON_REJECT_DUPLICATES, &jerr);
	if (!in) {
		char msg[256];
		snprintf(msg, sizeof(msg), "bad JSON: %s (line %d, column %d)",
			 jerr.text, jerr.line, jerr.column);
		return bk_http_error(rs, MHD_HTTP_BAD_REQUEST, "bad_json", msg);
	}
	json_t *list = json_is_object(in) ? json_object_get(in, "addresses") : NULL;
	if (!json_is_array(list) || json_array_size(list) == 0) {
		json_decref(in);
		return bk_http_error(rs, MHD_HTTP_BAD_REQUEST, "bad_request",
				     "expected {\"addresses\": [\"ADDRESS\", ...]}");
	}
	if (json_array_size(list) > s->conf->max_check) {
		char msg[128];
		snprintf(msg, sizeof(msg), "at most %u addresses in one check",
			 s->conf->max_check);
		json_decref(in);
		return bk_http_error(rs, MHD_HTTP_CONTENT_TOO_LARGE, "too_many", msg);
	}
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		if (!json_is_string(v)) {
			json_decref(in);
			return bk_http_error(rs, MHD_HTTP_BAD_REQUEST, "bad_request",
					     "every address must be a string");
		}
	}
	json_t *out = json_array();
	int rc = 0;
	struct bk_store_err err = { 0 };
	struct bk_store *st = bk_server_store(s);
	if (!st || !out) {
		json_decref(in);
		json_decref(out);
		return bk_http_error(rs, MHD_HTTP_SERVICE_UNAVAILABLE, "store",
				     "the store could not be opened");
	}
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
	bk_server_release(s, st);
	json_decref(in);
	if (rc < 0) {
		json_decref(out);
		return bk_http_error(rs, api_store_status(rc), "store", err.msg);
	}
	return bk_http_json(rs, MHD_HTTP_OK, json_pack("{s:o}", "results", out));
}

static int
post_messages(struct bk_server *s, const struct bk_http_req *rq,
	      struct bk_http_resp *rs)
{
	char q[4];
	int qa = bk_http_arg(rq, "store", q, sizeof(q));
	bool store = qa > 0 && !strcmp(q, "1");
	if (qa != 0 && !store && (qa < 0 || strcmp(q, "0")))
		return bk_http_error(rs, MHD_HTTP_BAD_REQUEST, "bad_request",
				     "store is 0 or 1");
	if (store && rq->scope != BK_TOKEN_WRITE)
		return bk_http_error(rs, MHD_HTTP_FORBIDDEN, "forbidden",
				     "storing needs a write token");
	if (!rq->len)
		return bk_http_error(rs, MHD_HTTP_BAD_REQUEST, "empty",
				     "the body is the raw bounce message");
	struct bk_err derr;
	memset(&derr, 0, sizeof(derr));
	struct bk_parser *p = bk_parser_new(NULL, &derr);
	if (!p)
		return -1;
	/* ?explain=1: each record says why it has its reason */
	char ex[4];
	if (bk_http_arg(rq, "explain", ex, sizeof(ex)) > 0 && !strcmp(ex, "1"))
		bk_parser_set_explain(p, true);
	const struct bk_record *recs = NULL;
	int n = bk_decode(p, rq->body, rq->len, "<api>", &recs, &derr);
	if (n < 0) {
		bk_parser_free(p);
		return bk_http_error(rs, n == BK_ELIMIT ? MHD_HTTP_CONTENT_TOO_LARGE
							: MHD_HTTP_UNPROCESSABLE_CONTENT,
				     "undecodable", "the message could not be decoded");
	}
	char *text = bk_records_to_text(BK_FMT_JSON, recs, (size_t)n);
	if (!text) {
		bk_parser_free(p);
		return -1;
	}
	char stored[96] = "";
	if (store) {
		struct bk_store_err err = { 0 };
		int rc = 0;
		struct bk_store *st = bk_server_store(s);
		if (!st) {
			free(text);
			bk_parser_free(p);
			return bk_http_error(rs, MHD_HTTP_SERVICE_UNAVAILABLE, "store",
					     "the store could not be opened");
		}
		struct bk_ingest_stats before = *bk_store_stats_ingest(st);
		for (int i = 0; i < n && rc >= 0; i++)
			rc = bk_store_add(st, &recs[i], "api", &err);
		if (rc >= 0)
			rc = bk_store_flush(st, &err);
		const struct bk_ingest_stats *after = bk_store_stats_ingest(st);
		snprintf(stored, sizeof(stored), "%llu new, %llu duplicate",
			 after->events_new - before.events_new,
			 after->duplicates - before.duplicates);
		api_metrics_ingested(s->metrics, after->events_new - before.events_new,
				     after->duplicates - before.duplicates);
		bk_server_release(s, st);
		if (rc < 0) {
			free(text);
			bk_parser_free(p);
			return bk_http_error(rs, api_store_status(rc), "store", err.msg);
		}
	}
	bk_parser_free(p);
	if (bk_http_text(rs, MHD_HTTP_OK, NULL, text, strlen(text)) < 0)
		return -1;
	return store ? bk_http_header(rs, "X-Bouncekit-Stored", stored) : 0;
}

static int
healthz(struct bk_server *s, const struct bk_http_req *rq, struct bk_http_resp *rs)
{
	(void)rq;
	struct bk_addr_state a;
	struct bk_store_err err = { 0 };
	struct bk_store *st = bk_server_store(s);
	int rc = st ? bk_store_query(st, "healthz@healthz.invalid", "",
				     (int64_t)time(NULL), &a, &err)
		    : BK_STORE_ETEMP;
	if (!st)
		snprintf(err.msg, sizeof(err.msg), "the store could not be opened");
	bk_server_release(s, st);
	if (rc < 0)
		return bk_http_json(rs, MHD_HTTP_SERVICE_UNAVAILABLE,
				    json_pack("{s:s, s:s}", "status", "unavailable",
					      "message", err.msg));
	return bk_http_json(rs, MHD_HTTP_OK, json_pack("{s:s}", "status", "ok"));
}

/* ---- dispatch ---- */

static int
webhooks(struct bk_server *s, const struct bk_http_req *rq, struct bk_http_resp *rs)
{
	return bk_webhooks_handle(s->wh, s, rq, rs);
}

/* The routes: a path ending in "{name}" takes one segment there (no '/'). */
const struct bk_route bk_routes[] = {
	{ "GET", "/healthz", BK_TOKEN_NONE, healthz },
	/* a read token, unless --metrics-open (see dispatch) */
	{ "GET", "/metrics", BK_TOKEN_READ, api_metrics },
	{ "GET", "/v1/addresses/{address}", BK_TOKEN_READ, get_address },
	{ "POST", "/v1/check", BK_TOKEN_READ, post_check },
	{ "POST", "/v1/messages", BK_TOKEN_READ, post_messages },
	{ "GET", "/v1/stats", BK_TOKEN_READ, api_stats },
	{ "GET", "/v1/events", BK_TOKEN_READ, api_events },
	{ "GET", "/v1/suppressions", BK_TOKEN_READ, api_suppressions },
	{ "POST", "/v1/suppressions/import", BK_TOKEN_WRITE, api_import },
	{ "PUT", "/v1/suppressions/{address}", BK_TOKEN_WRITE, api_suppress },
	{ "DELETE", "/v1/suppressions/{address}", BK_TOKEN_WRITE, api_unsuppress },
	{ "GET", "/v1/reasons", BK_TOKEN_READ, bk_dash_reasons },
	{ "POST", "/v1/classify", BK_TOKEN_READ, bk_dash_classify },
	/* no token: each provider's own authentication (webhooks.c) */
	{ "POST", "/v1/webhooks/{provider}", BK_TOKEN_NONE, webhooks },
	{ NULL, NULL, BK_TOKEN_NONE, NULL },
};

void
bk_server_print_routes(FILE *f)
{
	static const char *const scopes[] = { "none", "read", "write" };
	for (const struct bk_route *x = bk_routes; x->method; x++)
		fprintf(f, "%s %s %s\n", x->method, x->path, scopes[x->need]);
}

/* Whether path matches the route's pattern; *param gets the parameter. */
static bool
route_match(const char *pat, const char *path, const char *raw, const char **param)
{
	const char *br = strchr(pat, '{');
	*param = NULL;
	if (!br)
		return !strcmp(pat, path);
	size_t k = (size_t)(br - pat);
	/* one segment as sent (raw): an address may hold a '/' sent as %2F */
	if (strncmp(pat, path, k) || !path[k] || strncmp(pat, raw, k) || strchr(raw + k, '/'))
		return false;
	*param = path + k;
	return true;
}

/* The request's token against the route's need: 1 go on, 0 refused
 * (the answer is in rs), -1 out of memory. */
static int
check_token(struct bk_server *s, struct bk_http_req *rq, struct bk_http_resp *rs,
	    enum bk_token_scope need)
{
	/* without an Authorization header, a dashboard session's cookie
	 * stands for its token; writing with it needs the session's CSRF
	 * token (server/session.c) */
	char shash[65];
	int sess = bk_http_get_header(rq, "Authorization") ? 0 : bk_session_check(rq, shash);
	if (sess < 0)
		return bk_http_error(rs, MHD_HTTP_FORBIDDEN, "csrf",
				     "a request that writes with a session cookie needs its X-CSRF-Token");
	bool given;
	if (authorise(s, rq, sess > 0 ? shash : NULL, &given) < 0)
		return bk_http_error(rs, MHD_HTTP_SERVICE_UNAVAILABLE, "store",
				     "the tokens could not be read");
	if (rq->scope == BK_TOKEN_NONE)
		return bk_http_error(rs, MHD_HTTP_UNAUTHORIZED, "unauthorized",
				     given ? "the token is not valid"
					   : "a bearer token is needed") < 0 ? -1
			: bk_http_header(rs, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					 given ? "Bearer realm=\"bouncekit\", error=\"invalid_token\""
					       : "Bearer realm=\"bouncekit\"");
	if (rq->scope < need)
		return bk_http_error(rs, MHD_HTTP_FORBIDDEN, "forbidden",
				     "this call needs a write token");
	unsigned wait;
	double rate = s->conf->rate_limit;
	double burst = s->conf->rate_burst > 0 ? s->conf->rate_burst : 2 * rate;
	if (api_rate_take(s->metrics, rq->token_name, rate, burst < 1 ? 1 : burst, &wait)) {
		char ra[16];
		snprintf(ra, sizeof(ra), "%u", wait);
		return bk_http_error(rs, MHD_HTTP_TOO_MANY_REQUESTS, "rate_limited",
				     "too many requests for this token: retry after"
				     " the Retry-After seconds") < 0 ? -1
			: bk_http_header(rs, "Retry-After", ra);
	}
	return 1;
}

static int
dispatch(struct bk_server *s, struct bk_http_req *rq, struct bk_http_resp *rs,
	 char *path)
{
	const char *method = rq->method;
	if (rq->too_big)
		return bk_http_error(rs, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
				     "the request body is over the limit") < 0 ? -1
			: bk_http_header(rs, "Connection", "close");
	size_t ul = strlen(rq->url);
	if (rq->url[0] != '/' || bk_http_pct_decode(rq->url, ul, false, path, ul + 1) < 0)
		return bk_http_error(rs, MHD_HTTP_BAD_REQUEST, "bad_path",
				     "bad percent-encoding in the path");
	if (!bk_http_utf8_valid(path, strlen(path)))
		return bk_http_error(rs, MHD_HTTP_BAD_REQUEST, "bad_path",
				     "the path is not UTF-8");
	if (traversal(path))
		return bk_http_error(rs, MHD_HTTP_BAD_REQUEST, "bad_path",
				     "'.' and '..' are not allowed in the path");
	rq->path = path;
	if (bk_dash_path(path))	/* the dashboard's pages and sign-in */
		return bk_dash_handle(s, rq, rs);
	/* the providers' webhooks authenticate as each provider does (and
	 * answer a bad name or method themselves) */
	if (!strncmp(path, "/v1/webhooks/", 13)) {
		for (const struct bk_route *x = bk_routes; x->method; x++)
			if (x->fn == webhooks)
				rq->route = (int)(x - bk_routes);
		return webhooks(s, rq, rs);
	}
	const struct bk_route *rt = NULL;
	char allow[64] = "";
	bool found = false;
	for (const struct bk_route *x = bk_routes; x->method; x++) {
		const char *param;
		if (!route_match(x->path, path, rq->url, &param))
			continue;
		found = true;
		if (!strcmp(method, x->method) ||
		    (!strcmp(method, "HEAD") && !strcmp(x->method, "GET"))) {
			rt = x;
			rq->param = param;
			rq->route = (int)(x - bk_routes);
			break;
		}
		size_t al = strlen(allow);
		snprintf(allow + al, sizeof(allow) - al, "%s%s", al ? ", " : "", x->method);
	}
	if (!found)
		return bk_http_error(rs, MHD_HTTP_NOT_FOUND, "not_found",
				     "no such resource");
	if (!rt)
		return bk_http_error(rs, MHD_HTTP_METHOD_NOT_ALLOWED,
				     "method_not_allowed", allow) < 0 ? -1
			: bk_http_header(rs, "Allow", allow);
	enum bk_token_scope need = rt->need;
	if (rt->fn == api_metrics && s->conf->metrics_open)
		need = BK_TOKEN_NONE;
	if (need == BK_TOKEN_NONE)
		return rt->fn(s, rq, rs);
	/* the token checked in a read transaction of the store, where its
	 * data version is known (authorise); a call that only reads keeps it
	 * for its own reads (one snapshot, one set of locks), and leaves it
	 * to the thread's next call (SNAPSHOT_LINGER_NS) */
	bool get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
	struct slot *sl = slot_acquire(s, get);
	struct bk_store *st = sl ? sl->st : NULL;
	struct bk_store_err err = { 0 };
	int rd = 0;
	if (sl && sl->held) {
		rd = 1;		/* the snapshot of an earlier call, still young */
		sl->held = false;
	} else if (st) {
		/* the generation first: a write answered after it is seen */
		unsigned long gen = __atomic_load_n(&s->wgen, __ATOMIC_ACQUIRE);
		if ((rd = bk_store_read_begin(st, &err)) > 0) {
			sl->held_ns = mono_ns();
			sl->held_gen = gen;
		}
	}
	int ok = check_token(s, rq, rs, need);
	bool reading = rd > 0 && ok > 0 && get;
	if (rd > 0 && !reading)
		bk_store_read_end(st);
	int rc = ok;
	if (ok > 0)
		rc = rt->fn(s, rq, rs);
	if (reading)
		sl->held = true;
	bk_server_release(s, st);
	return rc;
}

void
bk_server_handle(struct bk_server *s, struct bk_http_req *rq,
		 struct bk_http_resp *rs)
{
	memset(rs, 0, sizeof(*rs));
	rq->path = NULL;
	rq->param = NULL;
	rq->route = -1;
	rq->scope = BK_TOKEN_NONE;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rq->token_name[0] = '\0';
	if (!rq->query)
		rq->query = "";
	/* the decoded path, on the stack for the usual short one */
	char small[512];
	size_t ul = strlen(rq->url);
	char *path = ul < sizeof(small) ? small : malloc(ul + 1);
	int rc = path ? dispatch(s, rq, rs, path) : -1;
	if (path != small)
		free(path);
	/* a call that may have written: calls that start from now on do not
	 * reuse a snapshot begun before it */
	if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD"))
		__atomic_add_fetch(&s->wgen, 1, __ATOMIC_RELEASE);
	/* every store use of the call released (a path that forgot would
	 * keep the slot locked) */
	if (tl.id == s->id && tl.slot && tl.depth) {
		tl.depth = 0;
		pthread_mutex_unlock(&tl.slot->mu);
	}
	rq->path = NULL;
	rq->param = NULL;
	if (rc < 0 || !rs->status) {
		bk_http_resp_free(rs);
		static const char oom[] =
			"{\"error\":\"internal\",\"message\":\"out of memory\"}\n";
		bk_http_static(rs, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, oom,
			       sizeof(oom) - 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	api_metrics_request(s->metrics, rq->route, rs->status,
			    (double)(t1.tv_sec - t0.tv_sec) +
			    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
}

/* ---- the libmicrohttpd daemon ---- */

/* One request on a connection: its raw query and body as they arrive. */
struct req {
	char *query;		/* from the request line, "" when none */
	char *body;
	size_t len, cap;
	bool too_big, started;
	struct timespec t0;
};

/* Every open connection, for the watchdog (watch_slow): MHD's timeout
 * counts idle time only, so a client that sends a byte a second would
 * hold its connection for ever.  A request must arrive whole (headers
 * and body) within --timeout seconds of the connection's start or of the
 * end of its previous request; the watchdog shuts down the socket of one
 * that does not (MHD then closes it).  The list lock is held while MHD
 * removes a connection (before it closes the socket), so the watchdog
 * never shuts down a descriptor that has been reused. */
struct conn {
	int fd;
	time_t since;		/* waiting for a request since */
	bool responding;	/* a response is queued: MHD's timeout rules */
	bool cut;
	struct conn *prev, *next;
};

static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn *conns;

static time_t
mono_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
	return t.tv_sec;
}

static void
conn_notify(void *cls, struct MHD_Connection *c, void **ctx,
	    enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct conn *k = ci ? calloc(1, sizeof(*k)) : NULL;
		if (!k)
			return;	/* not watched: MHD's idle timeout still holds */
		k->fd = ci->connect_fd;
		k->since = mono_now();
		pthread_mutex_lock(&conns_lock);
		k->next = conns;
		if (conns)
			conns->prev = k;
		conns = k;
		pthread_mutex_unlock(&conns_lock);
		*ctx = k;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *ctx) {
		struct conn *k = *ctx;
		pthread_mutex_lock(&conns_lock);
		if (k->prev)
			k->prev->next = k->next;
		else
			conns = k->next;
		if (k->next)
			k->next->prev = k->prev;
		pthread_mutex_unlock(&conns_lock);
		free(k);
		*ctx = NULL;
	}
}

static struct conn *
conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* Called once a second by the main thread. */
static void
watch_slow(unsigned timeout)
{
	time_t now = mono_now();
	pthread_mutex_lock(&conns_lock);
	for (struct conn *k = conns; k; k = k->next) {
		if (k->cut || __atomic_load_n(&k->responding, __ATOMIC_RELAXED))
			continue;
		if (now - __atomic_load_n(&k->since, __ATOMIC_RELAXED) > (time_t)timeout) {
			shutdown(k->fd, SHUT_RDWR);
			k->cut = true;
			static const char msg[] =
				"bouncekit: serve: a request not received within the timeout: connection closed\n";
			(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
		}
	}
	pthread_mutex_unlock(&conns_lock);
}

static void
log_line(const char *method, const char *url, unsigned status, size_t bytes,
	 const struct req *r)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long long us = (long long)(t1.tv_sec - r->t0.tv_sec) * 1000000 +
		       (t1.tv_nsec - r->t0.tv_nsec) / 1000;
	/* the path only (without the query string); bytes that are not
	 * printable are shown as '?' */
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

static const char *
mhd_header(void *hcls, const char *name)
{
	return MHD_lookup_connection_value(hcls, MHD_HEADER_KIND, name);
}

static enum MHD_Result
respond(struct bk_server *s, struct MHD_Connection *c, const char *url,
	const char *method, struct req *r)
{
	struct bk_http_req rq = {
		.method = method, .url = url, .query = r->query ? r->query : "",
		.header = mhd_header, .hcls = c,
		.body = r->body, .len = r->len, .too_big = r->too_big,
	};
	struct bk_http_resp rs;
	bk_server_handle(s, &rq, &rs);
	struct conn *k = conn_of(c);
	if (k)
		__atomic_store_n(&k->responding, true, __ATOMIC_RELAXED);
	struct MHD_Response *resp;
	if (rs.reader) {
		/* -1 and -2 are MHD's END_OF_STREAM and END_WITH_ERROR */
		resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024,
							 rs.reader, rs.reader_cls,
							 rs.reader_free);
		if (resp)
			rs.reader_free = NULL;	/* MHD calls it now */
	} else {
		resp = MHD_create_response_from_buffer(
			rs.len, rs.body, rs.body_static ? MHD_RESPMEM_PERSISTENT
							: MHD_RESPMEM_MUST_FREE);
		if (resp)
			rs.body_static = true;	/* MHD frees it now */
	}
	if (!resp) {
		bk_http_resp_free(&rs);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type",
				rs.ctype ? rs.ctype : "application/json");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	for (unsigned i = 0; i < rs.nheaders; i++)
		MHD_add_response_header(resp, rs.headers[i].name, rs.headers[i].value);
	enum MHD_Result ret = MHD_queue_response(c, rs.status, resp);
	MHD_destroy_response(resp);
	log_line(method, url, rs.status, rs.len, r);
	bk_http_resp_free(&rs);
	return ret;
}

/* Called with the raw request target before MHD parses it: the query
 * string is kept as sent (bk_http_arg decodes it). */
static void *
uri_seen(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	struct req *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	const char *q = strchr(uri, '?');
	if (q && q[1])
		r->query = strdup(q + 1);
	return r;
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
	const char *method, const char *version, const char *upload,
	size_t *upsize, void **con_cls)
{
	struct bk_server *s = cls;
	struct req *r = *con_cls;
	(void)version;
	if (!r)
		return MHD_NO;	/* no memory in uri_seen */
	if (!r->started) {
		r->started = true;
		/* refused before the body is read when it says it is too big */
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > s->conf->max_body) {
			r->too_big = true;
			return respond(s, c, url, method, r);
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
	return respond(s, c, url, method, r);
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls,
	  enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)toe;
	struct conn *k = conn_of(c);
	if (k) {
		__atomic_store_n(&k->since, mono_now(), __ATOMIC_RELAXED);
		__atomic_store_n(&k->responding, false, __ATOMIC_RELAXED);
	}
	struct req *r = *con_cls;
	if (r) {
		free(r->query);
		free(r->body);
		free(r);
		*con_cls = NULL;
	}
}

/* MHD would unescape the path and the arguments itself (and accept bad
 * escapes): keep them raw, they are decoded and checked by the server. */
static size_t
keep_raw(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
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

/* Where to listen: "HOST:PORT" (IPv4, or "localhost"), "[IPV6]:PORT", or
 * "unix:PATH" (a socket made here, and removed at the end). */
struct listen_at {
	struct sockaddr_storage sa;
	int fd;			/* unix: the listening socket; else -1 */
	const char *path;	/* unix: */
};

static int
parse_listen(const char *s, struct listen_at *l)
{
	memset(l, 0, sizeof(*l));
	l->fd = -1;
	if (!strncmp(s, "unix:", 5)) {
		struct sockaddr_un *un = (struct sockaddr_un *)&l->sa;
		size_t n = strlen(s + 5);
		if (!n || n >= sizeof(un->sun_path))
			return -1;
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, s + 5, n + 1);
		l->path = s + 5;
		return 0;
	}
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || colon - s > 63)
		return -1;
	char host[64];
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	char *end;
	errno = 0;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port > 65535 || colon[1] == '-' ||
	    colon[1] == '+' || colon[1] == ' ')
		return -1;
	size_t hl = strlen(host);
	if (host[0] == '[') {
		if (hl < 3 || host[hl - 1] != ']')
			return -1;
		host[hl - 1] = '\0';
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&l->sa;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, host + 1, &s6->sin6_addr) == 1 ? 0 : -1;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)&l->sa;
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	if (!strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	return inet_pton(AF_INET, host, &s4->sin_addr) == 1 ? 0 : -1;
}

/* A unix socket, listening; a stale socket file (nobody listening) is
 * replaced, a live one or any other file is left alone. */
static int
unix_listen(struct listen_at *l, char *errbuf, size_t errlen)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	if (bind(fd, (struct sockaddr *)&l->sa, sizeof(struct sockaddr_un)) < 0) {
		if (errno != EADDRINUSE)
			goto fail;
		struct stat sb;
		int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		bool live = probe >= 0 &&
			    connect(probe, (struct sockaddr *)&l->sa, sizeof(struct sockaddr_un)) == 0;
		if (probe >= 0)
			close(probe);
		if (live || lstat(l->path, &sb) < 0 || !S_ISSOCK(sb.st_mode)) {
			errno = EADDRINUSE;
			goto fail;
		}
		unlink(l->path);
		if (bind(fd, (struct sockaddr *)&l->sa, sizeof(struct sockaddr_un)) < 0)
			goto fail;
	}
	if (listen(fd, 128) < 0)
		goto fail;
	l->fd = fd;
	return 0;
fail:
	snprintf(errbuf, errlen, "cannot listen on unix:%s: %s", l->path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

int
bk_server_run(const struct bk_server_conf *conf, char *errbuf, size_t errlen)
{
	struct listen_at l;
	if (parse_listen(conf->listen, &l) < 0) {
		snprintf(errbuf, errlen,
			 "--listen '%s': expected IPV4:PORT, [IPV6]:PORT or unix:PATH",
			 conf->listen);
		return -1;
	}
	struct bk_server *s = bk_server_new(conf, errbuf, errlen);
	if (!s)
		return -1;
	if (l.path && unix_listen(&l, errbuf, errlen) < 0) {
		bk_server_free(s);
		return -1;
	}
	/* epoll, edge-triggered, fewer checks (MHD_USE_TURBO) */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_TURBO |
			 MHD_USE_ERROR_LOG;
	if (l.sa.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* epoll (MHD_USE_AUTO), not select(): no FD_SETSIZE bound on
	 * --max-connections.  The workers inherit a mask without the stop
	 * signals: this thread waits for them. */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, handler, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
		l.fd >= 0 ? MHD_OPTION_LISTEN_SOCKET : MHD_OPTION_SOCK_ADDR,
		l.fd >= 0 ? (void *)(intptr_t)l.fd : (void *)&l.sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(conf->threads ? conf->threads : 1),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)conf->max_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)conf->timeout,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)0,
		/* HTTP/1.1 without Host, bad header lines...: 400 */
		MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
		MHD_OPTION_NOTIFY_COMPLETED, completed, s,
		MHD_OPTION_NOTIFY_CONNECTION, conn_notify, s,
		MHD_OPTION_URI_LOG_CALLBACK, uri_seen, s,
		MHD_OPTION_UNESCAPE_CALLBACK, keep_raw, s,
		MHD_OPTION_END);
	if (!d) {
		snprintf(errbuf, errlen, "cannot listen on %s: %s", conf->listen,
			 errno ? strerror(errno) : "libmicrohttpd refused");
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (l.fd >= 0) {
			close(l.fd);
			unlink(l.path);
		}
		bk_server_free(s);
		return -1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char where[INET6_ADDRSTRLEN + 128];
	if (l.path) {
		snprintf(where, sizeof(where), "unix:%s", l.path);
	} else if (l.sa.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&l.sa;
		char host[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		snprintf(where, sizeof(where), "[%s]:%u", host,
			 info ? (unsigned)info->port : (unsigned)ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)&l.sa;
		char host[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		snprintf(where, sizeof(where), "%s:%u", host,
			 info ? (unsigned)info->port : (unsigned)ntohs(s4->sin_port));
	}
	struct bk_store *st0 = bk_server_store(s);
	fprintf(stderr, "bouncekit: serve: listening on %s (store %s)\n", where,
		st0 ? bk_store_driver_name(st0) : "?");
	bk_server_release(s, st0);
	int sig;
	/* ten times a second: idle workers' snapshots ended; once a second:
	 * slow clients cut */
	const struct timespec tenth = { 0, 100000000 };
	unsigned ticks = 0;
	while ((sig = sigtimedwait(&set, NULL, &tenth)) < 0) {
		slots_tick(s);
		if (++ticks % 10 == 0)
			watch_slow(conf->timeout);
	}
	fprintf(stderr, "bouncekit: serve: signal %d: stopping\n", sig);
	MHD_stop_daemon(d);	/* closes the listening socket */
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (l.path)
		unlink(l.path);
	bk_server_free(s);
	return 0;
}
