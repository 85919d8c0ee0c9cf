# Ward: Weiterleitungen, Empfänger, das Netzwerk der Organisationen und das Behördenportal (Deutsch).
# needs-review: Übersetzung von einer deutschen Muttersprachlerin oder einem Muttersprachler prüfen lassen.

## Errors
error-delivery = Die Weiterleitung konnte nicht zugestellt werden
invalid-directory-field = Geben Sie einen gültigen Wert ein: Ziffern für die Nummer, eine Adresse mit https:// für den Link, zweistellige Sprachcodes
invalid-recipient-name = Geben Sie den Namen des Empfängers ein (höchstens 200 Zeichen)
invalid-key-without-email = Geben Sie die E-Mail-Adresse ein, die zu diesem OpenPGP-Schlüssel gehört
invalid-openpgp-key = Fügen Sie einen öffentlichen OpenPGP-Schlüssel ein (der Text, der mit -----BEGIN PGP PUBLIC KEY BLOCK----- beginnt)
invalid-openpgp-secret = Fügen Sie den öffentlichen Schlüssel ein, nicht den geheimen
invalid-openpgp-key-unusable = Dieser OpenPGP-Schlüssel kann nicht verschlüsseln: Er ist abgelaufen, widerrufen oder hat keinen Verschlüsselungsunterschlüssel
invalid-no-recipient = Wählen Sie mindestens einen Empfänger
invalid-contact-not-agreed = Die meldende Person hat einer Kontaktaufnahme durch die Behörden nicht zugestimmt
invalid-referral-state = Diese Weiterleitung ist nicht in diesem Stadium

## Navigation
recipients-title = Empfänger
network-title = Netzwerk
portal-name = Ward-Behördenportal

## Recipients
recipients-lead = Die Polizeidienststellen, Staatsanwaltschaften, Partner-Hotlines und Plattformen, an die Ihre Organisation Fälle weiterleitet, und wie sie jeweils zugestellt werden.
recipients-none = Noch keine Empfänger.
recipients-add = Empfänger hinzufügen
recipients-openpgp-key = Den öffentlichen OpenPGP-Schlüssel Ihrer Organisation herunterladen (damit prüfen Empfänger die Signatur der Weiterleitungen)
recipient-name = Name
recipient-kind = Art
recipient-kind-police = Polizei
recipient-kind-prosecutor = Staatsanwaltschaft
recipient-kind-hotline = Partner-Hotline
recipient-kind-liaison = Verbindungsstelle (Europol, Interpol)
recipient-kind-platform = Plattform (Löschanfragen)
recipient-kind-other = Sonstige
recipient-channel = Zustellung
recipient-email = E-Mail-Adresse
recipient-email-hint = Weiterleitungen gehen nur mit einem OpenPGP-Schlüssel für diese Adresse per E-Mail.
recipient-openpgp-key = Öffentlicher OpenPGP-Schlüssel
recipient-openpgp-key-hint = Weiterleitungen werden für diesen Schlüssel verschlüsselt und mit dem Schlüssel Ihrer Organisation signiert.
recipient-notes = Notizen
recipient-details = Angaben
recipient-save = Änderungen speichern
recipient-disable = Diesen Empfänger nicht mehr anbieten
recipient-enable = Diesen Empfänger wieder anbieten
recipient-rules = Vorgeschlagen für
recipient-rules-hint = Die Fallansicht schlägt diesen Empfänger für Fälle dieser Länder und Kategorien vor.
recipient-no-rules = Noch für keinen Fall vorgeschlagen.
recipient-any-category = Jede Kategorie
recipient-rule-add = Für diese Fälle vorschlagen
recipient-rule-remove = Nicht mehr für { $country } vorschlagen
recipient-portal = Behördenportal
recipient-portal-hint = Personen dieses Empfängers können sich im Behördenportal anmelden, die an ihn gerichteten Weiterleitungen lesen, den Empfang bestätigen und das Ergebnis angeben. Ein Konto kann Weiterleitungen, die vor seiner Einrichtung vorbereitet wurden, nicht lesen.
recipient-portal-invite = Zum Portal einladen
portal-account-invited = Eingeladen
notice-recipient-saved = Der Empfänger ist gespeichert.
notice-recipient-disabled = Der Empfänger wird für Weiterleitungen nicht mehr angeboten.
notice-recipient-enabled = Der Empfänger wird für Weiterleitungen wieder angeboten.
notice-rules-changed = Die Vorschläge sind gespeichert.
notice-portal-account-disabled = Das Portalkonto ist deaktiviert.
notice-portal-account-enabled = Das Portalkonto ist wieder aktiviert.
mail-portal-invitation-subject = Ihre Einladung zum Ward-Behördenportal
mail-portal-invitation-body = Eine Hotline lädt Sie zu ihrem Behördenportal in Ward ein, über das Sie ihre Weiterleitungen erhalten. Öffnen Sie diesen Link innerhalb von 7 Tagen, um Ihr Passwort zu wählen und die Zwei-Faktor-Authentifizierung einzurichten (er funktioniert nur einmal): { $link }

