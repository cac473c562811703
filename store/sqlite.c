/* SPDX-License-Identifier: BSD-2-Clause */
/* sqlite.c - the SQLite driver: the embedded default back end.
 *
 * WAL journal (many readers while one process writes), synchronous=NORMAL
 * (a committed batch survives a process crash; WAL keeps the file
 * consistent after a power loss), a 64 MiB page cache, a busy timeout
 * (default 10 s, ?timeout=MS in the URL) after which a locked database is
 * a transient error.  The file is opened without SQLITE_OPEN_CREATE first:
 * an existing file that is not a database is reported, never overwritten. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "driver.h"

/* Statements are kept after finalize, reset, for the next prepare of
 * the same SQL on this connection (a server thread asks the same few
 * questions again and again: preparing is most of a small query's cost). */
#define STMT_CACHE 32

struct bk_db {
	sqlite3 *h;
	struct bk_stmt *cache[STMT_CACHE];	/* idle, reset statements */
	unsigned cache_next;			/* the slot to evict next */
	int timeout_ms;				/* the busy timeout */
};

struct bk_stmt {
	sqlite3_stmt *s;
	struct bk_db *db;
	uint64_t hash;		/* of its SQL text */
	bool stepped;		/* since the last reset */
};

static uint64_t
sql_hash(const char *sql)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

static struct bk_stmt *
cache_take(struct bk_db *db, const char *sql, uint64_t hash)
{
	for (unsigned i = 0; i < STMT_CACHE; i++) {
		struct bk_stmt *c = db->cache[i];
		if (c && c->hash == hash && !strcmp(sqlite3_sql(c->s), sql)) {
			db->cache[i] = NULL;
			return c;
		}
	}
	return NULL;
}

/* Waiting for a lock: SQLite's own busy timeout sleeps 1, 2, 5, 10 ... 100
 * ms between tries, so a reader that meets a checkpoint's lock for a
 * millisecond could sleep a hundred and more (p99 of the API server over
 * 500 ms during an ingest, bench/serve.sh).  This one tries again every
 * 0.2 ms for the first 20 ms, then every 5 ms, up to the timeout. */
static int
busy_wait(void *arg, int n)
{
	const struct bk_db *db = arg;
	long waited = n < 100 ? n * 200L : 20000L + (n - 100) * 5000L;	/* us */
	if (waited >= (long)db->timeout_ms * 1000)
		return 0;
	struct timespec t = { 0, (n < 100 ? 200L : 5000L) * 1000 };
	nanosleep(&t, NULL);
	return 1;
}

static int
classify(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return BK_DB_OK;
	case SQLITE_ROW:
		return BK_DB_ROW;
	case SQLITE_DONE:
		return BK_DB_DONE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_PROTOCOL:
		return BK_DB_ETRANSIENT;
	case SQLITE_CONSTRAINT:
		return BK_DB_ECONSTRAINT;
	default:
		return BK_DB_EPERMANENT;
	}
}

/* "sqlite:PATH", "sqlite:///abs", "sqlite://rel" or a plain path; an
 * optional "?timeout=MS". */
static void
parse_url(const char *url, char *path, size_t plen, int *timeout)
{
	const char *p = url;
	if (!strncmp(p, "sqlite:", 7)) {
		p += 7;
		if (!strncmp(p, "//", 2))
			p += 2;
	}
	size_t n = strcspn(p, "?");
	if (n >= plen)
		n = plen - 1;
	memcpy(path, p, n);
	path[n] = '\0';
	const char *q = p[n] == '?' ? p + n + 1 : NULL;
	if (q && !strncmp(q, "timeout=", 8))
		*timeout = atoi(q + 8);
}

