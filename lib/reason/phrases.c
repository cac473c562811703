/* phrases.c - one Aho-Corasick automaton over every piece of every phrase
 * table, built once per process (pthread_once), so that a diagnostic text
 * is scanned once, in time linear in its length plus the matches, however
 * many rows the tables have.  No regular expressions, no backtracking.
 *
 * A phrase of several pieces matches when they occur in order: after the
 * scan, each piece's occurrences are known in order, and the pieces of a
 * phrase are looked up one after the other (binary search for the first
 * occurrence that starts after the previous piece ended).
 *
 * Cost model (docs/performance.md): the scan spends its time near the
 * root, since most text matches no long prefix.  The root and the nodes
 * one and two bytes deep therefore have dense rows (a full transition for
 * every byte class, failure links already followed), so a step there is
 * one load; deeper nodes keep sorted edges and failure links.  Bytes that occur
 * in no piece share one class, which always leads back to the root.
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
#define NO_ROW 0xffff

struct edge {
	unsigned char k;	/* byte class */
	uint32_t to;
};

struct node {
	uint32_t first_edge;	/* sorted by class */
	uint16_t nedges;
	uint16_t row;		/* dense row, NO_ROW for deeper nodes */
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
	unsigned char cls[256];	/* byte (any case) -> class, 0: in no piece */
	unsigned nk;		/* classes */
	struct node *nodes;
	uint32_t nnodes;
	struct edge *edges;
	uint32_t *dense;	/* rows of nk transitions; row 0 is the root */
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

/* Build-time trie: children in a list sorted by class, so that the frozen
 * edges come out sorted without a sort. */
struct bnode {
	uint32_t child, sibling;	/* 0 = none (root is never a child) */
	unsigned char k;
	int32_t piece;
};

struct build {
	struct bnode *bn;
	uint32_t nbn, capbn;
	uint32_t cappieces;
};

/* The trie has at most one node per byte of the pieces, plus the root:
 * room for that many is made once (make_classes counts the bytes). */
static uint32_t
bnode_new(struct build *b, unsigned char k)
{
	if (b->nbn == b->capbn)
		return 0;
	b->bn[b->nbn] = (struct bnode){ 0, 0, k, -1 };
	return b->nbn++;
}

/* The child of cur for class k, created in sorted place when absent. */
static uint32_t
child_of(struct build *b, uint32_t cur, unsigned char k)
{
	uint32_t *link = &b->bn[cur].child;
	while (*link && b->bn[*link].k < k)
		link = &b->bn[*link].sibling;
	if (*link && b->bn[*link].k == k)
		return *link;
	uint32_t n = bnode_new(b, k);
	if (!n)
		return 0;
	b->bn[n].sibling = *link;
	*link = n;
	return n;
}

static int32_t
insert_piece(struct build *b, const char *s)
{
	uint32_t cur = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		cur = child_of(b, cur, ac.cls[*p]);
		if (!cur)
			return -1;
	}
	if (b->bn[cur].piece < 0) {
		if (ac.npieces == b->cappieces) {
			uint32_t ncap = b->cappieces ? b->cappieces * 2 : 1024;
			struct piece *np = realloc(ac.pieces, ncap * sizeof(*np));
			if (!np)
				return -1;
			ac.pieces = np;
			b->cappieces = ncap;
		}
		ac.pieces[ac.npieces] = (struct piece){ s, (uint32_t)strlen(s) };
		b->bn[cur].piece = (int32_t)ac.npieces++;
	}
	return b->bn[cur].piece;
}

/* Classes: one per distinct (lower-cased) byte of any piece.  Returns
 * the number of bytes of all pieces. */
static size_t
make_classes(void)
{
	bool used[256] = { false };
	size_t bytes = 0;
	for (size_t t = 0; t < BK_NELEM(tables); t++)
		for (size_t i = 0; i < tables[t]->n; i++)
			for (int k = 0; k < 4 && tables[t]->rows[i].piece[k]; k++)
				for (const unsigned char *p = (const unsigned char *)
					     tables[t]->rows[i].piece[k]; *p; p++, bytes++)
					used[bk_lower(*p)] = true;
	ac.nk = 1;
	for (int c = 0; c < 256; c++)
		if (used[c])
			ac.cls[c] = (unsigned char)ac.nk++;
	for (int c = 0; c < 256; c++)
		ac.cls[c] = ac.cls[bk_lower((unsigned char)c)];
	return bytes;
}

