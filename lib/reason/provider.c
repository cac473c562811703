/* SPDX-License-Identifier: BSD-2-Clause */
/* provider.c - what a large receiver documents about its own codes decides
 * before the generic rules (SPEC 4).  Each provider's rules are a table in
 * its own file (provider_<name>.c); this file picks the provider of a
 * record and holds the matchers the tables share.
 *
 * The provider is the first one that claims, in this order:
 *   1. the remote host (the MX that answered, or the provider's own MTA
 *      that wrote the bounce),
 *   2. the recipient's domain (for relays and filtering services in front
 *      of the provider, e.g. Cox behind cloudfilter.net).
 * Names match by suffix at a label boundary, never by substring: a host
 * "mx.cox.net.example.org" is not Cox's.  Matching is linear in the length
 * of the text: one substring search per table row, no regular
 * expressions. */
#include "provider.h"

#include <limits.h>
#include <pthread.h>

const struct bk_provider *const bk_provider_all[] = {
#define BK_PROVIDER(name) &bk_provider_##name,
#include "providers.def"
#undef BK_PROVIDER
	NULL,
};
#define providers bk_provider_all

/* Every host and domain name of every provider in one hash table per
 * list, built once per process.  A name is hashed from its end, so one
 * backward pass gives the hash of each of its suffixes at a label
 * boundary ("com", "icloud.com", "mail.icloud.com", ...), each looked up
 * with one probe instead of a comparison with every row. */
struct suffix {
	struct bk_sv name;
	unsigned prov;		/* index in providers[]; slot empty: name.p NULL */
};

struct sfx_table {
	struct suffix *v;
	uint32_t mask;		/* slots - 1, slots a power of two */
};

static struct {
	struct sfx_table host, dom;
	/* decoders whose records are a provider's (bk_provider.decoders) */
	struct {
		struct bk_sv name;
		unsigned prov;
	} dec[8];
	size_t ndec;
} sfx;

static pthread_once_t sfx_once = PTHREAD_ONCE_INIT;

static uint32_t
hash_step(uint32_t h, unsigned char c)
{
	return (h ^ bk_lower(c)) * 16777619u;	/* FNV-1a, from the end */
}

static uint32_t
hash_name(struct bk_sv n)
{
	uint32_t h = 2166136261u;
	for (size_t i = n.n; i-- > 0;)
		h = hash_step(h, (unsigned char)n.p[i]);
	return h;
}

static const char *const *
list_of(const struct bk_provider *p, bool hosts)
{
	return hosts ? p->hosts : p->domains;
}

/* A name two providers list belongs to the first (providers.def order),
 * as providers are added in that order. */
static void
sfx_add(struct sfx_table *t, struct bk_sv name, unsigned prov)
{
	for (uint32_t s = hash_name(name) & t->mask;; s = (s + 1) & t->mask) {
		if (!t->v[s].name.p) {
			t->v[s] = (struct suffix){ name, prov };
			return;
		}
		if (bk_sv_ieq(t->v[s].name, name))
			return;
	}
}

/* At most half full; on failure the table stays empty and the generic
 * rules decide every record. */
static void
sfx_fill(struct sfx_table *t, bool hosts)
{
	size_t rows = 0, slots = 16;
	for (unsigned i = 0; providers[i]; i++)
		for (size_t k = 0; list_of(providers[i], hosts) &&
				   list_of(providers[i], hosts)[k]; k++)
			rows++;
	while (slots < 2 * rows)
		slots *= 2;
	t->v = bk_calloc(slots, sizeof(*t->v));
	if (!t->v)
		return;
	t->mask = (uint32_t)slots - 1;
	for (unsigned i = 0; providers[i]; i++) {
		const char *const *l = list_of(providers[i], hosts);
		for (size_t k = 0; l && l[k]; k++)
			sfx_add(t, bk_sv_c(l[k]), i);
	}
}

static void
sfx_build(void)
{
	sfx_fill(&sfx.host, true);
	sfx_fill(&sfx.dom, false);
	for (unsigned i = 0; providers[i]; i++)
		for (size_t k = 0; providers[i]->decoders &&
				   providers[i]->decoders[k] &&
				   sfx.ndec < BK_NELEM(sfx.dec); k++) {
			sfx.dec[sfx.ndec].name = bk_sv_c(providers[i]->decoders[k]);
			sfx.dec[sfx.ndec++].prov = i;
		}
}

