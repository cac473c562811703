/* SPDX-License-Identifier: BSD-2-Clause */
/* core.h - string views, the per-message arena, capped buffers.
 *
 * A view borrows bytes it does not own and is not NUL-terminated.  The
 * arena hands out memory that lives until the arena is reset; its failure is
 * sticky, so a stage checks it once instead of after every call.
 */
#ifndef BK_CORE_H
#define BK_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define BK_NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define BK_MIN(a, b) ((a) < (b) ? (a) : (b))
#define BK_MAX(a, b) ((a) > (b) ? (a) : (b))

/* ---- string views ---- */

struct bk_sv {
	const char *p;
	size_t n;
};

#define BK_SVI(lit) { "" lit, sizeof(lit) - 1 }
#define BK_SV(lit) ((struct bk_sv)BK_SVI(lit))
#define BK_SV_NULL ((struct bk_sv){ NULL, 0 })
#define BK_SVF(sv) (int)(sv).n, (sv).p

static inline struct bk_sv
bk_sv_make(const char *p, size_t n)
{
	return (struct bk_sv){ p, n };
}

static inline struct bk_sv
bk_sv_c(const char *s)
{
	return (struct bk_sv){ s, s ? strlen(s) : 0 };
}

extern const unsigned char bk_lower_tab[256];

static inline unsigned char
bk_lower(unsigned char c)
{
	return bk_lower_tab[c];
}

/* Space, tab, LF, VT, FF, CR: one bit each in a 64-bit mask (a test, not
 * a chain of six comparisons: it runs for every byte that is trimmed). */
static inline bool
bk_is_space(int c)
{
	unsigned u = (unsigned)c;	/* EOF and other negatives: large */
	return u <= ' ' && ((0x100003e00ull >> u) & 1);
}

static inline bool
bk_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool
bk_is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool
bk_sv_empty(struct bk_sv s)
{
	return s.n == 0;
}

static inline struct bk_sv
bk_sv_slice(struct bk_sv s, size_t from, size_t to)
{
	if (!s.p)
		return s;	/* a missing view stays missing (and no
				 * arithmetic on a null pointer) */
	if (to > s.n)
		to = s.n;
	if (from > to)
		from = to;
	return (struct bk_sv){ s.p + from, to - from };
}

static inline struct bk_sv
bk_sv_from(struct bk_sv s, size_t from)
{
	return bk_sv_slice(s, from, s.n);
}

/* The small ones are inline: decoders call them tens of thousands of
 * times per megabyte, and a call costs more than the work. */
