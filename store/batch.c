/* SPDX-License-Identifier: BSD-2-Clause */
/* batch.c - a batch written to a database server with a few multi-row
 * statements instead of four round trips per bounce (docs/performance.md):
 *
 *   1. the events, many rows per INSERT, duplicates skipped by the unique
 *      key ({INSERT_IGNORE} / ON CONFLICT DO NOTHING), RETURNING the keys
 *      it inserted: those are the batch's new events;
 *   2. the state of every address with a new event, many per SELECT ...
 *      WHERE scope = ? AND address IN (...) ORDER BY address FOR UPDATE,
 *      so that a concurrent writer of the same address waits (rows locked
 *      in one order, the key's, by every writer);
 *   3. the new states computed in memory (group_fold, the same fold as the
 *      statement-per-row path);
 *   4. the addresses that had no state inserted, many rows per INSERT that
 *      skips a row another writer made meanwhile (RETURNING the ones it
 *      made); those others are read again with their lock and folded
 *      again;
 *   5. the others written back, many rows per upsert.
 *
 * All of it in the batch's one transaction.  Values are always bound
 * parameters; the statements are prepared once per row count and kept.
 * PostgreSQL and MariaDB (10.5 and later: INSERT ... RETURNING) take this
 * path; SQLite (no round trips to save) and a MySQL server without
 * RETURNING keep a statement per row (ingest.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* Rows per statement: the parameters stay well below every back end's
 * limit (65535 on both servers), a statement's text below 1 MB. */
#define EVENT_ROWS 200
#define STATE_ROWS 400
/* A chunk of events is cut early past this many bytes of values (the
 * MariaDB packet limit is 16 MB by default). */
#define CHUNK_BYTES (4u << 20)

enum mkind { K_EVENTS, K_SELECT, K_NEWSTATE, K_UPSERT, K_JEVENTS, K_JSEL, K_MSEL };

/* Join and message keys looked up per statement (MariaDB: an IN list, its
 * length rounded up to a power of two so that few statements are
 * prepared; PostgreSQL: one array, any length). */
#define JOIN_ROWS 4096

/* An event of the store that a key of the batch names. */
struct dbev {
	char ikey[33];
	bool final;		/* its action is not "delayed" */
	unsigned empty;		/* 1 messageid, 2 subject, 4 addresser,
				 * 8 provider_class, 16 catch_json: empty */
};

/* A join or message key: the stored event or the group of this batch's
 * records that has it. */
struct hent {
	char key[33];
	int type;		/* 0 free, 1 a stored event, 2 a group */
	size_t idx;
};

/* The records of a batch that make one new event: the first one (whose
 * keys the event keeps) and the best one (whose content it holds). */
struct jgroup {
	size_t creator, best, cur;
	bool redo;		/* its insert was turned away */
};

enum { R_PLAIN, R_DUP, R_SINGLE, R_GROUP };

struct mstmt {
	int kind;
	size_t rows;
	unsigned long used;
	struct bk_stmt *s;
};

struct bgroup {
	size_t i, j;		/* its records: batch[i..j) */
	int newly;		/* became suppressed in this batch */
	bool created;		/* its state row inserted by this batch */
	struct fstate f;
};

struct bk_batchmem {
	struct mstmt mc[MSTMT_CACHE];
	unsigned long tick;
	struct bgroup *g;
	size_t capg;
	size_t *idx;		/* groups of one step, by position */
	size_t capidx;
	char (*keys)[33];	/* keys one INSERT returned */
	bool *claimed;
	/* the joins (join_plan) */
	struct dbev *dbev;
	size_t ndbev, capdbev;
	struct hent *ht;
	size_t capht;		/* the table's slots in use (a power of two) */
	size_t allocht;		/* ... and allocated */
	struct jgroup *jg;
	size_t njg, capjg;
	size_t *rg;		/* each record's group */
	unsigned char *rcls;	/* each record's R_ */
	size_t *jidx;		/* records of one step */
	size_t capr;
	char (*qk)[33];		/* keys to look up */
	size_t capqk;
	char *arr;		/* PostgreSQL's array of them */
	size_t caparr;
};

