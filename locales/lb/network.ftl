# Ward: Weiderleedungen, Empfänger, de Reseau vun Organisatiounen an de Portal fir d'Autoritéiten (Lëtzebuergesch).
# needs-review: Iwwersetzung muss vun enger Persoun mat Lëtzebuergesch als Mammesprooch nogekuckt ginn.

## Errors
error-delivery = D'Weiderleedung konnt net zougestallt ginn
invalid-directory-field = Gitt e gëltege Wäert an: Zifferen fir d'Nummer, eng Adress mat https:// fir de Link, Sproochcoden aus zwee Buschtawen
invalid-recipient-name = Gitt den Numm vum Empfänger an (héchstens 200 Zeechen)
invalid-key-without-email = Gitt d'E-Mail-Adress an, déi zu dësem OpenPGP-Schlëssel gehéiert
invalid-openpgp-key = Setzt en ëffentlechen OpenPGP-Schlëssel an (den Text, deen mat -----BEGIN PGP PUBLIC KEY BLOCK----- ufänkt)
invalid-openpgp-secret = Setzt den ëffentleche Schlëssel an, net de geheimen
invalid-openpgp-key-unusable = Dësen OpenPGP-Schlëssel ka net verschlësselen: en ass ofgelaf, zréckgezunn oder huet keen Ënnerschlëssel fir ze verschlësselen
invalid-no-recipient = Wielt mindestens een Empfänger
invalid-contact-not-agreed = D'Persoun, déi gemellt huet, war net d'accord, vun den Autoritéite kontaktéiert ze ginn
invalid-referral-state = Dës Weiderleedung ass net an deem Stadium

## Navigation
recipients-title = Empfänger
network-title = Reseau
portal-name = Ward-Portal fir d'Autoritéiten

## Recipients
recipients-lead = D'Policeunitéiten, Parqueten, Partner-Hotlinen a Plattformen, un déi Är Organisatioun Fäll weiderleet, a wéi jidderee se kritt.
recipients-none = Nach keng Empfänger.
recipients-add = En Empfänger derbäisetzen
recipients-openpgp-key = Den ëffentlechen OpenPGP-Schlëssel vun Ärer Organisatioun eroflueden (domat kontrolléieren d'Empfänger d'Ënnerschrëft vun de Weiderleedungen)
recipient-name = Numm
recipient-kind = Aart
recipient-kind-police = Police
recipient-kind-prosecutor = Parquet
recipient-kind-hotline = Partner-Hotline
recipient-kind-liaison = Verbindungsstell (Europol, Interpol)
recipient-kind-platform = Plattform (Ufroen fir ze läschen)
recipient-kind-other = Aner
recipient-channel = Zoustellung
recipient-email = E-Mail-Adress
recipient-email-hint = Weiderleedunge ginn nëmme mat engem OpenPGP-Schlëssel fir dës Adress per E-Mail.
recipient-openpgp-key = Ëffentlechen OpenPGP-Schlëssel
recipient-openpgp-key-hint = Weiderleedunge gi fir dëse Schlëssel verschlësselt a mam Schlëssel vun Ärer Organisatioun ënnerschriwwen.
recipient-notes = Notizen
recipient-details = Donnéeën
recipient-save = Ännerunge späicheren
recipient-disable = Dësen Empfänger net méi proposéieren
recipient-enable = Dësen Empfänger erëm proposéieren
recipient-rules = Proposéiert fir
recipient-rules-hint = D'Usiicht vun engem Fall proposéiert dësen Empfänger fir Fäll vun dëse Länner a Kategorien.
recipient-no-rules = Nach fir kee Fall proposéiert.
recipient-any-category = All Kategorie
recipient-rule-add = Fir dës Fäll proposéieren
recipient-rule-remove = Net méi fir { $country } proposéieren
recipient-portal = Portal fir d'Autoritéiten
recipient-portal-hint = Persoune vun dësem Empfänger kënne sech um Portal fir d'Autoritéiten umellen, fir d'Weiderleedungen ze liesen, déi un hien adresséiert sinn, den Empfang ze bestätegen an d'Resultat unzeginn. E Kont kann Weiderleedungen, déi virun him preparéiert goufen, net liesen.
recipient-portal-invite = Op de Portal invitéieren
portal-account-invited = Invitéiert
notice-recipient-saved = Den Empfänger ass gespäichert.
notice-recipient-disabled = Den Empfänger gëtt net méi fir Weiderleedunge proposéiert.
notice-recipient-enabled = Den Empfänger gëtt erëm fir Weiderleedunge proposéiert.
notice-rules-changed = D'Virschléi si gespäichert.
notice-portal-account-disabled = De Portal-Kont ass desaktivéiert.
notice-portal-account-enabled = De Portal-Kont ass erëm aktivéiert.
mail-portal-invitation-subject = Är Invitatioun op de Ward-Portal fir d'Autoritéiten
mail-portal-invitation-body = Eng Hotline invitéiert Iech op hire Portal fir d'Autoritéiten am Ward, wou Dir hir Weiderleedunge kritt. Maacht dëse Link bannent 7 Deeg op, fir Äert Passwuert ze wielen an d'Zwee-Faktor-Authentifikatioun anzeriichten (e funktionéiert just eng Kéier): { $link }