/* The child of node s for class k, or 0. */
static uint32_t
goto_of(uint32_t s, unsigned k)
{
	const struct node *n = &ac.nodes[s];
	const struct edge *e = ac.edges + n->first_edge;
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

static uint32_t
step(uint32_t s, unsigned k)
{
	for (;;) {
		const struct node *n = &ac.nodes[s];
		if (n->row != NO_ROW)
			return ac.dense[(size_t)n->row * ac.nk + k];
		uint32_t to = n->nedges == 1
			? (ac.edges[n->first_edge].k == k ? ac.edges[n->first_edge].to : 0)
			: goto_of(s, k);
		if (to)
			return to;
		s = n->fail;
	}
}

/* Freeze the build trie into arrays: edges in node order. */
static bool
freeze(struct build *b)
{
	ac.nnodes = b->nbn;
	ac.nodes = calloc(b->nbn, sizeof(*ac.nodes));
	ac.edges = calloc(b->nbn ? b->nbn : 1, sizeof(*ac.edges));
	if (!ac.nodes || !ac.edges)
		return false;
	uint32_t ne = 0;
	for (uint32_t i = 0; i < b->nbn; i++) {
		ac.nodes[i].first_edge = ne;
		ac.nodes[i].piece = b->bn[i].piece;
		ac.nodes[i].row = NO_ROW;
		for (uint32_t k = b->bn[i].child; k; k = b->bn[k].sibling)
			ac.edges[ne++] = (struct edge){ b->bn[k].k, k };
		ac.nodes[i].nedges = (uint16_t)(ne - ac.nodes[i].first_edge);
	}
	return true;
}

/* A dense row for node s: base (a row of its failure node, NULL for the
 * root) with the node's own edges laid over it. */
static void
dense_row(uint32_t s, uint32_t nrow, const uint32_t *base)
{
	uint32_t *r = ac.dense + (size_t)nrow * ac.nk;
	if (base)
		memcpy(r, base, ac.nk * sizeof(*r));
	const struct node *n = &ac.nodes[s];
	for (uint32_t e = 0; e < n->nedges; e++)
		r[ac.edges[n->first_edge + e].k] = ac.edges[n->first_edge + e].to;
	ac.nodes[s].row = (uint16_t)nrow;
}

/* Dense rows for the root and the nodes one and two bytes deep.  A node
 * one deep fails to the root; a node two deep, reached by class k, fails
 * to where the root goes by k, which is at most one deep. */
static bool
dense_rows(void)
{
	const struct node *root = &ac.nodes[0];
	const struct edge *re = ac.edges + root->first_edge;
	uint32_t nrows = 1 + root->nedges;
	for (uint32_t j = 0; j < root->nedges; j++)
		nrows += ac.nodes[re[j].to].nedges;
	ac.dense = calloc((size_t)nrows * ac.nk, sizeof(*ac.dense));
	if (!ac.dense || nrows >= NO_ROW)
		return false;
	uint32_t next = 0;
	dense_row(0, next++, NULL);
	for (uint32_t j = 0; j < root->nedges; j++)
		dense_row(re[j].to, next++, ac.dense);
	for (uint32_t j = 0; j < root->nedges; j++) {
		const struct node *n = &ac.nodes[re[j].to];
		for (uint32_t e = 0; e < n->nedges; e++) {
			struct edge ed = ac.edges[n->first_edge + e];
			uint32_t f = ac.dense[ed.k];
			ac.nodes[ed.to].fail = f;
			dense_row(ed.to, next++,
				  ac.dense + (size_t)ac.nodes[f].row * ac.nk);
		}
	}
	return true;
}

/* Failure and output links, breadth first from the nodes two deep. */
static bool
links(void)
{
	uint32_t *queue = calloc(ac.nnodes ? ac.nnodes : 1, sizeof(*queue));
	if (!queue)
		return false;
	uint32_t qh = 0, qt = 0;
	const struct node *root = &ac.nodes[0];
	for (uint32_t j = 0; j < root->nedges; j++)
		queue[qt++] = ac.edges[root->first_edge + j].to;
	while (qh < qt) {
		uint32_t s = queue[qh++];
		const struct node *n = &ac.nodes[s];
		for (uint32_t j = 0; j < n->nedges; j++) {
			struct edge e = ac.edges[n->first_edge + j];
			struct node *to = &ac.nodes[e.to];
			to->fail = step(n->fail, e.k);
			const struct node *f = &ac.nodes[to->fail];
			to->dict = f->piece >= 0 ? to->fail : f->dict;
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
	uint32_t *fill = calloc(ac.npieces + 1, sizeof(uint32_t));
	if (!ac.by_first_at || !ac.by_first || !fill) {
		free(fill);
		return false;
	}
	for (uint32_t i = 0; i < ac.nphrases; i++)
		ac.by_first_at[ac.phrases[i].piece[0] + 1]++;
	for (uint32_t i = 0; i < ac.npieces; i++)
		ac.by_first_at[i + 1] += ac.by_first_at[i];
	for (uint32_t i = 0; i < ac.nphrases; i++) {
		uint32_t f = ac.phrases[i].piece[0];
		ac.by_first[ac.by_first_at[f] + fill[f]++] = i;
	}
	free(fill);
	return true;
}

static bool
insert_rows(struct build *b)
{
	for (size_t t = 0; t < BK_NELEM(tables); t++) {
		for (size_t i = 0; i < tables[t]->n; i++) {
			const struct bk_phrase *r = &tables[t]->rows[i];
			struct ph p = { r->reason, 0, r->veto, { 0, 0, 0, 0 } };
			for (int k = 0; k < 4 && r->piece[k]; k++) {
				if (!r->piece[k][0])
					continue;
				int32_t id = insert_piece(b, r->piece[k]);
				if (id < 0)
					return false;
				p.piece[p.n++] = (uint32_t)id;
			}
			if (p.n)
				ac.phrases[ac.nphrases++] = p;
		}
	}
	return true;
}

static void
build(void)
{
	struct build b = { NULL, 0, 0, 0 };
	size_t total = 0;
	for (size_t t = 0; t < BK_NELEM(tables); t++)
		total += tables[t]->n;
	ac.phrases = calloc(total + 1, sizeof(*ac.phrases));
	if (!ac.phrases)
		return;
	size_t bytes = make_classes();
	if (bytes + 1 >= UINT32_MAX)
		return;
	b.capbn = (uint32_t)bytes + 1;
	b.bn = malloc(b.capbn * sizeof(*b.bn));
	if (!b.bn)
		return;
	bnode_new(&b, 0);	/* the root */
	if (b.nbn == 1 && insert_rows(&b))
		ac.ok = freeze(&b) && dense_rows() && links() && index_phrases();
	free(b.bn);
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

/* Run the automaton over text, recording every piece occurrence. */
static void
scan(struct bk_sv text, struct occs *o)
{
	const unsigned char *p = (const unsigned char *)text.p;
	uint32_t s = 0;
	for (size_t i = 0; i < text.n; i++) {
		unsigned k = ac.cls[p[i]];
		const struct node *cur = &ac.nodes[s];
		/* near the root (most of the time): one load; deeper, most
		 * nodes have one edge, tried in place */
		if (cur->row != NO_ROW)
			s = ac.dense[(size_t)cur->row * ac.nk + k];
		else if (cur->nedges == 1 && ac.edges[cur->first_edge].k == k)
			s = ac.edges[cur->first_edge].to;
		else
			s = step(s, k);
		const struct node *n = &ac.nodes[s];
		if (n->piece < 0 && !n->dict)
			continue;
		for (uint32_t d = n->piece >= 0 ? s : n->dict; d;
		     d = ac.nodes[d].dict) {
			uint32_t pc = (uint32_t)ac.nodes[d].piece;
			if (!occ_add(o, pc, (uint32_t)(i + 1 - ac.pieces[pc].len)))
				return;
		}
	}
}

bk_reason_set
bk_phrases_match(struct bk_sv text)
{
	pthread_once(&ac_once, build);
	if (!ac.ok || text.n == 0)
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
		for (uint32_t j = ac.by_first_at[f]; j < ac.by_first_at[f + 1]; j++) {
			const struct ph *p = &ac.phrases[ac.by_first[j]];
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
