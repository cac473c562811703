/* SPDX-License-Identifier: BSD-2-Clause */
/* pg.c - the PostgreSQL driver (Debian's libpq).
 *
 *   postgresql://user:pass@host:port/db
 *   postgresql://user@/db?host=/run/dir       Unix socket directory
 *   postgres://...                           the same
 *
 * The URL is libpq's own (PQconnectdbParams, expand_dbname): every
 * parameter libpq knows works; connect_timeout defaults to 10 s and
 * application_name to "bouncekit" unless the URL says otherwise.
 *
 * The core's '?' placeholders become $1, $2... (not inside '...' literals,
 * "..." identifiers or -- comments); each statement is prepared once on
 * the server (PQprepare, types inferred) and run with text parameters
 * (PQexecPrepared).  SQLSTATE classes: 08 (connection), 40001
 * (serialization), 40P01 (deadlock), 55P03 (lock not available), 57P01-3
 * (shutdown), 53300 (too many connections) are transient; 23505 (unique
 * violation) is a constraint; the rest permanent.  Notices (e.g. "relation
 * already exists, skipping") are not printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "driver.h"

struct bk_db {
	PGconn *c;
	unsigned long next_id;
	char err[512];
};

struct bk_stmt {
	struct bk_db *db;
	char name[32];
	int nparams;
	char **val;		/* NULL for SQL NULL */
	size_t *cap;
	int *len;
	PGresult *res;
	int row, nrows;
	long long changes;
	int executed;
};

static int
classify_state(const char *st)
{
	if (!st || !st[0])
		return BK_DB_EPERMANENT;
	if (!strncmp(st, "08", 2) || !strcmp(st, "40001") || !strcmp(st, "40P01") ||
	    !strcmp(st, "55P03") || !strcmp(st, "57P01") || !strcmp(st, "57P02") ||
	    !strcmp(st, "57P03") || !strcmp(st, "53300") || !strcmp(st, "57014"))
		return BK_DB_ETRANSIENT;
	if (!strcmp(st, "23505"))
		return BK_DB_ECONSTRAINT;
	return BK_DB_EPERMANENT;
}

/* The class of a failed result (or of no result at all); the message kept
 * in db->err, without libpq's trailing newline. */
static int
result_error(struct bk_db *db, PGresult *r)
{
	const char *msg = r ? PQresultErrorMessage(r) : "";
	if (!msg || !msg[0])
		msg = PQerrorMessage(db->c);
	bk_db_errf(db->err, sizeof(db->err), 0, "PostgreSQL: %s", msg);
	if (PQstatus(db->c) != CONNECTION_OK)
		return BK_DB_ETRANSIENT;
	return classify_state(r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL);
}

static void
no_notices(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static int
d_open(struct bk_db **out, const char *url, char *err, size_t errlen)
{
	struct bk_db *db = calloc(1, sizeof(*db));
	if (!db) {
		snprintf(err, errlen, "out of memory");
		return BK_DB_EPERMANENT;
	}
	/* later keywords win: the defaults first, then the URL's own */
	const char *const keys[] = { "connect_timeout", "application_name",
				     "client_encoding", "dbname", NULL };
	const char *const vals[] = { "10", "bouncekit", "UTF8", url, NULL };
	db->c = PQconnectdbParams(keys, vals, 1);
	if (!db->c || PQstatus(db->c) != CONNECTION_OK) {
		const char *m = db->c ? PQerrorMessage(db->c) : "out of memory";
		bk_db_errf(err, errlen, 0, "PostgreSQL: %s", m);
		/* a URL libpq cannot parse never gets to a connection attempt */
		int cls = db->c && strstr(m, "invalid") ? BK_DB_EPERMANENT
			: db->c && strstr(m, "authentication") ? BK_DB_EPERMANENT
			: db->c && strstr(m, "does not exist") ? BK_DB_EPERMANENT
			: BK_DB_ETRANSIENT;
		PQfinish(db->c);
		free(db);
		return cls;
	}
	PQsetNoticeProcessor(db->c, no_notices, NULL);
	PGresult *r = PQexec(db->c, "SET TIME ZONE 'UTC'");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		int cls = result_error(db, r);
		snprintf(err, errlen, "%s", db->err);
		PQclear(r);
		PQfinish(db->c);
		free(db);
		return bk_db_open_class(cls);
	}
	PQclear(r);
	*out = db;
	return BK_DB_OK;
}

static void
d_close(struct bk_db *db)
{
	if (!db)
		return;
	PQfinish(db->c);
	free(db);
}

