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
invitation-accepted-learner = The invitation is accepted. Sign in on the school's site as { $email } to study.
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
mail-reset-subject = EduCenter password reset: { $school }
mail-reset-body =
    Hello, { $name }!

    To set a new password for "{ $school }", follow this link (it works for 1 hour, once):
    { $reset_url }

    If you did not ask for a reset, ignore this message: your password stays as it is.

    The EduCenter team

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
nav-cabinet = My cabinet
nav-sign-in = Sign in
nav-sign-up = Start free
nav-sign-out = Sign out
nav-sign-out-everywhere = Sign out on every device
flash-signed-in = You are signed in.
flash-signed-up = Your school is created and the trial has started. We sent a link to confirm your e-mail.
flash-signed-out = You are signed out.
flash-signed-out-everywhere = You are signed out on every device.
flash-staff-invited = The invitation is sent.
flash-staff-role-changed = The role is changed.
flash-staff-removed = The staff member is removed; their sessions and tokens have ended.
flash-token-revoked = The token is revoked.
flash-objection-filed = Your objection is recorded; the contract ends after 10 business days on the previous terms.
flash-notice-filed = Your termination notice is recorded.
flash-notice-withdrawn = The termination notice is withdrawn; the contract continues.
flash-calendar-saved = The calendar is saved.
field-optional = optional
field-org_name = Organisation or your full name
field-kind = Who signs the contract
field-bin_iin = IIN or BIN
field-bin_iin-hint = 12 digits; for a non-resident, the tax number of your country.
field-resident = Resident of the Republic of Kazakhstan
field-full_name = Full name
field-email = E-mail
field-phone = Phone
field-phone-hint = E.g. +7 701 123 45 67 or 8 701 123 45 67.
field-password = Password
field-password-hint = At least 10 characters: letters with digits or symbols.
field-slug = School address
field-slug-hint = 3 to 40 Latin letters, digits and hyphens: your school's site will be at /s/address.
field-accept_offer = I have read and accept the public offer (licence agreement)
field-school = School address
field-school-hint = Leave empty if you are a member of the EduCenter team.
field-role = Role
field-name = Name
field-scope = Access
field-expires_on = Valid until
field-non_working_days = Days off on weekdays
field-non_working_days-hint = One date per line, YYYY-MM-DD: holidays and days moved by decree.
field-working_days = Working Saturdays and Sundays
field-working_days-hint = One date per line, YYYY-MM-DD: weekend days a decree makes working days.
error-expires_on = Give a date from tomorrow on, or leave the field empty.
error-slug-taken = This address is taken; choose another.
error-trial-used = A trial has already been used with this IIN/BIN, e-mail or phone. Write to support if you need another.
error-email-taken = A person with this e-mail is already in the cabinet.
error-forbidden = Not allowed
error-conflict = This cannot be done now
error-confirm = Tick the box to confirm.
error-not-a-date = "{ $value }" is not a date; write dates as YYYY-MM-DD.
error-calendar = The calendar was not saved: { $detail }
kind-legal_entity = A legal entity
kind-sole_proprietor = A sole proprietor
kind-individual = An individual
signup-title = Create your online school
signup-lead = 14 days free. We create the cabinet at once and send your login by e-mail.
signup-submit = Create the school
signup-read-offer = Read the public offer
signup-have-account = I already have an account
login-title = Sign in
login-lead = Sign in with your e-mail and password: we find your school.
login-submit = Sign in
login-forgot = Forgot your password?
login-no-account = Create a school
login-failed = The e-mail or the password is wrong.
login-blocked = Access to this school is blocked. Write to support.
login-throttled = Too many attempts. Try again in { $minutes } min.
forgot-title = Password reset
forgot-lead = Give your e-mail and we send a link for a new password (one for each school where the e-mail has an account).
forgot-submit = Send the link
forgot-back = Back to sign-in
forgot-sent = If such an account exists, a link to set a new password is on its way. It is valid for 1 hour.
setup-title = Setting up EduCenter
setup-lead = Create the first account of the platform's super-administrator.
setup-submit = Create the account
setup-done = The super-administrator account is created. Sign in with it, leaving the school address empty.
setup-invalid = This set-up link is not valid: it was used, it expired, or the platform already has an administrator.
cabinet-title = Cabinet
cabinet-address = School address
cabinet-licence = Licence
cabinet-trial = The trial lasts until { $trial_ends } inclusive. Apply for a plan by { $deadline }.
cabinet-new-offer = A new version No. { $number } of the offer is published. If you disagree, object by { $deadline } inclusive; otherwise it is deemed accepted.
cabinet-read-offer = Read the offer
cabinet-object = Object to the new version
cabinet-notice-notice = You gave notice of termination: the contract is in force through { $end }.
cabinet-notice-objection = You objected to the new offer version: the contract is in force through { $end } on the previous terms.
cabinet-notice-refusal = The trial was refused: the contract ends on { $end }.
cabinet-withdraw = Withdraw the notice
cabinet-token-created = Token "{ $name }" is created
cabinet-token-once = Copy it now: it is shown only once. Send it as Authorization: Bearer.
cabinet-staff = Staff
cabinet-no-staff = No one is invited yet.
cabinet-status = Status
cabinet-actions = Actions
cabinet-save = Save
cabinet-active = Active
cabinet-invited = Invited
cabinet-remove = Remove
cabinet-invite = Invite a staff member
cabinet-invite-submit = Send the invitation
cabinet-tokens = API tokens
cabinet-tokens-lead = Tokens let your programs use the EduCenter API on your behalf. Reading only, unless you allow writing.
cabinet-last-used = Last used
cabinet-never = never
cabinet-revoke = Revoke
cabinet-new-token = New token
cabinet-create-token = Create the token
cabinet-contract = Contract
cabinet-accepted = You accepted version No. { $number } of the offer.
cabinet-notice-lead = The contract ends after 10 business days from the notice; you may withdraw it until then.
cabinet-give-notice = Give notice of termination
cabinet-refusal = Refuse during the trial
cabinet-refusal-lead = A written refusal closes access at once for you, your staff and your programs. Your data is kept for 60 days, then deleted.
cabinet-refusal-confirm = I understand that access is closed at once
cabinet-refuse = Refuse the licence
cabinet-sessions = Sessions
cabinet-sessions-lead = If you signed in on someone else's device, end every session at once.
scope-read = Read only
scope-read_write = Read and write
refusal-title = Refusal recorded
refusal-done = Your refusal is recorded and access is closed. The school's data is kept until { $purge }; we will write before it is deleted.
mail-refusal-subject = Refusal of the EduCenter licence: { $org }
mail-refusal-body =
    Hello, { $name }!

    We have recorded your written refusal of the licence for "{ $org }" during the trial. Access to the cabinet is closed.

    The school's data is kept until { $purge }, then deleted; we will remind you before that. To resume, write to support before that day.

    The EduCenter team
