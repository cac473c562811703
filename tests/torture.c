/* SPDX-License-Identifier: BSD-2-Clause */
/* torture.c - `make torture`: fail each allocation of a decode in turn
 * (as curl's torture tests do) and check that the library reports an
 * error, does not crash and, under AddressSanitizer's leak checker, leaks
 * nothing.  The build defines BK_TORTURE, so that every arena allocation
 * counts, not only the heap blocks behind the arena: each allocation any
 * decoder makes is failed in turn.
 *
 * For each fixture, the records of a decode without failures are the
 * reference.  With allocation n failing, and then with it and every one
 * after it failing, a decode must give either BK_ENOMEM with "out of memory", or exactly the
 * reference records: an allocation failure never loses or changes records
 * silently.  Then, with allocations working again, the same parser must
 * give the reference records (it recovers from a failure), and the file
 * source (mbox splitting) must read the fixture without crashing.
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
	char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (buf)
		*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	return buf;
}

/* The records of every message of data as one JSON text (malloc'd); NULL
 * with *rc < 0 when a decode failed, NULL with *rc >= 0 when the writer
 * ran out of memory. */
static char *
records(struct bk_parser *p, const char *path, const char *data, size_t len,
	int *rc, struct bk_err *err)
{
	const struct bk_record *r;
	*rc = bk_decode(p, data, len, path, &r, err);
	if (*rc < 0)
		return NULL;
	if (*rc == 0)
		return strdup("[]");
	return bk_records_to_text(BK_FMT_JSON, r, (size_t)*rc);
}

/* Read every message of path through the file source. */
static void
read_source(const char *path)
{
	struct bk_source *s;
	struct bk_input in;
	struct bk_err err;
	int rc;
	if (bk_source_open(&s, path, NULL, &err) < 0)
		return;
	while ((rc = bk_source_next(s, &in, &err)) != 0)
		if (rc < 0 && rc != BK_ENOMEM && rc != BK_EEMPTY)
			break;
	bk_source_close(s);
}

struct fixture {
	const char *path;
	const char *data;
	size_t len;
	const char *want;	/* the reference records */
};

/* One run with allocation n failing, and all after it.  Returns the
 * number of allocations made; *good is cleared on a wrong result. */
static unsigned long
run_once(const struct fixture *fx, unsigned long n, bool *good)
{
	struct bk_err err = { 0, "" };
	int rc;
	bk_alloc_fail_at(n);
	struct bk_parser *p = bk_parser_new(NULL, &err);
	char *got = NULL;
	if (!p) {
		if (err.code != BK_ENOMEM) {
			printf("     step %lu: bk_parser_new failed without BK_ENOMEM\n", n);
			*good = false;
		}
	} else {
		got = records(p, fx->path, fx->data, fx->len, &rc, &err);
		if (rc < 0 && (rc != BK_ENOMEM || !strstr(err.msg, "out of memory"))) {
			printf("     step %lu: error %d (%s), not BK_ENOMEM\n", n, rc, err.msg);
			*good = false;
		}
		if (got && strcmp(got, fx->want) != 0) {
			printf("     step %lu: records differ from the reference:\n%s\n", n, got);
			*good = false;
		}
	}
	free(got);
	read_source(fx->path);
	unsigned long used = bk_alloc_fail_at(0);
	if (p) {	/* the parser recovers */
		got = records(p, fx->path, fx->data, fx->len, &rc, &err);
		if (!got || strcmp(got, fx->want) != 0) {
			printf("     step %lu: after the failure, the parser gives other records\n", n);
			*good = false;
		}
		free(got);
		bk_parser_free(p);
	}
	return used;
}

static bool
torture(struct fixture *fx, unsigned long *steps)
{
	struct bk_err err;
	int rc;
	struct bk_parser *p = bk_parser_new(NULL, &err);
	if (!p)
		return false;
	char *want = records(p, fx->path, fx->data, fx->len, &rc, &err);
	bk_parser_free(p);
	if (!want) {
		printf("     no reference: %s\n", err.msg);
		return false;
	}
	fx->want = want;
	bool good = true;
	unsigned long n;
	for (int once = 1; once >= 0; once--) {
		bk_alloc_fail_once(once);
		for (n = 1; run_once(fx, n, &good) >= n; n++)
			;
	}
	*steps = n - 1;
	free(want);
	return good;
}

/* Do arena allocations count?  Only when the library was built with
 * -DBK_TORTURE; without it, most failure paths would go untested. */
static bool
arena_counts(void)
{
	struct bk_arena a;
	bk_arena_init(&a, 0);
	bk_alloc_fail_at(0);
	bk_arena_alloc(&a, 8);
	bk_arena_alloc(&a, 8);
	unsigned long n = bk_alloc_fail_at(0);
	bk_arena_free(&a);
	return n == 3;	/* the block, then each allocation */
}

int
main(int argc, char **argv)
{
	int pass = 0, fail = 0;
	if (!arena_counts()) {
		printf("torture: the library was built without -DBK_TORTURE\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		struct fixture fx = { argv[i], NULL, 0, NULL };
		char *data = slurp(argv[i], &fx.len);
		if (!data)
			continue;
		fx.data = data;
		unsigned long steps = 0;
		if (torture(&fx, &steps)) {
			pass++;
			printf("ok   torture %s (%lu allocations)\n", argv[i], steps);
		} else {
			fail++;
			printf("FAIL torture %s\n", argv[i]);
		}
		free(data);
	}
	printf("torture: %d passed, %d failed\n", pass, fail);
	return fail != 0;
}
