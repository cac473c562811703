/* SPDX-License-Identifier: BSD-2-Clause */
/* alloc.c - the library's allocator, in one place so that the torture test
 * can fail each allocation in turn (as curl's tests do). */
#include "core.h"

#include <stdlib.h>

static _Thread_local unsigned long alloc_count;
static _Thread_local unsigned long alloc_fail;
static _Thread_local bool alloc_once;	/* fail only allocation alloc_fail */

void
bk_alloc_fail_once(bool once)
{
	alloc_once = once;
}

unsigned long
bk_alloc_fail_at(unsigned long n)
{
	unsigned long c = alloc_count;
	alloc_fail = n;
	alloc_count = 0;
	return c;
}

static bool
should_fail(void)
{
	alloc_count++;
	return alloc_fail && (alloc_once ? alloc_count == alloc_fail
					  : alloc_count >= alloc_fail);
}

bool
bk_alloc_torture(void)
{
	return should_fail();
}

void *
bk_malloc(size_t n)
{
	return should_fail() ? NULL : malloc(n ? n : 1);
}

void *
bk_realloc(void *p, size_t n)
{
	return should_fail() ? NULL : realloc(p, n ? n : 1);
}

void *
bk_calloc(size_t n, size_t sz)
{
	return should_fail() ? NULL : calloc(n ? n : 1, sz ? sz : 1);
}

void
bk_free(void *p)
{
	free(p);
}