static int
d_exec(struct bk_db *db, const char *sql)
{
	PGresult *r = PQexec(db->c, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = BK_DB_OK;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
		rc = result_error(db, r);
	PQclear(r);
	return rc;
}

/* sql with each '?' outside literals, quoted names and comments replaced by
 * $1, $2...; the count in *np.  NULL when out of memory. */
static char *
rewrite(const char *sql, int *np)
{
	size_t n = strlen(sql), q = 0;
	for (size_t i = 0; i < n; i++)
		q += sql[i] == '?';
	char *o = malloc(n + q * 6 + 1), *w = o;
	if (!o)
		return NULL;
	int k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = sql[i];
		if (c == '\'' || c == '"') {
			/* to the closing quote; a doubled quote is part of it */
			*w++ = sql[i++];
			while (i < n) {
				*w++ = sql[i];
				if (sql[i] == c) {
					if (i + 1 < n && sql[i + 1] == c) {
						*w++ = sql[++i];
					} else {
						break;
					}
				}
				i++;
			}
		} else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
			while (i < n && sql[i] != '\n')
				*w++ = sql[i++];
			if (i < n)
				*w++ = sql[i];
		} else if (c == '?') {
			w += sprintf(w, "$%d", ++k);
		} else {
			*w++ = c;
		}
	}
	*w = '\0';
	*np = k;
	return o;
}

static void
stmt_free(struct bk_stmt *s)
{
	PQclear(s->res);
	for (int i = 0; i < s->nparams; i++)
		free(s->val[i]);
	free(s->val);
	free(s->cap);
	free(s->len);
	free(s);
}

static int
d_prepare(struct bk_db *db, const char *sql, struct bk_stmt **out)
{
	struct bk_stmt *s = calloc(1, sizeof(*s));
	int np = 0;
	char *text = s ? rewrite(sql, &np) : NULL;
	if (!text) {
		free(s);
		return bk_db_errf(db->err, sizeof(db->err), BK_DB_EPERMANENT, "out of memory");
	}
	s->db = db;
	s->nparams = np;
	if (np) {
		s->val = calloc((size_t)np, sizeof(*s->val));
		s->cap = calloc((size_t)np, sizeof(*s->cap));
		s->len = calloc((size_t)np, sizeof(*s->len));
		if (!s->val || !s->cap || !s->len) {
			free(text);
			stmt_free(s);
			return bk_db_errf(db->err, sizeof(db->err), BK_DB_EPERMANENT,
					  "out of memory");
		}
	}
	snprintf(s->name, sizeof(s->name), "bk%lu", ++db->next_id);
	PGresult *r = PQprepare(db->c, s->name, text, 0, NULL);
	free(text);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		int rc = result_error(db, r);
		PQclear(r);
		stmt_free(s);
		return rc;
	}
	PQclear(r);
	*out = s;
	return BK_DB_OK;
}

/* Parameter i's buffer, big enough for n bytes and a NUL. */
static char *
param_buf(struct bk_stmt *s, int i, size_t n)
{
	if (i < 1 || i > s->nparams) {
		bk_db_errf(s->db->err, sizeof(s->db->err), BK_DB_EPERMANENT,
			   "bind index %d out of range (%d parameters)", i, s->nparams);
		return NULL;
	}
	i--;
	if (bk_db_reserve(&s->val[i], &s->cap[i], n + 1, 32) < 0) {
		bk_db_errf(s->db->err, sizeof(s->db->err), BK_DB_EPERMANENT, "out of memory");
		return NULL;
	}
	return s->val[i];
}

static int
d_bind_text(struct bk_stmt *s, int i, const char *v, size_t n)
{
	if (n > 0x7fffffff) {
		return bk_db_errf(s->db->err, sizeof(s->db->err), BK_DB_EPERMANENT,
				  "value too long");
	}
	char *b = param_buf(s, i, n);
	if (!b)
		return BK_DB_EPERMANENT;
	if (n)
		memcpy(b, v, n);
	b[n] = '\0';
	s->len[i - 1] = (int)n;
	return BK_DB_OK;
}

static int
d_bind_int64(struct bk_stmt *s, int i, long long v)
{
	char *b = param_buf(s, i, 24);
	if (!b)
		return BK_DB_EPERMANENT;
	s->len[i - 1] = snprintf(b, 24, "%lld", v);
	return BK_DB_OK;
}

