/* SPDX-License-Identifier: BSD-2-Clause */
/* webhooks.c - the providers' event webhooks of `bouncekit serve`
 * (webhooks.h, docs/webhooks.md).  Per request: the endpoint must be
 * configured (else 403), the request authentic as its provider specifies
 * (SendGrid: ECDSA P-256 over timestamp and body; Mailgun: HMAC-SHA256
 * over timestamp and token, a 5-minute window, a replay cache; Postmark
 * and SparkPost: basic auth or a token in the URL; SES: the SNS signature,
 * sns.c), else 401/403 and nothing stored; then the payload is read by
 * hooks/ and its records stored on channel "webhook" with the provider's
 * class and event key (retries are one event). */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
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
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "hooks/hooks.h"
#include "server/sns.h"
#include "server/webhooks.h"

#define MAX_KEYS 8

/* Basic auth or URL token, for Postmark and SparkPost. */
struct basic {
	char *user[MAX_KEYS], *pass[MAX_KEYS];
	unsigned nuser, npass;
	char *token[MAX_KEYS];
	unsigned ntoken;
};

struct seen {
	char token[128];
	int64_t ts;
};

struct bk_webhooks {
	pthread_mutex_t lock;		/* the replay cache */
	/* SendGrid */
	EVP_PKEY *sg_key[MAX_KEYS];
	unsigned nsg;
	/* Mailgun */
	char *mg_key[MAX_KEYS];
	unsigned nmg;
	unsigned mg_window;		/* seconds: 300 */
	struct seen *seen;
	size_t nseen, capseen;
	/* Postmark, SparkPost */
	struct basic pm, sp;
	/* SES through SNS */
	struct bk_sns *sns;
};

/* ---- configuration ---- */

