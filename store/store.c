/* SPDX-License-Identifier: BSD-2-Clause */
/* store.c - opening a store by URL, the schema and its migrations, the
 * policy, the allow-list, and the helpers the other store sources share. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

int
st_errf(struct bk_store_err *err, int code, const char *fmt, ...)
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

int
st_fail(struct bk_store *st, int dbrc, struct bk_store_err *err,
	const char *what)
{
	int code = dbrc == BK_DB_ETRANSIENT ? BK_STORE_ETEMP : BK_STORE_EPERM;
	const char *m = st && st->db ? st->drv->errmsg(st->db) : "";
	return st_errf(err, code, "%s: %s%s", what, m && *m ? m : "database error",
		       code == BK_STORE_ETEMP ? " (temporary: try again later)" : "");
}

void
st_copy(char *dst, size_t n, const char *src)
{
	size_t k = src ? strlen(src) : 0;
	if (k >= n)
		k = n - 1;
	if (k)
		memcpy(dst, src, k);
	dst[k] = '\0';
}

/* The SQL of the store is written once; these tokens take each dialect's
 * type names and clauses. */
static const struct {
	const char *tok;
	const char *v[3];	/* sqlite, mysql, pg */
} tokens[] = {
	{ "{ID}", { "INTEGER PRIMARY KEY", "BIGINT AUTO_INCREMENT PRIMARY KEY",
		    "BIGSERIAL PRIMARY KEY" } },
	{ "{BIG}", { "INTEGER", "BIGINT", "BIGINT" } },
	{ "{STR}", { "TEXT", "VARCHAR(255)", "TEXT" } },
	{ "{ADDR}", { "TEXT", "VARCHAR(320)", "TEXT" } },
	{ "{KEY}", { "TEXT", "VARCHAR(40)", "TEXT" } },
	{ "{TXT}", { "TEXT", "MEDIUMTEXT", "TEXT" } },
	{ "{OPTS}", { "", " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin", "" } },
	{ "{INSERT_IGNORE}", { "INSERT OR IGNORE", "INSERT IGNORE", "INSERT" } },
	{ "{ON_CONFLICT_NOTHING}", { "", "", " ON CONFLICT DO NOTHING" } },
	{ "{FOR_UPDATE}", { "", " FOR UPDATE", " FOR UPDATE" } },
	{ "{DAY}", { "(ts / 86400)", "(ts DIV 86400)", "(ts / 86400)" } },
	{ "{ON_EVENTS}", { "", " ON events", "" } },	/* DROP INDEX ... */
};

char *
st_sql(const struct bk_store *st, const char *tmpl)
{
	size_t cap = strlen(tmpl) * 2 + 256, n = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	int d = (int)st->drv->dialect;
	for (const char *p = tmpl; *p;) {
		const char *rep = NULL;
		size_t toklen = 0;
		if (*p == '{')
			for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
				size_t k = strlen(tokens[i].tok);
				if (!strncmp(p, tokens[i].tok, k)) {
					rep = tokens[i].v[d];
					toklen = k;
					break;
				}
			}
		size_t add = rep ? strlen(rep) : 1;
		if (n + add + 1 > cap) {
			cap = (n + add + 1) * 2;
			char *t = realloc(out, cap);
			if (!t) {
				free(out);
				return NULL;
			}
			out = t;
		}
		if (rep) {
			memcpy(out + n, rep, add);
			p += toklen;
		} else {
			out[n] = *p++;
		}
		n += add;
	}
	out[n] = '\0';
	return out;
}

int
st_prepare(struct bk_store *st, const char *tmpl, struct bk_stmt **out,
	   struct bk_store_err *err)
{
	char *sql = st_sql(st, tmpl);
	if (!sql)
		return st_errf(err, BK_STORE_ENOMEM, "out of memory");
	int rc = st->drv->prepare(st->db, sql, out);
	if (rc < 0) {
		char what[128];
		snprintf(what, sizeof(what), "preparing '%.60s...'", sql);
		free(sql);
		return st_fail(st, rc, err, what);
	}
	free(sql);
	return 0;
}

int
st_bind_str(struct bk_store *st, struct bk_stmt *s, int i, const char *v)
{
	return st->drv->bind_text(s, i, v ? v : "", v ? strlen(v) : 0);
}

static int
exec_tmpl(struct bk_store *st, const char *tmpl, struct bk_store_err *err)
{
	char *sql = st_sql(st, tmpl);
	if (!sql)
		return st_errf(err, BK_STORE_ENOMEM, "out of memory");
	int rc = st->drv->exec(st->db, sql);
	if (rc < 0) {
		char what[128];
		snprintf(what, sizeof(what), "'%.60s...'", sql);
		free(sql);
		return st_fail(st, rc, err, what);
	}
	free(sql);
	return 0;
}

