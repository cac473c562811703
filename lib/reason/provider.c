/* provider.c - what a large receiver documents about its own codes decides
 * before the generic rules (SPEC 4).  Each provider's rules are a table in
 * its own file (provider_<name>.c); this file picks the provider of a
 * record by its remote host or its recipient domain. */
#include "provider.h"

static const struct bk_provider *const providers[] = {
#define BK_PROVIDER(name) &bk_provider_##name,
#include "providers.def"
#undef BK_PROVIDER
	NULL,
};

static bool
host_matches(struct bk_sv host, const char *const *list)
{
	for (size_t i = 0; list && list[i]; i++)
		if (bk_sv_icontains(host, bk_sv_c(list[i])))
			return true;
	return false;
}

static bool
domain_matches(struct bk_sv dom, const char *const *list)
{
	for (size_t i = 0; dom.n && list && list[i]; i++) {
		struct bk_sv d = bk_sv_c(list[i]);
		/* the domain itself or a sub-domain of it */
		if (bk_sv_ieq(dom, d) ||
		    (bk_sv_iends(dom, d) && dom.n > d.n && dom.p[dom.n - d.n - 1] == '.'))
			return true;
	}
	return false;
}

const struct bk_provider *
bk_provider_of(const struct bk_classify_in *in)
{
	struct bk_sv dom = bk_addr_domain_sv(in->recipient);
	for (size_t i = 0; providers[i]; i++)
		if (host_matches(in->rhost, providers[i]->hosts))
			return providers[i];
	for (size_t i = 0; providers[i]; i++)
		if (domain_matches(dom, providers[i]->domains))
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
	for (size_t i = 0; i < n; i++)
		if (bk_sv_icontains(diag, bk_sv_c(rows[i].text)))
			return rows[i].reason;
	return -1;
}