## Referrals on a case
referrals-title = Weiderleedungen
referrals-none = Dëse Fall gouf net weidergeleet.
referral-prepare = Dëse Fall weiderleeden
referral-no-recipients = Är Organisatioun huet nach keng Empfänger: en Administrateur setzt se ënner Empfänger derbäi.
referral-recipients = Empfänger
referral-suggested = Proposéiert
referral-answers = Äntwerten, déi dobäi sinn
referral-attachments = Fichieren, déi dobäi sinn
referral-include-contact = D'Kontaktdonnéeë vun der Persoun, déi gemellt huet, dobäisetzen (si war d'accord, vun den Autoritéite kontaktéiert ze ginn)
referral-contact-left-out = D'Kontaktdonnéeë vun der Persoun, déi gemellt huet, sinn net dobäi: si war net d'accord, vun den Autoritéite kontaktéiert ze ginn.
referral-summary = Resumé
referral-summary-hint = E kuerze Resumé fir den Empfänger, an enger Sprooch, déi e liest.
referral-prepare-submit = D'Weiderleedung preparéieren
referral-channel-email = Verschlësselt E-Mail
referral-channel-portal = Portal fir d'Autoritéiten
referral-channel-manual = Perséinlech
referral-state-prepared = Preparéiert
referral-state-sent = Geschéckt
referral-state-acknowledged = Empfang bestätegt
referral-state-outcome = Resultat agedroen
referral-overdue = Empfangsbestätegung iwwerfälleg
referral-prepared-on = Preparéiert den { $date }
referral-sent-on = geschéckt den { $date }
referral-due-on = Empfangsbestätegung fälleg den { $date }
referral-acknowledged-on = Empfang bestätegt den { $date }
referral-download = De Paquet fir { $recipient } eroflueden
referral-mark-sent = Als un { $recipient } geschéckt markéieren
referral-mark-acknowledged = { $recipient } huet den Empfang bestätegt
referral-record-outcome = D'Resultat vun { $recipient } androen
referral-outcome = Resultat
referral-outcome-note = Notiz zum Resultat (fakultativ)
referral-outcome-save = D'Resultat späicheren
referral-outcome-investigation-opened = Enquête opgemaach
referral-outcome-no-further-action = Keng weider Moossnamen
referral-outcome-passed-to-another-country = Un en anert Land weiderginn
referral-outcome-other = Aner
notice-referral-prepared = D'Weiderleedung ass preparéiert; déi per E-Mail oder iwwer de Portal si geschéckt.
notice-referral-failed = D'Weiderleedung ass preparéiert, mä eng Zoustellung ass feelgeschloen: probéiert nach eng Kéier mat „Als geschéckt markéieren“ oder luet de Paquet erof.
notice-referral-sent = D'Weiderleedung ass als geschéckt markéiert.
notice-referral-acknowledged = D'Empfangsbestätegung ass agedroen.
notice-referral-outcome-recorded = D'Resultat ass agedroen.
inbox-referral = Weiderleedung
inbox-referral-any = Weidergeleet
inbox-referral-prepared = Preparéiert, net geschéckt
inbox-referral-sent = Geschéckt, Bestätegung steet aus
inbox-referral-overdue = Empfangsbestätegung iwwerfälleg
inbox-referral-acknowledged = Empfang bestätegt
inbox-referral-outcome = Resultat agedroen