/* ---- Policy ---- */

void
bk_policy_init(struct bk_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->soft_threshold = 3;
	p->soft_window = 7 * 86400;
	p->retry_period = 3 * 86400;
	p->undefined_soft = true;
	p->rejected_senderside = true;
	p->scope = BK_SCOPE_GLOBAL;
}

static bool
parse_duration(const char *v, int64_t *out)
{
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno || end == v || n < 0)
		return false;
	long long mul = 86400;
	if (*end) {
		switch (*end) {
		case 's': mul = 1; break;
		case 'm': mul = 60; break;
		case 'h': mul = 3600; break;
		case 'd': mul = 86400; break;
		case 'w': mul = 7 * 86400; break;
		default: return false;
		}
		if (end[1])
			return false;
	}
	*out = n * mul;
	return true;
}

int
bk_policy_set(struct bk_policy *p, const char *kv, struct bk_store_err *err)
{
	const char *eq = strchr(kv, '=');
	if (!eq)
		return st_errf(err, BK_STORE_EINVAL, "policy '%s': not KEY=VALUE", kv);
	char key[64];
	size_t kn = (size_t)(eq - kv);
	while (kn && isspace((unsigned char)kv[kn - 1]))
		kn--;
	while (kn && isspace((unsigned char)*kv)) {
		kv++;
		kn--;
	}
	if (kn >= sizeof(key))
		return st_errf(err, BK_STORE_EINVAL, "policy: unknown key");
	memcpy(key, kv, kn);
	key[kn] = '\0';
	const char *v = eq + 1;
	while (isspace((unsigned char)*v))
		v++;
	char val[128];
	st_copy(val, sizeof(val), v);
	for (size_t n = strlen(val); n && isspace((unsigned char)val[n - 1]);)
		val[--n] = '\0';
	int64_t d;
	if (!strcmp(key, "soft_threshold")) {
		char *end;
		long n = strtol(val, &end, 10);
		if (*end || end == val || n < 1 || n > MAX_SOFT_DAYS)
			return st_errf(err, BK_STORE_EINVAL,
				       "policy soft_threshold: a number from 1 to %d", MAX_SOFT_DAYS);
		p->soft_threshold = (unsigned)n;
	} else if (!strcmp(key, "soft_window")) {
		if (!parse_duration(val, &d) || d < 1)
			return st_errf(err, BK_STORE_EINVAL, "policy soft_window: a duration (7d, 12h...)");
		p->soft_window = d;
	} else if (!strcmp(key, "retry_period")) {
		if (!parse_duration(val, &d))
			return st_errf(err, BK_STORE_EINVAL, "policy retry_period: a duration (3d, 12h...)");
		p->retry_period = d;
	} else if (!strcmp(key, "undefined")) {
		if (!strcmp(val, "soft"))
			p->undefined_soft = true;
		else if (!strcmp(val, "ignore"))
			p->undefined_soft = false;
		else
			return st_errf(err, BK_STORE_EINVAL, "policy undefined: soft or ignore");
	} else if (!strcmp(key, "rejected")) {
		if (!strcmp(val, "senderside"))
			p->rejected_senderside = true;
		else if (!strcmp(val, "soft"))
			p->rejected_senderside = false;
		else
			return st_errf(err, BK_STORE_EINVAL, "policy rejected: senderside or soft");
	} else if (!strcmp(key, "scope")) {
		if (!strcmp(val, "global"))
			p->scope = BK_SCOPE_GLOBAL;
		else if (!strcmp(val, "senderdomain"))
			p->scope = BK_SCOPE_SENDERDOMAIN;
		else
			return st_errf(err, BK_STORE_EINVAL, "policy scope: global or senderdomain");
	} else {
		return st_errf(err, BK_STORE_EINVAL,
			       "policy: unknown key '%s' (soft_threshold, soft_window, retry_period, undefined, rejected, scope)", key);
	}
	return 0;
}

int
bk_policy_load(struct bk_policy *p, const char *path, struct bk_store_err *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return st_errf(err, BK_STORE_EINVAL, "%s: %s", path, strerror(errno));
	char line[512];
	unsigned no = 0;
	int rc = 0;
	while (fgets(line, sizeof(line), f)) {
		no++;
		char *h = strchr(line, '#');
		if (h)
			*h = '\0';
		char *s = line;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			continue;
		struct bk_store_err e;
		if (bk_policy_set(p, s, &e) < 0) {
			rc = st_errf(err, BK_STORE_EINVAL, "%s:%u: %s", path, no, e.msg);
			break;
		}
	}
	fclose(f);
	return rc;
}