bool
st_multirow(struct bk_store *st)
{
	if (st->multirow == 0) {
		st->multirow = -1;
		if (st->drv->dialect == BK_DIALECT_PG) {
			st->multirow = 1;
		} else if (st->drv->dialect == BK_DIALECT_MYSQL) {
			/* MariaDB 10.5 and later: INSERT ... RETURNING */
			struct bk_stmt *s;
			if (st->drv->prepare(st->db, "SELECT VERSION()", &s) == 0) {
				if (st->drv->step(s) == BK_DB_ROW) {
					const char *v = st->drv->column_text(s, 0, NULL);
					int major = 0, minor = 0;
					if (v && strstr(v, "MariaDB") &&
					    sscanf(v, "%d.%d", &major, &minor) == 2 &&
					    (major > 10 || (major == 10 && minor >= 5)))
						st->multirow = 1;
				}
				st->drv->finalize(s);
			}
		}
	}
	return st->multirow > 0;
}

void
batch_free(struct bk_store *st)
{
	struct bk_batchmem *m = st->bm;
	if (!m)
		return;
	for (int i = 0; i < MSTMT_CACHE; i++)
		if (m->mc[i].s)
			st->drv->finalize(m->mc[i].s);
	free(m->g);
	free(m->idx);
	free(m->keys);
	free(m->claimed);
	free(m->dbev);
	free(m->ht);
	free(m->jg);
	free(m->rg);
	free(m->rcls);
	free(m->jidx);
	free(m->qk);
	free(m->arr);
	free(m);
	st->bm = NULL;
}

/* "(?, ?, ...)" of n parameters, rows times, comma separated. */
static void
put_rows(char *out, size_t *len, size_t rows, int n)
{
	char *w = out + *len;
	for (size_t r = 0; r < rows; r++) {
		if (r)
			*w++ = ',', *w++ = ' ';
		*w++ = '(';
		for (int k = 0; k < n; k++) {
			if (k)
				*w++ = ',', *w++ = ' ';
			*w++ = '?';
		}
		*w++ = ')';
	}
	*w = '\0';
	*len = (size_t)(w - out);
}

static const char *const state_upd_cols[] = {
	"verdict", "basis", "since_ts", "until_ts", "first_ts", "last_ts",
	"fold_ts", "fold_key", "hard", "soft", "complaint", "senderside",
	"delivered", "soft_days", "last_reason", "last_status", "cause",
	"updated",
};

/* The statement of kind for rows rows: from the cache, else prepared and
 * kept (the least recently used one makes room). */
