/* SPDX-License-Identifier: BSD-2-Clause */
/* storebench.c - the store's side of `make bench` (bench/store.sh strings
 * the modes together; docs/performance.md reads the numbers).
 *
 *   storebench -m N FILE
 *	write an mbox of N distinct RFC 3464 bounces (one recipient each,
 *	every recipient different; hard, soft, sender-side and delivery
 *	reports mixed; dates spread over 30 days).
 *   storebench -c N FILE
 *	the ceiling: SQLite alone, N event inserts (a unique text key, the
 *	record's main columns, an index by address) each with an address
 *	state upsert, prepared statements, WAL, a 64 MiB cache, batches of
 *	5000: rows/s.
 *   storebench -f N FILE LIST
 *	fill the addr_state table of a bouncekit store (made by `bouncekit db
 *	init`) with N addresses in one transaction; write them to LIST.
 *   storebench -l FILE LIST
 *	SQLite's own point-lookup rate: the addresses of LIST looked up in
 *	addr_state with one prepared statement (the columns bouncekit query
 *	reads): lookups/s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "storebench: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
	exit(1);
}

static void
exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(db, sql);
}

static sqlite3 *
open_db(const char *path)
{
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die(db, path);
	exec(db, "PRAGMA journal_mode=WAL");
	exec(db, "PRAGMA synchronous=NORMAL");
	exec(db, "PRAGMA cache_size=-65536");
	return db;
}

static int
make_mbox(long n, const char *out)
{
	FILE *f = fopen(out, "w");
	if (!f) {
		perror(out);
		return 1;
	}
	static const char *const kinds[][4] = {
		{ "5.1.1", "failed", "550 5.1.1 <%s>... User unknown", "" },
		{ "4.2.2", "delayed", "452 4.2.2 <%s>... Mailbox full", "" },
		{ "5.7.1", "failed", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org (%s)", "" },
		{ "5.1.1", "failed", "550 5.1.1 The email account that you tried to reach does not exist (%s)", "" },
		{ "2.0.0", "delivered", "250 2.0.0 OK (%s)", "" },
	};
	time_t base = 1767225600;	/* 2026-01-01 */
	for (long i = 0; i < n; i++) {
		char rcpt[64], diag[256], date[64];
		snprintf(rcpt, sizeof(rcpt), "user%07ld@d%03ld.example.org", i, i % 997);
		const char *const *k = kinds[i % 5];
		snprintf(diag, sizeof(diag), k[2], rcpt);
		time_t t = base + (time_t)(i * 2592000 / (n ? n : 1));
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
		fprintf(f,
			"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n"
			"Date: %s\n"
			"From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.jp>\n"
			"To: <news@example.jp>\n"
			"Message-Id: <dsn-%ld@mx.example.jp>\n"
			"Subject: Delivery Status Notification\n"
			"MIME-Version: 1.0\n"
			"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B%ld\"\n"
			"\n"
			"--B%ld\n"
			"Content-Type: text/plain\n"
			"\n"
			"This is the mail system at host mx.example.jp.\n"
			"Your message could not be delivered to one recipient.\n"
			"\n"
			"--B%ld\n"
			"Content-Type: message/delivery-status\n"
			"\n"
			"Reporting-MTA: dns; mx.example.jp\n"
			"Arrival-Date: %s\n"
			"\n"
			"Final-Recipient: rfc822; %s\n"
			"Action: %s\n"
			"Status: %s\n"
			"Remote-MTA: dns; mx.d%03ld.example.org\n"
			"Diagnostic-Code: smtp; %s\n"
			"Last-Attempt-Date: %s\n"
			"\n"
			"--B%ld\n"
			"Content-Type: text/rfc822-headers\n"
			"\n"
			"From: News <news@example.jp>\n"
			"To: %s\n"
			"Subject: Weekly news %ld\n"
			"Date: %s\n"
			"Message-ID: <news-%ld@example.jp>\n"
			"\n"
			"--B%ld--\n"
			"\n",
			date, i, i, i, i, date, rcpt, k[1], k[0], i % 997, diag, date, i,
			rcpt, i, date, i, i);
	}
	if (fclose(f) != 0) {
		perror(out);
		return 1;
	}
	return 0;
}

