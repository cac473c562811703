/* SPDX-License-Identifier: BSD-2-Clause */
/* internal.h - shared by the store core's sources (not public). */
#ifndef BK_STORE_INTERNAL_H
#define BK_STORE_INTERNAL_H

#include "driver.h"
#include "store.h"

/* How an event counts under the policy. */
enum ev_class { C_IGNORE, C_DELIVERED, C_SOFT, C_HARD, C_COMPLAINT, C_SENDER };

/* One batch record: a copy of the record, its key and address. */
struct brec {
	struct bk_record r;
	char key[33];
	char addr[321];
	char scope[256];
	const char *channel;
	const char *provider_class;	/* NULL, or a provider's own class (JSON) */
	char *mem;		/* the copied strings */
	bool fresh;		/* inserted (not a duplicate) */
	char jkey[33];		/* the join key (MTA host, queue id, recipient) or "" */
	char mkey[33];		/* the message key (Message-ID, recipient) or "" */
	const struct brec *keys_of;	/* batch.c: the record whose join keys
					 * the row is stored with (NULL: its own) */
	bool upgraded;		/* it replaced the stored event of its join */
	bool made_final;	/* ... which was a deferral */
};

/* Deliveries counted from a delivery log, per day, destination and
 * sender domain, written with the next batch. */
struct deliv {
	int64_t day;
	char dest[256], sdom[256];
	long long n;
};

/* A delivery log (bk_store_log_source): its key, how many of its lines
 * are counted in the store (committed) and read (to write with the next
 * batch); stored: the store's count under the batch's lock, next: what
 * the batch writes (both for the try at hand). */
struct lsrc {
	char key[33];
	char name[256];
	unsigned long long counted, read, stored, next;
};

/* A delivery of a log's line in the batch: deliv[di] counts it unless
 * the line was counted before (by another writer meanwhile). */
struct dline {
	uint32_t di, src;
	unsigned long long line;
};

#define MAX_SOFT_DAYS 64

/* The address state as the fold sees it. */
struct fstate {
	struct bk_addr_state s;
	char last_key[40];
	int64_t last_ts;	/* of the last folded item (event or override) */
	int64_t days[MAX_SOFT_DAYS];
	unsigned ndays;
	bool exists;		/* a row is stored */
};

/* An item of the fold: an event or a manual change. */
struct fitem {
	int64_t ts;
	char key[40];
	int cls;		/* enum ev_class, for events */
	int action;		/* 0 event, 1 suppress, 2 unsuppress, 3 forced */
	char reason[32], status[16];
};

struct allow_list {
	char **v;
	size_t n;
};

enum {
	S_INS_EVENT, S_SEL_STATE, S_SEL_PLAIN, S_INS_STATE, S_UPD_STATE, S_ENSURE_STATE,
	S_SEL_JOIN, S_UPD_JOIN, S_ENRICH_JOIN, S_ADD_DELIV, S_SEL_MJOIN, S_ENRICH_MJOIN,
	S_DATA_VERSION,	/* bk_store_read_begin... */
	S_SEL_VIEW, S_SEL_RECENT,	/* bk_store_address_view */
	S_STALE_RECENT, S_SEL_RECENT_KEYS,	/* the recent events kept (SQLite) */
	S_INS_LOG, S_SEL_LOG, S_UPD_LOG,	/* delivery logs */
	S_MAX
};

