# Ward : messages d'erreur (français).
# needs-review: traduction à relire par une personne de langue maternelle française.

title-not-found = Page introuvable
title-unavailable = Service indisponible
title-problem = Il y a un problème
title-error = Désolé, le service rencontre un problème

error-not-open = Les signalements ne sont pas encore ouverts : l'installation n'est pas terminée.
error-already-set-up = L'installation est déjà terminée.
error-invalid-setup-link = Ce lien d'installation n'est pas valide : il a déjà été utilisé, a expiré ou n'a jamais existé.
error-wrong-credentials = Adresse e-mail ou mot de passe incorrect.
error-forbidden = Vous n'êtes pas autorisé à faire cela.
error-not-found = La page ou l'élément demandé n'existe pas.
error-conflict = Cet élément existe déjà.
error-invalid = Certaines réponses doivent être corrigées.
error-bad-request = La demande n'a pas pu être comprise.
error-too-large = La demande est trop volumineuse.
error-internal = Un problème est survenu de notre côté. Veuillez réessayer dans quelques minutes.

invalid-email = Saisissez une adresse e-mail au bon format, comme nom@exemple.org
invalid-password-short = Le mot de passe doit comporter au moins 12 caractères
invalid-password-long = Le mot de passe doit comporter au plus 1024 octets
invalid-password-mismatch = Les mots de passe ne correspondent pas
invalid-role = Le rôle doit être admin, supervisor ou analyst
invalid-country = Saisissez un code pays ISO 3166 à deux lettres, comme LU
invalid-organisation = Saisissez le nom de l'organisation (200 caractères au plus)
invalid-totp-secret = La clé d'authentification est absente ou incorrecte : rechargez la page
invalid-totp-code = Saisissez le code à 6 chiffres que votre application d'authentification affiche maintenant
invalid-category = Choisissez ce qui s'est passé
invalid-language = Choisissez l'une des langues du site
invalid-answers-count = Un signalement peut comporter au plus 200 réponses
invalid-answer-id = Les identifiants de question doivent comporter de 1 à 100 caractères
invalid-answer-value = Chaque réponse doit être un texte (20 000 caractères au plus), un nombre, oui ou non, ou une liste de textes
invalid-contact = Les coordonnées doivent être un objet
invalid-report = Le signalement n'est pas valide

invalid-unknown-question = Une réponse a été donnée à une question que ce formulaire ne pose pas
invalid-required = Répondez à cette question
invalid-answer-type = Cette réponse n'a pas la bonne forme
invalid-answer-too-long = Cette réponse est trop longue
invalid-date = Saisissez une date réelle, comme 2026-08-14
invalid-number = Saisissez un nombre entier, comme 2
invalid-option = Choisissez l'une des options proposées
invalid-urls-count = Donnez 50 liens au plus
invalid-url = Saisissez uniquement des adresses web, une par ligne, comme https://exemple.org/page
invalid-phone = Saisissez un numéro de téléphone, comme +352 621 123 456
invalid-contact-choice = Indiquez si nous pouvons vous contacter
invalid-contact-missing = Saisissez une adresse e-mail ou un numéro de téléphone, ou choisissez de rester anonyme
invalid-file-too-large = Un fichier dépasse la taille maximale indiquée sur la page
invalid-too-many-files = Plus de fichiers ont été ajoutés que le nombre maximal indiqué sur la page
invalid-file-type = Ce type de fichier ne peut pas être ajouté : utilisez une photo (JPEG, PNG ou WebP), un PDF ou un fichier texte
invalid-file-damaged = Ce fichier est endommagé et ne peut pas être lu
invalid-file-protected = Ce PDF est protégé par un mot de passe : Ward ne peut donc pas en retirer les informations cachées qui pourraient vous identifier. Enregistrez-le ou imprimez-le à nouveau en PDF sans mot de passe, ou décrivez son contenu avec vos propres mots
error-rate-limited = Trop de tentatives depuis votre connexion. Veuillez patienter quelques minutes et réessayer.
invalid-receipt = Aucun signalement ne correspond à ce code. Vérifiez les 20 chiffres et réessayez
invalid-message-empty = Écrivez un message ou ajoutez un fichier
error-locked = Trop de tentatives échouées : ce compte est bloqué pendant 15 minutes.
error-sign-in = L'adresse e-mail, le mot de passe ou le code d'authentification est incorrect.
error-no-access = Vous ne pouvez pas encore lire le contenu des signalements : un administrateur doit vous donner accès.
error-invalid-link = Ce lien n'est pas valable : il a déjà été utilisé, a expiré ou n'a jamais existé. Demandez-en un nouveau à un administrateur.
invalid-closing-reason = Choisissez pourquoi le dossier est clôturé
invalid-reference = Saisissez la référence d'un autre signalement de cette hotline, par exemple 3F2A-91C2-0B7D
invalid-label = Une étiquette compte de 1 à 40 caractères
invalid-nothing-selected = Sélectionnez au moins un signalement
invalid-too-many-selected = Sélectionnez au plus 100 signalements à la fois
invalid-email-taken = Un membre avec cette adresse e-mail existe déjà
invalid-self = Vous ne pouvez pas faire cela à votre propre compte
