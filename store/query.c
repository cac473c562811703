/* SPDX-License-Identifier: BSD-2-Clause */
/* query.c - reading the store (verdicts, events, exports, statistics) and
 * the manual changes (suppress, unsuppress, allow), prune and recompute. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* bk_store_query for an address already normalised. */
static int
query_state(struct bk_store *st, const char *addr, const char *scope,
	    int64_t now, struct bk_addr_state *out, struct bk_store_err *err)
{
	struct fstate f;
	int rc = state_load(st, scope ? scope : "", addr, &f, false, err);
	if (rc < 0)
		return rc;
	*out = f.s;
	if (!f.s.known) {
		st_copy(out->verdict, sizeof(out->verdict), "ok");
		out->basis[0] = '\0';
	}
	/* done with the row: the statement no longer holds a read snapshot
	 * (SQLite: a WAL read lock) until the next query */
	if (st->stmt[S_SEL_PLAIN])
		st->drv->reset(st->stmt[S_SEL_PLAIN]);
	if (st_allowed(st, addr)) {
		st_copy(out->verdict, sizeof(out->verdict), "ok");
		st_copy(out->basis, sizeof(out->basis), "allowed");
	} else if (!strcmp(out->verdict, "retry-after") && out->until <= now) {
		st_copy(out->verdict, sizeof(out->verdict), "ok");
		st_copy(out->basis, sizeof(out->basis), "expired");
	}
	return out->known ? 1 : 0;
}

int
bk_store_query(struct bk_store *st, const char *address, const char *scope,
	       int64_t now, struct bk_addr_state *out, struct bk_store_err *err)
{
	char addr[321];
	if (!bk_store_normalize(address, addr, sizeof(addr)))
		return st_errf(err, BK_STORE_EINVAL, "'%s' is not an address", address);
	return query_state(st, addr, scope, now, out, err);
}

/* ---- Events ---- */

#define EVENT_READ_COLS \
	"id, ikey, address, channel, ingested, provider_class, ts, timezoneoffset," \
	" origin, addresser, senderdomain, recipient, destination, alias, action," \
	" deliverystatus, replycode, reason, diagnosticcode, diagnostictype, command," \
	" lhost, rhost, messageid, listid, subject, feedbacktype, feedbackid," \
	" hardbounce, decodedby, token, catch_json, timestampsource"

static const char *
col(struct bk_store *st, struct bk_stmt *s, int i)
{
	const char *t = st->drv->column_text(s, i, NULL);
	return t ? t : "";
}

static const char *
class_name(int c)
{
	switch (c) {
	case C_HARD: return "hard";
	case C_SOFT: return "soft";
	case C_COMPLAINT: return "complaint";
	case C_SENDER: return "senderside";
	case C_DELIVERED: return "delivered";
	default: return "other";
	}
}

static void
read_event(struct bk_store *st, struct bk_stmt *s, struct bk_event *ev)
{
	const struct bk_db_driver *d = st->drv;
	memset(ev, 0, sizeof(*ev));
	ev->id = d->column_int64(s, 0);
	ev->key = col(st, s, 1);
	ev->address = col(st, s, 2);
	ev->channel = col(st, s, 3);
	ev->ingested = d->column_int64(s, 4);
	ev->provider_class = d->column_text(s, 5, NULL);
	struct bk_record *r = &ev->rec;
	r->timestamp = d->column_int64(s, 6);
	r->timezoneoffset = col(st, s, 7);
	r->origin = col(st, s, 8);
	r->addresser = col(st, s, 9);
	r->senderdomain = col(st, s, 10);
	r->recipient = col(st, s, 11);
	r->destination = col(st, s, 12);
	r->alias = col(st, s, 13);
	r->action = col(st, s, 14);
	r->deliverystatus = col(st, s, 15);
	r->replycode = col(st, s, 16);
	r->reason = col(st, s, 17);
	r->diagnosticcode = col(st, s, 18);
	r->diagnostictype = col(st, s, 19);
	r->command = col(st, s, 20);
	r->lhost = col(st, s, 21);
	r->rhost = col(st, s, 22);
	r->messageid = col(st, s, 23);
	r->listid = col(st, s, 24);
	r->subject = col(st, s, 25);
	r->feedbacktype = col(st, s, 26);
	r->feedbackid = col(st, s, 27);
	r->hardbounce = d->column_int64(s, 28) != 0;
	r->decodedby = col(st, s, 29);
	r->token = col(st, s, 30);
	r->catch_json = d->column_text(s, 31, NULL);
	r->timestampsource = col(st, s, 32);
	ev->evclass = class_name(ev_classify(&st->pol, r->reason, r->deliverystatus,
					     r->hardbounce, r->command,
					     r->diagnosticcode, r->addresser,
					     r->feedbacktype));
}

static int
run_events(struct bk_store *st, const char *sql, const char *arg,
	   bk_event_fn fn, void *fnarg, struct bk_store_err *err)
{
	struct bk_stmt *s;
	int rc = st_prepare(st, sql, &s, err);
	if (rc < 0)
		return rc;
	if (arg)
		st_bind_str(st, s, 1, arg);
	while ((rc = st->drv->step(s)) == BK_DB_ROW) {
		struct bk_event ev;
		read_event(st, s, &ev);
		if (fn(fnarg, &ev) < 0) {
			st->drv->finalize(s);
			return st_errf(err, BK_STORE_EPERM, "output failed");
		}
	}
	st->drv->finalize(s);
	return rc < 0 ? st_fail(st, rc, err, "reading events") : 0;
}

int
bk_store_address_events(struct bk_store *st, const char *address, size_t limit,
			bk_event_fn fn, void *arg, struct bk_store_err *err)
{
	char addr[321], sql[1024];
	if (!bk_store_normalize(address, addr, sizeof(addr)))
		return st_errf(err, BK_STORE_EINVAL, "'%s' is not an address", address);
	if (limit)
		/* the most recent ones, shown oldest first by the caller */
		snprintf(sql, sizeof(sql), "SELECT " EVENT_READ_COLS " FROM events"
			 " WHERE address = ? ORDER BY ts DESC, ikey DESC LIMIT %zu", limit);
	else
		snprintf(sql, sizeof(sql), "SELECT " EVENT_READ_COLS " FROM events"
			 " WHERE address = ? ORDER BY ts, ikey");
	return run_events(st, sql, addr, fn, arg, err);
}

/* An event of the view from its RECENT_COLS (internal.h: those the API
 * shows and those the event's class needs; not the address, the one
 * asked for): t[] their text (the integers' too, unused), n[] the
 * integers (id, ingested, ts, hardbounce). */