## Transfers and exports
transfer-title = Iwwergab
transfer-hint = Eng aner Organisatioun vun dëser Instanz iwwerhëlt de Fall (zum Beispill d'Hotline aus dem Land vum Täter). Si kritt eng Kopie, déi si liese kann; dëse Fall bleift hei, an d'Persoun, déi gemellt huet, verfollegt en hei.
transfer-submit = De Fall iwwerginn
transfer-sent = Iwwerginn un { $organisation }
transfer-received = Kritt vun { $organisation }
notice-case-transferred = De Fall ass iwwerginn.
export-title = Export
export-cybertipline = Als NCMEC-CyberTipline-XML eroflueden

## The network
network-lead = D'Organisatioune vun dëser Instanz, wéi eng d'Meldungen iwwer all Land kritt, an de Länneropzeechnes, deen den ëffentleche Site benotzt.
network-organisations = Organisatiounen
network-organisation = Organisatioun
network-coordinating = Koordinéierend
network-covers-all = Kritt Meldungen iwwer all Länner
network-covers-all-hint = Wann keng Organisatioun Meldungen iwwer e Land kritt, seet den ëffentleche Site, wéi en nationale Service oder wéi eng Noutruffnummer ze benotzen ass, an hëlt d'Meldung trotzdem fir déi koordinéierend Organisatioun un.
network-yes = Jo
network-no = Neen
network-cover-all = Meldungen iwwer all Länner kréien ({ $organisation })
network-stop-covering-all = Keng Meldungen iwwer all Länner méi kréien ({ $organisation })
network-rules = Zouweisung
network-rules-hint = Nei Meldunge ginn un d'Organisatioun, déi fir d'Land vum Virfall gewielt ass, dann fir d'Land vun der Persoun, déi mellt, dann un eng Organisatioun aus deem Land, dann un déi koordinéierend Organisatioun.
network-no-rules = Nach kee Land huet eng Regel.
network-rule-set = D'Meldunge vun dësem Land dohinner schécken
network-rule-remove = D'Regel fir { $country } ewechhuelen
notice-routing-changed = D'Zouweisung ass gespäichert.
countries-title = Länneropzeechnes
countries-lead = Noutruffnummeren an national Meldeservicer no Land, esou wéi den ëffentleche Site se weist.
countries-other = En anert Land
countries-edit-other = Änneren
countries-edit = { $country } änneren
countries-emergency = Noutruffnummer
countries-emergency-hint = Zifferen, Espacen a Schréistricher, zum Beispill 112 oder 112 / 113.
countries-mechanism = Nationale Meldeservice
countries-mechanism-url = Seng Webadress
countries-mechanism-url-hint = Fänkt mat https:// un
countries-languages = Sproochen
countries-languages-hint = Coden aus zwee Buschtawen, mat Kommaen getrennt, zum Beispill fr, de, lb.
countries-changed = Hei geännert
countries-save = Späicheren
notice-directory-changed = Den Opzeechnes ass gespäichert.

## The authority portal
portal-referrals = Weiderleedungen
portal-lead = D'Weiderleedungen, déi un Iech adresséiert sinn. Maacht eng op, fir se ze liesen, hire Paquet erofzelueden, den Empfang ze bestätegen an unzeginn, wat draus ginn ass.
portal-none = Nach keng Weiderleedungen.
portal-from = Vun
portal-to = Un
portal-sent = Geschéckt
portal-sealed-before = Geschéckt, ier Äre Kont ageriicht war (frot d'Hotline, se nach eng Kéier ze schécken)
portal-acknowledge = Empfang bestätegen
portal-download = De Paquet eroflueden (PDF, JSON a Fichieren)
portal-english = Esou wéi d'Hotline se geschéckt huet, op Englesch.
portal-no-contact = Net dobäi.
portal-files-hint = D'Fichiere sinn am Paquet.
portal-outcome-label = Wat aus dëser Weiderleedung ginn ass
portal-outcome-note-hint = Dir an d'Hotline kënnen se liesen.
portal-invitation-done = Äre Kont ass prett. Mellt Iech mat Ärer E-Mail-Adress, Ärem Passwuert an engem Code aus Ärer Authenticator-App un.

## Audit log
audit-directory-changed = Länneropzeechnes geännert
audit-routing-changed = Zouweisung geännert
audit-recipient-changed = Empfänger geännert
audit-referral-prepared = Weiderleedung preparéiert
audit-referral-sent = Weiderleedung geschéckt
audit-referral-downloaded = Weiderleedung erofgelueden
audit-referral-viewed = Weiderleedung gelies
audit-referral-acknowledged = Empfang vun der Weiderleedung bestätegt
audit-referral-outcome = Resultat vun der Weiderleedung agedroen
audit-transferred = Fall iwwerginn
audit-portal-account-invited = Op de Portal invitéiert
audit-portal-sign-in = Um Portal ugemellt
audit-portal-sign-in-failed = Feelgeschloen Umeldung um Portal
