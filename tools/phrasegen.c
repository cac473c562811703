/* SPDX-License-Identifier: BSD-2-Clause */
/* phrasegen.c - compile the phrase tables (lib/reason/phrases_*.c) into the
 * Aho-Corasick automaton the matcher reads (lib/reason/phrase_ac.h), as C
 * source of constant arrays.  Run by make, once per build:
 *
 *   $(O)/phrasegen > $(O)/gen/phrases_ac.c
 *
 * The build: one class per distinct (lower-cased) byte of any piece; a trie
 * of every piece over the classes, children kept in class order so that the
 * frozen edges come out sorted; dense rows for the root and the nodes one
 * and two bytes deep; failure and output links breadth first; dense rows
 * for the nodes of several edges up to DEEP_ROW_DEPTH deep; phrases
 * grouped by their first piece.  The output depends only on the tables and
 * their order, so it is the same on every machine.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "reason/phrase.h"
#include "reason/phrase_ac.h"

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

/* The automaton while it is built: the same arrays as struct bk_ac, but
 * writable. */
static struct {
	unsigned char cls[256];
	uint32_t nk;
	struct bk_ac_node *nodes;
	uint32_t nnodes;
	struct bk_ac_edge *edges;
	uint32_t *dense;
	uint32_t ndense;	/* rows */
	uint32_t *piece_len;
	uint32_t npieces, cappieces;
	struct bk_ac_phrase *phrases;
	uint32_t nphrases;
	uint32_t *by_first, *by_first_at;
} g;

/* A read-only view of g, for bk_ac_step. */
static struct bk_ac
view(void)
{
	struct bk_ac ac = { .nk = g.nk, .nodes = g.nodes, .nnodes = g.nnodes,
			    .edges = g.edges, .dense = g.dense };
	memcpy(ac.cls, g.cls, sizeof(ac.cls));
	return ac;
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fprintf(stderr, "phrasegen: out of memory\n");
		exit(1);
	}
	return p;
}

/* Build-time trie: children in a list sorted by class. */
struct bnode {
	uint32_t child, sibling;	/* 0 = none (the root is never a child) */
	uint32_t k;
	int32_t piece;
};

static struct bnode *bn;
static uint32_t nbn;

static uint32_t
child_of(uint32_t cur, uint32_t k)
{
	uint32_t *link = &bn[cur].child;
	while (*link && bn[*link].k < k)
		link = &bn[*link].sibling;
	uint32_t found = *link;
	if (found && bn[found].k == k)
		return found;
	uint32_t n = nbn++;
	bn[n] = (struct bnode){ 0, *link, k, -1 };
	*link = n;
	return n;
}

static uint32_t
insert_piece(const char *s)
{
	uint32_t cur = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		cur = child_of(cur, g.cls[*p]);
	if (bn[cur].piece < 0) {
		if (g.npieces == g.cappieces) {
			g.cappieces = g.cappieces ? g.cappieces * 2 : 1024;
			g.piece_len = realloc(g.piece_len,
					      g.cappieces * sizeof(*g.piece_len));
			if (!g.piece_len) {
				fprintf(stderr, "phrasegen: out of memory\n");
				exit(1);
			}
		}
		g.piece_len[g.npieces] = (uint32_t)strlen(s);
		bn[cur].piece = (int32_t)g.npieces++;
	}
	return (uint32_t)bn[cur].piece;
}

/* Classes: one per distinct (lower-cased) byte of any piece.  Returns the
 * number of bytes of all pieces, which bounds the trie's nodes. */
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
	g.nk = 1;
	for (int c = 0; c < 256; c++)
		if (used[c])
			g.cls[c] = (unsigned char)g.nk++;
	for (int c = 0; c < 256; c++)
		g.cls[c] = g.cls[bk_lower((unsigned char)c)];
	return bytes;
}

static void
insert_rows(void)
{
	size_t total = 0;
	for (size_t t = 0; t < BK_NELEM(tables); t++)
		total += tables[t]->n;
	g.phrases = xcalloc(total, sizeof(*g.phrases));
	for (size_t t = 0; t < BK_NELEM(tables); t++) {
		for (size_t i = 0; i < tables[t]->n; i++) {
			const struct bk_phrase *r = &tables[t]->rows[i];
			struct bk_ac_phrase p = { r->reason, 0, r->veto, { 0, 0, 0, 0 } };
			for (int k = 0; k < 4 && r->piece[k]; k++)
				if (r->piece[k][0])
					p.piece[p.n++] = insert_piece(r->piece[k]);
			if (p.n)
				g.phrases[g.nphrases++] = p;
		}
	}
}

