/* torture.c - `make torture`: fail each allocation of a decode in turn
 * (as curl's torture tests do) and check that the library reports an
 * error, does not crash and, under AddressSanitizer's leak checker, leaks
 * nothing.  Every fixture given is run through the parser, the writer and
 * the mbox/file source.
 *
 * usage: torture FILE...   (prints "torture: N passed, N failed")
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncekit/bouncekit.h"
#include "core/core.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	return buf;
}

/* One run with allocation number n failing (0: none).  Returns false on
 * a wrong result. */
static bool
run_once(const char *path, const char *data, size_t len)
{
	struct bk_err err;
	struct bk_parser *p = bk_parser_new(NULL, &err);
	if (!p)
		return err.code == BK_ENOMEM;
	const struct bk_record *r;
	int n = bk_decode(p, data, len, path, &r, &err);
	bool ok = n >= 0 || n == BK_ENOMEM;
	if (n > 0) {
		char *j = bk_records_to_text(BK_FMT_JSON, r, (size_t)n);
		free(j);
	}
	/* the parser must still work after a failure */
	bk_decode(p, "Subject: x\n\ny\n", 14, "again", &r, &err);
	bk_parser_free(p);
	struct bk_source *s;
	struct bk_input in;
	if (bk_source_open(&s, path, NULL, &err) == 0) {
		int rc;
		while ((rc = bk_source_next(s, &in, &err)) != 0)
			if (rc < 0 && rc != BK_ENOMEM)
				break;
		bk_source_close(s);
	}
	return ok;
}

int
main(int argc, char **argv)
{
	int pass = 0, fail = 0;
	for (int i = 1; i < argc; i++) {
		size_t len;
		char *data = slurp(argv[i], &len);
		if (!data)
			continue;
		bool good = true;
		unsigned long steps = 0;
		for (unsigned long n = 1;; n++) {
			bk_alloc_fail_at(n);
			good = run_once(argv[i], data, len) && good;
			unsigned long used = bk_alloc_fail_at(0);
			steps = n;
			if (used < n)
				break;	/* ran to the end without reaching n */
		}
		free(data);
		if (good) {
			pass++;
			printf("ok   torture %s (%lu allocations)\n", argv[i], steps - 1);
		} else {
			fail++;
			printf("FAIL torture %s\n", argv[i]);
		}
	}
	printf("torture: %d passed, %d failed\n", pass, fail);
	return fail != 0;
}
