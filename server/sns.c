/* SPDX-License-Identifier: BSD-2-Clause */
/* sns.c - Amazon SNS message signatures and subscriptions (sns.h).
 *
 * The canonical string signed (SNS "Verifying the signatures of Amazon
 * SNS messages"): for a Notification the fields Message, MessageId,
 * Subject (only when present), Timestamp, TopicArn, Type; for a
 * SubscriptionConfirmation or UnsubscribeConfirmation Message, MessageId,
 * SubscribeURL, Timestamp, Token, TopicArn, Type; each as "Name\nvalue\n".
 * SignatureVersion 1 signs with SHA1, 2 with SHA256 (RSA PKCS#1 v1.5).
 * The certificate comes from SigningCertURL, which must be https on a host
 * sns.REGION.amazonaws.com (or .amazonaws.com.cn), fetched with the
 * system's CA store (or ses.ca_file), cached by URL. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "server/sns.h"

#define MAX_CERT (64 * 1024)
#define MAX_CACHE 32

struct cert {
	char *url;
	EVP_PKEY *key;
};

struct bk_sns {
	struct bk_sns_conf c;
	pthread_mutex_t lock;
	struct cert cache[MAX_CACHE];
	unsigned ncache;
	struct curl_slist *connect_to;
};

void
bk_sns_conf_init(struct bk_sns_conf *c)
{
	memset(c, 0, sizeof(*c));
}

static bool
yes(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return false;
	return true;
}

int
bk_sns_conf_set(struct bk_sns_conf *c, const char *key, const char *val,
		char *err, size_t errlen)
{
	char **slot = NULL;
	if (!strcmp(key, "topic")) {
		if (strncmp(val, "arn:", 4)) {
			snprintf(err, errlen, "ses.topic: a TopicArn (arn:aws:sns:REGION:ACCOUNT:NAME)");
			return -1;
		}
		if (c->ntopics >= BK_SNS_MAX) {
			snprintf(err, errlen, "ses.topic: at most %d", BK_SNS_MAX);
			return -1;
		}
		slot = &c->topics[c->ntopics++];
		c->enabled = true;
	} else if (!strcmp(key, "connect_to")) {
		if (c->nconnect >= BK_SNS_MAX) {
			snprintf(err, errlen, "ses.connect_to: at most %d", BK_SNS_MAX);
			return -1;
		}
		slot = &c->connect_to[c->nconnect++];
	} else if (!strcmp(key, "ca_file")) {
		free(c->ca_file);
		c->ca_file = NULL;
		slot = &c->ca_file;
	} else if (!strcmp(key, "enabled") || !strcmp(key, "auto_confirm")) {
		bool v;
		if (!yes(val, &v)) {
			snprintf(err, errlen, "ses.%s: yes or no", key);
			return -1;
		}
		if (!strcmp(key, "enabled"))
			c->enabled = v;
		else
			c->auto_confirm = v;
		return 0;
	} else {
		snprintf(err, errlen, "unknown key 'ses.%s'", key);
		return -1;
	}
	if (!(*slot = strdup(val))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

bool
bk_sns_conf_enabled(const struct bk_sns_conf *c)
{
	return c->enabled;
}

void
bk_sns_conf_free(struct bk_sns_conf *c)
{
	for (unsigned i = 0; i < c->ntopics; i++)
		free(c->topics[i]);
	for (unsigned i = 0; i < c->nconnect; i++)
		free(c->connect_to[i]);
	free(c->ca_file);
	memset(c, 0, sizeof(*c));
}

struct bk_sns *
bk_sns_new(const struct bk_sns_conf *c, char *err, size_t errlen)
{
	struct bk_sns *s = calloc(1, sizeof(*s));
	if (!s || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		free(s);
		snprintf(err, errlen, "cannot set up libcurl");
		return NULL;
	}
	/* the strings move into s: c is left empty */
	s->c = *c;
	memset((void *)c, 0, sizeof(*c));
	pthread_mutex_init(&s->lock, NULL);
	for (unsigned i = 0; i < s->c.nconnect; i++) {
		struct curl_slist *l = curl_slist_append(s->connect_to, s->c.connect_to[i]);
		if (!l) {
			snprintf(err, errlen, "out of memory");
			bk_sns_free(s);
			return NULL;
		}
		s->connect_to = l;
	}
	return s;
}

void
bk_sns_free(struct bk_sns *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->ncache; i++) {
		free(s->cache[i].url);
		EVP_PKEY_free(s->cache[i].key);
	}
	curl_slist_free_all(s->connect_to);
	bk_sns_conf_free(&s->c);
	pthread_mutex_destroy(&s->lock);
	free(s);
	curl_global_cleanup();
}

/* ---- fetching ---- */

/* https://sns.REGION.amazonaws.com[.cn]/... : nothing else (no user, no
 * port, no other host); path is set to what follows the host. */