struct bk_store {
	const struct bk_db_driver *drv;
	struct bk_db *db;
	struct bk_policy pol;
	struct bk_stmt *stmt[S_MAX];
	struct brec *batch;
	size_t nbatch, capbatch, batch_size;
	struct bk_ingest_stats stats;
	struct deliv *deliv;
	size_t ndeliv, capdeliv;
	struct lsrc *lsrc;
	size_t nlsrc, caplsrc;
	struct dline *dline;
	size_t ndline, capdline;
	unsigned long long deliv_skipped;	/* by the try at hand */
	struct allow_list allow;
	bool policy_given;	/* the caller gave one (else: the stored one) */
	bool policy_differs;	/* ... and it is not the stored one */
	char url_kind[16];
	int multirow;		/* 0 not known yet, 1 multi-row batches, -1 not */
	struct bk_batchmem *bm;	/* batch.c's statements and memory */
	bool reading;		/* inside bk_store_read_begin/end */
	long long allow_version;	/* the data version allow was read at */
	long long read_version;	/* the data version of the read at hand */
	char *recent;		/* bk_store_address_view: the recent events */
	size_t recent_cap;	/* ... unpacked, each column NUL-ended */
	char *pack;		/* state_save: the recent events packed */
	size_t pack_cap;
	/* state_load (to write, SQLite): the global row's recent events, for
	 * state_save; and the batch's group and time the events were
	 * written at (write_batch) */
	struct recent *old;
	bool old_ok;
	char old_addr[321];
	const struct brec *grp;
	size_t ngrp;
	long long batch_now;
};

/* The address state's columns: as state_read_row() reads them, and as
 * state_bind() binds them (STATE_WRITE_COLS: the same, then updated, scope and
 * address). */
#define STATE_READ_COLS \
	"verdict, basis, since_ts, until_ts, first_ts, last_ts, fold_ts," \
	" fold_key, hard, soft, complaint, senderside, delivered, soft_days," \
	" last_reason, last_status, cause"
#define STATE_WRITE_COLS STATE_READ_COLS ", updated, scope, address"
#define STATE_NCOLS 20
/* An event row's columns, as event_bind() binds them. */
#define EVENT_COLS \
	"ikey, address, ts, timezoneoffset, origin, addresser, senderdomain," \
	" recipient, destination, alias, action, deliverystatus, replycode," \
	" reason, diagnosticcode, diagnostictype, command, lhost, rhost," \
	" messageid, listid, subject, feedbacktype, feedbackid, hardbounce," \
	" decodedby, token, catch_json, channel, ingested, provider_class," \
	" timestampsource, jkey, mkey"
#define EVENT_NCOLS 34

/* An address's most recent events, kept with its global state (SQLite,
 * schema 10: addr_state.recent, written by triggers on events and
 * addr_state, docs/store.md), so that GET /v1/addresses reads one row:
 * the RECENT_KEEP most recent events, each its RECENT_COLS, each column
 * as "BYTES:TEXT" (its length in bytes, a colon, its text); '' when the
 * address has none, NULL where not kept (another back end). */
#define RECENT_COLS \
	"id, ikey, channel, ingested, ts, addresser, senderdomain," \
	" recipient, destination, action, deliverystatus, replycode, reason," \
	" diagnosticcode, command, rhost, subject, feedbacktype," \
	" hardbounce, decodedby"
#define RECENT_NCOLS 20
#define RECENT_KEEP 20
#define RECENT_KEEP_S "20"
#define RP_(c) "length(CAST(" c " AS BLOB))||':'||" c
#define RECENT_PACK \
	RP_("id") "||" RP_("ikey") "||" RP_("channel") "||" RP_("ingested") "||" \
	RP_("ts") "||" RP_("addresser") "||" RP_("senderdomain") "||" \
	RP_("recipient") "||" RP_("destination") "||" RP_("action") "||" \
	RP_("deliverystatus") "||" RP_("replycode") "||" RP_("reason") "||" \
	RP_("diagnosticcode") "||" RP_("command") "||" RP_("rhost") "||" \
	RP_("subject") "||" RP_("feedbacktype") "||" RP_("hardbounce") "||" \
	RP_("decodedby")
/* Recent events unpacked (query.c: recent_unpack): t[e][c] the text of
 * column c of event e (NUL-ended, in the store's buffer), len its length;
 * v[e] the integers (id, ingested, ts, hardbounce); most recent first. */
