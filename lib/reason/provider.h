/* SPDX-License-Identifier: BSD-2-Clause */
/* provider.h - provider rules: a large receiver's own codes and texts.
 *
 * A provider is picked for a record by its remote host, then by the
 * recipient's domain (provider.c).  Its
 * reason() reads its own tables and answers -1 when none of their rows
 * match, so that the generic rules decide. */
#ifndef BK_PROVIDER_H
#define BK_PROVIDER_H

#include <pthread.h>

#include "reason.h"

struct bk_prow;
struct bk_text_rule;
struct bk_provider {
	const char *name;
	/* hosts that belong to the provider: a host matches when it is one
	 * of these or ends in "." and one of these (any case); NULL-ended */
	const char *const *hosts;
	/* recipient domains it serves (the domain or a sub-domain of it) */
	const char *const *domains;
	/* decoders ("decodedby") whose records are the provider's own,
	 * whatever host answered; NULL-ended, may be NULL */
	const char *const *decoders;
	/* the reason its rules give, or -1; *final set when the provider's
	 * verdict must stand even if it is "undefined" */
	int (*reason)(const struct bk_classify_in *in, bool *final);
	/* its tables of rows, for the tests (may be NULL) */
	const struct bk_prow *rows;
	size_t nrows;
	const struct bk_text_rule *texts;
	size_t ntexts;
};
/* Every provider, NULL-ended (providers.def order). */
extern const struct bk_provider *const bk_provider_all[];

/* The provider of a record, or NULL. */
const struct bk_provider *bk_provider_of(const struct bk_classify_in *in);
/* The provider called name, or NULL. */
const struct bk_provider *bk_provider_by_name(struct bk_sv name);
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

/* Code rows: a code a provider prints in its replies ("AUP#CXBL", "IB607",
 * "OFR_506") and the reason it stands for; compared in any case. */
struct bk_code_rule {
	const char *code;
	int reason;
};
int bk_code_rules(struct bk_sv code, const struct bk_code_rule *rows, size_t n);

/* Rows of (status, reply code, text): every field given must match; the
 * first row that matches gives the reason.
 *
 * status and reply are lists of codes separated by spaces.  In a code an
 * 'x' stands for any digit ("x.7.26": 4.7.26 or 5.7.26) and a last field
 * written as a range matches any number in it ("5.7.606-649").  A list
 * never matches a record without that code.  text occurs in the
 * diagnostic text, any case. */
struct bk_prow {
	int reason;
	const char *status;	/* NULL: any */
	const char *reply;	/* NULL: any */
	const char *text;	/* NULL: any */
};
int bk_prows(const struct bk_classify_in *in, const struct bk_prow *rows,
	     size_t n);
/* Is code one of the codes of list (the syntax above)? */
bool bk_code_in(struct bk_sv code, const char *list);

/* A table of rows and its compiled form: the code lists parsed once per
 * process, at the first use, into words compared with a record's code in
 * a few instructions (provider.c), and the texts' lengths.  Same answers
 * as bk_prows() on the rows, which it falls back to for codes longer than
 * eight bytes or when the compiled form could not be allocated.  Define
 * one with BK_PROW_TABLE(). */
struct bk_prow_index;
struct bk_prow_table {
	const struct bk_prow *rows;
	size_t n;
	pthread_once_t once;
	void (*compile)(void);	/* calls bk_prow_table_compile(this) */
	struct bk_prow_index *ix;
};
void bk_prow_table_compile(struct bk_prow_table *t);
int bk_prows_table(const struct bk_classify_in *in, struct bk_prow_table *t);

#define BK_PROW_TABLE(var, table)                                            \
	static struct bk_prow_table var;                                     \
	static void var##_compile(void) { bk_prow_table_compile(&var); }     \
	static struct bk_prow_table var = { table, BK_NELEM(table),           \
					    PTHREAD_ONCE_INIT, var##_compile, \
					    NULL }

#define BK_PROVIDER(name) extern const struct bk_provider bk_provider_##name;
#include "providers.def"
#undef BK_PROVIDER

#endif