static int
ceiling(long n, const char *path)
{
	remove(path);
	sqlite3 *db = open_db(path);
	exec(db, "CREATE TABLE events (id INTEGER PRIMARY KEY, ikey TEXT NOT NULL UNIQUE,"
		 " address TEXT NOT NULL, ts INTEGER NOT NULL, reason TEXT NOT NULL,"
		 " status TEXT NOT NULL, diag TEXT NOT NULL, origin TEXT NOT NULL,"
		 " addresser TEXT NOT NULL, destination TEXT NOT NULL, messageid TEXT NOT NULL,"
		 " ingested INTEGER NOT NULL)");
	exec(db, "CREATE INDEX events_address ON events (address, ts)");
	exec(db, "CREATE TABLE state (scope TEXT NOT NULL, address TEXT NOT NULL,"
		 " verdict TEXT NOT NULL, hard INTEGER NOT NULL, last_ts INTEGER NOT NULL,"
		 " last_reason TEXT NOT NULL, PRIMARY KEY (scope, address))");
	sqlite3_stmt *ins, *up;
	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO events (ikey, address, ts, reason,"
			       " status, diag, origin, addresser, destination, messageid, ingested)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &ins, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO state (scope, address, verdict, hard, last_ts,"
			       " last_reason) VALUES ('', ?, 'suppressed', 1, ?, ?)"
			       " ON CONFLICT (scope, address) DO UPDATE SET hard = hard + 1,"
			       " last_ts = excluded.last_ts, last_reason = excluded.last_reason",
			       -1, &up, NULL))
		die(db, "prepare");
	double t0 = now_s();
	for (long i = 0; i < n; i++) {
		if (i % 5000 == 0) {
			if (i)
				exec(db, "COMMIT");
			exec(db, "BEGIN");
		}
		char key[40], addr[64], diag[128], mid[64];
		snprintf(key, sizeof(key), "%016lx%016lx", (unsigned long)i * 0x9e3779b97f4a7c15UL,
			 (unsigned long)i);
		snprintf(addr, sizeof(addr), "user%07ld@d%03ld.example.org", i, i % 997);
		snprintf(diag, sizeof(diag), "550 5.1.1 <%s>... User unknown", addr);
		snprintf(mid, sizeof(mid), "news-%ld@example.jp", i);
		sqlite3_bind_text(ins, 1, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 2, addr, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 3, 1767225600 + i);
		sqlite3_bind_text(ins, 4, "userunknown", -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 5, "5.1.1", -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 6, diag, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 7, "bench.mbox", -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 8, "news@example.jp", -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 9, addr + 12, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 10, mid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 11, 1767225600);
		if (sqlite3_step(ins) != SQLITE_DONE)
			die(db, "insert");
		sqlite3_reset(ins);
		sqlite3_bind_text(up, 1, addr, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(up, 2, 1767225600 + i);
		sqlite3_bind_text(up, 3, "userunknown", -1, SQLITE_STATIC);
		if (sqlite3_step(up) != SQLITE_DONE)
			die(db, "upsert");
		sqlite3_reset(up);
	}
	exec(db, "COMMIT");
	double dt = now_s() - t0;
	sqlite3_finalize(ins);
	sqlite3_finalize(up);
	sqlite3_close(db);
	double cpu = (double)clock() / CLOCKS_PER_SEC;
	printf("SQLite alone    %.0f event inserts + state upserts/s (%ld in %.2f s wall); CPU %.2f s: %.0f/s on one core\n",
	       (double)n / dt, n, dt, cpu, (double)n / cpu);
	return 0;
}

