//! Licensee sign-up (R-4.1a, R-2.2a), e-mail verification (R-2.2b), passwords and single-use
//! e-mailed tokens.

use educenter_domain::ids::{TenantId, UserId};
use educenter_domain::roles::AccountKind;
use educenter_domain::roles::TokenPurpose;
use educenter_domain::roles::{Role, TenantRole};
use educenter_domain::{
    clock::local_date,
    iin::IinBin,
    tenancy::{
        LicenseeKind, application_deadline, check_password, check_slug, is_clean_text,
        normalise_phone, trial_ends_on,
    },
};
use educenter_store::{
    accounts::{self, NewUser, User},
    audit::{self, Actor, Entry, Origin},
    calendar, offers,
    outbox::{self, NewMail},
    tenancy::{self, NewAcceptance, NewTenant},
};
use fluent_bundle::FluentArgs;
use jiff::SignedDuration;
use sha2::{Digest, Sha256};

use crate::{
    Msg, ServiceError, Services,
    i18n::{Lang, format_date},
};

/// How long an e-mail verification link stays valid (R-2.2b).
pub const VERIFY_EMAIL_VALIDITY: SignedDuration = SignedDuration::from_hours(7 * 24);

/// Seeds what the product needs before it serves: offer version 1 and the shipped years of the
/// business calendar (never replacing an operator's edits).
pub async fn prepare(services: &Services) -> anyhow::Result<()> {
    offers::seed_first(&services.db).await?;
    calendar::seed_missing(&services.db, services.clock.now()).await?;
    Ok(())
}

/// At most this many password hashes at once (each takes 19 MiB and a core for a moment), so
/// a burst of sign-ins queues instead of exhausting memory.
fn hashing() -> &'static tokio::sync::Semaphore {
    static PERMITS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);
    &PERMITS
}

/// Hashes a password with argon2id (m = 19456 KiB, t = 2, p = 1) off the async runtime.
pub async fn hash_password(password: String) -> Result<String, ServiceError> {
    let _permit = hashing()
        .acquire()
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        use argon2::{Algorithm, Argon2, Params, PasswordHasher, Version};
        let params = Params::new(19_456, 2, 1, None).map_err(|e| e.to_string())?;
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| ServiceError::Internal(e.to_string()))?
    .map_err(ServiceError::Internal)
}

/// Checks a password against a stored hash, off the async runtime.
/// A person's own password typed again to confirm an action (deleting an account): 422 naming
/// `password` when it is wrong or the account has none.
pub(crate) async fn confirm_password(
    user: &educenter_store::accounts::User,
    password: &str,
) -> Result<(), ServiceError> {
    let right = match user.password_hash.clone() {
        Some(hash) => verify_password(password.to_owned(), hash).await,
        None => false,
    };
    if right {
        Ok(())
    } else {
        Err(crate::invalid("password", Msg::new("err-password-wrong")))
    }
}

pub async fn verify_password(password: String, hash: String) -> bool {
    let Ok(_permit) = hashing().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        use argon2::{Argon2, PasswordHash, PasswordVerifier};
        PasswordHash::new(&hash).is_ok_and(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

/// A new secret for a link (256 random bits, hex) and the hash that is stored.
pub fn new_secret() -> Result<(String, String), ServiceError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let secret = hex::encode(bytes);
    let hash = hash_secret(&secret);
    Ok((secret, hash))
}

pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// What a licensee sends to sign up.
#[derive(Debug, Clone)]
pub struct SignupInput {
    pub organization_name: String,
    pub kind: String,
    pub bin_iin: String,
    pub resident: bool,
    pub owner_full_name: String,
    pub owner_email: String,
    pub owner_phone: String,
    pub owner_password: String,
    pub slug: String,
    pub accept_offer: bool,
    /// The language the person signed up in: of their e-mails and their cabinet.
    pub locale: Lang,
}

/// A new licensee.
#[derive(Debug, Clone)]
pub struct Signup {
    pub tenant_id: TenantId,
    pub slug: String,
    pub owner_id: UserId,
    pub trial_ends_on: jiff::civil::Date,
    pub application_deadline: jiff::civil::Date,
}

fn validate(input: &SignupInput) -> Result<(LicenseeKind, String, String), ServiceError> {
    let mut errors: Vec<(String, Msg)> = Vec::new();
    let mut err = |field: &str, message: Msg| errors.push((field.to_owned(), message));
    let name = input.organization_name.trim();
    if let Some(m) = Msg::text_error(name, 1, 200, false) {
        err("organization.name", m);
    }
    let kind = LicenseeKind::parse(&input.kind);
    if kind.is_none() {
        err(
            "organization.kind",
            Msg::one_of(&["individual", "sole_proprietor", "legal_entity"]),
        );
    }
    let bin_iin = input.bin_iin.trim();
    if input.resident {
        if let Err(e) = IinBin::parse(bin_iin) {
            err("organization.bin_iin", e.into());
        }
    } else if bin_iin.is_empty()
        || bin_iin.len() > 32
        || !bin_iin
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        err("organization.bin_iin", Msg::new("err-foreign-tax-number"));
    }
    let full_name = input.owner_full_name.trim();
    if let Some(m) = Msg::text_error(full_name, 1, 200, false) {
        err("owner.full_name", m);
    }
    let email = input.owner_email.trim().to_lowercase();
    if email.len() > 254 || !educenter_domain::tenancy::valid_email(&email) {
        err("owner.email", Msg::email());
    }
    let phone = normalise_phone(&input.owner_phone);
    if phone.is_none() {
        err("owner.phone", Msg::phone());
    }
    if let Err(e) = check_password(&input.owner_password, &email) {
        err("owner.password", e.into());
    }
    if let Err(e) = check_slug(&input.slug) {
        err("slug", e.into());
    }
    if !input.accept_offer {
        err("accept_offer", Msg::new("err-accept-offer"));
    }
    match (kind, phone, errors.is_empty()) {
        (Some(kind), Some(phone), true) => Ok((kind, email, phone)),
        _ => Err(ServiceError::Invalid(errors)),
    }
}

