/* phrases_it.c - Italian phrases per reason. */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	BK_PH(USERUNKNOWN, "utente sconosciuto"),
	BK_PH(USERUNKNOWN, "nessun utente simile in questo indirizzo"),
	BK_PH(MAILBOXFULL, "casella piena"),
	BK_PH(MAILBOXFULL, "casella di posta piena"),
};

const struct bk_phrase_table bk_phrases_it = { "it", rows, BK_NELEM(rows) };
