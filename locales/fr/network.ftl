# Ward : signalements transmis, destinataires, réseau d'organisations et portail des autorités (français).
# needs-review: traduction à relire par une personne de langue maternelle française.

## Errors
error-delivery = Le signalement n'a pas pu être transmis
invalid-directory-field = Saisissez une valeur valide : des chiffres pour le numéro, une adresse commençant par https:// pour le lien, des codes de langue à deux lettres
invalid-recipient-name = Saisissez le nom du destinataire (200 caractères au plus)
invalid-key-without-email = Saisissez l'adresse e-mail qui correspond à cette clé OpenPGP
invalid-openpgp-key = Collez une clé publique OpenPGP (le texte qui commence par -----BEGIN PGP PUBLIC KEY BLOCK-----)
invalid-openpgp-secret = Collez la clé publique, pas la clé secrète
invalid-openpgp-key-unusable = Cette clé OpenPGP ne peut pas chiffrer : elle a expiré, a été révoquée ou n'a pas de sous-clé de chiffrement
invalid-no-recipient = Choisissez au moins un destinataire
invalid-contact-not-agreed = La personne qui a signalé n'a pas accepté d'être contactée par les autorités
invalid-referral-state = Cette transmission n'en est pas à cette étape

## Navigation
recipients-title = Destinataires
network-title = Réseau
portal-name = Portail des autorités Ward

## Recipients
recipients-lead = Les unités de police, parquets, hotlines partenaires et plateformes auxquels votre organisation transmet des cas, et la façon dont chacun les reçoit.
recipients-none = Aucun destinataire pour l'instant.
recipients-add = Ajouter un destinataire
recipients-openpgp-key = Télécharger la clé publique OpenPGP de votre organisation (les destinataires vérifient avec elle la signature des transmissions)
recipient-name = Nom
recipient-kind = Type
recipient-kind-police = Police
recipient-kind-prosecutor = Parquet
recipient-kind-hotline = Hotline partenaire
recipient-kind-liaison = Point de liaison (Europol, Interpol)
recipient-kind-platform = Plateforme (demandes de retrait)
recipient-kind-other = Autre
recipient-channel = Transmission
recipient-email = Adresse e-mail
recipient-email-hint = Les transmissions partent par e-mail seulement avec une clé OpenPGP pour cette adresse.
recipient-openpgp-key = Clé publique OpenPGP
recipient-openpgp-key-hint = Les transmissions sont chiffrées pour cette clé et signées avec la clé de votre organisation.
recipient-notes = Notes
recipient-details = Coordonnées
recipient-save = Enregistrer les modifications
recipient-disable = Ne plus proposer ce destinataire
recipient-enable = Proposer à nouveau ce destinataire
recipient-rules = Suggéré pour
recipient-rules-hint = La fiche d'un cas suggère ce destinataire pour les cas de ces pays et catégories.
recipient-no-rules = Suggéré pour aucun cas pour l'instant.
recipient-any-category = Toute catégorie
recipient-rule-add = Suggérer pour ces cas
recipient-rule-remove = Ne plus suggérer pour { $country }
recipient-portal = Portail des autorités
recipient-portal-hint = Les personnes de ce destinataire peuvent se connecter au portail des autorités pour lire les transmissions qui lui sont adressées, en accuser réception et en indiquer la suite. Un compte ne peut pas lire les transmissions préparées avant sa création.
recipient-portal-invite = Inviter au portail
portal-account-invited = Invité
notice-recipient-saved = Le destinataire est enregistré.
notice-recipient-disabled = Le destinataire n'est plus proposé pour les transmissions.
notice-recipient-enabled = Le destinataire est de nouveau proposé pour les transmissions.
notice-rules-changed = Les suggestions sont enregistrées.
notice-portal-account-disabled = Le compte du portail est désactivé.
notice-portal-account-enabled = Le compte du portail est réactivé.
mail-portal-invitation-subject = Votre invitation au portail des autorités Ward
mail-portal-invitation-body = Une hotline vous invite sur son portail des autorités dans Ward, où vous recevez ses transmissions. Ouvrez ce lien dans les 7 jours pour choisir votre mot de passe et configurer l'authentification à deux facteurs (il ne fonctionne qu'une fois) : { $link }

