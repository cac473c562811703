/* SPDX-License-Identifier: BSD-2-Clause */
/* ingest.c - batches of records into events and address state, in one
 * transaction per batch; the idempotency key; the policy's fold, which
 * turns an address's events (and manual changes) into its verdict. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* ---- The idempotency key ---- */

struct h2 {
	uint64_t a, b;
};

static void
h2_feed(struct h2 *h, const char *s, bool lower)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		unsigned c = lower ? (unsigned)tolower(*p) : *p;
		h->a = (h->a ^ c) * 0x100000001b3ULL;
		h->b = (h->b ^ c) * 0x9e3779b97f4a7c15ULL;
		h->b ^= h->b >> 29;
	}
	/* a field separator no text holds */
	h->a = (h->a ^ 0x1f) * 0x100000001b3ULL;
	h->b = (h->b ^ 0x1f) * 0x9e3779b97f4a7c15ULL;
	h->b ^= h->b >> 29;
}

static uint64_t
mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The key is made of what the bounce itself says, never of how it came
 * (origin, channel, envelope headers such as Return-Path or Delivered-To,
 * which a second channel may add or change): the recipient, the bounce's
 * date, the status, reply code, action, reason, the original message's
 * Message-ID, the feedback type and the diagnostic text. */
void
bk_store_event_key(const struct bk_record *r, char out[33])
{
	struct h2 h = { 0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL };
	char ts[32];
	snprintf(ts, sizeof(ts), "%lld", (long long)r->timestamp);
	h2_feed(&h, r->recipient, true);
	h2_feed(&h, ts, false);
	h2_feed(&h, r->deliverystatus, false);
	h2_feed(&h, r->replycode, false);
	h2_feed(&h, r->action, false);
	h2_feed(&h, r->reason, false);
	h2_feed(&h, r->messageid, false);
	h2_feed(&h, r->feedbacktype, false);
	h2_feed(&h, r->diagnosticcode, false);
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)mix(h.a),
		 (unsigned long long)mix(h.b ^ h.a));
}

/* ---- Classes ---- */

static bool
is_hard_reason(const char *reason, bool flag)
{
	const struct bk_reason_info *list;
	size_t n = bk_reasons(&list);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i].name, reason))
			return list[i].hard;
	return flag;
}

static bool
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!n)
		return false;
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return false;
}

int
ev_classify(const struct bk_policy *p, const char *reason, const char *status,
	    bool hardflag, const char *command, const char *diag,
	    const char *addresser, const char *feedbacktype)
{
	static const char *const senderside[] = {
		"blocked", "badreputation", "authfailure", "securityerror",
		"requireptr", "notcompliantrfc", "speeding", "toomanyconn",
		"policyviolation", NULL,
	};
	if (!strcmp(reason, "delivered") || !strncmp(status, "2.", 2))
		return C_DELIVERED;
	if (!strcmp(reason, "feedback")) {
		/* ARF: abuse, fraud, virus, other are complaints; not-spam
		 * and authentication reports are not */
		if (!*feedbacktype || !strcmp(feedbacktype, "abuse") ||
		    !strcmp(feedbacktype, "fraud") || !strcmp(feedbacktype, "virus") ||
		    !strcmp(feedbacktype, "other"))
			return C_COMPLAINT;
		return C_IGNORE;
	}
	if (!strcmp(reason, "vacation"))
		return C_IGNORE;
	for (int i = 0; senderside[i]; i++)
		if (!strcmp(reason, senderside[i]))
			return C_SENDER;
	if (!strcmp(reason, "rejected") && p->rejected_senderside &&
	    (!strcasecmp(command, "MAIL") ||
	     (*addresser && contains_ci(diag, addresser)) ||
	     contains_ci(diag, "sender")))
		return C_SENDER;
	if (!strcmp(reason, "undefined") || !strcmp(reason, "onhold") || !*reason)
		return p->undefined_soft ? C_SOFT : C_IGNORE;
	return is_hard_reason(reason, hardflag) ? C_HARD : C_SOFT;
}

/* ---- The fold ---- */

void
fold_reset(struct fstate *f, const char *scope, const char *addr)
{
	bool exists = f->exists;
	memset(f, 0, sizeof(*f));
	f->exists = exists;
	st_copy(f->s.scope, sizeof(f->s.scope), scope);
	st_copy(f->s.address, sizeof(f->s.address), addr);
	strcpy(f->s.verdict, "ok");
	f->last_ts = INT64_MIN;
}

static void
decide(struct fstate *f, const char *verdict, const char *basis, int64_t ts,
       int64_t until, const char *cause)
{
	st_copy(f->s.verdict, sizeof(f->s.verdict), verdict);
	st_copy(f->s.basis, sizeof(f->s.basis), basis);
	f->s.since = ts;
	f->s.until = until;
	st_copy(f->s.cause, sizeof(f->s.cause), cause);
}

/* Events and manual changes in time order make the state: a pure function
 * of them and the policy (docs/store.md). */
void
fold(const struct bk_policy *p, struct fstate *f, const struct fitem *it)
{
	bool complaint = !strcmp(f->s.verdict, "suppressed") &&
			 !strcmp(f->s.basis, "complaint");
	bool suppressed = !strcmp(f->s.verdict, "suppressed");
	/* a retry period over by the time of this item */
	if (!strcmp(f->s.verdict, "retry-after") && f->s.until <= it->ts)
		decide(f, "ok", "", f->s.until, 0, f->s.cause);
	if (it->ts > f->last_ts || (it->ts == f->last_ts && strcmp(it->key, f->last_key) > 0)) {
		f->last_ts = it->ts;
		st_copy(f->last_key, sizeof(f->last_key), it->key);
	}
	if (it->action) {
		if (it->action == 1) {
			if (!complaint)
				decide(f, "suppressed", "manual", it->ts, 0, it->key);
		} else if (!complaint || it->action == 3) {
			decide(f, "ok", "", it->ts, 0, it->key);
			f->ndays = 0;
		}
		return;
	}
	if (it->cls == C_IGNORE)
		return;
	if (!f->s.first || it->ts < f->s.first)
		f->s.first = it->ts;
	if (it->ts >= f->s.last) {
		f->s.last = it->ts;
		st_copy(f->s.last_reason, sizeof(f->s.last_reason), it->reason);
		st_copy(f->s.last_status, sizeof(f->s.last_status), it->status);
	}
	switch (it->cls) {
	case C_DELIVERED:
		f->s.delivered++;
		f->ndays = 0;
		if (!strcmp(f->s.verdict, "retry-after"))
			decide(f, "ok", "", it->ts, 0, it->key);
		break;
	case C_SENDER:
		f->s.senderside++;
		break;
	case C_COMPLAINT:
		f->s.complaint++;
		if (!complaint)
			decide(f, "suppressed", "complaint", it->ts, 0, it->key);
		break;
	case C_HARD:
		f->s.hard++;
		if (!suppressed)
			decide(f, "suppressed", "hard", it->ts, 0, it->key);
		break;
	case C_SOFT: {
		f->s.soft++;
		/* once a day (Mailman's rule), within the window */
		int64_t day = it->ts >= 0 ? it->ts / 86400 : -((-it->ts + 86399) / 86400);
		unsigned k = 0;
		bool seen = false;
		for (unsigned i = 0; i < f->ndays; i++) {
			if ((day - f->days[i]) * 86400 >= p->soft_window)
				continue;	/* out of the window */
			if (f->days[i] == day)
				seen = true;
			f->days[k++] = f->days[i];
		}
		f->ndays = k;
		if (!seen && f->ndays < MAX_SOFT_DAYS)
			f->days[f->ndays++] = day;
		if (f->ndays >= p->soft_threshold && !suppressed) {
			decide(f, "retry-after", "soft", it->ts,
			       it->ts + p->retry_period, it->key);
			f->ndays = 0;
		}
		break;
	}
	}
}

void
finish_allow(const struct bk_store *st, struct fstate *f)
{
	if (st_allowed(st, f->s.address))
		decide(f, "ok", "allowed", f->s.since, 0, f->s.cause);
	else if (!strcmp(f->s.basis, "allowed"))
		f->s.basis[0] = '\0';
}

/* ---- State rows ---- */

static const char sel_state_sql[] =
	"SELECT " STATE_READ_COLS " FROM addr_state WHERE scope = ? AND address = ?";

