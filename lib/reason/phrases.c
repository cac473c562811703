/* phrases.c - one Aho-Corasick automaton over every piece of every phrase
 * table, built once per process (pthread_once), so that a diagnostic text
 * is scanned once, in time linear in its length plus the matches, however
 * many rows the tables have.  No regular expressions, no backtracking.
 *
 * A phrase of several pieces matches when they occur in order: after the
 * scan, each piece's occurrences are known in order, and the pieces of a
 * phrase are looked up one after the other (binary search for the first
 * occurrence that starts after the previous piece ended).
 */
#include <pthread.h>
#include <stdlib.h>

#include "phrase.h"
#include "reason.h"

/* The tables, one per language (phrases_*.c). */
extern const struct bk_phrase_table bk_phrases_en;
extern const struct bk_phrase_table bk_phrases_ja;
extern const struct bk_phrase_table bk_phrases_de;
extern const struct bk_phrase_table bk_phrases_fr;
extern const struct bk_phrase_table bk_phrases_es;
extern const struct bk_phrase_table bk_phrases_pt;
extern const struct bk_phrase_table bk_phrases_it;
extern const struct bk_phrase_table bk_phrases_ru;
extern const struct bk_phrase_table bk_phrases_zh;

static const struct bk_phrase_table *const tables[] = {
	&bk_phrases_en, &bk_phrases_ja, &bk_phrases_de, &bk_phrases_fr,
	&bk_phrases_es, &bk_phrases_pt, &bk_phrases_it, &bk_phrases_ru,
	&bk_phrases_zh,
};

#define MAX_TEXT (64 * 1024)	/* classify at most this much of a text */

struct edge {
	unsigned char c;
	uint32_t to;
};

struct node {
	uint32_t first_edge, nedges;	/* sorted by c */
	uint32_t fail;
	uint32_t dict;		/* next node on the fail chain with output */
	int32_t piece;		/* piece ending here, or -1 */
};

struct piece {
	const char *s;
	uint32_t len;
};

struct ph {			/* a phrase, as piece ids */
	uint8_t reason;
	uint8_t n;
	uint8_t veto;
	uint32_t piece[4];
};

static struct {
	struct node *nodes;
	uint32_t nnodes;
	struct edge *edges;
	uint32_t root[256];	/* root transitions, a full table */
	struct piece *pieces;
	uint32_t npieces;
	struct ph *phrases;
	uint32_t nphrases;
	uint32_t *by_first;	/* phrase ids grouped by first piece */
	uint32_t *by_first_at;	/* npieces + 1 offsets into by_first */
	bool ok;
} ac;

static pthread_once_t ac_once = PTHREAD_ONCE_INIT;

/* ---- building (once) ---- */

struct bnode {			/* build-time trie node: children in a list */
	uint32_t child, sibling;	/* 0 = none (root is never a child) */
	unsigned char c;
	int32_t piece;
};

static struct bnode *bn;
static uint32_t nbn, capbn;

static uint32_t
bnode_new(unsigned char c)
{
	if (nbn == capbn) {
		capbn = capbn ? capbn * 2 : 4096;
		struct bnode *n = realloc(bn, capbn * sizeof(*bn));
		if (!n)
			return 0;
		bn = n;
	}
	bn[nbn] = (struct bnode){ 0, 0, c, -1 };
	return nbn++;
}

static int32_t
insert_piece(const char *s)
{
	uint32_t cur = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = bk_lower(*p);
		uint32_t k = bn[cur].child;
		while (k && bn[k].c != c)
			k = bn[k].sibling;
		if (!k) {
			k = bnode_new(c);
			if (!k)
				return -1;
			bn[k].sibling = bn[cur].child;
			bn[cur].child = k;
		}
		cur = k;
	}
	if (bn[cur].piece < 0) {
		struct piece *np = realloc(ac.pieces,
					   (ac.npieces + 1) * sizeof(*np));
		if (!np)
			return -1;
		ac.pieces = np;
		ac.pieces[ac.npieces] = (struct piece){ s, (uint32_t)strlen(s) };
		bn[cur].piece = (int32_t)ac.npieces++;
	}
	return bn[cur].piece;
}

static int
cmp_edge(const void *a, const void *b)
{
	return (int)((const struct edge *)a)->c - (int)((const struct edge *)b)->c;
}

static uint32_t
step(uint32_t s, unsigned char c)
{
	for (;;) {
		if (s == 0)
			return ac.root[c];
		const struct node *n = &ac.nodes[s];
		const struct edge *e = ac.edges + n->first_edge;
		for (uint32_t lo = 0, hi = n->nedges; lo < hi;) {
			uint32_t mid = (lo + hi) / 2;
			if (e[mid].c == c)
				return e[mid].to;
			if (e[mid].c < c)
				lo = mid + 1;
			else
				hi = mid;
		}
		s = n->fail;
	}
}