/* ---- "bk-keepmap": the default (unix) VFS, keeping its file mappings ----
 *
 * A connection reads the database through mmap (PRAGMA mmap_size below).
 * But SQLite drops a connection's whole mapping at the start of every
 * read transaction that follows a commit by another connection (the
 * pager calls xUnfetch(0, NULL) in case the file was truncated), so
 * while an ingest commits ten times a second every page a reader touches
 * is faulted in again (with munmap's own cost: a quarter of the API
 * server's CPU during bench/serve.sh's ingest).  This VFS passes every
 * call to the default one, but keeps the mapping on that call unless the
 * file really shrank (then touching the mapping past its end would fault)
 * or grew by more than an eighth since it was mapped (pages past the
 * mapping are read with read(2) meanwhile). */
struct kfile {
	sqlite3_file base;
	sqlite3_file *real;		/* the default VFS's file, after this */
	sqlite3_int64 mapped;		/* the file's size when last unmapped */
	bool main;			/* a main database file */
};

static sqlite3_vfs *kvfs_real;
static sqlite3_vfs kvfs;

#define REAL(f) (((struct kfile *)(f))->real)
static int k_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int k_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o) { return REAL(f)->pMethods->xRead(REAL(f), b, n, o); }
static int k_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o) { return REAL(f)->pMethods->xWrite(REAL(f), b, n, o); }
static int k_truncate(sqlite3_file *f, sqlite3_int64 n) { return REAL(f)->pMethods->xTruncate(REAL(f), n); }
static int k_sync(sqlite3_file *f, int fl) { return REAL(f)->pMethods->xSync(REAL(f), fl); }
static int k_size(sqlite3_file *f, sqlite3_int64 *n) { return REAL(f)->pMethods->xFileSize(REAL(f), n); }
static int k_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int k_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int k_reserved(sqlite3_file *f, int *r) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r); }
static int k_fcntl(sqlite3_file *f, int op, void *a) { return REAL(f)->pMethods->xFileControl(REAL(f), op, a); }
static int k_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int k_devchar(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int k_shmmap(sqlite3_file *f, int i, int sz, int ext, void volatile **p) { return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, ext, p); }
static int k_shmlock(sqlite3_file *f, int o, int n, int fl) { return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl); }
static void k_shmbarrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int k_shmunmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
static int k_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **p) { return REAL(f)->pMethods->xFetch(REAL(f), o, n, p); }

static int
k_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{
	struct kfile *k = (struct kfile *)f;
	sqlite3_int64 size;
	if (!p && k->main && k->real->pMethods->xFileSize(k->real, &size) == SQLITE_OK) {
		if (size >= k->mapped && size - k->mapped <= k->mapped / 8)
			return SQLITE_OK;	/* the mapping stays */
		k->mapped = size;
	}
	return k->real->pMethods->xUnfetch(k->real, o, p);
}
#undef REAL

static const sqlite3_io_methods k_io = {
	3, k_close, k_read, k_write, k_truncate, k_sync, k_size, k_lock, k_unlock,
	k_reserved, k_fcntl, k_sector, k_devchar, k_shmmap, k_shmlock, k_shmbarrier,
	k_shmunmap, k_fetch, k_unfetch,
};

static int
k_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *outflags)
{
	(void)vfs;
	struct kfile *k = (struct kfile *)f;
	memset(k, 0, sizeof(*k));
	k->real = (sqlite3_file *)((char *)f + ((sizeof(*k) + 15) & ~(size_t)15));
	int rc = kvfs_real->xOpen(kvfs_real, name, k->real, flags, outflags);
	/* a version 3 file (xShm*, xFetch) is what the default VFS gives;
	 * anything else is left without methods (the open fails) */
	if (rc != SQLITE_OK || !k->real->pMethods || k->real->pMethods->iVersion < 3) {
		if (rc == SQLITE_OK) {
			k->real->pMethods->xClose(k->real);
			rc = SQLITE_CANTOPEN;
		}
		k->base.pMethods = NULL;
		return rc;
	}
	k->main = (flags & SQLITE_OPEN_MAIN_DB) != 0;
	k->base.pMethods = &k_io;
	return SQLITE_OK;
}