int
state_load(struct bk_store *st, const char *scope, const char *addr,
	   struct fstate *f, bool lock, struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	int rc;
	f->exists = false;
	fold_reset(f, scope, addr);
	if (lock && d->dialect != BK_DIALECT_SQLITE) {
		/* make the row exist, so that the locking read below waits
		 * for a concurrent writer of the same address */
		if (!st->stmt[S_ENSURE_STATE] &&
		    (rc = st_prepare(st,
			"{INSERT_IGNORE} INTO addr_state (scope, address, verdict, basis,"
			" since_ts, until_ts, first_ts, last_ts, fold_ts, fold_key, hard, soft,"
			" complaint, senderside, delivered, soft_days, last_reason, last_status,"
			" cause, updated) VALUES (?, ?, 'new', '', 0, 0, 0, 0, 0, '', 0, 0, 0, 0,"
			" 0, '', '', '', '', 0){ON_CONFLICT_NOTHING}",
			&st->stmt[S_ENSURE_STATE], err)) < 0)
			return rc;
		struct bk_stmt *e = st->stmt[S_ENSURE_STATE];
		d->reset(e);
		st_bind_str(st, e, 1, scope);
		st_bind_str(st, e, 2, addr);
		if ((rc = d->step(e)) < 0)
			return st_fail(st, rc, err, "locking an address");
	}
	st->old_ok = false;
	/* SQLite, to write: the recent events too (state_save) */
	bool recent = lock && d->dialect == BK_DIALECT_SQLITE;
	int which = lock ? S_SEL_STATE : S_SEL_PLAIN;
	if (!st->stmt[which]) {
		char sql[sizeof(sel_state_sql) + 32];
		if (recent)
			snprintf(sql, sizeof(sql), "SELECT " STATE_READ_COLS ", recent"
				 " FROM addr_state WHERE scope = ? AND address = ?");
		else
			snprintf(sql, sizeof(sql), "%s%s", sel_state_sql, lock ? "{FOR_UPDATE}" : "");
		if ((rc = st_prepare(st, sql, &st->stmt[which], err)) < 0)
			return rc;
	}
	struct bk_stmt *s = st->stmt[which];
	d->reset(s);
	st_bind_str(st, s, 1, scope);
	st_bind_str(st, s, 2, addr);
	rc = d->step(s);
	if (rc < 0)
		return st_fail(st, rc, err, "reading an address's state");
	if (rc != BK_DB_ROW) {
		/* no row: no recent events kept; those the index has are
		 * the batch's, or state_save reads them */
		if (recent && !*scope && (st->old || (st->old = malloc(sizeof(*st->old))))) {
			st->old->n = 0;
			st->old_ok = true;
			st_copy(st->old_addr, sizeof(st->old_addr), addr);
		}
		return 0;
	}
	const char *v = d->column_text(s, 0, NULL);
	f->exists = true;
	if (!v || strcmp(v, "new"))	/* "new": the placeholder of the row lock */
		state_read_row(st, s, f);
	size_t len = 0;
	const char *packed = recent && !*scope ? d->column_text(s, 17, &len) : NULL;
	if (packed && (st->old || (st->old = malloc(sizeof(*st->old))))) {
		st->old_ok = recent_unpack(st, packed, len, st->old);
		st_copy(st->old_addr, sizeof(st->old_addr), addr);
	}
	d->reset(s);
	return 0;
}

/* The columns of sel_state_sql (from 0) into f. */
void
state_read_row(struct bk_store *st, struct bk_stmt *s, struct fstate *f)
{
	const struct bk_db_driver *d = st->drv;
	f->exists = true;
	st_copy(f->s.verdict, sizeof(f->s.verdict), d->column_text(s, 0, NULL));
	st_copy(f->s.basis, sizeof(f->s.basis), d->column_text(s, 1, NULL));
	f->s.since = d->column_int64(s, 2);
	f->s.until = d->column_int64(s, 3);
	f->s.first = d->column_int64(s, 4);
	f->s.last = d->column_int64(s, 5);
	f->last_ts = d->column_int64(s, 6);
	st_copy(f->last_key, sizeof(f->last_key), d->column_text(s, 7, NULL));
	f->s.hard = d->column_int64(s, 8);
	f->s.soft = d->column_int64(s, 9);
	f->s.complaint = d->column_int64(s, 10);
	f->s.senderside = d->column_int64(s, 11);
	f->s.delivered = d->column_int64(s, 12);
	const char *days = d->column_text(s, 13, NULL);
	f->ndays = 0;
	for (const char *p = days ? days : ""; *p && f->ndays < MAX_SOFT_DAYS;) {
		char *end;
		long long x = strtoll(p, &end, 10);
		if (end == p)
			break;
		f->days[f->ndays++] = x;
		p = *end == ',' ? end + 1 : end;
	}
	st_copy(f->s.last_reason, sizeof(f->s.last_reason), d->column_text(s, 14, NULL));
	st_copy(f->s.last_status, sizeof(f->s.last_status), d->column_text(s, 15, NULL));
	st_copy(f->s.cause, sizeof(f->s.cause), d->column_text(s, 16, NULL));
	f->s.known = true;
}

/* f's 20 values bound from parameter base on, in the order of
 * STATE_WRITE_COLS (the key, scope and address, last). */
void
state_bind(struct bk_store *st, struct bk_stmt *s, int base,
	   const struct fstate *f, long long now)
{
	const struct bk_db_driver *d = st->drv;
	char days[MAX_SOFT_DAYS * 21 + 1];
	size_t n = 0;
	days[0] = '\0';
	for (unsigned i = 0; i < f->ndays; i++)
		n += (size_t)snprintf(days + n, sizeof(days) - n, "%s%lld",
				      i ? "," : "", (long long)f->days[i]);
	int b = base;
	st_bind_str(st, s, b++, f->s.verdict);
	st_bind_str(st, s, b++, f->s.basis);
	d->bind_int64(s, b++, f->s.since);
	d->bind_int64(s, b++, f->s.until);
	d->bind_int64(s, b++, f->s.first);
	d->bind_int64(s, b++, f->s.last);
	d->bind_int64(s, b++, f->last_ts == INT64_MIN ? 0 : f->last_ts);
	st_bind_str(st, s, b++, f->last_key);
	d->bind_int64(s, b++, f->s.hard);
	d->bind_int64(s, b++, f->s.soft);
	d->bind_int64(s, b++, f->s.complaint);
	d->bind_int64(s, b++, f->s.senderside);
	d->bind_int64(s, b++, f->s.delivered);
	st_bind_str(st, s, b++, days);
	st_bind_str(st, s, b++, f->s.last_reason);
	st_bind_str(st, s, b++, f->s.last_status);
	st_bind_str(st, s, b++, f->s.cause);
	d->bind_int64(s, b++, now);
	st_bind_str(st, s, b++, f->s.scope);
	st_bind_str(st, s, b++, f->s.address);
}

/* "BYTES:TEXT" of k bytes at t appended to st->pack at *n. */
static bool
pack_col(struct bk_store *st, size_t *n, const char *t, size_t k)
{
	if (*n + k + 24 > st->pack_cap) {
		size_t cap = (*n + k + 24) * 2;
		char *m = realloc(st->pack, cap);
		if (!m)
			return false;
		st->pack = m;
		st->pack_cap = cap;
	}
	char dig[24];
	size_t nd = 0, v = k;
	do
		dig[nd++] = (char)('0' + v % 10);
	while (v /= 10);
	while (nd)
		st->pack[(*n)++] = dig[--nd];
	st->pack[(*n)++] = ':';
	if (k)
		memcpy(st->pack + *n, t, k);
	*n += k;
	return true;
}

/* An integer's column, as SQL's text of it. */
static bool
pack_int(struct bk_store *st, size_t *n, long long v)
{
	char num[24];
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	char *e = num + sizeof(num), *b = e;
	do
		*--b = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--b = '-';
	return pack_col(st, n, b, (size_t)(e - b));
}

static bool
pack_str(struct bk_store *st, size_t *n, const char *t)
{
	return pack_col(st, n, t ? t : "", t ? strlen(t) : 0);
}

/* A record of the batch as it was written (event_bind), id its row. */
static bool
pack_brec(struct bk_store *st, size_t *n, long long id, const struct brec *b)
{
	const struct bk_record *r = &b->r;
	return pack_int(st, n, id) && pack_str(st, n, b->key) &&
	       pack_str(st, n, b->channel) && pack_int(st, n, st->batch_now) &&
	       pack_int(st, n, r->timestamp) && pack_str(st, n, r->addresser) &&
	       pack_str(st, n, r->senderdomain) && pack_str(st, n, r->recipient) &&
	       pack_str(st, n, r->destination) && pack_str(st, n, r->action) &&
	       pack_str(st, n, r->deliverystatus) && pack_str(st, n, r->replycode) &&
	       pack_str(st, n, r->reason) && pack_str(st, n, r->diagnosticcode) &&
	       pack_str(st, n, r->command) && pack_str(st, n, r->rhost) &&
	       pack_str(st, n, r->subject) && pack_str(st, n, r->feedbacktype) &&
	       pack_int(st, n, r->hardbounce ? 1 : 0) && pack_str(st, n, r->decodedby);
}

