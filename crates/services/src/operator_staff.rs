//! The operator's staff, managed by the super-admin from the back office or the API (issue 15,
//! item 13): billing officers, support agents, compliance officers and the infrastructure
//! role of SPEC section 2. A new member is e-mailed a link to set their password. Also the
//! first super-admin: made at start from the settings, by `educenter admin create`, or through
//! the one-time set-up link logged at start.

use educenter_domain::ids::UserId;
use educenter_domain::roles::AccountKind;
use educenter_domain::roles::Role;
use educenter_domain::roles::TokenPurpose;
use educenter_domain::roles::{OperatorAction, OperatorRole};
use educenter_domain::tenancy::check_password;
use educenter_store::{
    accounts::{self, NewUser, PLATFORM_SCOPE, User},
    audit::{self, Actor, Entry, Origin},
    operator_staff as store,
    outbox::{self, NewMail},
    page::{Page, PageRequest},
};
use fluent_bundle::FluentArgs;
use jiff::SignedDuration;

use crate::{
    Msg, ServiceError, Services,
    access::Principal,
    access::require_operator,
    accounts::{hash_password, hash_secret, new_secret},
    i18n::Lang,
    staff::INVITATION_VALIDITY,
};

/// A new member of the operator's staff.
#[derive(Debug, Clone, Default)]
pub struct StaffInput {
    pub email: String,
    pub full_name: String,
    pub role: String,
}

fn role_of(role: &str) -> Result<OperatorRole, ServiceError> {
    OperatorRole::parse(role.trim()).ok_or_else(|| {
        let all: Vec<&str> = OperatorRole::ALL.iter().map(|r| r.as_str()).collect();
        ServiceError::Invalid(vec![("role".into(), Msg::one_of(&all))])
    })
}

/// A page of the live operator staff (super-admin).
pub async fn list_page(
    services: &Services,
    who: &Principal,
    req: &PageRequest,
) -> Result<Page<User>, ServiceError> {
    require_operator(who, OperatorAction::ManagePlatform)?;
    let mut conn = services.db.conn().await?;
    Ok(store::page(&mut conn, req).await?)
}

