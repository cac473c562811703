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
 * from a dense row.  Deeper, most nodes have one edge, tried in place.
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

/* Run the automaton over text, recording every piece occurrence.  The
 * tables are read through locals: the loop is a few instructions a byte
 * near the root, a function of its own so that they stay in registers. */
static __attribute__((noinline)) void
scan(struct bk_sv text, struct occs *o)
{
	const unsigned char *start = (const unsigned char *)text.p;
	const unsigned char *end = start + text.n;
	const unsigned char *cls = ac->cls;
	const uint32_t *dense = ac->dense, *hot_of = ac->hot;
	uint32_t hot = hot_of[0];
	size_t s = 0;
	for (const unsigned char *p = start; p < end; p++) {
		uint32_t k = cls[*p];
		/* near the root (most of the time): one load; deeper, most
		 * nodes have one edge, tried in place */
		if (!(hot & BK_AC_DEEP)) {
			s = dense[(hot & BK_AC_ROW) + k];
		} else {
			const struct bk_ac_node *cur = &ac->nodes[s];
			if (cur->nedges == 1 && ac->edges[cur->first_edge].k == k)
				s = ac->edges[cur->first_edge].to;
			else
				s = bk_ac_step(ac, (uint32_t)s, k);
		}
		hot = hot_of[s];
		if (!(hot & BK_AC_OUT))
			continue;
		const struct bk_ac_node *n = &ac->nodes[s];
		size_t after = (size_t)(p - start) + 1;
		for (uint32_t d = n->piece >= 0 ? (uint32_t)s : n->dict; d;
		     d = ac->nodes[d].dict) {
			uint32_t pc = (uint32_t)ac->nodes[d].piece;
			if (!occ_add(o, pc, (uint32_t)(after - ac->piece_len[pc])))
				return;
		}
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
