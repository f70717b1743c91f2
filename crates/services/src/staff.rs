//! A school's staff (authorized users, R-3.1.2): the owner invites by e-mail with a role, the
//! invitee sets a password through the link, the owner changes roles and removes staff, which
//! ends their sessions and API tokens at once. Permissions come from
//! `educenter_domain::roles::tenant_may`.

use educenter_domain::ids::UserId;
use educenter_domain::roles::AccountKind;
use educenter_domain::roles::Role;
use educenter_domain::roles::TokenPurpose;
use educenter_domain::roles::{TenantAction, TenantRole};
use educenter_store::page::{Page, PageRequest};
use educenter_store::{
    accounts::{self, NewUser, User},
    audit::{self, Origin},
    outbox::{self, NewMail},
    sessions, tenancy, tokens,
};
use fluent_bundle::FluentArgs;
use jiff::SignedDuration;

use crate::Msg;
use crate::{
    ServiceError, Services,
    access::Principal,
    accounts::{PasswordLink, new_secret, set_password_by_link},
    i18n::Lang,
};

/// How long an invitation link stays valid.
pub const INVITATION_VALIDITY: SignedDuration = SignedDuration::from_hours(7 * 24);

fn staff_role(role: &str) -> Result<TenantRole, ServiceError> {
    TenantRole::parse(role)
        .filter(|r| TenantRole::STAFF.contains(r))
        .ok_or_else(|| {
            ServiceError::Invalid(vec![(
                "role".into(),
                Msg::one_of(&["administrator", "teacher", "manager", "accountant"]),
            )])
        })
}

