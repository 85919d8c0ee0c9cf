# Ward: Feelermeldungen (Lëtzebuergesch).
# needs-review: Iwwersetzung muss vun enger Persoun mat Lëtzebuergesch als Mammesprooch nogekuckt ginn.

title-not-found = Säit net fonnt
title-unavailable = Service net disponibel
title-problem = Et gëtt e Problem
title-error = Pardon, et gëtt e Problem mam Service

error-not-open = Mellunge sinn nach net méiglech: d'Ariichtung ass net ofgeschloss.
error-already-set-up = D'Ariichtung ass schonn ofgeschloss.
error-invalid-setup-link = Dëse Setup-Link ass net gëlteg: e gouf schonn benotzt, ass ofgelaf oder huet ni existéiert.
error-wrong-credentials = Falsch E-Mail-Adress oder falscht Passwuert.
error-forbidden = Dir dierft dat net maachen.
error-not-found = D'Säit oder d'Element, no deem Dir gefrot hutt, gëtt et net.
error-conflict = Dat gëtt et schonn.
error-invalid = E puer Äntwerte mussen nach korrigéiert ginn.
error-bad-request = D'Ufro konnt net verstane ginn.
error-too-large = D'Ufro ass ze grouss.
error-internal = Bei eis ass eppes schifgaangen. Probéiert w.e.g. an e puer Minutten nach eng Kéier.

invalid-email = Gitt eng E-Mail-Adress am richtege Format an, zum Beispill numm@beispill.org
invalid-password-short = D'Passwuert muss mindestens 12 Zeeche laang sinn
invalid-password-long = D'Passwuert däerf héchstens 1024 Bytes laang sinn
invalid-password-mismatch = D'Passwierder stëmmen net iwwereneen
invalid-role = D'Roll muss admin, supervisor oder analyst sinn
invalid-country = Gitt en ISO-3166-Landcode mat zwee Buschtawen an, zum Beispill LU
invalid-organisation = Gitt den Numm vun der Organisatioun an (héchstens 200 Zeechen)
invalid-totp-secret = Den Authenticator-Schlëssel feelt oder ass feelerhaft: lued d'Säit nei
invalid-totp-code = Gitt de 6-stellege Code an, deen Är Authenticator-App elo weist
invalid-category = Wielt aus, wat geschitt ass
invalid-language = Wielt eng vun de Sprooche vum Site
invalid-answers-count = Eng Mellung kann héchstens 200 Äntwerten hunn
invalid-answer-id = Froen-Identifiante mussen 1 bis 100 Zeeche laang sinn
invalid-answer-value = All Äntwert muss en Text (héchstens 20.000 Zeechen), eng Zuel, jo oder nee oder eng Lëscht vun Texter sinn
invalid-contact = Kontaktdetailer mussen en Objet sinn
invalid-report = D'Mellung ass net gëlteg

invalid-unknown-question = Et gouf eng Fro beäntwert, déi dëse Formulaire net stellt
invalid-required = Beäntwert dës Fro
invalid-answer-type = Dës Äntwert huet déi falsch Form
invalid-answer-too-long = Dës Äntwert ass ze laang
invalid-date = Gitt e gëltegen Datum an, zum Beispill 2026-08-14
invalid-number = Gitt eng ganz Zuel an, zum Beispill 2
invalid-option = Wielt eng vun de gewisene Méiglechkeeten
invalid-urls-count = Gitt héchstens 50 Linken un
invalid-url = Gitt nëmmen Internetadressen an, eng pro Zeil, zum Beispill https://beispill.org/säit
invalid-phone = Gitt eng Telefonsnummer an, zum Beispill +352 621 123 456
invalid-contact-choice = Wielt, ob mir Iech kontaktéieren däerfen
invalid-contact-missing = Gitt eng E-Mail-Adress oder eng Telefonsnummer an, oder wielt, anonym ze bleiwen
invalid-file-too-large = Eng Datei ass méi grouss wéi déi maximal Gréisst, déi op der Säit steet
invalid-too-many-files = Et goufe méi Dateien derbäigesat, wéi op der Säit erlaabt ass
invalid-file-type = Dës Aart vun Datei kann net derbäigesat ginn: benotzt eng Foto (JPEG, PNG oder WebP), e PDF oder eng Textdatei
invalid-file-damaged = Dës Datei ass beschiedegt a kann net gelies ginn
invalid-file-protected = Dëse PDF ass mat engem Passwuert geschützt, dofir kann Ward déi verstoppten Informatiounen iwwer Iech net ewechhuelen. Späichert oder dréckt en nach eng Kéier als PDF ouni Passwuert, oder beschreift säin Inhalt mat Äre eegene Wierder
error-rate-limited = Ze vill Versich vun Ärer Verbindung. Waart w.e.g. e puer Minutten a probéiert et nach eng Kéier.
invalid-receipt = Et gëtt keng Mellung mat dësem Code. Kuckt d'20 Zifferen no a probéiert et nach eng Kéier
invalid-message-empty = Schreift eng Noriicht oder setzt eng Datei derbäi
error-locked = Ze vill Feelversich: dëse Kont ass fir 15 Minutte gespaart.
error-sign-in = D'E-Mail-Adress, d'Passwuert oder den Authenticator-Code ass falsch.
error-no-access = Dir kënnt den Inhalt vun de Meldungen nach net liesen: en Administrateur muss Iech Zougang ginn.
error-invalid-link = Dëse Link ass net gëlteg: e gouf scho benotzt, ass ofgelaf oder huet ni existéiert. Frot en Administrateur no engem neien.
invalid-closing-reason = Wielt, firwat den Dossier ofgeschloss gëtt
invalid-reference = Gitt d'Referenz vun enger anerer Meldung vun dëser Meldestell an, z. B. 3F2A-91C2-0B7D
invalid-label = E Label huet 1 bis 40 Zeechen
invalid-nothing-selected = Wielt mindestens eng Meldung aus
invalid-too-many-selected = Wielt héchstens 100 Meldungen op eemol aus
invalid-email-taken = E Member mat dëser E-Mail-Adress gëtt et schonn
invalid-self = Dat kënnt Dir net mat Ärem eegene Kont maachen