static int
mstmt(struct bk_store *st, int kind, size_t rows, struct bk_stmt **out,
      struct bk_store_err *err)
{
	struct bk_batchmem *m = st->bm;
	struct mstmt *slot = &m->mc[0];
	m->tick++;
	for (int i = 0; i < MSTMT_CACHE; i++) {
		struct mstmt *c = &m->mc[i];
		if (c->s && c->kind == kind && c->rows == rows) {
			c->used = m->tick;
			st->drv->reset(c->s);
			*out = c->s;
			return 0;
		}
		if (!c->s || (slot->s && c->used < slot->used))
			slot = c;
	}
	size_t cap = 4096 + rows * (EVENT_NCOLS * 3 + 8);
	char *sql = malloc(cap);
	if (!sql)
		return st_errf(err, BK_STORE_ENOMEM, "out of memory");
	size_t n = 0;
	bool pg = st->drv->dialect == BK_DIALECT_PG;
	switch (kind) {
	case K_EVENTS:
	case K_JEVENTS:
		n = (size_t)sprintf(sql, "{INSERT_IGNORE} INTO events (" EVENT_COLS ") VALUES ");
		put_rows(sql, &n, rows, EVENT_NCOLS);
		/* PostgreSQL: the key's index alone is checked for a
		 * conflict (without a target every unique index is); rows
		 * with a join or message key: every unique index (a
		 * concurrent writer's event of the same join is skipped) */
		n += (size_t)sprintf(sql + n, !pg ? " RETURNING ikey" : kind == K_EVENTS
				     ? " ON CONFLICT (ikey) DO NOTHING RETURNING ikey"
				     : " ON CONFLICT DO NOTHING RETURNING ikey");
		break;
	case K_JSEL:
	case K_MSEL:
		n = (size_t)sprintf(sql, "SELECT ikey, action,"
				    " (CASE WHEN messageid = '' THEN 1 ELSE 0 END) +"
				    " (CASE WHEN subject = '' THEN 2 ELSE 0 END) +"
				    " (CASE WHEN addresser = '' THEN 4 ELSE 0 END) +"
				    " (CASE WHEN provider_class IS NULL THEN 8 ELSE 0 END) +"
				    " (CASE WHEN catch_json IS NULL THEN 16 ELSE 0 END),"
				    " jkey, mkey FROM events WHERE %s",
				    kind == K_JSEL ? "jkey" : "mkey");
		if (pg) {
			n += (size_t)sprintf(sql + n, " = ANY (CAST(? AS TEXT[]))");
		} else {
			n += (size_t)sprintf(sql + n, " IN ");
			put_rows(sql, &n, 1, (int)rows);
		}
		break;
	case K_SELECT:
		if (pg) {
			/* one index lookup per address, locked in the list's
			 * order, whatever the planner knows of the table (an
			 * IN list on a table not yet analysed is a scan) */
			n = (size_t)sprintf(sql, "SELECT s.* FROM (VALUES ");
			put_rows(sql, &n, rows, 1);
			n += (size_t)sprintf(sql + n, ") AS k (a) CROSS JOIN LATERAL (SELECT "
					     STATE_READ_COLS ", address FROM addr_state"
					     " WHERE scope = ? AND address = k.a FOR UPDATE) AS s");
		} else {
			/* a range of the primary key: rows locked in its order */
			n = (size_t)sprintf(sql, "SELECT " STATE_READ_COLS ", address FROM addr_state"
					    " WHERE scope = ? AND address IN ");
			put_rows(sql, &n, 1, (int)rows);
			n += (size_t)sprintf(sql + n, " ORDER BY address{FOR_UPDATE}");
		}
		break;
	case K_NEWSTATE:
		n = (size_t)sprintf(sql, "{INSERT_IGNORE} INTO addr_state (" STATE_WRITE_COLS ") VALUES ");
		put_rows(sql, &n, rows, STATE_NCOLS);
		n += (size_t)sprintf(sql + n, pg ? " ON CONFLICT (scope, address) DO NOTHING"
					       " RETURNING scope, address" : " RETURNING scope, address");
		break;
	case K_UPSERT:
		n = (size_t)sprintf(sql, "INSERT INTO addr_state (" STATE_WRITE_COLS ") VALUES ");
		put_rows(sql, &n, rows, STATE_NCOLS);
		n += (size_t)sprintf(sql + n, pg ? " ON CONFLICT (scope, address) DO UPDATE SET "
					       : " ON DUPLICATE KEY UPDATE ");
		for (size_t k = 0; k < sizeof(state_upd_cols) / sizeof(state_upd_cols[0]); k++)
			n += (size_t)sprintf(sql + n, pg ? "%s%s = EXCLUDED.%s" : "%s%s = VALUES(%s)",
					     k ? ", " : "", state_upd_cols[k], state_upd_cols[k]);
		break;
	}
	if (slot->s) {
		st->drv->finalize(slot->s);
		slot->s = NULL;
	}
	int rc = st_prepare(st, sql, &slot->s, err);
	free(sql);
	st->stats.statements++;
	if (rc < 0)
		return rc;
	slot->kind = kind;
	slot->rows = rows;
	slot->used = m->tick;
	*out = slot->s;
	return 0;
}

