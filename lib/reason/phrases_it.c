/* SPDX-License-Identifier: BSD-2-Clause */
/* phrases_it.c - Italian phrases per reason: localised Exchange NDRs (it-IT,
 * it-CH), Italian providers (Libero, Virgilio, Aruba) and their notices.
 *
 * Sources (wording only; a tag after a row names its source):
 *   [exch]    an Exchange 2013 it-CH NDR in the Sisimai set-of-emails
 *             (BSD-2-Clause), /work/shared/corpus/sisimai/maildir/bsd/
 *             lhost-exchange2007-07.eml: "Il recapito non è riuscito per i
 *             seguenti destinatari o gruppi: ... Non sono riuscito a trovare
 *             l'indirizzo e-mail che hai immesso.";
 *   [bh]      PHP-Bounce-Handler, bounce_responses.php (cfortune), its .IT
 *             rows: "destin. Sconosciuto", "Destinatario errato",
 *             "Destinatario sconosciuto o mailbox disatttivata" (sic),
 *             "Indirizzo inesistente", "Questo indirizzo e' bloccato per
 *             inutilizzo";
 *   [aruba]   Aruba PEC, "Risoluzione agli errori comuni"
 *             (https://guide.pec.it/posta-pec/faq-errori-comuni/errori-comuni/
 *             errori-comuni-durante-invio-ricezione-pec.aspx): "554 ...:
 *             Messaggio rifiutato dal sistema. Indirizzo destinatario
 *             sconosciuto o non abilitato ...", "Indirizzo IP bloccato
 *             temporaneamente per sospetto abuso";
 *   [libero]  Libero, "Messaggio di Casella postale piena"
 *             (http://aiuto.libero.it/articolo/mail/messaggio-di-casella-postale-piena/):
 *             mail is sent back "con la notifica che la Casella è piena";
 *   [sisimai] "nessun utente simile in questo indirizzo", which Sisimai
 *             keeps in its English list (it stays in phrases_en.c too);
 *   [ms]      Exchange it-IT wording ("cassetta postale" for mailbox); from
 *             memory, no sample;
 *   [starter] the rows this table started with;
 *   [-]       the plain Italian wording of the reason; no sample at hand.
 *
 * Apostrophes (' or ’) split a row into two pieces.  "è" is also written
 * "e'" by older servers; both forms have rows where they occur.
 */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	/* ---- blocked ---- */
	BK_PH(BLOCKED, "indirizzo ip bloccato"),	/* [aruba] */
	BK_PH(BLOCKED, "per sospetto abuso"),	/* [aruba] */
	BK_PH(BLOCKED, "lista nera"),	/* [-] */

	/* ---- expired ---- */
	BK_PH(EXPIRED, "tempo di consegna", "scaduto"),	/* [-] */
	BK_PH(EXPIRED, "tempo scaduto"),	/* [-] */

	/* ---- hostunknown ---- */
	BK_PH(HOSTUNKNOWN, "dominio inesistente"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "dominio sconosciuto"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "dominio non esiste"),	/* [-] */

	/* ---- mailboxfull ---- */
	BK_PH(MAILBOXFULL, "casella piena"),	/* [starter] */
	BK_PH(MAILBOXFULL, "casella di posta piena"),	/* [starter] */
	BK_PH(MAILBOXFULL, "casella postale piena"),	/* [libero] */
	BK_PH(MAILBOXFULL, "casella è piena"),	/* [libero] */
	BK_PH(MAILBOXFULL, "casella e' piena"),	/* [-] */
	BK_PH(MAILBOXFULL, "cassetta postale", " è piena"),	/* [ms] */
	BK_PH(MAILBOXFULL, "spazio esaurito"),	/* [-] */
	BK_PH(MAILBOXFULL, "quota superata"),	/* [-] */
	BK_PH(MAILBOXFULL, "superato la quota"),	/* [-] */

	/* ---- mesgtoobig ---- */
	BK_PH(MESGTOOBIG, "messaggio troppo grande"),	/* [-] */
	BK_PH(MESGTOOBIG, "messaggio è troppo grande"),	/* [ms] */
	BK_PH(MESGTOOBIG, "dimensione del messaggio supera"),	/* [-] */
	BK_PH(MESGTOOBIG, "dimensioni del messaggio superano"),	/* [-] */

	/* ---- norelaying ---- */
	BK_PH(NORELAYING, "relay non consentito"),	/* [-] */
	BK_PH(NORELAYING, "relay non permesso"),	/* [-] */

	/* ---- policyviolation ---- */
	BK_PH(POLICYVIOLATION, "violazione delle policy"),	/* [-] */
	BK_PH(POLICYVIOLATION, "violazione dei criteri"),	/* [-] */

	/* ---- rejected (the envelope sender) ---- */
	BK_PH(REJECTED, "mittente rifiutato"),	/* [-] */
	BK_PH(REJECTED, "mittente non valido"),	/* [-] */

	/* ---- spamdetected ---- */
	BK_PH(SPAMDETECTED, "considerato spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "considerato come spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "identificato come spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "rilevato come spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "classificato come spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "posta indesiderata"),	/* [-] */

	/* ---- suspend ---- */
	BK_PH(SUSPEND, "bloccato per inutilizzo"),	/* [bh] */
	BK_PH(SUSPEND, "casella disattivata"),	/* [-] */
	BK_PH(SUSPEND, "casella sospesa"),	/* [-] */
	BK_PH(SUSPEND, "account disattivato"),	/* [-] */
	BK_PH(SUSPEND, "utente disattivato"),	/* [-] */

	/* ---- systemerror ---- */
	BK_PH(SYSTEMERROR, "errore interno del server"),	/* [-] */
	BK_PH(SYSTEMERROR, "errore di sistema"),	/* [-] */

	/* ---- userunknown ---- */
	BK_PH(USERUNKNOWN, "utente sconosciuto"),	/* [starter] */
	BK_PH(USERUNKNOWN, "nessun utente simile in questo indirizzo"),	/* [starter] [sisimai] */
	BK_PH(USERUNKNOWN, "destinatario sconosciuto"),	/* [bh] [aruba] */
	BK_PH(USERUNKNOWN, "destin. sconosciuto"),	/* [bh] */
	BK_PH(USERUNKNOWN, "destinatario errato"),	/* [bh] */
	BK_PH(USERUNKNOWN, "indirizzo inesistente"),	/* [bh] */
	BK_PH(USERUNKNOWN, "utente inesistente"),	/* [-] */
	BK_PH(USERUNKNOWN, "utente non esiste"),	/* [-] */
	BK_PH(USERUNKNOWN, "casella inesistente"),	/* [-] */
	BK_PH(USERUNKNOWN, "non sono riuscito a trovare l", "indirizzo e-mail"),	/* [exch] */
};

const struct bk_phrase_table bk_phrases_it = { "it", rows, BK_NELEM(rows) };
