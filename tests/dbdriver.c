/* SPDX-License-Identifier: BSD-2-Clause */
/* dbdriver.c - the store's database drivers, each against a real database:
 * placeholders (and '?' inside literals), text, NULL, long and 4-byte UTF-8
 * values, 64-bit integers, rows read while another statement runs, affected
 * rows, transactions, and the error classes the core relies on (unique
 * violation, bad SQL, a lock wait given up, a server that is not there).
 *
 * usage: dbdriver-test URL...   (sqlite:PATH, mysql://..., postgresql://...)
 * Prints "ok"/"FAIL" lines and "dbdriver: N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/driver.h"

static int pass, fail;
static const char *cur;

#define CHECK(name, cond)                                                      \
	do {                                                                   \
		if (cond) {                                                    \
			pass++;                                                \
			printf("ok   dbdriver %s %s\n", cur, name);            \
		} else {                                                       \
			fail++;                                                \
			printf("FAIL dbdriver %s %s (line %d)\n", cur, name,     \
			       __LINE__);                                      \
		}                                                              \
	} while (0)

static const struct bk_db_driver *
driver_for(const char *url)
{
	if (!strncmp(url, "sqlite:", 7))
		return &bk_driver_sqlite;
#ifdef BK_STORE_MYSQL
	if (!strncmp(url, "mysql:", 6))
		return &bk_driver_mysql;
#endif
#ifdef BK_STORE_PG
	if (!strncmp(url, "postgresql:", 11) || !strncmp(url, "postgres:", 9))
		return &bk_driver_pg;
#endif
	return NULL;
}

/* runs a statement without rows; its return code */
static int
run(const struct bk_db_driver *d, struct bk_db *db, const char *sql)
{
	int rc = d->exec(db, sql);
	if (rc < 0)
		fprintf(stderr, "  %s: %s\n", sql, d->errmsg(db));
	return rc;
}

static long long
count(const struct bk_db_driver *d, struct bk_db *db, const char *sql)
{
	struct bk_stmt *s;
	if (d->prepare(db, sql, &s) < 0)
		return -1;
	long long n = d->step(s) == BK_DB_ROW ? d->column_int64(s, 0) : -1;
	d->finalize(s);
	return n;
}

/* The other connection holds a row lock; this one's update gives up. */
static void
lock_wait(const struct bk_db_driver *d, struct bk_db *a, const char *url)
{
	struct bk_db *b = NULL;
	char err[512];
	if (d->open(&b, url, err, sizeof(err)) < 0) {
		CHECK("second connection", 0);
		return;
	}
	if (d->dialect == BK_DIALECT_MYSQL)
		run(d, b, "SET SESSION innodb_lock_wait_timeout = 1");
	else
		run(d, b, "SET lock_timeout = '200ms'");
	run(d, a, "DELETE FROM bk_lock");
	run(d, a, "INSERT INTO bk_lock (id, n) VALUES (1, 0)");
	CHECK("begin a", d->begin(a) == BK_DB_OK);
	CHECK("a locks the row", run(d, a, "UPDATE bk_lock SET n = n + 1 WHERE id = 1") == BK_DB_OK);
	CHECK("begin b", d->begin(b) == BK_DB_OK);
	int rc = d->exec(b, "UPDATE bk_lock SET n = n + 10 WHERE id = 1");
	CHECK("lock wait given up: transient", rc == BK_DB_ETRANSIENT);
	CHECK("its message", d->errmsg(b)[0] != '\0');
	d->rollback(b);
	CHECK("a commits", d->commit(a) == BK_DB_OK);
	CHECK("a's update only", count(d, b, "SELECT n FROM bk_lock WHERE id = 1") == 1);
	d->close(b);
}

static void
down(const struct bk_db_driver *d)
{
	const char *url = d->dialect == BK_DIALECT_MYSQL
		? "mysql://u:p@localhost/db?socket=/nonexistent/bk/mysqld.sock"
		: "postgresql://u@/db?host=/nonexistent/bk";
	struct bk_db *db = NULL;
	char err[512] = "";
	int rc = d->open(&db, url, err, sizeof(err));
	CHECK("server not there: transient", rc == BK_DB_ETRANSIENT);
	CHECK("server not there: a message", err[0] != '\0');
	if (rc == BK_DB_OK)
		d->close(db);
	rc = d->open(&db, d->dialect == BK_DIALECT_MYSQL ? "mysql://host/" : "postgresql://a b c:x/", err,
		     sizeof(err));
	CHECK("bad URL: permanent", rc == BK_DB_EPERMANENT);
	if (rc == BK_DB_OK)
		d->close(db);
}