#if !defined(__SANITIZE_ADDRESS__)
/* SQLite's memory: small blocks kept per thread.  SQLite copies every
 * text column it returns into memory of its own and frees it when the
 * statement ends (its lookaside allocator, which would serve these from
 * a per-connection pool, is left out of Debian's build): the API's
 * address call makes some thirty such allocations, and through SQLite's
 * wrapper and the C library's malloc and free each costs about 250
 * instructions.  Here a block of up to 1 KiB is taken from, and given
 * back to, a free list of the thread (a size class: 32 to 1024 bytes,
 * at most MC_KEEP blocks a class, given back to the C library beyond
 * that and when the thread ends); larger blocks go to malloc as they
 * are.  Blocks may be freed by another thread than the one that made
 * them (they are plain malloc blocks).  Not under AddressSanitizer,
 * which should see SQLite's memory as it is. */
#define MC_NCLASS 6		/* 32, 64, 128, 256, 512, 1024 */
#define MC_MAX 1024
#define MC_KEEP 64
#define MC_HDR 16		/* the block's size, keeping malloc's alignment */

struct mc_free {
	struct mc_free *next;
};

static __thread struct {
	struct mc_free *head[MC_NCLASS];
	unsigned n[MC_NCLASS];
	bool keyed;		/* the thread's exit will give them back */
} mc;
static pthread_key_t mc_key;

static inline int
mc_class(size_t n)
{
	return n <= 32 ? 0 : 64 - __builtin_clzll((unsigned long long)n - 1) - 5;
}

static inline size_t
mc_round(size_t n)
{
	return n <= MC_MAX ? (size_t)32 << mc_class(n) : (n + 15) & ~(size_t)15;
}

static void
mc_flush(void *arg)
{
	(void)arg;
	for (int c = 0; c < MC_NCLASS; c++) {
		while (mc.head[c]) {
			struct mc_free *f = mc.head[c];
			mc.head[c] = f->next;
			free((char *)f - MC_HDR);
		}
		mc.n[c] = 0;
	}
	mc.keyed = false;
}

static void *
mc_malloc(int n)
{
	size_t sz = mc_round(n > 0 ? (size_t)n : 1);
	if (sz <= MC_MAX) {
		int c = mc_class(sz);
		struct mc_free *f = mc.head[c];
		if (f) {
			mc.head[c] = f->next;
			mc.n[c]--;
			return f;
		}
	}
	char *h = malloc(MC_HDR + sz);
	if (!h)
		return NULL;
	*(size_t *)h = sz;
	return h + MC_HDR;
}

static int
mc_size(void *p)
{
	return p ? (int)*(size_t *)((char *)p - MC_HDR) : 0;
}

static void
mc_freeblock(void *p)
{
	if (!p)
		return;
	size_t sz = *(size_t *)((char *)p - MC_HDR);
	if (sz <= MC_MAX) {
		int c = mc_class(sz);
		if (mc.n[c] < MC_KEEP) {
			if (!mc.keyed)
				mc.keyed = pthread_setspecific(mc_key, &mc) == 0;
			if (mc.keyed) {
				struct mc_free *f = p;
				f->next = mc.head[c];
				mc.head[c] = f;
				mc.n[c]++;
				return;
			}
		}
	}
	free((char *)p - MC_HDR);
}

static void *
mc_realloc(void *p, int n)
{
	size_t old = (size_t)mc_size(p);
	if (n > 0 && (size_t)n <= old)
		return p;
	void *q = mc_malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, old);
	mc_freeblock(p);
	return q;
}

static int
mc_roundup(int n)
{
	return (int)mc_round(n > 0 ? (size_t)n : 1);
}

static int
mc_init(void *arg)
{
	(void)arg;
	return SQLITE_OK;
}

static void
mc_shutdown(void *arg)
{
	(void)arg;
}
#endif /* !__SANITIZE_ADDRESS__ */

/* Before the first connection of the process: no memory statistics.
 * With them on, every sqlite3_malloc and sqlite3_free takes SQLite's one
 * global mutex (sqlite3StatusUp/Down), which the API server's worker
 * threads would all contend for; nothing here reads those statistics.
 * (When the application has already initialised SQLite, sqlite3_config
 * refuses, harmlessly.) */
