# Ward: Fehlermeldungen (Deutsch).
# needs-review: Übersetzung muss von einer Person mit Deutsch als Muttersprache geprüft werden.

title-not-found = Seite nicht gefunden
title-unavailable = Dienst nicht verfügbar
title-problem = Es gibt ein Problem
title-error = Entschuldigung, beim Dienst ist ein Problem aufgetreten

error-not-open = Meldungen sind noch nicht möglich: Die Einrichtung ist nicht abgeschlossen.
error-already-set-up = Die Einrichtung ist bereits abgeschlossen.
error-invalid-setup-link = Dieser Einrichtungslink ist ungültig: Er wurde bereits verwendet, ist abgelaufen oder hat nie existiert.
error-wrong-credentials = Falsche E-Mail-Adresse oder falsches Passwort.
error-forbidden = Sie dürfen das nicht tun.
error-not-found = Die angeforderte Seite oder das angeforderte Element existiert nicht.
error-conflict = Das existiert bereits.
error-invalid = Einige Angaben müssen korrigiert werden.
error-bad-request = Die Anfrage konnte nicht verstanden werden.
error-too-large = Die Anfrage ist zu groß.
error-internal = Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es in einigen Minuten erneut.

invalid-email = Geben Sie eine E-Mail-Adresse im richtigen Format ein, zum Beispiel name@beispiel.org
invalid-password-short = Das Passwort muss mindestens 12 Zeichen lang sein
invalid-password-long = Das Passwort darf höchstens 1024 Bytes lang sein
invalid-password-mismatch = Die Passwörter stimmen nicht überein
invalid-role = Die Rolle muss admin, supervisor oder analyst sein
invalid-country = Geben Sie einen ISO-3166-Ländercode aus zwei Buchstaben ein, zum Beispiel LU
invalid-organisation = Geben Sie den Namen der Organisation ein (höchstens 200 Zeichen)
invalid-totp-secret = Der Authenticator-Schlüssel fehlt oder ist fehlerhaft: Laden Sie die Seite neu
invalid-totp-code = Geben Sie den 6-stelligen Code ein, den Ihre Authenticator-App jetzt anzeigt
invalid-category = Wählen Sie aus, was passiert ist
invalid-language = Wählen Sie eine der Sprachen der Website
invalid-answers-count = Eine Meldung kann höchstens 200 Antworten enthalten
invalid-answer-id = Fragenkennungen müssen 1 bis 100 Zeichen lang sein
invalid-answer-value = Jede Antwort muss ein Text (höchstens 20.000 Zeichen), eine Zahl, Ja oder Nein oder eine Liste von Texten sein
invalid-contact = Kontaktdaten müssen ein Objekt sein
invalid-report = Die Meldung ist ungültig

invalid-unknown-question = Es wurde eine Frage beantwortet, die dieses Formular nicht stellt
invalid-required = Beantworten Sie diese Frage
invalid-answer-type = Diese Antwort hat die falsche Form
invalid-answer-too-long = Diese Antwort ist zu lang
invalid-date = Geben Sie ein gültiges Datum ein, zum Beispiel 2026-08-14
invalid-number = Geben Sie eine ganze Zahl ein, zum Beispiel 2
invalid-option = Wählen Sie eine der angezeigten Möglichkeiten
invalid-urls-count = Geben Sie höchstens 50 Links an
invalid-url = Geben Sie nur Internetadressen ein, eine pro Zeile, zum Beispiel https://beispiel.org/seite
invalid-phone = Geben Sie eine Telefonnummer ein, zum Beispiel +352 621 123 456
invalid-contact-choice = Wählen Sie, ob wir Sie kontaktieren dürfen
invalid-contact-missing = Geben Sie eine E-Mail-Adresse oder Telefonnummer ein oder wählen Sie, anonym zu bleiben
invalid-file-too-large = Eine Datei ist größer als die auf der Seite angegebene Höchstgröße
invalid-too-many-files = Es wurden mehr Dateien hinzugefügt als auf der Seite erlaubt
invalid-file-type = Diese Art von Datei kann nicht hinzugefügt werden: Verwenden Sie ein Foto (JPEG, PNG oder WebP), ein PDF oder eine Textdatei
invalid-file-damaged = Diese Datei ist beschädigt und kann nicht gelesen werden
invalid-file-protected = Diese PDF-Datei ist mit einem Passwort geschützt, daher kann Ward die versteckten Angaben über Sie nicht entfernen. Speichern oder drucken Sie sie erneut als PDF ohne Passwort, oder beschreiben Sie den Inhalt mit eigenen Worten
error-rate-limited = Zu viele Versuche von Ihrer Verbindung. Bitte warten Sie einige Minuten und versuchen Sie es erneut.
invalid-receipt = Zu diesem Code gibt es keine Meldung. Prüfen Sie die 20 Ziffern und versuchen Sie es erneut
invalid-message-empty = Schreiben Sie eine Nachricht oder fügen Sie eine Datei hinzu
error-locked = Zu viele Fehlversuche: Dieses Konto ist für 15 Minuten gesperrt.
error-sign-in = E-Mail-Adresse, Passwort oder Authenticator-Code sind falsch.
error-no-access = Sie können den Inhalt von Meldungen noch nicht lesen: Eine Administratorin oder ein Administrator muss Ihnen Zugang geben.
error-invalid-link = Dieser Link ist nicht gültig: Er wurde schon benutzt, ist abgelaufen oder hat nie existiert. Bitten Sie eine Administratorin oder einen Administrator um einen neuen.
invalid-closing-reason = Wählen Sie, warum der Fall abgeschlossen wird
invalid-reference = Geben Sie die Referenz einer anderen Meldung dieser Meldestelle ein, zum Beispiel 3F2A-91C2-0B7D
invalid-label = Ein Label hat 1 bis 40 Zeichen
invalid-nothing-selected = Wählen Sie mindestens eine Meldung aus
invalid-too-many-selected = Wählen Sie höchstens 100 Meldungen auf einmal aus
invalid-email-taken = Ein Mitglied mit dieser E-Mail-Adresse gibt es schon
invalid-self = Das können Sie nicht mit Ihrem eigenen Konto tun
