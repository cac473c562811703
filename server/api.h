/* SPDX-License-Identifier: BSD-2-Clause */
/* api.h - helpers of the API's handlers (api.c, suppress.c, metrics.c). */
#ifndef BK_SERVER_API_H
#define BK_SERVER_API_H

#include "server/internal.h"

/* Epoch seconds, or YYYY-MM-DD[THH:MM:SS[Z]] in UTC. */
bool api_time(const char *s, int64_t *out);
/* since= and until= (0 when absent); false after sending a 400 in *ret. */
bool api_range(struct http *h, int64_t *since, int64_t *until,
	       enum MHD_Result *ret);
/* limit= (def when absent, 1..max); false after sending a 400 in *ret. */
bool api_limit(struct http *h, size_t def, size_t max, size_t *out,
	       enum MHD_Result *ret);
/* Opaque paging cursors: base64url of KIND, f1 and f2 (malloc'd). */
char *api_cursor_make(const char *kind, const char *f1, const char *f2);
bool api_cursor_read(const char *c, const char *kind, char *f1, char *f2,
		     size_t bufsz);

#endif
