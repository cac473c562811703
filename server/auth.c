/* SPDX-License-Identifier: BSD-2-Clause */
/* auth.c - API tokens: made from getrandom(2), kept as SHA-256 (OpenSSL's
 * libcrypto EVP), compared in constant time by the server. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/random.h>

#include <openssl/evp.h>

#include "server/server.h"

int
bk_token_generate(char out[44])
{
	unsigned char r[20];
	size_t got = 0;
	while (got < sizeof(r)) {
		ssize_t n = getrandom(r + got, sizeof(r) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	out[0] = 'b';
	out[1] = 'k';
	out[2] = '_';
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(out + 3 + 2 * i, 3, "%02x", r[i]);
	return 0;
}

/* SHA-256 fetched once, a digest context per thread: EVP_Digest() with
 * EVP_sha256() looks the algorithm up and makes a context every call,
 * several microseconds a request (bench/serve.sh). */
static EVP_MD *sha256;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
static pthread_key_t ctx_key;

static void
ctx_free(void *ctx)
{
	EVP_MD_CTX_free(ctx);
}

static void
sha256_init(void)
{
	sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (pthread_key_create(&ctx_key, ctx_free) != 0)
		sha256 = NULL;
}

int
bk_token_hash(const char *token, size_t len, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	pthread_once(&sha256_once, sha256_init);
	if (!sha256)
		return -1;
	EVP_MD_CTX *ctx = pthread_getspecific(ctx_key);
	if (!ctx) {
		if (!(ctx = EVP_MD_CTX_new()))
			return -1;
		if (pthread_setspecific(ctx_key, ctx) != 0) {
			EVP_MD_CTX_free(ctx);
			return -1;
		}
	}
	if (!EVP_DigestInit_ex(ctx, sha256, NULL) || !EVP_DigestUpdate(ctx, token, len) ||
	    !EVP_DigestFinal_ex(ctx, md, &mdlen) || mdlen != 32)
		return -1;
	for (unsigned i = 0; i < mdlen; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	return 0;
}
