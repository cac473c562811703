/* SPDX-License-Identifier: BSD-2-Clause */
/* phrase_ac.h - the Aho-Corasick automaton over every piece of every
 * phrase table (phrase.h), in the form the matcher (phrases.c) reads.
 *
 * The automaton is built when bouncekit is built, not when it runs:
 * tools/phrasegen.c compiles the tables of lib/reason/phrases_*.c into
 * constant arrays ($(O)/gen/phrases_ac.c), so a process starts with it in
 * read-only memory, pays no build time, and touches only the pages a scan
 * visits.
 *
 * Layout (docs/performance.md has the cost model): bytes are mapped to
 * classes (cls; class 0 for a byte that occurs in no piece, which always
 * leads back to the root).  The root, the nodes one and two bytes deep and
 * the nodes of more than one edge up to five deep have a dense row of nk
 * transitions with the failure links already followed, so a step there is
 * one load (next holds the next state's word itself); deeper nodes keep
 * their edges sorted by class and a failure link, and a word (deep) with
 * the one edge most of them have and their failure node's word.  The
 * tables are large (a few hundred KB) and a message's scan finds them
 * mostly out of the cache: what counts is the number of loads in a row
 * that depend on each other, and how far apart they are.
 */
#ifndef BK_REASON_PHRASE_AC_H
#define BK_REASON_PHRASE_AC_H

#include <stdint.h>

#define BK_AC_NO_ROW 0xffff
/* bk_ac.hot: where the node's dense row starts in dense (row * nk), or
 * BK_AC_DEEP and the node's number for a node without one; BK_AC_OUT when
 * a piece ends at the node or on its failure chain */
#define BK_AC_ROW 0x3fffffffu
#define BK_AC_OUT 0x40000000u
#define BK_AC_DEEP 0x80000000u
/* bk_ac.deep, its high half: the class of the chain edge and flags */
#define BK_AC_CHAIN_K 0xffu
#define BK_AC_CHAIN 0x100u
#define BK_AC_CHAIN_ONLY 0x200u
#define BK_AC_CHAIN_OUT 0x400u

struct bk_ac_edge {
	uint32_t k;		/* byte class */
	uint32_t to;
};

struct bk_ac_node {
	uint32_t first_edge;	/* sorted by class */
	uint16_t nedges;
	uint16_t row;		/* dense row, BK_AC_NO_ROW for deeper nodes */
	uint32_t fail;
	uint32_t dict;		/* next node on the fail chain with output */
	int32_t piece;		/* piece ending here, or -1 */
};

struct bk_ac_phrase {		/* a phrase, as piece ids */
	uint8_t reason;
	uint8_t n;
	uint8_t veto;
	uint32_t piece[4];
};

struct bk_ac {
	unsigned char cls[256];	/* byte (any case) -> class */
	uint32_t nk;		/* classes */
	const struct bk_ac_node *nodes;
	uint32_t nnodes;
	const struct bk_ac_edge *edges;
	/* rows of nk transitions (row 0 is the root): only while the
	 * automaton is built (tools/phrasegen.c); the matcher reads next */
	const uint32_t *dense;
	/* what a scan asks of a node at each byte, in one word (above) */
	const uint32_t *hot;
	/* dense with each node replaced by its hot word: near the root a
	 * step is one load, not a load for the node and one for its word */
	const uint32_t *next;
	const uint32_t *row_node;	/* the node of each dense row */
	/* what a scan asks of a deep node, in one word: the low half is
	 * the hot word of its failure node (BK_AC_OUT clear), the high half
	 * BK_AC_CHAIN and the class of its edge to the node numbered next (a
	 * piece's suffix is inserted as a run of new nodes),
	 * BK_AC_CHAIN_OUT when that node has output, BK_AC_CHAIN_ONLY when
	 * the node has no other edge (so another class leads to the failure
	 * node's step) */
	const uint64_t *deep;
	const uint32_t *piece_len;
	uint32_t npieces;
	const struct bk_ac_phrase *phrases;
	uint32_t nphrases;
	const uint32_t *by_first;	/* phrase ids grouped by first piece */
	const uint32_t *by_first_at;	/* npieces + 1 offsets into by_first */
};

/* The automaton of the phrase tables, generated at build time. */
extern const struct bk_ac bk_phrase_ac;

/* The child of node s for class k, or 0. */
static inline uint32_t
bk_ac_goto(const struct bk_ac *ac, uint32_t s, uint32_t k)
{
	const struct bk_ac_node *n = &ac->nodes[s];
	const struct bk_ac_edge *e = ac->edges + n->first_edge;
	for (uint32_t lo = 0, hi = n->nedges; lo < hi;) {
		uint32_t mid = (lo + hi) / 2;
		if (e[mid].k == k)
			return e[mid].to;
		if (e[mid].k < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The state after s reads class k (failure links followed), while the
 * automaton is built. */
static inline uint32_t
bk_ac_step(const struct bk_ac *ac, uint32_t s, uint32_t k)
{
	for (;;) {
		const struct bk_ac_node *n = &ac->nodes[s];
		if (n->row != BK_AC_NO_ROW)
			return ac->dense[(uint32_t)n->row * ac->nk + k];
		uint32_t to = bk_ac_goto(ac, s, k);
		if (to)
			return to;
		s = n->fail;
	}
}

#endif