/* The recent events of an address whose global row state_load read
 * (st->old) packed without reading the events: the keys of the most
 * recent ones off the index alone, each event then taken from the copy
 * read, else from the batch's records inserted now.  1 done, 0 when an
 * event is in neither (the caller reads them all), < 0 an error. */
static int
recent_merge(struct bk_store *st, size_t *len, struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	int rc;
	if (!st->stmt[S_SEL_RECENT_KEYS] &&
	    (rc = st_prepare(st, "SELECT id, ikey FROM events WHERE address = ?"
			     " ORDER BY ts DESC, ikey DESC LIMIT " RECENT_KEEP_S,
			     &st->stmt[S_SEL_RECENT_KEYS], err)) < 0)
		return rc;
	/* a record of the group joined to a stored event may have changed
	 * it (a better record, a webhook's subject) after the copy was
	 * made, or while the address had no row to keep a copy in */
	for (size_t i = 0; i < st->ngrp; i++) {
		const struct brec *b = &st->grp[i];
		if ((b->upgraded || !b->fresh) && (b->jkey[0] || b->mkey[0]))
			return 0;
	}
	struct bk_stmt *s = st->stmt[S_SEL_RECENT_KEYS];
	const struct recent *o = st->old;
	d->reset(s);
	st_bind_str(st, s, 1, st->old_addr);
	size_t n = 0;
	int found = 1;
	while (found && (rc = d->step(s)) == BK_DB_ROW) {
		long long id = d->column_int64(s, 0);
		const char *key = d->column_text(s, 1, NULL);
		found = 0;
		for (size_t e = 0; key && e < o->n && !found; e++) {
			if (o->v[e][0] != id || strcmp(o->t[e][1], key))
				continue;
			found = 1;
			for (int c = 0; c < RECENT_NCOLS && found; c++)
				found = pack_col(st, &n, o->t[e][c], o->len[e][c]) ? 1 : -1;
		}
		for (size_t i = 0; key && i < st->ngrp && !found; i++) {
			const struct brec *b = &st->grp[i];
			if (b->fresh && !b->upgraded && !strcmp(b->key, key))
				found = pack_brec(st, &n, id, b) ? 1 : -1;
		}
	}
	d->reset(s);
	if (found < 0)
		return st_errf(err, BK_STORE_ENOMEM, "out of memory");
	if (rc < 0)
		return st_fail(st, rc, err, "reading an address's recent events");
	*len = n;
	return found;
}

/* SQLite: the recent events of an address (internal.h) packed into
 * st->pack from the events' table (every event of the batch is written
 * by now), for its global state row; *len their length.  The same text
 * the schema's triggers write. */
static int
recent_pack(struct bk_store *st, const char *addr, size_t *len,
	    struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	int rc;
	if ((rc = st_prepare_recent(st, err)) < 0)
		return rc;
	struct bk_stmt *s = st->stmt[S_SEL_RECENT];
	d->reset(s);
	st_bind_str(st, s, 1, addr);
	d->bind_int64(s, 2, RECENT_KEEP);
	size_t n = 0;
	bool ok = true;
	while (ok && (rc = d->step(s)) == BK_DB_ROW) {
		for (int c = 0; c < RECENT_NCOLS && ok; c++) {
			size_t k = 0;
			const char *t;
			if (c == 0 || c == 3 || c == 4 || c == 18)
				/* id, ingested, ts, hardbounce */
				ok = pack_int(st, &n, d->column_int64(s, c));
			else
				ok = (t = d->column_text(s, c, &k)) ? pack_col(st, &n, t, k)
								    : pack_col(st, &n, "", 0);
		}
	}
	if (!ok) {
		d->reset(s);
		return st_errf(err, BK_STORE_ENOMEM, "out of memory");
	}
	d->reset(s);
	if (rc < 0)
		return st_fail(st, rc, err, "reading an address's recent events");
	*len = n;
	return 0;
}

int
state_save(struct bk_store *st, struct fstate *f, struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	int rc;
	/* SQLite: the global row keeps the address's recent events too */
	bool sqlite = d->dialect == BK_DIALECT_SQLITE;
	if (!st->stmt[S_INS_STATE] &&
	    (rc = st_prepare(st, sqlite
		? "INSERT INTO addr_state (" STATE_WRITE_COLS ", recent)"
		  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		: "INSERT INTO addr_state (" STATE_WRITE_COLS ")"
		  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		&st->stmt[S_INS_STATE], err)) < 0)
		return rc;
	if (!st->stmt[S_UPD_STATE] &&
	    (rc = st_prepare(st, sqlite
		? "UPDATE addr_state SET verdict = ?, basis = ?, since_ts = ?, until_ts = ?,"
		  " first_ts = ?, last_ts = ?, fold_ts = ?, fold_key = ?, hard = ?, soft = ?,"
		  " complaint = ?, senderside = ?, delivered = ?, soft_days = ?,"
		  " last_reason = ?, last_status = ?, cause = ?, updated = ?, recent = ?21"
		  " WHERE scope = ?19 AND address = ?20"
		: "UPDATE addr_state SET verdict = ?, basis = ?, since_ts = ?, until_ts = ?,"
		  " first_ts = ?, last_ts = ?, fold_ts = ?, fold_key = ?, hard = ?, soft = ?,"
		  " complaint = ?, senderside = ?, delivered = ?, soft_days = ?,"
		  " last_reason = ?, last_status = ?, cause = ?, updated = ?"
		  " WHERE scope = ? AND address = ?",
		&st->stmt[S_UPD_STATE], err)) < 0)
		return rc;
	struct bk_stmt *s = st->stmt[f->exists ? S_UPD_STATE : S_INS_STATE];
	d->reset(s);
	state_bind(st, s, 1, f, (long long)time(NULL));
	if (sqlite) {
		size_t len = 0;
		if (f->s.scope[0]) {
			/* a sender domain's row keeps none; the address's global
			 * row, if it has one (a policy changed without a
			 * recompute), is told its copy is out of date */
			d->bind_null(s, 21);
			if (!st->stmt[S_STALE_RECENT] &&
			    (rc = st_prepare(st, "UPDATE addr_state SET recent = NULL"
					     " WHERE scope = '' AND address = ? AND recent IS NOT NULL",
					     &st->stmt[S_STALE_RECENT], err)) < 0)
				return rc;
			struct bk_stmt *u = st->stmt[S_STALE_RECENT];
			d->reset(u);
			st_bind_str(st, u, 1, f->s.address);
			rc = d->step(u);
			d->reset(u);
			if (rc < 0)
				return st_fail(st, rc, err, "writing an address's state");
		} else {
			rc = st->old_ok && !strcmp(st->old_addr, f->s.address)
			     ? recent_merge(st, &len, err) : 0;
			if (rc == 0)
				rc = recent_pack(st, f->s.address, &len, err);
			if (rc < 0)
				return rc;
			d->bind_text(s, 21, len ? st->pack : "", len);
		}
		st->old_ok = false;
	}
	rc = d->step(s);
	d->reset(s);
	if (rc < 0)
		return st_fail(st, rc, err, "writing an address's state");
	f->exists = true;
	f->s.known = true;
	return 0;
}

