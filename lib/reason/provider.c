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
#include <stdlib.h>

static const struct bk_provider *const providers[] = {
#define BK_PROVIDER(name) &bk_provider_##name,
#include "providers.def"
#undef BK_PROVIDER
	NULL,
};

/* Every host and domain name of every provider, sorted, so that a name is
 * looked up once per label boundary ("mx1.mail.icloud.com", then
 * "mail.icloud.com", "icloud.com", "com") instead of against each row;
 * built once per process. */
struct suffix {
	struct bk_sv name;
	unsigned prov;		/* index in providers[] */
};

static struct {
	struct suffix *host, *dom;
	size_t nhost, ndom;
} sfx;

static pthread_once_t sfx_once = PTHREAD_ONCE_INIT;

static int
cmp_name(struct bk_sv a, struct bk_sv b)
{
	size_t n = BK_MIN(a.n, b.n);
	for (size_t i = 0; i < n; i++) {
		int d = (int)bk_lower((unsigned char)a.p[i]) -
			(int)bk_lower((unsigned char)b.p[i]);
		if (d)
			return d;
	}
	return a.n < b.n ? -1 : a.n > b.n;
}

static int
cmp_suffix(const void *a, const void *b)
{
	const struct suffix *x = a, *y = b;
	int d = cmp_name(x->name, y->name);
	return d ? d : (x->prov > y->prov) - (x->prov < y->prov);
}

static size_t
collect(struct suffix *out, bool hosts)
{
	size_t n = 0;
	for (unsigned i = 0; providers[i]; i++) {
		const char *const *list = hosts ? providers[i]->hosts
						: providers[i]->domains;
		for (size_t k = 0; list && list[k]; k++) {
			if (out)
				out[n] = (struct suffix){ bk_sv_c(list[k]), i };
			n++;
		}
	}
	return n;
}

static void
sfx_build(void)
{
	size_t nh = collect(NULL, true), nd = collect(NULL, false);
	sfx.host = bk_calloc(nh + 1, sizeof(*sfx.host));
	sfx.dom = bk_calloc(nd + 1, sizeof(*sfx.dom));
	if (!sfx.host || !sfx.dom)
		return;	/* no provider is found: the generic rules decide */
	sfx.nhost = collect(sfx.host, true);
	sfx.ndom = collect(sfx.dom, false);
	qsort(sfx.host, sfx.nhost, sizeof(*sfx.host), cmp_suffix);
	qsort(sfx.dom, sfx.ndom, sizeof(*sfx.dom), cmp_suffix);
}

/* The first provider listing exactly name, or UINT_MAX. */
static unsigned
lookup(const struct suffix *t, size_t n, struct bk_sv name)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cmp_name(t[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* equal names sort by provider: the first is the earliest */
	return lo < n && cmp_name(t[lo].name, name) == 0 ? t[lo].prov : UINT_MAX;
}

/* The earliest provider that lists name or a domain above it (any case;
 * a trailing dot on name is ignored), or NULL. */
static const struct bk_provider *
by_suffix(const struct suffix *t, size_t n, struct bk_sv name)
{
	unsigned best = UINT_MAX;
	if (name.n && name.p[name.n - 1] == '.')
		name.n--;
	while (name.n) {
		unsigned p = lookup(t, n, name);
		if (p < best)
			best = p;
		long dot = bk_sv_findc(name, '.');
		if (dot < 0)
			break;
		name = bk_sv_from(name, (size_t)dot + 1);
	}
	return best == UINT_MAX ? NULL : providers[best];
}

const struct bk_provider *
bk_provider_of(const struct bk_classify_in *in)
{
	pthread_once(&sfx_once, sfx_build);
	const struct bk_provider *p = by_suffix(sfx.host, sfx.nhost, in->rhost);
	if (p)
		return p;
	return by_suffix(sfx.dom, sfx.ndom, bk_addr_domain_sv(in->recipient));
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
		if (bk_sv_icontains(diag, bk_sv_c(rows[i].text)))
			return rows[i].reason;
	return -1;
}

int
bk_code_rules(struct bk_sv code, const struct bk_code_rule *rows, size_t n)
{
	for (size_t i = 0; code.n && i < n; i++)
		if (bk_sv_ieq(code, bk_sv_c(rows[i].code)))
			return rows[i].reason;
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
	for (size_t i = 0; i < n; i++) {
		const struct bk_prow *r = &rows[i];
		if (r->status && !bk_code_in(in->status, r->status))
			continue;
		if (r->reply && !bk_code_in(in->replycode, r->reply))
			continue;
		if (r->text && !bk_sv_icontains(in->diag, bk_sv_c(r->text)))
			continue;
		return r->reason;
	}
	return -1;
}
