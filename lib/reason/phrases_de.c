/* SPDX-License-Identifier: BSD-2-Clause */
/* phrases_de.c - German phrases per reason: localised Exchange NDRs (de-DE),
 * German providers' SMTP replies, German MTA templates.
 *
 * Sources (wording only; a tag after a row names its source):
 *   [webde]   web.de replies quoted by sitepackage.de, "Typische
 *             Fehlermeldungen bei Unzustellbarkeit"
 *             (http://www.sitepackage.de/service/dokumentation/auswertung/
 *             typische-fehlermeldungen-bei-unzustellbarkeit.html):
 *             "550 Benutzer nicht bekannt/User unknown", "550 Benutzer hat das
 *             Speichervolumen ueberschritten.", "550 Benutzer hat zuviele Mails
 *             auf dem Server.";
 *   [bh]      PHP-Bounce-Handler, bounce_responses.php (cfortune), its .DE
 *             rows: "Benutzer hat zuviele Mails auf dem Server", "Adressat
 *             unbekannt oder Mailbox deaktiviert";
 *   [ms]      Exchange / Exchange Online de-DE NDRs as their localisation
 *             words them ("Das Postfach des Empfängers ist voll ...", "Die
 *             eingegebene E-Mail-Adresse wurde nicht gefunden.", "... wurde bei
 *             example.com nicht gefunden."); from memory of such NDRs, no
 *             sample in the corpus;
 *   [starter] the rows this table started with;
 *   [-]       the plain German wording of the reason; no sample at hand.
 * GMX's "weil die Adresse nicht gefunden wurde oder keine E-Mails empfangen
 * kann" stays in phrases_en.c, where Sisimai has it.
 *
 * The matcher lower-cases ASCII only: nouns match in any case, but an
 * umlaut that starts a sentence ("Überschritten") does not; rows avoid
 * starting with one.  Sentences every German NDR has ("Die Zustellung an
 * folgende Empfänger oder Gruppen ist fehlgeschlagen", "konnte nicht
 * zugestellt werden") are not rows.
 */
#include "phrase.h"