static int
cmp_item(const void *a, const void *b)
{
	const struct fitem *x = a, *y = b;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Re-derive one address's state from all its events and manual changes. */
int
state_rebuild(struct bk_store *st, const char *scope, const char *addr,
	      struct fstate *f, struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	struct fitem *items = NULL;
	size_t n = 0, cap = 0;
	struct bk_stmt *s = NULL;
	int rc;
	const char *evsql = *scope
		? "SELECT ts, ikey, reason, deliverystatus, hardbounce, command,"
		  " diagnosticcode, addresser, feedbacktype FROM events"
		  " WHERE address = ? AND senderdomain = ?"
		: "SELECT ts, ikey, reason, deliverystatus, hardbounce, command,"
		  " diagnosticcode, addresser, feedbacktype FROM events"
		  " WHERE address = ?";
	for (int pass = 0; pass < 2; pass++) {
		rc = st_prepare(st, pass == 0 ? evsql :
			"SELECT at, id, action FROM audit WHERE address = ? AND scope = ?",
			&s, err);
		if (rc < 0)
			goto out;
		st_bind_str(st, s, 1, addr);
		if (pass == 1 || *scope)
			st_bind_str(st, s, 2, scope);
		while ((rc = d->step(s)) == BK_DB_ROW) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				struct fitem *t = realloc(items, cap * sizeof(*t));
				if (!t) {
					rc = st_errf(err, BK_STORE_ENOMEM, "out of memory");
					goto out;
				}
				items = t;
			}
			struct fitem *it = &items[n];
			memset(it, 0, sizeof(*it));
			it->ts = d->column_int64(s, 0);
			if (pass == 0) {
				const char *reason = d->column_text(s, 2, NULL);
				const char *status = d->column_text(s, 3, NULL);
				st_copy(it->key, sizeof(it->key), d->column_text(s, 1, NULL));
				st_copy(it->reason, sizeof(it->reason), reason);
				st_copy(it->status, sizeof(it->status), status);
				const char *cmd = d->column_text(s, 5, NULL);
				const char *diag = d->column_text(s, 6, NULL);
				const char *from = d->column_text(s, 7, NULL);
				const char *fbt = d->column_text(s, 8, NULL);
				it->cls = ev_classify(&st->pol, reason ? reason : "",
						      status ? status : "",
						      d->column_int64(s, 4) != 0,
						      cmd ? cmd : "", diag ? diag : "",
						      from ? from : "", fbt ? fbt : "");
			} else {
				const char *act = d->column_text(s, 2, NULL);
				snprintf(it->key, sizeof(it->key), "audit:%lld",
					 d->column_int64(s, 1));
				if (!act)
					continue;
				if (!strcmp(act, "suppress"))
					it->action = 1;
				else if (!strcmp(act, "unsuppress"))
					it->action = 2;
				else if (!strcmp(act, "unsuppress-force"))
					it->action = 3;
				else
					continue;
			}
			n++;
		}
		d->finalize(s);
		s = NULL;
		if (rc < 0) {
			rc = st_fail(st, rc, err, "reading an address's history");
			goto out;
		}
	}
	qsort(items, n, sizeof(*items), cmp_item);
	fold_reset(f, scope, addr);
	for (size_t i = 0; i < n; i++)
		fold(&st->pol, f, &items[i]);
	rc = 0;
out:
	if (s)
		d->finalize(s);
	free(items);
	return rc;
}

/* ---- Batches ---- */

void
bk_store_set_batch(struct bk_store *st, size_t n)
{
	st->batch_size = n ? n : 5000;
}

const struct bk_ingest_stats *
bk_store_stats_ingest(const struct bk_store *st)
{
	return &st->stats;
}

/* Copy s (cut to max bytes at a UTF-8 boundary when max) into *p. */
static const char *
put(char **p, const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (max && n > max) {
		n = max;
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	char *out = *p;
	if (n)
		memcpy(out, s, n);
	out[n] = '\0';
	*p += n + 1;
	return out;
}

/* The join key: the MTA's name and queue id ("HOST QUEUEID") and the
 * recipient (lower case). */
static void
join_key(const char *join, const char *addr, char out[33])
{
	struct h2 h = { 0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL };
	h2_feed(&h, "join", false);
	h2_feed(&h, join, true);
	h2_feed(&h, addr, true);
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)mix(h.a),
		 (unsigned long long)mix(h.b ^ h.a));
}

/* The message key (docs/store.md): the original message's Message-ID
 * (angle brackets and space around it removed, lower case), the recipient
 * (lower case) and the kind of the record, a failure (a bounce or a
 * deferral) or a complaint; "" for a record that is neither (a delivery,
 * an auto-reply) or whose messageid is not a Message-ID (no '@': the
 * provider's own id, as Postmark's). */
static void
msg_key(const struct bk_record *r, const char *addr, char out[33])
{
	out[0] = '\0';
	const char *m = r->messageid ? r->messageid : "";
	while (*m == '<' || *m == ' ' || *m == '\t')
		m++;
	size_t n = strlen(m);
	while (n && (m[n - 1] == '>' || m[n - 1] == ' ' || m[n - 1] == '\t' ||
		     m[n - 1] == '\r' || m[n - 1] == '\n'))
		n--;
	if (!n || n > 900 || !memchr(m, '@', n))
		return;
	const char *kind;
	if (!strcmp(r->reason, "feedback"))
		kind = "complaint";
	else if (!strcmp(r->reason, "delivered") || !strcmp(r->reason, "vacation") ||
		 !strcmp(r->action, "delivered") || !strcmp(r->action, "relayed") ||
		 !strcmp(r->action, "expanded") || !strncmp(r->deliverystatus, "2.", 2))
		return;
	else
		kind = "failure";
	char mid[1024];
	memcpy(mid, m, n);
	mid[n] = '\0';
	struct h2 h = { 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL };
	h2_feed(&h, "message", false);
	h2_feed(&h, kind, false);
	h2_feed(&h, mid, true);
	h2_feed(&h, addr, true);
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)mix(h.a),
		 (unsigned long long)mix(h.b ^ h.a));
}

static int add_rec(struct bk_store *st, const struct bk_record *r,
		   const char *channel, const struct bk_store_addx *x,
		   const char *join, struct bk_store_err *err);

int
bk_store_add(struct bk_store *st, const struct bk_record *r,
	     const char *channel, struct bk_store_err *err)
{
	return add_rec(st, r, channel, NULL, NULL, err);
}

int
bk_store_add_x(struct bk_store *st, const struct bk_record *r,
	       const char *channel, const struct bk_store_addx *x,
	       struct bk_store_err *err)
{
	return add_rec(st, r, channel, x, NULL, err);
}

/* The batch's count of deliveries for ts's day, dest and sdom: its index
 * in st->deliv, counted once more; -1 when out of memory. */
static long
deliv_count(struct bk_store *st, int64_t ts, const char *dest, const char *sdom)
{
	int64_t day = ts >= 0 ? ts / 86400 : -((-ts + 86399) / 86400);
	char d[256], sd[256];
	size_t i;
	for (i = 0; dest && dest[i] && i + 1 < sizeof(d); i++)
		d[i] = (char)tolower((unsigned char)dest[i]);
	d[i] = '\0';
	for (i = 0; sdom && sdom[i] && i + 1 < sizeof(sd); i++)
		sd[i] = (char)tolower((unsigned char)sdom[i]);
	sd[i] = '\0';
	/* the same few keys come again and again: look from the end */
	for (size_t k = st->ndeliv; k-- > 0 && st->ndeliv - k <= 64;) {
		struct deliv *x = &st->deliv[k];
		if (x->day == day && !strcmp(x->dest, d) && !strcmp(x->sdom, sd)) {
			x->n++;
			return (long)k;
		}
	}
	if (st->ndeliv == st->capdeliv) {
		size_t cap = st->capdeliv ? st->capdeliv * 2 : 64;
		struct deliv *t = realloc(st->deliv, cap * sizeof(*t));
		if (!t)
			return -1;
		st->deliv = t;
		st->capdeliv = cap;
	}
	struct deliv *x = &st->deliv[st->ndeliv];
	x->day = day;
	memcpy(x->dest, d, sizeof(d));
	memcpy(x->sdom, sd, sizeof(sd));
	x->n = 1;
	return (long)st->ndeliv++;
}

/* The lines of deliveries a batch holds at most (16 bytes each): a log
 * of deliveries to few destinations adds few counts but many lines. */
#define DLINES_MAX 65536

int
bk_store_add_delivery(struct bk_store *st, int64_t ts, const char *dest,
		      const char *sdom, struct bk_store_err *err)
{
	if (deliv_count(st, ts, dest, sdom) < 0)
		return st_errf(err, BK_STORE_ENOMEM, "out of memory");
	if (st->nbatch + st->ndeliv >= st->batch_size)
		return bk_store_flush(st, err);
	return 0;
}

/* ---- Delivery logs: how far each one is counted ---- */

