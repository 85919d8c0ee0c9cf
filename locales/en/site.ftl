# Ward: texts of the public site and the setup pages (English, the reference).

site-name = Ward
skip-to-content = Skip to main content
quick-exit = Quick exit
quick-exit-hint = Leave this site quickly
language-switcher = Language
source-code = Source code
footer-privacy = We do not record your IP address or anything that identifies your device.

home-title = Report
home-lead = Report a suspected case of sexual exploitation of a child, safely and anonymously.
emergency = If a child is in immediate danger, call the emergency number { $number } now.
home-can-report = You can report:
category-prostitution = children exploited in prostitution
category-abuse-material = child sexual abuse material found online: report the link, never download, screenshot or share the material
category-trafficking = trafficking of children for sexual purposes
category-travel-tourism = sexual exploitation of children in travel and tourism
child-definition = A child is anyone under 18.

not-open-title = Reporting is not open yet
not-open-lead = This reporting service is being set up and cannot receive reports yet.
not-open-advice = Please come back later, or contact the police.

setup-title = Set up Ward
setup-lead = Create your organisation and the first administrator account. This link works once.
setup-organisation-legend = Your organisation
setup-organisation-label = Name of the organisation
setup-country-label = Country (two-letter code, for example LU)
setup-admin-legend = The first administrator
setup-email-label = E-mail address
setup-password-label = Password (at least 12 characters)
setup-password-confirm-label = Confirm the password
setup-totp-legend = Two-factor authentication
setup-totp-hint = Scan this code with an authenticator app, or type the key below into it.
setup-totp-key = Key:
setup-totp-code-label = The 6-digit code your app shows
setup-submit = Create the organisation
setup-done-title = { $organisation } is set up
setup-recovery-heading = Your recovery key
setup-recovery-once = This key is shown only once. It is the only way to read your reports again if every administrator forgets their password. Write it down or print it, and keep it somewhere safe and offline.
setup-recovery-warning = Anyone with this key and a copy of the database can read every report. Never store it on this server.
go-to-public-site = Go to the public site
go-home = Go to the home page
error-summary-title = There is a problem