operator-title = Back office
operator-your-role = Your role
operator-role-super_admin = super-administrator
operator-role-billing = billing officer
operator-role-support = support agent
operator-role-compliance = compliance officer
operator-calendar = Business-day calendar
operator-tenants = Licensees
operator-search = Address, name, IIN/BIN or e-mail
operator-find = Find
operator-none = Nothing found.
operator-state = State
operator-created = Created
operator-licensee = Licensee
operator-non-resident = non-resident
operator-trial-ends = Trial's last day
operator-deadline = Application deadline
operator-owner = Owner
operator-unverified = e-mail not confirmed
operator-blocked = Blocked since { $since }: { $reason }; the data is kept until { $purge }.
operator-contracts = Contracts
operator-status = Status
operator-offer-version = Offer version
operator-started = Started
operator-acceptances = Acceptances of the offer
operator-method = Method
operator-when = When (Almaty)
operator-audit = Audit trail
operator-action = Action
operator-actor = Who
operator-details = Details
operator-calendar-lead = Saturdays and Sundays are days off unless listed as working days. Dates in other years are refused.
operator-calendar-missing = No calendar is loaded for this year: dates in it are counted Monday to Friday and flagged provisional. Saving the form loads it.
operator-calendar-save = Save the calendar
cabinet-blocked = Access to the school is blocked: your staff, students and programs cannot work. Write to support.
cabinet-blocked-refusal = You refused the licence: access for your staff, students and programs is closed. The data is kept until { $purge }.
licence-inactive-title = The school is waiting for payment
licence-inactive-text = The school's licence is not paid, so staff, students and programs cannot work for now. The owner can pay in the cabinet's billing section.
state-trial = trial
state-trial-text = The trial is on: everything works.
state-trial_expired = trial ended
state-trial_expired-text = The trial has ended. Staff and students wait until you apply for a plan and pay; you can do it in the cabinet.
state-active = active
state-active-text = The licence is paid: everything works.
state-overdue = payment overdue
state-overdue-text = The paid period has ended. Staff, students and programs are paused until the renewal invoice is paid; paid within 7 days of the period's end, the licence continues without a gap.
state-lapsed = lapsed
state-lapsed-text = The licence has lapsed: the contract has ended. Your data is kept; a payment starts a new contract.
state-terminating = terminating
state-terminating-text = A termination notice is pending; everything works until the contract ends.
state-terminated = terminated
state-terminated-text = The contract has ended.
mail-state-subject = EduCenter licence of "{ $org }": { $state }
mail-state-body =
    Hello, { $name }!

    The licence of "{ $org }" is now: { $state }.

    { $text }

    The EduCenter team
mail-invoice-subject = Invoice { $number } for the EduCenter licence
mail-invoice-body =
    Hello, { $name }!

    Invoice { $number } for { $amount } has been issued for "{ $org }". Please pay it by { $due }; it is in your cabinet's billing section.

    The EduCenter team
mail-reminder-subject = Reminder: invoice { $number } is unpaid
mail-reminder-body =
    Hello, { $name }!

    Invoice { $number } for { $amount } (due { $due }) is not paid yet. The paid period of "{ $org }" ends on { $last_day }; paid within 7 days after that, the licence continues without a gap.

    The EduCenter team
