/* SPDX-License-Identifier: BSD-2-Clause */
/* store.h - the bounce store: every event, every address's state and a
 * suppression verdict, on SQLite, MariaDB/MySQL or PostgreSQL.
 *
 * The public API of store/ for the command line tool and the servers.  The
 * design (schema, idempotency key, policy, error classes) is in
 * docs/store.md.
 *
 * Errors: functions return an enum bk_store_rc (0 or a negative code) and
 * fill an optional struct bk_store_err for people.  BK_STORE_ETEMP is the
 * class callers retry (the database is down, locked or busy; a deadlock):
 * the command line tool exits 75 (EX_TEMPFAIL) on it.
 *
 * A struct bk_store is one connection; use it from one thread at a time. */
#ifndef BK_STORE_H
#define BK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bouncekit/bouncekit.h"

enum bk_store_rc {
	BK_STORE_OK = 0,
	BK_STORE_ETEMP = -1,	/* down, locked, busy, deadlock: retry later */
	BK_STORE_EPERM = -2,	/* bad file, refused login, a bug: not retried */
	BK_STORE_EINVAL = -3,	/* a bad argument (policy key, address...) */
	BK_STORE_ESCHEMA = -4,	/* not initialised, or a newer schema */
	BK_STORE_ENOMEM = -5,
	BK_STORE_EREFUSED = -6,	/* refused by policy (complaint without force) */
};

struct bk_store_err {
	int code;
	char msg[512];
};

/* The schema version this build writes (docs/store.md). */
#define BK_STORE_SCHEMA 10

/* ---- Policy (docs/store.md, bouncekit(1)) ---- */

enum bk_scope { BK_SCOPE_GLOBAL, BK_SCOPE_SENDERDOMAIN };

struct bk_policy {
	unsigned soft_threshold;	/* soft bounces (days) that suppress: 3 */
	int64_t soft_window;		/* within this many seconds: 7 days */
	int64_t retry_period;		/* retry-after lasts: 3 days */
	bool undefined_soft;		/* undefined/onhold count as soft: true */
	bool rejected_senderside;	/* "rejected" naming the sender: true */
	enum bk_scope scope;		/* global */
};

void bk_policy_init(struct bk_policy *p);
/* One KEY=VALUE (soft_threshold=3, soft_window=7d, retry_period=3d,
 * undefined=soft|ignore, rejected=senderside|soft, scope=global|senderdomain).
 * Durations take s, m, h, d suffixes (a bare number is days). */
int bk_policy_set(struct bk_policy *p, const char *kv, struct bk_store_err *err);
/* A file of KEY=VALUE lines; '#' starts a comment. */
int bk_policy_load(struct bk_policy *p, const char *path,
		   struct bk_store_err *err);
/* The policy as KEY=VALUE lines (malloc'd). */
char *bk_policy_text(const struct bk_policy *p);

/* ---- Opening ---- */

struct bk_store;

/* The URL used when none is given: $BOUNCEKIT_DB, else "bouncekit.db". */
const char *bk_store_default_url(void);

enum {
	BK_STORE_OPEN_MIGRATE = 1,	/* create or upgrade the schema */
};
/* Open by URL (a path, sqlite:PATH, mysql://..., postgresql://...).
 * Without BK_STORE_OPEN_MIGRATE an uninitialised or older database gives
 * BK_STORE_ESCHEMA; a newer one always does.  policy NULL: the policy
 * stored with the data (the last `db recompute`'s, or the first ingest's),
 * else the defaults.  A store without a stored policy records the one it
 * is opened with when BK_STORE_OPEN_MIGRATE is given. */
int bk_store_open(struct bk_store **out, const char *url, unsigned flags,
		  const struct bk_policy *policy, struct bk_store_err *err);
void bk_store_close(struct bk_store *st);
const char *bk_store_driver_name(const struct bk_store *st);
/* The policy in use; and whether a policy given to bk_store_open() differs
 * from the one the stored verdicts were derived with (then the caller
 * should say so: `db recompute` re-derives them). */
const struct bk_policy *bk_store_policy(const struct bk_store *st);
bool bk_store_policy_differs(const struct bk_store *st);

/* Apply the migrations up to BK_STORE_SCHEMA in one transaction; *from and
 * *to (may be NULL) get the versions before and after. */
int bk_store_migrate(struct bk_store *st, int *from, int *to,
		     struct bk_store_err *err);

struct bk_store_info {
	int schema;			/* 0: not initialised */
	long long events, addresses, suppressed, retry, allowed, audits;
};
/* Reads the schema version and counts; checks the SQLite file's integrity
 * (quick_check). */
