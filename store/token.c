/* SPDX-License-Identifier: BSD-2-Clause */
/* token.c - the HTTP API's tokens (table api_tokens, schema 3): names,
 * scopes and SHA-256 hashes; the hashing and the comparison are the
 * server's (server/). */
#include <string.h>
#include <time.h>

#include "internal.h"

static bool
name_ok(const char *n)
{
	size_t k = strlen(n);
	if (k == 0 || k > 64)
		return false;
	for (const char *p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		      *p == '-'))
			return false;
	return true;
}

int
bk_store_token_add(struct bk_store *st, const char *name, const char *scope,
		   const char *hash, struct bk_store_err *err)
{
	if (!name_ok(name))
		return st_errf(err, BK_STORE_EINVAL,
			       "token name '%s': 1 to 64 of A-Z a-z 0-9 . _ -", name);
	if (strcmp(scope, "read") && strcmp(scope, "write"))
		return st_errf(err, BK_STORE_EINVAL, "token scope '%s': read or write", scope);
	if (strlen(hash) != 64)
		return st_errf(err, BK_STORE_EINVAL, "a token hash is 64 hex digits");
	int rc = st_require_schema(st, err);
	if (rc < 0)
		return rc;
	struct bk_stmt *s;
	if ((rc = st_prepare(st, "{INSERT_IGNORE} INTO api_tokens (name, hash, scope, created)"
			     " VALUES (?, ?, ?, ?){ON_CONFLICT_NOTHING}", &s, err)) < 0)
		return rc;
	st_bind_str(st, s, 1, name);
	st_bind_str(st, s, 2, hash);
	st_bind_str(st, s, 3, scope);
	st->drv->bind_int64(s, 4, (long long)time(NULL));
	rc = st->drv->step(s);
	long long n = rc < 0 ? 0 : st->drv->changes(s);
	st->drv->finalize(s);
	if (rc < 0)
		return st_fail(st, rc, err, "adding a token");
	if (n == 0)
		return st_errf(err, BK_STORE_EINVAL,
			       "a token named '%s' exists: revoke it first", name);
	return 0;
}

int
bk_store_token_list(struct bk_store *st, bk_token_fn fn, void *arg,
		    struct bk_store_err *err)
{
	int rc = st_require_schema(st, err);
	if (rc < 0)
		return rc;
	struct bk_stmt *s;
	if ((rc = st_prepare(st, "SELECT name, hash, scope, created FROM api_tokens"
			     " ORDER BY name", &s, err)) < 0)
		return rc;
	int stop = 0;
	while ((rc = st->drv->step(s)) == BK_DB_ROW) {
		struct bk_token_row t;
		const char *v;
		t.name = (v = st->drv->column_text(s, 0, NULL)) ? v : "";
		t.hash = (v = st->drv->column_text(s, 1, NULL)) ? v : "";
		t.scope = (v = st->drv->column_text(s, 2, NULL)) ? v : "";
		t.created = st->drv->column_int64(s, 3);
		if ((stop = fn(arg, &t)) != 0)
			break;
	}
	st->drv->finalize(s);
	if (rc < 0)
		return st_fail(st, rc, err, "reading the tokens");
	return stop;
}

int
bk_store_token_revoke(struct bk_store *st, const char *name,
		      struct bk_store_err *err)
{
	int rc = st_require_schema(st, err);
	if (rc < 0)
		return rc;
	struct bk_stmt *s;
	if ((rc = st_prepare(st, "DELETE FROM api_tokens WHERE name = ?", &s, err)) < 0)
		return rc;
	st_bind_str(st, s, 1, name);
	rc = st->drv->step(s);
	long long n = rc < 0 ? 0 : st->drv->changes(s);
	st->drv->finalize(s);
	if (rc < 0)
		return st_fail(st, rc, err, "revoking a token");
	return n > 0;
}