mail-reissue-subject = New invoice { $number } for the EduCenter licence
mail-reissue-body =
    Hello, { $name }!

    Invoice { $old } was not paid within 7 days of the period's end, so the licence of "{ $org }" has lapsed and that invoice is void. A new contract starts with the payment of invoice { $number } for { $amount }, due { $due }.

    The EduCenter team
pricing-title = Plans and prices
pricing-lead = Prices in force today. Residents of Kazakhstan pay in tenge; others may pay in euro or dollars.
pricing-none = The price list is being prepared.
pricing-limits = Up to { $students } students, { $staff } staff, { $courses } courses, { $storage } GB of files.
pricing-term = { $months ->
    [one] { $months } month
   *[other] { $months } months
}
billing-title = Billing
billing-paid-through = Paid through
billing-contract = Contract
billing-credit = Credit balance
billing-periods = Paid periods
billing-from = From
billing-to = To
billing-invoice = Invoice
billing-apply = Apply for a plan
billing-apply-lead = Choose the plan and the term; you will see the invoice before confirming.
billing-continue = Continue
billing-invoices = Invoices
billing-no-invoices = No invoices yet.
billing-issued = Issued
billing-due = Due
billing-amount = Amount
billing-confirm-title = Check the invoice
billing-confirm-lead = This is the invoice your application will issue. Payment is due within 3 business days.
billing-total = Total
billing-confirm = Issue the invoice
billing-back = Change the choice
billing-supplier = Supplier
billing-customer = Customer
billing-bin = BIN
billing-iin = IIN
billing-iik = IIK
billing-bik = BIK
billing-paid = Paid
billing-purpose = Payment purpose: payment for the EduCenter licence under invoice No. { $number }, VAT not applicable.
field-plan = Plan
field-months = Term
field-currency = Currency
field-invoice_number = Invoice number
field-amount = Amount
field-amount-hint = As on the bank statement, e.g. 30 000,00.
field-received_on = Value date
field-reference = Bank reference
error-plan = Choose one of the plans.
error-months = Choose a term the plan is sold for.
error-currency = Choose a currency you may pay in (residents pay in KZT).
error-amount = Give the amount in digits, with at most two decimals, e.g. 30 000,00; at most 100 000 000 000,00.
error-invoice_number = No invoice has this number.
invoice-status-issued = issued
invoice-status-paid = paid
invoice-status-overdue = overdue
invoice-status-void = void
operator-billing = Billing
operator-record-payment = Record a bank transfer
operator-record = Record
operator-all = all
flash-payment-recorded = The payment is recorded.
flash-payment-known = This bank reference was already recorded; nothing was added.
billing-pay-online = Pay by card
sandbox-title = Sandbox payment provider
sandbox-note = This is the test gateway built into EduCenter: no money moves.
sandbox-amount = To pay
sandbox-pay = Pay
sandbox-cancel = Cancel
cabinet-price-change = The prices of plan "{ $plan }" change from { $date }: { $prices }. Periods already paid keep their price.
mail-price-subject = New prices of the EduCenter plan "{ $plan }" from { $effective }
mail-price-body =
    Hello, { $name }!

    The prices of the plan "{ $plan }" that "{ $org }" uses change from { $effective }:
    { $prices }

    Periods already paid keep their price; invoices not yet due keep theirs too. If you disagree, you may refuse the contract in your cabinet.

    The EduCenter team
mail-repriced-subject = Invoice { $old } reissued as { $number } at the new price
mail-repriced-body =
    Hello, { $name }!

    Invoice { $old } of "{ $org }" was not paid by its due date, and the plan's prices have changed since; it is void and replaced by invoice { $number } for { $amount }, due { $due }. Anything already paid against it is credited to the new one.

    The EduCenter team
mail-price-alert-subject = Price change of plan { $plan }: { $unsent } notices unsent
mail-price-alert-body =
    The price change of plan { $plan } decided on { $decided } still has { $unsent } notices that were not delivered 5 days later Check the mail outbox (educenter mail list --state dead) and tell these licensees another way.
metric-students = students
metric-staff = staff members
metric-storage_bytes = bytes of storage
metric-courses = courses
mail-limit-subject = "{ $org }" uses { $level }% of its plan's { $metric }
mail-limit-body =
    Hello, { $name }!

    "{ $org }" now has { $used } { $metric } of the { $limit } its plan allows ({ $level }%). At the limit, adding more is refused until you change the plan or free some; what exists keeps working.

    The EduCenter team
block-reason-illegal_content = illegal content
block-reason-licence_breach = a breach of the licence
block-reason-spam_complaint = spam complaints
block-reason-over_limit = use beyond the plan
mail-blocked-subject = Access to "{ $org }" on EduCenter is blocked
mail-blocked-body =
    Hello, { $name }!

    Access to "{ $org }" is blocked for { $reason }. Your staff, students and programs cannot work and the school's site is closed until the block is lifted; you can still sign in to billing, documents and the contract. To resolve it, write to support: { $support }.

    The EduCenter team

    Access to "{ $org }" is blocked for { $reason }. Your staff, students and programs cannot work until the block is lifted; you can still sign in to billing and documents. Reply to this e-mail to resolve it.

    The EduCenter team