/* The provider listing exactly name (of hash h), or UINT_MAX. */
static unsigned
lookup(const struct sfx_table *t, struct bk_sv name, uint32_t h)
{
	if (!t->v)
		return UINT_MAX;
	for (uint32_t s = h & t->mask; t->v[s].name.p; s = (s + 1) & t->mask)
		if (bk_sv_ieq(t->v[s].name, name))
			return t->v[s].prov;
	return UINT_MAX;
}

/* The earliest provider that lists name or a domain above it (any case;
 * a trailing dot on name is ignored), or NULL. */
static const struct bk_provider *
by_suffix(const struct sfx_table *t, struct bk_sv name)
{
	unsigned best = UINT_MAX;
	if (name.n && name.p[name.n - 1] == '.')
		name.n--;
	uint32_t h = 2166136261u;
	for (size_t i = name.n; i-- > 0;) {
		h = hash_step(h, (unsigned char)name.p[i]);
		if (i == 0 || name.p[i - 1] == '.') {
			unsigned p = lookup(t, bk_sv_from(name, i), h);
			if (p < best)
				best = p;
		}
	}
	return best == UINT_MAX ? NULL : providers[best];
}

const struct bk_provider *
bk_provider_of(const struct bk_classify_in *in)
{
	pthread_once(&sfx_once, sfx_build);
	for (size_t i = 0; in->decodedby.n && i < sfx.ndec; i++)
		if (bk_sv_eq(in->decodedby, sfx.dec[i].name))
			return providers[sfx.dec[i].prov];
	const struct bk_provider *p = by_suffix(&sfx.host, in->rhost);
	if (p)
		return p;
	return by_suffix(&sfx.dom, bk_addr_domain_sv(in->recipient));
}

const struct bk_provider *
bk_provider_by_name(struct bk_sv name)
{
	for (size_t i = 0; providers[i]; i++)
		if (bk_sv_ieq(name, bk_sv_c(providers[i]->name)))
			return providers[i];
	return NULL;
}

int
bk_provider_reason(const struct bk_classify_in *in, bool *final)
{
	const struct bk_provider *p = bk_provider_of(in);
	*final = false;
	return p ? p->reason(in, final) : -1;
}

int
bk_text_rules(struct bk_sv diag, const struct bk_text_rule *rows, size_t n)
{
	for (size_t i = 0; diag.n && i < n; i++)
		if (bk_sv_icontains(diag, bk_sv_c(rows[i].text))) {
			bk_trace_match((int)i, NULL, rows[i].text);
			return rows[i].reason;
		}
	return -1;
}

int
bk_code_rules(struct bk_sv code, const struct bk_code_rule *rows, size_t n)
{
	for (size_t i = 0; code.n && i < n; i++)
		if (bk_sv_ieq(code, bk_sv_c(rows[i].code))) {
			bk_trace_match((int)i, rows[i].code, NULL);
			return rows[i].reason;
		}
	return -1;
}

/* ---- codes: "5.7.1", "x.7.26", "5.7.606-649", "550", "x21" ---- */

static bool
number_of(struct bk_sv s, unsigned long *out)
{
	uint64_t v;
	if (!s.n || s.n > 6 || !bk_sv_to_u64(s, &v))
		return false;
	*out = (unsigned long)v;
	return true;
}

/* The last field of code lies in lo..hi and what precedes it equals what
 * precedes the range in pat. */
static bool
code_in_range(struct bk_sv code, struct bk_sv pat, long dash)
{
	long dot = bk_sv_rfindc(pat, '.');
	size_t head = dot < 0 ? 0 : (size_t)dot + 1;
	unsigned long lo, hi, v;
	if ((size_t)dash < head || code.n <= head ||
	    !number_of(bk_sv_slice(pat, head, (size_t)dash), &lo) ||
	    !number_of(bk_sv_from(pat, (size_t)dash + 1), &hi) ||
	    !number_of(bk_sv_from(code, head), &v))
		return false;
	for (size_t i = 0; i < head; i++)
		if (pat.p[i] != code.p[i] &&
		    !(pat.p[i] == 'x' && bk_is_digit((unsigned char)code.p[i])))
			return false;
	return v >= lo && v <= hi;
}

