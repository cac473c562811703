/* SPDX-License-Identifier: BSD-2-Clause */
/* t.h - a minimal table-friendly test harness.  Each failure prints file,
 * line and, with T_CHECK_AT, the index of the failing case. */
#ifndef BK_T_H
#define BK_T_H

#include <stdbool.h>
#include <stddef.h>

void t_check(bool ok, const char *expr, const char *file, int line, long idx);
void t_register(const char *name, void (*fn)(void));

#define T_CHECK(c) t_check((c), #c, __FILE__, __LINE__, -1)
#define T_CHECK_AT(c, i) t_check((c), #c, __FILE__, __LINE__, (long)(i))

/* T_TEST(name) { ... } defines and registers a test. */
#define T_TEST(name)                                               \
	static void name(void);                                    \
	__attribute__((constructor)) static void reg_##name(void)  \
	{                                                          \
		t_register(#name, name);                           \
	}                                                          \
	static void name(void)

#endif