/* Freeze the build trie into arrays and compute failure links (BFS). */
static bool
freeze(void)
{
	ac.nnodes = nbn;
	ac.nodes = calloc(nbn, sizeof(*ac.nodes));
	ac.edges = calloc(nbn ? nbn : 1, sizeof(*ac.edges));
	uint32_t *queue = calloc(nbn, sizeof(*queue));
	if (!ac.nodes || !ac.edges || !queue) {
		free(queue);
		return false;
	}
	uint32_t ne = 0;
	for (uint32_t i = 0; i < nbn; i++) {
		ac.nodes[i].first_edge = ne;
		ac.nodes[i].piece = bn[i].piece;
		for (uint32_t k = bn[i].child; k; k = bn[k].sibling)
			ac.edges[ne++] = (struct edge){ bn[k].c, k };
		ac.nodes[i].nedges = ne - ac.nodes[i].first_edge;
		qsort(ac.edges + ac.nodes[i].first_edge, ac.nodes[i].nedges,
		      sizeof(struct edge), cmp_edge);
	}
	memset(ac.root, 0, sizeof(ac.root));
	uint32_t qh = 0, qt = 0;
	for (uint32_t k = bn[0].child; k; k = bn[k].sibling) {
		ac.root[bn[k].c] = k;
		ac.nodes[k].fail = 0;
		queue[qt++] = k;
	}
	while (qh < qt) {
		uint32_t s = queue[qh++];
		const struct node *n = &ac.nodes[s];
		for (uint32_t j = 0; j < n->nedges; j++) {
			struct edge e = ac.edges[n->first_edge + j];
			uint32_t f = step(n->fail, e.c);
			ac.nodes[e.to].fail = f == e.to ? 0 : f;
			uint32_t ff = ac.nodes[e.to].fail;
			ac.nodes[e.to].dict = ac.nodes[ff].piece >= 0 ? ff
								      : ac.nodes[ff].dict;
			queue[qt++] = e.to;
		}
	}
	free(queue);
	return true;
}

static bool
index_phrases(void)
{
	ac.by_first_at = calloc(ac.npieces + 2, sizeof(uint32_t));
	ac.by_first = calloc(ac.nphrases + 1, sizeof(uint32_t));
	if (!ac.by_first_at || !ac.by_first)
		return false;
	for (uint32_t i = 0; i < ac.nphrases; i++)
		ac.by_first_at[ac.phrases[i].piece[0] + 1]++;
	for (uint32_t i = 0; i < ac.npieces; i++)
		ac.by_first_at[i + 1] += ac.by_first_at[i];
	uint32_t *fill = calloc(ac.npieces + 1, sizeof(uint32_t));
	if (!fill)
		return false;
	for (uint32_t i = 0; i < ac.nphrases; i++) {
		uint32_t f = ac.phrases[i].piece[0];
		ac.by_first[ac.by_first_at[f] + fill[f]++] = i;
	}
	free(fill);
	return true;
}

static void
build(void)
{
	size_t total = 0;
	for (size_t t = 0; t < BK_NELEM(tables); t++)
		total += tables[t]->n;
	ac.phrases = calloc(total + 1, sizeof(*ac.phrases));
	if (!ac.phrases)
		return;
	bnode_new(0);	/* the root */
	if (nbn != 1)
		return;
	for (size_t t = 0; t < BK_NELEM(tables); t++) {
		for (size_t i = 0; i < tables[t]->n; i++) {
			const struct bk_phrase *r = &tables[t]->rows[i];
			struct ph p = { r->reason, 0, r->veto, { 0, 0, 0, 0 } };
			for (int k = 0; k < 4 && r->piece[k]; k++) {
				if (!r->piece[k][0])
					continue;
				int32_t id = insert_piece(r->piece[k]);
				if (id < 0)
					return;
				p.piece[p.n++] = (uint32_t)id;
			}
			if (p.n)
				ac.phrases[ac.nphrases++] = p;
		}
	}
	ac.ok = freeze() && index_phrases();
	free(bn);
	bn = NULL;
}

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
phrase_matches(const struct ph *p, const struct occ *o, size_t n)
{
	uint32_t pos = 0;
	for (unsigned k = 0; k < p->n; k++) {
		long at = first_after(o, n, p->piece[k], pos);
		if (at < 0)
			return false;
		pos = (uint32_t)at + ac.pieces[p->piece[k]].len;
	}
	return true;
}

bk_reason_set
bk_phrases_match(struct bk_sv text)
{
	pthread_once(&ac_once, build);
	if (!ac.ok || text.n == 0)
		return 0;
	if (text.n > MAX_TEXT)
		text.n = MAX_TEXT;
	struct occ stackbuf[256], *occ = stackbuf;
	size_t nocc = 0, cap = BK_NELEM(stackbuf);
	bk_reason_set set = 0, veto = 0;
	uint32_t s = 0;
	for (size_t i = 0; i < text.n; i++) {
		s = step(s, bk_lower((unsigned char)text.p[i]));
		for (uint32_t d = ac.nodes[s].piece >= 0 ? s : ac.nodes[s].dict; d;
		     d = ac.nodes[d].dict) {
			if (nocc == cap) {
				size_t ncap = cap * 2;
				struct occ *no = occ == stackbuf
					? malloc(ncap * sizeof(*no))
					: realloc(occ, ncap * sizeof(*no));
				if (!no)
					goto done;
				if (occ == stackbuf)
					memcpy(no, stackbuf, sizeof(stackbuf));
				occ = no;
				cap = ncap;
			}
			uint32_t pc = (uint32_t)ac.nodes[d].piece;
			occ[nocc++] = (struct occ){ pc,
				(uint32_t)(i + 1 - ac.pieces[pc].len) };
		}
	}
done:
	qsort(occ, nocc, sizeof(*occ), cmp_occ);
	for (size_t i = 0; i < nocc; i++) {
		if (i && occ[i].piece == occ[i - 1].piece)
			continue;
		uint32_t f = occ[i].piece;
		for (uint32_t j = ac.by_first_at[f]; j < ac.by_first_at[f + 1]; j++) {
			const struct ph *p = &ac.phrases[ac.by_first[j]];
			bk_reason_set *into = p->veto ? &veto : &set;
			if (!(*into & BK_RBIT(p->reason)) && phrase_matches(p, occ, nocc))
				*into |= BK_RBIT(p->reason);
		}
	}
	if (occ != stackbuf)
		free(occ);
	return set & ~veto;
}
