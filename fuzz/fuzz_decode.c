/* fuzz_decode.c - the whole decode path: any bytes as a message, through
 * every decoder in the registry, the classifier and the JSON writer. */
#include <stdlib.h>

#include "bouncekit/bouncekit.h"
#include "fuzz.h"

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
	if (n > 0) {
		char *j = bk_records_to_text(BK_FMT_JSON, r, (size_t)n);
		free(j);
	}
	return 0;
}