static void
fill_recent(struct bk_store *st, const char *addr, const char *const *t,
	    const int64_t *n, struct bk_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->id = n[0];
	ev->key = t[1];
	ev->address = addr;
	ev->channel = t[2];
	ev->ingested = n[1];
	struct bk_record *r = &ev->rec;
	r->timestamp = n[2];
	r->timezoneoffset = r->origin = r->alias = r->lhost = r->messageid = "";
	r->listid = r->feedbackid = r->token = r->timestampsource = "";
	r->diagnostictype = "";
	r->addresser = t[5];
	r->senderdomain = t[6];
	r->recipient = t[7];
	r->destination = t[8];
	r->action = t[9];
	r->deliverystatus = t[10];
	r->replycode = t[11];
	r->reason = t[12];
	r->diagnosticcode = t[13];
	r->command = t[14];
	r->rhost = t[15];
	r->subject = t[16];
	r->feedbacktype = t[17];
	r->hardbounce = n[3] != 0;
	r->decodedby = t[19];
	ev->evclass = class_name(ev_classify(&st->pol, r->reason, r->deliverystatus,
					     r->hardbounce, r->command,
					     r->diagnosticcode, r->addresser,
					     r->feedbacktype));
}

/* An event of the view from a row of RECENT_COLS. */
static void
read_recent(struct bk_store *st, struct bk_stmt *s, const char *addr,
	    struct bk_event *ev)
{
	const struct bk_db_driver *d = st->drv;
	const char *t[RECENT_NCOLS];
	for (int i = 0; i < RECENT_NCOLS; i++)
		t[i] = i == 0 || i == 3 || i == 4 || i == 18 ? "" : col(st, s, i);
	int64_t n[4] = { d->column_int64(s, 0), d->column_int64(s, 3),
			 d->column_int64(s, 4), d->column_int64(s, 18) };
	fill_recent(st, addr, t, n, ev);
}

static void
swap_bytes(void *a, void *b, size_t n)
{
	unsigned char *x = a, *y = b;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = x[i];
		x[i] = y[i];
		y[i] = c;
	}
}

/* A decimal integer, the whole of p. */
static bool
recent_int(const char *p, int64_t *out)
{
	char *end;
	if (!*p)
		return false;
	long long v = strtoll(p, &end, 10);
	*out = (int64_t)v;
	return *end == '\0';
}

/* The packed recent events (internal.h) of a state row, unpacked into
 * st->recent: each column copied and NUL-ended, r->t[e] its events'
 * columns, most recent first as they are shown (the migration's SQL packs
 * them in no promised order).  False when the text is not what the store
 * writes (the caller then reads the events). */
/* S_SEL_RECENT: an address's most recent events (RECENT_COLS), the
 * address and the limit bound; prepared once per connection. */
int
st_prepare_recent(struct bk_store *st, struct bk_store_err *err)
{
	if (st->stmt[S_SEL_RECENT])
		return 0;
	return st_prepare(st, "SELECT " RECENT_COLS " FROM events WHERE address = ?"
			  " ORDER BY ts DESC, ikey DESC LIMIT ?", &st->stmt[S_SEL_RECENT], err);
}

bool
recent_unpack(struct bk_store *st, const char *src, size_t len, struct recent *r)
{
	r->n = 0;
	if (len + 1 > st->recent_cap) {
		size_t cap = len + 1 > 4096 ? len + 1 : 4096;
		char *m = realloc(st->recent, cap);
		if (!m)
			return false;
		st->recent = m;
		st->recent_cap = cap;
	}
	/* each column "BYTES:TEXT" becomes "TEXT\0": never longer */
	char *out = st->recent;
	const char *p = src, *end = src + len;
	while (p < end) {
		if (r->n == RECENT_KEEP)
			return false;
		for (int c = 0; c < RECENT_NCOLS; c++) {
			size_t k = 0;
			const char *q = p;
			while (q < end && *q >= '0' && *q <= '9' && q - p < 10)
				k = k * 10 + (size_t)(*q++ - '0');
			if (q == p || q >= end || *q != ':' || (size_t)(end - q - 1) < k)
				return false;
			memcpy(out, q + 1, k);
			out[k] = '\0';
			r->t[r->n][c] = out;
			r->len[r->n][c] = k;
			out += k + 1;
			p = q + 1 + k;
		}
		int64_t *v = r->v[r->n];
		if (!recent_int(r->t[r->n][0], &v[0]) || !recent_int(r->t[r->n][3], &v[1]) ||
		    !recent_int(r->t[r->n][4], &v[2]) || !recent_int(r->t[r->n][18], &v[3]))
			return false;
		r->n++;
	}
	/* ORDER BY ts DESC, ikey DESC */
	for (size_t i = 1; i < r->n; i++)
		for (size_t j = i; j > 0; j--) {
			const int64_t *a = r->v[j - 1], *b = r->v[j];
			if (a[2] > b[2] || (a[2] == b[2] &&
					    strcmp(r->t[j - 1][1], r->t[j][1]) >= 0))
				break;
			swap_bytes(r->t[j], r->t[j - 1], sizeof(r->t[j]));
			swap_bytes(r->len[j], r->len[j - 1], sizeof(r->len[j]));
			swap_bytes(r->v[j], r->v[j - 1], sizeof(r->v[j]));
		}
	return true;
}

/* The global-scope state of a normalised address as bk_store_query gives
 * it, read with a statement of its own (prepared once per connection):
 * only the columns the answer has, the row read once, not folded. */
