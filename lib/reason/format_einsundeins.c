/* SPDX-License-Identifier: BSD-2-Clause */
/* format_einsundeins.c - what EinsUndEins bounces state (lib/decode/einsundeins.c reads
 * them), and the reasons. */
#include "rule.h"

/* The mail system's own notices. */
static const struct bk_rule notices[] = {
	BK_RULE("delivery retry timeout exceeded", EXPIRED),
	BK_RULE("Mail size limit exceeded", MESGTOOBIG),
};
BK_RULE_TABLE(bk_rules_einsundeins, "format.einsundeins", notices);
