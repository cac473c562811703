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

static const struct bk_provider *const providers[] = {
#define BK_PROVIDER(name) &bk_provider_##name,
#include "providers.def"
#undef BK_PROVIDER
	NULL,
};

/* name is dom or a name under dom ("mx1.mail.icloud.com" under
 * "mail.icloud.com"), any case; a trailing dot on name is ignored. */
static bool
name_under(struct bk_sv name, struct bk_sv dom)
{
	if (name.n && name.p[name.n - 1] == '.')
		name.n--;
	if (!name.n || !bk_sv_iends(name, dom))
		return false;
	return name.n == dom.n || name.p[name.n - dom.n - 1] == '.';
}

static bool
name_in(struct bk_sv name, const char *const *list)
{
	for (size_t i = 0; name.n && list && list[i]; i++)
		if (name_under(name, bk_sv_c(list[i])))
			return true;
	return false;
}

static const struct bk_provider *
by_host(struct bk_sv host)
{
	for (size_t i = 0; host.n && providers[i]; i++)
		if (name_in(host, providers[i]->hosts))
			return providers[i];
	return NULL;
}

const struct bk_provider *
bk_provider_of(const struct bk_classify_in *in)
{
	const struct bk_provider *p = by_host(in->rhost);
	if (p)
		return p;
	struct bk_sv dom = bk_addr_domain_sv(in->recipient);
	for (size_t i = 0; dom.n && providers[i]; i++)
		if (name_in(dom, providers[i]->domains))
			return providers[i];
	return NULL;
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

static bool
code_is(struct bk_sv code, struct bk_sv pat)
{
	long dash = bk_sv_findc(pat, '-');
	if (dash >= 0)
		return code_in_range(code, pat, dash);
	if (code.n != pat.n)
		return false;
	for (size_t i = 0; i < pat.n; i++)
		if (pat.p[i] != code.p[i] &&
		    !(pat.p[i] == 'x' && bk_is_digit((unsigned char)code.p[i])))
			return false;
	return true;
}

bool
bk_code_in(struct bk_sv code, const char *list)
{
	struct bk_sv rest = bk_sv_c(list), item;
	code = bk_sv_trim(code);
	while (code.n && rest.n) {
		struct bk_sv next = bk_sv_cut(rest, ' ', &item);
		if (item.n && code_is(code, item))
			return true;
		rest = next.p ? next : bk_sv_make("", 0);
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
