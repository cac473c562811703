/* SPDX-License-Identifier: BSD-2-Clause */
/* dbceiling.c - the ceiling beside `bouncekit ingest` into MariaDB or
 * PostgreSQL (bench/storedb.sh): the database alone doing N event inserts
 * (a unique text key, the main columns of a record, an index by address),
 * each with an address state upsert, through the same drivers
 * (store/driver.h: prepared statements, one round trip a statement), in
 * transactions of BATCH (default 5000).  No decoding, no policy, no reads:
 * what the server and the socket allow for this pattern of writes.
 *
 * usage: dbceiling URL N [BATCH]
 * Prints "ceiling NAME: N rows in S s: R bounces/s (wall), client CPU C s". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "store/driver.h"

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

	struct bk_stmt *ins, *up;
	must(drv->prepare(db, "INSERT INTO ceil_events (ikey, address, ts, reason, status, diag)"
			      " VALUES (?, ?, ?, ?, ?, ?)", &ins), "prepare insert");
	must(drv->prepare(db, my
		? "INSERT INTO ceil_state (scope, address, hard, soft, last_ts, verdict)"
		  " VALUES ('', ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE hard = hard + VALUES(hard),"
		  " soft = soft + VALUES(soft), last_ts = VALUES(last_ts), verdict = VALUES(verdict)"
		: "INSERT INTO ceil_state (scope, address, hard, soft, last_ts, verdict)"
		  " VALUES ('', ?, ?, ?, ?, ?) ON CONFLICT (scope, address) DO UPDATE SET"
		  " hard = ceil_state.hard + EXCLUDED.hard, soft = ceil_state.soft + EXCLUDED.soft,"
		  " last_ts = EXCLUDED.last_ts, verdict = EXCLUDED.verdict", &up), "prepare upsert");

	static const char diag[] = "550 5.1.1 <user@example.org>: Recipient address rejected: "
				   "User unknown in virtual mailbox table";
	double t0 = now_s(), c0 = cpu_s();
	for (long i = 0; i < n; i++) {
		if (i % batch == 0) {
			if (i)
				must(drv->commit(db), "commit");
			must(drv->begin(db), "begin");
		}
		char key[41], addr[64];
		int kn = snprintf(key, sizeof(key), "%040lx", (unsigned long)i * 2654435761UL);
		int an = snprintf(addr, sizeof(addr), "user%ld@example%ld.org", i, i % 1000);
		drv->reset(ins);
		drv->bind_text(ins, 1, key, (size_t)kn);
		drv->bind_text(ins, 2, addr, (size_t)an);
		drv->bind_int64(ins, 3, 1700000000 + i);
		drv->bind_text(ins, 4, i % 3 ? "userunknown" : "mailboxfull", i % 3 ? 11 : 11);
		drv->bind_text(ins, 5, "5.1.1", 5);
		drv->bind_text(ins, 6, diag, sizeof(diag) - 1);
		must(drv->step(ins), "insert");
		drv->reset(up);
		drv->bind_text(up, 1, addr, (size_t)an);
		drv->bind_int64(up, 2, i % 3 ? 1 : 0);
		drv->bind_int64(up, 3, i % 3 ? 0 : 1);
		drv->bind_int64(up, 4, 1700000000 + i);
		drv->bind_text(up, 5, i % 3 ? "suppressed" : "ok", i % 3 ? 10 : 2);
		must(drv->step(up), "upsert");
	}
	must(drv->commit(db), "commit");
	double t = now_s() - t0, c = cpu_s() - c0;
	printf("ceiling %s: %ld event inserts + state upserts in %.2f s: %.0f bounces/s (wall), client CPU %.2f s\n",
	       drv->name, n, t, (double)n / t, c);
	drv->finalize(ins);
	drv->finalize(up);
	drv->exec(db, "DROP TABLE ceil_events");
	drv->exec(db, "DROP TABLE ceil_state");
	drv->close(db);
	return 0;
}