field-reason = Reason
field-email_reference = E-mail reference
field-tenant = School address
field-description = What is invoiced
error-reason = Give the reason, 1 to 500 characters.
refund-title = Record a refund
refund-lead = Only for a contract that ended before its paid period; at most what was paid less the used time at the regular price.
refund-submit = Record the refund
quote-title = Record a quote
quote-lead = A price agreed by e-mail: the invoice is issued at once, and paying it accepts the quote.
quote-submit = Issue the invoice
flash-refund-recorded = The refund is recorded.
flash-quote-recorded = The quote is recorded and its invoice issued.
operator-promotions = Promotions
operator-code = Code
operator-discount = Discount
state-purged = data deleted
state-purged-text = The school's data has been deleted after the retention period.
mail-purge-warning-subject = The data of "{ $org }" will be deleted on { $purge }
mail-purge-warning-body =
    Hello, { $name }!

    The contract of "{ $org }" has ended, and on { $purge } we will delete the school's data:
    — courses, modules and lessons;
    — every uploaded file: videos, audio, documents, covers and the logo;
    — students' accounts, their enrolments, progress and consents;
    — staff accounts;
    — every cabinet sign-in and API token.

    The school's record, contracts, invoices, payments and acts are kept, and your owner account stays so that you can see invoices and documents. The audit trail is kept without personal data.

    If you pay for a licence in the cabinet before { $purge }, nothing will be deleted.

    The EduCenter team

    The licence of "{ $org }" has ended, and its data (courses, students, staff accounts) will be deleted on { $purge }. To keep it, pay for a plan in your cabinet before that day, or export what you need.

    The EduCenter team
mail-purged-subject = The data of "{ $org }" has been deleted
mail-purged-body =
    Hello, { $name }!

    As we warned, on { $purge } the data of "{ $org }" was deleted: courses, files, students and staff. Contracts, invoices, payments and acts are kept, and your account stays so that you can see invoices and documents.

    The EduCenter team

    As announced, the data of "{ $org }" was deleted on { $purge }. Your own account stays so that you can see your invoices and documents.

    The EduCenter team
promotion-title = Create or change a promotion
promotion-lead = A code for applications: a percentage or a fixed amount off the licence, for some plans or all, between two dates. A change notifies nobody.
promotion-submit = Save the promotion
promotion-kind-percent = Percentage
promotion-kind-fixed = Fixed amount
field-code = Code from the e-mail
field-value = Discount
field-value-hint = A percentage from 1 to 100, or an amount such as 10 000,00.
field-plans = Plans
field-plans-hint = Plan codes separated by commas; empty for every plan.
field-valid_from = Valid from
field-valid_to = Valid to
error-code = 2 to 32 Latin letters, digits, hyphens or underscores.
error-value = A percentage from 1 to 100, or a positive amount.
error-kind-promotion = Choose a percentage or a fixed amount.
error-valid_from = Give the first day.
error-valid_to = Give the last day, not before the first.
error-plans = One of these plans does not exist.
flash-promotion-saved = The promotion is saved.
field-promo_kind = Kind of discount
mail-receipt-alert-subject = Unmatched payment { $reference }: rights due by { $deadline }
mail-receipt-alert-body =
    Payment { $reference } of { $amount } from { $payer }, received on { $received }, is still not matched to any invoice. Rights must be granted by the end of { $deadline } (3 business days after receipt). Find the invoice and match the payment under Billing in the back office.
receipt-title = Record money without an invoice
receipt-lead = Money from the bank statement that could not be matched to an invoice at once. Rights are due within 3 business days of receipt: the receipt shows on the billing page with its deadline, and operators get an e-mail one business day before it.
receipt-submit = Record the receipt
field-payer = Payer
field-purpose = Payment purpose
receipts-title = Unmatched money
receipts-lead = Money received without an invoice, by grant deadline. Type the invoice number to match it: the licence period counts from the receipt date.
receipts-none = No unmatched money.
receipts-deadline = Rights due by
receipts-match = Match
receipts-due-soon = due soon
error-match-currency = The invoice is in another currency.
error-match-done = This receipt is already matched.
flash-receipt-recorded = Receipt recorded; it waits to be matched to an invoice.
flash-receipt-matched = Receipt matched to the invoice.
plan-title = New plan
plan-lead = A code, the name in three languages, the limits and the first prices. A blank price is a term not sold; at least one is needed.
plan-submit = Create the plan
field-name_ru = Name (Russian)
field-name_kk = Name (Kazakh)
field-name_en = Name (English)
field-limit_students = Students
field-limit_students-hint = How many students a school may have; 0 for none.
field-limit_staff = Staff
field-limit_staff-hint = Staff seats, the owner included.
field-limit_storage_gb = Storage, GB
field-limit_storage_gb-hint = A whole number of gigabytes (1 GB = 1,000,000,000 bytes; 100 GB shows as 100 GB).
field-limit_courses = Courses
field-limit_courses-hint = How many courses a school may have.
field-effective_from = In force from
field-effective_from-hint = Not before the decision date: prices never change retroactively.
field-decided_on = Decision date
error-limit = Type a whole number, 0 or more.
error-plan-prices = Type at least one price.
error-effective_from = Type a date no earlier than the decision date.
error-decided_on = Type the decision date, not in the future.
error-plan-code = 2 to 32 characters: a-z, 0-9, - and _.
error-plan-name = Type the name, up to 100 characters.
error-plan-exists = A plan with this code exists.
flash-plan-created = Plan created.
price-title = New plan price
price-lead = A new price version with a decision date and a date it takes effect. Every school with a contract on this plan gets an e-mail and a cabinet notice at once; invoices already issued keep their price until they are due.
price-submit = Add the price
flash-price-added = Price added; the plan's schools have been told.
mail-act-subject = Act of services No. { $number } for { $month }
mail-act-body =
    Hello { $name },

    Act of services No. { $number } for { $month }, { $amount }, is published in the { $org } cabinet. Download it under Billing in the cabinet.

    If you disagree with it, object in the cabinet or by e-mail to support by the end of { $deadline }. Without an objection the act is accepted (offer clause 5.9.1).
