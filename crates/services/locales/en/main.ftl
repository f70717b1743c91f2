app-name = EduCenter
app-tagline = The online school for learning centres, tutors and schools in Kazakhstan
skip-to-content = Skip to content
nav-label = Main navigation
nav-home = Home
nav-features = Features
nav-api = API
lang-switch-label = Interface language
landing-title = Your online school in one evening
landing-lead = EduCenter is the platform where a learning centre, a tutor or a school hosts its courses — text, video and audio lessons, files and quizzes — and teaches its own students on its own site.
landing-trial = 14 days free, no card needed. Pay in tenge, euro or dollars, by invoice or online.
landing-features-title = What the platform does
feature-courses-title = Courses and lessons
feature-courses-text = Modules, video and audio lessons, files, quizzes, lessons that open on a schedule.
feature-students-title = Students and groups
feature-students-text = Invitations, import from a spreadsheet, groups, every student's progress.
feature-billing-title = Honest paperwork
feature-billing-text = Invoices and monthly acts in Russian and Kazakh, with the amount in words.
feature-languages-title = Three languages
feature-languages-text = Russian, Kazakh and English — on every screen and in every e-mail.
footer-rights = © EduCenter. All rights reserved.
footer-api = API documentation (OpenAPI)
flash-lang-changed = The interface language has been changed.
error-404-title = Page not found
error-404-text = There is no such page. Check the address or go back to the home page.
error-generic-title = Something went wrong
error-generic-text = The request could not be completed. Please try again a little later.
error-back-home = Back to the home page
courses-count = { $count ->
    [one] { $count } course
   *[other] { $count } courses
}
mail-access-subject = Your EduCenter cabinet: { $org }
mail-access-body =
    Hello, { $name }!

    The cabinet of "{ $org }" on EduCenter has been created. The trial lasts until { $trial_ends } inclusive; you can apply for a plan until { $deadline }.

    Your login: { $email }

    Please confirm your e-mail address with this link (valid for 7 days):
    { $verify_url }

    The EduCenter team
verify-title = E-mail confirmation
verify-ok = Your e-mail address is confirmed. Thank you!
verify-expired = This link has expired. Please ask for a new one.
verify-used = This link has already been used.
verify-invalid = This link is not valid. Check that it was copied in full.
mail-invite-subject = Invitation to the "{ $org }" cabinet on EduCenter
mail-invite-body =
    Hello, { $name }!

    You have been invited to the "{ $org }" cabinet on EduCenter as { $role }.

    To accept, set your password with this link (valid for 7 days):
    { $accept_url }

    Your login: { $email }

    The EduCenter team
role-administrator = Administrator
role-teacher = Teacher
role-manager = Manager
role-accountant = Accountant
invitation-title = Invitation to a cabinet
invitation-lead = Set a password to accept the invitation.
invitation-password = Password (at least 10 characters: letters with digits or symbols)
invitation-submit = Accept the invitation
invitation-accepted = The invitation is accepted. Sign in to the "{ $slug }" school's cabinet as { $email }.
invitation-expired = The invitation has expired. Ask the cabinet's owner for a new one.
invitation-used = This invitation was already accepted.
invitation-invalid = No such invitation. Check that the link was copied in full.
mail-offer-subject = New version No. { $number } of the EduCenter offer
mail-offer-body =
    Hello, { $name }!

    On { $published } a new version of the EduCenter licence offer (No. { $number }) was published.

    What changed: { $summary }

    If you disagree, object in your cabinet until { $deadline } inclusive; the contract then ends after 10 business days on the previous terms. Without an objection the new version is deemed accepted.

    The EduCenter team
offer-title = Licence agreement (public offer)
offer-version = Version No. { $number } of { $date }
offer-changes = What changed
offer-archive = All versions
offer-current = in force
offer-kk-missing = The Kazakh text is being prepared; the Russian text follows.
footer-offer = Public offer
mail-reset-subject = Resetting your EduCenter password
mail-reset-body =
    Hello, { $name }!

    To set a new password, follow this link (valid for 1 hour, once):
    { $reset_url }

    If you did not ask for a reset, ignore this e-mail: your password stays as it is.

    The EduCenter team
reset-title = New password
reset-lead = Set a new password. Every signed-in session will then end.
reset-submit = Save the password
reset-done = The password is changed. Sign in with the new one.
reset-expired = This link has expired. Ask for a reset again.
reset-used = This link has already been used.
reset-invalid = This link is not valid. Check that it was copied in full.
