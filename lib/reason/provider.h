/* provider.h - provider rules: a large receiver's own codes and texts. */
#ifndef BK_PROVIDER_H
#define BK_PROVIDER_H

#include "reason.h"

struct bk_provider {
	const char *name;
	/* remote hosts that belong to the provider (a host containing one of
	 * these, any case), NULL-terminated */
	const char *const *hosts;
	/* recipient domains it serves (the domain or a sub-domain) */
	const char *const *domains;
	/* the reason its rules give, or -1; *final set when the provider's
	 * verdict must stand even if it is "undefined" */
	int (*reason)(const struct bk_classify_in *in, bool *final);
};

const struct bk_provider *bk_provider_of(const struct bk_classify_in *in);
/* The reason the record's provider gives, or -1. */
int bk_provider_reason(const struct bk_classify_in *in, bool *final);

/* The domain part of an address (after the last '@'). */
static inline struct bk_sv
bk_addr_domain_sv(struct bk_sv a)
{
	long at = bk_sv_rfindc(a, '@');
	return at < 0 ? bk_sv_make("", 0) : bk_sv_from(a, (size_t)at + 1);
}

/* Text rows: the first row whose text occurs (any case) gives the reason. */
struct bk_text_rule {
	int reason;
	const char *text;
};
int bk_text_rules(struct bk_sv diag, const struct bk_text_rule *rows, size_t n);

#define BK_PROVIDER(name) extern const struct bk_provider bk_provider_##name;
#include "providers.def"
#undef BK_PROVIDER

#endif
