# Ward: Texte der öffentlichen Website und der Einrichtungsseiten (Deutsch).
# needs-review: Übersetzung muss von einer Person mit Deutsch als Muttersprache geprüft werden.

site-name = Ward
skip-to-content = Zum Hauptinhalt springen
quick-exit = Schnell verlassen
quick-exit-hint = Diese Website schnell verlassen
language-switcher = Sprache
source-code = Quellcode
footer-privacy = Wir speichern weder Ihre IP-Adresse noch etwas, das Ihr Gerät erkennbar macht.

home-title = Melden
home-lead = Melden Sie einen Verdacht auf sexuelle Ausbeutung eines Kindes, sicher und anonym.
emergency = Wenn ein Kind in unmittelbarer Gefahr ist, rufen Sie jetzt die Notrufnummer { $number } an.
home-can-report = Sie können melden:
category-prostitution = Kinder, die in der Prostitution ausgebeutet werden
category-abuse-material = Darstellungen sexuellen Missbrauchs von Kindern im Internet: Melden Sie den Link, laden Sie das Material niemals herunter, machen Sie keine Screenshots und teilen Sie es nicht
category-trafficking = Handel mit Kindern zu sexuellen Zwecken
category-travel-tourism = sexuelle Ausbeutung von Kindern auf Reisen und im Tourismus
child-definition = Ein Kind ist jede Person unter 18 Jahren.

not-open-title = Meldungen sind noch nicht möglich
not-open-lead = Dieser Meldedienst wird gerade eingerichtet und kann noch keine Meldungen annehmen.
not-open-advice = Bitte kommen Sie später wieder oder wenden Sie sich an die Polizei.

setup-title = Ward einrichten
setup-lead = Legen Sie Ihre Organisation und das erste Administratorkonto an. Dieser Link funktioniert nur einmal.
setup-organisation-legend = Ihre Organisation
setup-organisation-label = Name der Organisation
setup-country-label = Land (Code aus zwei Buchstaben, zum Beispiel LU)
setup-admin-legend = Die erste Administratorin oder der erste Administrator
setup-email-label = E-Mail-Adresse
setup-password-label = Passwort (mindestens 12 Zeichen)
setup-password-confirm-label = Passwort bestätigen
setup-totp-legend = Zwei-Faktor-Authentifizierung
setup-totp-hint = Scannen Sie diesen Code mit einer Authenticator-App oder geben Sie dort den Schlüssel unten ein.
setup-totp-key = Schlüssel:
setup-totp-code-label = Der 6-stellige Code, den Ihre App anzeigt
setup-submit = Organisation anlegen
setup-done-title = { $organisation } ist eingerichtet
setup-recovery-heading = Ihr Wiederherstellungsschlüssel
setup-recovery-once = Dieser Schlüssel wird nur einmal angezeigt. Er ist der einzige Weg, Ihre Meldungen wieder zu lesen, wenn alle Administratoren ihr Passwort vergessen. Schreiben Sie ihn auf oder drucken Sie ihn aus und bewahren Sie ihn sicher und offline auf.
setup-recovery-warning = Wer diesen Schlüssel und eine Kopie der Datenbank hat, kann jede Meldung lesen. Speichern Sie ihn niemals auf diesem Server.
go-to-public-site = Zur öffentlichen Website
go-home = Zur Startseite
error-summary-title = Es gibt ein Problem