static int
view_state(struct bk_store *st, const char *addr, int64_t now,
	   struct bk_addr_state *out, struct recent *r, bool *have_recent,
	   struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	bool sqlite = d->dialect == BK_DIALECT_SQLITE;
	int rc;
	*have_recent = false;
	if (!st->stmt[S_SEL_VIEW] &&
	    (rc = st_prepare(st, sqlite
			     ? "SELECT verdict, basis, since_ts, until_ts, first_ts,"
			       " last_ts, hard, soft, complaint, senderside, delivered,"
			       " last_reason, last_status, cause, recent FROM addr_state"
			       " WHERE scope = '' AND address = ?"
			     : "SELECT verdict, basis, since_ts, until_ts, first_ts,"
			       " last_ts, hard, soft, complaint, senderside, delivered,"
			       " last_reason, last_status, cause FROM addr_state"
			       " WHERE scope = '' AND address = ?",
			     &st->stmt[S_SEL_VIEW], err)) < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	st_copy(out->address, sizeof(out->address), addr);
	struct bk_stmt *s = st->stmt[S_SEL_VIEW];
	d->reset(s);	/* nothing to do unless an error left it stepped */
	st_bind_str(st, s, 1, addr);
	rc = d->step(s);
	if (rc < 0)
		return st_fail(st, rc, err, "reading an address's state");
	const char *v = rc == BK_DB_ROW ? d->column_text(s, 0, NULL) : NULL;
	/* "new": the placeholder of another back end's row lock (state_load) */
	if (v && strcmp(v, "new")) {
		out->known = true;
		st_copy(out->verdict, sizeof(out->verdict), v);
		st_copy(out->basis, sizeof(out->basis), d->column_text(s, 1, NULL));
		out->since = d->column_int64(s, 2);
		out->until = d->column_int64(s, 3);
		out->first = d->column_int64(s, 4);
		out->last = d->column_int64(s, 5);
		out->hard = d->column_int64(s, 6);
		out->soft = d->column_int64(s, 7);
		out->complaint = d->column_int64(s, 8);
		out->senderside = d->column_int64(s, 9);
		out->delivered = d->column_int64(s, 10);
		st_copy(out->last_reason, sizeof(out->last_reason), d->column_text(s, 11, NULL));
		st_copy(out->last_status, sizeof(out->last_status), d->column_text(s, 12, NULL));
		st_copy(out->cause, sizeof(out->cause), d->column_text(s, 13, NULL));
		size_t len = 0;
		const char *packed = sqlite ? d->column_text(s, 14, &len) : NULL;
		if (packed)
			*have_recent = recent_unpack(st, packed, len, r);
	} else {
		st_copy(out->verdict, sizeof(out->verdict), "ok");
	}
	/* done with the row (the read transaction, when there is one, is
	 * the caller's) */
	d->reset(s);
	if (st_allowed(st, addr)) {
		st_copy(out->verdict, sizeof(out->verdict), "ok");
		st_copy(out->basis, sizeof(out->basis), "allowed");
	} else if (!strcmp(out->verdict, "retry-after") && out->until <= now) {
		st_copy(out->verdict, sizeof(out->verdict), "ok");
		st_copy(out->basis, sizeof(out->basis), "expired");
	}
	return out->known ? 1 : 0;
}

int
bk_store_address_view(struct bk_store *st, const char *address, int64_t now,
		      size_t limit, struct bk_addr_state *out, bk_event_fn fn,
		      void *arg, struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	char addr[321];
	if (!bk_store_normalize(address, addr, sizeof(addr)))
		return st_errf(err, BK_STORE_EINVAL, "'%s' is not an address", address);
	if (limit < 1)
		return st_errf(err, BK_STORE_EINVAL, "a limit of at least 1");
	/* prepared once per connection: no SQL text built per request */
	int rc;
	if ((rc = st_prepare_recent(st, err)) < 0)
		return rc;
	/* both reads in one read transaction (unless the caller has one) */
	int tx = bk_store_read_begin(st, err);
	if (tx < 0)
		return tx;
	struct recent r;
	bool have_recent;
	int known = view_state(st, addr, now, out, &r, &have_recent, err);
	rc = known;
	/* the events kept with the state, when they are all the answer
	 * needs: all the address has, or at least the limit */
	if (known >= 0 && have_recent && (r.n < RECENT_KEEP || limit <= r.n)) {
		for (size_t i = 0; i < r.n && i < limit; i++) {
			struct bk_event ev;
			fill_recent(st, addr, r.t[i], r.v[i], &ev);
			if (fn(arg, &ev) < 0) {
				rc = st_errf(err, BK_STORE_EPERM, "output failed");
				break;
			}
		}
	} else if (known >= 0) {
		struct bk_stmt *s = st->stmt[S_SEL_RECENT];
		d->reset(s);
		st_bind_str(st, s, 1, addr);
		d->bind_int64(s, 2, (long long)limit);
		while ((rc = d->step(s)) == BK_DB_ROW) {
			struct bk_event ev;
			read_recent(st, s, addr, &ev);
			if (fn(arg, &ev) < 0)
				break;
		}
		d->reset(s);
		if (rc == BK_DB_ROW)
			rc = st_errf(err, BK_STORE_EPERM, "output failed");
		else if (rc < 0)
			rc = st_fail(st, rc, err, "reading events");
		else
			rc = known;
	}
	if (tx > 0)
		bk_store_read_end(st);
	return rc;
}

/* On SQLite, a read transaction is held by a statement that has a row and
 * is not reset: `PRAGMA data_version`, stepped once, its value kept, reset
 * at the end.  Other statements run in its snapshot meanwhile.  That is
 * one statement where BEGIN, the data version's own statement and COMMIT
 * were three; and the data version is read when the snapshot starts. */
int
bk_store_read_begin(struct bk_store *st, struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	if (d->dialect != BK_DIALECT_SQLITE || st->reading)
		return 0;
	int rc;
	/* prepared once per connection */
	if (!st->stmt[S_DATA_VERSION] &&
	    (rc = st_prepare(st, "PRAGMA data_version", &st->stmt[S_DATA_VERSION], err)) < 0)
		return rc;
	struct bk_stmt *s = st->stmt[S_DATA_VERSION];
	d->reset(s);
	rc = d->step(s);
	if (rc != BK_DB_ROW) {
		d->reset(s);
		return rc < 0 ? st_fail(st, rc, err, "beginning a read") : 0;
	}
	st->read_version = d->column_int64(s, 0);
	st->reading = true;
	return 1;
}

void
bk_store_read_end(struct bk_store *st)
{
	if (!st->reading)
		return;
	st->reading = false;
	/* the last active statement done: the snapshot and its locks go */
	st->drv->reset(st->stmt[S_DATA_VERSION]);
}

long long
bk_store_data_version(struct bk_store *st)
{
	if (!st->reading)
		return 0;
	long long v = st->read_version;
	/* something was committed since the allow-list was read: read it
	 * again (a long-lived handle sees `bouncekit allow` at once) */
	struct bk_store_err err;
	if (v && v != st->allow_version && st_load_allow(st, &err) == 0)
		st->allow_version = v;
	return v;
}

int
bk_store_export_events(struct bk_store *st, bk_event_fn fn, void *arg,
		       struct bk_store_err *err)
{
	return run_events(st, "SELECT " EVENT_READ_COLS " FROM events ORDER BY id",
			  NULL, fn, arg, err);
}

int
bk_store_export_suppressed(struct bk_store *st, int64_t now, bk_state_fn fn,
			   void *arg, struct bk_store_err *err)
{
	struct bk_stmt *s;
	int rc = st_prepare(st,
		"SELECT scope, address, verdict, basis, since_ts, until_ts, first_ts,"
		" last_ts, hard, soft, complaint, senderside, delivered, last_reason,"
		" last_status, cause FROM addr_state"
		" WHERE verdict = 'suppressed' OR (verdict = 'retry-after' AND until_ts > ?)"
		" ORDER BY scope, address", &s, err);
	if (rc < 0)
		return rc;
	const struct bk_db_driver *d = st->drv;
	d->bind_int64(s, 1, now);
	while ((rc = d->step(s)) == BK_DB_ROW) {
		struct bk_addr_state a;
		memset(&a, 0, sizeof(a));
		st_copy(a.scope, sizeof(a.scope), col(st, s, 0));
		st_copy(a.address, sizeof(a.address), col(st, s, 1));
		if (st_allowed(st, a.address))
			continue;
		st_copy(a.verdict, sizeof(a.verdict), col(st, s, 2));
		st_copy(a.basis, sizeof(a.basis), col(st, s, 3));
		a.since = d->column_int64(s, 4);
		a.until = d->column_int64(s, 5);
		a.first = d->column_int64(s, 6);
		a.last = d->column_int64(s, 7);
		a.hard = d->column_int64(s, 8);
		a.soft = d->column_int64(s, 9);
		a.complaint = d->column_int64(s, 10);
		a.senderside = d->column_int64(s, 11);
		a.delivered = d->column_int64(s, 12);
		st_copy(a.last_reason, sizeof(a.last_reason), col(st, s, 13));
		st_copy(a.last_status, sizeof(a.last_status), col(st, s, 14));
		st_copy(a.cause, sizeof(a.cause), col(st, s, 15));
		a.known = true;
		if (fn(arg, &a) < 0) {
			d->finalize(s);
			return st_errf(err, BK_STORE_EPERM, "output failed");
		}
	}
	d->finalize(s);
	return rc < 0 ? st_fail(st, rc, err, "reading suppressed addresses") : 0;
}

/* ---- Paged listings ---- */

#define PAGE_MAX 10000

static bool
given(const char *s)
{
	return s && *s;
}

int
bk_store_events_page(struct bk_store *st, const struct bk_event_filter *f,
		     long long before, size_t limit, bk_event_fn fn, void *arg,
		     long long *next, struct bk_store_err *err)
{
	*next = 0;
	if (limit < 1 || limit > PAGE_MAX)
		return st_errf(err, BK_STORE_EINVAL, "limit: 1 to %d", PAGE_MAX);
	char addr[321] = "", dom[256] = "";
	if (given(f->address) && !bk_store_normalize(f->address, addr, sizeof(addr)))
		return st_errf(err, BK_STORE_EINVAL, "'%s' is not an address", f->address);
	if (given(f->domain)) {
		size_t n = strlen(f->domain);
		if (n >= sizeof(dom))
			return st_errf(err, BK_STORE_EINVAL, "the domain is too long");
		for (size_t i = 0; i <= n; i++)
			dom[i] = (char)tolower((unsigned char)f->domain[i]);
	}
	char sql[2048];
	int n = snprintf(sql, sizeof(sql), "SELECT " EVENT_READ_COLS " FROM events"
			 " WHERE id < ? AND ts >= ? AND ts < ?%s%s%s%s ORDER BY id DESC LIMIT ?",
			 *addr ? " AND address = ?" : "",
			 *dom ? " AND destination = ?" : "",
			 given(f->reason) ? " AND reason = ?" : "",
			 given(f->channel) ? " AND channel = ?" : "");
	if (n < 0 || (size_t)n >= sizeof(sql))
		return st_errf(err, BK_STORE_EINVAL, "query too long");
	struct bk_stmt *s;
	int rc = st_prepare(st, sql, &s, err);
	if (rc < 0)
		return rc;
	const struct bk_db_driver *d = st->drv;
	/* with a class filter (computed here, under the policy) the rows are
	 * read in chunks until the page is full */
	long long chunk = given(f->evclass) ? 500 : (long long)limit + 1;
	long long cur = before > 0 ? before : INT64_MAX;
	size_t got = 0;
	for (;;) {
		int i = 1;
		d->reset(s);
		d->bind_int64(s, i++, cur);
		d->bind_int64(s, i++, f->since ? f->since : INT64_MIN);
		d->bind_int64(s, i++, f->until ? f->until : INT64_MAX);
		if (*addr)
			st_bind_str(st, s, i++, addr);
		if (*dom)
			st_bind_str(st, s, i++, dom);
		if (given(f->reason))
			st_bind_str(st, s, i++, f->reason);
		if (given(f->channel))
			st_bind_str(st, s, i++, f->channel);
		d->bind_int64(s, i++, chunk);
		long long rows = 0;
		bool full = false;
		while ((rc = d->step(s)) == BK_DB_ROW) {
			struct bk_event ev;
			read_event(st, s, &ev);
			rows++;
			cur = ev.id;
			if (given(f->evclass) && strcmp(ev.evclass, f->evclass))
				continue;
			if (got == limit) {
				/* one more matches: there is a next page */
				full = true;
				break;
			}
			if (fn(arg, &ev) < 0) {
				d->finalize(s);
				return st_errf(err, BK_STORE_EPERM, "output failed");
			}
			*next = ev.id;
			got++;
		}
		if (rc < 0) {
			d->finalize(s);
			return st_fail(st, rc, err, "reading events");
		}
		if (full)
			break;
		if (rows < chunk) {
			*next = 0;	/* the end */
			break;
		}
	}
	d->finalize(s);
	return 0;
}

static void
read_state(struct bk_store *st, struct bk_stmt *s, struct bk_addr_state *a)
{
	const struct bk_db_driver *d = st->drv;
	memset(a, 0, sizeof(*a));
	st_copy(a->scope, sizeof(a->scope), col(st, s, 0));
	st_copy(a->address, sizeof(a->address), col(st, s, 1));
	st_copy(a->verdict, sizeof(a->verdict), col(st, s, 2));
	st_copy(a->basis, sizeof(a->basis), col(st, s, 3));
	a->since = d->column_int64(s, 4);
	a->until = d->column_int64(s, 5);
	a->first = d->column_int64(s, 6);
	a->last = d->column_int64(s, 7);
	a->hard = d->column_int64(s, 8);
	a->soft = d->column_int64(s, 9);
	a->complaint = d->column_int64(s, 10);
	a->senderside = d->column_int64(s, 11);
	a->delivered = d->column_int64(s, 12);
	st_copy(a->last_reason, sizeof(a->last_reason), col(st, s, 13));
	st_copy(a->last_status, sizeof(a->last_status), col(st, s, 14));
	st_copy(a->cause, sizeof(a->cause), col(st, s, 15));
	a->known = true;
}

#define STATE_COLS \
	"scope, address, verdict, basis, since_ts, until_ts, first_ts," \
	" last_ts, hard, soft, complaint, senderside, delivered, last_reason," \
	" last_status, cause"

int
bk_store_suppressions_page(struct bk_store *st, const struct bk_supp_filter *f,
			   int64_t now, const char *after_scope,
			   const char *after_addr, size_t limit, bk_state_fn fn,
			   void *arg, bool *more, struct bk_store_err *err)
{
	*more = false;
	if (limit < 1 || limit > PAGE_MAX)
		return st_errf(err, BK_STORE_EINVAL, "limit: 1 to %d", PAGE_MAX);
	char like[300] = "";
	if (given(f->domain)) {
		size_t n = strlen(f->domain);
		if (n > 253)
			return st_errf(err, BK_STORE_EINVAL, "the domain is too long");
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)f->domain[i];
			if (!isalnum(c) && c != '.' && c != '-')
				return st_errf(err, BK_STORE_EINVAL,
					       "'%s' is not a domain name", f->domain);
		}
		like[0] = '%';
		like[1] = '@';
		for (size_t i = 0; i <= n; i++)
			like[2 + i] = (char)tolower((unsigned char)f->domain[i]);
	}
	const char *v = given(f->verdict) ? f->verdict : "";
	if (*v && strcmp(v, "suppressed") && strcmp(v, "retry-after"))
		return st_errf(err, BK_STORE_EINVAL, "verdict: suppressed or retry-after");
	/* keyset paging on the primary key (scope, address), index-friendly
	 * on every back end: the rest of the position's scope (0), then the
	 * scopes after it (1) */
	static const char *const pos[2] = { "scope = ? AND address > ?", "scope > ?" };
	struct bk_stmt *s[2] = { NULL, NULL };
	int rc = 0;
	for (int ph = 0; ph < 2 && rc >= 0; ph++) {
		char sql[2048];
		int n = snprintf(sql, sizeof(sql), "SELECT " STATE_COLS " FROM addr_state"
				 " WHERE %s AND %s AND since_ts >= ? AND since_ts < ?%s%s%s%s"
				 " ORDER BY scope, address LIMIT ?", pos[ph],
				 !*v ? "(verdict = 'suppressed' OR (verdict = 'retry-after' AND until_ts > ?))"
				 : !strcmp(v, "suppressed") ? "verdict = 'suppressed' AND 0 = ?"
				 : "verdict = 'retry-after' AND until_ts > ?",
				 given(f->reason) ? " AND last_reason = ?" : "",
				 given(f->basis) ? " AND basis = ?" : "",
				 *like ? " AND address LIKE ?" : "",
				 f->scope ? " AND scope = ?" : "");
		if (n < 0 || (size_t)n >= sizeof(sql))
			rc = st_errf(err, BK_STORE_EINVAL, "query too long");
		else
			rc = st_prepare(st, sql, &s[ph], err);
	}
	const struct bk_db_driver *d = st->drv;
	if (rc < 0) {
		d->finalize(s[0]);
		return rc;
	}
	char sc[256], ad[321];
	st_copy(sc, sizeof(sc), after_scope ? after_scope : "");
	st_copy(ad, sizeof(ad), after_addr ? after_addr : "");
	size_t got = 0;
	bool full = false;
	/* allow-listed addresses are skipped here: read on until the page is
	 * full or the rows end */
	for (;;) {
		long long chunk = (long long)(limit - got) + 1, rows = 0;
		for (int ph = 0; ph < 2 && !full && rows < chunk; ph++) {
			struct bk_stmt *q = s[ph];
			int i = 1;
			d->reset(q);
			st_bind_str(st, q, i++, sc);
			if (ph == 0)
				st_bind_str(st, q, i++, ad);
			d->bind_int64(q, i++, !strcmp(v, "suppressed") ? 0 : now);
			d->bind_int64(q, i++, f->since ? f->since : INT64_MIN);
			d->bind_int64(q, i++, f->until ? f->until : INT64_MAX);
			if (given(f->reason))
				st_bind_str(st, q, i++, f->reason);
			if (given(f->basis))
				st_bind_str(st, q, i++, f->basis);
			if (*like)
				st_bind_str(st, q, i++, like);
			if (f->scope)
				st_bind_str(st, q, i++, f->scope);
			long long asked = chunk - rows, here = 0;
			d->bind_int64(q, i++, asked);
			while ((rc = d->step(q)) == BK_DB_ROW) {
				struct bk_addr_state a;
				read_state(st, q, &a);
				rows++;
				here++;
				st_copy(sc, sizeof(sc), a.scope);
				st_copy(ad, sizeof(ad), a.address);
				if (st_allowed(st, a.address))
					continue;
				if (got == limit) {
					full = true;
					break;
				}
				if (fn(arg, &a) < 0) {
					rc = st_errf(err, BK_STORE_EPERM, "output failed");
					goto out;
				}
				got++;
			}
			if (rc < 0) {
				rc = st_fail(st, rc, err, "reading suppressed addresses");
				goto out;
			}
			if (here == asked)
				break;	/* the chunk came from this scope alone */
		}
		if (full) {
			*more = true;
			break;
		}
		if (rows < chunk)
			break;
	}
	rc = 0;
