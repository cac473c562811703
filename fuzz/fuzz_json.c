/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_json.c - the in-place JSON reader (lib/dsn/json.h) on any text:
 * values, members, array walks and string unescaping, nested once more
 * through a string that holds JSON, as an SNS envelope does. */
#include "core/core.h"
#include "core/json.h"
#include "fuzz.h"

static void
walk(struct bk_arena *a, struct bk_sv v)
{
	struct bk_sv rest = v, e;
	bk_json_type(v);
	bk_json_get_str(a, v, "notificationType");
	bk_json_get(v, "bounce");
	while (bk_json_next(&rest, &e)) {
		bk_json_str(a, e);
		bk_json_get_str(a, e, "emailAddress");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_arena a;
	bk_arena_init(&a, 64u << 20);
	struct bk_sv v = bk_json_value(bk_sv_make((const char *)data, size));
	walk(&a, v);
	struct bk_sv inner = bk_json_get_str(&a, v, "Message");
	if (inner.p)
		walk(&a, bk_json_value(inner));
	bk_arena_free(&a);
	return 0;
}
