/* SPDX-License-Identifier: BSD-2-Clause */
/* auth.c - API tokens: made from getrandom(2), kept as SHA-256 (OpenSSL's
 * libcrypto EVP), compared in constant time by the server. */
#include <errno.h>
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

int
bk_token_hash(const char *token, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (!EVP_Digest(token, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return -1;
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}