out:
	d->finalize(s[0]);
	d->finalize(s[1]);
	return rc;
}

int
bk_store_verdict_counts(struct bk_store *st, int64_t now,
			struct bk_verdict_counts *out, struct bk_store_err *err)
{
	memset(out, 0, sizeof(*out));
	struct bk_stmt *s;
	int rc = st_prepare(st, "SELECT verdict, basis, COUNT(*) FROM addr_state"
			    " WHERE verdict <> 'retry-after' GROUP BY verdict, basis", &s, err);
	if (rc < 0)
		return rc;
	const struct bk_db_driver *d = st->drv;
	while ((rc = d->step(s)) == BK_DB_ROW) {
		const char *v = col(st, s, 0), *b = col(st, s, 1);
		long long k = d->column_int64(s, 2);
		if (!strcmp(b, "allowed"))
			out->allowed += k;
		else if (!strcmp(v, "suppressed"))
			out->suppressed += k;
		else
			out->ok += k;
	}
	d->finalize(s);
	if (rc < 0)
		return st_fail(st, rc, err, "counting verdicts");
	rc = st_prepare(st, "SELECT COUNT(*) FROM addr_state"
			" WHERE verdict = 'retry-after' AND until_ts > ?", &s, err);
	if (rc < 0)
		return rc;
	d->bind_int64(s, 1, now);
	rc = d->step(s);
	if (rc == BK_DB_ROW)
		out->retry = d->column_int64(s, 0);
	d->finalize(s);
	if (rc < 0)
		return st_fail(st, rc, err, "counting verdicts");
	rc = st_prepare(st, "SELECT COUNT(*) FROM addr_state"
			" WHERE verdict = 'retry-after' AND until_ts <= ?", &s, err);
	if (rc < 0)
		return rc;
	d->bind_int64(s, 1, now);
	rc = d->step(s);
	if (rc == BK_DB_ROW)
		out->ok += d->column_int64(s, 0);
	d->finalize(s);
	return rc < 0 ? st_fail(st, rc, err, "counting verdicts") : 0;
}