/// Invites a staff member: an account without a password and an e-mailed link (7 days).
pub async fn invite(
    services: &Services,
    who: &Principal,
    email: &str,
    full_name: &str,
    role: &str,
    origin: Origin,
) -> Result<User, ServiceError> {
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageStaff)?.to_owned();
    let email = email.trim().to_lowercase();
    let full_name = full_name.trim();
    let mut errors = Vec::new();
    if !educenter_domain::tenancy::valid_email(&email) {
        errors.push(("email".to_owned(), Msg::email()));
    }
    if let Some(m) = Msg::text_error(full_name, 1, 200, false) {
        errors.push(("full_name".to_owned(), m));
    }
    let role = match staff_role(role) {
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
    let tenant = tenancy::get_in(&mut tx, &tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    let existing = accounts::find_any_by_email(&mut tx, &tenant_id, &email).await?;
    if existing.as_ref().is_none_or(|u| u.removed_at.is_some()) {
        // A new seat: within the plan's staff limit.
        crate::billing::limits::check_limit(
            &mut tx,
            &tenant_id,
            crate::billing::limits::Metric::Staff,
            1,
            now,
        )
        .await?;
    }
    let user_id = match existing {
        // A student's address (or an active member's) is not a new staff seat.
        Some(u)
            if u.kind != AccountKind::Staff
                || (u.removed_at.is_none() && u.password_hash.is_some()) =>
        {
            return Err(ServiceError::Taken(
                "email".into(),
                Msg::new("err-email-taken").text("email", email),
            ));
        }
        // Invited and not accepted yet (the link may have expired): a fresh invitation, as
        // often as a student's (the earlier links stop working).
        Some(u) if u.removed_at.is_none() => {
            crate::throttle::take(
                &mut tx,
                &crate::throttle::invitation_resend(&tenant_id, &u.id),
                now,
            )
            .await?;
            accounts::use_all_tokens(&mut tx, &u.id, TokenPurpose::Invitation, now).await?;
            accounts::reinvite(&mut tx, &u.id, Role::School(role), full_name, now).await?;
            u.id
        }
        Some(u) => {
            accounts::reinvite(&mut tx, &u.id, Role::School(role), full_name, now).await?;
            u.id
        }
        None => {
            accounts::create(
                &mut tx,
                &NewUser {
                    tenant_id: Some(&tenant_id),
                    kind: AccountKind::Staff,
                    role: Role::School(role),
                    email: &email,
                    full_name,
                    phone: None,
                    password_hash: None,
                    locale: &tenant.locale,
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
        Some(&tenant_id),
        now,
        now + INVITATION_VALIDITY,
    )
    .await?;
    let lang = Lang::from_code(&tenant.locale).unwrap_or(Lang::Ru);
    let mut args = FluentArgs::new();
    args.set("name", full_name.to_owned());
    args.set("org", tenant.name.clone());
    args.set("email", email.clone());
    args.set(
        "role",
        services.i18n.t(lang, &format!("role-{}", role.as_str())),
    );
    args.set(
        "accept_url",
        format!("{}/invitation?token={secret}", services.public_url),
    );
    let mail = NewMail {
        to: email.clone(),
        subject: services.i18n.t_args(lang, "mail-invite-subject", &args),
        text: services.i18n.t_args(lang, "mail-invite-body", &args),
        html: None,
        class: outbox::MailClass::Transactional,
    };
    outbox::queue(&mut tx, &mail, now).await?;
    let entry = who
        .audit("staff.invite")
        .tenant(tenant_id.clone())
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

/// The school's staff.
pub async fn list(services: &Services, who: &Principal) -> Result<Vec<User>, ServiceError> {
    let tenant_id = crate::access::require_tenant(who, TenantAction::ViewStaff)?;
    let mut conn = services.db.conn().await?;
    Ok(accounts::staff(&mut conn, tenant_id).await?)
}

/// A page of the school's staff in order of arrival.
pub async fn list_page(
    services: &Services,
    who: &Principal,
    req: &PageRequest,
) -> Result<Page<User>, ServiceError> {
    let tenant_id = crate::access::require_tenant(who, TenantAction::ViewStaff)?;
    let mut conn = services.db.conn().await?;
    Ok(accounts::staff_page(&mut conn, tenant_id, None, req).await?)
}

/// Changes a staff member's role.
pub async fn change_role(
    services: &Services,
    who: &Principal,
    id: &str,
    role: &str,
    origin: Origin,
) -> Result<User, ServiceError> {
    let id = &UserId::new(id);
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageStaff)?.to_owned();
    let role = staff_role(role)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let before = accounts::staff_member(&mut tx, &tenant_id, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-staff-member")))?;
    accounts::set_role(&mut tx, &tenant_id, id, role).await?;
    let entry = who
        .audit("staff.change_role")
        .tenant(tenant_id.clone())
        .target("user", id.to_owned())
        .origin(origin)
        .details(serde_json::json!({ "from": before.role, "to": role.as_str() }))
        .changes(
            &serde_json::json!({ "role": before.role }),
            &serde_json::json!({ "role": role.as_str() }),
        );
    audit::record(&mut tx, &entry, now).await?;
    let user = accounts::staff_member(&mut tx, &tenant_id, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-staff-member")))?;
    tx.commit().await?;
    Ok(user)
}

/// Removes a staff member: their sessions and API tokens end at once.
pub async fn remove(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let id = &UserId::new(id);
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageStaff)?.to_owned();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if !accounts::remove(&mut tx, &tenant_id, id, now).await? {
        return Err(ServiceError::NotFound(Msg::new("err-no-staff-member")));
    }
    let sessions_ended = sessions::revoke_all(&mut tx, id, now).await?;
    let tokens_ended = tokens::revoke_all_of(&mut tx, id, now).await?;
    // Their personal data goes with them; their id stays as a pseudonym.
    crate::erasure::erase_staff(&mut tx, &tenant_id, id, now).await?;
    let entry = who
        .audit("staff.remove")
        .tenant(tenant_id)
        .target("user", id.to_owned())
        .origin(origin)
        .details(serde_json::json!({ "sessions": sessions_ended, "tokens": tokens_ended }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Accepts an invitation: sets the password (which verifies the e-mail).
pub async fn accept_invitation(
    services: &Services,
    secret: &str,
    password: &str,
    origin: Origin,
) -> Result<PasswordLink, ServiceError> {
    set_password_by_link(services, TokenPurpose::Invitation, secret, password, origin).await
}
