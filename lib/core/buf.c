/* SPDX-License-Identifier: BSD-2-Clause */
/* buf.c - a growing heap buffer with a maximum (curl's dynbuf idea). */
#include "core.h"

#include <stdarg.h>
#include <stdio.h>

void
bk_buf_init(struct bk_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void
bk_buf_free(struct bk_buf *b)
{
	bk_free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

bool
bk_buf_reserve(struct bk_buf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (b->n + extra + 1 <= b->cap)
		return true;
	size_t need = b->n + extra + 1;
	if (need < b->n || (b->max && need > b->max + 1)) {
		b->failed = true;
		return false;
	}
	size_t ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap *= 2;
	if (b->max && ncap > b->max + 1)
		ncap = b->max + 1;
	char *np = bk_realloc(b->p, ncap);
	if (!np) {
		b->failed = true;
		return false;
	}
	b->p = np;
	b->cap = ncap;
	return true;
}

void
bk_buf_add_slow(struct bk_buf *b, const void *p, size_t n)
{
	if (!bk_buf_reserve(b, n))
		return;
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void
bk_buf_adds(struct bk_buf *b, const char *s)
{
	bk_buf_add(b, s, strlen(s));
}

void
bk_buf_addf(struct bk_buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		bk_buf_add(b, tmp, (size_t)n);
		return;
	}
	if (!bk_buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}