/* ---- Statistics: aggregated here, so that the classes are the policy's ---- */

struct srow {
	char *key;
	struct bk_stat_row r;
};

struct smap {
	struct srow *v;
	size_t n, cap;		/* open addressing, cap a power of two */
	char **seen;		/* key \x1f address, for distinct recipients */
	size_t nseen, capseen;
};

static uint64_t
hstr(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h ^ (h >> 32);
}

static bool
grow(void **v, size_t *cap, size_t elem)
{
	size_t nc = *cap ? *cap * 2 : 256;
	void *t = calloc(nc, elem);
	if (!t)
		return false;
	*v = t;
	*cap = nc;
	return true;
}

static struct srow *
smap_get(struct smap *m, const char *key)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct srow *old = m->v;
		size_t oc = m->cap;
		if (!grow((void **)&m->v, &m->cap, sizeof(*m->v))) {
			m->v = old;
			return NULL;
		}
		for (size_t i = 0; i < oc; i++)
			if (old[i].key) {
				size_t j = hstr(old[i].key) & (m->cap - 1);
				while (m->v[j].key)
					j = (j + 1) & (m->cap - 1);
				m->v[j] = old[i];
			}
		free(old);
	}
	size_t j = hstr(key) & (m->cap - 1);
	while (m->v[j].key) {
		if (!strcmp(m->v[j].key, key))
			return &m->v[j];
		j = (j + 1) & (m->cap - 1);
	}
	m->v[j].key = strdup(key);
	if (!m->v[j].key)
		return NULL;
	m->v[j].r.key = m->v[j].key;
	m->n++;
	return &m->v[j];
}