mail-act-alert-subject = Acts for { $month } not published: { $missing }
mail-act-alert-body =
    By the end of the 5th, { $missing } licensees with licence days in { $month } have no published act. Check the log of the documents.acts job and publish the acts.
mail-act-objection-subject = Objection to act No. { $number } ({ $org })
mail-act-objection-body =
    Licensee { $org } (BIN/IIN { $bin }) objects to act No. { $number } for { $month }:

    { $reason }
documents-title = Documents
documents-settings = Language and address on documents
documents-save = Save
documents-file = File
documents-download-pdf = Download PDF
field-document_lang = Language of invoices and acts
field-address = Address on documents
field-address-hint = The legal or postal address as invoices and acts should print it.
flash-documents-saved = Document settings saved.
acts-title = Acts of services rendered
acts-lead = A month's act is published on the 1st of the next month. If you disagree with it, object within 3 days of publication (a last day off moves to the next business day); without an objection the act is accepted.
acts-none = No acts yet.
acts-month = Month
acts-window = Object by
acts-actions = Actions
acts-copy-paper = Request a paper copy
acts-copy-electronic = Request an electronic copy
acts-object = Object
acts-object-submit = Send the objection
error-act-closed = The objection window of this act has ended, or the act is no longer open to objection.
flash-act-objected = Objection recorded and sent to support.
flash-copy-requested = The request for a copy went to the operator.
act-status-published = published
act-status-objected = objected
act-status-accepted = accepted
operator-documents = Documents
acts-copies = Requests for copies of acts
acts-act = Act
acts-copy-kind = Copy
acts-copy-paper-kind = paper
acts-requested = Requested
acts-email-objection = Objection by e-mail
acts-record = Record
error-objection-email = Give the reason and the e-mail's date, not in the future.
profile-title = The operator's requisites
profile-lead = Printed on every invoice and act. Saving creates a new version; documents already issued keep theirs.
profile-version = version
profile-save = Save a new version
field-bin = BIN
field-bank = Bank
field-iik = IIK (IBAN)
field-bik = BIK
field-kbe = Kbe
field-knp = KNP
field-signer = Signer (position and name)
field-vat_percent = VAT rate, %
field-vat_percent-hint = Empty: not a VAT payer ("Без НДС").
error-vat_percent = A rate from 1 to 30, or empty.
flash-profile-saved = Requisites saved as a new version.
acts-copy-electronic-kind = electronic
acts-copy-done = Sent
flash-copy-done = Copy request marked as done.

## The school's site for students (issue 6)
learner-privacy-consent = I agree that { $school } and the EduCenter platform process my personal data (name, e-mail, learning progress) to give me access to the courses, under the Law of the Republic of Kazakhstan "On personal data and their protection".
learner-marketing-consent = I would like to receive news and offers from { $school } by e-mail (optional; can be withdrawn at any time).
mail-learner-welcome-subject = Welcome to { $school }
mail-learner-welcome-body =
    Hello, { $name }!

    You now have an account at { $school }: { $school_url }

    Please confirm your e-mail address with this link (valid for 7 days):
    { $verify_url }

    { $school }
school-signup-title = Sign up to study
school-signup-lead = Create an account at { $school } to enrol in its courses.
school-signup-submit = Create the account
school-signup-full = The school cannot take new students right now. Please contact the school.
school-have-account = I already have an account
school-login-title = Student sign-in
school-catalogue = Courses
school-catalogue-empty = The school has not published any courses yet.
school-my-courses = My courses
school-my-empty = You are not enrolled in any course yet.
school-progress = Progress
school-done-of = { $done } of { $total } lessons complete
school-course-complete = Course complete
school-enrol = Enrol in this course
school-enrol-by-school = The school enrols students in this course itself.
school-powered-by = Runs on
error-email-taken-school = This e-mail already has an account at this school: sign in or reset the password.
lesson-locked-until = Opens on { $date }.
lesson-locked-previous = Opens when the previous lesson is complete.
lesson-locked-enrol = Enrol in the course to open the lessons.
lesson-done = Complete
lesson-kind-text = text
lesson-kind-video = video
lesson-kind-audio = audio
lesson-kind-file = file
lesson-kind-embed = video link
lesson-captions = Captions
lesson-download = Download
lesson-mark-complete = Mark as complete
lesson-nav = Lessons
flash-student-signed-up = Welcome! Your account is ready; we have sent a link to confirm your e-mail.
flash-enrolled = You are enrolled in the course.
flash-lesson-complete = Lesson complete.
flash-course-complete = Congratulations: the course is complete!
flash-course-created = The course is created.
flash-course-saved = The course is saved.
flash-module-added = The module is added.
flash-lesson-added = The lesson is added.
flash-lesson-deleted = The lesson is in the trash (restorable for 30 days).