static const struct bk_phrase rows[] = {
	/* ---- blocked ---- */
	BK_PH(BLOCKED, "ip-adresse", "gesperrt"),	/* [-] "Ihre IP-Adresse ist gesperrt" */
	BK_PH(BLOCKED, "ip-adresse", "blockiert"),	/* [-] */
	BK_PH(BLOCKED, "auf einer sperrliste"),	/* [-] */
	BK_PH(BLOCKED, "auf der sperrliste"),	/* [-] */
	BK_PH(BLOCKED, "schwarzen liste"),	/* [-] */

	/* ---- expired ---- */
	BK_PH(EXPIRED, "zustellzeit überschritten"),	/* [-] */
	BK_PH(EXPIRED, "nachricht ist abgelaufen"),	/* [-] */

	/* ---- hostunknown ---- */
	BK_PH(HOSTUNKNOWN, "domain existiert nicht"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "domäne existiert nicht"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "domain nicht gefunden"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "domäne nicht gefunden"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "unbekannte domain"),	/* [-] */
	BK_PH(HOSTUNKNOWN, "unbekannte domäne"),	/* [-] */

	/* ---- mailboxfull ---- */
	BK_PH(MAILBOXFULL, "postfach voll"),	/* [starter] */
	BK_PH(MAILBOXFULL, "postfach ist voll"),	/* [starter] */
	BK_PH(MAILBOXFULL, "postfach des empfängers ist voll"),	/* [ms] */
	BK_PH(MAILBOXFULL, "speichervolumen ueberschritten"),	/* [webde] */
	BK_PH(MAILBOXFULL, "speichervolumen überschritten"),	/* [-] */
	BK_PH(MAILBOXFULL, "zuviele mails auf dem server"),	/* [webde] [bh] */
	BK_PH(MAILBOXFULL, "zu viele mails auf dem server"),	/* [-] */
	BK_PH(MAILBOXFULL, "speicherkontingent", "überschritten"),	/* [-] */
	BK_PH(MAILBOXFULL, "kontingent überschritten"),	/* [-] */
	BK_PH(MAILBOXFULL, "speicherplatz", "erschöpft"),	/* [-] */

	/* ---- mesgtoobig ---- */
	BK_PH(MESGTOOBIG, "nachricht ist zu groß"),	/* [ms] */
	BK_PH(MESGTOOBIG, "nachricht zu groß"),	/* [-] */
	BK_PH(MESGTOOBIG, "e-mail ist zu groß"),	/* [-] */
	BK_PH(MESGTOOBIG, "maximale nachrichtengröße"),	/* [-] */
	BK_PH(MESGTOOBIG, "nachrichtengröße überschreitet"),	/* [-] */

	/* ---- norelaying ---- */
	BK_PH(NORELAYING, "relaying nicht erlaubt"),	/* [-] */
	BK_PH(NORELAYING, "relay nicht erlaubt"),	/* [-] */
	BK_PH(NORELAYING, "relaying verweigert"),	/* [-] */
	BK_PH(NORELAYING, "relaying abgelehnt"),	/* [-] */

	/* ---- policyviolation ---- */
	BK_PH(POLICYVIOLATION, "verstößt gegen die richtlinie"),	/* [-] also "...richtlinien" */
	BK_PH(POLICYVIOLATION, "aufgrund von richtlinien"),	/* [-] */
	BK_PH(POLICYVIOLATION, "richtlinienverstoß"),	/* [-] */

	/* ---- rejected (the envelope sender) ---- */
	BK_PH(REJECTED, "absender abgelehnt"),	/* [-] */
	BK_PH(REJECTED, "absenderadresse abgelehnt"),	/* [-] */
	BK_PH(REJECTED, "ungültiger absender"),	/* [-] */

	/* ---- spamdetected ---- */
	BK_PH(SPAMDETECTED, "als spam eingestuft"),	/* [-] */
	BK_PH(SPAMDETECTED, "als spam erkannt"),	/* [-] */
	BK_PH(SPAMDETECTED, "als spam klassifiziert"),	/* [-] */
	BK_PH(SPAMDETECTED, "spamverdacht"),	/* [-] */

	/* ---- suspend ---- */
	BK_PH(SUSPEND, "postfach deaktiviert"),	/* [-] */
	BK_PH(SUSPEND, "postfach ist deaktiviert"),	/* [-] */
	BK_PH(SUSPEND, "postfach wurde deaktiviert"),	/* [-] */
	BK_PH(SUSPEND, "postfach gesperrt"),	/* [-] */
	BK_PH(SUSPEND, "postfach ist gesperrt"),	/* [-] */
	BK_PH(SUSPEND, "konto deaktiviert"),	/* [-] */
	BK_PH(SUSPEND, "konto ist deaktiviert"),	/* [-] */
	BK_PH(SUSPEND, "konto wurde deaktiviert"),	/* [-] */
	BK_PH(SUSPEND, "konto gesperrt"),	/* [-] */
	BK_PH(SUSPEND, "konto ist gesperrt"),	/* [-] */

	/* ---- systemerror ---- */
	BK_PH(SYSTEMERROR, "interner fehler"),	/* [-] */
	BK_PH(SYSTEMERROR, "interner serverfehler"),	/* [-] */
	BK_PH(SYSTEMERROR, "systemfehler"),	/* [-] */

	/* ---- userunknown ---- */
	BK_PH(USERUNKNOWN, "benutzer unbekannt"),	/* [starter] */
	BK_PH(USERUNKNOWN, "benutzer nicht bekannt"),	/* [webde] */
	BK_PH(USERUNKNOWN, "unbekannter benutzer"),	/* [-] */
	BK_PH(USERUNKNOWN, "unbekannter empfänger"),	/* [starter] */
	BK_PH(USERUNKNOWN, "empfänger unbekannt"),	/* [-] */
	BK_PH(USERUNKNOWN, "adressat unbekannt"),	/* [bh] */
	BK_PH(USERUNKNOWN, "ungültiger empfänger"),	/* [-] */
	BK_PH(USERUNKNOWN, "adresse existiert nicht"),	/* [-] also "E-Mail-Adresse", "Empfängeradresse" */
	BK_PH(USERUNKNOWN, "benutzer existiert nicht"),	/* [-] */
	BK_PH(USERUNKNOWN, "nicht im domino-verzeichnis"),	/* [-] Domino de: "Benutzer x (x@example.com) nicht im Domino-Verzeichnis aufgeführt" */
	BK_PH(USERUNKNOWN, "empfänger existiert nicht"),	/* [-] */
	BK_PH(USERUNKNOWN, "postfach existiert nicht"),	/* [-] */
	/* "Die eingegebene E-Mail-Adresse wurde nicht gefunden." and "... konnte
	 * nicht gefunden werden." */
	BK_PH(USERUNKNOWN, "e-mail-adresse", " nicht gefunden"),	/* [ms] */
	/* Exchange Online: "kijitora wurde bei example.com nicht gefunden." */
	BK_PH(USERUNKNOWN, " wurde bei ", " nicht gefunden"),	/* [ms] */
};

const struct bk_phrase_table bk_phrases_de = { "de", rows, BK_NELEM(rows) };