static bool
sns_url(const char *url, const char **path)
{
	static const char pre[] = "https://sns.";
	if (strncasecmp(url, pre, sizeof(pre) - 1))
		return false;
	const char *p = url + sizeof(pre) - 1, *region = p;
	while (islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-')
		p++;
	if (p == region || p - region > 32)
		return false;
	static const char com[] = ".amazonaws.com";
	if (strncmp(p, com, sizeof(com) - 1))
		return false;
	p += sizeof(com) - 1;
	if (!strncmp(p, ".cn", 3))
		p += 3;
	if (*p != '/')
		return false;
	for (const char *q = p; *q; q++)
		if ((unsigned char)*q <= ' ' || *q == '\\' || *q == '@' || (unsigned char)*q >= 0x7f)
			return false;
	*path = p;
	return true;
}

struct body {
	char *p;
	size_t n;
	bool over;
};

static size_t
on_data(char *data, size_t size, size_t nmemb, void *arg)
{
	struct body *b = arg;
	size_t n = size * nmemb;
	if (b->n + n > MAX_CERT) {
		b->over = true;
		return 0;
	}
	char *q = realloc(b->p, b->n + n + 1);
	if (!q)
		return 0;
	b->p = q;
	memcpy(b->p + b->n, data, n);
	b->n += n;
	b->p[b->n] = '\0';
	return n;
}

/* GET url over https (no redirects); 0 or -1 with msg. */
static int
fetch(struct bk_sns *s, const char *url, struct body *out, char *msg, size_t msglen)
{
	memset(out, 0, sizeof(*out));
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(msg, msglen, "cannot set up libcurl");
		return -1;
	}
	char cerr[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "bouncekit/" BOUNCEKIT_VERSION);
	if (s->c.ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, s->c.ca_file);
	if (s->connect_to)
		curl_easy_setopt(h, CURLOPT_CONNECT_TO, s->connect_to);
	CURLcode rc = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK || code != 200) {
		snprintf(msg, msglen, "fetching %.200s: %s", url,
			 out->over ? "over 64 KiB" : rc != CURLE_OK ? (*cerr ? cerr : curl_easy_strerror(rc))
								    : "HTTP status not 200");
		free(out->p);
		out->p = NULL;
		return -1;
	}
	return 0;
}

/* The public key of the certificate at url (cached); NULL with msg. */
static EVP_PKEY *
cert_key(struct bk_sns *s, const char *url, char *msg, size_t msglen)
{
	pthread_mutex_lock(&s->lock);
	for (unsigned i = 0; i < s->ncache; i++)
		if (!strcmp(s->cache[i].url, url)) {
			EVP_PKEY *k = s->cache[i].key;
			EVP_PKEY_up_ref(k);
			pthread_mutex_unlock(&s->lock);
			return k;
		}
	pthread_mutex_unlock(&s->lock);
	struct body b;
	if (fetch(s, url, &b, msg, msglen) < 0)
		return NULL;
	BIO *bio = BIO_new_mem_buf(b.p, (int)b.n);
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	free(b.p);
	EVP_PKEY *k = x ? X509_get_pubkey(x) : NULL;
	X509_free(x);
	if (!k) {
		snprintf(msg, msglen, "%.200s: not a PEM certificate", url);
		return NULL;
	}
	pthread_mutex_lock(&s->lock);
	unsigned i = s->ncache < MAX_CACHE ? s->ncache++ : 0;
	if (s->cache[i].url) {
		free(s->cache[i].url);
		EVP_PKEY_free(s->cache[i].key);
	}
	s->cache[i].url = strdup(url);
	s->cache[i].key = k;
	if (!s->cache[i].url) {
		s->cache[i].key = NULL;
		if (i + 1 == s->ncache)
			s->ncache--;
	} else {
		EVP_PKEY_up_ref(k);
	}
	pthread_mutex_unlock(&s->lock);
	return k;
}

/* ---- the signature ---- */

static int
add(char **buf, size_t *n, size_t *cap, const char *name, const char *value)
{
	size_t need = strlen(name) + strlen(value) + 2;
	if (*n + need + 1 > *cap) {
		size_t c = (*n + need + 1) * 2;
		char *p = realloc(*buf, c);
		if (!p)
			return -1;
		*buf = p;
		*cap = c;
	}
	*n += (size_t)sprintf(*buf + *n, "%s\n%s\n", name, value);
	return 0;
}

static bool
topic_allowed(const struct bk_sns *s, const char *arn)
{
	for (unsigned i = 0; i < s->c.ntopics; i++)
		if (!strcmp(s->c.topics[i], arn))
			return true;
	return false;
}

