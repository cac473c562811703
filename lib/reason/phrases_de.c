/* phrases_de.c - German phrases per reason (localised Exchange NDRs,
 * German providers). */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	BK_PH(USERUNKNOWN, "benutzer unbekannt"),
	BK_PH(USERUNKNOWN, "unbekannter empfänger"),
	BK_PH(MAILBOXFULL, "postfach voll"),
	BK_PH(MAILBOXFULL, "postfach ist voll"),
};

const struct bk_phrase_table bk_phrases_de = { "de", rows, BK_NELEM(rows) };
