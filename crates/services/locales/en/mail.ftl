# E-mails: subjects and bodies. Bodies are plain text; keep lines short.

mail-access-subject = Your EduCenter cabinet: { $org }
mail-access-body =
    Hello, { $name }!

    The cabinet of "{ $org }" on EduCenter has been created. The trial lasts until { $trial_ends } inclusive; you can apply for a plan until { $deadline } inclusive.

    Please confirm your e-mail address with this link (valid for 7 days):
    { $verify_url }

    Sign in to the cabinet: { $login_url }
    Your login: { $email } and the password you chose at sign-up.

    The school's site for students: { $school_url }

    The EduCenter team
mail-invite-subject = Invitation to the "{ $org }" cabinet on EduCenter
mail-invite-body =
    Hello, { $name }!

    You have been invited to the "{ $org }" cabinet on EduCenter as { $role }.

    To accept, set your password with this link (valid for 7 days):
    { $accept_url }

    Your login: { $email }

    The EduCenter team
mail-offer-subject = New version No. { $number } of the EduCenter offer
mail-offer-body =
    Hello, { $name }!

    On { $published } a new version of the EduCenter licence offer (No. { $number }) was published.

    What changed: { $summary }

    If you disagree, object in your cabinet until { $deadline } inclusive; the contract then ends after 10 business days on the previous terms. Without an objection the new version is deemed accepted.

    The EduCenter team
mail-reset-subject = EduCenter password reset: { $school }
mail-reset-body =
    Hello, { $name }!

    To set a new password for "{ $school }", follow this link (it works for 1 hour, once):
    { $reset_url }

    If you did not ask for a reset, ignore this message: your password stays as it is.

    The EduCenter team
mail-refusal-subject = Refusal of the EduCenter licence: { $org }
mail-refusal-body =
    Hello, { $name }!

    We have recorded your written refusal of the licence for "{ $org }" during the trial. Access to the cabinet is closed.

    The school's data is kept until { $purge }, then deleted; we will remind you before that. To resume, write to support before that day: { $support }.

    The EduCenter team
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
mail-price-alert-body = The price change of plan { $plan } decided on { $decided } still has undelivered notices 5 days later: { $unsent }. Check the failed e-mails under Operations in the back office and tell these licensees another way.
mail-limit-subject = "{ $org }" uses { $level }% of its plan's { $metric }
mail-limit-body =
    Hello, { $name }!

    "{ $org }" now has { $used } { $metric } of the { $limit } its plan allows ({ $level }%). At the limit, adding more is refused until you change the plan or free some; what exists keeps working.

    The EduCenter team
mail-blocked-subject = Access to "{ $org }" on EduCenter is blocked
mail-blocked-body =
    Hello, { $name }!

    Access to "{ $org }" is blocked for { $reason }. Your staff, students and programs cannot work and the school's site is closed until the block is lifted; you can still sign in to billing, documents and the contract. To resolve it, write to support: { $support }.

    The EduCenter team
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
mail-purged-subject = The data of "{ $org }" has been deleted
mail-purged-body =
    Hello, { $name }!

    As we warned, on { $purge } the data of "{ $org }" was deleted: courses, files, students and staff. Contracts, invoices, payments and acts are kept, and your account stays so that you can see invoices and documents.

    The EduCenter team
mail-receipt-alert-subject = Unmatched payment { $reference }: rights due by { $deadline }
mail-receipt-alert-body =
    Payment { $reference } of { $amount } from { $payer }, received on { $received }, is still not matched to any invoice. Rights must be granted by the end of { $deadline } (3 business days after receipt). Find the invoice and match the payment under Billing in the back office.
mail-act-subject = Act of services No. { $number } for { $month }
mail-act-body =
    Hello, { $name }!

    Act of services No. { $number } for { $month }, { $amount }, is published in the cabinet of "{ $org }". It is under Documents in the cabinet: { $documents_url }

    If you disagree with it, object there or by e-mail to support ({ $support }) by the end of { $deadline }. Without an objection the act is accepted (offer clause 5.9.1).

    The EduCenter team
