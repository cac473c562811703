/* SPDX-License-Identifier: BSD-2-Clause */
/* dbceiling.c - the ceiling beside `bouncekit ingest` into MariaDB or
 * PostgreSQL (bench/storedb.sh): the database alone doing N event inserts
 * (a unique text key, the main columns of a record, an index by address),
 * each with an address state upsert, through the same drivers
 * (store/driver.h: prepared statements, one round trip a statement), in
 * transactions of BATCH (default 5000): first a row per statement, then
 * 200 rows per statement (multi-row INSERT and upsert, as store/batch.c
 * writes a batch).  No decoding, no policy, no reads: what the server and
 * the socket allow for this pattern of writes.
 *
 * usage: dbceiling URL N [BATCH]
 * Prints a line "ceiling NAME, K rows a statement: ... R bounces/s (wall),
 * client CPU C s, T round trips a bounce" for each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "store/driver.h"

#define ROWS 200

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static const struct bk_db_driver *drv;
static struct bk_db *db;

static void
must(int rc, const char *what)
{
	if (rc < 0) {
		fprintf(stderr, "dbceiling: %s: %s\n", what, drv->errmsg(db));
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: dbceiling URL N [BATCH]\n");
		return 2;
	}
	const char *url = argv[1];
	long n = atol(argv[2]), batch = argc > 3 ? atol(argv[3]) : 5000;
	if (!strncmp(url, "mysql:", 6))
		drv = &bk_driver_mysql;
	else if (!strncmp(url, "postgres", 8))
		drv = &bk_driver_pg;
	else {
		fprintf(stderr, "dbceiling: %s: a mysql:// or postgresql:// URL\n", url);
		return 2;
	}
	char err[512];
	if (drv->open(&db, url, err, sizeof(err)) < 0) {
		fprintf(stderr, "dbceiling: %s\n", err);
		return 1;
	}
	int my = drv->dialect == BK_DIALECT_MYSQL;
	const char *opts = my ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : "";
	char sql[1024];
	must(drv->exec(db, "DROP TABLE IF EXISTS ceil_events"), "drop");
	must(drv->exec(db, "DROP TABLE IF EXISTS ceil_state"), "drop");
	snprintf(sql, sizeof(sql),
		 "CREATE TABLE ceil_events (id %s, ikey VARCHAR(40) NOT NULL UNIQUE,"
		 " address VARCHAR(320) NOT NULL, ts BIGINT NOT NULL, reason VARCHAR(32) NOT NULL,"
		 " status VARCHAR(16) NOT NULL, diag %s NOT NULL)%s",
		 my ? "BIGINT AUTO_INCREMENT PRIMARY KEY" : "BIGSERIAL PRIMARY KEY",
		 my ? "MEDIUMTEXT" : "TEXT", opts);
	must(drv->exec(db, sql), "create events");
	must(drv->exec(db, "CREATE INDEX ceil_events_address ON ceil_events (address)"), "index");
	snprintf(sql, sizeof(sql),
		 "CREATE TABLE ceil_state (scope VARCHAR(255) NOT NULL, address VARCHAR(320) NOT NULL,"
		 " hard BIGINT NOT NULL, soft BIGINT NOT NULL, last_ts BIGINT NOT NULL,"
		 " verdict VARCHAR(16) NOT NULL, PRIMARY KEY (scope, address))%s", opts);
	must(drv->exec(db, sql), "create state");

	static const char diag[] = "550 5.1.1 <user@example.org>: Recipient address rejected: "
				   "User unknown in virtual mailbox table";
	/* rows per statement: 1 (a round trip per statement, as the
	 * statement-per-row path), then ROWS (as store/batch.c) */
	for (int pass = 0; pass < 2; pass++) {
		long per = pass ? ROWS : 1;
		if (pass) {
			must(drv->exec(db, "DELETE FROM ceil_events"), "empty");
			must(drv->exec(db, "DELETE FROM ceil_state"), "empty");
		}
		struct bk_stmt *ins, *up;
		size_t cap = 1024 + (size_t)per * 64;
		char *q = malloc(cap);
		if (!q)
			return 1;
		size_t k = (size_t)sprintf(q, "INSERT INTO ceil_events (ikey, address, ts, reason, status, diag) VALUES ");
		for (long r = 0; r < per; r++)
			k += (size_t)sprintf(q + k, "%s(?, ?, ?, ?, ?, ?)", r ? ", " : "");
		must(drv->prepare(db, q, &ins), "prepare insert");
		k = (size_t)sprintf(q, "INSERT INTO ceil_state (scope, address, hard, soft, last_ts, verdict) VALUES ");
		for (long r = 0; r < per; r++)
			k += (size_t)sprintf(q + k, "%s('', ?, ?, ?, ?, ?)", r ? ", " : "");
		sprintf(q + k, "%s", my
			? " ON DUPLICATE KEY UPDATE hard = hard + VALUES(hard),"
			  " soft = soft + VALUES(soft), last_ts = VALUES(last_ts), verdict = VALUES(verdict)"
			: " ON CONFLICT (scope, address) DO UPDATE SET"
			  " hard = ceil_state.hard + EXCLUDED.hard, soft = ceil_state.soft + EXCLUDED.soft,"
			  " last_ts = EXCLUDED.last_ts, verdict = EXCLUDED.verdict");
		must(drv->prepare(db, q, &up), "prepare upsert");
		free(q);
		double t0 = now_s(), c0 = cpu_s();
		long stmts = 0;
		for (long i = 0; i < n; i += per) {
			if (i % batch == 0) {
				if (i)
					must(drv->commit(db), "commit");
				must(drv->begin(db), "begin");
			}
			drv->reset(ins);
			drv->reset(up);
			for (long r = 0; r < per; r++) {
				long x = i + r < n ? i + r : n - 1;	/* the tail: the last row again (an upsert) */
				char key[41], addr[64];
				int kn = snprintf(key, sizeof(key), "%040lx", (unsigned long)(i + r) * 2654435761UL);
				int an = snprintf(addr, sizeof(addr), "user%ld@example%ld.org", x, x % 1000);
				int b = (int)r * 6;
				drv->bind_text(ins, b + 1, key, (size_t)kn);
				drv->bind_text(ins, b + 2, addr, (size_t)an);
				drv->bind_int64(ins, b + 3, 1700000000 + x);
				drv->bind_text(ins, b + 4, x % 3 ? "userunknown" : "mailboxfull", 11);
				drv->bind_text(ins, b + 5, "5.1.1", 5);
				drv->bind_text(ins, b + 6, diag, sizeof(diag) - 1);
				b = (int)r * 5;
				/* one state row per address in a statement */
				char a2[64];
				int a2n = snprintf(a2, sizeof(a2), "user%ld@example%ld.org", i + r, (i + r) % 1000);
				drv->bind_text(up, b + 1, a2, (size_t)a2n);
				drv->bind_int64(up, b + 2, x % 3 ? 1 : 0);
				drv->bind_int64(up, b + 3, x % 3 ? 0 : 1);
				drv->bind_int64(up, b + 4, 1700000000 + x);
				drv->bind_text(up, b + 5, x % 3 ? "suppressed" : "ok", x % 3 ? 10 : 2);
			}
			must(drv->step(ins), "insert");
			must(drv->step(up), "upsert");
			stmts += 2;
		}
		must(drv->commit(db), "commit");
		double t = now_s() - t0, c = cpu_s() - c0;
		printf("ceiling %s, %ld row%s a statement: %ld event inserts + state upserts in %.2f s:"
		       " %.0f bounces/s (wall), client CPU %.2f s, %.3f round trips a bounce\n",
		       drv->name, per, per > 1 ? "s" : "", n, t, (double)n / t, c,
		       (double)(stmts + 2 * ((n + batch - 1) / batch)) / (double)n);
		fflush(stdout);
		drv->finalize(ins);
		drv->finalize(up);
	}
	drv->exec(db, "DROP TABLE ceil_events");
	drv->exec(db, "DROP TABLE ceil_state");
	drv->close(db);
	return 0;
}
