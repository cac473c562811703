/* SPDX-License-Identifier: BSD-2-Clause */
/* phrases.c - match a diagnostic text against every phrase table at once.
 *
 * The phrase tables (phrases_*.c) are compiled into one Aho-Corasick
 * automaton over every piece of every phrase when bouncekit is built
 * (tools/phrasegen.c, phrase_ac.h), so that a text is scanned once, in
 * time linear in its length plus the matches, however many rows the tables
 * have.  No regular expressions, no backtracking, and nothing to build when
 * a process starts.
 *
 * A phrase of several pieces matches when they occur in order: after the
 * scan, each piece's occurrences are known in order, and the pieces of a
 * phrase are looked up one after the other (binary search for the first
 * occurrence that starts after the previous piece ended).
 *
 * Cost model (docs/performance.md): the scan spends its time near the
 * root, since most text matches no long prefix; there a step is one load
 * from a dense row, which holds the next state's word itself (no second
 * load for it).  Deeper, most nodes have one edge, tried with one load.
 * The tables are mostly out of the cache when a message is classified, so
 * the loads that wait on each other are what a byte costs.
 */
#include <stdlib.h>

#include "phrase_ac.h"
#include "reason.h"

#define MAX_TEXT (64 * 1024)	/* classify at most this much of a text */

static const struct bk_ac *const ac = &bk_phrase_ac;

/* ---- matching ---- */

struct occ {
	uint32_t piece, start;
};

static int
cmp_occ(const void *a, const void *b)
{
	const struct occ *x = a, *y = b;
	if (x->piece != y->piece)
		return x->piece < y->piece ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sort by piece, then start.  The scan finds a piece's occurrences in
 * order, so a stable sort by piece is enough: insertion sort for the few
 * of a typical text, qsort beyond. */
static void
sort_occ(struct occ *o, size_t n)
{
	if (n > 48) {
		qsort(o, n, sizeof(*o), cmp_occ);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct occ x = o[i];
		size_t j = i;
		while (j > 0 && o[j - 1].piece > x.piece) {
			o[j] = o[j - 1];
			j--;
		}
		o[j] = x;
	}
}

/* The first occurrence of piece starting at or after pos, via the sorted
 * occurrence array; -1 when none. */
static long
first_after(const struct occ *o, size_t n, uint32_t piece, uint32_t pos)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (o[mid].piece < piece ||
		    (o[mid].piece == piece && o[mid].start < pos))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && o[lo].piece == piece)
		return (long)o[lo].start;
	return -1;
}

static bool
phrase_matches(const struct bk_ac_phrase *p, const struct occ *o, size_t n)
{
	uint32_t pos = 0;
	for (unsigned k = 0; k < p->n; k++) {
		long at = first_after(o, n, p->piece[k], pos);
		if (at < 0)
			return false;
		pos = (uint32_t)at + ac->piece_len[p->piece[k]];
	}
	return true;
}

struct occs {
	struct occ stackbuf[256], *v;
	size_t n, cap;
};

static bool
occ_add(struct occs *o, uint32_t piece, uint32_t start)
{
	if (o->n == o->cap) {
		size_t ncap = o->cap * 2;
		struct occ *no = o->v == o->stackbuf
			? malloc(ncap * sizeof(*no))
			: realloc(o->v, ncap * sizeof(*no));
		if (!no)
			return false;
		if (o->v == o->stackbuf)
			memcpy(no, o->stackbuf, sizeof(o->stackbuf));
		o->v = no;
		o->cap = ncap;
	}
	o->v[o->n++] = (struct occ){ piece, start };
	return true;
}

/* Record the pieces that end at the state of hot word w, the text's
 * first `after` bytes read; false when out of memory.  A dense row's
 * node is found from where its row starts (a division, but pieces end
 * at a few bytes of a text, not at most).  Not inline: the scan keeps
 * its registers. */