static char *
trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static int
add_str(char **v, unsigned *n, const char *val, const char *key, char *err,
	size_t errlen)
{
	if (*n >= MAX_KEYS) {
		snprintf(err, errlen, "%s: at most %d values", key, MAX_KEYS);
		return -1;
	}
	if (!*val) {
		snprintf(err, errlen, "%s: an empty value", key);
		return -1;
	}
	if (!(v[(*n)++] = strdup(val))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static EVP_PKEY *
read_pubkey(const char *val, char *err, size_t errlen)
{
	EVP_PKEY *k = NULL;
	if (val[0] == '/' || val[0] == '.') {
		FILE *f = fopen(val, "r");
		if (!f) {
			snprintf(err, errlen, "sendgrid.public_key %s: %s", val, strerror(errno));
			return NULL;
		}
		k = PEM_read_PUBKEY(f, NULL, NULL, NULL);
		fclose(f);
	} else {
		/* base64 of the DER SubjectPublicKeyInfo, as SendGrid shows it */
		size_t n = strlen(val);
		unsigned char *der = malloc(n + 4);
		if (!der)
			return NULL;
		int m = EVP_DecodeBlock(der, (const unsigned char *)val, (int)n);
		while (m > 0 && n && val[n - 1] == '=') {
			m--;
			n--;
		}
		const unsigned char *p = der;
		if (m > 0)
			k = d2i_PUBKEY(NULL, &p, m);
		free(der);
	}
	if (!k || EVP_PKEY_get_base_id(k) != EVP_PKEY_EC) {
		EVP_PKEY_free(k);
		snprintf(err, errlen, "sendgrid.public_key: not an EC public key (PEM file path, or base64 DER)");
		return NULL;
	}
	return k;
}

static int
conf_line(struct bk_webhooks *w, struct bk_sns_conf *sc, char *key, char *val,
	  char *err, size_t errlen)
{
	struct basic *b = !strncmp(key, "postmark.", 9) ? &w->pm
			  : !strncmp(key, "sparkpost.", 10) ? &w->sp : NULL;
	if (b) {
		const char *k = strchr(key, '.') + 1;
		if (!strcmp(k, "user"))
			return add_str(b->user, &b->nuser, val, key, err, errlen);
		if (!strcmp(k, "password"))
			return add_str(b->pass, &b->npass, val, key, err, errlen);
		if (!strcmp(k, "token")) {
			if (strlen(val) < 16) {
				snprintf(err, errlen, "%s: at least 16 characters", key);
				return -1;
			}
			return add_str(b->token, &b->ntoken, val, key, err, errlen);
		}
	} else if (!strcmp(key, "sendgrid.public_key")) {
		if (w->nsg >= MAX_KEYS) {
			snprintf(err, errlen, "%s: at most %d values", key, MAX_KEYS);
			return -1;
		}
		EVP_PKEY *k = read_pubkey(val, err, errlen);
		if (!k)
			return -1;
		w->sg_key[w->nsg++] = k;
		return 0;
	} else if (!strcmp(key, "mailgun.signing_key")) {
		return add_str(w->mg_key, &w->nmg, val, key, err, errlen);
	} else if (!strcmp(key, "mailgun.window")) {
		char *end;
		unsigned long v = strtoul(val, &end, 10);
		if (end == val || *end || v < 1 || v > 86400) {
			snprintf(err, errlen, "%s: 1 to 86400 seconds", key);
			return -1;
		}
		w->mg_window = (unsigned)v;
		return 0;
	} else if (!strncmp(key, "ses.", 4)) {
		return bk_sns_conf_set(sc, key + 4, val, err, errlen);
	}
	snprintf(err, errlen, "unknown key '%s'", key);
	return -1;
}

static int
load_conf(struct bk_webhooks *w, struct bk_sns_conf *sc, const char *path,
	  char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char line[4096], msg[512];
	int no = 0, rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		no++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected KEY = VALUE", path, no);
			rc = -1;
			break;
		}
		*eq = '\0';
		char *key = trim(s), *val = trim(eq + 1);
		if (conf_line(w, sc, key, val, msg, sizeof(msg)) < 0) {
			snprintf(err, errlen, "%s:%d: %s", path, no, msg);
			rc = -1;
		}
	}
	fclose(f);
	if (rc == 0 && ((w->pm.nuser != w->pm.npass) || (w->sp.nuser != w->sp.npass))) {
		snprintf(err, errlen, "%s: each postmark.user / sparkpost.user needs its password",
			 path);
		rc = -1;
	}
	return rc;
}

struct bk_webhooks *
bk_webhooks_new(const char *conf, char *err, size_t errlen)
{
	struct bk_webhooks *w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->mg_window = 300;
	pthread_mutex_init(&w->lock, NULL);
	struct bk_sns_conf sc;
	bk_sns_conf_init(&sc);
	if (conf && load_conf(w, &sc, conf, err, errlen) < 0)
		goto fail;
	if (bk_sns_conf_enabled(&sc) && !(w->sns = bk_sns_new(&sc, err, errlen)))
		goto fail;
	bk_sns_conf_free(&sc);
	return w;
fail:
	bk_sns_conf_free(&sc);
	bk_webhooks_free(w);
	return NULL;
}

static void
basic_free(struct basic *b)
{
	for (unsigned i = 0; i < b->nuser; i++)
		free(b->user[i]);
	for (unsigned i = 0; i < b->npass; i++)
		free(b->pass[i]);
	for (unsigned i = 0; i < b->ntoken; i++)
		free(b->token[i]);
}