/// Signs up a licensee: in one transaction the tenant in its trial, the owner, the contract,
/// the acceptance by checkbox, the trial claims and the access e-mail with a verification
/// link. Bad input changes nothing.
pub async fn signup_licensee(
    services: &Services,
    input: SignupInput,
    origin: Origin,
) -> Result<Signup, ServiceError> {
    let (kind, email, phone) = validate(&input)?;
    let password_hash = hash_password(input.owner_password.clone()).await?;
    let now = services.clock.now();
    let created_on = local_date(now);
    let trial_ends = trial_ends_on(created_on);
    let cal = educenter_store::calendar::load(&services.db).await?;
    let deadline_at = application_deadline(&cal, created_on);
    let deadline = deadline_at.date;
    let bin_iin = input.bin_iin.trim().to_owned();
    let slug = input.slug.clone();

    let mut tx = services.db.begin().await?;
    if tenancy::by_slug(&mut tx, &slug).await?.is_some() {
        return Err(ServiceError::Taken(
            "slug".into(),
            Msg::new("err-slug-taken").text("slug", slug),
        ));
    }
    // One trial per IIN/BIN, e-mail and phone.
    let claims = [
        ("bin_iin", bin_iin.as_str()),
        ("email", email.as_str()),
        ("phone", phone.as_str()),
    ];
    let taken = tenancy::claimed(&mut tx, &claims).await?;
    if !taken.is_empty() {
        return Err(ServiceError::Conflict(
            Msg::new("err-trial-used").key("what", format!("err-claim-{}", taken[0])),
        ));
    }
    let offer = offers::current(&mut tx, now)
        .await?
        .ok_or_else(|| ServiceError::Internal("no offer version is published".into()))?;

    crate::calendar::note_gaps(&mut tx, &cal, created_on, deadline, now).await?;
    let tenant_id = tenancy::create(
        &mut tx,
        &NewTenant {
            slug: &slug,
            name: input.organization_name.trim(),
            kind,
            bin_iin: &bin_iin,
            resident: input.resident,
            locale: input.locale.code(),
            created_at: now,
            trial_ends_on: trial_ends,
            application_deadline: deadline,
        },
    )
    .await
    .map_err(|e| match e.taken_field() {
        // Taken by a sign-up at the same moment: the same answer as a slug taken before.
        Some("slug") => ServiceError::Taken(
            "slug".into(),
            Msg::new("err-slug-taken").text("slug", &slug),
        ),
        _ => e.into(),
    })?;
    let owner_id = accounts::create(
        &mut tx,
        &NewUser {
            tenant_id: Some(&tenant_id),
            kind: AccountKind::Owner,
            role: Role::School(TenantRole::Owner),
            email: &email,
            full_name: input.owner_full_name.trim(),
            phone: Some(&phone),
            password_hash: Some(&password_hash),
            locale: input.locale.code(),
            created_at: now,
        },
    )
    .await?;
    for (kind, value) in claims {
        tenancy::claim_trial(&mut tx, &tenant_id, kind, value)
            .await
            .map_err(|e| conflict_on_unique(e, &slug))?;
    }
    tenancy::start_contract(&mut tx, &tenant_id, offer.number, now).await?;
    tenancy::accept(
        &mut tx,
        &NewAcceptance {
            tenant_id: &tenant_id,
            user_id: Some(&owner_id),
            offer_version: offer.number,
            method: educenter_domain::tenancy::AcceptanceMethod::Checkbox,
            ip: origin.ip.as_deref(),
            user_agent: origin.user_agent.as_deref(),
        },
        now,
    )
    .await?;

    let (secret, token_hash) = new_secret()?;
    accounts::create_token(
        &mut tx,
        &token_hash,
        TokenPurpose::VerifyEmail,
        &owner_id,
        Some(&tenant_id),
        now,
        now + VERIFY_EMAIL_VALIDITY,
    )
    .await?;
    let lang = input.locale;
    let mut args = FluentArgs::new();
    args.set("name", input.owner_full_name.trim().to_owned());
    args.set("org", input.organization_name.trim().to_owned());
    args.set("email", email.clone());
    args.set("trial_ends", format_date(lang, trial_ends));
    args.set("deadline", format_date(lang, deadline));
    args.set(
        "verify_url",
        format!("{}/verify-email?token={secret}", services.public_url),
    );
    // Where to sign in, and the school's site its students will use.
    args.set("login_url", services.login_url());
    args.set("school_url", services.school_url(&slug));
    let mail = NewMail {
        to: email.clone(),
        subject: services.i18n.t_args(lang, "mail-access-subject", &args),
        text: services.i18n.t_args(lang, "mail-access-body", &args),
        html: None,
        class: outbox::MailClass::Transactional,
    };
    outbox::queue(&mut tx, &mail, now).await?;
    let entry = Entry::new(Actor::Anonymous, "tenant.signup")
        .tenant(tenant_id.clone())
        .target("tenant", tenant_id.clone())
        .origin(origin)
        .details(serde_json::json!({
            "slug": slug,
            "kind": kind.as_str(),
            "owner": owner_id,
            "offer_version": offer.number,
            "trial_ends_on": trial_ends.to_string(),
        }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(Signup {
        tenant_id,
        slug,
        owner_id,
        trial_ends_on: trial_ends,
        application_deadline: deadline,
    })
}

/// A concurrent sign-up that took the same trial claim (IIN/BIN, e-mail or phone, A-22) between
/// our check and our insert (a slug taken so is [`ServiceError::Taken`]).
fn conflict_on_unique(e: educenter_store::StoreError, slug: &str) -> ServiceError {
    if e.is_unique_violation() {
        ServiceError::Conflict(Msg::new("err-signup-race").text("slug", slug))
    } else {
        e.into()
    }
}

/// How following an e-mailed password link ended (an invitation or a password reset).
#[derive(Debug)]
pub enum PasswordLink {
    /// `learner`: a school's student, who signs in on the school's site; `operator`: the
    /// operator's staff, who sign in to the back office.
    Accepted {
        email: String,
        slug: String,
        learner: bool,
        operator: bool,
    },
    Expired,
    AlreadyUsed,
    Unknown,
}

/// Sets a password through a single-use e-mailed link of `purpose` (an invitation or a
/// password reset). Setting it verifies the e-mail; a reset also ends every session.
pub async fn set_password_by_link(
    services: &Services,
    purpose: TokenPurpose,
    secret: &str,
    password: &str,
    origin: Origin,
) -> Result<PasswordLink, ServiceError> {
    let hash = hash_secret(secret.trim());
    let now = services.clock.now();
    let mut conn = services.db.conn().await?;
    let Some(token) = accounts::find_token(&mut conn, &hash)
        .await?
        .filter(|t| t.purpose == purpose)
    else {
        return Ok(PasswordLink::Unknown);
    };
    if token.used_at.is_some() {
        return Ok(PasswordLink::AlreadyUsed);
    }
    if now > token.expires_at {
        return Ok(PasswordLink::Expired);
    }
    let Some(user) = accounts::get(&mut conn, &token.user_id)
        .await?
        .filter(|u| u.removed_at.is_none())
    else {
        return Ok(PasswordLink::Unknown);
    };
    drop(conn);
    if let Err(e) = check_password(password, &user.email) {
        return Err(ServiceError::Invalid(vec![("password".into(), e.into())]));
    }
    let password_hash = hash_password(password.to_owned()).await?;
    let mut tx = services.db.begin().await?;
    if !accounts::use_token(&mut tx, &hash, now).await? {
        return Ok(PasswordLink::AlreadyUsed);
    }
    accounts::set_password(&mut tx, &user.id, &password_hash, now).await?;
    // A reset shuts out whoever knew the old password: sessions, API tokens and any other
    // reset link end.
    let sessions_ended = if purpose == TokenPurpose::ResetPassword {
        educenter_store::tokens::revoke_all_of(&mut tx, &user.id, now).await?;
        accounts::use_all_tokens(&mut tx, &user.id, TokenPurpose::ResetPassword, now).await?;
        educenter_store::sessions::revoke_all(&mut tx, &user.id, now).await?
    } else {
        0
    };
    let slug = match &user.tenant_id {
        Some(t) => tenancy::get_in(&mut tx, t)
            .await?
            .map(|t| t.slug)
            .unwrap_or_default(),
        None => String::new(),
    };
    let action = if purpose == TokenPurpose::Invitation && user.kind == AccountKind::Learner {
        "learner.accept_invitation"
    } else if purpose == TokenPurpose::Invitation && user.kind == AccountKind::Operator {
        "operator.accept_invitation"
    } else if purpose == TokenPurpose::Invitation {
        "staff.accept_invitation"
    } else {
        "auth.password_reset"
    };
    let mut entry = Entry::new(
        Actor::Principal {
            kind: user.kind.as_str().to_owned(),
            id: user.id.to_string(),
        },
        action,
    )
    .target("user", user.id.clone())
    .origin(origin)
    .details(serde_json::json!({ "sessions_ended": sessions_ended }));
    if let Some(t) = &user.tenant_id {
        entry = entry.tenant(t.clone());
    }
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(PasswordLink::Accepted {
        learner: user.kind == AccountKind::Learner,
        operator: user.kind == AccountKind::Operator,
        email: user.email,
        slug,
    })
}

/// The signed-in person's account and school (404 once the account is removed).
pub async fn me(
    services: &Services,
    who: &crate::access::Principal,
) -> Result<(User, Option<tenancy::Tenant>), ServiceError> {
    let mut conn = services.db.conn().await?;
    let user = accounts::get(&mut conn, &who.user_id)
        .await?
        .filter(|u| u.removed_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-account-gone")))?;
    let tenant = match &who.tenant_id {
        Some(id) => tenancy::get_in(&mut conn, id).await?,
        None => None,
    };
    Ok((user, tenant))
}

/// How long a password-reset link stays valid.
pub const RESET_VALIDITY: SignedDuration = SignedDuration::from_hours(1);

/// Reset requests allowed per account: 3, then one more every 20 minutes.
const RESET_BUCKET: educenter_store::sessions::Bucket = educenter_store::sessions::Bucket {
    capacity: 3,
    refill: SignedDuration::from_secs(20 * 60),
};

/// Sends a password-reset link to each account of the e-mail (in the named school, or, without
/// one, in every school and among operator staff: each link names its school); answers the same
/// either way, so the answer says nothing about which e-mails have accounts.
pub async fn request_password_reset(
    services: &Services,
    email: &str,
    tenant_slug: Option<&str>,
    origin: Origin,
) -> Result<(), ServiceError> {
    let email = email.trim().to_lowercase();
    if !is_clean_text(&email, false) || tenant_slug.is_some_and(|t| !is_clean_text(t, false)) {
        // No account has such an address; answer as for any unknown one.
        return Ok(());
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    // Every request is recorded, known address or not, so both answers cost one commit and
    // take about the same time.
    let requested = Entry::new(Actor::Anonymous, "auth.password_reset_requested")
        .origin(origin)
        .details(serde_json::json!({ "email": email, "tenant": tenant_slug }));
    let users = match tenant_slug.map(str::trim).filter(|s| !s.is_empty()) {
        Some(slug) => match tenancy::by_slug(&mut tx, slug).await? {
            Some(t) => accounts::find_by_email(&mut tx, &t.id, &email)
                .await?
                .into_iter()
                .collect(),
            None => Vec::new(),
        },
        None => educenter_store::signin::accounts_of(&mut tx, &email, 20).await?,
    };
    // One bucket per address too: an address with accounts at several schools gets its links
    // in one go per request, and the requests are limited like one account's.
    let users = if users.len() > 1
        && educenter_store::sessions::try_take(
            &mut tx,
            &format!("reset:{email}"),
            RESET_BUCKET,
            now,
        )
        .await?
        .is_some()
    {
        Vec::new()
    } else {
        users
    };
    let mut sent = 0;
    for user in users {
        let scope = user
            .tenant_id
            .as_deref()
            .unwrap_or(accounts::PLATFORM_SCOPE);
        let bucket = format!("reset:{scope}:{email}");
        if educenter_store::sessions::try_take(&mut tx, &bucket, RESET_BUCKET, now)
            .await?
            .is_some()
        {
            continue;
        }
        let learners = learners_school(&mut tx, &user).await?;
        let school = match (&learners, &user.tenant_id) {
            (Some(t), _) => Some(t.display_name().to_owned()),
            (None, Some(t)) => tenancy::get_in(&mut tx, t).await?.map(|t| t.name),
            (None, None) => None,
        }
        .unwrap_or_else(|| "EduCenter".to_owned());
        let (secret, token_hash) = new_secret()?;
        accounts::create_token(
            &mut tx,
            &token_hash,
            TokenPurpose::ResetPassword,
            &user.id,
            user.tenant_id.as_ref(),
            now,
            now + RESET_VALIDITY,
        )
        .await?;
        let lang = Lang::from_code(&user.locale).unwrap_or(Lang::Ru);
        let mut args = FluentArgs::new();
        args.set("name", user.full_name.clone());
        args.set("school", school);
        // A student resets on their school's site, in its name (issue 17, item 2).
        let (reset_url, subject, body) = match &learners {
            Some(t) => (
                format!(
                    "{}reset-password?token={secret}",
                    services.school_url(&t.slug)
                ),
                "mail-learner-reset-subject",
                "mail-learner-reset-body",
            ),
            None => (
                format!("{}/reset-password?token={secret}", services.public_url),
                "mail-reset-subject",
                "mail-reset-body",
            ),
        };
        args.set("reset_url", reset_url);
        let mail = NewMail {
            to: user.email.clone(),
            subject: services.i18n.t_args(lang, subject, &args),
            text: services.i18n.t_args(lang, body, &args),
            html: None,
            class: outbox::MailClass::Transactional,
        };
        outbox::queue(&mut tx, &mail, now).await?;
        let mut entry = requested.clone().target("user", user.id.clone());
        if let Some(t) = &user.tenant_id {
            entry = entry.tenant(t.clone());
        }
        audit::record(&mut tx, &entry, now).await?;
        sent += 1;
    }
    if sent == 0 {
        audit::record(&mut tx, &requested, now).await?;
    }
    tx.commit().await?;
    services.mailer.wake();
    Ok(())
}

/// An operator's exception to "one trial per IIN/BIN, e-mail and phone": lifts the
/// claim so a new sign-up with that value may start a trial. Super-admin, with a reason.
pub async fn allow_repeat_trial(
    services: &Services,
    who: &crate::access::Principal,
    kind: &str,
    value: &str,
    reason: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    crate::access::require_operator(who, educenter_domain::roles::OperatorAction::ManagePlatform)?;
    let value = match kind {
        "email" => Some(value.trim().to_lowercase()),
        "phone" => normalise_phone(value),
        "bin_iin" => Some(value.trim().to_owned()),
        _ => None,
    };
    let mut errors = Vec::new();
    if !matches!(kind, "email" | "phone" | "bin_iin") {
        errors.push((
            "kind".to_owned(),
            Msg::one_of(&["bin_iin", "email", "phone"]),
        ));
    } else if value
        .as_deref()
        .is_none_or(|v| v.is_empty() || !is_clean_text(v, false))
    {
        errors.push(("value".to_owned(), Msg::new("err-claim-value")));
    }
    if reason.trim().is_empty() {
        errors.push(("reason".to_owned(), Msg::new("err-reason")));
    } else if !is_clean_text(reason, true) {
        errors.push(("reason".to_owned(), Msg::control_chars()));
    }
    let (Some(value), true) = (value, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if !tenancy::release_claim(&mut tx, kind, &value).await? {
        return Err(ServiceError::NotFound(
            Msg::new("err-no-claim").key("kind", format!("err-claim-{kind}")),
        ));
    }
    let entry = who
        .audit("trial.allow_repeat")
        .target("trial_claim", format!("{kind}:{value}"))
        .origin(origin)
        .details(serde_json::json!({ "reason": reason.trim() }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The school of a student (whose e-mailed links open on its site, in its name); `None` for
/// anyone else.
pub(crate) async fn learners_school(
    conn: &mut educenter_store::Conn,
    user: &accounts::User,
) -> Result<Option<tenancy::Tenant>, ServiceError> {
    match (&user.tenant_id, user.kind) {
        (Some(t), educenter_domain::roles::AccountKind::Learner) => {
            Ok(tenancy::get_in(conn, t).await?)
        }
        _ => Ok(None),
    }
}
