/* SPDX-License-Identifier: BSD-2-Clause */
/* mysql.c - the MariaDB/MySQL driver (Debian's libmariadb).
 *
 *   mysql://user:pass@host:port/db              TCP (port 3306 by default)
 *   mysql://user:pass@localhost/db?socket=/path  Unix socket
 *   mysql:///db?socket=/path                     the OS user, Unix socket
 *
 * User, password and database are percent-decoded.  Without a user the
 * connection uses the name of the OS user (MariaDB's unix_socket
 * authentication for root).  Other query parameters: connect_timeout=S.
 *
 * Every statement is a server-side prepared statement (MYSQL_STMT), run
 * many times with new bindings; results are fetched whole into the client
 * (mysql_stmt_store_result) so that other statements can run on the same
 * connection while the core reads rows.  The session speaks utf8mb4, in
 * READ COMMITTED (fewer gap locks between concurrent ingests; the core's
 * unique keys and row locks do the rest), and with an SQL mode close to the
 * standard the SQLite and PostgreSQL drivers see: "..." quotes identifiers,
 * || concatenates, a backslash is an ordinary character in a literal.
 * Affected rows count matched rows (CLIENT_FOUND_ROWS), as SQLite and
 * PostgreSQL do.  Tables are InnoDB (transactions). */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include "driver.h"

struct bk_db {
	MYSQL *h;
	unsigned long next_id;
	char err[512];
};

struct param {
	char *buf;
	size_t cap;
	unsigned long len;
	long long ival;
	my_bool isnull;
};

struct column {
	char *buf;
	size_t cap;
	unsigned long len;
	my_bool isnull;
	my_bool error;
};

struct bk_stmt {
	struct bk_db *db;
	MYSQL_STMT *st;
	unsigned int nparams, ncols;
	struct param *p;
	MYSQL_BIND *pb;
	struct column *c;
	MYSQL_BIND *cb;
	int executed;		/* executed since the last reset */
	int has_result;		/* a stored result is open */
	long long changes;
};

static int
classify_errno(unsigned int e)
{
	switch (e) {
	case 0:
		return BK_DB_OK;
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_SERVER_LOST_EXTENDED:
	case ER_CON_COUNT_ERROR:
	case ER_TOO_MANY_USER_CONNECTIONS:
	case ER_SERVER_SHUTDOWN:
	case ER_NORMAL_SHUTDOWN:
	case ER_CONNECTION_KILLED:
	case ER_QUERY_INTERRUPTED:
	case ER_LOCK_WAIT_TIMEOUT:
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_ABORTED:
	case ER_LOCK_TABLE_FULL:
	case ER_CANT_LOCK:
	case ER_CHECKREAD:
		return BK_DB_ETRANSIENT;
	case ER_DUP_ENTRY:
	case ER_DUP_ENTRY_WITH_KEY_NAME:
		return BK_DB_ECONSTRAINT;
	default:
		return BK_DB_EPERMANENT;
	}
}

static int
conn_error(struct bk_db *db)
{
	unsigned int e = mysql_errno(db->h);
	snprintf(db->err, sizeof(db->err), "MariaDB: %s (%u)", mysql_error(db->h), e);
	return e ? classify_errno(e) : BK_DB_EPERMANENT;
}

static int
stmt_error(struct bk_stmt *s)
{
	unsigned int e = mysql_stmt_errno(s->st);
	snprintf(s->db->err, sizeof(s->db->err), "MariaDB: %s (%u)",
		 mysql_stmt_error(s->st), e);
	return e ? classify_errno(e) : BK_DB_EPERMANENT;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A percent-decoded copy of p[0..n), or NULL when out of memory. */
static char *
pct_dup(const char *p, size_t n)
{
	char *o = malloc(n + 1), *q = o;
	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int h, l;
		if (p[i] == '%' && i + 2 < n && (h = hexval(p[i + 1])) >= 0 &&
		    (l = hexval(p[i + 2])) >= 0) {
			*q++ = (char)(h * 16 + l);
			i += 2;
		} else {
			*q++ = p[i];
		}
	}
	*q = '\0';
	return o;
}

