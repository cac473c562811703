/* SPDX-License-Identifier: BSD-2-Clause */
/* explain.c - the evidence chain of a verdict (--explain): which phrase
 * row of which table matched, and the trace as JSON (docs/record.md).
 * Only run when an explanation is asked for: the matcher of phrases.c
 * knows the reasons a text names, not the rows, so the rows of the one
 * reason that decided are looked for again here, in the tables' order. */
#include <stdio.h>

#include "phrase.h"
#include "reason.h"

extern const struct bk_phrase_table bk_phrases_en, bk_phrases_ja,
	bk_phrases_de, bk_phrases_fr, bk_phrases_es, bk_phrases_pt,
	bk_phrases_it, bk_phrases_ru, bk_phrases_zh;

static const struct bk_phrase_table *const tables[] = {
	&bk_phrases_en, &bk_phrases_ja, &bk_phrases_de, &bk_phrases_fr,
	&bk_phrases_es, &bk_phrases_pt, &bk_phrases_it, &bk_phrases_ru,
	&bk_phrases_zh,
};

static const char *const table_names[] = {
	"phrases.en", "phrases.ja", "phrases.de", "phrases.fr", "phrases.es",
	"phrases.pt", "phrases.it", "phrases.ru", "phrases.zh",
};

/* Do the pieces occur in text in order, each after the previous one? */
static bool
pieces_in(struct bk_sv text, const char *const *piece)
{
	size_t pos = 0;
	for (unsigned k = 0; k < 4 && piece[k]; k++) {
		long at = bk_sv_ifind(bk_sv_from(text, pos), bk_sv_c(piece[k]));
		if (at < 0)
			return false;
		pos += (size_t)at + strlen(piece[k]);
	}
	return true;
}

bool
bk_phrase_which(struct bk_sv text, int r, const char **table, int *row,
		const char *const **pieces)
{
	for (size_t t = 0; text.n && t < BK_NELEM(tables); t++) {
		const struct bk_phrase_table *pt = tables[t];
		for (size_t i = 0; i < pt->n; i++) {
			const struct bk_phrase *p = &pt->rows[i];
			if (p->reason != r || p->veto || !pieces_in(text, p->piece))
				continue;
			*table = table_names[t];
			*row = (int)i;
			*pieces = p->piece;
			return true;
		}
	}
	return false;
}

/* ---- JSON ---- */

static void
str(struct bk_sb *sb, const char *s, size_t n)
{
	bk_sb_addc(sb, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			bk_sb_addc(sb, '\\');
			bk_sb_addc(sb, (char)c);
		} else if (c < 0x20) {
			static const char hex[] = "0123456789abcdef";
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			bk_sb_add(sb, e, 6);
		} else {
			bk_sb_addc(sb, (char)c);
		}
	}
	bk_sb_addc(sb, '"');
}

static void
key(struct bk_sb *sb, const char *k)
{
	bk_sb_addc(sb, ',');
	str(sb, k, strlen(k));
	bk_sb_addc(sb, ':');
}

static void
item_json(struct bk_sb *sb, const struct bk_trace_item *it)
{
	bk_sb_add(sb, "{\"step\":", 8);
	str(sb, it->step, strlen(it->step));
	key(sb, "reason");
	const char *rn = bk_reason_name(it->reason);
	str(sb, rn, strlen(rn));
	if (it->table) {
		/* a provider's table is named after it */
		const char *pfx = !strcmp(it->step, "provider") ? "provider." : "";
		size_t pn = strlen(pfx), tn = strlen(it->table);
		key(sb, "table");
		char name[64];
		if (pn + tn < sizeof(name)) {
			memcpy(name, pfx, pn);
			memcpy(name + pn, it->table, tn);
			str(sb, name, pn + tn);
		} else {
			str(sb, it->table, tn);
		}
	}
	if (it->row >= 0) {
		char n[16];
		int len = snprintf(n, sizeof(n), "%d", it->row);
		key(sb, "row");
		bk_sb_add(sb, n, (size_t)len);
	}
	if (it->code) {
		key(sb, "code");
		str(sb, it->code, strlen(it->code));
	}
	if (it->pieces) {
		key(sb, "phrase");
		bk_sb_addc(sb, '[');
		for (unsigned k = 0; k < 4 && it->pieces[k]; k++) {
			if (k)
				bk_sb_addc(sb, ',');
			str(sb, it->pieces[k], strlen(it->pieces[k]));
		}
		bk_sb_addc(sb, ']');
	} else if (it->rule.p) {
		key(sb, "rule");
		str(sb, it->rule.p, it->rule.n);
	}
	if (it->why) {
		key(sb, "why");
		str(sb, it->why, strlen(it->why));
	}
	bk_sb_addc(sb, '}');
}

const char *
bk_trace_json(struct bk_arena *a, const struct bk_trace *t,
	      const char *decoder)
{
	struct bk_sb sb;
	bk_sb_init(&sb, a, 512);
	bk_sb_add(&sb, "{\"decoder\":", 11);
	str(&sb, decoder, strlen(decoder));
	key(&sb, "decided");
	item_json(&sb, &t->decided);
	key(&sb, "rejected");
	bk_sb_addc(&sb, '[');
	for (unsigned i = 0; i < t->nrej; i++) {
		if (i)
			bk_sb_addc(&sb, ',');
		item_json(&sb, &t->rejected[i]);
	}
	bk_sb_add(&sb, "]}", 2);
	if (a->failed)
		return NULL;
	return bk_sb_sv(&sb).p;
}
