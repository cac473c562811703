/* SPDX-License-Identifier: BSD-2-Clause */
/* session.c - the dashboard's browser sessions (docs/dashboard.md).
 *
 * Signing in with an API token (a form POST to /login) makes a session: a
 * random id given to the browser as an HttpOnly, SameSite=Strict cookie,
 * and a random CSRF token that the page reads from GET /session and sends
 * back as X-CSRF-Token on every request that writes.  The session holds
 * the SHA-256 of the token, never the token: each request looks that hash
 * up among the stored tokens as a bearer token's would be, so a session
 * has its token's name and scope, and revoking the token ends it.
 *
 * Sessions live in memory only (a restart signs everyone out), in a table
 * of BK_SESSION_MAX behind one mutex; when it is full the session nearest
 * its end makes room.  Ids and CSRF tokens are compared in constant time. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "server/dash.h"
#include "server/server.h"
#include "store/store.h"

struct session {
	bool used;
	char id[65], csrf[65], hash[65];
	int64_t expires;
};

static struct session tab[BK_SESSION_MAX];
static pthread_mutex_t tab_lock = PTHREAD_MUTEX_INITIALIZER;

static int
random_hex(char out[65])
{
	unsigned char r[32];
	size_t got = 0;
	while (got < sizeof(r)) {
		ssize_t n = getrandom(r + got, sizeof(r) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < sizeof(r); i++) {
		out[2 * i] = hx[r[i] >> 4];
		out[2 * i + 1] = hx[r[i] & 15];
	}
	out[64] = '\0';
	return 0;
}

static bool
is_hex64(const char *s, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* The value of our cookie in a Cookie header ("a=1; bk_session=..."):
 * copied to out when it is 64 hex digits. */
static bool
cookie_value(const char *h, char out[65])
{
	static const char name[] = BK_SESSION_COOKIE "=";
	for (const char *p = h; p && *p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *e = strchr(p, ';');
		size_t k = e ? (size_t)(e - p) : strlen(p);
		if (k > sizeof(name) - 1 && !strncmp(p, name, sizeof(name) - 1)) {
			const char *v = p + sizeof(name) - 1;
			size_t vl = k - (sizeof(name) - 1);
			while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
				vl--;
			if (is_hex64(v, vl)) {
				memcpy(out, v, 64);
				out[64] = '\0';
				return true;
			}
		}
		p = e ? e + 1 : NULL;
	}
	return false;
}

/* The slot of a live session by id (every live slot compared), or -1;
 * with tab_lock held.  Ended sessions are freed on the way. */
static int
find_locked(const char id[65], int64_t now)
{
	int found = -1;
	for (int i = 0; i < BK_SESSION_MAX; i++) {
		struct session *s = &tab[i];
		if (!s->used)
			continue;
		if (s->expires <= now) {
			OPENSSL_cleanse(s, sizeof(*s));
			s->used = false;
			continue;
		}
		if (CRYPTO_memcmp(s->id, id, 64) == 0)
			found = i;
	}
	return found;
}

