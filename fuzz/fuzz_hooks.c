/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_hooks.c - the providers' event payloads (hooks/, docs/webhooks.md)
 * on any bytes: the first byte picks the provider (or detection), the rest
 * is the payload; every record's fields are read, as the store and the
 * writers would read them. */
#include <stdlib.h>
#include <string.h>

#include "bouncekit/bouncekit.h"
#include "fuzz.h"
#include "hooks/hooks.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	enum bk_hook_provider p = (enum bk_hook_provider)(data[0] % 6);
	struct bk_hook_batch b;
	char err[300];
	bk_hook_batch_init(&b);
	int n = bk_hook_read(&b, p, (const char *)data + 1, size - 1, "fuzz", err, sizeof(err));
	size_t total = 0;
	for (int i = 0; i < n; i++) {
		const struct bk_record *r = &b.v[i].rec;
		total += strlen(r->recipient) + strlen(r->reason) + strlen(r->diagnosticcode) +
			 strlen(r->deliverystatus) + strlen(b.v[i].provider_class) +
			 strlen(r->catch_json) + strlen(b.v[i].key);
	}
	if (n > 0) {
		char *text = bk_records_to_text(BK_FMT_JSON, &b.v[0].rec, 1);
		total += text ? strlen(text) : 0;
		free(text);
	}
	bk_hook_batch_clear(&b);
	return total == (size_t)-1;
}