## The course editor (issue 6)
courses-title = Courses
courses-list = The school's courses
courses-none = No courses yet: create the first one below.
courses-new = New course
courses-create = Create the course
courses-edit = Edit
courses-progress = Progress
courses-progress-none = No student is enrolled in this course yet.
courses-progress-caption = Lessons complete (✓) and started (…) by each student
courses-student = Student
courses-done = Complete
courses-started = started
courses-student-view = Open on the school's site
courses-content = Modules and lessons
courses-no-modules = Add a module first, then its lessons.
courses-no-lessons = No lessons in this module yet.
courses-optional = optional
courses-move-up = Move up
courses-move-down = Move down
courses-delete = Delete
courses-add-module = Add a module
courses-add-lesson = Add a lesson
courses-file = File of the lesson
courses-file-hint = for a video, audio or file lesson; it uploads as soon as you choose it
courses-captions = Captions (WebVTT, for a video)
courses-upload-progress = Upload progress
courses-settings = Course settings and publishing
courses-save = Save the course
course-status-draft = Draft
course-status-published = Published
course-status-archived = Archived
field-course_title = Title
field-course_description = Description
field-course_status = Status
field-in_order = Lessons open in order (each after the previous one is complete)
field-self_enrol = Students may enrol themselves on the school's site
field-module_title = Module title
field-lesson_module = Module
field-lesson_title = Lesson title
field-lesson_kind = Kind
field-lesson_body = Text (Markdown)
field-lesson_body-hint = **bold**, *italics*, # headings, lists and [links](https://...).
field-embed_url = Video link (YouTube, Vimeo or another host the platform allows)
field-embed_url-hint = For a video link lesson: an https link.
field-available_from = Opens on
field-available_after_days = Opens this many days after enrolment
field-lesson_required = Counts towards completing the course
error-available_after_days = Give a number of days from 0 to 3650.
lesson-preview = This is how students see the lesson (nothing is recorded).
cabinet-school-site = The school's site
students-title = Students
mail-learner-invite-subject = { $school } invites you to study
mail-learner-invite-body =
    Hello, { $name }!

    { $school } has opened an account for you to study online. Set your password with this link (valid for 7 days):
    { $accept_url }

    Then sign in on the school's site: { $school_url }

    { $school }
students-list = The school's students
students-search = Search by name or e-mail
students-none = No students yet.
students-verified = E-mail confirmed
students-add = Add a student
students-add-lead = The student gets an e-mail to set a password and sign in on the school's site.
students-add-submit = Add and invite
students-import = Import from CSV
students-import-lead = A CSV file from a spreadsheet (UTF-8 or Windows-1251, commas or semicolons). The first row names the columns: full_name, email, phone, group (or in Russian or Kazakh: ФИО, E-mail, Телефон, Группа; Аты-жөні, Электрондық пошта, Телефон, Топ). Every row is checked first: if any has a mistake, nothing is imported.
students-import-file = CSV file
students-import-text = Or paste the rows
students-import-submit = Import
students-import-failed = Nothing was imported: { $count } problem(s) to fix.
students-import-row = Row { $row }
students-no-courses = Not enrolled in any course.
students-access = Access
students-enrol = Enrol in a course
students-to-group = Add to a group
groups-title = Groups
groups-none = No groups yet.
groups-create = Create the group
groups-enrol = Enrol a group
field-group = Group
field-group_name = New group
field-course_id = Course
field-group_id = Group
field-access_from = Access from
field-access_to = Access until
flash-student-added = The student is added and invited by e-mail.
flash-students-imported = The students are imported and invited by e-mail.
flash-group-created = The group is created.
flash-student-enrolled = The student is enrolled.
flash-student-grouped = The student is in the group.
flash-group-enrolled = The group is enrolled.

