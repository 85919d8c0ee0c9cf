# Ward: Texter vum ëffentleche Site an de Setup-Säiten (Lëtzebuergesch).
# needs-review: Iwwersetzung muss vun enger Persoun mat Lëtzebuergesch als Mammesprooch nogekuckt ginn.

site-name = Ward
skip-to-content = Direkt bei den Haaptinhalt
quick-exit = Séier eraus
quick-exit-hint = Dëse Site séier verloossen
language-switcher = Sprooch
source-code = Quellcode
footer-privacy = Mir späicheren weder Är IP-Adress nach soss eppes, wat Ären Apparat erkennbar mécht.

home-title = Mellen
home-lead = Mellt e Verdacht op sexuell Ausbeutung vun engem Kand, sécher an anonym.
emergency = Wann e Kand an akuter Gefor ass, rufft elo d'Noutruffnummer { $number } un.
home-can-report = Dir kënnt mellen:
category-prostitution = Kanner, déi an der Prostitutioun ausgebeut ginn
category-abuse-material = Material vu sexuellem Mëssbrauch vu Kanner um Internet: mellt de Link, lued d'Material ni erof, maacht keng Screenshots a deelt et net
category-trafficking = Handel mat Kanner fir sexuell Zwecker
category-travel-tourism = sexuell Ausbeutung vu Kanner op Reesen an am Tourismus
child-definition = E Kand ass all Persoun ënner 18 Joer.

not-open-title = Mellunge sinn nach net méiglech
not-open-lead = Dëse Mellservice gëtt grad ageriicht a ka nach keng Mellungen unhuelen.
not-open-advice = Kommt w.e.g. méi spéit erëm oder wend Iech un d'Police.

setup-title = Ward ariichten
setup-lead = Leet Är Organisatioun an dat éischt Administrateurskonto un. Dëse Link funktionéiert nëmmen eng Kéier.
setup-organisation-legend = Är Organisatioun
setup-organisation-label = Numm vun der Organisatioun
setup-country-label = Land (Code mat zwee Buschtawen, zum Beispill LU)
setup-admin-legend = Den éischten Administrateur
setup-email-label = E-Mail-Adress
setup-password-label = Passwuert (mindestens 12 Zeechen)
setup-password-confirm-label = Passwuert confirméieren
setup-totp-legend = Zwee-Faktor-Authentifikatioun
setup-totp-hint = Scannt dëse Code mat enger Authenticator-App oder gitt do de Schlëssel hei ënnendrënner an.
setup-totp-key = Schlëssel:
setup-totp-code-label = De 6-stellege Code, deen Är App weist
setup-submit = Organisatioun uleeën
setup-done-title = { $organisation } ass ageriicht
setup-recovery-heading = Äre Recuperatiounsschlëssel
setup-recovery-once = Dëse Schlëssel gëtt nëmmen eng Kéier gewisen. En ass deen eenzege Wee, fir Är Mellungen erëm ze liesen, wann all d'Administrateuren hiert Passwuert vergiessen. Schreift en op oder dréckt en aus a bewahrt en op enger sécherer Plaz offline op.
setup-recovery-warning = Wien dëse Schlëssel an eng Kopie vun der Datebank huet, ka all Mellung liesen. Späichert en ni op dësem Server.
go-to-public-site = Op den ëffentleche Site
go-home = Op d'Haaptsäit
error-summary-title = Et gëtt e Problem