/* Freeze the trie into arrays: edges in node order. */
static void
freeze(void)
{
	g.nnodes = nbn;
	g.nodes = xcalloc(nbn, sizeof(*g.nodes));
	g.edges = xcalloc(nbn, sizeof(*g.edges));
	uint32_t ne = 0;
	for (uint32_t i = 0; i < nbn; i++) {
		g.nodes[i].first_edge = ne;
		g.nodes[i].piece = bn[i].piece;
		g.nodes[i].row = BK_AC_NO_ROW;
		for (uint32_t k = bn[i].child; k; k = bn[k].sibling)
			g.edges[ne++] = (struct bk_ac_edge){ bn[k].k, k };
		g.nodes[i].nedges = (uint16_t)(ne - g.nodes[i].first_edge);
	}
}

/* A dense row for node s: base (a row of its failure node, NULL for the
 * root) with the node's own edges laid over it. */
static void
dense_row(uint32_t s, uint32_t nrow, const uint32_t *base)
{
	uint32_t *r = g.dense + (size_t)nrow * g.nk;
	if (base)
		memcpy(r, base, g.nk * sizeof(*r));
	const struct bk_ac_node *n = &g.nodes[s];
	for (uint32_t e = 0; e < n->nedges; e++)
		r[g.edges[n->first_edge + e].k] = g.edges[n->first_edge + e].to;
	g.nodes[s].row = (uint16_t)nrow;
}

/* Dense rows for the root and the nodes one and two bytes deep.  A node
 * one deep fails to the root; a node two deep, reached by class k, fails
 * to where the root goes by k, which is at most one deep. */
static void
dense_rows(void)
{
	const struct bk_ac_node *root = &g.nodes[0];
	const struct bk_ac_edge *re = g.edges + root->first_edge;
	uint32_t nrows = 1 + root->nedges;
	for (uint32_t j = 0; j < root->nedges; j++)
		nrows += g.nodes[re[j].to].nedges;
	if (nrows >= BK_AC_NO_ROW) {
		fprintf(stderr, "phrasegen: %u dense rows, more than a node can "
			"number\n", nrows);
		exit(1);
	}
	g.ndense = nrows;
	g.dense = xcalloc((size_t)nrows * g.nk, sizeof(*g.dense));
	uint32_t next = 0;
	dense_row(0, next++, NULL);
	for (uint32_t j = 0; j < root->nedges; j++)
		dense_row(re[j].to, next++, g.dense);
	for (uint32_t j = 0; j < root->nedges; j++) {
		const struct bk_ac_node *n = &g.nodes[re[j].to];
		for (uint32_t e = 0; e < n->nedges; e++) {
			struct bk_ac_edge ed = g.edges[n->first_edge + e];
			uint32_t f = g.dense[ed.k];
			g.nodes[ed.to].fail = f;
			dense_row(ed.to, next++,
				  g.dense + (size_t)g.nodes[f].row * g.nk);
		}
	}
}

/* Failure and output links, breadth first from the nodes one deep (the
 * links of the nodes two deep come out as dense_rows set them). */
static void
links(void)
{
	uint32_t *queue = xcalloc(g.nnodes, sizeof(*queue));
	uint32_t qh = 0, qt = 0;
	const struct bk_ac_node *root = &g.nodes[0];
	for (uint32_t j = 0; j < root->nedges; j++)
		queue[qt++] = g.edges[root->first_edge + j].to;
	while (qh < qt) {
		uint32_t s = queue[qh++];
		const struct bk_ac_node *n = &g.nodes[s];
		for (uint32_t j = 0; j < n->nedges; j++) {
			struct bk_ac_edge e = g.edges[n->first_edge + j];
			struct bk_ac_node *to = &g.nodes[e.to];
			struct bk_ac ac = view();
			to->fail = bk_ac_step(&ac, n->fail, e.k);
			const struct bk_ac_node *f = &g.nodes[to->fail];
			to->dict = f->piece >= 0 ? to->fail : f->dict;
			queue[qt++] = e.to;
		}
	}
	free(queue);
}

/* Deeper nodes with more than one edge, up to this depth, get a dense
 * row too: failures from the nodes below them land there often, and a
 * row spares the search of their edges and failure links. */
#define DEEP_ROW_DEPTH 5

