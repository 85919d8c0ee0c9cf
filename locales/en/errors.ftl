# Ward: error messages (English, the reference).

title-not-found = Page not found
title-unavailable = Service unavailable
title-problem = There is a problem
title-error = Sorry, there is a problem with the service

error-not-open = Reporting is not open yet: setup is not complete.
error-already-set-up = Setup is already complete.
error-invalid-setup-link = This setup link is not valid: it was already used, has expired or never existed.
error-wrong-credentials = Wrong e-mail address or password.
error-forbidden = You are not allowed to do this.
error-not-found = The page or item you asked for does not exist.
error-conflict = This already exists.
error-invalid = Some answers need correcting.
error-bad-request = The request could not be understood.
error-too-large = The request is too large.
error-internal = Something went wrong on our side. Please try again in a few minutes.

invalid-email = Enter an e-mail address in the correct format, like name@example.org
invalid-password-short = The password must be at least 12 characters long
invalid-password-long = The password must be at most 1024 bytes long
invalid-password-mismatch = The passwords do not match
invalid-role = The role must be admin, supervisor or analyst
invalid-country = Enter a two-letter ISO 3166 country code, like LU
invalid-organisation = Enter the organisation's name (at most 200 characters)
invalid-totp-secret = The authenticator key is missing or malformed: reload the page
invalid-totp-code = Enter the 6-digit code your authenticator app shows now
invalid-category = Choose what happened
invalid-language = Choose one of the site's languages
invalid-answers-count = A report can have at most 200 answers
invalid-answer-id = Question ids must be 1 to 100 characters long
invalid-answer-value = Each answer must be text (at most 20,000 characters), a number, yes or no, or a list of texts
invalid-contact = Contact details must be an object
invalid-report = The report is not valid

invalid-unknown-question = An answer was given to a question this form does not ask
invalid-required = Answer this question
invalid-answer-type = This answer has the wrong form
invalid-answer-too-long = This answer is too long
invalid-date = Enter a real date, like 2026-08-14
invalid-number = Enter a whole number, like 2
invalid-option = Choose one of the options shown
invalid-urls-count = Give at most 50 links
invalid-url = Enter web addresses only, one per line, like https://example.org/page
invalid-phone = Enter a telephone number, like +352 621 123 456
invalid-contact-choice = Choose whether we may contact you
invalid-contact-missing = Enter an e-mail address or a telephone number, or choose to stay anonymous
invalid-file-too-large = A file is larger than the size limit shown on the page
invalid-too-many-files = More files were added than the limit shown on the page
invalid-file-type = This type of file cannot be added: use a photo (JPEG, PNG or WebP), a PDF or a text file
invalid-file-damaged = This file is damaged and cannot be read
error-rate-limited = Too many attempts from your connection. Please wait a few minutes and try again.
invalid-receipt = No report has this receipt code. Check the 20 digits and try again
invalid-message-empty = Write a message or add a file
error-locked = Too many failed attempts: this account is locked for 15 minutes.
error-sign-in = The e-mail address, password or authenticator code is wrong.