/// Adds a member of the operator's staff (super-admin) and e-mails them a link, valid 7 days,
/// to set their password. A removed member's address comes back as a fresh invitation.
pub async fn invite(
    services: &Services,
    who: &Principal,
    input: StaffInput,
    origin: Origin,
) -> Result<User, ServiceError> {
    who.require_write()?;
    require_operator(who, OperatorAction::ManagePlatform)?;
    let email = input.email.trim().to_lowercase();
    let full_name = input.full_name.trim();
    let mut errors = Vec::new();
    if email.len() > 254 || !educenter_domain::tenancy::valid_email(&email) {
        errors.push(("email".to_owned(), Msg::email()));
    }
    if full_name.is_empty()
        || full_name.chars().count() > 200
        || !educenter_domain::tenancy::is_clean_text(full_name, false)
    {
        errors.push(("full_name".to_owned(), Msg::length(1, 200)));
    }
    let role = match role_of(&input.role) {
        Ok(r) => Some(r),
        Err(ServiceError::Invalid(mut e)) => {
            errors.append(&mut e);
            None
        }
        Err(e) => return Err(e),
    };
    let (Some(role), true) = (role, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let user_id = match accounts::find_any_by_email(&mut tx, PLATFORM_SCOPE, &email).await? {
        Some(u) if u.removed_at.is_none() => {
            return Err(ServiceError::Taken(
                "email".into(),
                Msg::new("err-operator-exists").text("email", email),
            ));
        }
        Some(u) => {
            accounts::reinvite(&mut tx, &u.id, Role::Operator(role), full_name, now).await?;
            u.id
        }
        None => {
            accounts::create(
                &mut tx,
                &NewUser {
                    tenant_id: None,
                    kind: AccountKind::Operator,
                    role: Role::Operator(role),
                    email: &email,
                    full_name,
                    phone: None,
                    password_hash: None,
                    locale: "ru",
                    created_at: now,
                },
            )
            .await?
        }
    };
    let (secret, hash) = new_secret()?;
    accounts::create_token(
        &mut tx,
        &hash,
        TokenPurpose::Invitation,
        &user_id,
        None,
        now,
        now + INVITATION_VALIDITY,
    )
    .await?;
    let lang = Lang::Ru;
    let mut args = FluentArgs::new();
    args.set("name", full_name.to_owned());
    args.set("email", email.clone());
    args.set(
        "role",
        services
            .i18n
            .t(lang, &format!("operator-role-{}", role.as_str())),
    );
    args.set(
        "accept_url",
        format!("{}/invitation?token={secret}", services.public_url),
    );
    args.set("login_url", format!("{}/login", services.public_url));
    let mail = NewMail {
        to: email.clone(),
        subject: services
            .i18n
            .t_args(lang, "mail-operator-invite-subject", &args),
        text: services
            .i18n
            .t_args(lang, "mail-operator-invite-body", &args),
        html: None,
        class: outbox::MailClass::Transactional,
    };
    outbox::queue(&mut tx, &mail, now).await?;
    let entry = who
        .audit("operator.invite")
        .target("user", user_id.clone())
        .origin(origin)
        .details(serde_json::json!({ "email": email, "role": role.as_str() }));
    audit::record(&mut tx, &entry, now).await?;
    let user = accounts::get(&mut tx, &user_id)
        .await?
        .ok_or_else(|| ServiceError::Internal("the invited account vanished".into()))?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(user)
}

/// Changes a member's role (super-admin). The last super-admin keeps the role, so that the
/// platform always has someone who manages it.
pub async fn change_role(
    services: &Services,
    who: &Principal,
    id: &str,
    role: &str,
    origin: Origin,
) -> Result<User, ServiceError> {
    who.require_write()?;
    require_operator(who, OperatorAction::ManagePlatform)?;
    let role = role_of(role)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let member = store::get(&mut tx, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-staff-member")))?;
    keep_a_super_admin(&mut tx, &member, Some(role)).await?;
    store::set_role(&mut tx, id, role).await?;
    let entry = who
        .audit("operator.role_change")
        .target("user", id.to_owned())
        .origin(origin)
        .changes(
            &serde_json::json!({ "role": member.role }),
            &serde_json::json!({ "role": role.as_str() }),
        );
    audit::record(&mut tx, &entry, now).await?;
    let user = store::get(&mut tx, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-staff-member")))?;
    tx.commit().await?;
    Ok(user)
}

/// Removes a member (super-admin): their sessions and API tokens end at once. No one removes
/// themselves, and the last super-admin stays.
pub async fn remove(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let id = &UserId::new(id);
    who.require_write()?;
    require_operator(who, OperatorAction::ManagePlatform)?;
    if who.user_id == *id {
        return Err(ServiceError::Conflict(Msg::new("err-remove-self")));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let member = store::get(&mut tx, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-staff-member")))?;
    keep_a_super_admin(&mut tx, &member, None).await?;
    store::remove(&mut tx, id, now).await?;
    educenter_store::sessions::revoke_all(&mut tx, id, now).await?;
    educenter_store::tokens::revoke_all_of(&mut tx, id, now).await?;
    let entry = who
        .audit("operator.remove")
        .target("user", id.to_owned())
        .origin(origin)
        .details(serde_json::json!({ "role": member.role }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Refuses to take the super-admin role from its last holder (`to` is the new role, `None` a
/// removal).
async fn keep_a_super_admin(
    conn: &mut educenter_store::Conn,
    member: &User,
    to: Option<OperatorRole>,
) -> Result<(), ServiceError> {
    let super_admin = OperatorRole::SuperAdmin;
    if member.role == Role::Operator(super_admin)
        && to != Some(super_admin)
        && store::count_with_role(conn, super_admin).await? <= 1
    {
        return Err(ServiceError::Conflict(Msg::new("err-last-super-admin")));
    }
    Ok(())
}

/// Creates an operator staff account with a password (`educenter admin create`, and the first
/// super-admin at start). Refuses a weak password, a bad e-mail or an e-mail already in use.
pub async fn create_operator(
    db: &educenter_store::Db,
    now: jiff::Timestamp,
    email: &str,
    full_name: &str,
    role: educenter_domain::roles::OperatorRole,
    password: &str,
) -> Result<UserId, ServiceError> {
    let email = email.trim().to_lowercase();
    let mut errors = Vec::new();
    if !educenter_domain::tenancy::valid_email(&email) {
        errors.push(("email".to_owned(), Msg::email()));
    }
    if let Err(e) = check_password(password, &email) {
        errors.push(("password".to_owned(), e.into()));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let hash = hash_password(password.to_owned()).await?;
    let mut tx = db.begin().await?;
    if accounts::find_by_email(&mut tx, accounts::PLATFORM_SCOPE, &email)
        .await?
        .is_some()
    {
        return Err(ServiceError::Taken(
            "email".into(),
            Msg::new("err-operator-exists").text("email", email),
        ));
    }
    let account = with_password(&email, full_name.trim(), role, &hash, now);
    let id = accounts::create(&mut tx, &account).await?;
    let entry = Entry::new(Actor::System, "operator.create")
        .target("user", id.clone())
        .details(serde_json::json!({ "email": email, "role": role.as_str() }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// At start: when no operator account exists, creates the super-admin from
/// `EDUCENTER_ADMIN_EMAIL` / `EDUCENTER_ADMIN_PASSWORD`, or says how to create one.
pub async fn bootstrap_operator(
    services: &Services,
    email: Option<&str>,
    password: Option<&str>,
) -> Result<(), ServiceError> {
    let mut conn = services.db.conn().await?;
    if accounts::operator_count(&mut conn).await? > 0 {
        return Ok(());
    }
    drop(conn);
    match (email, password) {
        (Some(email), Some(password)) => {
            let created = create_operator(
                &services.db,
                services.clock.now(),
                email,
                "Super-admin",
                educenter_domain::roles::OperatorRole::SuperAdmin,
                password,
            )
            .await;
            match created {
                Ok(_) => tracing::info!(%email, "created the operator's super-admin"),
                // Another instance created it at the same moment.
                Err(ServiceError::Taken(..)) => {}
                Err(e) => return Err(e),
            }
        }
        _ => {
            let (secret, hash) = new_secret()?;
            let now = services.clock.now();
            let mut conn = services.db.conn().await?;
            accounts::create_setup_token(&mut conn, &hash, now, now + SETUP_LINK_VALIDITY).await?;
            let link = format!("{}/setup?token={secret}", services.public_url);
            tracing::warn!(
                %link,
                "no operator account yet: open this one-time link within 24 hours to create the \
                 super-admin (or set EDUCENTER_ADMIN_EMAIL and EDUCENTER_ADMIN_PASSWORD, or run \
                 `educenter admin create --email ... --role super_admin`)"
            );
        }
    }
    Ok(())
}

/// Whether a set-up link may still be used: no operator exists yet and the link is unused and
/// unexpired.
async fn setup_link_open(services: &Services, token_hash: &str) -> Result<bool, ServiceError> {
    let mut conn = services.db.conn().await?;
    if accounts::operator_count(&mut conn).await? > 0 {
        return Ok(false);
    }
    Ok(accounts::setup_token_valid(&mut conn, token_hash, services.clock.now()).await?)
}

/// Whether the first operator account is still to be created.
pub async fn setup_pending(services: &Services) -> Result<bool, ServiceError> {
    let mut conn = services.db.conn().await?;
    Ok(accounts::operator_count(&mut conn).await? == 0)
}

/// How long the one-time set-up link stays valid.
pub const SETUP_LINK_VALIDITY: SignedDuration = SignedDuration::from_hours(24);

/// Creates the first super-admin through the one-time set-up link: `Ok(false)` when the link
/// is unknown, used or expired, or an operator account exists by now.
pub async fn set_up_operator(
    services: &Services,
    secret: &str,
    email: &str,
    full_name: &str,
    password: &str,
    origin: Origin,
) -> Result<bool, ServiceError> {
    let email = email.trim().to_lowercase();
    let full_name = full_name.trim();
    let mut errors = Vec::new();
    if email.len() > 254 || !educenter_domain::tenancy::valid_email(&email) {
        errors.push(("email".to_owned(), Msg::email()));
    }
    if let Some(m) = Msg::text_error(full_name, 1, 200, false) {
        errors.push(("full_name".to_owned(), m));
    }
    if let Err(e) = check_password(password, &email) {
        errors.push(("password".to_owned(), e.into()));
    }
    let token_hash = hash_secret(secret.trim());
    // The link is checked before the costly hashing, so that no one can make the server hash
    // passwords without one.
    if !setup_link_open(services, &token_hash).await? {
        return Ok(false);
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let hash = hash_password(password.to_owned()).await?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if accounts::operator_count(&mut tx).await? > 0
        || !accounts::use_setup_token(&mut tx, &token_hash, now).await?
    {
        return Ok(false);
    }
    let role = OperatorRole::SuperAdmin;
    let account = with_password(&email, full_name, role, &hash, now);
    let id = accounts::create(&mut tx, &account).await?;
    let entry = Entry::new(Actor::Anonymous, "operator.setup")
        .target("user", id)
        .origin(origin)
        .details(serde_json::json!({ "email": email, "role": role.as_str() }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// An operator's account with its password set (made at start, by the CLI or by the set-up
/// link; an invited member sets theirs through the e-mailed link instead).
fn with_password<'a>(
    email: &'a str,
    full_name: &'a str,
    role: OperatorRole,
    password_hash: &'a str,
    now: jiff::Timestamp,
) -> NewUser<'a> {
    NewUser {
        tenant_id: None,
        kind: AccountKind::Operator,
        role: Role::Operator(role),
        email,
        full_name,
        phone: None,
        password_hash: Some(password_hash),
        locale: "ru",
        created_at: now,
    }
}