char *
bk_policy_text(const struct bk_policy *p)
{
	char *out = malloc(512);
	if (!out)
		return NULL;
	snprintf(out, 512,
		 "soft_threshold=%u\nsoft_window=%llds\nretry_period=%llds\n"
		 "undefined=%s\nrejected=%s\nscope=%s\n",
		 p->soft_threshold, (long long)p->soft_window,
		 (long long)p->retry_period, p->undefined_soft ? "soft" : "ignore",
		 p->rejected_senderside ? "senderside" : "soft",
		 p->scope == BK_SCOPE_GLOBAL ? "global" : "senderdomain");
	return out;
}

/* ---- Addresses and the allow-list ---- */

bool
bk_store_normalize(const char *in, char *out, size_t outlen)
{
	while (isspace((unsigned char)*in) || *in == '<')
		in++;
	size_t n = strlen(in);
	while (n && (isspace((unsigned char)in[n - 1]) || in[n - 1] == '>'))
		n--;
	if (n == 0 || n >= outlen)
		return false;
	bool at = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == '@')
			at = true;
		if (c < 0x21 || c == 0x7f)
			return false;
		out[i] = (char)tolower(c);
	}
	out[n] = '\0';
	return at && out[0] != '@' && out[n - 1] != '@';
}

static void
allow_free(struct allow_list *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

int
st_load_allow(struct bk_store *st, struct bk_store_err *err)
{
	struct bk_stmt *s;
	int rc = st_prepare(st, "SELECT entry FROM allowlist", &s, err);
	if (rc < 0)
		return rc;
	allow_free(&st->allow);
	size_t cap = 0;
	while ((rc = st->drv->step(s)) == BK_DB_ROW) {
		const char *e = st->drv->column_text(s, 0, NULL);
		if (!e)
			continue;
		if (st->allow.n == cap) {
			cap = cap ? cap * 2 : 16;
			char **t = realloc(st->allow.v, cap * sizeof(*t));
			if (!t) {
				st->drv->finalize(s);
				return st_errf(err, BK_STORE_ENOMEM, "out of memory");
			}
			st->allow.v = t;
		}
		st->allow.v[st->allow.n] = strdup(e);
		if (st->allow.v[st->allow.n])
			st->allow.n++;
	}
	st->drv->finalize(s);
	if (rc < 0)
		return st_fail(st, rc, err, "reading the allow-list");
	return 0;
}

bool
st_allowed(const struct bk_store *st, const char *addr)
{
	const char *dom = strrchr(addr, '@');
	for (size_t i = 0; i < st->allow.n; i++) {
		const char *e = st->allow.v[i];
		if (e[0] == '@' ? dom && !strcmp(e, dom) : !strcmp(e, addr))
			return true;
	}
	return false;
}

/* ---- Schema ---- */

/* addr_state's columns in the order migration 1 made them */
#define ADDR_STATE_COLS \
	"scope, address, verdict, basis, since_ts, until_ts, first_ts, last_ts," \
	" fold_ts, fold_key, hard, soft, complaint, senderside, delivered," \
	" soft_days, last_reason, last_status, cause, updated"

static const char *const migration1[] = {
	"CREATE TABLE schema_version (version INTEGER NOT NULL){OPTS}",
	"CREATE TABLE events ("
	" id {ID}, ikey {KEY} NOT NULL, address {ADDR} NOT NULL,"
	" ts {BIG} NOT NULL, timezoneoffset {STR} NOT NULL, origin {TXT} NOT NULL,"
	" addresser {TXT} NOT NULL, senderdomain {ADDR} NOT NULL,"
	" recipient {TXT} NOT NULL, destination {ADDR} NOT NULL, alias {TXT} NOT NULL,"
	" action {STR} NOT NULL, deliverystatus {STR} NOT NULL, replycode {STR} NOT NULL,"
	" reason {STR} NOT NULL, diagnosticcode {TXT} NOT NULL,"
	" diagnostictype {STR} NOT NULL, command {STR} NOT NULL, lhost {TXT} NOT NULL,"
	" rhost {TXT} NOT NULL, messageid {TXT} NOT NULL, listid {TXT} NOT NULL,"
	" subject {TXT} NOT NULL, feedbacktype {STR} NOT NULL, feedbackid {TXT} NOT NULL,"
	" hardbounce INTEGER NOT NULL, decodedby {STR} NOT NULL, token {STR} NOT NULL,"
	" catch_json {TXT}, channel {STR} NOT NULL, ingested {BIG} NOT NULL,"
	" provider_class {TXT}, UNIQUE (ikey)){OPTS}",
	"CREATE INDEX events_address ON events (address, ts)",
	"CREATE INDEX events_ts ON events (ts)",
	"CREATE TABLE addr_state ("
	" scope {STR} NOT NULL, address {ADDR} NOT NULL, verdict {STR} NOT NULL,"
	" basis {STR} NOT NULL, since_ts {BIG} NOT NULL, until_ts {BIG} NOT NULL,"
	" first_ts {BIG} NOT NULL, last_ts {BIG} NOT NULL, fold_ts {BIG} NOT NULL,"
	" fold_key {KEY} NOT NULL, hard {BIG} NOT NULL, soft {BIG} NOT NULL,"
	" complaint {BIG} NOT NULL, senderside {BIG} NOT NULL, delivered {BIG} NOT NULL,"
	" soft_days {TXT} NOT NULL, last_reason {STR} NOT NULL, last_status {STR} NOT NULL,"
	" cause {KEY} NOT NULL, updated {BIG} NOT NULL,"
	" PRIMARY KEY (scope, address)){OPTS}",
	"CREATE INDEX addr_state_verdict ON addr_state (verdict)",
	"CREATE TABLE audit ("
	" id {ID}, at {BIG} NOT NULL, who {STR} NOT NULL, action {STR} NOT NULL,"
	" scope {STR} NOT NULL, address {ADDR} NOT NULL, reason {TXT} NOT NULL){OPTS}",
	"CREATE INDEX audit_address ON audit (address)",
	"CREATE TABLE allowlist ("
	" entry {ADDR} NOT NULL PRIMARY KEY, at {BIG} NOT NULL, who {STR} NOT NULL,"
	" reason {TXT} NOT NULL){OPTS}",
	"INSERT INTO schema_version (version) VALUES (0)",
	NULL,
};

/* 2: the policy the verdicts were derived with, kept with the data */
static const char *const migration2[] = {
	"CREATE TABLE meta (k {STR} NOT NULL PRIMARY KEY, v {TXT} NOT NULL){OPTS}",
	NULL,
};

/* 3: the HTTP API's tokens (bouncekit token, docs/api.md): SHA-256 of
 * the token in hex, never the token itself */
static const char *const migration3[] = {
	"CREATE TABLE api_tokens (name {STR} NOT NULL PRIMARY KEY,"
	" hash {STR} NOT NULL, scope {STR} NOT NULL, created {BIG} NOT NULL){OPTS}",
	NULL,
};

/* 4: where each event's timestamp came from (bk_record.timestampsource:
 * last-attempt-date, arrival-date, date, mbox...); '' for the events stored
 * before it was kept */
static const char *const migration4[] = {
	"ALTER TABLE events ADD COLUMN timestampsource {STR} NOT NULL DEFAULT ''",
	NULL,
};

/* 5: one failure is one event: the join key of the records an MTA's log
 * and its bounce message give for one queue id and recipient; and the
 * deliveries a delivery log counts (docs/store.md) */
static const char *const migration5[] = {
	"ALTER TABLE events ADD COLUMN jkey {KEY}",
	"CREATE UNIQUE INDEX events_jkey ON events (jkey)",
	"CREATE TABLE deliveries (day {BIG} NOT NULL, destination {ADDR} NOT NULL,"
	" senderdomain {ADDR} NOT NULL, n {BIG} NOT NULL,"
	" PRIMARY KEY (day, destination, senderdomain)){OPTS}",
	NULL,
};

/* 6: an address's most recent events read straight off one index, in
 * the order they are shown (ts, then key: GET /v1/addresses/{address}),
 * with no sort; it replaces (address, ts), its prefix */
static const char *const migration6[] = {
	"CREATE INDEX events_address_ts_ikey ON events (address, ts, ikey)",
	"DROP INDEX events_address{ON_EVENTS}",
	NULL,
};

/* 7: a webhook event and a bounce message for one failure are one event:
 * the message key of a record that knows the original Message-ID
 * (docs/store.md) */
static const char *const migration7[] = {
	"ALTER TABLE events ADD COLUMN mkey {KEY}",
	"CREATE UNIQUE INDEX events_mkey ON events (mkey)",
	NULL,
};

/* 8: how far each delivery log's deliveries are counted: a log is known
 * by the hash of its MTA and first line (docs/store.md) */
static const char *const migration8[] = {
	"CREATE TABLE log_sources (source {KEY} NOT NULL PRIMARY KEY,"
	" name {TXT} NOT NULL, nlines {BIG} NOT NULL, updated {BIG} NOT NULL){OPTS}",
	NULL,
};

/* 9 (SQLite only; a statement that starts "{SQLITE}" is run on SQLite
 * alone): the address states in a table without rowid, clustered on their
 * primary key (scope, address), as InnoDB keeps its tables.  Reading an
 * address's state was two b-tree descents (the key's index, then the row
 * by rowid), now one; and the separate key index is gone.  The table is
 * rebuilt: a copy, the old one dropped, the copy renamed. */
static const char *const migration9[] = {
	"{SQLITE}CREATE TABLE addr_state_new ("
	" scope TEXT NOT NULL, address TEXT NOT NULL, verdict TEXT NOT NULL,"
	" basis TEXT NOT NULL, since_ts INTEGER NOT NULL, until_ts INTEGER NOT NULL,"
	" first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL, fold_ts INTEGER NOT NULL,"
	" fold_key TEXT NOT NULL, hard INTEGER NOT NULL, soft INTEGER NOT NULL,"
	" complaint INTEGER NOT NULL, senderside INTEGER NOT NULL, delivered INTEGER NOT NULL,"
	" soft_days TEXT NOT NULL, last_reason TEXT NOT NULL, last_status TEXT NOT NULL,"
	" cause TEXT NOT NULL, updated INTEGER NOT NULL,"
	" PRIMARY KEY (scope, address)) WITHOUT ROWID",
	"{SQLITE}INSERT INTO addr_state_new SELECT " ADDR_STATE_COLS " FROM addr_state"
	" ORDER BY scope, address",
	"{SQLITE}DROP TABLE addr_state",
	"{SQLITE}ALTER TABLE addr_state_new RENAME TO addr_state",
	"{SQLITE}CREATE INDEX addr_state_verdict ON addr_state (verdict)",
	NULL,
};

/* 10 (SQLite only): an address's most recent events kept packed in its
 * global state row (addr_state.recent, internal.h), so that the API's
 * address call reads one row where it read the state, then the events'
 * index, then each event by id.  Every write of a state row writes them
 * (state_save: the ingest, a manual change, a recompute); triggers keep
 * them where events change otherwise: an event changed in a column they
 * hold (a join's better record) or deleted (prune).  (No trigger on the
 * state's inserts: SQLite runs a trigger's program, and allocates its
 * registers, for every row, whatever its WHEN clause says.)  The events'
 * table stays what every other read uses. */
static const char *const migration10[] = {
	"{SQLITE}ALTER TABLE addr_state ADD COLUMN recent TEXT",
	"{SQLITE}CREATE TRIGGER events_recent_upd AFTER UPDATE OF address, " RECENT_COLS
	" ON events BEGIN"
	" UPDATE addr_state SET recent = " RECENT_OF("OLD.address")
	" WHERE scope = '' AND address = OLD.address;"
	" UPDATE addr_state SET recent = " RECENT_OF("NEW.address")
	" WHERE scope = '' AND address = NEW.address AND NEW.address <> OLD.address; END",
	"{SQLITE}CREATE TRIGGER events_recent_del AFTER DELETE ON events BEGIN"
	" UPDATE addr_state SET recent = " RECENT_OF("OLD.address")
	" WHERE scope = '' AND address = OLD.address; END",
	"{SQLITE}UPDATE addr_state SET recent = " RECENT_OF("addr_state.address")
	" WHERE scope = ''",
	NULL,
};

static const char *const *const migrations[] = { migration1, migration2, migration3,
						 migration4, migration5, migration6,
						 migration7, migration8, migration9,
						 migration10 };

/* 0 when there is no schema_version table. */
static int
read_version(struct bk_store *st, int *version, struct bk_store_err *err)
{
	static const char *const exists[] = {
		"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
		"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'schema_version'",
		"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_version'",
	};
	struct bk_stmt *s;
	int rc = st_prepare(st, exists[st->drv->dialect], &s, err);
	if (rc < 0)
		return rc;
	rc = st->drv->step(s);
	long long n = rc == BK_DB_ROW ? st->drv->column_int64(s, 0) : 0;
	st->drv->finalize(s);
	if (rc < 0)
		return st_fail(st, rc, err, "reading the schema");
	*version = 0;
	if (!n)
		return 0;
	rc = st_prepare(st, "SELECT MAX(version) FROM schema_version", &s, err);
	if (rc < 0)
		return rc;
	rc = st->drv->step(s);
	if (rc == BK_DB_ROW)
		*version = (int)st->drv->column_int64(s, 0);
	st->drv->finalize(s);
	if (rc < 0)
		return st_fail(st, rc, err, "reading the schema version");
	return 0;
}

/* One migration at a time per database, whatever the number of writers
 * opening a new store at once (docs/store.md): SQLite's BEGIN IMMEDIATE
 * is its lock; PostgreSQL takes an advisory lock for the transaction
 * (before it, two writers both found no schema_version and the second's
 * CREATE TABLE failed); MariaDB, whose DDL commits at once, a named lock
 * of the database's own, held until the migration is committed or undone.
 * The version is read again under the lock. */
#define MIGRATE_LOCK_TIMEOUT "60"

/* The first column of a statement's first row (0 when it has none). */
static int
scalar(struct bk_store *st, const char *sql, long long *out,
       const char *what, struct bk_store_err *err)
{
	struct bk_stmt *s;
	int rc = st_prepare(st, sql, &s, err);
	if (rc < 0)
		return rc;
	rc = st->drv->step(s);
	*out = rc == BK_DB_ROW ? st->drv->column_int64(s, 0) : 0;
	st->drv->finalize(s);
	return rc < 0 ? st_fail(st, rc, err, what) : 0;
}

static int
migrate_lock(struct bk_store *st, struct bk_store_err *err)
{
	long long got = 1;
	int rc = 0;
	if (st->drv->dialect == BK_DIALECT_MYSQL) {
		rc = scalar(st, "SELECT GET_LOCK(CONCAT('bouncekit-migrate-', DATABASE()), "
			    MIGRATE_LOCK_TIMEOUT ")", &got, "taking the migration lock", err);
		if (rc == 0 && got != 1)
			rc = st_errf(err, BK_STORE_ETEMP, "another writer has been migrating "
				     "the store for " MIGRATE_LOCK_TIMEOUT " s (temporary: try again later)");
	} else if (st->drv->dialect == BK_DIALECT_PG) {
		/* the key: "bkmigrat" (advisory locks are per database) */
		rc = scalar(st, "SELECT 1 FROM (SELECT pg_advisory_xact_lock(7163365870398071156)) AS l",
			    &got, "taking the migration lock", err);
	}
	return rc;
}

static void
migrate_unlock(struct bk_store *st)
{
	long long got;
	struct bk_store_err e;
	if (st->drv->dialect == BK_DIALECT_MYSQL)
		(void)scalar(st, "SELECT RELEASE_LOCK(CONCAT('bouncekit-migrate-', DATABASE()))",
			     &got, "releasing the migration lock", &e);
}

int
bk_store_migrate(struct bk_store *st, int *from, int *to,
		 struct bk_store_err *err)
{
	int v, rc;
	/* up to date (every open of a store made before): no lock, no
	 * transaction */
	if ((rc = read_version(st, &v, err)) == 0 && v == BK_STORE_SCHEMA) {
		if (from)
			*from = v;
		if (to)
			*to = v;
		return 0;
	}
	if (st->drv->dialect == BK_DIALECT_MYSQL && (rc = migrate_lock(st, err)) < 0)
		return rc;
	rc = st->drv->begin(st->db);
	if (rc < 0) {
		migrate_unlock(st);
		return st_fail(st, rc, err, "starting the migration");
	}
	if (st->drv->dialect == BK_DIALECT_PG && (rc = migrate_lock(st, err)) < 0)
		goto fail;
	rc = read_version(st, &v, err);
	if (rc < 0)
		goto fail;
	if (from)
		*from = v;
	if (v > BK_STORE_SCHEMA) {
		rc = st_errf(err, BK_STORE_ESCHEMA,
			     "the store has schema version %d, newer than this bouncekit's %d: refusing to touch it",
			     v, BK_STORE_SCHEMA);
		goto fail;
	}
	for (int m = v; m < BK_STORE_SCHEMA; m++) {
		for (const char *const *q = migrations[m]; *q; q++) {
			const char *sql = *q;
			if (!strncmp(sql, "{SQLITE}", 8)) {
				if (st->drv->dialect != BK_DIALECT_SQLITE)
					continue;
				sql += 8;
			}
			if ((rc = exec_tmpl(st, sql, err)) < 0)
				goto fail;
		}
		char sql[96];
		snprintf(sql, sizeof(sql), "UPDATE schema_version SET version = %d", m + 1);
		if ((rc = exec_tmpl(st, sql, err)) < 0)
			goto fail;
	}
	rc = st->drv->commit(st->db);
	if (rc < 0) {
		rc = st_fail(st, rc, err, "committing the migration");
		goto fail;
	}
	migrate_unlock(st);
	if (to)
		*to = BK_STORE_SCHEMA;
	return 0;
fail:
	st->drv->rollback(st->db);
	migrate_unlock(st);
	return rc;
}

int
st_require_schema(struct bk_store *st, struct bk_store_err *err)
{
	int v, rc = read_version(st, &v, err);
	if (rc < 0)
		return rc;
	if (v == BK_STORE_SCHEMA)
		return 0;
	if (v == 0)
		return st_errf(err, BK_STORE_ESCHEMA,
			       "the store is not initialised: run 'bouncekit db init'");
	if (v > BK_STORE_SCHEMA)
		return st_errf(err, BK_STORE_ESCHEMA,
			       "the store has schema version %d, newer than this bouncekit's %d",
			       v, BK_STORE_SCHEMA);
	return st_errf(err, BK_STORE_ESCHEMA,
		       "the store has schema version %d: run 'bouncekit db migrate'", v);
}

/* ---- Opening ---- */

const char *
bk_store_default_url(void)
{
	const char *e = getenv("BOUNCEKIT_DB");
	return e && *e ? e : "bouncekit.db";
}

/* Write st->pol as the store's policy (inside the caller's transaction,
 * or on its own). */
int
st_save_policy(struct bk_store *st, struct bk_store_err *err)
{
	char *text = bk_policy_text(&st->pol);
	if (!text)
		return st_errf(err, BK_STORE_ENOMEM, "out of memory");
	struct bk_stmt *s;
	int rc = st_prepare(st, "DELETE FROM meta WHERE k = 'policy'", &s, err);
	if (rc == 0) {
		rc = st->drv->step(s);
		st->drv->finalize(s);
		rc = rc < 0 ? st_fail(st, rc, err, "storing the policy") : 0;
	}
	if (rc == 0 && (rc = st_prepare(st, "INSERT INTO meta (k, v) VALUES ('policy', ?)", &s, err)) == 0) {
		st_bind_str(st, s, 1, text);
		rc = st->drv->step(s);
		st->drv->finalize(s);
		rc = rc < 0 ? st_fail(st, rc, err, "storing the policy") : 0;
	}
	free(text);
	return rc;
}

/* A store's first policy: kept unless a concurrent writer that opened
 * the same new store stored its own first (the caller reads it again). */
static int
record_first_policy(struct bk_store *st, struct bk_store_err *err)
{
	char *text = bk_policy_text(&st->pol);
	if (!text)
		return st_errf(err, BK_STORE_ENOMEM, "out of memory");
	struct bk_stmt *s;
	int rc = st_prepare(st, "{INSERT_IGNORE} INTO meta (k, v) VALUES ('policy', ?)"
			    "{ON_CONFLICT_NOTHING}", &s, err);
	if (rc == 0) {
		st_bind_str(st, s, 1, text);
		rc = st->drv->step(s);
		st->drv->finalize(s);
		rc = rc < 0 ? st_fail(st, rc, err, "storing the policy") : 0;
	}
	free(text);
	return rc;
}

/* The stored policy: used when none is given, compared when one is;
 * record: store the policy when there is none yet. */
static int
load_policy(struct bk_store *st, bool given, bool record, struct bk_store_err *err)
{
	struct bk_stmt *s;
again:;
	int rc = st_prepare(st, "SELECT v FROM meta WHERE k = 'policy'", &s, err);
	if (rc < 0)
		return rc;
	rc = st->drv->step(s);
	char *text = NULL;
	if (rc == BK_DB_ROW) {
		const char *v = st->drv->column_text(s, 0, NULL);
		text = strdup(v ? v : "");
	}
	st->drv->finalize(s);
	if (rc < 0)
		return st_fail(st, rc, err, "reading the policy");
	st->policy_given = given;
	if (!text) {
		if (!record)
			return 0;
		if ((rc = record_first_policy(st, err)) < 0)
			return rc;
		record = false;
		goto again;	/* ours, or the one a concurrent writer stored */
	}
	struct bk_policy stored;
	bk_policy_init(&stored);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		struct bk_store_err e;
		(void)bk_policy_set(&stored, line, &e);	/* unknown keys: a newer writer */
	}
	free(text);
	if (!given) {
		st->pol = stored;
		return 0;
	}
	char *a = bk_policy_text(&stored), *b = bk_policy_text(&st->pol);
	st->policy_differs = a && b && strcmp(a, b) != 0;
	free(a);
	free(b);
	return 0;
}

