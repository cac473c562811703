/* SPDX-License-Identifier: BSD-2-Clause */
/* drvutil.c - what the three database drivers share: their error text and
 * classes, and the growth of their parameter and column buffers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"

int
bk_db_errf(char *buf, size_t n, int cls, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	/* a server's message ends with a line end: not ours to keep */
	size_t k = strlen(buf);
	while (k && (buf[k - 1] == '\n' || buf[k - 1] == ' '))
		buf[--k] = '\0';
	return cls;
}

int
bk_db_open_class(int cls)
{
	return cls == BK_DB_ETRANSIENT ? BK_DB_ETRANSIENT : BK_DB_EPERMANENT;
}

int
bk_db_reserve(char **buf, size_t *cap, size_t need, size_t min)
{
	if (*buf && need <= *cap)
		return 0;
	size_t c = need < min ? min : need;
	char *b = realloc(*buf, c);
	if (!b)
		return -1;
	*buf = b;
	*cap = c;
	return 0;
}