/* Does the item at *pp match code?  *pp is moved past the item.  Items
 * are compared byte by byte as they are read: most differ at once. */
static bool
item_is(struct bk_sv code, const char **pp)
{
	const char *p = *pp, *start = p;
	size_t i = 0;
	bool same = true;
	for (; *p && *p != ' '; p++, i++) {
		if (*p == '-') {	/* a range: the slow way */
			while (*p && *p != ' ')
				p++;
			*pp = p;
			struct bk_sv pat = bk_sv_make(start, (size_t)(p - start));
			return code_in_range(code, pat, bk_sv_findc(pat, '-'));
		}
		if (same && (i >= code.n ||
			     (*p != code.p[i] &&
			      !(*p == 'x' && bk_is_digit((unsigned char)code.p[i])))))
			same = false;
	}
	*pp = p;
	return same && i == code.n;
}

bool
bk_code_in(struct bk_sv code, const char *list)
{
	code = bk_sv_trim(code);
	if (!code.n)
		return false;
	for (const char *p = list; *p;) {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (item_is(code, &p))
			return true;
	}
	return false;
}

int
bk_prows(const struct bk_classify_in *in, const struct bk_prow *rows, size_t n)
{
	struct bk_sv status = bk_sv_trim(in->status);
	struct bk_sv reply = bk_sv_trim(in->replycode);
	for (size_t i = 0; i < n; i++) {
		const struct bk_prow *r = &rows[i];
		if (r->status && !bk_code_in(status, r->status))
			continue;
		if (r->reply && !bk_code_in(reply, r->reply))
			continue;
		if (r->text && !bk_sv_icontains(in->diag, bk_sv_c(r->text)))
			continue;
		bk_trace_match((int)i, r->status ? r->status : r->reply, r->text);
		return r->reason;
	}
	return -1;
}

/* ---- compiled tables: the same matching, the lists parsed once ----
 *
 * A record's code of at most eight bytes is one word (zero-padded), with
 * a mask of the bytes an 'x' of a pattern accepts (digits, and 'x'
 * itself, as item_is() compares).  A pattern is the word of its bytes with
 * its 'x's cleared, the mask of the bytes compared exactly and the mask of
 * its 'x's: an item matches in three tests instead of a walk of its
 * string. */

enum { PAT_EXACT, PAT_RANGE, PAT_NEVER };

struct code_pat {
	uint64_t val;		/* the bytes compared exactly, 0 elsewhere */
	uint64_t cmp;		/* 0xff at each byte compared exactly */
	uint64_t wild;		/* 0xff at each 'x' */
	unsigned long lo, hi;	/* a range's last field */
	uint8_t len;		/* exact: the code's length; range: its head */
	uint8_t kind;
};

struct code_key {
	uint64_t w;		/* the code's bytes, zero-padded */
	uint64_t ok;		/* 0xff at each digit or 'x' */
	struct bk_sv s;
};

#define ANY_CODE UINT32_MAX	/* a row without this list */

struct crow {
	uint32_t st, nst, rp, nrp;	/* patterns: first, count or ANY_CODE */
	struct bk_sv text;		/* .p NULL: any */
	int reason;
};

struct bk_prow_index {
	struct crow *rows;
	struct code_pat *pats;
};

static void
pat_bytes(struct code_pat *c, struct bk_sv s)
{
	for (size_t i = 0; i < s.n; i++) {
		uint64_t byte = (uint64_t)0xff << (8 * i);
		if (s.p[i] == 'x') {
			c->wild |= byte;
		} else {
			c->cmp |= byte;
			c->val |= (uint64_t)(unsigned char)s.p[i] << (8 * i);
		}
	}
}

/* One item of a list, as item_is() and code_in_range() read it. */
static struct code_pat
pat_compile(struct bk_sv item)
{
	struct code_pat c = { .kind = PAT_NEVER };
	long dash = bk_sv_findc(item, '-');
	if (dash < 0) {
		if (item.n <= 8) {	/* longer: no code of a word equals it */
			pat_bytes(&c, item);
			c.len = (uint8_t)item.n;
			c.kind = PAT_EXACT;
		}
		return c;
	}
	long dot = bk_sv_rfindc(item, '.');
	size_t head = dot < 0 ? 0 : (size_t)dot + 1;
	if ((size_t)dash < head || head >= 8 ||
	    !number_of(bk_sv_slice(item, head, (size_t)dash), &c.lo) ||
	    !number_of(bk_sv_from(item, (size_t)dash + 1), &c.hi))
		return c;
	pat_bytes(&c, bk_sv_slice(item, 0, head));
	c.len = (uint8_t)head;
	c.kind = PAT_RANGE;
	return c;
}