static bool
writes(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

static int
check(const char *cookie, const char *method, const char *csrf, char hash[65])
{
	char id[65];
	if (!cookie || !cookie_value(cookie, id))
		return 0;
	int rc = 0;
	pthread_mutex_lock(&tab_lock);
	int i = find_locked(id, (int64_t)time(NULL));
	if (i >= 0) {
		rc = 1;
		if (writes(method) &&
		    (!csrf || strlen(csrf) != 64 || CRYPTO_memcmp(csrf, tab[i].csrf, 64)))
			rc = -1;
		else
			memcpy(hash, tab[i].hash, 65);
	}
	pthread_mutex_unlock(&tab_lock);
	OPENSSL_cleanse(id, sizeof(id));
	return rc;
}

int
bk_session_check(const struct bk_http_req *rq, char hash[65])
{
	return check(bk_http_get_header(rq, "Cookie"), rq->method,
		     bk_http_get_header(rq, "X-CSRF-Token"), hash);
}

/* A new session for a token hash: its id and CSRF token.  -1: no random
 * bytes. */
static int
session_new(const char hash[65], char id[65], int64_t *expires)
{
	struct session n = { .used = true };
	if (random_hex(n.id) < 0 || random_hex(n.csrf) < 0)
		return -1;
	memcpy(n.hash, hash, 65);
	int64_t now = (int64_t)time(NULL);
	n.expires = now + BK_SESSION_SECONDS;
	pthread_mutex_lock(&tab_lock);
	int slot = -1;
	for (int i = 0; i < BK_SESSION_MAX; i++) {
		if (tab[i].used && tab[i].expires <= now) {
			OPENSSL_cleanse(&tab[i], sizeof(tab[i]));
			tab[i].used = false;
		}
		if (!tab[i].used) {
			slot = i;
			break;
		}
	}
	if (slot < 0) {	/* full: the one that ends first goes */
		slot = 0;
		for (int i = 1; i < BK_SESSION_MAX; i++)
			if (tab[i].expires < tab[slot].expires)
				slot = i;
	}
	tab[slot] = n;
	pthread_mutex_unlock(&tab_lock);
	memcpy(id, n.id, 65);
	*expires = n.expires;
	OPENSSL_cleanse(&n, sizeof(n));
	return 0;
}

static void
session_end(const char id[65])
{
	pthread_mutex_lock(&tab_lock);
	int i = find_locked(id, (int64_t)time(NULL));
	if (i >= 0) {
		OPENSSL_cleanse(&tab[i], sizeof(tab[i]));
		tab[i].used = false;
	}
	pthread_mutex_unlock(&tab_lock);
}

/* ---- tokens ---- */

struct tok_find {
	const char *hash;
	char name[65], scope[8];
	bool found;
};

static int
tok_cmp(void *arg, const struct bk_token_row *t)
{
	struct tok_find *f = arg;
	/* every row compared, whatever matched before */
	if (strlen(t->hash) == 64 && CRYPTO_memcmp(t->hash, f->hash, 64) == 0) {
		f->found = true;
		snprintf(f->name, sizeof(f->name), "%s", t->name);
		snprintf(f->scope, sizeof(f->scope), "%s",
			 strcmp(t->scope, "write") ? "read" : "write");
	}
	return 0;
}

int
bk_token_find(struct bk_store *st, const char hash[65], char name[65], char scope[8])
{
	struct tok_find f = { .hash = hash };
	struct bk_store_err err = { 0 };
	if (bk_store_token_list(st, tok_cmp, &f, &err) < 0)
		return -1;
	if (!f.found)
		return 0;
	memcpy(name, f.name, 65);
	memcpy(scope, f.scope, 8);
	return 1;
}

/* ---- the endpoints ---- */

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

/* The value of one field of an application/x-www-form-urlencoded body,
 * decoded into out; false when absent, too long or badly encoded. */
static bool
form_field(const char *body, size_t len, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	const char *p = body, *end = body + len;
	while (p && p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *fe = amp ? amp : end;
		if ((size_t)(fe - p) > nl && !memcmp(p, name, nl) && p[nl] == '=') {
			size_t n = 0;
			for (const char *v = p + nl + 1; v < fe; v++) {
				if (n + 1 >= outlen)
					return false;
				if (*v == '+') {
					out[n++] = ' ';
				} else if (*v == '%') {
					int h = v + 2 < fe ? hexval((unsigned char)v[1]) : -1;
					int l = h < 0 ? -1 : hexval((unsigned char)v[2]);
					if (l < 0 || (h == 0 && l == 0))
						return false;
					out[n++] = (char)(h * 16 + l);
					v += 2;
				} else {
					out[n++] = *v;
				}
			}
			out[n] = '\0';
			return true;
		}
		p = amp ? amp + 1 : NULL;
	}
	return false;
}

/* A request sent by a page of another site: its Origin header (browsers
 * send one with every POST) is not this server.  A request without one
 * (curl, an old browser) passes: the cookie's SameSite=Strict and the CSRF
 * token are the defence there. */
static bool
foreign_origin(const struct bk_http_req *rq)
{
	const char *o = bk_http_get_header(rq, "Origin");
	const char *host = bk_http_get_header(rq, "Host");
	if (!o)
		return false;
	const char *h = !strncmp(o, "http://", 7) ? o + 7 : !strncmp(o, "https://", 8) ? o + 8 : NULL;
	return !h || !host || strcasecmp(h, host) != 0;
}

static int
redirect(struct bk_http_resp *rs, const char *location)
{
	static const char text[] = "see other\n";
	if (bk_http_static(rs, 303, "text/plain; charset=utf-8", text, sizeof(text) - 1) < 0 ||
	    bk_http_header(rs, "Location", location) < 0)
		return -1;
	return bk_dash_secure(rs);
}

static int
error_reply(struct bk_http_resp *rs, unsigned status, const char *code, const char *msg)
{
	return bk_http_error(rs, status, code, msg) < 0 ? -1 : bk_dash_secure(rs);
}

static int
not_allowed(struct bk_http_resp *rs, const char *want)
{
	return error_reply(rs, 405, "method_not_allowed", want) < 0 ? -1
		: bk_http_header(rs, "Allow", want);
}

int
bk_session_login(struct bk_server *s, struct bk_http_req *rq, struct bk_http_resp *rs)
{
	if (strcmp(rq->method, "POST"))
		return not_allowed(rs, "POST");
	if (foreign_origin(rq))
		return error_reply(rs, 403, "forbidden", "a sign-in from another site");
	char token[300];
	if (!rq->body || !form_field(rq->body, rq->len, "token", token, sizeof(token)))
		return redirect(rs, "/?signin=failed");
	/* the token as pasted: spaces around it do not count */
	char *t = token;
	while (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n')
		t++;
	size_t n = strlen(t);
	while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r' || t[n - 1] == '\n'))
		n--;
	char hash[65], name[65], scope[8];
	int rc = n ? bk_token_hash(t, n, hash) : -1;
	OPENSSL_cleanse(token, sizeof(token));
	if (rc < 0)
		return redirect(rs, "/?signin=failed");
	struct bk_store *st = bk_server_store(s);
	if (!st)
		return error_reply(rs, 503, "store", "the store could not be opened");
	rc = bk_token_find(st, hash, name, scope);
	bk_server_release(s, st);
	if (rc < 0)
		return error_reply(rs, 503, "store", "the tokens could not be read");
	if (rc == 0)
		return redirect(rs, "/?signin=failed");
	char id[65], cookie[200];
	int64_t expires;
	if (session_new(hash, id, &expires) < 0)
		return error_reply(rs, 503, "random", "no random bytes for a session");
	snprintf(cookie, sizeof(cookie),
		 BK_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d",
		 id, BK_SESSION_SECONDS);
	OPENSSL_cleanse(id, sizeof(id));
	rc = redirect(rs, "/") < 0 ? -1 : bk_http_header(rs, "Set-Cookie", cookie);
	OPENSSL_cleanse(cookie, sizeof(cookie));
	return rc;
}

int
bk_session_logout(struct bk_server *s, struct bk_http_req *rq, struct bk_http_resp *rs)
{
	(void)s;
	if (strcmp(rq->method, "POST"))
		return not_allowed(rs, "POST");
	if (foreign_origin(rq))
		return error_reply(rs, 403, "forbidden", "a sign-out from another site");
	const char *cookie = bk_http_get_header(rq, "Cookie");
	char id[65];
	if (cookie && cookie_value(cookie, id)) {
		/* the CSRF token as a header (the page's script) or a form
		 * field (a plain form) */
		char csrf[80] = "", hash[65];
		const char *h = bk_http_get_header(rq, "X-CSRF-Token");
		if (h)
			snprintf(csrf, sizeof(csrf), "%s", h);
		else if (rq->body)
			(void)form_field(rq->body, rq->len, "csrf", csrf, sizeof(csrf));
		int rc = check(cookie, rq->method, csrf, hash);
		if (rc < 0)
			return error_reply(rs, 403, "csrf", "the CSRF token is missing or wrong");
		if (rc > 0)
			session_end(id);
	}
	return redirect(rs, "/") < 0 ? -1
		: bk_http_header(rs, "Set-Cookie",
				 BK_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

int
bk_session_info(struct bk_server *s, struct bk_http_req *rq, struct bk_http_resp *rs)
{
	if (strcmp(rq->method, "GET"))
		return not_allowed(rs, "GET");
	const char *cookie = bk_http_get_header(rq, "Cookie");
	char id[65], hash[65], name[65], scope[8], csrf[65];
	int64_t expires = 0;
	if (!cookie || !cookie_value(cookie, id))
		return error_reply(rs, 401, "unauthorized", "not signed in");
	pthread_mutex_lock(&tab_lock);
	int i = find_locked(id, (int64_t)time(NULL));
	if (i >= 0) {
		memcpy(hash, tab[i].hash, 65);
		memcpy(csrf, tab[i].csrf, 65);
		expires = tab[i].expires;
	}
	pthread_mutex_unlock(&tab_lock);
	if (i < 0)
		return error_reply(rs, 401, "unauthorized", "not signed in");
	struct bk_store *st = bk_server_store(s);
	if (!st)
		return error_reply(rs, 503, "store", "the store could not be opened");
	int rc = bk_token_find(st, hash, name, scope);
	bk_server_release(s, st);
	if (rc < 0)
		return error_reply(rs, 503, "store", "the tokens could not be read");
	if (rc == 0) {	/* the token was revoked: so is the session */
		session_end(id);
		return error_reply(rs, 401, "unauthorized", "the token was revoked");
	}
	return bk_http_json(rs, 200,
			    json_pack("{s:s, s:s, s:s, s:I}", "name", name, "scope", scope,
				      "csrf", csrf, "expires", (json_int_t)expires)) < 0
		       ? -1 : bk_dash_secure(rs);
}