static void
log_key(const char *mta, const char *first, size_t n, char out[33])
{
	uint64_t a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL;
	const unsigned char *p = (const unsigned char *)mta;
	for (int part = 0; part < 2; part++) {
		size_t len = part ? n : strlen(mta);
		for (size_t i = 0; i < len; i++) {
			a = (a ^ p[i]) * 0x100000001b3ULL;
			b = (b ^ p[i]) * 0x9e3779b97f4a7c15ULL;
			b ^= b >> 29;
		}
		a = (a ^ 0x1f) * 0x100000001b3ULL;	/* the separator */
		b = (b ^ 0x1f) * 0x9e3779b97f4a7c15ULL;
		b ^= b >> 29;
		p = (const unsigned char *)first;
	}
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)mix(a),
		 (unsigned long long)mix(b ^ a));
}

static int
log_stored(struct bk_store *st, const char *key, unsigned long long *lines,
	   bool lock, struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	int rc, slot = lock ? S_SEL_LOG : S_MAX;
	struct bk_stmt *s = NULL;
	const char *sql = lock ? "SELECT nlines FROM log_sources WHERE source = ?{FOR_UPDATE}"
			       : "SELECT nlines FROM log_sources WHERE source = ?";
	if (slot < S_MAX && st->stmt[slot])
		s = st->stmt[slot];
	else if ((rc = st_prepare(st, sql, &s, err)) < 0)
		return rc;
	if (slot < S_MAX)
		st->stmt[slot] = s;
	d->reset(s);
	st_bind_str(st, s, 1, key);
	rc = d->step(s);
	*lines = rc == BK_DB_ROW ? (unsigned long long)d->column_int64(s, 0) : 0;
	d->reset(s);
	if (slot == S_MAX)
		d->finalize(s);
	return rc < 0 ? st_fail(st, rc, err, "reading a delivery log's position") : 0;
}

int
bk_store_log_source(struct bk_store *st, const char *mta, const char *first,
		    size_t n, const char *name, int *src,
		    unsigned long long *counted, struct bk_store_err *err)
{
	char key[33];
	log_key(mta ? mta : "", first ? first : "", first ? n : 0, key);
	unsigned long long stored;
	int rc = log_stored(st, key, &stored, false, err);
	if (rc < 0)
		return rc;
	size_t i;
	for (i = 0; i < st->nlsrc && strcmp(st->lsrc[i].key, key); i++)
		;
	if (i == st->nlsrc) {
		if (st->nlsrc == st->caplsrc) {
			size_t cap = st->caplsrc ? st->caplsrc * 2 : 8;
			struct lsrc *t = realloc(st->lsrc, cap * sizeof(*t));
			if (!t)
				return st_errf(err, BK_STORE_ENOMEM, "out of memory");
			st->lsrc = t;
			st->caplsrc = cap;
		}
		memset(&st->lsrc[i], 0, sizeof(st->lsrc[i]));
		memcpy(st->lsrc[i].key, key, sizeof(key));
		st->nlsrc++;
	}
	struct lsrc *l = &st->lsrc[i];
	st_copy(l->name, sizeof(l->name), name);
	if (stored > l->counted)
		l->counted = stored;
	if (l->read < l->counted)
		l->read = l->counted;
	*src = (int)i;
	*counted = l->counted;
	return 0;
}

int
bk_store_log_read(struct bk_store *st, int src, unsigned long long line,
		  struct bk_store_err *err)
{
	if (src < 0 || (size_t)src >= st->nlsrc)
		return 0;
	if (line > st->lsrc[src].read)
		st->lsrc[src].read = line;
	/* a batch full of deliveries is written here, between two lines,
	 * never between two recipients of one line (Sendmail's to=a,b): a
	 * log's position is a number of whole lines */
	if (st->nbatch + st->ndeliv >= st->batch_size || st->ndline >= DLINES_MAX)
		return bk_store_flush(st, err);
	return 0;
}

int
bk_store_add_delivery_at(struct bk_store *st, int src, unsigned long long line,
			 int64_t ts, const char *dest, const char *sdom,
			 struct bk_store_err *err)
{
	if (src < 0 || (size_t)src >= st->nlsrc)
		return bk_store_add_delivery(st, ts, dest, sdom, err);
	if (line <= st->lsrc[src].counted) {
		st->stats.deliveries_again++;
		return 0;
	}
	if (st->ndline == st->capdline) {
		size_t cap = st->capdline ? st->capdline * 2 : 256;
		struct dline *t = realloc(st->dline, cap * sizeof(*t));
		if (!t)
			return st_errf(err, BK_STORE_ENOMEM, "out of memory");
		st->dline = t;
		st->capdline = cap;
	}
	long di = deliv_count(st, ts, dest, sdom);
	if (di < 0)
		return st_errf(err, BK_STORE_ENOMEM, "out of memory");
	st->dline[st->ndline++] = (struct dline){ (uint32_t)di, (uint32_t)src, line };
	return 0;	/* written at the end of the line: bk_store_log_read */
}

/* Inside the batch's transaction: each log read since the last batch
 * locked and its count read (another writer may have counted further
 * meanwhile), then moved on. */
static int
write_log_sources(struct bk_store *st, struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	long long now = (long long)time(NULL);
	int rc;
	for (size_t i = 0; i < st->nlsrc; i++) {
		struct lsrc *l = &st->lsrc[i];
		l->stored = l->next = l->counted;
		if (l->read <= l->counted)
			continue;
		if (!st->stmt[S_INS_LOG] &&
		    (rc = st_prepare(st, "{INSERT_IGNORE} INTO log_sources (source, name, nlines,"
				     " updated) VALUES (?, ?, 0, ?){ON_CONFLICT_NOTHING}",
				     &st->stmt[S_INS_LOG], err)) < 0)
			return rc;
		if (!st->stmt[S_UPD_LOG] &&
		    (rc = st_prepare(st, "UPDATE log_sources SET nlines = ?, name = ?, updated = ?"
				     " WHERE source = ?", &st->stmt[S_UPD_LOG], err)) < 0)
			return rc;
		struct bk_stmt *s = st->stmt[S_INS_LOG];
		d->reset(s);
		st_bind_str(st, s, 1, l->key);
		st_bind_str(st, s, 2, l->name);
		d->bind_int64(s, 3, now);
		rc = d->step(s);
		d->reset(s);
		if (rc < 0)
			return st_fail(st, rc, err, "recording a delivery log");
		if ((rc = log_stored(st, l->key, &l->stored, true, err)) < 0)
			return rc;
		l->next = l->stored > l->read ? l->stored : l->read;
		s = st->stmt[S_UPD_LOG];
		d->reset(s);
		d->bind_int64(s, 1, (long long)l->next);
		st_bind_str(st, s, 2, l->name);
		d->bind_int64(s, 3, now);
		st_bind_str(st, s, 4, l->key);
		rc = d->step(s);
		d->reset(s);
		if (rc < 0)
			return st_fail(st, rc, err, "recording a delivery log's position");
		st->stats.statements += 3;
	}
	return 0;
}

int
bk_store_add_join(struct bk_store *st, const struct bk_record *r,
		  const char *channel, const char *join,
		  struct bk_store_err *err)
{
	return add_rec(st, r, channel, NULL, join, err);
}

/* A record into the batch: x, what a provider's event adds (NULL: none);
 * join, the MTA host and queue id (NULL: none). */