## Referrals on a case
referrals-title = Weiterleitungen
referrals-none = Dieser Fall wurde nicht weitergeleitet.
referral-prepare = Diesen Fall weiterleiten
referral-no-recipients = Ihre Organisation hat noch keine Empfänger: Eine Administratorin oder ein Administrator fügt sie unter Empfänger hinzu.
referral-recipients = Empfänger
referral-suggested = Vorgeschlagen
referral-answers = Einzuschließende Antworten
referral-attachments = Einzuschließende Dateien
referral-include-contact = Die Kontaktdaten der meldenden Person einschließen (sie hat einer Kontaktaufnahme durch die Behörden zugestimmt)
referral-contact-left-out = Die Kontaktdaten der meldenden Person werden weggelassen: Sie hat einer Kontaktaufnahme durch die Behörden nicht zugestimmt.
referral-summary = Zusammenfassung
referral-summary-hint = Eine kurze Zusammenfassung für den Empfänger, in einer Sprache, die er liest.
referral-prepare-submit = Weiterleitung vorbereiten
referral-channel-email = Verschlüsselte E-Mail
referral-channel-portal = Behördenportal
referral-channel-manual = Persönlich
referral-state-prepared = Vorbereitet
referral-state-sent = Gesendet
referral-state-acknowledged = Empfang bestätigt
referral-state-outcome = Ergebnis erfasst
referral-overdue = Empfangsbestätigung überfällig
referral-prepared-on = Vorbereitet am { $date }
referral-sent-on = gesendet am { $date }
referral-due-on = Empfangsbestätigung fällig am { $date }
referral-acknowledged-on = Empfang bestätigt am { $date }
referral-download = Das Paket für { $recipient } herunterladen
referral-mark-sent = Als an { $recipient } gesendet markieren
referral-mark-acknowledged = { $recipient } hat den Empfang bestätigt
referral-record-outcome = Das Ergebnis von { $recipient } erfassen
referral-outcome = Ergebnis
referral-outcome-note = Anmerkung zum Ergebnis (optional)
referral-outcome-save = Ergebnis speichern
referral-outcome-investigation-opened = Ermittlungen eingeleitet
referral-outcome-no-further-action = Keine weiteren Maßnahmen
referral-outcome-passed-to-another-country = An ein anderes Land weitergegeben
referral-outcome-other = Sonstiges
notice-referral-prepared = Die Weiterleitung ist vorbereitet; die per E-Mail oder über das Portal sind gesendet.
notice-referral-failed = Die Weiterleitung ist vorbereitet, aber eine Zustellung ist fehlgeschlagen: Versuchen Sie es erneut mit „Als gesendet markieren“ oder laden Sie das Paket herunter.
notice-referral-sent = Die Weiterleitung ist als gesendet markiert.
notice-referral-acknowledged = Die Empfangsbestätigung ist erfasst.
notice-referral-outcome-recorded = Das Ergebnis ist erfasst.
inbox-referral = Weiterleitung
inbox-referral-any = Weitergeleitet
inbox-referral-prepared = Vorbereitet, nicht gesendet
inbox-referral-sent = Gesendet, Bestätigung ausstehend
inbox-referral-overdue = Empfangsbestätigung überfällig
inbox-referral-acknowledged = Empfang bestätigt
inbox-referral-outcome = Ergebnis erfasst

## Transfers and exports
transfer-title = Übergabe
transfer-hint = Eine andere Organisation dieser Instanz übernimmt den Fall (zum Beispiel die Hotline im Land des Täters). Sie erhält eine Kopie, die sie lesen kann; dieser Fall bleibt hier, und die meldende Person verfolgt ihn hier.
transfer-submit = Den Fall übergeben
transfer-sent = Übergeben an { $organisation }
transfer-received = Erhalten von { $organisation }
notice-case-transferred = Der Fall ist übergeben.
export-title = Export
export-cybertipline = Als NCMEC-CyberTipline-XML herunterladen