mail-act-alert-subject = Acts for { $month } not published: { $missing }
mail-act-alert-body = By the end of the 5th, { $missing } licensees with licence days in { $month } have no published act. Check the failed jobs under Operations in the back office and publish the acts.
mail-act-objection-subject = Objection to act No. { $number } ({ $org })
mail-act-objection-body =
    Licensee { $org } (BIN/IIN { $bin }) objects to act No. { $number } for { $month }:

    { $reason }
mail-learner-welcome-subject = Welcome to { $school }
mail-learner-welcome-body =
    Hello, { $name }!

    You now have an account at { $school }: { $school_url }

    Please confirm your e-mail address with this link (valid for 7 days):
    { $verify_url }

    { $school }

    --
    Powered by EduCenter
mail-learner-invite-subject = { $school } invites you to study
mail-learner-invite-body =
    Hello, { $name }!

    { $school } has opened an account for you to study online. Set your password with this link (valid for 7 days):
    { $accept_url }

    Then sign in on the school's site: { $school_url }

    { $school }

    --
    Powered by EduCenter
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
mail-service-price-alert-body = For the price change of the service { $service } decided on { $decided }, { $unsent } notices are still undelivered after 5 days. Check the failed e-mails in the back office (Operations, /operator/operations) and tell these licensees another way.
mail-login-code-subject = Your EduCenter sign-in code
mail-login-code-body =
    Hello,

    There were many failed sign-ins with your e-mail, so signing in now needs a code: { $code }

    It works for { $minutes } minutes. Enter it with your password. If it was not you, consider changing your password: without the code in this message nobody gets into the account.

    The EduCenter team
mail-operator-invite-subject = An invitation to the EduCenter back office
mail-operator-invite-body =
    Hello, { $name }!

    You have been invited to the EduCenter back office as { $role }.

    To accept, set your password with this link (valid for 7 days):
    { $accept_url }

    Then sign in at { $login_url } with the e-mail { $email }.

    The EduCenter team
mail-verify-subject = Confirm your e-mail address on EduCenter
mail-verify-body =
    Hello, { $name }!

    Please confirm your e-mail address with this link (valid for 7 days; the earlier links no longer work):
    { $verify_url }

    The EduCenter team
mail-learner-verify-subject = Confirm your e-mail at { $school }
mail-learner-verify-body =
    Hello, { $name }!

    Confirm your e-mail address with this link (it works for 7 days; earlier links no longer work):
    { $verify_url }

    { $school }

    --
    Powered by EduCenter
mail-learner-reset-subject = Password reset: { $school }
mail-learner-reset-body =
    Hello, { $name }!

    To set a new password for { $school }'s site, follow this link (it works for 1 hour and only once):
    { $reset_url }

    If you did not ask for a reset, ignore this e-mail: your password stays as it is.

    { $school }

    --
    Powered by EduCenter
mail-trial-changed-subject = The trial of { $org } has changed
mail-trial-changed-body =
    Hello!

    The EduCenter operator has changed the trial of { $org }: its last day is { $trial_ends }, and an application for a plan can be made until { $deadline }.

    Reason: { $reason }

    The EduCenter team
mail-backup-warning-subject = No backup for { $hours } hours
mail-backup-critical-subject = CRITICAL: no backup for { $hours } hours, past the contract's 72
mail-backup-overdue-body =
    Since { $since } (Almaty time) no backup of the platform has succeeded: { $hours } hours have passed. The contract requires a backup at least every 72 hours.

    See the runs and their errors in the back office (Operations) and start a backup: educenter backup run.
mail-backup-drill-failed-subject = The backup restore drill failed
mail-backup-drill-failed-body =
    The monthly drill restored the newest backup set into a scratch database and found differences:

    { $problems }

    Details in the back office (Operations); to repeat: educenter backup verify.
mail-security-mfa-on-subject = Two-step sign-in is on for your EduCenter account
mail-security-mfa-on-body =
    Hello, { $name }.

    Two-step sign-in was switched on for your account on { $when } (Almaty time) from { $ip } ({ $device }). From now on, signing in needs a code from your authenticator app as well as the password.

    If it was not you, reset your password at once and write to support.

    The EduCenter team
mail-security-mfa-off-subject = Two-step sign-in is off for your EduCenter account
mail-security-mfa-off-body =
    Hello, { $name }.

    Two-step sign-in was switched off for your account on { $when } (Almaty time) from { $ip } ({ $device }). Signing in now needs only the password.

    If it was not you, reset your password at once and write to support.

    The EduCenter team