/* Rows for the nodes of more than one edge, three to DEEP_ROW_DEPTH
 * deep (breadth first, once every failure link is known): each class
 * goes where the automaton already steps from the node. */
static void
deep_rows(void)
{
	uint32_t *queue = xcalloc(g.nnodes, sizeof(*queue));
	unsigned char *depth = xcalloc(g.nnodes, 1);
	uint32_t qh = 0, qt = 0, add = 0;
	queue[qt++] = 0;
	while (qh < qt) {
		uint32_t s = queue[qh++];
		const struct bk_ac_node *n = &g.nodes[s];
		if (n->row == BK_AC_NO_ROW && n->nedges > 1)
			add++;
		if (depth[s] < DEEP_ROW_DEPTH)
			for (uint32_t j = 0; j < n->nedges; j++) {
				uint32_t t = g.edges[n->first_edge + j].to;
				depth[t] = (unsigned char)(depth[s] + 1);
				queue[qt++] = t;
			}
	}
	if (g.ndense + add >= BK_AC_NO_ROW) {
		fprintf(stderr, "phrasegen: too many dense rows\n");
		exit(1);
	}
	g.dense = realloc(g.dense, (size_t)(g.ndense + add) * g.nk *
				   sizeof(*g.dense));
	if (!g.dense) {
		fprintf(stderr, "phrasegen: out of memory\n");
		exit(1);
	}
	for (uint32_t i = 0; i < qt; i++) {
		uint32_t s = queue[i];
		if (g.nodes[s].row != BK_AC_NO_ROW || g.nodes[s].nedges < 2)
			continue;
		struct bk_ac ac = view();
		uint32_t *r = g.dense + (size_t)g.ndense * g.nk;
		for (uint32_t k = 0; k < g.nk; k++)
			r[k] = bk_ac_step(&ac, s, k);
		g.nodes[s].row = (uint16_t)g.ndense++;
	}
	free(depth);
	free(queue);
}

static void
index_phrases(void)
{
	g.by_first_at = xcalloc(g.npieces + 1, sizeof(uint32_t));
	g.by_first = xcalloc(g.nphrases, sizeof(uint32_t));
	uint32_t *fill = xcalloc(g.npieces, sizeof(uint32_t));
	for (uint32_t i = 0; i < g.nphrases; i++)
		g.by_first_at[g.phrases[i].piece[0] + 1]++;
	for (uint32_t i = 0; i < g.npieces; i++)
		g.by_first_at[i + 1] += g.by_first_at[i];
	for (uint32_t i = 0; i < g.nphrases; i++) {
		uint32_t f = g.phrases[i].piece[0];
		g.by_first[g.by_first_at[f] + fill[f]++] = i;
	}
	free(fill);
}

/* ---- output ---- */

static void
put_u32s(const char *name, const uint32_t *v, size_t n)
{
	printf("static const uint32_t %s[] = {", name);
	for (size_t i = 0; i < n; i++)
		printf("%s%u,", i % 12 ? "" : "\n", v[i]);
	printf("\n};\n\n");
}

/* bk_ac.deep: for each deep node, its failure node's hot word and its
 * edge to the node numbered next, if it has one. */
static void
emit_deep(const uint32_t *hot)
{
	printf("static const uint64_t deep[] = {");
	for (uint32_t i = 0; i < g.nnodes; i++) {
		const struct bk_ac_node *n = &g.nodes[i];
		uint64_t c = 0;
		if (n->row == BK_AC_NO_ROW) {
			const struct bk_ac_edge *e = g.edges + n->first_edge;
			if (n->nedges == 1 && e->to == i + 1) {
				const struct bk_ac_node *t = &g.nodes[i + 1];
				c = e->k | BK_AC_CHAIN |
				    (t->piece >= 0 || t->dict ? BK_AC_CHAIN_OUT : 0);
			}
			if (n->nedges == 0 || c)
				c |= BK_AC_CHAIN_ONLY;
			c = c << 32 | (hot[n->fail] & ~BK_AC_OUT);
		}
		printf("%s%llu,", i % 6 ? "" : "\n", (unsigned long long)c);
	}
	printf("\n};\n\n");
}