/* true when key+address is new */
static bool
seen_add(struct smap *m, const char *key, const char *addr)
{
	char buf[700];
	snprintf(buf, sizeof(buf), "%s\x1f%s", key, addr);
	if ((m->nseen + 1) * 2 > m->capseen) {
		char **old = m->seen;
		size_t oc = m->capseen;
		if (!grow((void **)&m->seen, &m->capseen, sizeof(*m->seen))) {
			m->seen = old;
			return false;
		}
		for (size_t i = 0; i < oc; i++)
			if (old[i]) {
				size_t j = hstr(old[i]) & (m->capseen - 1);
				while (m->seen[j])
					j = (j + 1) & (m->capseen - 1);
				m->seen[j] = old[i];
			}
		free(old);
	}
	size_t j = hstr(buf) & (m->capseen - 1);
	while (m->seen[j]) {
		if (!strcmp(m->seen[j], buf))
			return false;
		j = (j + 1) & (m->capseen - 1);
	}
	m->seen[j] = strdup(buf);
	if (m->seen[j])
		m->nseen++;
	return m->seen[j] != NULL;
}

static int sort_by_key;

static int
cmp_srow(const void *a, const void *b)
{
	const struct bk_stat_row *x = *(const struct bk_stat_row *const *)a;
	const struct bk_stat_row *y = *(const struct bk_stat_row *const *)b;
	if (!sort_by_key && x->events != y->events)
		return x->events > y->events ? -1 : 1;
	return strcmp(x->key, y->key);
}

int
bk_store_stats(struct bk_store *st, const char *by, int64_t since, int64_t until,
	       bk_stat_fn fn, void *arg, struct bk_store_err *err)
{
	static const char *const names[] = { "reason", "destination",
		"senderdomain", "provider", "day", "hour", NULL };
	int which = -1;
	for (int i = 0; names[i]; i++)
		if (!strcmp(by, names[i]))
			which = i;
	if (which < 0)
		return st_errf(err, BK_STORE_EINVAL,
			       "stats --by: reason, destination, senderdomain, provider, day or hour");
	struct bk_stmt *s;
	int rc = st_prepare(st,
		"SELECT ts, reason, deliverystatus, hardbounce, command, diagnosticcode,"
		" addresser, feedbacktype, destination, senderdomain, decodedby, address"
		" FROM events WHERE ts >= ? AND ts < ?", &s, err);
	if (rc < 0)
		return rc;
	const struct bk_db_driver *d = st->drv;
	d->bind_int64(s, 1, since ? since : INT64_MIN);
	d->bind_int64(s, 2, until ? until : INT64_MAX);
	struct smap m;
	memset(&m, 0, sizeof(m));
	while ((rc = d->step(s)) == BK_DB_ROW) {
		int64_t ts = d->column_int64(s, 0);
		char key[64];
		const char *k;
		if (which <= 3) {
			static const int colof[] = { 1, 8, 9, 10 };
			k = col(st, s, colof[which]);
			if (!*k)
				k = "(none)";
		} else {
			time_t t = (time_t)ts;
			struct tm tm;
			gmtime_r(&t, &tm);
			strftime(key, sizeof(key), which == 4 ? "%Y-%m-%d" : "%Y-%m-%d %H:00", &tm);
			k = key;
		}
		struct srow *r = smap_get(&m, k);
		if (!r) {
			rc = st_errf(err, BK_STORE_ENOMEM, "out of memory");
			break;
		}
		r->r.events++;
		switch (ev_classify(&st->pol, col(st, s, 1), col(st, s, 2),
				    d->column_int64(s, 3) != 0, col(st, s, 4),
				    col(st, s, 5), col(st, s, 6), col(st, s, 7))) {
		case C_HARD: r->r.hard++; break;
		case C_SOFT: r->r.soft++; break;
		case C_COMPLAINT: r->r.complaint++; break;
		case C_SENDER: r->r.senderside++; break;
		case C_DELIVERED: r->r.delivered++; break;
		default: r->r.other++; break;
		}
		if (seen_add(&m, k, col(st, s, 11)))
			r->r.addresses++;
	}
	d->finalize(s);
	if (rc < 0 && rc != BK_STORE_ENOMEM)
		rc = st_fail(st, rc, err, "reading events");
	/* deliveries a delivery log counted (per day): by destination,
	 * sender domain and day */
	if (rc >= 0 && (which == 1 || which == 2 || which == 4)) {
		rc = st_prepare(st, "SELECT day, destination, senderdomain, n FROM deliveries"
				" WHERE day >= ? AND day < ?", &s, err);
		if (rc >= 0) {
			d->bind_int64(s, 1, since ? since / 86400 : INT64_MIN);
			d->bind_int64(s, 2, until ? (until + 86399) / 86400 : INT64_MAX);
			while ((rc = d->step(s)) == BK_DB_ROW) {
				char key[64];
				const char *k;
				if (which == 4) {
					time_t t = (time_t)(d->column_int64(s, 0) * 86400);
					struct tm tm;
					gmtime_r(&t, &tm);
					strftime(key, sizeof(key), "%Y-%m-%d", &tm);
					k = key;
				} else {
					k = col(st, s, which == 1 ? 1 : 2);
					if (!*k)
						k = "(none)";
				}
				struct srow *r = smap_get(&m, k);
				if (!r) {
					rc = st_errf(err, BK_STORE_ENOMEM, "out of memory");
					break;
				}
				r->r.delivered += d->column_int64(s, 3);
			}
			d->finalize(s);
			if (rc < 0 && rc != BK_STORE_ENOMEM)
				rc = st_fail(st, rc, err, "reading deliveries");
		}
	}
	if (rc >= 0) {
		rc = 0;
		struct bk_stat_row **rows = calloc(m.n ? m.n : 1, sizeof(*rows));
		size_t k = 0;
		if (!rows) {
			rc = st_errf(err, BK_STORE_ENOMEM, "out of memory");
		} else {
			for (size_t i = 0; i < m.cap; i++)
				if (m.v[i].key)
					rows[k++] = &m.v[i].r;
			sort_by_key = which >= 4;
			qsort(rows, k, sizeof(*rows), cmp_srow);
			for (size_t i = 0; i < k; i++)
				if (fn(arg, rows[i]) < 0) {
					rc = st_errf(err, BK_STORE_EPERM, "output failed");
					break;
				}
			free(rows);
		}
	}
	for (size_t i = 0; i < m.cap; i++)
		free(m.v[i].key);
	free(m.v);
	for (size_t i = 0; i < m.capseen; i++)
		free(m.seen[i]);
	free(m.seen);
	return rc;
}