struct recent {
	size_t n;
	const char *t[RECENT_KEEP][RECENT_NCOLS];
	size_t len[RECENT_KEEP][RECENT_NCOLS];
	int64_t v[RECENT_KEEP][4];
};
/* the packed recent events of the address the SQL expression X gives */
#define RECENT_OF(x) \
	"(SELECT ifnull(group_concat(p, ''), '') FROM (SELECT " RECENT_PACK \
	" AS p FROM events WHERE address = " x \
	" ORDER BY ts DESC, ikey DESC LIMIT " RECENT_KEEP_S "))"

/* store.c */
int st_fail(struct bk_store *st, int dbrc, struct bk_store_err *err,
	    const char *what);
int st_errf(struct bk_store_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
char *st_sql(const struct bk_store *st, const char *tmpl);
int st_prepare(struct bk_store *st, const char *tmpl, struct bk_stmt **out,
	       struct bk_store_err *err);
int st_bind_str(struct bk_store *st, struct bk_stmt *s, int i, const char *v);
void st_copy(char *dst, size_t n, const char *src);
int st_load_allow(struct bk_store *st, struct bk_store_err *err);
bool st_allowed(const struct bk_store *st, const char *addr);
int st_require_schema(struct bk_store *st, struct bk_store_err *err);
int st_save_policy(struct bk_store *st, struct bk_store_err *err);

/* query.c */
bool recent_unpack(struct bk_store *st, const char *src, size_t len,
		   struct recent *r);
int st_prepare_recent(struct bk_store *st, struct bk_store_err *err);

/* ingest.c */
int ev_classify(const struct bk_policy *p, const char *reason,
		const char *status, bool hardflag, const char *command,
		const char *diag, const char *addresser,
		const char *feedbacktype);
void fold(const struct bk_policy *p, struct fstate *f,
	  const struct fitem *it);
void fold_reset(struct fstate *f, const char *scope, const char *addr);
int state_load(struct bk_store *st, const char *scope, const char *addr,
	       struct fstate *f, bool lock, struct bk_store_err *err);
int state_save(struct bk_store *st, struct fstate *f,
	       struct bk_store_err *err);
void state_read_row(struct bk_store *st, struct bk_stmt *s, struct fstate *f);
void state_bind(struct bk_store *st, struct bk_stmt *s, int base,
		const struct fstate *f, long long now);
size_t group_end(const struct bk_store *st, size_t i, bool *any);
int group_fold(struct bk_store *st, size_t i, size_t j, struct fstate *f,
	       long long now, int *newly, struct bk_store_err *err);
void event_bind(struct bk_store *st, struct bk_stmt *s, int base,
		const struct brec *b, long long now);

/* batch.c: the batch written with a few multi-row statements (PostgreSQL,
 * MariaDB: INSERT ... RETURNING) */
#define MSTMT_CACHE 12
bool st_multirow(struct bk_store *st);
void batch_free(struct bk_store *st);
/* ingest.c: the events of a batch a statement each (joined_only: only the
 * records with a join key), and the pending delivery counts; both inside
 * the caller's transaction. */
int write_events_single(struct bk_store *st, bool joined_only, long long now,
			unsigned long long *fresh, struct bk_store_err *err);
/* One record of the batch by itself (inserted, else joined; join_first:
 * its join looked up first), inside the caller's transaction; *fresh
 * counts a new event. */
int write_event_one(struct bk_store *st, struct brec *b, long long now,
		    bool join_first, unsigned long long *fresh,
		    struct bk_store_err *err);
/* A record's join is better than the stored one's (final over a deferral,
 * then the least content key). */
bool join_better(const struct brec *b, bool was_final, const char *oldkey);
int write_deliveries(struct bk_store *st, struct bk_store_err *err);
int write_batch_multi(struct bk_store *st, unsigned long long *fresh,
		      unsigned long long *newly, struct bk_store_err *err);
int state_rebuild(struct bk_store *st, const char *scope, const char *addr,
		  struct fstate *f, struct bk_store_err *err);
void finish_allow(const struct bk_store *st, struct fstate *f);

#endif
