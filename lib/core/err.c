/* SPDX-License-Identifier: BSD-2-Clause */
/* err.c - filling the caller's error record. */
#include "core.h"

#include <stdarg.h>
#include <stdio.h>

#include "bouncekit/bouncekit.h"

int
bk_err_set(struct bk_err *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}