static int
fill(long n, const char *path, const char *list)
{
	sqlite3 *db = open_db(path);
	FILE *f = fopen(list, "w");
	if (!f) {
		perror(list);
		return 1;
	}
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO addr_state (scope, address, verdict,"
			       " basis, since_ts, until_ts, first_ts, last_ts, fold_ts, fold_key, hard,"
			       " soft, complaint, senderside, delivered, soft_days, last_reason,"
			       " last_status, cause, updated) VALUES ('', ?, ?, ?, ?, ?, ?, ?, ?,"
			       " 'k', ?, ?, 0, 0, 0, '', ?, ?, 'c', 0)", -1, &s, NULL))
		die(db, "prepare");
	exec(db, "BEGIN");
	for (long i = 0; i < n; i++) {
		char addr[64];
		snprintf(addr, sizeof(addr), "user%07ld@d%03ld.example.org", i, i % 997);
		fprintf(f, "%s\n", addr);
		int k = (int)(i % 3);
		sqlite3_bind_text(s, 1, addr, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, k == 0 ? "suppressed" : k == 1 ? "retry-after" : "ok", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, k == 0 ? "hard" : k == 1 ? "soft" : "", -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, 1767225600 + i);
		sqlite3_bind_int64(s, 5, k == 1 ? 4102444800LL : 0);
		sqlite3_bind_int64(s, 6, 1767225600 + i);
		sqlite3_bind_int64(s, 7, 1767225600 + i);
		sqlite3_bind_int64(s, 8, 1767225600 + i);
		sqlite3_bind_int64(s, 9, k == 0);
		sqlite3_bind_int64(s, 10, k == 1 ? 3 : 0);
		sqlite3_bind_text(s, 11, k == 0 ? "userunknown" : "mailboxfull", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 12, k == 0 ? "5.1.1" : "4.2.2", -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			die(db, "insert");
		sqlite3_reset(s);
	}
	exec(db, "COMMIT");
	sqlite3_finalize(s);
	exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3_close(db);
	return fclose(f) != 0;
}

static int
lookups(const char *path, const char *list)
{
	FILE *f = fopen(list, "r");
	if (!f) {
		perror(list);
		return 1;
	}
	size_t n = 0, cap = 0;
	char **v = NULL, line[512];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			char **t = realloc(v, cap * sizeof(*v));
			if (!t) {
				fclose(f);
				return 1;
			}
			v = t;
		}
		v[n++] = strdup(line);
	}
	fclose(f);
	sqlite3 *db = open_db(path);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db,
		"SELECT verdict, basis, since_ts, until_ts, first_ts, last_ts, fold_ts,"
		" fold_key, hard, soft, complaint, senderside, delivered, soft_days,"
		" last_reason, last_status, cause FROM addr_state"
		" WHERE scope = ? AND address = ?", -1, &s, NULL))
		die(db, "prepare");
	long found = 0;
	double t0 = now_s();
	clock_t c0 = clock();
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_text(s, 1, "", 0, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, v[i], -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW) {
			found++;
			(void)sqlite3_column_text(s, 0);
		}
		sqlite3_reset(s);
	}
	double dt = now_s() - t0;
	double cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
	printf("SQLite alone    %.0f point lookups/s (%ld of %zu found, %.2f s wall) CPU %.0f /s\n",
	       (double)n / dt, found, n, dt, (double)n / cpu);
	sqlite3_finalize(s);
	sqlite3_close(db);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "-m"))
		return make_mbox(atol(argv[2]), argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "-c"))
		return ceiling(atol(argv[2]), argv[3]);
	if (argc >= 5 && !strcmp(argv[1], "-f"))
		return fill(atol(argv[2]), argv[3], argv[4]);
	if (argc >= 4 && !strcmp(argv[1], "-l"))
		return lookups(argv[2], argv[3]);
	fprintf(stderr, "usage: storebench -m N FILE | -c N FILE | -f N DB LIST | -l DB LIST\n");
	return 2;
}
