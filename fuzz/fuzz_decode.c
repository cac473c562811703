/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_decode.c - the whole decode path: any bytes as a message, through
 * every decoder in the registry, the classifier and every writer.  Every
 * string of every record must be valid UTF-8 (docs/limits.md), and so
 * must the JSON text. */
#include <stdlib.h>

#include "bouncekit/bouncekit.h"
#include "core/core.h"
#include "fuzz.h"

static void
check(const char *s)
{
	if (!s || !bk_utf8_valid(bk_sv_c(s)))
		__builtin_trap();
}

static void
check_record(const struct bk_record *r)
{
	const char *const f[] = {
		r->timezoneoffset, r->origin, r->addresser, r->senderdomain,
		r->recipient, r->destination, r->alias, r->action,
		r->deliverystatus, r->replycode, r->reason, r->diagnosticcode,
		r->diagnostictype, r->command, r->lhost, r->rhost, r->messageid,
		r->listid, r->subject, r->feedbacktype, r->feedbackid,
		r->decodedby, r->token,
	};
	for (size_t i = 0; i < BK_NELEM(f); i++)
		check(f[i]);
}

static int
to_nowhere(void *ctx, const void *buf, size_t n)
{
	size_t *total = ctx;
	(void)buf;
	*total += n;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bk_parser *p;
	if (!p) {
		struct bk_options o;
		bk_options_init(&o);
		o.delivered = o.vacation = true;
		o.limits.mime_depth = 16;
		o.limits.mime_parts = 500;
		o.limits.recipients = 500;
		p = bk_parser_new(&o, NULL);
	}
	const struct bk_record *r;
	int n = bk_decode(p, data, size, "fuzz", &r, NULL);
	if (n <= 0)
		return 0;
	for (int i = 0; i < n; i++)
		check_record(&r[i]);
	char *j = bk_records_to_text(BK_FMT_JSON, r, (size_t)n);
	check(j);
	free(j);
	/* the other writers, chosen by the size so that each gets its turn */
	static const enum bk_format fmts[] = { BK_FMT_NDJSON, BK_FMT_YAML,
					       BK_FMT_CSV };
	size_t total = 0;
	struct bk_writer *w = bk_writer_new(fmts[size % 3], to_nowhere, &total);
	for (int i = 0; w && i < n; i++)
		bk_writer_record(w, &r[i]);
	if (w)
		bk_writer_finish(w);
	bk_writer_free(w);
	return 0;
}