## Referrals on a case
referrals-title = Transmissions
referrals-none = Ce cas n'a pas été transmis.
referral-prepare = Transmettre ce cas
referral-no-recipients = Votre organisation n'a pas encore de destinataires : un administrateur les ajoute sous Destinataires.
referral-recipients = Destinataires
referral-suggested = Suggéré
referral-answers = Réponses à inclure
referral-attachments = Fichiers à inclure
referral-include-contact = Inclure les coordonnées de la personne qui a signalé (elle a accepté d'être contactée par les autorités)
referral-contact-left-out = Les coordonnées de la personne qui a signalé ne sont pas incluses : elle n'a pas accepté d'être contactée par les autorités.
referral-summary = Résumé
referral-summary-hint = Un court résumé pour le destinataire, dans une langue qu'il lit.
referral-prepare-submit = Préparer la transmission
referral-channel-email = E-mail chiffré
referral-channel-portal = Portail des autorités
referral-channel-manual = En main propre
referral-state-prepared = Préparée
referral-state-sent = Envoyée
referral-state-acknowledged = Réception confirmée
referral-state-outcome = Suite indiquée
referral-overdue = Accusé de réception en retard
referral-prepared-on = Préparée le { $date }
referral-sent-on = envoyée le { $date }
referral-due-on = accusé de réception attendu le { $date }
referral-acknowledged-on = réception confirmée le { $date }
referral-download = Télécharger le dossier pour { $recipient }
referral-mark-sent = Marquer comme envoyée à { $recipient }
referral-mark-acknowledged = { $recipient } en a accusé réception
referral-record-outcome = Indiquer la suite donnée par { $recipient }
referral-outcome = Suite donnée
referral-outcome-note = Remarque sur la suite donnée (facultatif)
referral-outcome-save = Enregistrer la suite donnée
referral-outcome-investigation-opened = Enquête ouverte
referral-outcome-no-further-action = Classement sans suite
referral-outcome-passed-to-another-country = Transmis à un autre pays
referral-outcome-other = Autre
notice-referral-prepared = La transmission est préparée ; celles par e-mail ou par le portail sont envoyées.
notice-referral-failed = La transmission est préparée, mais un envoi a échoué : réessayez avec « Marquer comme envoyée » ou téléchargez le dossier.
notice-referral-sent = La transmission est marquée comme envoyée.
notice-referral-acknowledged = L'accusé de réception est enregistré.
notice-referral-outcome-recorded = La suite donnée est enregistrée.
inbox-referral = Transmission
inbox-referral-any = Transmis
inbox-referral-prepared = Préparée, non envoyée
inbox-referral-sent = Envoyée, en attente d'accusé de réception
inbox-referral-overdue = Accusé de réception en retard
inbox-referral-acknowledged = Réception confirmée
inbox-referral-outcome = Suite indiquée

## Transfers and exports
transfer-title = Transfert
transfer-hint = Une autre organisation de cette instance reprend le cas (par exemple la hotline du pays de l'auteur). Elle en reçoit une copie qu'elle peut lire ; ce cas reste ici, et la personne qui a signalé le suit ici.
transfer-submit = Transférer le cas
transfer-sent = Transféré à { $organisation }
transfer-received = Reçu de { $organisation }
notice-case-transferred = Le cas est transféré.
export-title = Export
export-cybertipline = Télécharger au format XML CyberTipline du NCMEC

## The network
network-lead = Les organisations de cette instance, celle qui reçoit les signalements concernant chaque pays, et le répertoire des pays qu'utilise le site public.
network-organisations = Organisations
network-organisation = Organisation
network-coordinating = Coordinatrice
network-covers-all = Reçoit les signalements concernant tous les pays
network-covers-all-hint = Quand aucune organisation ne reçoit les signalements concernant un pays, le site public indique quel service national ou numéro d'urgence utiliser, et accepte quand même le signalement pour l'organisation coordinatrice.
network-yes = Oui
network-no = Non
network-cover-all = Recevoir les signalements concernant tous les pays ({ $organisation })
network-stop-covering-all = Ne plus recevoir les signalements concernant tous les pays ({ $organisation })
network-rules = Acheminement
network-rules-hint = Les nouveaux signalements vont à l'organisation choisie pour le pays des faits, puis pour le pays de la personne qui signale, puis à une organisation de ce pays, puis à l'organisation coordinatrice.
network-no-rules = Aucun pays n'a encore de règle.
network-rule-set = Envoyer là les signalements de ce pays
network-rule-remove = Supprimer la règle pour { $country }
notice-routing-changed = L'acheminement est enregistré.
countries-title = Répertoire des pays
countries-lead = Numéros d'urgence et services nationaux de signalement par pays, tels que le site public les affiche.
countries-other = Un autre pays
countries-edit-other = Modifier
countries-edit = Modifier { $country }
countries-emergency = Numéro d'urgence
countries-emergency-hint = Chiffres, espaces et barres obliques, par exemple 112 ou 112 / 113.
countries-mechanism = Service national de signalement
countries-mechanism-url = Son adresse web
countries-mechanism-url-hint = Commence par https://
countries-languages = Langues
countries-languages-hint = Codes à deux lettres, séparés par des virgules, par exemple fr, de, lb.
countries-changed = Modifié ici
countries-save = Enregistrer
notice-directory-changed = Le répertoire est enregistré.

## The authority portal
portal-referrals = Transmissions
portal-lead = Les transmissions qui vous sont adressées. Ouvrez-en une pour la lire, télécharger son dossier, en accuser réception et indiquer la suite donnée.
portal-none = Aucune transmission pour l'instant.
portal-from = De
portal-to = À
portal-sent = Envoyée
portal-sealed-before = Envoyée avant la création de votre compte (demandez à la hotline de la renvoyer)
portal-acknowledge = Accuser réception
portal-download = Télécharger le dossier (PDF, JSON et fichiers)
portal-english = Telles que la hotline les a envoyées, en anglais.
portal-no-contact = Non incluses.
portal-files-hint = Les fichiers sont dans le dossier.
portal-outcome-label = Suite donnée à cette transmission
portal-outcome-note-hint = Vous et la hotline pouvez la lire.
portal-invitation-done = Votre compte est prêt. Connectez-vous avec votre adresse e-mail, votre mot de passe et un code de votre application d'authentification.

## Audit log
audit-directory-changed = Répertoire des pays modifié
audit-routing-changed = Acheminement modifié
audit-recipient-changed = Destinataire modifié
audit-referral-prepared = Transmission préparée
audit-referral-sent = Transmission envoyée
audit-referral-downloaded = Transmission téléchargée
audit-referral-viewed = Transmission lue
audit-referral-acknowledged = Réception de la transmission confirmée
audit-referral-outcome = Suite de la transmission indiquée
audit-transferred = Cas transféré
audit-portal-account-invited = Invitation au portail
audit-portal-sign-in = Connexion au portail
audit-portal-sign-in-failed = Échec de connexion au portail
