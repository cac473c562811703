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

enum mkind { K_EVENTS, K_SELECT, K_NEWSTATE, K_UPSERT };

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
		n = (size_t)sprintf(sql, "{INSERT_IGNORE} INTO events (" EVENT_COLS ") VALUES ");
		put_rows(sql, &n, rows, EVENT_NCOLS);
		/* PostgreSQL: the key's index alone is checked for a
		 * conflict (without a target every unique index is) */
		n += (size_t)sprintf(sql + n, pg ? " ON CONFLICT (ikey) DO NOTHING RETURNING ikey"
					       : " RETURNING ikey");
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

/* Step 1: the events, EVENT_ROWS a statement; sets each record's fresh. */
static int
insert_events(struct bk_store *st, long long now, unsigned long long *fresh,
	      struct bk_store_err *err)
{
	const struct bk_db_driver *d = st->drv;
	struct bk_batchmem *m = st->bm;
	for (size_t i = 0; i < st->nbatch;) {
		size_t j = i, bytes = 0;
		while (j < st->nbatch && j - i < EVENT_ROWS && bytes < CHUNK_BYTES) {
			const struct bk_record *r = &st->batch[j].r;
			bytes += 512 + strlen(r->diagnosticcode) + strlen(r->subject) +
				 (r->catch_json ? strlen(r->catch_json) : 0);
			j++;
		}
		struct bk_stmt *s;
		int rc = mstmt(st, K_EVENTS, j - i, &s, err);
		if (rc < 0)
			return rc;
		for (size_t k = i; k < j; k++)
			event_bind(st, s, 1 + (int)(k - i) * EVENT_NCOLS, &st->batch[k], now);
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
			char (*hit)[33] = bsearch(st->batch[k].key, m->keys, nk,
						  sizeof(m->keys[0]), cmp_key);
			st->batch[k].fresh = hit && !m->claimed[hit - m->keys];
			if (st->batch[k].fresh) {
				m->claimed[hit - m->keys] = true;
				(*fresh)++;
			}
		}
		i = j;
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
	if ((rc = insert_events(st, now, fresh, err)) < 0)
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
