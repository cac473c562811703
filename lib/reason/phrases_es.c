/* phrases_es.c - Spanish phrases per reason. */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	BK_PH(USERUNKNOWN, "usuario desconocido"),
	BK_PH(USERUNKNOWN, "no existe dicha persona"),
	BK_PH(MAILBOXFULL, "buzón lleno"),
	BK_PH(MAILBOXFULL, "buzon lleno"),
};

const struct bk_phrase_table bk_phrases_es = { "es", rows, BK_NELEM(rows) };