struct url {
	char *user, *pass, *host, *db, *socket;
	unsigned int port, timeout;
};

static void
url_free(struct url *u)
{
	free(u->user);
	free(u->pass);
	free(u->host);
	free(u->db);
	free(u->socket);
}

/* mysql://[user[:pass]@][host[:port]]/db[?socket=PATH&connect_timeout=S] */
static int
parse_url(const char *url, struct url *u, char *err, size_t errlen)
{
	memset(u, 0, sizeof(*u));
	u->timeout = 10;
	const char *p = url;
	if (!strncmp(p, "mysql://", 8))
		p += 8;
	else if (!strncmp(p, "mariadb://", 10))
		p += 10;
	else {
		snprintf(err, errlen, "'%s': not a mysql:// URL", url);
		return -1;
	}
	size_t auth_end = strcspn(p, "/?");
	const char *at = memchr(p, '@', auth_end);
	/* the last '@' before the path: a password may hold one encoded */
	for (const char *a = at; a && a < p + auth_end;
	     a = memchr(a + 1, '@', (size_t)(p + auth_end - a - 1)))
		at = a;
	if (at) {
		size_t un = (size_t)(at - p);
		const char *colon = memchr(p, ':', un);
		if (colon) {
			u->user = pct_dup(p, (size_t)(colon - p));
			u->pass = pct_dup(colon + 1, (size_t)(at - colon - 1));
		} else {
			u->user = pct_dup(p, un);
		}
		p = at + 1;
		auth_end = strcspn(p, "/?");
	}
	size_t hn = auth_end;
	const char *colon = memchr(p, ':', hn);
	if (colon) {
		char *end;
		long port = strtol(colon + 1, &end, 10);
		if (end != p + hn || port <= 0 || port > 65535) {
			snprintf(err, errlen, "'%s': bad port", url);
			return -1;
		}
		u->port = (unsigned int)port;
		hn = (size_t)(colon - p);
	}
	if (hn)
		u->host = pct_dup(p, hn);
	p += auth_end;
	if (*p == '/') {
		p++;
		size_t dn = strcspn(p, "?");
		if (dn)
			u->db = pct_dup(p, dn);
		p += dn;
	}
	if (*p == '?') {
		p++;
		while (*p) {
			size_t kn = strcspn(p, "&");
			const char *eq = memchr(p, '=', kn);
			if (eq) {
				size_t k = (size_t)(eq - p);
				const char *v = eq + 1;
				size_t vn = (size_t)(p + kn - v);
				if (k == 6 && !strncmp(p, "socket", 6)) {
					free(u->socket);
					u->socket = pct_dup(v, vn);
				} else if (k == 15 && !strncmp(p, "connect_timeout", 15)) {
					u->timeout = (unsigned int)strtoul(v, NULL, 10);
				} else {
					snprintf(err, errlen, "'%s': unknown parameter '%.*s'",
						 url, (int)k, p);
					return -1;
				}
			}
			p += kn;
			if (*p == '&')
				p++;
		}
	}
	if (!u->db || !u->db[0]) {
		snprintf(err, errlen, "'%s': no database name (mysql://user:pass@host/DB)", url);
		return -1;
	}
	if (!u->user) {
		struct passwd *pw = getpwuid(geteuid());
		u->user = pw ? strdup(pw->pw_name) : NULL;
	}
	return 0;
}

static const char *const session_sql[] = {
	"SET SESSION sql_mode = 'ANSI_QUOTES,PIPES_AS_CONCAT,NO_BACKSLASH_ESCAPES,"
	"STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,NO_ZERO_DATE,NO_ZERO_IN_DATE'",
	"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
	"SET SESSION time_zone = '+00:00'",
	"SET SESSION default_storage_engine = InnoDB",
};