static const struct bk_db_driver *
pick_driver(const char *url)
{
	if (!strncmp(url, "mysql://", 8) || !strncmp(url, "mariadb://", 10))
#ifdef BK_STORE_MYSQL
		return &bk_driver_mysql;
#else
		return NULL;
#endif
	if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11))
#ifdef BK_STORE_PG
		return &bk_driver_pg;
#else
		return NULL;
#endif
	return &bk_driver_sqlite;
}

/* The file of a SQLite URL, for "does it exist". */
static void
sqlite_path(const char *url, char *out, size_t n)
{
	const char *p = url;
	if (!strncmp(p, "sqlite:", 7)) {
		p += 7;
		if (!strncmp(p, "//", 2))
			p += 2;
	}
	size_t k = strcspn(p, "?");
	if (k >= n)
		k = n - 1;
	memcpy(out, p, k);
	out[k] = '\0';
}

int
bk_store_open(struct bk_store **out, const char *url, unsigned flags,
	      const struct bk_policy *policy, struct bk_store_err *err)
{
	*out = NULL;
	if (!url || !*url)
		url = bk_store_default_url();
	const struct bk_db_driver *drv = pick_driver(url);
	if (!drv)
		return st_errf(err, BK_STORE_EINVAL,
			       "%s: this bouncekit was built without that database driver", url);
	if (drv->dialect == BK_DIALECT_SQLITE && !(flags & BK_STORE_OPEN_MIGRATE)) {
		char path[4096];
		struct stat sb;
		sqlite_path(url, path, sizeof(path));
		if (stat(path, &sb) != 0)
			return st_errf(err, BK_STORE_ESCHEMA,
				       "%s: no store there (run 'bouncekit db init' or 'bouncekit ingest')",
				       path);
	}
	struct bk_store *st = calloc(1, sizeof(*st));
	if (!st)
		return st_errf(err, BK_STORE_ENOMEM, "out of memory");
	st->drv = drv;
	st->batch_size = 5000;
	if (policy)
		st->pol = *policy;
	else
		bk_policy_init(&st->pol);
	char msg[400] = "";
	int rc = drv->open(&st->db, url, msg, sizeof(msg));
	if (rc < 0) {
		free(st);
		return st_errf(err, rc == BK_DB_ETRANSIENT ? BK_STORE_ETEMP : BK_STORE_EPERM,
			       "cannot open the store: %s%s", msg,
			       rc == BK_DB_ETRANSIENT ? " (temporary: try again later)" : "");
	}
	if (flags & BK_STORE_OPEN_MIGRATE)
		rc = bk_store_migrate(st, NULL, NULL, err);
	else
		rc = st_require_schema(st, err);
	if (rc == 0)
		rc = st_load_allow(st, err);
	if (rc == 0)
		rc = load_policy(st, policy != NULL, (flags & BK_STORE_OPEN_MIGRATE) != 0, err);
	if (rc < 0) {
		bk_store_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

const struct bk_policy *
bk_store_policy(const struct bk_store *st)
{
	return &st->pol;
}

bool
bk_store_policy_differs(const struct bk_store *st)
{
	return st->policy_differs;
}

const char *
bk_store_driver_name(const struct bk_store *st)
{
	return st->drv->name;
}

void
bk_store_close(struct bk_store *st)
{
	if (!st)
		return;
	for (int i = 0; i < S_MAX; i++)
		if (st->stmt[i])
			st->drv->finalize(st->stmt[i]);
	batch_free(st);
	for (size_t i = 0; i < st->nbatch; i++)
		free(st->batch[i].mem);
	free(st->batch);
	free(st->deliv);
	free(st->lsrc);
	free(st->dline);
	free(st->recent);
	free(st->pack);
	free(st->old);
	allow_free(&st->allow);
	st->drv->close(st->db);
	free(st);
}

int
bk_store_check(struct bk_store *st, struct bk_store_info *info,
	       struct bk_store_err *err)
{
	memset(info, 0, sizeof(*info));
	int rc = read_version(st, &info->schema, err);
	if (rc < 0)
		return rc;
	if (st->drv->dialect == BK_DIALECT_SQLITE) {
		struct bk_stmt *s;
		if ((rc = st_prepare(st, "PRAGMA quick_check", &s, err)) < 0)
			return rc;
		rc = st->drv->step(s);
		const char *t = rc == BK_DB_ROW ? st->drv->column_text(s, 0, NULL) : NULL;
		if (rc < 0 || !t || strcmp(t, "ok")) {
			rc = st_errf(err, BK_STORE_EPERM, "integrity check failed: %s",
				     t ? t : st->drv->errmsg(st->db));
			st->drv->finalize(s);
			return rc;
		}
		st->drv->finalize(s);
	}
	if (info->schema != BK_STORE_SCHEMA)
		return 0;
	if ((rc = scalar(st, "SELECT COUNT(*) FROM events", &info->events, "counting", err)) < 0 ||
	    (rc = scalar(st, "SELECT COUNT(*) FROM addr_state", &info->addresses, "counting", err)) < 0 ||
	    (rc = scalar(st, "SELECT COUNT(*) FROM addr_state WHERE verdict = 'suppressed'", &info->suppressed, "counting", err)) < 0 ||
	    (rc = scalar(st, "SELECT COUNT(*) FROM addr_state WHERE verdict = 'retry-after'", &info->retry, "counting", err)) < 0 ||
	    (rc = scalar(st, "SELECT COUNT(*) FROM allowlist", &info->allowed, "counting", err)) < 0 ||
	    (rc = scalar(st, "SELECT COUNT(*) FROM audit", &info->audits, "counting", err)) < 0)
		return rc;
	return 0;
}