static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void
config_sqlite(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
#if !defined(__SANITIZE_ADDRESS__)
	static const sqlite3_mem_methods mc_methods = {
		mc_malloc, mc_freeblock, mc_realloc, mc_size, mc_roundup,
		mc_init, mc_shutdown, NULL,
	};
	if (pthread_key_create(&mc_key, mc_flush) == 0)
		(void)sqlite3_config(SQLITE_CONFIG_MALLOC, &mc_methods);
#endif
	/* the VFS above, over the default one (unix): when the default is
	 * not one whose files have version 3 methods, none */
	sqlite3_vfs *real = sqlite3_vfs_find(NULL);
	if (!real || real->iVersion < 1)
		return;
	kvfs_real = real;
	kvfs = *real;
	kvfs.zName = "bk-keepmap";
	kvfs.szOsFile = (int)((sizeof(struct kfile) + 15) & ~(size_t)15) + real->szOsFile;
	kvfs.xOpen = k_open;
	kvfs.pNext = NULL;
	if (sqlite3_vfs_register(&kvfs, 0) != SQLITE_OK)
		kvfs_real = NULL;
}

static int
d_open(struct bk_db **out, const char *url, char *err, size_t errlen)
{
	pthread_once(&config_once, config_sqlite);
	char path[4096];
	int timeout = 10000;
	parse_url(url, path, sizeof(path), &timeout);
	if (!path[0]) {
		snprintf(err, errlen, "empty SQLite path in '%s'", url);
		return BK_DB_EPERMANENT;
	}
	struct bk_db *db = calloc(1, sizeof(*db));
	if (!db) {
		snprintf(err, errlen, "out of memory");
		return BK_DB_EPERMANENT;
	}
	struct stat st;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (stat(path, &st) != 0)
		flags |= SQLITE_OPEN_CREATE;
	int rc = sqlite3_open_v2(path, &db->h, flags, kvfs_real ? kvfs.zName : NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
			 db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		sqlite3_close(db->h);
		free(db);
		return bk_db_open_class(classify(rc));
	}
	db->timeout_ms = timeout;
	sqlite3_busy_handler(db->h, busy_wait, db);
	sqlite3_extended_result_codes(db->h, 0);
	/* The first read of the file: a corrupt or foreign file fails here. */
	static const char *const pragmas[] = {
		"PRAGMA journal_mode=WAL",
		"PRAGMA synchronous=NORMAL",
		"PRAGMA cache_size=-65536",
		"PRAGMA temp_store=MEMORY",
		/* reads through a mapping, not a read(2) per page (the API server's
		 * point lookups over a large file); writes still go through the WAL */
		"PRAGMA mmap_size=4294967296",
		"PRAGMA foreign_keys=OFF",
	};
	for (size_t i = 0; i < sizeof(pragmas) / sizeof(pragmas[0]); i++) {
		char *msg = NULL;
		/* Two processes making the same new file at once both switch it
		 * to WAL: each holds its shared lock and wants the other's gone,
		 * and SQLite answers one of them SQLITE_BUSY at once, without
		 * the busy handler (it would wait forever).  The statement is
		 * tried again (its lock released) up to the busy timeout. */
		for (int n = 0;; n++) {
			rc = sqlite3_exec(db->h, pragmas[i], NULL, NULL, &msg);
			if ((rc & 0xff) != SQLITE_BUSY || !busy_wait(db, n))
				break;
			sqlite3_free(msg);
			msg = NULL;
		}
		if (rc != SQLITE_OK) {
			int cls = classify(rc);
			snprintf(err, errlen, "%s: %s", path,
				 msg ? msg : sqlite3_errstr(rc));
			sqlite3_free(msg);
			sqlite3_close(db->h);
			free(db);
			return bk_db_open_class(cls);
		}
	}
	*out = db;
	return BK_DB_OK;
}

