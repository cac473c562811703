/* phrases_fr.c - French phrases per reason. */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	BK_PH(USERUNKNOWN, "utilisateur inconnu"),
	BK_PH(USERUNKNOWN, "destinataire inconnu"),
	BK_PH(MAILBOXFULL, "boîte aux lettres pleine"),
	BK_PH(MAILBOXFULL, "boite aux lettres pleine"),
};

const struct bk_phrase_table bk_phrases_fr = { "fr", rows, BK_NELEM(rows) };