static void
emit(void)
{
	printf("/* phrases_ac.c - generated by tools/phrasegen.c from the phrase "
	       "tables\n * (lib/reason/phrases_*.c): %u phrases, %u pieces, %u "
	       "nodes, %u classes.\n * Do not edit; `make` regenerates it. */\n"
	       "#include \"reason/phrase_ac.h\"\n\n",
	       g.nphrases, g.npieces, g.nnodes, g.nk);
	printf("static const struct bk_ac_node nodes[] = {");
	for (uint32_t i = 0; i < g.nnodes; i++) {
		const struct bk_ac_node *n = &g.nodes[i];
		printf("\n{%u,%u,%u,%u,%u,%d},", n->first_edge, n->nedges,
		       n->row, n->fail, n->dict, n->piece);
	}
	printf("\n};\n\n");
	printf("static const struct bk_ac_edge edges[] = {");
	for (uint32_t i = 0; i < g.nnodes; i++)
		printf("%s{%u,%u},", i % 8 ? "" : "\n", g.edges[i].k,
		       g.edges[i].to);
	printf("\n};\n\n");
	if ((uint64_t)g.ndense * g.nk > BK_AC_ROW || g.nnodes > BK_AC_ROW) {
		fprintf(stderr, "phrasegen: %u dense rows of %u or %u nodes, "
			"more than BK_AC_ROW\n", g.ndense, g.nk, g.nnodes);
		exit(1);
	}
	uint32_t *hot = xcalloc(g.nnodes, sizeof(*hot));
	for (uint32_t i = 0; i < g.nnodes; i++) {
		const struct bk_ac_node *n = &g.nodes[i];
		hot[i] = (n->row == BK_AC_NO_ROW ? BK_AC_DEEP | i : n->row * g.nk) |
			 (n->piece >= 0 || n->dict ? BK_AC_OUT : 0);
	}
	put_u32s("hot", hot, g.nnodes);
	emit_deep(hot);
	size_t nd = (size_t)g.ndense * g.nk;
	uint32_t *next = xcalloc(nd, sizeof(*next));
	for (size_t i = 0; i < nd; i++)
		next[i] = hot[g.dense[i]];
	put_u32s("next", next, nd);
	free(next);
	free(hot);
	uint32_t *row_node = xcalloc(g.ndense, sizeof(*row_node));
	for (uint32_t i = 0; i < g.nnodes; i++)
		if (g.nodes[i].row != BK_AC_NO_ROW)
			row_node[g.nodes[i].row] = i;
	put_u32s("row_node", row_node, g.ndense);
	free(row_node);
	put_u32s("piece_len", g.piece_len, g.npieces);
	printf("static const struct bk_ac_phrase phrases[] = {");
	for (uint32_t i = 0; i < g.nphrases; i++) {
		const struct bk_ac_phrase *p = &g.phrases[i];
		printf("\n{%u,%u,%u,{%u,%u,%u,%u}},", p->reason, p->n, p->veto,
		       p->piece[0], p->piece[1], p->piece[2], p->piece[3]);
	}
	printf("\n};\n\n");
	put_u32s("by_first", g.by_first, g.nphrases);
	put_u32s("by_first_at", g.by_first_at, (size_t)g.npieces + 1);
	printf("const struct bk_ac bk_phrase_ac = {\n\t.cls = {");
	for (int c = 0; c < 256; c++)
		printf("%s%u,", c % 16 ? "" : "\n\t", g.cls[c]);
	printf("\n\t},\n\t.nk = %u,\n\t.nodes = nodes,\n\t.nnodes = %u,\n"
	       "\t.edges = edges,\n\t.hot = hot,\n\t.next = next,\n"
	       "\t.row_node = row_node,\n\t.deep = deep,\n\t.piece_len = piece_len,\n"
	       "\t.npieces = %u,\n\t.phrases = phrases,\n\t.nphrases = %u,\n"
	       "\t.by_first = by_first,\n\t.by_first_at = by_first_at,\n};\n",
	       g.nk, g.nnodes, g.npieces, g.nphrases);
}

int
main(void)
{
	size_t bytes = make_classes();
	if (bytes + 1 >= UINT32_MAX) {
		fprintf(stderr, "phrasegen: the tables are too large\n");
		return 1;
	}
	bn = xcalloc(bytes + 1, sizeof(*bn));
	bn[0] = (struct bnode){ 0, 0, 0, -1 };	/* the root */
	nbn = 1;
	insert_rows();
	freeze();
	free(bn);
	dense_rows();
	links();
	deep_rows();
	index_phrases();
	emit();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("phrasegen: write");
		return 1;
	}
	free(g.nodes);
	free(g.edges);
	free(g.dense);
	free(g.piece_len);
	free(g.phrases);
	free(g.by_first);
	free(g.by_first_at);
	return 0;
}