int bk_store_check(struct bk_store *st, struct bk_store_info *info,
		   struct bk_store_err *err);

/* ---- Ingest ---- */

struct bk_ingest_stats {
	unsigned long long records;	/* records offered */
	unsigned long long events_new;	/* stored */
	unsigned long long duplicates;	/* already there: skipped */
	unsigned long long suppressed_new; /* addresses newly suppressed */
	unsigned long long batches;
	unsigned long long statements;	/* run to write them (round trips) */
	unsigned long long upgraded;	/* deferrals made final by a later record */
	unsigned long long deliveries;	/* deliveries counted */
	unsigned long long deliveries_again; /* log lines counted before: skipped */
};

/* Records are copied into the current batch; every batch_size records
 * (default 5000) the batch is written in one transaction (events and
 * address state together).  channel: "file", "pipe", "watch", "lmtp",
 * "log", "webhook".  A failed batch write is retried (transient errors,
 * a few times) and then returned; the batch is then dropped, whole.
 * Records of every channel that report on one message (rec->messageid,
 * a Message-ID) and recipient are one event, as bk_store_add_join's of
 * one join (docs/store.md, the message key). */
int bk_store_add(struct bk_store *st, const struct bk_record *rec,
		 const char *channel, struct bk_store_err *err);
/* As bk_store_add, for a record that one MTA's message (its queue id)
 * gave: join is "HOST QUEUEID" (HOST the first label of the MTA's name,
 * lower case).  Records of one join and recipient are one event
 * (docs/store.md): a deferral stored first is upgraded by the final
 * failure; any other second record is a duplicate that may fill in the
 * event's empty messageid, subject and addresser.  join NULL or "": as
 * bk_store_add. */
int bk_store_add_join(struct bk_store *st, const struct bk_record *rec,
		      const char *channel, const char *join,
		      struct bk_store_err *err);
/* Count one delivery (a delivery log's "status=sent") at time ts for a
 * destination domain and sender domain (may be ""); written with the next
 * batch; bk_store_stats adds them to "delivered" by destination,
 * senderdomain and day. */
int bk_store_add_delivery(struct bk_store *st, int64_t ts,
			  const char *destination, const char *senderdomain,
			  struct bk_store_err *err);
/* A delivery log read into the store (docs/store.md, "Delivery logs"):
 * known by its MTA ("postfix"...) and its first line (first, n bytes
 * without the line end), so that the same log read again (a second
 * `ingest --log`, a restarted `watch --log`, the log read once more
 * after its rotation) does not count its deliveries again, while a new
 * log (rotated: another first line) is counted from its start.
 * *counted: how many of its lines were counted before (0: a new log);
 * *src names it for bk_store_add_delivery_at and bk_store_log_read.
 * name: the file, kept with it for the operator. */
int bk_store_log_source(struct bk_store *st, const char *mta,
			const char *first, size_t n, const char *name, int *src,
			unsigned long long *counted, struct bk_store_err *err);
/* As bk_store_add_delivery, for the delivery of line `line` of log src:
 * not counted when that line was counted before, by this or another
 * writer (checked again inside the batch's transaction).  The batch is
 * written by bk_store_log_read, at the end of the line. */
int bk_store_add_delivery_at(struct bk_store *st, int src,
			     unsigned long long line, int64_t ts,
			     const char *destination, const char *senderdomain,
			     struct bk_store_err *err);
/* Lines 1 to `line` of log src have been read (their records and
 * deliveries given): the log's position, written with the next batch,
 * which is written now when it is full. */
int bk_store_log_read(struct bk_store *st, int src, unsigned long long line,
		      struct bk_store_err *err);
/* As bk_store_add, with what a provider's event adds (hooks/,
 * docs/webhooks.md): its own classification, kept verbatim in the event's
 * provider_class, and an idempotency key of its own (32 hex digits, from
 * the provider's event id) instead of the one made of the record's
 * fields.  x NULL: bk_store_add. */
struct bk_store_addx {
	const char *provider_class;	/* JSON text, or NULL */
	const char *key;		/* 32 hex digits, or NULL */
};
int bk_store_add_x(struct bk_store *st, const struct bk_record *rec,
		   const char *channel, const struct bk_store_addx *x,
		   struct bk_store_err *err);
/* Write what is pending. */
int bk_store_flush(struct bk_store *st, struct bk_store_err *err);
void bk_store_set_batch(struct bk_store *st, size_t batch_size);
const struct bk_ingest_stats *bk_store_stats_ingest(const struct bk_store *st);

/* The idempotency key of a record (docs/store.md): 32 hex digits. */
void bk_store_event_key(const struct bk_record *rec, char out[33]);

/* ---- Verdicts ---- */