/* ---- Manual changes ---- */

static int
audit(struct bk_store *st, long long at, const char *who, const char *action,
      const char *scope, const char *addr, const char *reason, long long *id,
      struct bk_store_err *err)
{
	struct bk_stmt *s;
	int rc = st_prepare(st, "INSERT INTO audit (at, who, action, scope, address, reason)"
			    " VALUES (?, ?, ?, ?, ?, ?)", &s, err);
	if (rc < 0)
		return rc;
	st->drv->bind_int64(s, 1, at);
	st_bind_str(st, s, 2, who && *who ? who : "unknown");
	st_bind_str(st, s, 3, action);
	st_bind_str(st, s, 4, scope);
	st_bind_str(st, s, 5, addr);
	st_bind_str(st, s, 6, reason ? reason : "");
	rc = st->drv->step(s);
	st->drv->finalize(s);
	if (rc < 0)
		return st_fail(st, rc, err, "writing the audit trail");
	if (!id)
		return 0;
	rc = st_prepare(st, "SELECT MAX(id) FROM audit WHERE address = ? AND at = ?", &s, err);
	if (rc < 0)
		return rc;
	st_bind_str(st, s, 1, addr);
	st->drv->bind_int64(s, 2, at);
	rc = st->drv->step(s);
	*id = rc == BK_DB_ROW ? st->drv->column_int64(s, 0) : 0;
	st->drv->finalize(s);
	return rc < 0 ? st_fail(st, rc, err, "reading the audit trail") : 0;
}

/* One manual change inside the caller's transaction (addr normalised). */
static int
manual_in(struct bk_store *st, const char *addr, const char *scope, int action,
	  bool force, const char *who, const char *reason, struct bk_store_err *err)
{
	long long now = (long long)time(NULL);
	int rc;
	struct fstate f;
	if ((rc = state_load(st, scope, addr, &f, true, err)) < 0)
		return rc;
	if (action == 2 && !force && f.s.known && !strcmp(f.s.verdict, "suppressed") &&
	    !strcmp(f.s.basis, "complaint")) {
		return st_errf(err, BK_STORE_EREFUSED,
			       "%s is suppressed by a complaint: lifted only with --force", addr);
	}
	const char *act = action == 1 ? "suppress" : force ? "unsuppress-force" : "unsuppress";
	long long id;
	if ((rc = audit(st, now, who, act, scope, addr, reason, &id, err)) < 0)
		return rc;
	struct fitem it;
	memset(&it, 0, sizeof(it));
	it.ts = now;
	snprintf(it.key, sizeof(it.key), "audit:%lld", id);
	it.action = action == 1 ? 1 : force ? 3 : 2;
	if (f.s.known && now < f.last_ts) {
		if ((rc = state_rebuild(st, scope, addr, &f, err)) < 0)
			return rc;
	} else {
		if (!f.s.known)
			fold_reset(&f, scope, addr);
		fold(&st->pol, &f, &it);
	}
	finish_allow(st, &f);
	return state_save(st, &f, err);
}

static int
manual(struct bk_store *st, const char *address, const char *scope, int action,
       bool force, const char *who, const char *reason, struct bk_store_err *err)
{
	char addr[321];
	if (!bk_store_normalize(address, addr, sizeof(addr)))
		return st_errf(err, BK_STORE_EINVAL, "'%s' is not an address", address);
	int rc = st->drv->begin(st->db);
	if (rc < 0)
		return st_fail(st, rc, err, "starting a transaction");
	if ((rc = manual_in(st, addr, scope ? scope : "", action, force, who, reason,
			    err)) < 0)
		goto fail;
	rc = st->drv->commit(st->db);
	if (rc < 0) {
		rc = st_fail(st, rc, err, "committing");
		goto fail;
	}
	return 0;
fail:
	st->drv->rollback(st->db);
	return rc;
}

int
bk_store_suppress(struct bk_store *st, const char *address, const char *scope,
		  const char *who, const char *reason, struct bk_store_err *err)
{
	return manual(st, address, scope, 1, false, who, reason, err);
}

int
bk_store_suppress_many(struct bk_store *st, struct bk_manual_item *items,
		       size_t n, const char *who, struct bk_store_err *err)
{
	if (!n)
		return 0;
	int rc = st->drv->begin(st->db);
	if (rc < 0)
		return st_fail(st, rc, err, "starting a transaction");
	for (size_t i = 0; i < n; i++) {
		char addr[321];
		items[i].rc = 0;
		if (!bk_store_normalize(items[i].address, addr, sizeof(addr))) {
			items[i].rc = BK_STORE_EINVAL;
			continue;
		}
		if ((rc = manual_in(st, addr, items[i].scope ? items[i].scope : "", 1, false,
				    who, items[i].reason, err)) < 0)
			goto fail;
	}
	rc = st->drv->commit(st->db);
	if (rc < 0) {
		rc = st_fail(st, rc, err, "committing");
		goto fail;
	}
	return 0;
fail:
	st->drv->rollback(st->db);
	return rc;
}

int
bk_store_unsuppress(struct bk_store *st, const char *address, const char *scope,
		    bool force, const char *who, const char *reason,
		    struct bk_store_err *err)
{
	return manual(st, address, scope, 2, force, who, reason, err);
}