static __attribute__((noinline)) bool
outputs(struct occs *o, uint32_t w, size_t after)
{
	uint32_t s = w & BK_AC_DEEP ? w & BK_AC_ROW
				    : ac->row_node[(w & BK_AC_ROW) / ac->nk];
	const struct bk_ac_node *n = &ac->nodes[s];
	for (uint32_t d = n->piece >= 0 ? s : n->dict; d; d = ac->nodes[d].dict) {
		uint32_t pc = (uint32_t)ac->nodes[d].piece;
		if (!occ_add(o, pc, (uint32_t)(after - ac->piece_len[pc])))
			return false;
	}
	return true;
}

/* The hot word of the state after s reads class k, by the edges and the
 * failure links (bk_ac_step, with the rows of next). */
static uint32_t
step_word(uint32_t s, uint32_t k)
{
	for (;;) {
		const struct bk_ac_node *n = &ac->nodes[s];
		if (n->row != BK_AC_NO_ROW)
			return ac->next[(uint32_t)n->row * ac->nk + k];
		uint32_t to = bk_ac_goto(ac, s, k);
		if (to)
			return ac->hot[to];
		s = n->fail;
	}
}

/* The hot word of the state after deep node s reads class k: along a
 * piece's suffix the next node, on a miss the step of the failure node
 * (one more load when it has a dense row). */
static inline uint32_t
deep_step(uint32_t s, uint32_t k)
{
	for (;;) {
		uint64_t d = ac->deep[s];
		uint32_t c = (uint32_t)(d >> 32), f = (uint32_t)d;
		if ((c & (BK_AC_CHAIN | BK_AC_CHAIN_K)) == (k | BK_AC_CHAIN))
			return (s + 1) | BK_AC_DEEP |
			       (c & BK_AC_CHAIN_OUT ? BK_AC_OUT : 0);
		if (!(c & BK_AC_CHAIN_ONLY))
			return step_word(s, k);
		if (!(f & BK_AC_DEEP))
			return ac->next[f + k];
		s = f & BK_AC_ROW;
	}
}

/* Run the automaton over text, recording every piece occurrence.  The
 * state is its hot word: near the root (most of the time) a step is one
 * load from next, whose words are the next state's, so the bytes form a
 * chain of one load each.  Deeper, most nodes have one edge, to the node
 * numbered next: one load of the node's deep word tries it or, on a miss,
 * gives the failure node's word, and the words of a suffix lie side by
 * side.  A function of its own so that the tables stay in registers. */
static __attribute__((noinline)) void
scan(struct bk_sv text, struct occs *o)
{
	const unsigned char *start = (const unsigned char *)text.p;
	const unsigned char *end = start + text.n;
	const unsigned char *cls = ac->cls;
	const uint32_t *next = ac->next, *hot_of = ac->hot;
	uint32_t w = hot_of[0] & ~BK_AC_OUT;
	for (const unsigned char *p = start; p < end; p++) {
		uint32_t k = cls[*p];
		if (!(w & BK_AC_DEEP)) {
			w = next[w + k];	/* w is where the row starts */
		} else {
			w = deep_step(w & BK_AC_ROW, k);
		}
		if (!(w & BK_AC_OUT))
			continue;
		if (!outputs(o, w, (size_t)(p - start) + 1))
			return;
		w &= ~BK_AC_OUT;
	}
}

bk_reason_set
bk_phrases_match(struct bk_sv text)
{
	if (text.n == 0)
		return 0;
	if (text.n > MAX_TEXT)
		text.n = MAX_TEXT;
	struct occs o;
	o.v = o.stackbuf;
	o.n = 0;
	o.cap = BK_NELEM(o.stackbuf);
	scan(text, &o);
	sort_occ(o.v, o.n);
	bk_reason_set set = 0, veto = 0;
	for (size_t i = 0; i < o.n; i++) {
		if (i && o.v[i].piece == o.v[i - 1].piece)
			continue;
		uint32_t f = o.v[i].piece;
		for (uint32_t j = ac->by_first_at[f]; j < ac->by_first_at[f + 1]; j++) {
			const struct bk_ac_phrase *p = &ac->phrases[ac->by_first[j]];
			bk_reason_set *into = p->veto ? &veto : &set;
			if (!(*into & BK_RBIT(p->reason)) &&
			    phrase_matches(p, o.v, o.n))
				*into |= BK_RBIT(p->reason);
		}
	}
	if (o.v != o.stackbuf)
		free(o.v);
	return set & ~veto;
}