void
bk_webhooks_free(struct bk_webhooks *w)
{
	if (!w)
		return;
	for (unsigned i = 0; i < w->nsg; i++)
		EVP_PKEY_free(w->sg_key[i]);
	for (unsigned i = 0; i < w->nmg; i++)
		free(w->mg_key[i]);
	basic_free(&w->pm);
	basic_free(&w->sp);
	bk_sns_free(w->sns);
	free(w->seen);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

/* ---- responses ---- */

struct ctx {
	const struct bk_http_req *rq;
	struct bk_http_resp *rs;
	const char *provider;
};

static void
logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
logf_(const char *fmt, ...)
{
	char line[700];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	/* one line: control characters shown as '?' */
	for (int i = 0; i < n; i++)
		if ((unsigned char)line[i] < ' ')
			line[i] = '?';
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
}

static int
reply(struct ctx *x, unsigned status, json_t *v, const char *hname, const char *hval)
{
	if (bk_http_json(x->rs, status, v) < 0)
		return -1;
	return hname ? bk_http_header(x->rs, hname, hval) : 0;
}

/* A refusal: logged with its reason, and the reason in the body. */
static int
refuse(struct ctx *x, unsigned status, const char *code, const char *msg,
       const char *hname, const char *hval)
{
	logf_("bouncekit: serve: webhook %s: %u %s: %s", x->provider, status, code, msg);
	if (bk_http_error(x->rs, status, code, msg) < 0)
		return -1;
	return hname ? bk_http_header(x->rs, hname, hval) : 0;
}

static const char *
header(struct ctx *x, const char *name)
{
	return bk_http_get_header(x->rq, name);
}

/* ---- authenticity ---- */

static bool
ct_streq(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	/* compared in full whatever the lengths */
	unsigned char d = (unsigned char)(n != m);
	for (size_t i = 0; i < n; i++)
		d |= (unsigned char)(a[i] ^ b[m ? i % m : 0]);
	return d == 0;
}

static unsigned char *b64dec(const char *s, int *outlen);

/* Postmark, SparkPost: "Authorization: Basic" or ?token=.  0 ok; else
 * the status to refuse with. */
static unsigned
check_basic(struct ctx *x, const struct basic *b, const char **why)
{
	char tok[256];
	int has = bk_http_arg(x->rq, "token", tok, sizeof(tok));
	if (has != 0) {
		bool ok = false;
		for (unsigned i = 0; has > 0 && i < b->ntoken; i++)
			ok |= ct_streq(tok, b->token[i]);
		*why = "the token in the URL is not valid";
		return ok ? 0 : MHD_HTTP_FORBIDDEN;
	}
	const char *h = header(x, "Authorization");
	if (!h || strncasecmp(h, "Basic ", 6)) {
		*why = b->nuser ? "basic authentication is needed" : "a token in the URL is needed";
		return MHD_HTTP_UNAUTHORIZED;
	}
	for (h += 6; *h == ' '; h++)
		;
	int n = 0;
	unsigned char *raw = b64dec(h, &n);
	char *colon = raw ? memchr(raw, ':', (size_t)n) : NULL;
	*why = "the user or password is not valid";
	if (!colon) {
		free(raw);
		return MHD_HTTP_UNAUTHORIZED;
	}
	raw[n] = '\0';
	*colon = '\0';
	bool ok = false;
	for (unsigned i = 0; i < b->nuser; i++) {
		/* both compared, whatever the first gave */
		bool u = ct_streq((char *)raw, b->user[i]);
		bool pw = ct_streq(colon + 1, b->pass[i]);
		ok |= u && pw;
	}
	OPENSSL_cleanse(raw, (size_t)n);
	free(raw);
	return ok ? 0 : MHD_HTTP_UNAUTHORIZED;
}

static unsigned char *
b64dec(const char *s, int *outlen)
{
	size_t n = strlen(s);
	if (!n || n % 4 || n > 4096)
		return NULL;
	unsigned char *out = malloc(n + 1);
	if (!out)
		return NULL;
	int m = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
	if (m < 0) {
		free(out);
		return NULL;
	}
	if (s[n - 1] == '=')
		m--;
	if (s[n - 2] == '=')
		m--;
	*outlen = m;
	return out;
}

/* SendGrid: the signature header is base64 of an ECDSA signature (DER)
 * over the timestamp header followed by the raw body. */
static unsigned
check_sendgrid(struct bk_webhooks *w, struct ctx *x, const char *body, size_t len,
	       const char **why)
{
	const char *sig = header(x, "X-Twilio-Email-Event-Webhook-Signature");
	const char *ts = header(x, "X-Twilio-Email-Event-Webhook-Timestamp");
	if (!sig || !ts) {
		*why = "the X-Twilio-Email-Event-Webhook-Signature and -Timestamp headers are needed";
		return MHD_HTTP_UNAUTHORIZED;
	}
	int sn = 0;
	unsigned char *der = b64dec(sig, &sn);
	*why = "the signature does not verify";
	if (!der)
		return MHD_HTTP_FORBIDDEN;
	bool ok = false;
	for (unsigned i = 0; i < w->nsg && !ok; i++) {
		EVP_MD_CTX *md = EVP_MD_CTX_new();
		if (md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, w->sg_key[i]) == 1 &&
		    EVP_DigestVerifyUpdate(md, ts, strlen(ts)) == 1 &&
		    EVP_DigestVerifyUpdate(md, body, len) == 1 &&
		    EVP_DigestVerifyFinal(md, der, (size_t)sn) == 1)
			ok = true;
		EVP_MD_CTX_free(md);
	}
	free(der);
	return ok ? 0 : MHD_HTTP_FORBIDDEN;
}