## The network
network-lead = Die Organisationen dieser Instanz, welche die Meldungen zu welchem Land erhält, und das Länderverzeichnis, das die öffentliche Website nutzt.
network-organisations = Organisationen
network-organisation = Organisation
network-coordinating = Koordinierend
network-covers-all = Erhält Meldungen zu allen Ländern
network-covers-all-hint = Wenn keine Organisation Meldungen zu einem Land erhält, nennt die öffentliche Website die nationale Meldestelle oder Notrufnummer und nimmt die Meldung trotzdem für die koordinierende Organisation an.
network-yes = Ja
network-no = Nein
network-cover-all = Meldungen zu allen Ländern erhalten ({ $organisation })
network-stop-covering-all = Keine Meldungen zu allen Ländern mehr erhalten ({ $organisation })
network-rules = Zuweisung
network-rules-hint = Neue Meldungen gehen an die Organisation, die für das Land des Vorfalls gewählt ist, dann für das Land der meldenden Person, dann an eine Organisation dieses Landes, dann an die koordinierende Organisation.
network-no-rules = Noch kein Land hat eine Regel.
network-rule-set = Die Meldungen dieses Landes dorthin senden
network-rule-remove = Die Regel für { $country } entfernen
notice-routing-changed = Die Zuweisung ist gespeichert.
countries-title = Länderverzeichnis
countries-lead = Notrufnummern und nationale Meldestellen nach Land, wie die öffentliche Website sie zeigt.
countries-other = Ein anderes Land
countries-edit-other = Bearbeiten
countries-edit = { $country } bearbeiten
countries-emergency = Notrufnummer
countries-emergency-hint = Ziffern, Leerzeichen und Schrägstriche, zum Beispiel 112 oder 112 / 110.
countries-mechanism = Nationale Meldestelle
countries-mechanism-url = Ihre Webadresse
countries-mechanism-url-hint = Beginnt mit https://
countries-languages = Sprachen
countries-languages-hint = Zweistellige Codes, durch Kommas getrennt, zum Beispiel fr, de, lb.
countries-changed = Hier geändert
countries-save = Speichern
notice-directory-changed = Das Verzeichnis ist gespeichert.

## The authority portal
portal-referrals = Weiterleitungen
portal-lead = Die an Sie gerichteten Weiterleitungen. Öffnen Sie eine, um sie zu lesen, ihr Paket herunterzuladen, den Empfang zu bestätigen und anzugeben, was daraus wurde.
portal-none = Noch keine Weiterleitungen.
portal-from = Von
portal-to = An
portal-sent = Gesendet
portal-sealed-before = Vor der Einrichtung Ihres Kontos gesendet (bitten Sie die Hotline, sie erneut zu senden)
portal-acknowledge = Empfang bestätigen
portal-download = Das Paket herunterladen (PDF, JSON und Dateien)
portal-english = So, wie die Hotline sie gesendet hat, auf Englisch.
portal-no-contact = Nicht enthalten.
portal-files-hint = Die Dateien sind im Paket.
portal-outcome-label = Was aus dieser Weiterleitung wurde
portal-outcome-note-hint = Sie und die Hotline können sie lesen.
portal-invitation-done = Ihr Konto ist bereit. Melden Sie sich mit Ihrer E-Mail-Adresse, Ihrem Passwort und einem Code aus Ihrer Authenticator-App an.

## Audit log
audit-directory-changed = Länderverzeichnis geändert
audit-routing-changed = Zuweisung geändert
audit-recipient-changed = Empfänger geändert
audit-referral-prepared = Weiterleitung vorbereitet
audit-referral-sent = Weiterleitung gesendet
audit-referral-downloaded = Weiterleitung heruntergeladen
audit-referral-viewed = Weiterleitung gelesen
audit-referral-acknowledged = Empfang der Weiterleitung bestätigt
audit-referral-outcome = Ergebnis der Weiterleitung erfasst
audit-transferred = Fall übergeben
audit-portal-account-invited = Zum Portal eingeladen
audit-portal-sign-in = Am Portal angemeldet
audit-portal-sign-in-failed = Fehlgeschlagene Portalanmeldung
