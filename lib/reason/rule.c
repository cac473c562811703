/* SPDX-License-Identifier: BSD-2-Clause */
/* rule.c - look a statement up in a format's table (rule.h). */
#include "rule.h"

struct bk_said
bk_rule_find(const struct bk_rule_table *t, struct bk_sv text)
{
	struct bk_said none = { NULL, 0 };
	for (size_t i = 0; text.n && i < t->n; i++)
		if (t->rows[i].text.p[0] != '(' &&
		    bk_sv_icontains(text, t->rows[i].text))
			return bk_said_row(t, (unsigned)i);
	return none;
}

struct bk_said
bk_rule_exact(const struct bk_rule_table *t, struct bk_sv text)
{
	struct bk_said none = { NULL, 0 };
	for (size_t i = 0; text.n && i < t->n; i++)
		if (bk_sv_eq(text, t->rows[i].text))
			return bk_said_row(t, (unsigned)i);
	return none;
}

struct bk_said
bk_rule_find_case(const struct bk_rule_table *t, struct bk_sv text)
{
	struct bk_said none = { NULL, 0 };
	for (size_t i = 0; text.n && i < t->n; i++)
		if (t->rows[i].text.p[0] != '(' &&
		    bk_sv_contains(text, t->rows[i].text))
			return bk_said_row(t, (unsigned)i);
	return none;
}

struct bk_said
bk_rule_exact_icase(const struct bk_rule_table *t, struct bk_sv text)
{
	struct bk_said none = { NULL, 0 };
	for (size_t i = 0; text.n && i < t->n; i++)
		if (bk_sv_ieq(text, t->rows[i].text))
			return bk_said_row(t, (unsigned)i);
	return none;
}