static int
cmp_key(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Step 1: the events of records idx[0..n), EVENT_ROWS a statement (kind
 * K_EVENTS or K_JEVENTS); sets each one's fresh. */
static int
insert_rows(struct bk_store *st, int kind, const size_t *idx, size_t n,
	    long long now, unsigned long long *fresh, struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	struct bk_batchmem *m = st->bm;
	for (size_t i = 0; i < n;) {
		size_t j = i, bytes = 0;
		while (j < n && j - i < EVENT_ROWS && bytes < CHUNK_BYTES) {
			const struct bk_record *r = &st->batch[idx[j]].r;
			bytes += 512 + strlen(r->diagnosticcode) + strlen(r->subject) +
				 (r->catch_json ? strlen(r->catch_json) : 0);
			j++;
		}
		struct bk_stmt *s;
		int rc = mstmt(st, kind, j - i, &s, err);
		if (rc < 0)
			return rc;
		for (size_t k = i; k < j; k++)
			event_bind(st, s, 1 + (int)(k - i) * EVENT_NCOLS,
				   &st->batch[idx[k]], now);
		size_t nk = 0;
		st->stats.statements++;
		while ((rc = d->step(s)) == BK_DB_ROW) {
			const char *k = d->column_text(s, 0, NULL);
			if (k && nk < j - i)
				st_copy(m->keys[nk++], sizeof(m->keys[0]), k);
		}
		d->reset(s);
		if (rc < 0)
			return st_fail(st, rc, err, "storing events");
		qsort(m->keys, nk, sizeof(m->keys[0]), cmp_key);
		memset(m->claimed, 0, nk * sizeof(*m->claimed));
		/* a key twice in the chunk is one event: the first record */
		for (size_t k = i; k < j; k++) {
			struct brec *b = &st->batch[idx[k]];
			char (*hit)[33] = bsearch(b->key, m->keys, nk,
						  sizeof(m->keys[0]), cmp_key);
			/* (a group's best record keeps its made_final:
			 * write_joins() set it) */
			b->upgraded = false;
			if (kind == K_EVENTS)
				b->made_final = false;
			b->fresh = hit && !m->claimed[hit - m->keys];
			if (b->fresh) {
				m->claimed[hit - m->keys] = true;
				(*fresh)++;
			}
		}
		i = j;
	}
	return 0;
}

/* ---- Joins (docs/store.md, "One failure, one event") ----
 *
 * The batch's join keys, then its message keys, looked up in one
 * statement each; then, record by record in the batch's order, what the
 * statement-per-record path (ingest.c, join_event) would do, decided in
 * memory: a record whose keys no event has starts a group of the batch
 * (inserted with the rest, as one event holding its best record); a
 * record that joins a stored event is a duplicate when it is neither
 * better than the event nor fills in anything, else it is written by
 * itself (a real join: two or three round trips); a group whose insert
 * is skipped (a concurrent writer stored the same join meanwhile) is
 * written record by record. */

static uint64_t
ht_hash(const char *key)
{
	uint64_t h = 0;
	for (int i = 0; i < 16 && key[i]; i++) {
		int c = key[i];
		h = h << 4 | (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return h;
}

static struct hent *
ht_slot(struct bk_batchmem *m, const char *key)
{
	size_t mask = m->capht - 1;
	for (size_t i = (size_t)ht_hash(key) & mask;; i = (i + 1) & mask) {
		struct hent *e = &m->ht[i];
		if (!e->type || !strcmp(e->key, key))
			return e;
	}
}

static struct hent *
ht_find(struct bk_batchmem *m, const char *key)
{
	struct hent *e = ht_slot(m, key);
	return e->type ? e : NULL;
}

static void
ht_put(struct bk_batchmem *m, const char *key, int type, size_t idx)
{
	struct hent *e = ht_slot(m, key);
	if (e->type)
		return;
	st_copy(e->key, sizeof(e->key), key);
	e->type = type;
	e->idx = idx;
}

static int
grow(void **p, size_t *cap, size_t want, size_t size);

/* The stored events that have one of the batch's join keys (which 0) or
 * message keys (1), into the table. */
static int
join_lookup(struct bk_store *st, int which, struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	struct bk_batchmem *m = st->bm;
	bool pg = d->dialect == BK_DIALECT_PG;
	size_t nq = 0;
	for (size_t i = 0; i < st->nbatch; i++) {
		const char *k = which ? st->batch[i].mkey : st->batch[i].jkey;
		if (k[0])
			memcpy(m->qk[nq++], k, 33);
	}
	if (!nq)
		return 0;
	qsort(m->qk, nq, sizeof(m->qk[0]), cmp_key);
	size_t u = 0;
	for (size_t i = 0; i < nq; i++)
		if (!u || strcmp(m->qk[i], m->qk[u - 1]))
			memcpy(m->qk[u++], m->qk[i], 33);
	nq = u;
	for (size_t a = 0; a < nq;) {
		size_t b = pg ? nq : (a + JOIN_ROWS < nq ? a + JOIN_ROWS : nq);
		size_t rows = 1;
		if (!pg)
			for (rows = 16; rows < b - a; rows *= 2)
				;
		struct bk_stmt *s;
		int rc = mstmt(st, which ? K_MSEL : K_JSEL, rows, &s, err);
		if (rc < 0)
			return rc;
		if (pg) {
			/* {k1,k2,...}: hex digits need no quoting */
			size_t len = 0;
			m->arr[len++] = '{';
			for (size_t k = a; k < b; k++) {
				if (k > a)
					m->arr[len++] = ',';
				memcpy(m->arr + len, m->qk[k], 32);
				len += 32;
			}
			m->arr[len++] = '}';
			m->arr[len] = '\0';
			st_bind_str(st, s, 1, m->arr);
		} else {
			/* the list padded with its first key */
			for (size_t k = 0; k < rows; k++)
				st_bind_str(st, s, 1 + (int)k, m->qk[a + k < b ? a + k : a]);
		}
		st->stats.statements++;
		while ((rc = d->step(s)) == BK_DB_ROW) {
			if (m->ndbev == m->capdbev &&
			    grow((void **)&m->dbev, &m->capdbev, m->ndbev + 1, sizeof(*m->dbev)) < 0) {
				d->reset(s);
				return st_errf(err, BK_STORE_ENOMEM, "out of memory");
			}
			struct dbev *e = &m->dbev[m->ndbev];
			const char *act = d->column_text(s, 1, NULL);
			st_copy(e->ikey, sizeof(e->ikey), d->column_text(s, 0, NULL));
			e->final = !act || strcmp(act, "delayed") != 0;
			e->empty = (unsigned)d->column_int64(s, 2);
			/* NULL keys: none */
			const char *jk = d->column_text(s, 3, NULL);
			const char *mk = d->column_text(s, 4, NULL);
			if (jk && strlen(jk) == 32)
				ht_put(m, jk, 1, m->ndbev);
			if (mk && strlen(mk) == 32)
				ht_put(m, mk, 1, m->ndbev);
			m->ndbev++;
		}
		d->reset(s);
		if (rc < 0)
			return st_fail(st, rc, err, "reading joined events");
		a = b;
	}
	return 0;
}

/* What a record that joins a stored event (or a group) gives it: empty
 * fields of e it fills in. */
static bool
fills(const struct brec *b, unsigned empty)
{
	return ((empty & 1) && *b->r.messageid) || ((empty & 2) && *b->r.subject) ||
	       ((empty & 4) && *b->r.addresser) || ((empty & 8) && b->provider_class) ||
	       ((empty & 16) && b->r.catch_json);
}

static bool
is_final(const struct brec *b)
{
	return strcmp(b->r.action, "delayed") != 0;
}

/* The records with a join or message key: looked up, decided, written
 * (see above).  *fresh counts the new events. */
static int
write_joins(struct bk_store *st, long long now, unsigned long long *fresh,
	    struct bk_store_err *err)
{
	struct bk_batchmem *m = st->bm;
	size_t nkeys = 0;
	for (size_t i = 0; i < st->nbatch; i++) {
		struct brec *b = &st->batch[i];
		b->keys_of = NULL;
		m->rcls[i] = R_PLAIN;
		nkeys += (size_t)(b->jkey[0] != 0) + (size_t)(b->mkey[0] != 0);
	}
	if (!nkeys)
		return 0;
	/* one record (a webhook request, an LMTP message): inserted first,
	 * looked up only when turned away, as on SQLite (a lookup would be
	 * one more round trip for every new event) */
	size_t nj = 0, last = 0;
	for (size_t i = 0; i < st->nbatch; i++)
		if (st->batch[i].jkey[0] || st->batch[i].mkey[0])
			nj++, last = i;
	if (nj == 1) {
		m->rcls[last] = R_SINGLE;
		return write_event_one(st, &st->batch[last], now, false, fresh, err);
	}
	size_t capht = 64;
	while (capht < nkeys * 4)
		capht *= 2;
	if (capht > m->allocht) {
		struct hent *t = realloc(m->ht, capht * sizeof(*t));
		if (!t)
			return st_errf(err, BK_STORE_ENOMEM, "out of memory");
		m->ht = t;
		m->allocht = capht;
	}
	/* at most two keys per stored event found and per group: never full */
	m->capht = capht;
	memset(m->ht, 0, capht * sizeof(*m->ht));
	size_t capqk = m->capqk, caparr = m->caparr;
	if (grow((void **)&m->qk, &capqk, st->nbatch, sizeof(*m->qk)) < 0 ||
	    grow((void **)&m->arr, &caparr, st->nbatch * 33 + 3, 1) < 0)
		return st_errf(err, BK_STORE_ENOMEM, "out of memory");
	m->capqk = capqk;
	m->caparr = caparr;
	m->ndbev = 0;
	m->njg = 0;
	int rc;
	if ((rc = join_lookup(st, 0, err)) < 0 || (rc = join_lookup(st, 1, err)) < 0)
		return rc;
	/* each record in the batch's order, as join_event() would see it */
	for (size_t i = 0; i < st->nbatch; i++) {
		struct brec *b = &st->batch[i];
		b->fresh = b->upgraded = b->made_final = false;
		if (!b->jkey[0] && !b->mkey[0])
			continue;
		struct hent *t = b->jkey[0] ? ht_find(m, b->jkey) : NULL;
		if (!t && b->mkey[0])
			t = ht_find(m, b->mkey);
		if (!t) {
			if (m->njg == m->capjg &&
			    grow((void **)&m->jg, &m->capjg, m->njg + 1, sizeof(*m->jg)) < 0)
				return st_errf(err, BK_STORE_ENOMEM, "out of memory");
			struct jgroup *g = &m->jg[m->njg];
			g->creator = g->best = g->cur = i;
			if (b->jkey[0])
				ht_put(m, b->jkey, 2, m->njg);
			if (b->mkey[0])
				ht_put(m, b->mkey, 2, m->njg);
			m->rcls[i] = R_GROUP;
			m->rg[i] = m->njg++;
		} else if (t->type == 2) {
			struct jgroup *g = &m->jg[t->idx];
			const struct brec *cur = &st->batch[g->cur];
			m->rcls[i] = R_GROUP;
			m->rg[i] = t->idx;
			if (strcmp(b->key, cur->key) && join_better(b, is_final(cur), cur->key)) {
				/* the statement-per-record path replaces the
				 * event here: a deferral made final counts */
				b->made_final = is_final(b) && !is_final(cur);
				g->cur = g->best = i;
			}
		} else {
			struct dbev *e = &m->dbev[t->idx];
			m->rcls[i] = R_DUP;
			if (strcmp(e->ikey, b->key) &&
			    (join_better(b, e->final, e->ikey) || fills(b, e->empty)))
				m->rcls[i] = R_SINGLE;
		}
	}
	/* the records that join a stored event for real, by themselves */
	for (size_t i = 0; i < st->nbatch; i++)
		if (m->rcls[i] == R_SINGLE &&
		    (rc = write_event_one(st, &st->batch[i], now, true, fresh, err)) < 0)
			return rc;
	/* each group's best record, filled in from the others (in order),
	 * stored with its first record's keys */
	for (size_t i = 0; i < st->nbatch; i++) {
		if (m->rcls[i] != R_GROUP)
			continue;
		struct jgroup *g = &m->jg[m->rg[i]];
		struct brec *w = &st->batch[g->best], *b = &st->batch[i];
		if (g->best == i)
			continue;
		if (!*w->r.messageid)
			w->r.messageid = b->r.messageid;
		if (!*w->r.subject)
			w->r.subject = b->r.subject;
		if (!*w->r.addresser)
			w->r.addresser = b->r.addresser;
		if (!w->provider_class)
			w->provider_class = b->provider_class;
		if (!w->r.catch_json)
			w->r.catch_json = b->r.catch_json;
	}
	size_t nw = 0;
	for (size_t k = 0; k < m->njg; k++) {
		struct jgroup *g = &m->jg[k];
		if (g->best != g->creator)
			st->batch[g->best].keys_of = &st->batch[g->creator];
		m->jidx[nw++] = g->best;
	}
	if ((rc = insert_rows(st, K_JEVENTS, m->jidx, nw, now, fresh, err)) < 0)
		return rc;
	/* a group whose event was not inserted: its records by themselves
	 * (marked first: the records then written change their fresh) */
	for (size_t k = 0; k < m->njg; k++)
		m->jg[k].redo = !st->batch[m->jg[k].best].fresh;
	for (size_t i = 0; i < st->nbatch; i++) {
		if (m->rcls[i] != R_GROUP || !m->jg[m->rg[i]].redo)
			continue;
		struct brec *b = &st->batch[i];
		b->keys_of = NULL;
		m->rcls[i] = R_SINGLE;
		if ((rc = write_event_one(st, b, now, true, fresh, err)) < 0)
			return rc;
	}
	return 0;
}

/* The group of (scope, address) among g[idx[a..b)], which are in that
 * order; NULL when none. */
static struct bgroup *
find_group(struct bgroup *g, const size_t *idx, size_t a, size_t b,
	   const char *scope, const char *addr)
{
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		struct bgroup *x = &g[idx[mid]];
		int c = strcmp(scope, x->f.s.scope);
		if (!c)
			c = strcmp(addr, x->f.s.address);
		if (c == 0)
			return x;
		if (c < 0)
			b = mid;
		else
			a = mid + 1;
	}
	return NULL;
}

/* Step 2 (and 4's re-read): the states of groups idx[0..n) read with their
 * row lock, STATE_ROWS a statement, one scope a statement.  A group
 * without a row is left as none (f.exists false). */
static int
load_states(struct bk_store *st, size_t *idx, size_t n, struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	struct bgroup *g = st->bm->g;
	for (size_t a = 0; a < n; a++) {
		struct bgroup *x = &g[idx[a]];
		x->f.exists = false;
		fold_reset(&x->f, st->batch[x->i].scope, st->batch[x->i].addr);
	}
	for (size_t a = 0; a < n;) {
		const char *scope = g[idx[a]].f.s.scope;
		size_t b = a;
		while (b < n && b - a < STATE_ROWS && !strcmp(g[idx[b]].f.s.scope, scope))
			b++;
		struct bk_stmt *s;
		int rc = mstmt(st, K_SELECT, b - a, &s, err);
		if (rc < 0)
			return rc;
		/* PostgreSQL's statement takes the addresses first */
		bool pg = d->dialect == BK_DIALECT_PG;
		st_bind_str(st, s, pg ? 1 + (int)(b - a) : 1, scope);
		for (size_t k = a; k < b; k++)
			st_bind_str(st, s, (pg ? 1 : 2) + (int)(k - a), g[idx[k]].f.s.address);
		st->stats.statements++;
		while ((rc = d->step(s)) == BK_DB_ROW) {
			const char *addr = d->column_text(s, 17, NULL);
			if (!addr)
				continue;
			struct bgroup *hit = find_group(g, idx, a, b, scope, addr);
			if (!hit)
				continue;
			const char *v = d->column_text(s, 0, NULL);
			hit->f.exists = true;
			if (!v || strcmp(v, "new"))
				state_read_row(st, s, &hit->f);
		}
		d->reset(s);
		if (rc < 0)
			return st_fail(st, rc, err, "reading address states");
		a = b;
	}
	return 0;
}

/* Steps 4 and 5: write groups idx[0..n), STATE_ROWS a statement. kind
 * K_NEWSTATE marks the ones it inserted (created). */
static int
write_states(struct bk_store *st, int kind, size_t *idx, size_t n, long long now,
	     struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	struct bgroup *g = st->bm->g;
	for (size_t a = 0; a < n;) {
		size_t b = a + STATE_ROWS < n ? a + STATE_ROWS : n;
		struct bk_stmt *s;
		int rc = mstmt(st, kind, b - a, &s, err);
		if (rc < 0)
			return rc;
		for (size_t k = a; k < b; k++)
			state_bind(st, s, 1 + (int)(k - a) * STATE_NCOLS, &g[idx[k]].f, now);
		st->stats.statements++;
		while ((rc = d->step(s)) == BK_DB_ROW) {
			if (kind != K_NEWSTATE)
				continue;
			const char *scope = d->column_text(s, 0, NULL);
			const char *addr = d->column_text(s, 1, NULL);
			if (!scope || !addr)
				continue;
			struct bgroup *x = find_group(g, idx, a, b, scope, addr);
			if (x)
				x->created = true;
		}
		d->reset(s);
		if (rc < 0)
			return st_fail(st, rc, err, "writing address states");
		a = b;
	}
	return 0;
}

static int
grow(void **p, size_t *cap, size_t want, size_t size)
{
	if (want <= *cap)
		return 0;
	size_t c = *cap ? *cap : 256;
	while (c < want)
		c *= 2;
	void *t = realloc(*p, c * size);
	if (!t)
		return -1;
	*p = t;
	*cap = c;
	return 0;
}

static int
prepare_mem(struct bk_store *st, struct bk_store_err *err)
{
	if (!st->bm && !(st->bm = calloc(1, sizeof(*st->bm))))
		return st_errf(err, BK_STORE_ENOMEM, "out of memory");
	struct bk_batchmem *m = st->bm;
	if (!m->keys) {
		m->keys = malloc(EVENT_ROWS * sizeof(*m->keys));
		m->claimed = malloc(EVENT_ROWS * sizeof(*m->claimed));
		if (!m->keys || !m->claimed)
			return st_errf(err, BK_STORE_ENOMEM, "out of memory");
	}
	size_t capidx = m->capidx;
	if (grow((void **)&m->g, &m->capg, st->nbatch, sizeof(*m->g)) < 0 ||
	    grow((void **)&m->idx, &capidx, st->nbatch, sizeof(*m->idx)) < 0)
		return st_errf(err, BK_STORE_ENOMEM, "out of memory");
	m->capidx = capidx;
	if (st->nbatch > m->capr) {
		size_t c = m->capr ? m->capr : 256;
		while (c < st->nbatch)
			c *= 2;
		size_t *rg = realloc(m->rg, c * sizeof(*rg));
		if (rg)
			m->rg = rg;
		size_t *jidx = realloc(m->jidx, c * sizeof(*jidx));
		if (jidx)
			m->jidx = jidx;
		unsigned char *rcls = realloc(m->rcls, c);
		if (rcls)
			m->rcls = rcls;
		if (!rg || !jidx || !rcls)
			return st_errf(err, BK_STORE_ENOMEM, "out of memory");
		m->capr = c;
	}
	return 0;
}

int
write_batch_multi(struct bk_store *st, unsigned long long *fresh,
		  unsigned long long *newly, struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	long long now = (long long)time(NULL);
	int rc = prepare_mem(st, err);
	if (rc < 0)
		return rc;
	struct bk_batchmem *m = st->bm;
	st->stats.statements += 2;	/* begin, commit */
	if ((rc = d->begin(st->db)) < 0)
		return st_fail(st, rc, err, "starting a batch");
	*fresh = *newly = 0;
	/* the records with a join or message key (docs/store.md), then the
	 * rest by many rows a statement, then the delivery counts */
	if ((rc = write_joins(st, now, fresh, err)) < 0)
		goto fail;
	size_t np = 0;
	for (size_t i = 0; i < st->nbatch; i++)
		if (m->rcls[i] == R_PLAIN)
			m->idx[np++] = i;
	if ((rc = insert_rows(st, K_EVENTS, m->idx, np, now, fresh, err)) < 0 ||
	    (rc = write_deliveries(st, err)) < 0)
		goto fail;
	/* the addresses with a new event, in (scope, address) order */
	size_t ng = 0;
	for (size_t i = 0, j; i < st->nbatch; i = j) {
		bool any;
		j = group_end(st, i, &any);
		if (any) {
			struct bgroup *x = &m->g[ng];
			x->i = i;
			x->j = j;
			x->newly = 0;
			x->created = false;
			m->idx[ng] = ng;
			ng++;
		}
	}
	if ((rc = load_states(st, m->idx, ng, err)) < 0)
		goto fail;
	for (size_t k = 0; k < ng; k++) {
		struct bgroup *x = &m->g[k];
		if ((rc = group_fold(st, x->i, x->j, &x->f, now, &x->newly, err)) < 0)
			goto fail;
	}
	/* the addresses without a state: inserted; the ones another writer
	 * inserted meanwhile are read again (locked now) and folded again */
	size_t nn = 0;
	for (size_t k = 0; k < ng; k++)
		if (!m->g[k].f.exists)
			m->idx[nn++] = k;
	if ((rc = write_states(st, K_NEWSTATE, m->idx, nn, now, err)) < 0)
		goto fail;
	size_t nr = 0;
	for (size_t a = 0; a < nn; a++)
		if (!m->g[m->idx[a]].created)
			m->idx[nr++] = m->idx[a];
	if (nr) {
		if ((rc = load_states(st, m->idx, nr, err)) < 0)
			goto fail;
		for (size_t a = 0; a < nr; a++) {
			struct bgroup *x = &m->g[m->idx[a]];
			if ((rc = group_fold(st, x->i, x->j, &x->f, now, &x->newly, err)) < 0)
				goto fail;
			if (!x->f.exists) {
				/* skipped by the insert, yet not there: a
				 * writer that then rolled back; try again */
				rc = st_errf(err, BK_STORE_ETEMP,
					     "an address's state changed under this batch (temporary: try again later)");
				goto fail;
			}
		}
	}
	/* the rest, written back */
	size_t nu = 0;
	for (size_t k = 0; k < ng; k++)
		if (!m->g[k].created)
			m->idx[nu++] = k;
	if ((rc = write_states(st, K_UPSERT, m->idx, nu, now, err)) < 0)
		goto fail;
	rc = d->commit(st->db);
	if (rc < 0) {
		rc = st_fail(st, rc, err, "committing a batch");
		goto fail;
	}
	for (size_t k = 0; k < ng; k++)
		*newly += (unsigned)m->g[k].newly;
	return 0;
fail:
	d->rollback(st->db);
	return rc;
}