# Issue 6: teachers, covers and logo, trash, group progress, invitations, embed hosts
flash-moved-to-trash = In the trash: it can be restored for 30 days.
flash-restored = Restored from the trash.
flash-teachers-saved = The course's teachers are saved.
flash-logo-saved = The school's logo is saved.
flash-logo-missing = Choose an image file first.
flash-invitation-resent = A new invitation is on its way; the earlier link no longer works.
flash-embed-hosts-saved = The list of allowed hosts is saved.
flash-lesson-saved = The lesson is saved.
error-invalid = Check the data
error-host = Give a host name such as player.example.com.
error-host-known = This host is allowed already.
courses-cover = Cover image
courses-remove-cover = Remove the cover
courses-teachers = Teachers
courses-teachers-hint = A teacher sees and edits only the courses ticked for them; administrators see every course.
courses-teachers-none = The school has no staff with the teacher role yet. Invite them in the cabinet.
courses-delete-course = Delete the course
courses-delete-course-hint = The course goes to the trash with its modules and lessons; it can be restored for 30 days.
courses-edit-lesson = Edit the lesson
courses-replace-file = Replace the file
trash-title = Trash
trash-lead = Deleted courses, modules and lessons stay here for { $days } days, then they are deleted for good.
trash-empty = The trash is empty.
trash-kind = What
trash-deleted-at = Deleted
trash-kind-course = Course
trash-kind-module = Module
trash-kind-lesson = Lesson
trash-restore = Restore
school-logo-title = The school's site
school-logo = Logo (PNG, JPEG, WebP or GIF)
school-remove-logo = Remove the logo
students-not-joined = Has not set a password yet.
students-resend = Send the invitation again
group-progress = Progress of the group
group-progress-none = The group's students are not enrolled in any course yet.
group-not-enrolled = Not enrolled
embeds-title = Embed hosts
embeds-lead = Embed lessons may show players from these hosts only (https). Removing a host hides its players in every school's lessons.
embeds-list = Allowed hosts
embeds-add = Allow a host
embeds-remove = Remove
field-host = Host
field-host-hint = The host name only, e.g. player.example.com
courses-preview = Preview as a student
error-image = Choose a PNG, JPEG, WebP, GIF or AVIF image uploaded to the school.
error-lesson-file = The file does not fit this lesson: a video lesson takes a video, an audio lesson an audio file, and captions must be a WebVTT file.
table-scroll = Table (scrolls sideways on narrow screens)
error-503-title = Temporarily unavailable
error-503-text = This site is not available right now. Please try again later.
blocked-title = Access to the school is blocked
blocked-text = The school is blocked: staff, students and programs cannot work until the block is lifted. The school's owner can still sign in to billing and documents and write to support.
restricted-blocked = The cabinet is blocked. The school's staff, students and programs cannot work and its site is closed. Billing, documents and the contract remain open to you; about the block, write to support: { $support }.
restricted-trial_expired = The trial has ended. Until you apply for a plan and pay for it, staff, students and programs cannot work and the school's site is closed. Choose a plan below.
restricted-overdue = The paid period has ended. Until the renewal invoice is paid, staff, students and programs cannot work and the school's site is closed. Paid within 7 days of the period's end, the licence goes on without a gap.
restricted-lapsed = The licence has ended for lack of payment. Staff, students and programs cannot work and the school's site is closed. Paying for a new licence brings access back.
restricted-lapsed-purge = The licence has ended for lack of payment. Staff, students and programs cannot work and the school's site is closed. Paying for a new licence brings access back; without it the school's data will be deleted on { $purge }.
restricted-terminated = The contract has ended. Staff, students and programs cannot work and the school's site is closed.
restricted-terminated-purge = The contract has ended. Staff, students and programs cannot work and the school's site is closed. The school's data is kept until { $purge }, then deleted.
restricted-purged = The contract has ended and the school's data has been deleted. Invoices, payments and acts remain available.
cabinet-contract-open = Open the contract section
field-support_email = Support e-mail
mail-blocked-silent-subject = The "{ $org }" cabinet on EduCenter is blocked
mail-blocked-silent-body =
    Hello, { $name }!

    The "{ $org }" cabinet is blocked. Your staff, students and programs cannot work and the school's site is closed until the block is lifted; you can still sign in to billing, documents and the contract. About the block, write to support: { $support }.

    The EduCenter team
mail-unblocked-subject = Access to "{ $org }" on EduCenter is restored
mail-unblocked-body =
    Hello, { $name }!

    The block over "{ $org }" is lifted: staff, students and programs can work again and the school's site is open.

    The EduCenter team
mail-terminated-breach-subject = The contract of "{ $org }" is terminated
mail-terminated-breach-body =
    Hello, { $name }!

    EduCenter terminates the licence contract of "{ $org }" for a breach of the licence terms (clause 2.8 of the offer). Grounds: { $grounds }

    The contract was in force through { $ended }. The cabinet is closed except billing, documents and the contract. The school's data is kept until { $purge }, then deleted; invoices, payments and acts are kept.

    Questions can go to support: { $support }.

    The EduCenter team