struct bk_addr_state {
	char scope[256];
	char address[321];
	char verdict[16];	/* ok, suppressed, retry-after */
	char basis[16];		/* hard, soft, complaint, manual, allowed, "" */
	int64_t since, until;	/* until: retry-after only */
	int64_t first, last;	/* first and last bounce */
	long long hard, soft, complaint, senderside, delivered;
	char last_reason[32], last_status[16];
	char cause[40];		/* the event key (or audit:N) that decided */
	bool known;		/* false: no event, no state */
};

/* The verdict of one address in scope ("" for global) at time now (a
 * retry-after whose until is over is reported as ok).  Returns 1 known,
 * 0 unknown (verdict ok, or allowed), < 0 error. */
int bk_store_query(struct bk_store *st, const char *address, const char *scope,
		   int64_t now, struct bk_addr_state *out,
		   struct bk_store_err *err);

/* A stored event, for evidence and export: fields as struct bk_record, plus
 * its key, channel and ingest time.  Pointers valid during the callback. */
struct bk_event {
	long long id;
	const char *key;
	const char *address;
	const char *channel;
	int64_t ingested;
	const char *provider_class;
	const char *evclass;	/* under the policy: hard, soft, complaint,
				 * senderside, delivered or other */
	struct bk_record rec;
};
typedef int (*bk_event_fn)(void *arg, const struct bk_event *ev);

/* The events of one address: all of them oldest first (limit 0), or the
 * limit most recent ones, newest first. */
int bk_store_address_events(struct bk_store *st, const char *address,
			    size_t limit, bk_event_fn fn, void *arg,
			    struct bk_store_err *err);
/* The verdict of one address (as bk_store_query, global scope) and its
 * limit (>= 1) most recent events, newest first (ts, then key, both
 * descending), read in one read transaction: the API's hot call.  The
 * events given to fn carry id, key, channel, ingested, the class, the
 * address asked (normalised) and, of the record, every field but
 * timezoneoffset, origin, alias, lhost, messageid, listid, feedbackid,
 * token, catch_json, timestampsource and diagnostictype (""/NULL); out's
 * address is the normalised one, known or not.  Returns as
 * bk_store_query (BK_STORE_EINVAL: not an address); fn returning < 0
 * stops it (BK_STORE_EPERM). */
int bk_store_address_view(struct bk_store *st, const char *address, int64_t now,
			  size_t limit, struct bk_addr_state *out, bk_event_fn fn,
			  void *arg, struct bk_store_err *err);
/* Several reads in one read transaction: one snapshot and, on SQLite,
 * one set of file and WAL-index locks instead of one per statement.
 * Returns 1 when one was begun (then bk_store_read_end ends it), 0 when
 * none is needed or possible (MariaDB, PostgreSQL: each statement on its
 * own, as without it; already inside one), < 0 on error.  Nothing may be
 * written between the two. */
int bk_store_read_begin(struct bk_store *st, struct bk_store_err *err);
void bk_store_read_end(struct bk_store *st);
/* Inside bk_store_read_begin/end on SQLite: a number that differs from
 * the one read in an earlier read transaction of this handle when another
 * connection has committed anything in between (PRAGMA data_version, read
 * by bk_store_read_begin as the snapshot starts); 0
 * elsewhere (unknown: assume it changed).  A change also makes the handle
 * read the allow-list again. */
long long bk_store_data_version(struct bk_store *st);
/* Every event, by id. */
int bk_store_export_events(struct bk_store *st, bk_event_fn fn, void *arg,
			   struct bk_store_err *err);
typedef int (*bk_state_fn)(void *arg, const struct bk_addr_state *s);
/* Every address suppressed or in retry-after at time now. */
int bk_store_export_suppressed(struct bk_store *st, int64_t now,
			       bk_state_fn fn, void *arg,
			       struct bk_store_err *err);

/* ---- Paged listings (the HTTP API: keyset paging, filters) ---- */

/* NULL or "" fields and 0 times do not filter. */
struct bk_event_filter {
	const char *address;	/* normalised by the callee */
	const char *domain;	/* the recipient's domain */
	const char *reason;
	const char *evclass;	/* as struct bk_event's evclass */
	const char *channel;
	int64_t since, until;	/* event time: since <= ts < until */
};
/* Events matching f, newest first (by id), with an id below before (0:
 * from the newest), at most limit (1..10000).  *next gets the id to pass
 * as before for the next page, 0 when there is none. */
int bk_store_events_page(struct bk_store *st, const struct bk_event_filter *f,
			 long long before, size_t limit, bk_event_fn fn,
			 void *arg, long long *next, struct bk_store_err *err);