mail-security-recovery-renewed-subject = New recovery codes for your EduCenter account
mail-security-recovery-renewed-body =
    Hello, { $name }.

    New recovery codes were made for your account on { $when } (Almaty time) from { $ip } ({ $device }); the old ones no longer work.

    If it was not you, reset your password at once and write to support.

    The EduCenter team
mail-security-recovery-used-subject = A recovery code signed in to your EduCenter account
mail-security-recovery-used-body =
    Hello, { $name }.

    Someone signed in to your account with a recovery code on { $when } (Almaty time) from { $ip } ({ $device }). Recovery codes left: { $left }.

    If it was not you, reset your password at once, make new recovery codes and write to support.

    The EduCenter team
mail-security-new-device-subject = A sign-in to your EduCenter account from a new device
mail-security-new-device-body =
    Hello, { $name }.

    Your account was signed in to from a device it was not used on before, on { $when } (Almaty time) from { $ip } ({ $device }).

    If it was you, nothing needs doing. If not, end that session on the Security page, reset your password and switch on two-step sign-in.

    The EduCenter team
mail-deletion-subject = The EduCenter account of { $org } is being deleted
mail-deletion-body =
    Hello, { $name }.

    You asked to delete the school's account of { $org }. The contract has ended by agreement today, and your staff and students can no longer sign in. All the school's data (courses, files, students, staff) will be deleted for good on { $purge }; invoices, acts and payments are kept as the law requires.

    Changed your mind? Sign in before { $purge } and undo the deletion on the contract page of the cabinet.

    The EduCenter team
mail-export-ready-subject = The export of your school is ready
mail-export-ready-body =
    Hello, { $name }.

    The export of your school's data is ready. Download the ZIP here (the link works until { $until }):
    { $link }

    The EduCenter team
mail-security-mfa-reset-subject = Your EduCenter two-step sign-in was reset
mail-security-mfa-reset-body =
    Hello, { $name }.

    Your administrator reset your two-step sign-in on { $when } (Almaty time), and every session of yours has ended. Sign in with your password and set it up again with your authenticator app.

    If you did not ask for this, tell your administrator at once.

    The EduCenter team

mail-report-received-subject = Your report { $number } is received
mail-report-received-body =
    Hello.

    We have received your report { $number } about the content of the school "{ $school }" on EduCenter. Our staff will look into it and will write to this address if they need to.

    The EduCenter team

mail-complaint-disclosure-subject = Who the school is, in answer to your complaint { $number }
mail-complaint-disclosure-body =
    Hello.

    In answer to your complaint { $number } about a mailing sent to you without your consent, here is who sent it: a licensee of the EduCenter platform. The licensee alone answers for such mailings.

    Name: { $legal_name }
    BIN/IIN: { $bin_iin }
    Address: { $address }
    Head: { $owner }
    E-mail: { $owner_email }
    Phone: { $owner_phone }

    The EduCenter team

mail-force-majeure-subject = Force majeure at EduCenter
mail-force-majeure-body =
    Hello, { $name }.

    Since { $onset }, the EduCenter platform has been hit by circumstances beyond its control (force majeure):

    { $description }

    We are working to limit the effects and will tell you when they are over. You may ask for supporting documents in your cabinet, under "Contract", or by writing to { $support }.

    The EduCenter team

mail-fm-evidence-subject = Please send evidence of the force majeure
mail-fm-evidence-body =
    Hello, { $name }.

    You told us of circumstances beyond your control that began on { $onset }. Please attach supporting documents (such as a certificate of the competent authority) to your notice in your cabinet, under "Contract".

    { $note }

    Questions: { $support }.

    The EduCenter team

mail-fm-notice-subject = Force majeure notice from { $org }
mail-fm-notice-body =
    The school "{ $org }" has given notice of circumstances beyond its control.

    Onset: { $onset }
    Deadline for the notice: { $deadline }
    Notice: { $late }

    { $description }

mail-fm-evidence-asked-subject = { $org } asks for evidence of the force majeure
mail-fm-evidence-asked-body =
    The school "{ $org }" asks for supporting documents of the circumstances beyond the platform's control that began on { $onset }.

    { $note }

mail-fm-late = late
mail-fm-in-time = in time
