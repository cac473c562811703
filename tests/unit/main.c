/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - runs every registered unit test; prints one line per test and
 * "unit: N passed, N failed" (tests, not checks). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"

#define MAX_TESTS 1024

static struct {
	const char *name;
	void (*fn)(void);
} tests[MAX_TESTS];
static int ntests;
static int cur_failed;

void
t_register(const char *name, void (*fn)(void))
{
	if (ntests < MAX_TESTS) {
		tests[ntests].name = name;
		tests[ntests].fn = fn;
		ntests++;
	}
}

void
t_check(bool ok, const char *expr, const char *file, int line, long idx)
{
	if (ok)
		return;
	cur_failed++;
	if (idx >= 0)
		printf("     %s:%d: case %ld: check failed: %s\n", file, line, idx, expr);
	else
		printf("     %s:%d: check failed: %s\n", file, line, expr);
}

int
main(int argc, char **argv)
{
	int pass = 0, fail = 0;
	for (int i = 0; i < ntests; i++) {
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		cur_failed = 0;
		tests[i].fn();
		if (cur_failed) {
			fail++;
			printf("FAIL unit %s\n", tests[i].name);
		} else {
			pass++;
			printf("ok   unit %s\n", tests[i].name);
		}
	}
	printf("unit: %d passed, %d failed\n", pass, fail);
	return fail ? 1 : 0;
}