unsigned
bk_sns_check(struct bk_sns *s, void *rootp, const char **why)
{
	json_t *root = rootp;
	const char *type = json_string_value(json_object_get(root, "Type"));
	const char *ver = json_string_value(json_object_get(root, "SignatureVersion"));
	const char *sig = json_string_value(json_object_get(root, "Signature"));
	const char *url = json_string_value(json_object_get(root, "SigningCertURL"));
	if (!type || !ver || !sig || !url) {
		*why = "not a signed SNS message (Type, SignatureVersion, Signature, SigningCertURL)";
		return MHD_HTTP_FORBIDDEN;
	}
	const EVP_MD *md = !strcmp(ver, "1") ? EVP_sha1() : !strcmp(ver, "2") ? EVP_sha256() : NULL;
	if (!md) {
		*why = "SignatureVersion is neither 1 nor 2";
		return MHD_HTTP_FORBIDDEN;
	}
	const char *path;
	if (!sns_url(url, &path) || strlen(path) < 5 || strcmp(path + strlen(path) - 4, ".pem")) {
		*why = "SigningCertURL is not an https URL of a .pem on an SNS host (sns.REGION.amazonaws.com)";
		return MHD_HTTP_FORBIDDEN;
	}
	static const char *const note[] = { "Message", "MessageId", "Subject", "Timestamp",
					    "TopicArn", "Type", NULL };
	static const char *const sub[] = { "Message", "MessageId", "SubscribeURL", "Timestamp",
					   "Token", "TopicArn", "Type", NULL };
	const char *const *keys = !strcmp(type, "Notification") ? note : sub;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; keys[i]; i++) {
		json_t *v = json_object_get(root, keys[i]);
		if (!v && !strcmp(keys[i], "Subject"))
			continue;
		if (!json_is_string(v) || add(&buf, &n, &cap, keys[i], json_string_value(v)) < 0) {
			free(buf);
			*why = "an SNS message without the fields its signature covers";
			return MHD_HTTP_FORBIDDEN;
		}
	}
	size_t slen = strlen(sig);
	unsigned char *raw = slen && slen % 4 == 0 && slen < 4096 ? malloc(slen) : NULL;
	int rl = raw ? EVP_DecodeBlock(raw, (const unsigned char *)sig, (int)slen) : -1;
	if (rl > 0 && sig[slen - 1] == '=')
		rl--;
	if (rl > 0 && sig[slen - 2] == '=')
		rl--;
	if (rl <= 0) {
		free(raw);
		free(buf);
		*why = "the Signature is not base64";
		return MHD_HTTP_FORBIDDEN;
	}
	static __thread char msg[400];
	EVP_PKEY *k = cert_key(s, url, msg, sizeof(msg));
	bool ok = false;
	if (k) {
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();
		ok = ctx && EVP_DigestVerifyInit(ctx, NULL, md, NULL, k) == 1 &&
		     EVP_DigestVerify(ctx, raw, (size_t)rl, (const unsigned char *)buf, n) == 1;
		EVP_MD_CTX_free(ctx);
		EVP_PKEY_free(k);
	}
	free(raw);
	free(buf);
	if (!k) {
		*why = msg;
		return MHD_HTTP_FORBIDDEN;
	}
	if (!ok) {
		*why = "the SNS signature does not verify";
		return MHD_HTTP_FORBIDDEN;
	}
	const char *arn = json_string_value(json_object_get(root, "TopicArn"));
	/* a notification of a topic not allowed is refused; a verified
	 * subscription message of any topic is only logged */
	if (!strcmp(type, "Notification") && !topic_allowed(s, arn)) {
		*why = "the TopicArn is not allowed (ses.topic)";
		return MHD_HTTP_FORBIDDEN;
	}
	return 0;
}

void
bk_sns_control(struct bk_sns *s, void *rootp, enum bk_sns_type type, char *msg,
	       size_t msglen)
{
	json_t *root = rootp;
	const char *arn = json_string_value(json_object_get(root, "TopicArn"));
	const char *url = json_string_value(json_object_get(root, "SubscribeURL"));
	if (!arn)
		arn = "";
	if (type == BK_SNS_UNSUBSCRIBE) {
		snprintf(msg, msglen, "unsubscribed from %.200s", arn);
		return;
	}
	if (type != BK_SNS_SUBSCRIBE) {
		snprintf(msg, msglen, "an SNS message of another type: ignored");
		return;
	}
	const char *path;
	if (!url || !sns_url(url, &path)) {
		snprintf(msg, msglen, "subscription to %.200s: SubscribeURL is not an SNS URL: not confirmed",
			 arn);
		return;
	}
	if (!s->c.auto_confirm || !topic_allowed(s, arn)) {
		snprintf(msg, msglen,
			 "subscription to %.200s not confirmed (%s): to confirm, visit %.300s",
			 arn, s->c.auto_confirm ? "the topic is not in ses.topic" : "ses.auto_confirm is off",
			 url);
		return;
	}
	struct body b;
	char err[300];
	if (fetch(s, url, &b, err, sizeof(err)) < 0) {
		snprintf(msg, msglen, "subscription to %.200s: confirming failed: %s", arn, err);
		return;
	}
	free(b.p);
	snprintf(msg, msglen, "subscription to %.200s confirmed", arn);
}
