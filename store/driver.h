/* SPDX-License-Identifier: BSD-2-Clause */
/* driver.h - the store's internal database driver interface.
 *
 * One vtable per back end (SQLite, MariaDB/MySQL, PostgreSQL).  The store
 * core (the store/ sources) writes its SQL once, with '?' placeholders, and only
 * switches on the dialect where the databases differ (type names, "insert
 * or ignore", upsert, row locks).  Nothing outside store/ includes this
 * header: the CLI and the servers use store/store.h.
 *
 * Conventions every driver follows:
 * - Return codes are enum bk_db_rc.  The error class matters more than the
 *   message: BK_DB_ETRANSIENT (server down, connection lost, database
 *   locked or busy past the timeout, deadlock, serialization failure) makes
 *   the core retry the batch and, when retries are exhausted, exit 75
 *   (EX_TEMPFAIL); BK_DB_EPERMANENT (bad SQL, corrupt file, not a database,
 *   authentication refused, disk full) is reported and not retried;
 *   BK_DB_ECONSTRAINT is a unique-key violation.
 * - errmsg() gives the last error of the connection as text for people
 *   (never NULL; "" when none).  A failed open() writes its message to err.
 * - Placeholders are '?', numbered from 1 for bind_*(); the PostgreSQL
 *   driver rewrites them to $1, $2... ('?' never appears in our SQL except
 *   as a placeholder).  Values are bound as text or 64-bit integers; a
 *   bound text is copied by the driver (the caller's buffer may change
 *   after the bind call).
 * - step() returns BK_DB_ROW while there is a row to read, then BK_DB_DONE;
 *   for a statement without result rows, BK_DB_DONE at once.  Columns are
 *   numbered from 0; column_text() returns NULL for SQL NULL, else a
 *   NUL-terminated string valid until the next step/reset/finalize of that
 *   statement, with *n (when n is not NULL) set to its length.
 *   column_int64() returns 0 for NULL.
 * - reset() makes a prepared statement ready to run again (bindings may be
 *   replaced one by one afterwards; all are re-bound by the core anyway).
 *   A statement is prepared once and run many times (batches of thousands).
 * - changes() is the number of rows the last step() of that statement
 *   inserted, updated or deleted (for "insert or ignore": 1 inserted, 0 the
 *   key was already there).
 * - begin() starts a write transaction that holds the write lock at once
 *   (SQLite: BEGIN IMMEDIATE, so a locked database is found before any
 *   work); commit() and rollback() end it.  One transaction per batch:
 *   events and address state are written in the same transaction.
 * - A connection is used by one thread at a time.
 *
 * URLs (bk_store_open() picks the driver from the scheme, see store.h):
 *   PATH, sqlite:PATH, sqlite:///abs/path   SQLite (?timeout=MS: busy wait)
 *   mysql://user:pass@host:port/db, mysql:///db?socket=/path   MariaDB
 *   postgresql://..., postgres://...         libpq's own URI syntax
 */
#ifndef BK_STORE_DRIVER_H
#define BK_STORE_DRIVER_H

#include <stddef.h>

enum bk_db_rc {
	BK_DB_OK = 0,
	BK_DB_ROW = 1,
	BK_DB_DONE = 2,
	BK_DB_ETRANSIENT = -1,	/* down, locked, busy, deadlock, serialization: retry or exit 75 */
	BK_DB_EPERMANENT = -2,	/* bad SQL, corrupt file, auth, a constraint hit by a bug */
	BK_DB_ECONSTRAINT = -3,	/* unique violation */
};

enum bk_db_dialect { BK_DIALECT_SQLITE, BK_DIALECT_MYSQL, BK_DIALECT_PG };

struct bk_db;			/* a connection, defined by each driver */
struct bk_stmt;			/* a prepared statement, defined by each driver */

struct bk_db_driver {
	const char *name;	/* "sqlite", "mysql", "postgresql" */
	enum bk_db_dialect dialect;
	int (*open)(struct bk_db **out, const char *url, char *err, size_t errlen);
	void (*close)(struct bk_db *db);
	/* One or more statements without result rows (the SQLite and
	 * PostgreSQL drivers accept several separated by ';'; the core sends
	 * one at a time anyway). */
	int (*exec)(struct bk_db *db, const char *sql);
	int (*prepare)(struct bk_db *db, const char *sql, struct bk_stmt **out);
	int (*bind_text)(struct bk_stmt *s, int i, const char *v, size_t n);
	int (*bind_int64)(struct bk_stmt *s, int i, long long v);
	int (*bind_null)(struct bk_stmt *s, int i);
	int (*step)(struct bk_stmt *s);		/* BK_DB_ROW, BK_DB_DONE or < 0 */
	const char *(*column_text)(struct bk_stmt *s, int i, size_t *n);
	long long (*column_int64)(struct bk_stmt *s, int i);
	int (*reset)(struct bk_stmt *s);
	void (*finalize)(struct bk_stmt *s);
	int (*begin)(struct bk_db *db);
	int (*commit)(struct bk_db *db);
	int (*rollback)(struct bk_db *db);
	long long (*changes)(struct bk_stmt *s);
	const char *(*errmsg)(struct bk_db *db);
};

/* drvutil.c: what the drivers share. */
/* The message (printf-style, without a trailing line end) into buf; returns
 * cls, the class of the error. */
int bk_db_errf(char *buf, size_t n, int cls, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The class a failed open() returns: transient stays transient, anything
 * else is permanent. */
int bk_db_open_class(int cls);
/* *buf (of *cap bytes, NULL at first) made to hold need bytes, min at
 * least; 0, or -1 when out of memory (*buf is then unchanged). */
int bk_db_reserve(char **buf, size_t *cap, size_t need, size_t min);

/* The vtable of a driver whose functions are d_open, d_close, d_exec...
 * (each driver's own static ones). */
#define BK_DB_DRIVER(NAME, DIALECT) {					\
	.name = (NAME), .dialect = (DIALECT), .open = d_open,		\
	.close = d_close, .exec = d_exec, .prepare = d_prepare,		\
	.bind_text = d_bind_text, .bind_int64 = d_bind_int64,		\
	.bind_null = d_bind_null, .step = d_step,			\
	.column_text = d_column_text, .column_int64 = d_column_int64,	\
	.reset = d_reset, .finalize = d_finalize, .begin = d_begin,	\
	.commit = d_commit, .rollback = d_rollback,			\
	.changes = d_changes, .errmsg = d_errmsg,			\
}

extern const struct bk_db_driver bk_driver_sqlite;
#ifdef BK_STORE_MYSQL
extern const struct bk_db_driver bk_driver_mysql;
#endif
#ifdef BK_STORE_PG
extern const struct bk_db_driver bk_driver_pg;
#endif

#endif