static int
d_open(struct bk_db **out, const char *url, char *err, size_t errlen)
{
	struct url u;
	if (parse_url(url, &u, err, errlen) < 0) {
		url_free(&u);
		return BK_DB_EPERMANENT;
	}
	struct bk_db *db = calloc(1, sizeof(*db));
	if (!db || !(db->h = mysql_init(NULL))) {
		snprintf(err, errlen, "out of memory");
		free(db);
		url_free(&u);
		return BK_DB_EPERMANENT;
	}
	mysql_options(db->h, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(db->h, MYSQL_OPT_CONNECT_TIMEOUT, &u.timeout);
	if (u.socket) {
		unsigned int proto = MYSQL_PROTOCOL_SOCKET;
		mysql_options(db->h, MYSQL_OPT_PROTOCOL, &proto);
	}
	const char *host = u.socket ? "localhost" : u.host;
	if (!mysql_real_connect(db->h, host, u.user, u.pass, u.db, u.port, u.socket,
				CLIENT_FOUND_ROWS)) {
		unsigned int e = mysql_errno(db->h);
		snprintf(err, errlen, "MariaDB %s: %s", u.socket ? u.socket : host ? host : "localhost",
			 mysql_error(db->h));
		mysql_close(db->h);
		free(db);
		url_free(&u);
		int cls = classify_errno(e);
		return bk_db_open_class(cls);
	}
	url_free(&u);
	for (size_t i = 0; i < sizeof(session_sql) / sizeof(session_sql[0]); i++) {
		if (mysql_query(db->h, session_sql[i])) {
			int cls = conn_error(db);
			snprintf(err, errlen, "%s", db->err);
			mysql_close(db->h);
			free(db);
			return bk_db_open_class(cls);
		}
	}
	*out = db;
	return BK_DB_OK;
}

static void
d_close(struct bk_db *db)
{
	if (!db)
		return;
	mysql_close(db->h);
	free(db);
}

static int
d_exec(struct bk_db *db, const char *sql)
{
	if (mysql_real_query(db->h, sql, (unsigned long)strlen(sql)))
		return conn_error(db);
	/* a statement that returned rows anyway: drop them */
	MYSQL_RES *r = mysql_store_result(db->h);
	if (r)
		mysql_free_result(r);
	else if (mysql_errno(db->h))
		return conn_error(db);
	return BK_DB_OK;
}

static void
stmt_free(struct bk_stmt *s)
{
	if (s->st)
		mysql_stmt_close(s->st);
	for (unsigned int i = 0; i < s->nparams; i++)
		free(s->p[i].buf);
	for (unsigned int i = 0; i < s->ncols; i++)
		free(s->c[i].buf);
	free(s->p);
	free(s->pb);
	free(s->c);
	free(s->cb);
	free(s);
}

static int
d_prepare(struct bk_db *db, const char *sql, struct bk_stmt **out)
{
	struct bk_stmt *s = calloc(1, sizeof(*s));
	if (!s) {
		return bk_db_errf(db->err, sizeof(db->err), BK_DB_EPERMANENT, "out of memory");
	}
	s->db = db;
	if (!(s->st = mysql_stmt_init(db->h))) {
		free(s);
		return conn_error(db);
	}
	if (mysql_stmt_prepare(s->st, sql, (unsigned long)strlen(sql))) {
		int rc = stmt_error(s);
		stmt_free(s);
		return rc;
	}
	s->nparams = (unsigned int)mysql_stmt_param_count(s->st);
	s->ncols = mysql_stmt_field_count(s->st);
	if (s->nparams) {
		s->p = calloc(s->nparams, sizeof(*s->p));
		s->pb = calloc(s->nparams, sizeof(*s->pb));
	}
	if (s->ncols) {
		s->c = calloc(s->ncols, sizeof(*s->c));
		s->cb = calloc(s->ncols, sizeof(*s->cb));
	}
	if ((s->nparams && (!s->p || !s->pb)) || (s->ncols && (!s->c || !s->cb))) {
		stmt_free(s);
		return bk_db_errf(db->err, sizeof(db->err), BK_DB_EPERMANENT, "out of memory");
	}
	for (unsigned int i = 0; i < s->nparams; i++)
		s->p[i].isnull = 1;
	*out = s;
	return BK_DB_OK;
}

static struct param *
param_at(struct bk_stmt *s, int i)
{
	if (i < 1 || (unsigned int)i > s->nparams) {
		bk_db_errf(s->db->err, sizeof(s->db->err), BK_DB_EPERMANENT,
			   "bind index %d out of range (%u parameters)", i, s->nparams);
		return NULL;
	}
	return &s->p[i - 1];
}

static int
d_bind_text(struct bk_stmt *s, int i, const char *v, size_t n)
{
	struct param *p = param_at(s, i);
	if (!p)
		return BK_DB_EPERMANENT;
	if (bk_db_reserve(&p->buf, &p->cap, n + 1, 64) < 0)
		return bk_db_errf(s->db->err, sizeof(s->db->err), BK_DB_EPERMANENT, "out of memory");
	if (n)
		memcpy(p->buf, v, n);
	p->buf[n] = '\0';
	p->len = (unsigned long)n;
	p->isnull = 0;
	MYSQL_BIND *b = &s->pb[i - 1];
	memset(b, 0, sizeof(*b));
	b->buffer_type = MYSQL_TYPE_STRING;
	return BK_DB_OK;
}

static int
d_bind_int64(struct bk_stmt *s, int i, long long v)
{
	struct param *p = param_at(s, i);
	if (!p)
		return BK_DB_EPERMANENT;
	p->ival = v;
	p->isnull = 0;
	MYSQL_BIND *b = &s->pb[i - 1];
	memset(b, 0, sizeof(*b));
	b->buffer_type = MYSQL_TYPE_LONGLONG;
	return BK_DB_OK;
}

static int
d_bind_null(struct bk_stmt *s, int i)
{
	struct param *p = param_at(s, i);
	if (!p)
		return BK_DB_EPERMANENT;
	p->isnull = 1;
	return BK_DB_OK;
}

/* The MYSQL_BINDs point into the parameter buffers, which move when they
 * grow: they are set up again before each execution (no round trip). */
static void
fill_params(struct bk_stmt *s)
{
	for (unsigned int i = 0; i < s->nparams; i++) {
		struct param *p = &s->p[i];
		MYSQL_BIND *b = &s->pb[i];
		if (p->isnull) {
			memset(b, 0, sizeof(*b));
			b->buffer_type = MYSQL_TYPE_NULL;
		} else if (b->buffer_type == MYSQL_TYPE_LONGLONG) {
			b->buffer = &p->ival;
			b->is_unsigned = 0;
		} else {
			b->buffer_type = MYSQL_TYPE_STRING;
			b->buffer = p->buf;
			b->buffer_length = p->len;
			b->length = &p->len;
		}
	}
}

static int
bind_columns(struct bk_stmt *s)
{
	for (unsigned int i = 0; i < s->ncols; i++) {
		struct column *c = &s->c[i];
		if (bk_db_reserve(&c->buf, &c->cap, 1, 64) < 0)
			return bk_db_errf(s->db->err, sizeof(s->db->err),
					  BK_DB_EPERMANENT, "out of memory");
		MYSQL_BIND *b = &s->cb[i];
		memset(b, 0, sizeof(*b));
		b->buffer_type = MYSQL_TYPE_STRING;
		b->buffer = c->buf;
		b->buffer_length = (unsigned long)c->cap - 1;	/* room for a NUL */
		b->length = &c->len;
		b->is_null = &c->isnull;
		b->error = &c->error;
	}
	if (mysql_stmt_bind_result(s->st, s->cb))
		return stmt_error(s);
	return BK_DB_OK;
}

/* After a fetch: the columns longer than their buffer, fetched again into
 * a bigger one; every value NUL-terminated.  The result is bound again once
 * all of them are read (binding it between two mysql_stmt_fetch_column
 * calls spoils the second one). */
static int
complete_row(struct bk_stmt *s)
{
	int moved = 0;
	for (unsigned int i = 0; i < s->ncols; i++) {
		struct column *c = &s->c[i];
		if (c->isnull)
			continue;
		if (c->len + 1 > c->cap) {
			if (bk_db_reserve(&c->buf, &c->cap, c->len + 1, 64) < 0)
				return bk_db_errf(s->db->err, sizeof(s->db->err),
						  BK_DB_EPERMANENT, "out of memory");
			size_t cap = c->cap;
			MYSQL_BIND b;
			memset(&b, 0, sizeof(b));
			b.buffer_type = MYSQL_TYPE_STRING;
			b.buffer = c->buf;
			b.buffer_length = (unsigned long)cap - 1;
			unsigned long len = 0;
			b.length = &len;
			if (mysql_stmt_fetch_column(s->st, &b, i, 0))
				return stmt_error(s);
			s->cb[i].buffer = c->buf;
			s->cb[i].buffer_length = (unsigned long)cap - 1;
			moved = 1;
		}
		c->buf[c->len] = '\0';
	}
	if (moved && mysql_stmt_bind_result(s->st, s->cb))
		return stmt_error(s);
	return BK_DB_OK;
}

static int
fetch(struct bk_stmt *s)
{
	int r = mysql_stmt_fetch(s->st);
	if (r == MYSQL_NO_DATA)
		return BK_DB_DONE;
	if (r == 1)
		return stmt_error(s);
	int rc = complete_row(s);
	return rc < 0 ? rc : BK_DB_ROW;
}

static int
d_step(struct bk_stmt *s)
{
	if (s->executed)
		return s->has_result ? fetch(s) : BK_DB_DONE;
	if (s->nparams) {
		fill_params(s);
		if (mysql_stmt_bind_param(s->st, s->pb))
			return stmt_error(s);
	}
	s->changes = 0;
	if (mysql_stmt_execute(s->st))
		return stmt_error(s);
	s->executed = 1;
	/* INSERT ... RETURNING has no result columns when prepared, only
	 * once executed */
	unsigned int nc = mysql_stmt_field_count(s->st);
	if (nc > s->ncols) {
		struct column *c = realloc(s->c, nc * sizeof(*c));
		if (c)
			s->c = c;
		MYSQL_BIND *cb = c ? realloc(s->cb, nc * sizeof(*cb)) : NULL;
		if (cb)
			s->cb = cb;
		if (!c || !cb) {
			return bk_db_errf(s->db->err, sizeof(s->db->err),
					  BK_DB_EPERMANENT, "out of memory");
		}
		memset(s->c + s->ncols, 0, (nc - s->ncols) * sizeof(*c));
		s->ncols = nc;
	}
	if (!s->ncols) {
		my_ulonglong n = mysql_stmt_affected_rows(s->st);
		s->changes = n == (my_ulonglong)-1 ? 0 : (long long)n;
		return BK_DB_DONE;
	}
	int rc = bind_columns(s);
	if (rc < 0)
		return rc;
	if (mysql_stmt_store_result(s->st))
		return stmt_error(s);
	s->has_result = 1;
	return fetch(s);
}

static const char *
d_column_text(struct bk_stmt *s, int i, size_t *n)
{
	if (i < 0 || (unsigned int)i >= s->ncols || !s->has_result || s->c[i].isnull) {
		if (n)
			*n = 0;
		return NULL;
	}
	if (n)
		*n = s->c[i].len;
	return s->c[i].buf;
}

static long long
d_column_int64(struct bk_stmt *s, int i)
{
	const char *t = d_column_text(s, i, NULL);
	return t ? strtoll(t, NULL, 10) : 0;
}

static int
d_reset(struct bk_stmt *s)
{
	if (s->has_result)
		mysql_stmt_free_result(s->st);
	s->has_result = 0;
	s->executed = 0;
	return BK_DB_OK;
}

static void
d_finalize(struct bk_stmt *s)
{
	if (!s)
		return;
	if (s->has_result)
		mysql_stmt_free_result(s->st);
	stmt_free(s);
}

static int
d_begin(struct bk_db *db)
{
	return d_exec(db, "START TRANSACTION");
}

static int
d_commit(struct bk_db *db)
{
	return d_exec(db, "COMMIT");
}

static int
d_rollback(struct bk_db *db)
{
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

const struct bk_db_driver bk_driver_mysql = BK_DB_DRIVER("mysql", BK_DIALECT_MYSQL);