static inline bool
pat_match(const struct code_pat *c, const struct code_key *k)
{
	unsigned long v;
	if ((k->w & c->cmp) != c->val || (c->wild & ~k->ok))
		return false;
	if (c->kind == PAT_EXACT)
		return k->s.n == c->len;
	return c->kind == PAT_RANGE && k->s.n > c->len &&
	       number_of(bk_sv_from(k->s, c->len), &v) && v >= c->lo &&
	       v <= c->hi;
}

/* Does code (a word) match one of the n patterns at pats? */
static inline bool
pats_match(const struct code_pat *pats, uint32_t n, const struct code_key *k)
{
	for (uint32_t i = 0; i < n; i++)
		if (pat_match(&pats[i], k))
			return true;
	return false;
}

/* The items of list (NULL: ANY_CODE) appended at pats[*np]; pats NULL:
 * only counted. */
static uint32_t
list_compile(const char *list, struct code_pat *pats, uint32_t *np)
{
	if (!list)
		return ANY_CODE;
	uint32_t first = *np;
	struct bk_sv rest = bk_sv_c(list), item;
	while (rest.p) {
		rest = bk_sv_cut(rest, ' ', &item);
		if (!item.n)
			continue;
		if (pats)
			pats[*np] = pat_compile(item);
		(*np)++;
	}
	return *np - first;
}

void
bk_prow_table_compile(struct bk_prow_table *t)
{
	uint32_t np = 0;
	for (size_t i = 0; i < t->n; i++) {
		list_compile(t->rows[i].status, NULL, &np);
		list_compile(t->rows[i].reply, NULL, &np);
	}
	struct bk_prow_index *ix = bk_calloc(1, sizeof(*ix));
	if (!ix)
		return;
	ix->rows = bk_calloc(t->n, sizeof(*ix->rows));
	ix->pats = bk_calloc(np ? np : 1, sizeof(*ix->pats));
	if (!ix->rows || !ix->pats) {
		bk_free(ix->rows);
		bk_free(ix->pats);
		bk_free(ix);
		return;
	}
	np = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct bk_prow *r = &t->rows[i];
		struct crow *c = &ix->rows[i];
		c->st = np;
		c->nst = list_compile(r->status, ix->pats, &np);
		c->rp = np;
		c->nrp = list_compile(r->reply, ix->pats, &np);
		c->text = r->text ? bk_sv_c(r->text) : BK_SV_NULL;
		c->reason = r->reason;
	}
	t->ix = ix;
}

/* A code as a word; false when it is longer than one. */
static bool
code_key(struct bk_sv s, struct code_key *k)
{
	k->s = s;
	k->w = k->ok = 0;
	if (s.n > 8)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		k->w |= (uint64_t)c << (8 * i);
		if (bk_is_digit(c) || c == 'x')
			k->ok |= (uint64_t)0xff << (8 * i);
	}
	return true;
}

int
bk_prows_table(const struct bk_classify_in *in, struct bk_prow_table *t)
{
	pthread_once(&t->once, t->compile);
	struct code_key st, rp;
	if (!t->ix || !code_key(bk_sv_trim(in->status), &st) ||
	    !code_key(bk_sv_trim(in->replycode), &rp))
		return bk_prows(in, t->rows, t->n);
	const struct bk_prow_index *ix = t->ix;
	for (size_t i = 0; i < t->n; i++) {
		const struct crow *r = &ix->rows[i];
		if (r->nst != ANY_CODE && !pats_match(ix->pats + r->st, r->nst, &st))
			continue;
		if (r->nrp != ANY_CODE && !pats_match(ix->pats + r->rp, r->nrp, &rp))
			continue;
		if (r->text.p && !bk_sv_icontains(in->diag, r->text))
			continue;
		bk_trace_match((int)i, t->rows[i].status ? t->rows[i].status
							 : t->rows[i].reply,
			       t->rows[i].text);
		return r->reason;
	}
	return -1;
}
