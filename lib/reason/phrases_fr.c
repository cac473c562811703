/* SPDX-License-Identifier: BSD-2-Clause */
/* phrases_fr.c - French phrases per reason: localised Exchange NDRs (fr-FR),
 * French providers' SMTP replies.
 *
 * Sources (wording only; a tag after a row names its source):
 *   [exch]    an Exchange 2013 fr-FR NDR in the Sisimai set-of-emails
 *             (BSD-2-Clause), /work/shared/corpus/sisimai/maildir/bsd/
 *             lhost-exchange2007-06.eml: "Échec de la remise pour ces
 *             destinataires ou groupes : ... L'adresse de messagerie que vous
 *             avez entrée est introuvable. Vérifiez l'adresse de messagerie
 *             du destinataire et essayez de renvoyer le message.";
 *   [bh]      PHP-Bounce-Handler, bounce_responses.php (cfortune), its .FR
 *             row "Destinataire inconnu ou boite aux lettres desactivee";
 *   [sisimai] French strings Sisimai keeps in its English lists (Orange,
 *             SFR; they stay in phrases_en.c): "utilisateur inconnu !",
 *             "boite du destinataire pleine", "boite du destinataire
 *             archivee", "taille limite du message atteinte";
 *   [ms]      Exchange / Exchange Online fr-FR NDRs as their localisation
 *             words them ("La boîte aux lettres du destinataire est pleine",
 *             "Le message est trop volumineux"); from memory, no sample;
 *   [starter] the rows this table started with;
 *   [-]       the plain French wording of the reason; no sample at hand.
 *
 * Apostrophes are written ' or ’ (U+2019) by different servers: rows that
 * need one are split into two pieces around it ("utilisateur n", "existe
 * pas").  Accented capitals ("Échec", "État") are not lower-cased by the
 * matcher; no row starts with one.  Texts without accents (older MTAs,
 * Orange) have rows of their own where they occur.
 */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	/* ---- blocked ---- */
	BK_PH(BLOCKED, "adresse ip", "bloquée"),	/* [-] */
	BK_PH(BLOCKED, "adresse ip", "bloquee"),	/* [-] */
	BK_PH(BLOCKED, "liste noire"),	/* [-] */

	/* ---- expired ---- */
	BK_PH(EXPIRED, "délai", " expiré"),	/* [-] "le délai de remise a expiré" */

	/* ---- hostunknown ---- */
	BK_PH(HOSTUNKNOWN, "domaine inexistant"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "domaine introuvable"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "domaine inconnu"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "domaine n", "existe pas"),	/* [-] */

	/* ---- mailboxfull ---- */
	BK_PH(MAILBOXFULL, "boîte aux lettres pleine"),	/* [starter] */
	BK_PH(MAILBOXFULL, "boite aux lettres pleine"),	/* [starter] */
	BK_PH(MAILBOXFULL, "boîte aux lettres", " est pleine"),	/* [ms] */
	BK_PH(MAILBOXFULL, "boite aux lettres", " est pleine"),	/* [-] */
	BK_PH(MAILBOXFULL, "boîte de réception", " pleine"),	/* [-] */
	BK_PH(MAILBOXFULL, "quota dépassé"),	/* [-] */
	BK_PH(MAILBOXFULL, "quota depasse"),	/* [-] */
	BK_PH(MAILBOXFULL, "dépassement de quota"),	/* [-] */

	/* ---- mesgtoobig ---- */
	BK_PH(MESGTOOBIG, "message trop volumineux"),	/* [-] */
	BK_PH(MESGTOOBIG, "message est trop volumineux"),	/* [ms] */
	BK_PH(MESGTOOBIG, "taille du message dépasse"),	/* [-] */

	/* ---- norelaying ---- */
	BK_PH(NORELAYING, "relais refusé"),	/* [-] */
	BK_PH(NORELAYING, "relais non autorisé"),	/* [-] */
	BK_PH(NORELAYING, "relayage refusé"),	/* [-] */
	BK_PH(NORELAYING, "relayage non autorisé"),	/* [-] */

	/* ---- policyviolation ---- */
	BK_PH(POLICYVIOLATION, "violation de la politique"),	/* [-] */
	BK_PH(POLICYVIOLATION, "contraire à la politique"),	/* [-] */
	BK_PH(POLICYVIOLATION, "pour des raisons de politique"),	/* [-] */

	/* ---- rejected (the envelope sender) ---- */
	BK_PH(REJECTED, "expéditeur refusé"),	/* [-] */
	BK_PH(REJECTED, "expéditeur rejeté"),	/* [-] */
	BK_PH(REJECTED, "expéditeur invalide"),	/* [-] */

	/* ---- spamdetected ---- */
	BK_PH(SPAMDETECTED, "considéré comme du spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "considéré comme spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "identifié comme spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "détecté comme spam"),	/* [-] */
	BK_PH(SPAMDETECTED, "courrier indésirable"),	/* [-] */

	/* ---- suspend ---- */
	BK_PH(SUSPEND, "boîte aux lettres désactivée"),	/* [-] */
	BK_PH(SUSPEND, "boite aux lettres desactivee"),	/* [bh] */
	BK_PH(SUSPEND, "compte désactivé"),	/* [-] */
	BK_PH(SUSPEND, "compte desactive"),	/* [-] */
	BK_PH(SUSPEND, "compte suspendu"),	/* [-] */

	/* ---- systemerror ---- */
	BK_PH(SYSTEMERROR, "erreur interne"),	/* [-] */
	BK_PH(SYSTEMERROR, "erreur système"),	/* [-] */

	/* ---- userunknown ---- */
	BK_PH(USERUNKNOWN, "utilisateur inconnu"),	/* [starter] [sisimai] */
	BK_PH(USERUNKNOWN, "destinataire inconnu"),	/* [starter] [bh] */
	/* "L'adresse de messagerie référencée ci-dessus n'existe pas" [flufl] */
	BK_PH(USERUNKNOWN, "adresse de messagerie", "existe pas"),
	BK_PH(USERUNKNOWN, "adresse de messagerie que vous avez entrée est introuvable"),	/* [exch] */
	BK_PH(USERUNKNOWN, "adresse e-mail est introuvable"),	/* [ms] */
	BK_PH(USERUNKNOWN, "adresse e-mail que vous avez entrée est introuvable"),	/* [ms] */
	BK_PH(USERUNKNOWN, "adresse inexistante"),	/* [-] */
	BK_PH(USERUNKNOWN, "utilisateur inexistant"),	/* [-] */
	BK_PH(USERUNKNOWN, "destinataire inexistant"),	/* [-] */
	BK_PH(USERUNKNOWN, "boîte aux lettres inexistante"),	/* [-] */
	BK_PH(USERUNKNOWN, "boite aux lettres inexistante"),	/* [-] */
	BK_PH(USERUNKNOWN, "utilisateur n", "existe pas"),	/* [-] */
	BK_PH(USERUNKNOWN, "destinataire n", "existe pas"),	/* [-] */
	BK_PH(USERUNKNOWN, "cette adresse n", "existe pas"),	/* [-] */
};

const struct bk_phrase_table bk_phrases_fr = { "fr", rows, BK_NELEM(rows) };
