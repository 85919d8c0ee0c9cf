# Ward : textes du site public et des pages d'installation (français).
# needs-review: traduction à relire par une personne de langue maternelle française.

site-name = Ward
skip-to-content = Aller au contenu principal
quick-exit = Sortie rapide
quick-exit-hint = Quitter ce site rapidement
language-switcher = Langue
source-code = Code source
footer-privacy = Nous n'enregistrons ni votre adresse IP ni rien qui identifie votre appareil.

home-title = Signaler
home-lead = Signalez un cas présumé d'exploitation sexuelle d'un enfant, en toute sécurité et de façon anonyme.
emergency = Si un enfant est en danger immédiat, appelez maintenant le numéro d'urgence { $number }.
home-can-report = Vous pouvez signaler :
category-prostitution = des enfants exploités dans la prostitution
category-abuse-material = des contenus d'abus sexuels sur enfants trouvés en ligne : signalez le lien, ne téléchargez, ne capturez et ne partagez jamais ces contenus
category-trafficking = la traite d'enfants à des fins sexuelles
category-travel-tourism = l'exploitation sexuelle d'enfants dans le cadre des voyages et du tourisme
child-definition = Un enfant est toute personne de moins de 18 ans.

not-open-title = Les signalements ne sont pas encore ouverts
not-open-lead = Ce service de signalement est en cours d'installation et ne peut pas encore recevoir de signalements.
not-open-advice = Revenez plus tard ou contactez la police.

setup-title = Installer Ward
setup-lead = Créez votre organisation et le premier compte administrateur. Ce lien ne fonctionne qu'une fois.
setup-organisation-legend = Votre organisation
setup-organisation-label = Nom de l'organisation
setup-country-label = Pays (code à deux lettres, par exemple LU)
setup-admin-legend = Le premier administrateur
setup-email-label = Adresse e-mail
setup-password-label = Mot de passe (au moins 12 caractères)
setup-password-confirm-label = Confirmez le mot de passe
setup-totp-legend = Authentification à deux facteurs
setup-totp-hint = Scannez ce code avec une application d'authentification, ou saisissez-y la clé ci-dessous.
setup-totp-key = Clé :
setup-totp-code-label = Le code à 6 chiffres affiché par votre application
setup-submit = Créer l'organisation
setup-done-title = { $organisation } est installée
setup-recovery-heading = Votre clé de récupération
setup-recovery-once = Cette clé n'est affichée qu'une seule fois. C'est le seul moyen de relire vos signalements si tous les administrateurs oublient leur mot de passe. Notez-la ou imprimez-la, et conservez-la en lieu sûr, hors ligne.
setup-recovery-warning = Toute personne disposant de cette clé et d'une copie de la base de données peut lire tous les signalements. Ne la conservez jamais sur ce serveur.
go-to-public-site = Aller au site public
go-home = Aller à la page d'accueil
error-summary-title = Il y a un problème