/* Mailgun: signature = hex HMAC-SHA256(signing key, timestamp + token);
 * the timestamp within the window; the token never seen in it.  The
 * token is remembered once the events are stored (mg_remember). */
static unsigned
check_mailgun(struct bk_webhooks *w, json_t *root, const char **why, const char **tokout,
	      int64_t *tsout)
{
	json_t *s = json_object_get(root, "signature");
	const char *ts = json_string_value(json_object_get(s, "timestamp"));
	const char *tok = json_string_value(json_object_get(s, "token"));
	const char *sig = json_string_value(json_object_get(s, "signature"));
	if (!ts || !tok || !sig) {
		*why = "no signature object (timestamp, token, signature) in the body";
		return MHD_HTTP_UNAUTHORIZED;
	}
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%s%s", ts, tok);
	*why = "the signature does not verify";
	if (n < 0 || (size_t)n >= sizeof(buf) || strlen(tok) >= sizeof(((struct seen *)0)->token))
		return MHD_HTTP_FORBIDDEN;
	bool ok = false;
	for (unsigned i = 0; i < w->nmg; i++) {
		unsigned char mac[EVP_MAX_MD_SIZE];
		unsigned int ml = 0;
		char hexmac[2 * EVP_MAX_MD_SIZE + 1];
		if (!HMAC(EVP_sha256(), w->mg_key[i], (int)strlen(w->mg_key[i]),
			  (const unsigned char *)buf, (size_t)n, mac, &ml))
			continue;
		for (unsigned k = 0; k < ml; k++)
			snprintf(hexmac + 2 * k, 3, "%02x", mac[k]);
		char low[2 * EVP_MAX_MD_SIZE + 1];
		snprintf(low, sizeof(low), "%s", sig);
		for (char *p = low; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		ok |= ct_streq(low, hexmac);
	}
	if (!ok)
		return MHD_HTTP_FORBIDDEN;
	char *end;
	long long t = strtoll(ts, &end, 10);
	long long now = (long long)time(NULL);
	if (end == ts || *end || t < now - (long long)w->mg_window ||
	    t > now + (long long)w->mg_window) {
		*why = "the timestamp is outside the window (a replay, or a clock off)";
		return MHD_HTTP_FORBIDDEN;
	}
	pthread_mutex_lock(&w->lock);
	bool seen = false;
	size_t k = 0;
	for (size_t i = 0; i < w->nseen; i++) {
		if (w->seen[i].ts < now - (long long)w->mg_window - 60)
			continue;	/* expired: dropped */
		if (!strcmp(w->seen[i].token, tok))
			seen = true;
		w->seen[k++] = w->seen[i];
	}
	w->nseen = k;
	pthread_mutex_unlock(&w->lock);
	if (seen) {
		*why = "the token was seen before: a replay";
		return MHD_HTTP_FORBIDDEN;
	}
	*tokout = tok;
	*tsout = t;
	return 0;
}

static void
mg_remember(struct bk_webhooks *w, const char *tok, int64_t ts)
{
	pthread_mutex_lock(&w->lock);
	if (w->nseen == w->capseen && w->capseen < 1000000) {
		size_t cap = w->capseen ? w->capseen * 2 : 256;
		struct seen *v = realloc(w->seen, cap * sizeof(*v));
		if (v) {
			w->seen = v;
			w->capseen = cap;
		}
	}
	if (w->nseen < w->capseen) {
		snprintf(w->seen[w->nseen].token, sizeof(w->seen[0].token), "%s", tok);
		w->seen[w->nseen].ts = ts;
		w->nseen++;
	}
	pthread_mutex_unlock(&w->lock);
}

/* ---- the endpoint ---- */

static int
store_batch(struct bk_server *s, struct ctx *x, struct bk_hook_batch *b, bool *stored)
{
	struct bk_store_err err = { 0 };
	int rc = 0;
	struct bk_store *st = bk_server_store(s);
	if (!st)
		return refuse(x, MHD_HTTP_SERVICE_UNAVAILABLE, "store", "the store is not available",
			      NULL, NULL);
	struct bk_ingest_stats before = *bk_store_stats_ingest(st);
	for (size_t i = 0; i < b->n && rc >= 0; i++) {
		struct bk_store_addx ax = { b->v[i].provider_class,
					    b->v[i].key[0] ? b->v[i].key : NULL };
		rc = bk_store_add_x(st, &b->v[i].rec, "webhook", &ax, &err);
		if (rc == BK_STORE_EINVAL)
			rc = 0;	/* a record the store refuses: skipped */
	}
	if (rc >= 0)
		rc = bk_store_flush(st, &err);
	const struct bk_ingest_stats *after = bk_store_stats_ingest(st);
	unsigned long long fresh = after->events_new - before.events_new;
	unsigned long long dup = after->duplicates - before.duplicates;
	bk_server_release(s, st);
	if (rc < 0)
		return refuse(x, rc == BK_STORE_ETEMP ? MHD_HTTP_SERVICE_UNAVAILABLE
						      : MHD_HTTP_INTERNAL_SERVER_ERROR,
			      "store", err.msg, NULL, NULL);
	*stored = true;
	if (b->bad)
		logf_("bouncekit: serve: webhook %s: %zu event(s) skipped: %s", x->provider,
		      b->bad, b->bad_msg);
	return reply(x, MHD_HTTP_OK,
		     json_pack("{s:I, s:I, s:I, s:I, s:I}", "records", (json_int_t)b->n,
			       "new", (json_int_t)fresh, "duplicates", (json_int_t)dup,
			       "ignored", (json_int_t)b->ignored, "skipped",
			       (json_int_t)b->bad),
		     NULL, NULL);
}

int
bk_webhooks_handle(struct bk_webhooks *w, struct bk_server *s,
		   const struct bk_http_req *rq, struct bk_http_resp *rs)
{
	const char *name = rq->path + strlen("/v1/webhooks/");
	enum bk_hook_provider p = bk_hook_provider_by_name(name);
	struct ctx x = { rq, rs, p ? name : "?" };
	const char *body = rq->body ? rq->body : "";
	size_t len = rq->body ? rq->len : 0;
	if (!p)
		return bk_http_error(rs, MHD_HTTP_NOT_FOUND, "not_found",
				     "no such webhook (ses, sendgrid, mailgun, postmark, sparkpost)");
	if (strcmp(rq->method, "POST"))
		return reply(&x, MHD_HTTP_METHOD_NOT_ALLOWED,
			     json_pack("{s:s, s:s}", "error", "method_not_allowed", "message", "POST"),
			     "Allow", "POST");
	bool configured = p == BK_HOOK_SES ? w->sns != NULL
			  : p == BK_HOOK_SENDGRID ? w->nsg > 0
			  : p == BK_HOOK_MAILGUN ? w->nmg > 0
			  : p == BK_HOOK_POSTMARK ? (w->pm.nuser + w->pm.ntoken) > 0
						  : (w->sp.nuser + w->sp.ntoken) > 0;
	if (!configured)
		return refuse(&x, MHD_HTTP_FORBIDDEN, "not_configured",
			      "this webhook is not configured (serve --webhooks FILE)", NULL, NULL);
	const char *why = "";
	unsigned st = 0;
	/* authenticity first: nothing of an unauthenticated body is read
	 * but what the check needs */
	if (p == BK_HOOK_SENDGRID)
		st = check_sendgrid(w, &x, body, len, &why);
	else if (p == BK_HOOK_POSTMARK)
		st = check_basic(&x, &w->pm, &why);
	else if (p == BK_HOOK_SPARKPOST)
		st = check_basic(&x, &w->sp, &why);
	if (st)
		return refuse(&x, st, st == MHD_HTTP_UNAUTHORIZED ? "unauthorized" : "forbidden",
			      why, st == MHD_HTTP_UNAUTHORIZED && p != BK_HOOK_SENDGRID
				       ? MHD_HTTP_HEADER_WWW_AUTHENTICATE : NULL,
			      "Basic realm=\"bouncekit webhooks\"");
	if (!len)
		return refuse(&x, MHD_HTTP_BAD_REQUEST, "empty", "the body is the provider's JSON payload",
			      NULL, NULL);
	struct bk_hook_batch b;
	bk_hook_batch_init(&b);
	char err[300], origin[64];
	snprintf(origin, sizeof(origin), "webhook:%s", name);
	int n = bk_hook_read(&b, p, body, len, origin, err, sizeof(err));
	/* Mailgun and SNS sign inside the body: checked on the parsed JSON */
	const char *tok = NULL;
	int64_t tts = 0;
	if ((p == BK_HOOK_MAILGUN || p == BK_HOOK_SES) && !b.root) {
		/* not JSON: nothing signed to check, nothing read */
		bk_hook_batch_clear(&b);
		return refuse(&x, MHD_HTTP_BAD_REQUEST, "bad_payload", err, NULL, NULL);
	}
	if (p == BK_HOOK_MAILGUN)
		st = check_mailgun(w, b.root, &why, &tok, &tts);
	else if (p == BK_HOOK_SES)
		st = bk_sns_check(w->sns, b.root, &why);
	if (st) {
		int ret = refuse(&x, st, st == MHD_HTTP_UNAUTHORIZED ? "unauthorized" : "forbidden",
				 why, NULL, NULL);
		bk_hook_batch_clear(&b);
		return ret;
	}
	if (n < 0) {
		bk_hook_batch_clear(&b);
		return refuse(&x, MHD_HTTP_BAD_REQUEST, "bad_payload", err, NULL, NULL);
	}
	int ret;
	if (p == BK_HOOK_SES && b.sns != BK_SNS_NONE && b.sns != BK_SNS_NOTIFICATION) {
		char msg[600];
		bk_sns_control(w->sns, b.root, b.sns, msg, sizeof(msg));
		logf_("bouncekit: serve: webhook ses: %s", msg);
		ret = reply(&x, MHD_HTTP_OK, json_pack("{s:s}", "status", msg), NULL, NULL);
	} else {
		bool stored = false;
		ret = store_batch(s, &x, &b, &stored);
		/* a token is spent once its events are stored: a retry after
		 * a failure is let in */
		if (tok && stored)
			mg_remember(w, tok, tts);
	}
	bk_hook_batch_clear(&b);
	return ret;
}