struct bk_supp_filter {
	const char *reason;	/* the last bounce's reason */
	const char *basis;	/* hard, soft, complaint, manual */
	const char *verdict;	/* suppressed or retry-after ("": both) */
	const char *domain;	/* [a-z0-9.-] */
	const char *scope;	/* NULL: any scope; "" the global one */
	int64_t since, until;	/* since <= suppressed since < until */
};
/* The addresses suppressed or in retry-after at time now (an allow-listed
 * one is left out) matching f, by scope and address, after the position
 * (after_scope, after_addr) ("" and "": from the start), at most limit
 * (1..10000).  *more is set when there may be more after the last given. */
int bk_store_suppressions_page(struct bk_store *st,
			       const struct bk_supp_filter *f, int64_t now,
			       const char *after_scope, const char *after_addr,
			       size_t limit, bk_state_fn fn, void *arg,
			       bool *more, struct bk_store_err *err);

/* Address states by verdict at time now (a retry-after past its end counts
 * as ok; allow-listed ones as allowed), for the metrics. */
struct bk_verdict_counts {
	long long ok, suppressed, retry, allowed;
};
int bk_store_verdict_counts(struct bk_store *st, int64_t now,
			    struct bk_verdict_counts *out,
			    struct bk_store_err *err);

/* ---- Statistics ---- */

struct bk_stat_row {
	const char *key;
	long long events, hard, soft, complaint, senderside, delivered, other;
	long long addresses;		/* distinct recipients */
};
typedef int (*bk_stat_fn)(void *arg, const struct bk_stat_row *row);
/* by: "reason", "destination", "senderdomain", "provider", "day", "hour".
 * since/until: event time bounds (0: open).  Rows by event count. */
int bk_store_stats(struct bk_store *st, const char *by, int64_t since,
		   int64_t until, bk_stat_fn fn, void *arg,
		   struct bk_store_err *err);

/* ---- Manual changes (each one written to the audit table) ---- */

/* who: the operator ($USER); reason: free text. */
int bk_store_suppress(struct bk_store *st, const char *address,
		      const char *scope, const char *who, const char *reason,
		      struct bk_store_err *err);
/* Many suppressions in one transaction (a bulk import): each item's rc
 * gets 0, or BK_STORE_EINVAL for an address that is not one (skipped).
 * Returns 0, or < 0 when the transaction failed: then none was applied. */
struct bk_manual_item {
	const char *address, *scope, *reason;
	int rc;
};
int bk_store_suppress_many(struct bk_store *st, struct bk_manual_item *items,
			   size_t n, const char *who, struct bk_store_err *err);
/* A complaint suppression is lifted only with force (else
 * BK_STORE_EREFUSED). */
int bk_store_unsuppress(struct bk_store *st, const char *address,
			const char *scope, bool force, const char *who,
			const char *reason, struct bk_store_err *err);
/* entry: an address, or @domain. */
int bk_store_allow(struct bk_store *st, const char *entry, const char *who,
		   const char *reason, struct bk_store_err *err);
/* Delete events older than now - days; address state is kept.  *deleted
 * gets the count. */
int bk_store_prune(struct bk_store *st, int64_t now, unsigned days,
		   long long *deleted, struct bk_store_err *err);
/* Re-derive every address's state from the events, the audit trail and the
 * store's policy (the one given at open, which is then stored as the
 * store's policy); *addresses gets the count. */
int bk_store_recompute(struct bk_store *st, long long *addresses,
		       struct bk_store_err *err);

/* ---- HTTP API tokens (bouncekit token, docs/api.md) ---- */

/* name: [A-Za-z0-9._-], 1..64; scope: "read" or "write"; hash: the token's
 * SHA-256 in lower-case hex (the token itself is never stored).  A name
 * already there gives BK_STORE_EINVAL. */
int bk_store_token_add(struct bk_store *st, const char *name,
		       const char *scope, const char *hash,
		       struct bk_store_err *err);
struct bk_token_row {
	const char *name, *scope, *hash;
	int64_t created;
};
typedef int (*bk_token_fn)(void *arg, const struct bk_token_row *t);
/* Every token, by name; fn returning non-zero stops (and is returned). */
int bk_store_token_list(struct bk_store *st, bk_token_fn fn, void *arg,
			struct bk_store_err *err);
/* Returns 1 removed, 0 no such name, < 0 error. */
int bk_store_token_revoke(struct bk_store *st, const char *name,
			  struct bk_store_err *err);

/* Lower-case an address (both parts, ASCII) and trim it: the key of the
 * address state.  Returns false when it holds no '@'. */
bool bk_store_normalize(const char *in, char *out, size_t outlen);

#endif