static inline bool
bk_sv_eq(struct bk_sv a, struct bk_sv b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

static inline bool
bk_ieq_n(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (bk_lower_tab[(unsigned char)a[i]] !=
		    bk_lower_tab[(unsigned char)b[i]])
			return false;
	return true;
}

static inline bool
bk_sv_ieq(struct bk_sv a, struct bk_sv b)
{
	return a.n == b.n && bk_ieq_n(a.p, b.p, a.n);
}

static inline bool
bk_sv_starts(struct bk_sv s, struct bk_sv prefix)
{
	return s.n >= prefix.n && memcmp(s.p, prefix.p, prefix.n) == 0;
}

static inline bool
bk_sv_istarts(struct bk_sv s, struct bk_sv prefix)
{
	return s.n >= prefix.n && bk_ieq_n(s.p, prefix.p, prefix.n);
}

static inline bool
bk_sv_ends(struct bk_sv s, struct bk_sv suffix)
{
	return s.n >= suffix.n &&
	       memcmp(s.p + s.n - suffix.n, suffix.p, suffix.n) == 0;
}

static inline bool
bk_sv_iends(struct bk_sv s, struct bk_sv suffix)
{
	return s.n >= suffix.n &&
	       bk_ieq_n(s.p + s.n - suffix.n, suffix.p, suffix.n);
}

/* Offset of the first occurrence, or -1.  Linear in the text: the search
 * jumps with memchr to the needle's rarest byte (bk_sv_find falls back to
 * memmem when that byte turns out common in this text). */
long bk_sv_find(struct bk_sv s, struct bk_sv needle);
/* The index of the needle's rarest byte in bounce mail (of its first 16),
 * the one bk_sv_find jumps to: for a caller that searches one needle
 * many times with checks of its own. */
size_t bk_sv_rare_index(struct bk_sv needle);
long bk_sv_ifind(struct bk_sv s, struct bk_sv needle);
/* Whether the processor has AVX2 (asked once), for the searches that
 * have a 32-byte version (target("avx2") functions) beside SSE2. */
bool bk_have_avx2(void);

static inline long
bk_sv_findc(struct bk_sv s, char c)
{
	const char *h = s.n ? memchr(s.p, c, s.n) : NULL;
	return h ? (long)(h - s.p) : -1;
}

long bk_sv_rfindc(struct bk_sv s, char c);
static inline bool
bk_sv_contains(struct bk_sv s, struct bk_sv needle)
{
	return bk_sv_find(s, needle) >= 0;
}
static inline bool
bk_sv_icontains(struct bk_sv s, struct bk_sv needle)
{
	return bk_sv_ifind(s, needle) >= 0;
}

static inline struct bk_sv
bk_sv_ltrim(struct bk_sv s)
{
	while (s.n && bk_is_space((unsigned char)s.p[0])) {
		s.p++;
		s.n--;
	}
	return s;
}

static inline struct bk_sv
bk_sv_rtrim(struct bk_sv s)
{
	while (s.n && bk_is_space((unsigned char)s.p[s.n - 1]))
		s.n--;
	return s;
}

static inline struct bk_sv
bk_sv_trim(struct bk_sv s)
{
	return bk_sv_rtrim(bk_sv_ltrim(s));
}

/* Everything after the first occurrence of needle (case-insensitive), or an
 * empty view with p == NULL when absent. */
struct bk_sv bk_sv_iafter(struct bk_sv s, struct bk_sv needle);
/* Everything before the first occurrence of needle, or all of s. */
struct bk_sv bk_sv_ibefore(struct bk_sv s, struct bk_sv needle);

/* Take the next line (without its LF) off the front of *rest. */
static inline bool
bk_sv_next_line(struct bk_sv *rest, struct bk_sv *line)
{
	if (rest->p == NULL || rest->n == 0) {
		*line = BK_SV_NULL;
		return false;
	}
	const char *nl = memchr(rest->p, '\n', rest->n);
	size_t len = nl ? (size_t)(nl - rest->p) : rest->n;
	*line = (struct bk_sv){ rest->p, len };
	size_t adv = nl ? len + 1 : len;
	rest->p += adv;
	rest->n -= adv;
	return true;
}

/* Split at the first c: *head gets what precedes, returns what follows
 * (p == NULL when c is absent; then *head is all of s). */
static inline struct bk_sv
bk_sv_cut(struct bk_sv s, char c, struct bk_sv *head)
{
	long i = bk_sv_findc(s, c);
	if (i < 0) {
		*head = s;
		return BK_SV_NULL;
	}
	*head = bk_sv_slice(s, 0, (size_t)i);
	return bk_sv_from(s, (size_t)i + 1);
}
/* true when s begins with any of the views, case-insensitive. */
bool bk_sv_istarts_any(struct bk_sv s, const struct bk_sv *list, size_t n);
bool bk_sv_icontains_any(struct bk_sv s, const struct bk_sv *list, size_t n);
/* Earliest occurrence of any of the needles, case-insensitive: offset or -1;
 * *which gets its index. */
long bk_sv_ifind_any(struct bk_sv s, const struct bk_sv *list, size_t n,
		     size_t *which);
bool bk_sv_to_u64(struct bk_sv s, uint64_t *out);

/* ---- arena ---- */

struct bk_arena_block;

struct bk_arena {
	struct bk_arena_block *head;	/* current block */
	struct bk_arena_block *spare;	/* the first block, kept on reset */
	unsigned char *cur;		/* the free part of the head block */
	size_t avail;
	size_t used;			/* bytes handed out since reset */
	size_t cap;			/* maximum bytes; 0: unlimited */
	bool failed;			/* sticky */
};

#define BK_ARENA_ALIGN 16

void bk_arena_init(struct bk_arena *a, size_t cap);
void bk_arena_reset(struct bk_arena *a);
void bk_arena_free(struct bk_arena *a);
/* The general case of bk_arena_alloc: a new block, the cap, failure. */
void *bk_arena_alloc_slow(struct bk_arena *a, size_t n);

/* Inline: a message makes thousands of small allocations, and the usual
 * one is a pointer bump in the current block.  Torture builds take the
 * general path every time, so that each allocation can be failed. */
static inline void *
bk_arena_alloc(struct bk_arena *a, size_t n)
{
#ifndef BK_TORTURE
	size_t need = (n + BK_ARENA_ALIGN - 1) & ~(size_t)(BK_ARENA_ALIGN - 1);
	if (!a->failed && need >= n && need <= a->avail &&
	    (!a->cap || a->used + need <= a->cap)) {
		void *p = a->cur;
		a->cur += need;
		a->avail -= need;
		a->used += need;
		return p;
	}
#endif
	return bk_arena_alloc_slow(a, n);
}
void *bk_arena_zalloc(struct bk_arena *a, size_t n);
char *bk_arena_strndup(struct bk_arena *a, const char *s, size_t n);
/* A NUL-terminated copy of a view, "" on failure. */
const char *bk_arena_cstr(struct bk_arena *a, struct bk_sv s);
struct bk_sv bk_arena_sv(struct bk_arena *a, struct bk_sv s);
/* Grow the array *v of *cap elements of size sz to hold at least need;
 * returns false on failure. */
bool bk_arena_grow(struct bk_arena *a, void **v, size_t *cap, size_t need,
		   size_t sz);

/* ---- growing byte buffer (heap, with a cap) ---- */

struct bk_buf {
	char *p;
	size_t n;
	size_t cap;
	size_t max;	/* 0: unlimited */
	bool failed;	/* sticky: allocation failed or max reached */
};

void bk_buf_init(struct bk_buf *b, size_t max);
void bk_buf_free(struct bk_buf *b);
bool bk_buf_reserve(struct bk_buf *b, size_t extra);
/* The general case of bk_buf_add: growing, the maximum, failure. */
void bk_buf_add_slow(struct bk_buf *b, const void *p, size_t n);
/* Inline when it fits: the writers add a few bytes at a time. */
static inline void
bk_buf_add(struct bk_buf *b, const void *p, size_t n)
{
	if (!b->failed && n && b->n + n + 1 <= b->cap) {
		memcpy(b->p + b->n, p, n);
		b->n += n;
		b->p[b->n] = '\0';
		return;
	}
	bk_buf_add_slow(b, p, n);
}
static inline void
bk_buf_addsv(struct bk_buf *b, struct bk_sv s)
{
	bk_buf_add(b, s.p, s.n);
}
void bk_buf_adds(struct bk_buf *b, const char *s);
static inline void
bk_buf_addc(struct bk_buf *b, char c)
{
	bk_buf_add(b, &c, 1);
}
void bk_buf_addf(struct bk_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline struct bk_sv
bk_buf_sv(const struct bk_buf *b)
{
	return (struct bk_sv){ b->p, b->n };
}

/* ---- arena string builder: appends into arena memory ---- */

struct bk_sb {
	struct bk_arena *a;
	char *p;
	size_t n;
	size_t cap;
};

void bk_sb_init(struct bk_sb *sb, struct bk_arena *a, size_t hint);
void bk_sb_add(struct bk_sb *sb, const char *p, size_t n);
static inline void
bk_sb_addsv(struct bk_sb *sb, struct bk_sv s)
{
	bk_sb_add(sb, s.p, s.n);
}
/* One byte: inline, as text cleaners add most bytes one at a time. */
static inline void
bk_sb_addc(struct bk_sb *sb, char c)
{
	if (sb->n + 2 <= sb->cap)
		sb->p[sb->n++] = c;
	else
		bk_sb_add(sb, &c, 1);
}
/* The text built so far, NUL-terminated (p is "" on failure). */
struct bk_sv bk_sb_sv(struct bk_sb *sb);

/* ---- errors ---- */

struct bk_err;
int bk_err_set(struct bk_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- allocation (one place, so that tests can fail it) ---- */

void *bk_malloc(size_t n);
void *bk_realloc(void *p, size_t n);
void *bk_calloc(size_t n, size_t sz);
void bk_free(void *p);
/* Test hook: fail the allocation numbered n (1-based) and all after it when
 * sticky; 0 disables.  Returns the number of allocations so far. */
unsigned long bk_alloc_fail_at(unsigned long n);
/* With once set, bk_alloc_fail_at(n) fails allocation n only: the ones
 * after it succeed again (recovery paths). */
void bk_alloc_fail_once(bool once);
/* true when the torture test wants this allocation to fail; arena
 * allocations ask it only in builds with -DBK_TORTURE (make torture), so
 * that every allocation a decoder makes can be failed in turn. */
bool bk_alloc_torture(void);

/* ---- misc ---- */

/* SHA-1 of data as 40 lower-case hex digits plus NUL into out[41]. */
void bk_sha1_hex(const void *data, size_t n, char out[41]);
/* Test hook, not thread-safe: allow (the default) or forbid the
 * processor's SHA instructions.  Returns whether they are used. */
bool bk_sha1_hw(bool allow);

/* Replace invalid UTF-8 sequences with U+FFFD; returns a view into the
 * arena, or s itself when it is valid. */
struct bk_sv bk_utf8_fix(struct bk_arena *a, struct bk_sv s);
bool bk_utf8_valid(struct bk_sv s);

/* ---- white space (squeeze.c) ---- */

/* Squeeze in into out (room for in.n + 1 bytes): each run of white space
 * one space, none at either end, NUL-terminated. */
struct bk_sv bk_squeeze(char *out, struct bk_sv in);

/* The same, a piece at a time, for a record's diagnostic: out must have
 * room for every piece run through it. */
struct bk_squeezer {
	char *out;
	size_t o;
	bool space;	/* the last byte written is a space (or none yet) */
};
/* Append s squeezed.  With a reply code (3 bytes), its prefixes that a
 * multi-line reply repeats ("550-5.7.1 ", status after it) become one
 * space. */
void bk_squeeze_run(struct bk_squeezer *q, struct bk_sv s, struct bk_sv reply,
		    struct bk_sv status);
/* Append one space unless the output ends with one. */
void bk_squeeze_space(struct bk_squeezer *q);

#endif