static int
d_bind_null(struct bk_stmt *s, int i)
{
	if (i < 1 || i > s->nparams) {
		return bk_db_errf(s->db->err, sizeof(s->db->err), BK_DB_EPERMANENT,
				  "bind index %d out of range (%d parameters)", i, s->nparams);
	}
	s->len[i - 1] = -1;	/* marks NULL; the buffer is kept */
	return BK_DB_OK;
}

static int
d_step(struct bk_stmt *s)
{
	if (s->executed) {
		if (s->row + 1 < s->nrows) {
			s->row++;
			return BK_DB_ROW;
		}
		s->row = s->nrows;
		return BK_DB_DONE;
	}
	const char *vals[s->nparams ? s->nparams : 1];
	int lens[s->nparams ? s->nparams : 1];
	for (int i = 0; i < s->nparams; i++) {
		/* a parameter never bound is NULL, like SQLite's */
		if (s->len[i] < 0 || !s->val[i]) {
			vals[i] = NULL;
			lens[i] = 0;
		} else {
			vals[i] = s->val[i];
			lens[i] = s->len[i];
		}
	}
	PQclear(s->res);
	s->res = PQexecPrepared(s->db->c, s->name, s->nparams, vals, lens, NULL, 0);
	s->executed = 1;
	s->changes = 0;
	s->row = 0;
	s->nrows = 0;
	switch (PQresultStatus(s->res)) {
	case PGRES_COMMAND_OK: {
		const char *t = PQcmdTuples(s->res);
		s->changes = t && *t ? strtoll(t, NULL, 10) : 0;
		return BK_DB_DONE;
	}
	case PGRES_TUPLES_OK:
		s->nrows = PQntuples(s->res);
		/* INSERT ... RETURNING: the rows it returned are the rows it wrote */
		s->changes = s->nrows;
		return s->nrows ? BK_DB_ROW : BK_DB_DONE;
	default: {
		int rc = result_error(s->db, s->res);
		PQclear(s->res);
		s->res = NULL;
		return rc;
	}
	}
}

static const char *
d_column_text(struct bk_stmt *s, int i, size_t *n)
{
	if (!s->res || s->row >= s->nrows || i < 0 || i >= PQnfields(s->res) ||
	    PQgetisnull(s->res, s->row, i)) {
		if (n)
			*n = 0;
		return NULL;
	}
	if (n)
		*n = (size_t)PQgetlength(s->res, s->row, i);
	return PQgetvalue(s->res, s->row, i);
}

static long long
d_column_int64(struct bk_stmt *s, int i)
{
	const char *t = d_column_text(s, i, NULL);
	if (!t)
		return 0;
	/* booleans come as t/f */
	if (t[0] == 't' && !t[1])
		return 1;
	return strtoll(t, NULL, 10);
}

static int
d_reset(struct bk_stmt *s)
{
	PQclear(s->res);
	s->res = NULL;
	s->executed = 0;
	s->row = s->nrows = 0;
	return BK_DB_OK;
}

static void
d_finalize(struct bk_stmt *s)
{
	if (!s)
		return;
	if (PQstatus(s->db->c) == CONNECTION_OK &&
	    (PQtransactionStatus(s->db->c) == PQTRANS_IDLE ||
	     PQtransactionStatus(s->db->c) == PQTRANS_INTRANS)) {
		char sql[48];
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
		PQclear(PQexec(s->db->c, sql));
	}
	stmt_free(s);
}

static int
d_begin(struct bk_db *db)
{
	return d_exec(db, "BEGIN");
}

static int
d_commit(struct bk_db *db)
{
	PGresult *r = PQexec(db->c, "COMMIT");
	int rc = BK_DB_OK;
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = result_error(db, r);
	} else if (!strcmp(PQcmdStatus(r), "ROLLBACK")) {
		/* COMMIT of a transaction an earlier error aborted */
		snprintf(db->err, sizeof(db->err),
			 "PostgreSQL: the transaction was aborted by an earlier error: rolled back");
		rc = BK_DB_EPERMANENT;
	}
	PQclear(r);
	return rc;
}

static int
d_rollback(struct bk_db *db)
{
	if (PQtransactionStatus(db->c) == PQTRANS_IDLE)
		return BK_DB_OK;
	return d_exec(db, "ROLLBACK");
}

static long long
d_changes(struct bk_stmt *s)
{
	return s->changes;
}

static const char *
d_errmsg(struct bk_db *db)
{
	return db ? db->err : "";
}

const struct bk_db_driver bk_driver_pg = BK_DB_DRIVER("postgresql", BK_DIALECT_PG);