static void
d_close(struct bk_db *db)
{
	if (!db)
		return;
	for (unsigned i = 0; i < STMT_CACHE; i++)
		if (db->cache[i]) {
			sqlite3_finalize(db->cache[i]->s);
			free(db->cache[i]);
		}
	sqlite3_close_v2(db->h);
	free(db);
}

static int
d_exec(struct bk_db *db, const char *sql)
{
	return classify(sqlite3_exec(db->h, sql, NULL, NULL, NULL));
}

static int
d_prepare(struct bk_db *db, const char *sql, struct bk_stmt **out)
{
	uint64_t hash = sql_hash(sql);
	if ((*out = cache_take(db, sql, hash)))
		return BK_DB_OK;
	struct bk_stmt *s = calloc(1, sizeof(*s));
	if (!s)
		return BK_DB_EPERMANENT;
	int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
				    &s->s, NULL);
	if (rc != SQLITE_OK) {
		free(s);
		return bk_db_open_class(classify(rc));
	}
	s->db = db;
	s->hash = hash;
	*out = s;
	return BK_DB_OK;
}

static int
d_bind_text(struct bk_stmt *s, int i, const char *v, size_t n)
{
	return classify(sqlite3_bind_text(s->s, i, v, (int)n, SQLITE_TRANSIENT));
}

static int
d_bind_int64(struct bk_stmt *s, int i, long long v)
{
	return classify(sqlite3_bind_int64(s->s, i, v));
}

static int
d_bind_null(struct bk_stmt *s, int i)
{
	return classify(sqlite3_bind_null(s->s, i));
}

static int
d_step(struct bk_stmt *s)
{
	s->stepped = true;
	int rc = sqlite3_step(s->s);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return classify(rc);
	/* the statement must be reset before the next use; keep the error */
	int cls = classify(rc);
	sqlite3_reset(s->s);
	s->stepped = false;
	return cls;
}

static const char *
d_column_text(struct bk_stmt *s, int i, size_t *n)
{
	const unsigned char *t = sqlite3_column_text(s->s, i);
	if (n)
		*n = t ? (size_t)sqlite3_column_bytes(s->s, i) : 0;
	return (const char *)t;
}

static long long
d_column_int64(struct bk_stmt *s, int i)
{
	return sqlite3_column_int64(s->s, i);
}

static int
d_reset(struct bk_stmt *s)
{
	/* not stepped since it was last reset: nothing to do (a reset costs
	 * about as much as a small query's own work) */
	if (s->stepped)
		sqlite3_reset(s->s);
	s->stepped = false;
	return BK_DB_OK;
}

static void
d_finalize(struct bk_stmt *s)
{
	if (!s)
		return;
	/* kept for the next prepare of the same SQL (see STMT_CACHE) */
	struct bk_db *db = s->db;
	sqlite3_reset(s->s);
	s->stepped = false;
	sqlite3_clear_bindings(s->s);
	unsigned i = 0;
	while (i < STMT_CACHE && db->cache[i])
		i++;
	if (i == STMT_CACHE) {
		i = db->cache_next++ % STMT_CACHE;
		sqlite3_finalize(db->cache[i]->s);
		free(db->cache[i]);
	}
	db->cache[i] = s;
}

static int
d_begin(struct bk_db *db)
{
	return d_exec(db, "BEGIN IMMEDIATE");
}

static int
d_commit(struct bk_db *db)
{
	return d_exec(db, "COMMIT");
}

static int
d_rollback(struct bk_db *db)
{
	int rc = d_exec(db, "ROLLBACK");
	/* no transaction open: nothing to undo */
	return sqlite3_get_autocommit(db->h) ? BK_DB_OK : rc;
}

static long long
d_changes(struct bk_stmt *s)
{
	return sqlite3_changes64(s->db->h);
}

static const char *
d_errmsg(struct bk_db *db)
{
	return db && db->h ? sqlite3_errmsg(db->h) : "";
}

const struct bk_db_driver bk_driver_sqlite = BK_DB_DRIVER("sqlite", BK_DIALECT_SQLITE);