static int
add_rec(struct bk_store *st, const struct bk_record *r, const char *channel,
	const struct bk_store_addx *x, const char *join,
	struct bk_store_err *err)
{
	char addr[321];
	if (!r->recipient || !bk_store_normalize(r->recipient, addr, sizeof(addr)))
		return st_errf(err, BK_STORE_EINVAL, "a record without a valid recipient ('%s')",
			       r->recipient ? r->recipient : "");
	if (st->nbatch == st->capbatch) {
		size_t cap = st->capbatch ? st->capbatch * 2 : 256;
		struct brec *t = realloc(st->batch, cap * sizeof(*t));
		if (!t)
			return st_errf(err, BK_STORE_ENOMEM, "out of memory");
		st->batch = t;
		st->capbatch = cap;
	}
	const char *f[] = {
		r->timezoneoffset, r->origin, r->addresser, r->senderdomain,
		r->recipient, r->destination, r->alias, r->action,
		r->deliverystatus, r->replycode, r->reason, r->diagnosticcode,
		r->diagnostictype, r->command, r->lhost, r->rhost, r->messageid,
		r->listid, r->subject, r->feedbacktype, r->feedbackid,
		r->decodedby, r->token, r->catch_json, channel,
		r->timestampsource,
		x ? x->provider_class : NULL,
	};
	size_t total = 0;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		total += (f[i] ? strlen(f[i]) : 0) + 1;
	struct brec *b = &st->batch[st->nbatch];
	memset(b, 0, sizeof(*b));
	b->mem = malloc(total);
	if (!b->mem)
		return st_errf(err, BK_STORE_ENOMEM, "out of memory");
	char *p = b->mem;
	b->r.timestamp = r->timestamp;
	b->r.hardbounce = r->hardbounce;
	b->r.timezoneoffset = put(&p, r->timezoneoffset, 255);
	b->r.origin = put(&p, r->origin, 0);
	b->r.addresser = put(&p, r->addresser, 0);
	b->r.senderdomain = put(&p, r->senderdomain, 320);
	b->r.recipient = put(&p, r->recipient, 0);
	b->r.destination = put(&p, r->destination, 320);
	b->r.alias = put(&p, r->alias, 0);
	b->r.action = put(&p, r->action, 255);
	b->r.deliverystatus = put(&p, r->deliverystatus, 255);
	b->r.replycode = put(&p, r->replycode, 255);
	b->r.reason = put(&p, r->reason, 255);
	b->r.diagnosticcode = put(&p, r->diagnosticcode, 0);
	b->r.diagnostictype = put(&p, r->diagnostictype, 255);
	b->r.command = put(&p, r->command, 255);
	b->r.lhost = put(&p, r->lhost, 0);
	b->r.rhost = put(&p, r->rhost, 0);
	b->r.messageid = put(&p, r->messageid, 0);
	b->r.listid = put(&p, r->listid, 0);
	b->r.subject = put(&p, r->subject, 0);
	b->r.feedbacktype = put(&p, r->feedbacktype, 255);
	b->r.feedbackid = put(&p, r->feedbackid, 0);
	b->r.decodedby = put(&p, r->decodedby, 255);
	b->r.token = put(&p, r->token, 255);
	b->r.catch_json = r->catch_json ? put(&p, r->catch_json, 0) : NULL;
	if (!r->catch_json)
		put(&p, "", 0);
	b->channel = put(&p, channel && *channel ? channel : "file", 255);
	b->r.timestampsource = put(&p, r->timestampsource, 255);
	b->provider_class = x && x->provider_class ? put(&p, x->provider_class, 0) : NULL;
	memcpy(b->addr, addr, sizeof(addr));
	for (char *q = (char *)b->r.senderdomain; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	if (st->pol.scope == BK_SCOPE_SENDERDOMAIN) {
		st_copy(b->scope, sizeof(b->scope), b->r.senderdomain);
	}
	if (x && x->key && strlen(x->key) == 32)
		memcpy(b->key, x->key, 33);
	else
		bk_store_event_key(&b->r, b->key);
	if (join && *join)
		join_key(join, addr, b->jkey);
	msg_key(&b->r, addr, b->mkey);
	st->nbatch++;
	st->stats.records++;
	if (st->nbatch + st->ndeliv >= st->batch_size)
		return bk_store_flush(st, err);
	return 0;
}

static int
cmp_brec(const void *a, const void *b)
{
	const struct brec *x = a, *y = b;
	int c = strcmp(x->scope, y->scope);
	if (c)
		return c;
	if ((c = strcmp(x->addr, y->addr)))
		return c;
	if (x->r.timestamp != y->r.timestamp)
		return x->r.timestamp < y->r.timestamp ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* The 32 values of an event row bound from parameter base on, in the
 * order of EVENT_COLS. */
void
event_bind(struct bk_store *st, struct bk_stmt *s, int base,
	   const struct brec *b, long long now)
{
	const struct bk_db_driver *d = st->drv;
	const struct bk_record *r = &b->r;
	int i = base;
	st_bind_str(st, s, i++, b->key);
	st_bind_str(st, s, i++, b->addr);
	d->bind_int64(s, i++, r->timestamp);
	const char *v[] = {
		r->timezoneoffset, r->origin, r->addresser, r->senderdomain,
		r->recipient, r->destination, r->alias, r->action,
		r->deliverystatus, r->replycode, r->reason, r->diagnosticcode,
		r->diagnostictype, r->command, r->lhost, r->rhost, r->messageid,
		r->listid, r->subject, r->feedbacktype, r->feedbackid,
	};
	for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
		st_bind_str(st, s, i++, v[k]);
	d->bind_int64(s, i++, r->hardbounce ? 1 : 0);
	st_bind_str(st, s, i++, r->decodedby);
	st_bind_str(st, s, i++, r->token);
	if (r->catch_json)
		st_bind_str(st, s, i++, r->catch_json);
	else
		d->bind_null(s, i++);
	st_bind_str(st, s, i++, b->channel);
	d->bind_int64(s, i++, now);
	if (b->provider_class)
		st_bind_str(st, s, i++, b->provider_class);
	else
		d->bind_null(s, i++);
	st_bind_str(st, s, i++, r->timestampsource);
	const struct brec *k = b->keys_of ? b->keys_of : b;
	if (k->jkey[0])
		st_bind_str(st, s, i++, k->jkey);
	else
		d->bind_null(s, i++);
	if (k->mkey[0])
		st_bind_str(st, s, i++, k->mkey);
	else
		d->bind_null(s, i++);
}

static int
insert_event(struct bk_store *st, struct brec *b, long long now,
	     struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	int rc;
	if (!st->stmt[S_INS_EVENT] &&
	    (rc = st_prepare(st,
		"{INSERT_IGNORE} INTO events (" EVENT_COLS ") VALUES (?, ?, ?, ?, ?, ?,"
		" ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		" ?, ?, ?){ON_CONFLICT_NOTHING}",
		&st->stmt[S_INS_EVENT], err)) < 0)
		return rc;
	struct bk_stmt *s = st->stmt[S_INS_EVENT];
	d->reset(s);
	event_bind(st, s, 1, b, now);
	st->stats.statements++;
	rc = d->step(s);
	if (rc < 0) {
		d->reset(s);
		return st_fail(st, rc, err, "storing an event");
	}
	b->fresh = d->changes(s) > 0;
	d->reset(s);
	return 0;
}

bool
join_better(const struct brec *b, bool was_final, const char *oldkey)
{
	bool final = strcmp(b->r.action, "delayed") != 0;
	return final != was_final ? final : strcmp(b->key, oldkey) < 0;
}

/* The event of b's join (docs/store.md): the one with its join key, else
 * the one with its message key (the join key wins when they name two);
 * *via S_SEL_JOIN or S_SEL_MJOIN, the statement that found it.  0: none,
 * 1: found (*was_final, oldkey). */
static int
join_find(struct bk_store *st, struct brec *b, int *via, bool *was_final,
	  char oldkey[40], struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	int rc;
	static const char *const sql[2] = {
		"SELECT action, ikey FROM events WHERE jkey = ?",
		"SELECT action, ikey FROM events WHERE mkey = ?",
	};
	for (int k = 0; k < 2; k++) {
		const char *key = k ? b->mkey : b->jkey;
		int which = k ? S_SEL_MJOIN : S_SEL_JOIN;
		if (!key[0])
			continue;
		if (!st->stmt[which] && (rc = st_prepare(st, sql[k], &st->stmt[which], err)) < 0)
			return rc;
		struct bk_stmt *s = st->stmt[which];
		d->reset(s);
		st_bind_str(st, s, 1, key);
		rc = d->step(s);
		if (rc < 0) {
			d->reset(s);
			return st_fail(st, rc, err, "reading a joined event");
		}
		if (rc != BK_DB_ROW) {
			d->reset(s);
			continue;
		}
		const char *act = d->column_text(s, 0, NULL);
		*was_final = !act || strcmp(act, "delayed") != 0;
		st_copy(oldkey, 40, d->column_text(s, 1, NULL));
		d->reset(s);
		*via = which;
		return 1;
	}
	return 0;
}

/* A record with a join key or a message key whose join is stored already
 * (docs/store.md).  The event keeps the best record of its join: a final
 * one (any action but "delayed") over a deferral, then the least content
 * key, so that the result is the same in any order and with concurrent
 * writers.  A better record replaces the event's content and key
 * (b->upgraded: the address is folded again; b->made_final when a
 * deferral became a failure); any other one is a duplicate that fills in
 * the event's empty messageid, subject and addresser, and its
 * provider_class and catch_json (a webhook's class and event id) when it
 * has none.  The event keeps the join and message keys it was stored
 * with.  *handled false: no event has the join yet, insert it. */
static int
join_event(struct bk_store *st, struct brec *b, bool *handled,
	   struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	const struct bk_record *r = &b->r;
	int rc, via = S_SEL_JOIN;
	*handled = false;
	bool final = strcmp(r->action, "delayed") != 0;
	for (int tries = 0; tries < 4; tries++) {
		bool was_final = true;
		char oldkey[40];
		if ((rc = join_find(st, b, &via, &was_final, oldkey, err)) <= 0)
			return rc;
		*handled = true;
		if (!strcmp(oldkey, b->key))
			return 0;	/* this very record, stored already */
		if (!join_better(b, was_final, oldkey))
			break;
		/* the better record's content is stored already as an event of
		 * its own (stored before joins were kept): a duplicate */
		struct bk_stmt *q;
		if ((rc = st_prepare(st, "SELECT COUNT(*) FROM events WHERE ikey = ?", &q, err)) < 0)
			return rc;
		st_bind_str(st, q, 1, b->key);
		rc = d->step(q);
		long long have = rc == BK_DB_ROW ? d->column_int64(q, 0) : 0;
		d->finalize(q);
		if (rc < 0)
			return st_fail(st, rc, err, "reading an event");
		if (have)
			break;
		if (!st->stmt[S_UPD_JOIN] &&
		    (rc = st_prepare(st,
			"UPDATE events SET ikey = ?, ts = ?, timezoneoffset = ?, origin = ?,"
			" senderdomain = ?, recipient = ?, destination = ?, alias = ?,"
			" action = ?, deliverystatus = ?, replycode = ?, reason = ?,"
			" diagnosticcode = ?, diagnostictype = ?, command = ?, lhost = ?,"
			" rhost = ?, listid = ?, feedbacktype = ?, feedbackid = ?,"
			" hardbounce = ?, decodedby = ?, token = ?,"
			" catch_json = COALESCE(?, catch_json),"
			" provider_class = COALESCE(?, provider_class),"
			" channel = ?, timestampsource = ?,"
			" messageid = CASE WHEN ? = '' THEN messageid ELSE ? END,"
			" subject = CASE WHEN ? = '' THEN subject ELSE ? END,"
			" addresser = CASE WHEN ? = '' THEN addresser ELSE ? END"
			" WHERE ikey = ?", &st->stmt[S_UPD_JOIN], err)) < 0)
			return rc;
		struct bk_stmt *s = st->stmt[S_UPD_JOIN];
		d->reset(s);
		int i = 1;
		st_bind_str(st, s, i++, b->key);
		d->bind_int64(s, i++, r->timestamp);
		const char *v[] = {
			r->timezoneoffset, r->origin, r->senderdomain, r->recipient,
			r->destination, r->alias, r->action, r->deliverystatus,
			r->replycode, r->reason, r->diagnosticcode, r->diagnostictype,
			r->command, r->lhost, r->rhost, r->listid, r->feedbacktype,
			r->feedbackid,
		};
		for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
			st_bind_str(st, s, i++, v[k]);
		d->bind_int64(s, i++, r->hardbounce ? 1 : 0);
		st_bind_str(st, s, i++, r->decodedby);
		st_bind_str(st, s, i++, r->token);
		/* a webhook's event id and class stay when the better record
		 * is a bounce message, which has none */
		if (r->catch_json)
			st_bind_str(st, s, i++, r->catch_json);
		else
			d->bind_null(s, i++);
		if (b->provider_class)
			st_bind_str(st, s, i++, b->provider_class);
		else
			d->bind_null(s, i++);
		st_bind_str(st, s, i++, b->channel);
		st_bind_str(st, s, i++, r->timestampsource);
		/* filled in, whatever the order: a value over none */
		st_bind_str(st, s, i++, r->messageid);
		st_bind_str(st, s, i++, r->messageid);
		st_bind_str(st, s, i++, r->subject);
		st_bind_str(st, s, i++, r->subject);
		st_bind_str(st, s, i++, r->addresser);
		st_bind_str(st, s, i++, r->addresser);
		st_bind_str(st, s, i++, oldkey);
		rc = d->step(s);
		long long changed = rc >= 0 ? d->changes(s) : 0;
		d->reset(s);
		if (rc < 0)
			return st_fail(st, rc, err, "replacing a joined event");
		if (changed > 0) {
			b->fresh = b->upgraded = true;
			b->made_final = final && !was_final;
			return 0;
		}
		/* another writer changed it meanwhile: look again */
	}
	if (!*r->messageid && !*r->subject && !*r->addresser && !r->catch_json &&
	    !b->provider_class)
		return 0;
	bool m = via == S_SEL_MJOIN;
	int which = m ? S_ENRICH_MJOIN : S_ENRICH_JOIN;
	if (!st->stmt[which] &&
	    (rc = st_prepare(st, m
		? "UPDATE events SET"
		  " messageid = CASE WHEN messageid = '' THEN ? ELSE messageid END,"
		  " subject = CASE WHEN subject = '' THEN ? ELSE subject END,"
		  " addresser = CASE WHEN addresser = '' THEN ? ELSE addresser END,"
		  " catch_json = COALESCE(catch_json, ?),"
		  " provider_class = COALESCE(provider_class, ?)"
		  " WHERE mkey = ?"
		: "UPDATE events SET"
		  " messageid = CASE WHEN messageid = '' THEN ? ELSE messageid END,"
		  " subject = CASE WHEN subject = '' THEN ? ELSE subject END,"
		  " addresser = CASE WHEN addresser = '' THEN ? ELSE addresser END,"
		  " catch_json = COALESCE(catch_json, ?),"
		  " provider_class = COALESCE(provider_class, ?)"
		  " WHERE jkey = ?", &st->stmt[which], err)) < 0)
		return rc;
	struct bk_stmt *s = st->stmt[which];
	d->reset(s);
	st_bind_str(st, s, 1, r->messageid);
	st_bind_str(st, s, 2, r->subject);
	st_bind_str(st, s, 3, r->addresser);
	if (r->catch_json)
		st_bind_str(st, s, 4, r->catch_json);
	else
		d->bind_null(s, 4);
	if (b->provider_class)
		st_bind_str(st, s, 5, b->provider_class);
	else
		d->bind_null(s, 5);
	st_bind_str(st, s, 6, m ? b->mkey : b->jkey);
	rc = d->step(s);
	d->reset(s);
	if (rc < 0)
		return st_fail(st, rc, err, "filling in a joined event");
	return 0;
}

int
write_deliveries(struct bk_store *st, struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	int rc;
	st->deliv_skipped = 0;
	if ((rc = write_log_sources(st, err)) < 0)
		return rc;
	if (!st->ndeliv)
		return 0;
	/* the lines another writer counted meanwhile are taken off */
	long long *skip = NULL;
	for (size_t i = 0; i < st->ndline; i++) {
		const struct dline *x = &st->dline[i];
		if (x->line > st->lsrc[x->src].stored)
			continue;
		if (!skip && !(skip = calloc(st->ndeliv, sizeof(*skip))))
			return st_errf(err, BK_STORE_ENOMEM, "out of memory");
		skip[x->di]++;
		st->deliv_skipped++;
	}
	if (!st->stmt[S_ADD_DELIV] &&
	    (rc = st_prepare(st, d->dialect == BK_DIALECT_MYSQL
		? "INSERT INTO deliveries (day, destination, senderdomain, n)"
		  " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE n = n + VALUES(n)"
		: "INSERT INTO deliveries (day, destination, senderdomain, n)"
		  " VALUES (?, ?, ?, ?) ON CONFLICT (day, destination, senderdomain)"
		  " DO UPDATE SET n = deliveries.n + excluded.n",
		&st->stmt[S_ADD_DELIV], err)) < 0) {
		free(skip);
		return rc;
	}
	struct bk_stmt *s = st->stmt[S_ADD_DELIV];
	for (size_t i = 0; i < st->ndeliv; i++) {
		long long n = st->deliv[i].n - (skip ? skip[i] : 0);
		if (n <= 0)
			continue;
		d->reset(s);
		d->bind_int64(s, 1, st->deliv[i].day);
		st_bind_str(st, s, 2, st->deliv[i].dest);
		st_bind_str(st, s, 3, st->deliv[i].sdom);
		d->bind_int64(s, 4, n);
		rc = d->step(s);
		d->reset(s);
		if (rc < 0) {
			free(skip);
			return st_fail(st, rc, err, "counting deliveries");
		}
	}
	free(skip);
	return 0;
}

static bool
is_blocking(const struct fstate *f)
{
	return !strcmp(f->s.verdict, "suppressed") || !strcmp(f->s.verdict, "retry-after");
}

/* The end of the group of records of batch[i]'s address (the batch is
 * sorted by scope and address); *any: one of them is a new event. */
size_t
group_end(const struct bk_store *st, size_t i, bool *any)
{
	size_t j = i;
	*any = false;
	while (j < st->nbatch && !strcmp(st->batch[j].addr, st->batch[i].addr) &&
	       !strcmp(st->batch[j].scope, st->batch[i].scope))
		*any |= st->batch[j++].fresh;
	return j;
}

/* The fresh events of batch[i..j) (one address) folded into f, which holds
 * the address's stored state (or none): on from where the state is when
 * they all come after what it has seen, else its whole history again.
 * *newly: 1 when the address becomes suppressed (or retry-after) now. */
int
group_fold(struct bk_store *st, size_t i, size_t j, struct fstate *f,
	   long long now, int *newly, struct bk_store_err *err)
{
	bool before = f->s.known && is_blocking(f);
	if (!strcmp(f->s.verdict, "retry-after") && f->s.until <= now)
		before = false;
	bool incremental = true;
	for (size_t k = i; k < j; k++)
		if (st->batch[k].fresh &&
		    (st->batch[k].r.timestamp < f->last_ts ||
		     (st->batch[k].r.timestamp == f->last_ts &&
		      strcmp(st->batch[k].key, f->last_key) <= 0)))
			incremental = false;
	/* no state yet (or only the placeholder row of our own lock,
	 * which no committed event precedes): fold from empty */
	if (!f->s.known)
		incremental = true;
	/* a joined event was replaced (a deferral made final): fold again */
	for (size_t k = i; k < j; k++)
		if (st->batch[k].upgraded)
			incremental = false;
	if (incremental) {
		for (size_t k = i; k < j; k++) {
			struct brec *b = &st->batch[k];
			if (!b->fresh)
				continue;
			struct fitem it;
			memset(&it, 0, sizeof(it));
			it.ts = b->r.timestamp;
			st_copy(it.key, sizeof(it.key), b->key);
			st_copy(it.reason, sizeof(it.reason), b->r.reason);
			st_copy(it.status, sizeof(it.status), b->r.deliverystatus);
			it.cls = ev_classify(&st->pol, b->r.reason, b->r.deliverystatus,
					     b->r.hardbounce, b->r.command,
					     b->r.diagnosticcode, b->r.addresser,
					     b->r.feedbacktype);
			fold(&st->pol, f, &it);
		}
	} else {
		struct brec *g = &st->batch[i];
		st->stats.statements += 2;	/* its events, its audit rows */
		int rc = state_rebuild(st, g->scope, g->addr, f, err);
		if (rc < 0)
			return rc;
	}
	finish_allow(st, f);
	bool after = is_blocking(f) &&
		     !(!strcmp(f->s.verdict, "retry-after") && f->s.until <= now);
	*newly = !before && after;
	return 0;
}

int
write_event_one(struct bk_store *st, struct brec *b, long long now,
		bool join_first, unsigned long long *fresh, struct bk_store_err *err)
{
	int rc;
	bool handled = false, joins = b->jkey[0] || b->mkey[0];
	b->fresh = b->upgraded = b->made_final = false;
	/* a record whose join is stored is turned away by the insert (a
	 * unique key: its content key, join key or message key), and then
	 * joined; so a new one costs no lookup.  join_first: the caller
	 * knows the join is stored. */
	if (joins && join_first && (rc = join_event(st, b, &handled, err)) < 0)
		return rc;
	if (!handled && (rc = insert_event(st, b, now, err)) < 0)
		return rc;
	if (!handled && !b->fresh && joins &&
	    (rc = join_event(st, b, &handled, err)) < 0)
		return rc;
	*fresh += b->fresh && !b->upgraded;
	return 0;
}

/* The events of the batch a statement each, inside the caller's
 * transaction: every record, or (joined_only) only those with a join or
 * message key.  Sets each record's fresh, upgraded and made_final;
 * *fresh counts the new events. */
int
write_events_single(struct bk_store *st, bool joined_only, long long now,
		    unsigned long long *fresh, struct bk_store_err *err)
{
	int rc;
	for (size_t i = 0; i < st->nbatch; i++) {
		struct brec *b = &st->batch[i];
		if (joined_only && !b->jkey[0] && !b->mkey[0])
			continue;
		if ((rc = write_event_one(st, b, now, false, fresh, err)) < 0)
			return rc;
	}
	return 0;
}

/* One try at the batch in one transaction, a statement per event and per
 * address (SQLite, where a statement costs no round trip; a MySQL server
 * without INSERT ... RETURNING). */
static int
write_batch(struct bk_store *st, unsigned long long *fresh,
	    unsigned long long *newly, struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	long long now = (long long)time(NULL);
	st->stats.statements += 2;	/* begin, commit */
	int rc = d->begin(st->db);
	if (rc < 0)
		return st_fail(st, rc, err, "starting a batch");
	*fresh = *newly = 0;
	if ((rc = write_events_single(st, false, now, fresh, err)) < 0 ||
	    (rc = write_deliveries(st, err)) < 0)
		goto fail;
	for (size_t i = 0, j; i < st->nbatch; i = j) {
		bool any;
		j = group_end(st, i, &any);
		if (!any)
			continue;
		struct brec *g = &st->batch[i];
		struct fstate f;
		int nw = 0;
		/* the lock (two statements on a server), the read, the write */
		st->stats.statements += d->dialect == BK_DIALECT_SQLITE ? 2 : 3;
		/* the group's records and their time, for the recent events
		 * state_save packs (SQLite) */
		st->grp = g;
		st->ngrp = j - i;
		st->batch_now = now;
		rc = state_load(st, g->scope, g->addr, &f, true, err);
		if (rc >= 0)
			rc = group_fold(st, i, j, &f, now, &nw, err);
		if (rc >= 0)
			rc = state_save(st, &f, err);
		st->grp = NULL;
		st->ngrp = 0;
		if (rc < 0)
			goto fail;
		*newly += (unsigned)nw;
	}
	rc = d->commit(st->db);
	if (rc < 0) {
		rc = st_fail(st, rc, err, "committing a batch");
		goto fail;
	}
	return 0;
fail:
	d->rollback(st->db);
	return rc;
}

int
bk_store_flush(struct bk_store *st, struct bk_store_err *err)
{
	bool logs = false;
	for (size_t i = 0; i < st->nlsrc; i++)
		logs |= st->lsrc[i].read > st->lsrc[i].counted;
	if (st->nbatch == 0 && st->ndeliv == 0 && !logs)
		return 0;
	if (st->nbatch)	/* a batch of a log's position alone has none */
		qsort(st->batch, st->nbatch, sizeof(*st->batch), cmp_brec);
	int rc = st_load_allow(st, err);
	/* its prepare, run and release */
	st->stats.statements += 3;
	/* SQLite has already waited its busy timeout; a server is given a
	 * few more tries (deadlocks, serialization failures) */
	int tries = st->drv->dialect == BK_DIALECT_SQLITE ? 1 : 6;
	unsigned long long fresh = 0, newly = 0;
	for (int t = 0; rc == 0 && t < tries; t++) {
		if (t)
			usleep((useconds_t)(20000u << t));
		rc = st_multirow(st) ? write_batch_multi(st, &fresh, &newly, err)
						: write_batch(st, &fresh, &newly, err);
		if (rc != BK_STORE_ETEMP)
			break;
		if (t + 1 < tries)
			rc = 0;
	}
	unsigned long long upgraded = 0;
	for (size_t i = 0; i < st->nbatch; i++)
		upgraded += st->batch[i].made_final;
	if (rc == 0) {
		st->stats.events_new += fresh;
		st->stats.upgraded += upgraded;
		for (size_t i = 0; i < st->ndeliv; i++)
			st->stats.deliveries += (unsigned long long)st->deliv[i].n;
		st->stats.deliveries -= st->deliv_skipped;
		st->stats.deliveries_again += st->deliv_skipped;
		for (size_t i = 0; i < st->nlsrc; i++)
			st->lsrc[i].counted = st->lsrc[i].next;
		st->stats.duplicates += st->nbatch - fresh - upgraded;
		st->stats.suppressed_new += newly;
		st->stats.batches++;
	}
	for (size_t i = 0; i < st->nbatch; i++)
		free(st->batch[i].mem);
	st->nbatch = 0;
	st->ndeliv = 0;
	st->ndline = 0;
	/* a batch not written: its lines are to be read again */
	for (size_t i = 0; rc < 0 && i < st->nlsrc; i++)
		st->lsrc[i].read = st->lsrc[i].counted;
	return rc;
}