operator-blocked-since = Blocked since { $since }: { $reason }.
operator-compliance = Blocking and termination
operator-no-blocks = The school is not blocked.
operator-unblock = Lift the block
operator-block = Block the school
operator-block-submit = Block
operator-terminate = Terminate the contract for a licence breach
operator-terminate-lead = The contract ends today (clause 2.8 of the offer). The owner is e-mailed the grounds; the school's data is kept for 60 days, then deleted.
operator-terminate-submit = Terminate the contract
operator-compliance-role = Blocking a school, lifting a block and terminating the contract are for the compliance officer.
field-note = Internal note
field-note-hint = Only the operator's staff see it; the school never does.
field-grounds = Grounds of the termination
field-grounds-hint = It is e-mailed to the school's owner.
error-compliance-conflict = This cannot be done now: the school's state has changed. Reload the page.
flash-tenant-blocked = The school is blocked; the owner is e-mailed.
flash-tenant-unblocked = The block is lifted.
flash-tenant-terminated = The contract is terminated; the owner is e-mailed.
trial-plan-title = Trial plan
trial-plan-lead = Trials run under this plan's limits: students, staff, courses and storage.
trial-plan-submit = Save
trial-plan-builtin = Built-in limits: 100 students, 5 staff, 10 courses, 5 GB
flash-trial-plan-saved = The trial plan is saved.
billing-due-provisional = provisional: this year's business calendar is not loaded yet, so the date counts Monday to Friday without the year's transfers
operator-calendar-gap = The business calendar for { $year } is not loaded: dates that reach it are counted provisionally (Monday to Friday without transfers).
operator-calendar-load = Load the calendar
mail-calendar-gap-subject = The business calendar for { $year } is not loaded
mail-calendar-gap-body =
    Hello,

    A date calculation reached { $year }, and no business calendar is loaded for that year. Until it is, dates are counted provisionally: Monday to Friday minus the fixed-date holidays, without transfers or Kurban Ait, and marked provisional (invoices included).

    Load the calendar in the back office: the business calendar, year { $year }.

    EduCenter
mail-service-price-subject = New prices of the EduCenter service "{ $service }" from { $effective }
mail-service-price-body =
    Hello, { $name }!

    The prices of the service "{ $service }" that "{ $org }" ordered change from { $effective }: { $prices } per unit.

    Services already paid keep their price, as do invoices not yet due. If you disagree, you may give notice of termination in the cabinet.

    The EduCenter team
mail-service-price-alert-subject = Price change of the service { $service }: { $unsent } notices unsent
mail-service-price-alert-body = For the price change of the service { $service } decided on { $decided }, { $unsent } notices are still undelivered after 5 days. Check the mail queue (educenter mail list --state dead) and tell these licensees another way.
cabinet-service-price-change = The prices of the service "{ $service }" change from { $date }: { $prices } per unit.
service-price-title = New service price
service-price-lead = A new version of an additional service's price with its decision and effective dates. Every school that ordered the service gets an e-mail and a cabinet notice at once; invoices already issued keep their price.
service-price-submit = Add the price
field-service = Service
error-service = Choose a service with a list price (a price on request is agreed by e-mail).
cabinet-api-write = Allow changes through the API
cabinet-api-write-lead = While changes through the API are off, new tokens only read, and read-write tokens act as read-only. Every change made with a token is logged with the token's id.
cabinet-api-write-off = Changes through the API are off: tokens only read. The school's owner can switch them on.
flash-api-write-on = Changes through the API are allowed.
flash-api-write-off = Changes through the API are off: every token now only reads.
school-privacy-title = Privacy policy
school-privacy-agree = I have read the privacy policy of { $school } and agree to the processing of my personal data on its terms.
school-profile-title = Profile
school-consents = My consents
school-consent-privacy = Consent to the processing of personal data given on { $given }.
school-consent-privacy-withdrawn = Consent to the processing of personal data given on { $given }, withdrawn on { $withdrawn }.
school-consent-marketing = Consent to the school's mailings given on { $given }.
school-consent-marketing-withdrawn = Consent to the school's mailings given on { $given }, withdrawn on { $withdrawn }.
school-marketing-lead = You can stop the school's advertising and news mailings at any time. Messages about your courses, password and sign-in keep coming.
school-marketing-withdraw = Stop the mailings
school-marketing-none = You do not get the school's mailings.
flash-marketing-withdrawn = You no longer get the school's mailings.
privacy-edit-title = Privacy policy for students
privacy-edit-lead = The school controls its students' personal data. Here is its own text that students accept when they sign up; each new version gets a number, and a student's consent keeps the number of the version they saw. Without a text of its own, students see the platform's standard text.
privacy-edit-version = Version { $version }
privacy-edit-default = Students see the platform's standard text now
privacy-edit-submit = Save a new version
privacy-edit-history = Versions
field-text = Text
field-text-hint = 20 to 20 000 characters; separate paragraphs with a blank line.
login-code-sent = Too many failed sign-ins with this e-mail. If the password is right, we e-mailed it a code: enter the password and the code.
field-code-hint = Six digits; the code works for 15 minutes.
mail-login-code-subject = Your EduCenter sign-in code
mail-login-code-body =
    Hello,

    There were many failed sign-ins with your e-mail, so signing in now needs a code: { $code }

    It works for { $minutes } minutes. Enter it with your password. If it was not you, consider changing your password: without the code in this message nobody gets into the account.

    The EduCenter team
login-choose-title = Choose the school
login-choose-lead = This e-mail and password sign in to several schools. Where to?
students-import-row-error = Row { $row }, "{ $column }": { $why }
field-csv = Row
