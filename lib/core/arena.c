/* SPDX-License-Identifier: BSD-2-Clause */
/* arena.c - bump allocation per message.  Blocks double up to a limit; the
 * first block is kept across resets so that a steady stream of messages
 * allocates nothing. */
#include "core.h"

#include <stdint.h>

#define ARENA_FIRST (64 * 1024)
#define ARENA_BIG (4 * 1024 * 1024)
#define ARENA_ALIGN BK_ARENA_ALIGN

/* The head block's free part is a->cur, a->avail (core.h): the inline
 * allocator bumps those, so blocks keep no count of their own. */
struct bk_arena_block {
	struct bk_arena_block *prev;
	size_t size;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

void
bk_arena_init(struct bk_arena *a, size_t cap)
{
	memset(a, 0, sizeof(*a));
	a->cap = cap;
}

static void
free_chain(struct bk_arena_block *b, struct bk_arena_block *keep)
{
	while (b && b != keep) {
		struct bk_arena_block *prev = b->prev;
		bk_free(b);
		b = prev;
	}
}

void
bk_arena_reset(struct bk_arena *a)
{
	free_chain(a->head, a->spare);
	if (a->spare && a->spare->size > ARENA_FIRST) {
		/* keep only a small block between messages */
		bk_free(a->spare);
		a->spare = NULL;
	}
	a->head = a->spare;
	a->cur = NULL;
	a->avail = 0;
	if (a->head) {
		a->head->prev = NULL;
		a->cur = a->head->data;
		a->avail = a->head->size;
	}
	a->used = 0;
	a->failed = false;
}

void
bk_arena_free(struct bk_arena *a)
{
	free_chain(a->head, NULL);
	a->head = a->spare = NULL;
	a->cur = NULL;
	a->avail = 0;
	a->used = 0;
}

static struct bk_arena_block *
new_block(struct bk_arena *a, size_t need)
{
	size_t size = a->head ? a->head->size * 2 : ARENA_FIRST;
	if (size > ARENA_BIG)
		size = ARENA_BIG;
	if (size < need)
		size = need;
	struct bk_arena_block *b = bk_malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->prev = a->head;
	b->size = size;
	a->head = b;
	a->cur = b->data;
	a->avail = size;
	if (!a->spare)
		a->spare = b;
	return b;
}

void *
bk_arena_alloc_slow(struct bk_arena *a, size_t n)
{
	if (a->failed)
		return NULL;
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < n || (a->cap && a->used + need > a->cap)) {
		a->failed = true;
		return NULL;
	}
#ifdef BK_TORTURE
	if (bk_alloc_torture()) {
		a->failed = true;
		return NULL;
	}
#endif
	if (!a->head || a->avail < need) {
		if (!new_block(a, need)) {
			a->failed = true;
			return NULL;
		}
	}
	void *p = a->cur;
	a->cur += need;
	a->avail -= need;
	a->used += need;
	return p;
}

void *
bk_arena_zalloc(struct bk_arena *a, size_t n)
{
	void *p = bk_arena_alloc(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

char *
bk_arena_strndup(struct bk_arena *a, const char *s, size_t n)
{
	char *p = bk_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

const char *
bk_arena_cstr(struct bk_arena *a, struct bk_sv s)
{
	if (s.n == 0)
		return "";
	char *p = bk_arena_strndup(a, s.p, s.n);
	return p ? p : "";
}

struct bk_sv
bk_arena_sv(struct bk_arena *a, struct bk_sv s)
{
	char *p = bk_arena_strndup(a, s.p, s.n);
	return p ? bk_sv_make(p, s.n) : BK_SV_NULL;
}

bool
bk_arena_grow(struct bk_arena *a, void **v, size_t *cap, size_t need,
	      size_t sz)
{
	if (need <= *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	if (ncap > SIZE_MAX / sz) {
		a->failed = true;
		return false;
	}
	void *nv = bk_arena_alloc(a, ncap * sz);
	if (!nv)
		return false;
	if (*cap)
		memcpy(nv, *v, *cap * sz);
	*v = nv;
	*cap = ncap;
	return true;
}

void
bk_sb_init(struct bk_sb *sb, struct bk_arena *a, size_t hint)
{
	sb->a = a;
	sb->n = 0;
	sb->cap = 0;
	sb->p = NULL;
	if (hint) {
		sb->p = bk_arena_alloc(a, hint + 1);
		sb->cap = sb->p ? hint + 1 : 0;
	}
}

void
bk_sb_add(struct bk_sb *sb, const char *p, size_t n)
{
	if (sb->n + n + 1 > sb->cap) {
		size_t ncap = sb->cap ? sb->cap * 2 : 64;
		while (ncap < sb->n + n + 1)
			ncap *= 2;
		char *np = bk_arena_alloc(sb->a, ncap);
		if (!np)
			return;
		if (sb->n)
			memcpy(np, sb->p, sb->n);
		sb->p = np;
		sb->cap = ncap;
	}
	if (n)
		memcpy(sb->p + sb->n, p, n);
	sb->n += n;
}

struct bk_sv
bk_sb_sv(struct bk_sb *sb)
{
	if (!sb->p || sb->a->failed)
		return bk_sv_make("", 0);
	sb->p[sb->n] = '\0';
	return bk_sv_make(sb->p, sb->n);
}