static void
one(const char *url)
{
	const struct bk_db_driver *d = driver_for(url);
	cur = url;
	if (!d) {
		CHECK("a driver for the URL", 0);
		return;
	}
	cur = d->name;
	struct bk_db *db = NULL;
	char err[512];
	int rc = d->open(&db, url, err, sizeof(err));
	CHECK("open", rc == BK_DB_OK);
	if (rc != BK_DB_OK) {
		fprintf(stderr, "  %s\n", err);
		return;
	}
	const char *opts = d->dialect == BK_DIALECT_MYSQL
		? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : "";
	const char *txt = d->dialect == BK_DIALECT_MYSQL ? "MEDIUMTEXT" : "TEXT";
	char sql[512];
	run(d, db, "DROP TABLE IF EXISTS bk_t");
	run(d, db, "DROP TABLE IF EXISTS bk_lock");
	snprintf(sql, sizeof(sql),
		 "CREATE TABLE bk_t (id BIGINT PRIMARY KEY, k VARCHAR(200) NOT NULL UNIQUE,"
		 " v %s)%s", txt, opts);
	CHECK("create", run(d, db, sql) == BK_DB_OK);
	snprintf(sql, sizeof(sql), "CREATE TABLE bk_lock (id BIGINT PRIMARY KEY, n BIGINT)%s", opts);
	CHECK("create 2", run(d, db, sql) == BK_DB_OK);

	struct bk_stmt *ins = NULL, *sel = NULL, *all = NULL;
	CHECK("prepare insert",
	      d->prepare(db, "INSERT INTO bk_t (id, k, v) VALUES (?, ?, ?)", &ins) == BK_DB_OK);
	CHECK("prepare with a '?' in a literal",
	      d->prepare(db, "SELECT v, 'it''s?' AS \"q?\", id FROM bk_t WHERE k = ? -- what?\n"
			     " AND id <> ? AND k <> 'x?y'", &sel) == BK_DB_OK);
	CHECK("prepare select all", d->prepare(db, "SELECT id, k FROM bk_t ORDER BY id", &all) == BK_DB_OK);
	if (!ins || !sel || !all) {
		fprintf(stderr, "  %s\n", d->errmsg(db));
		goto done;
	}

	/* values */
	static const char utf[] = "\xe3\x81\x82 \xf0\x9f\x93\xa7 it's \"?\" \\n";
	size_t big_n = 60000;
	char *big = malloc(big_n);
	for (size_t i = 0; big && i < big_n; i++)
		big[i] = (char)('a' + i % 26);
	d->bind_int64(ins, 1, 1);
	d->bind_text(ins, 2, "one", 3);
	d->bind_text(ins, 3, utf, strlen(utf));
	CHECK("insert", d->step(ins) == BK_DB_DONE && d->changes(ins) == 1);
	d->reset(ins);
	d->bind_int64(ins, 1, 2);
	d->bind_text(ins, 2, "two", 3);
	d->bind_null(ins, 3);
	CHECK("insert NULL", d->step(ins) == BK_DB_DONE);
	d->reset(ins);
	d->bind_int64(ins, 1, 9000000000123LL);
	d->bind_text(ins, 2, "big", 3);
	d->bind_text(ins, 3, big ? big : "", big ? big_n : 0);
	CHECK("insert long text", d->step(ins) == BK_DB_DONE);
	d->reset(ins);
	d->bind_int64(ins, 1, 4);
	d->bind_text(ins, 2, "one", 3);
	d->bind_text(ins, 3, "dup", 3);
	rc = d->step(ins);
	CHECK("duplicate key: constraint", rc == BK_DB_ECONSTRAINT);
	d->reset(ins);

	size_t n = 0;
	d->bind_text(sel, 1, "one", 3);
	d->bind_int64(sel, 2, 0);
	rc = d->step(sel);
	const char *v = d->column_text(sel, 0, &n);
	CHECK("select: a row", rc == BK_DB_ROW);
	CHECK("UTF-8 and quotes round-trip", v && n == strlen(utf) && !memcmp(v, utf, n));
	v = d->column_text(sel, 1, &n);
	CHECK("the literal's '?' untouched", v && !strcmp(v, "it's?"));
	CHECK("integer column", d->column_int64(sel, 2) == 1);
	CHECK("then done", d->step(sel) == BK_DB_DONE);
	d->reset(sel);
	d->bind_text(sel, 1, "two", 3);
	d->bind_int64(sel, 2, 0);
	CHECK("NULL read back", d->step(sel) == BK_DB_ROW && d->column_text(sel, 0, NULL) == NULL);
	d->reset(sel);
	d->bind_text(sel, 1, "big", 3);
	d->bind_int64(sel, 2, 0);
	rc = d->step(sel);
	v = d->column_text(sel, 0, &n);
	CHECK("long text read back", rc == BK_DB_ROW && big && v && n == big_n && !memcmp(v, big, n) &&
	      v[n] == '\0');
	CHECK("64-bit integer", d->column_int64(sel, 2) == 9000000000123LL);
	d->reset(sel);
	/* two values longer than the driver's first guess in one row */
	struct bk_stmt *two = NULL;
	CHECK("prepare two long columns",
	      d->prepare(db, "SELECT v, k, v FROM bk_t WHERE k = 'big'", &two) == BK_DB_OK);
	if (two) {
		size_t n0 = 0, n2 = 0;
		rc = d->step(two);
		const char *v0 = d->column_text(two, 0, &n0);
		const char *v2 = d->column_text(two, 2, &n2);
		CHECK("two long columns read back", rc == BK_DB_ROW && big && v0 && v2 &&
		      n0 == big_n && n2 == big_n && !memcmp(v0, big, n0) && !memcmp(v2, big, n2));
		d->finalize(two);
	}
	d->bind_text(sel, 1, "nothing", 7);
	d->bind_int64(sel, 2, 0);
	CHECK("no row", d->step(sel) == BK_DB_DONE);
	d->reset(sel);
	free(big);

	/* rows read while another statement writes (to another table: what
	 * SQLite's reader sees of its own table's new rows is undefined;
	 * bounded, so that a driver that loops fails the check instead of
	 * filling the disk) */
	struct bk_stmt *ins2 = NULL;
	CHECK("prepare insert 2",
	      d->prepare(db, "INSERT INTO bk_lock (id, n) VALUES (?, ?)", &ins2) == BK_DB_OK);
	int rows = 0, wrote = ins2 != NULL;
	while (ins2 && rows < 100 && (rc = d->step(all)) == BK_DB_ROW) {
		long long id = d->column_int64(all, 0);
		d->reset(ins2);
		d->bind_int64(ins2, 1, id);
		d->bind_int64(ins2, 2, id * 2);
		wrote &= d->step(ins2) == BK_DB_DONE;
		rows++;
	}
	CHECK("rows read while inserting", rc == BK_DB_DONE && rows == 3 && wrote);
	d->finalize(ins2);
	d->reset(all);
	rows = 0;
	while (d->step(all) == BK_DB_ROW)
		rows++;
	CHECK("statement run again", rows == 3);
	d->reset(all);
	for (long long id = 101; id <= 103; id++) {
		d->reset(ins);
		d->bind_int64(ins, 1, id);
		char k[32];
		int kn = snprintf(k, sizeof(k), "k%lld", id);
		d->bind_text(ins, 2, k, (size_t)kn);
		d->bind_null(ins, 3);
		d->step(ins);
	}

	/* affected rows: matched, as SQLite and PostgreSQL count them */
	struct bk_stmt *up = NULL;
	CHECK("prepare update", d->prepare(db, "UPDATE bk_t SET v = ? WHERE id >= ? AND id < 1000", &up) == BK_DB_OK);
	if (up) {
		d->bind_text(up, 1, "same", 4);
		d->bind_int64(up, 2, 100);
		CHECK("update 3 rows", d->step(up) == BK_DB_DONE && d->changes(up) == 3);
		d->reset(up);
		d->bind_text(up, 1, "same", 4);
		d->bind_int64(up, 2, 100);
		CHECK("same values again: 3 matched", d->step(up) == BK_DB_DONE && d->changes(up) == 3);
		d->finalize(up);
	}

	/* transactions */
	CHECK("begin", d->begin(db) == BK_DB_OK);
	d->reset(ins);
	d->bind_int64(ins, 1, 50);
	d->bind_text(ins, 2, "rolled", 6);
	d->bind_null(ins, 3);
	CHECK("insert in a transaction", d->step(ins) == BK_DB_DONE);
	CHECK("rollback", d->rollback(db) == BK_DB_OK);
	CHECK("rolled back", count(d, db, "SELECT COUNT(*) FROM bk_t") == 6);
	CHECK("begin 2", d->begin(db) == BK_DB_OK);
	d->reset(ins);
	CHECK("insert 2", d->step(ins) == BK_DB_DONE);
	CHECK("commit", d->commit(db) == BK_DB_OK);
	CHECK("committed", count(d, db, "SELECT COUNT(*) FROM bk_t") == 7);
	CHECK("rollback outside a transaction", d->rollback(db) == BK_DB_OK);

	/* errors */
	struct bk_stmt *bad = NULL;
	rc = d->prepare(db, "SELECT nothing FROM no_such_table WHERE x = ?", &bad);
	CHECK("bad SQL: permanent", rc == BK_DB_EPERMANENT);
	CHECK("bad SQL: a message", d->errmsg(db)[0] != '\0');
	if (rc == BK_DB_OK)
		d->finalize(bad);
	CHECK("still usable", count(d, db, "SELECT COUNT(*) FROM bk_t") == 7);
	if (d->dialect != BK_DIALECT_SQLITE) {
		lock_wait(d, db, url);
		down(d);
	}
	run(d, db, "DROP TABLE bk_t");
	run(d, db, "DROP TABLE bk_lock");
done:
	d->finalize(ins);
	d->finalize(sel);
	d->finalize(all);
	d->close(db);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: dbdriver-test URL...\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++)
		one(argv[i]);
	printf("dbdriver: %d passed, %d failed\n", pass, fail);
	return fail != 0;
}
