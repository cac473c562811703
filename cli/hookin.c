/* SPDX-License-Identifier: BSD-2-Clause */
/* hookin.c - `bouncekit parse` and `ingest` on a file holding a provider's
 * event payload (hooks/, docs/webhooks.md): an input that starts with '{'
 * or '[' is read as JSON by hooks/ instead of as a mail message, and
 * gives the records POST /v1/webhooks/PROVIDER gives.  The records of the
 * last payload of each thread stay valid until its next cli_decode(), as
 * bk_decode()'s do. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hooks/hooks.h"

struct tls {
	struct bk_hook_batch b;
	struct bk_record *flat;
	size_t cap;
	bool json;		/* the last input was a payload */
};

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
tls_free(void *arg)
{
	struct tls *t = arg;
	bk_hook_batch_clear(&t->b);
	free(t->flat);
	free(t);
}

static void
make_key(void)
{
	(void)pthread_key_create(&key, tls_free);
}

static struct tls *
tls_get(void)
{
	pthread_once(&once, make_key);
	struct tls *t = pthread_getspecific(key);
	if (!t && (t = calloc(1, sizeof(*t)))) {
		bk_hook_batch_init(&t->b);
		if (pthread_setspecific(key, t)) {
			free(t);
			return NULL;
		}
	}
	return t;
}

int
cli_decode(struct bk_parser *p, const void *data, size_t len, const char *origin,
	   const struct bk_record **recs, struct bk_err *err)
{
	struct tls *t = tls_get();
	if (t)
		t->json = false;
	if (!bk_hook_looks_json(data, len))
		return bk_decode(p, data, len, origin, recs, err);
	if (!t) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return err->code = BK_ENOMEM;
	}
	t->json = true;
	char msg[300];
	int n = bk_hook_read(&t->b, BK_HOOK_ANY, data, len, origin, msg, sizeof(msg));
	if (n < 0) {
		snprintf(err->msg, sizeof(err->msg), "%s", msg);
		return err->code = BK_EINVAL;
	}
	if (t->b.bad)
		warnx_("%s: %zu event(s) skipped: %s", origin, t->b.bad, t->b.bad_msg);
	if ((size_t)n > t->cap) {
		struct bk_record *f = realloc(t->flat, (size_t)n * sizeof(*f));
		if (!f) {
			snprintf(err->msg, sizeof(err->msg), "out of memory");
			return err->code = BK_ENOMEM;
		}
		t->flat = f;
		t->cap = (size_t)n;
	}
	for (int i = 0; i < n; i++)
		t->flat[i] = t->b.v[i].rec;
	*recs = t->flat;
	return n;
}

unsigned
cli_warnings(const struct bk_parser *p)
{
	struct tls *t = tls_get();
	return t && t->json ? 0 : bk_parser_warnings(p);
}

const struct bk_hook_rec *
cli_hook_of(const struct bk_record *r)
{
	struct tls *t = tls_get();
	if (!t || !t->json || !t->flat || r < t->flat || r >= t->flat + t->b.n)
		return NULL;
	return &t->b.v[r - t->flat];
}