int
bk_store_allow(struct bk_store *st, const char *entry, const char *who,
	       const char *reason, struct bk_store_err *err)
{
	char e[322];
	if (entry[0] == '@') {
		size_t n = strlen(entry);
		if (n < 2 || n >= sizeof(e) || strchr(entry + 1, '@'))
			return st_errf(err, BK_STORE_EINVAL, "'%s' is not @DOMAIN", entry);
		for (size_t i = 0; i <= n; i++)
			e[i] = (char)tolower((unsigned char)entry[i]);
	} else if (!bk_store_normalize(entry, e, sizeof(e))) {
		return st_errf(err, BK_STORE_EINVAL, "'%s' is not an address or @DOMAIN", entry);
	}
	long long now = (long long)time(NULL);
	int rc = st->drv->begin(st->db);
	if (rc < 0)
		return st_fail(st, rc, err, "starting a transaction");
	struct bk_stmt *s;
	if ((rc = st_prepare(st, "{INSERT_IGNORE} INTO allowlist (entry, at, who, reason)"
			     " VALUES (?, ?, ?, ?){ON_CONFLICT_NOTHING}", &s, err)) < 0)
		goto fail;
	st_bind_str(st, s, 1, e);
	st->drv->bind_int64(s, 2, now);
	st_bind_str(st, s, 3, who && *who ? who : "unknown");
	st_bind_str(st, s, 4, reason ? reason : "");
	rc = st->drv->step(s);
	st->drv->finalize(s);
	if (rc < 0) {
		rc = st_fail(st, rc, err, "writing the allow-list");
		goto fail;
	}
	if ((rc = audit(st, now, who, "allow", "", e, reason, NULL, err)) < 0)
		goto fail;
	char like[330];
	snprintf(like, sizeof(like), "%%%s", e);
	if ((rc = st_prepare(st, e[0] == '@'
			? "UPDATE addr_state SET verdict = 'ok', basis = 'allowed' WHERE address LIKE ?"
			: "UPDATE addr_state SET verdict = 'ok', basis = 'allowed' WHERE address = ?",
			&s, err)) < 0)
		goto fail;
	st_bind_str(st, s, 1, e[0] == '@' ? like : e);
	rc = st->drv->step(s);
	st->drv->finalize(s);
	if (rc < 0) {
		rc = st_fail(st, rc, err, "updating allowed addresses");
		goto fail;
	}
	rc = st->drv->commit(st->db);
	if (rc < 0) {
		rc = st_fail(st, rc, err, "committing");
		goto fail;
	}
	return st_load_allow(st, err);
fail:
	st->drv->rollback(st->db);
	return rc;
}

int
bk_store_prune(struct bk_store *st, int64_t now, unsigned days,
	       long long *deleted, struct bk_store_err *err)
{
	struct bk_stmt *s;
	int rc = st_prepare(st, "DELETE FROM events WHERE ts < ?", &s, err);
	if (rc < 0)
		return rc;
	st->drv->bind_int64(s, 1, now - (int64_t)days * 86400);
	rc = st->drv->step(s);
	*deleted = rc >= 0 ? st->drv->changes(s) : 0;
	st->drv->finalize(s);
	return rc < 0 ? st_fail(st, rc, err, "pruning events") : 0;
}

/* Every (scope, address) with events, in pages, rebuilt one by one. */
int
bk_store_recompute(struct bk_store *st, long long *addresses,
		   struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	bool bysender = st->pol.scope == BK_SCOPE_SENDERDOMAIN;
	*addresses = 0;
	int rc = d->begin(st->db);
	if (rc < 0)
		return st_fail(st, rc, err, "starting the recompute");
	if ((rc = d->exec(st->db, "DELETE FROM addr_state")) < 0) {
		rc = st_fail(st, rc, err, "clearing address state");
		goto fail;
	}
	char lastsd[321] = "", lastaddr[321] = "";
	enum { PAGE = 2000 };
	char (*page)[2][321] = malloc(PAGE * sizeof(*page));
	if (!page) {
		rc = st_errf(err, BK_STORE_ENOMEM, "out of memory");
		goto fail;
	}
	for (;;) {
		struct bk_stmt *s;
		char sql[512];
		if (bysender)
			snprintf(sql, sizeof(sql),
				 "SELECT DISTINCT senderdomain, address FROM events"
				 " WHERE senderdomain > ? OR (senderdomain = ? AND address > ?)"
				 " ORDER BY senderdomain, address LIMIT %d", PAGE);
		else
			snprintf(sql, sizeof(sql),
				 "SELECT DISTINCT '', address FROM events WHERE address > ?"
				 " ORDER BY address LIMIT %d", PAGE);
		if ((rc = st_prepare(st, sql, &s, err)) < 0)
			break;
		if (bysender) {
			st_bind_str(st, s, 1, lastsd);
			st_bind_str(st, s, 2, lastsd);
			st_bind_str(st, s, 3, lastaddr);
		} else {
			st_bind_str(st, s, 1, lastaddr);
		}
		size_t n = 0;
		while ((rc = d->step(s)) == BK_DB_ROW && n < PAGE) {
			st_copy(page[n][0], 321, col(st, s, 0));
			st_copy(page[n][1], 321, col(st, s, 1));
			n++;
		}
		d->finalize(s);
		if (rc < 0) {
			rc = st_fail(st, rc, err, "listing addresses");
			break;
		}
		rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++) {
			struct fstate f;
			memset(&f, 0, sizeof(f));
			if ((rc = state_rebuild(st, page[i][0], page[i][1], &f, err)) < 0)
				break;
			f.exists = false;
			finish_allow(st, &f);
			if ((rc = state_save(st, &f, err)) < 0)
				break;
			++*addresses;
		}
		if (rc < 0 || n < PAGE)
			break;
		st_copy(lastsd, sizeof(lastsd), page[n - 1][0]);
		st_copy(lastaddr, sizeof(lastaddr), page[n - 1][1]);
	}
	free(page);
	if (rc < 0)
		goto fail;
	/* addresses with only manual changes */
	struct bk_stmt *s;
	if ((rc = st_prepare(st, "SELECT DISTINCT scope, address FROM audit"
			     " WHERE action <> 'allow'", &s, err)) < 0)
		goto fail;
	char (*extra)[2][321] = NULL;
	size_t ne = 0, ce = 0;
	while ((rc = d->step(s)) == BK_DB_ROW) {
		if (ne == ce) {
			ce = ce ? ce * 2 : 64;
			void *t = realloc(extra, ce * sizeof(*extra));
			if (!t) {
				rc = BK_DB_EPERMANENT;
				break;
			}
			extra = t;
		}
		st_copy(extra[ne][0], 321, col(st, s, 0));
		st_copy(extra[ne][1], 321, col(st, s, 1));
		ne++;
	}
	d->finalize(s);
	if (rc < 0) {
		free(extra);
		rc = st_fail(st, rc, err, "reading the audit trail");
		goto fail;
	}
	rc = 0;
	for (size_t i = 0; i < ne && rc == 0; i++) {
		struct fstate f;
		if ((rc = state_load(st, extra[i][0], extra[i][1], &f, false, err)) < 0)
			break;
		if (f.exists)
			continue;	/* done with its events */
		if ((rc = state_rebuild(st, extra[i][0], extra[i][1], &f, err)) < 0)
			break;
		f.exists = false;
		finish_allow(st, &f);
		if ((rc = state_save(st, &f, err)) < 0)
			break;
		++*addresses;
	}
	free(extra);
	if (rc < 0)
		goto fail;
	if ((rc = st_save_policy(st, err)) < 0)
		goto fail;
	rc = d->commit(st->db);
	if (rc < 0) {
		rc = st_fail(st, rc, err, "committing the recompute");
		goto fail;
	}
	return 0;
fail:
	d->rollback(st->db);
	return rc;
}
