//! API tokens (issue 3, item 4; ): an owner or staff member creates a named token,
//! read-only or read-write, optionally expiring; the secret is shown once and stored hashed;
//! revocation is immediate. A token acts as its creator, within its scope and tenant.

use educenter_domain::ids::TenantId;
use educenter_domain::{clock::local_date, roles::AccountKind};
use educenter_store::page::{Page, PageRequest};
use educenter_store::{
    audit::{self, Origin},
    tokens::{self, ApiToken, NewToken},
};
use jiff::{SignedDuration, civil::Date};

use crate::Msg;
use crate::{
    ServiceError, Services,
    access::{Principal, TokenScope},
    accounts::{hash_secret, new_secret},
};

/// Every API token starts with this, so it is told apart from a sign-in token (and found by
/// secret scanners).
pub const PREFIX: &str = "edc_";

/// The tenant of a person who may hold API tokens (the owner and staff, by the policy).
fn token_tenant(who: &Principal) -> Result<&TenantId, ServiceError> {
    crate::access::require_tenant(who, educenter_domain::roles::TenantAction::UseApiTokens)
}

/// Creates a token; returns it with its secret (shown this once).
pub async fn create(
    services: &Services,
    who: &Principal,
    name: &str,
    scope: &str,
    expires_on: Option<Date>,
    origin: Origin,
) -> Result<(ApiToken, String), ServiceError> {
    who.require_session()?;
    let tenant = token_tenant(who)?.to_owned();
    let now = services.clock.now();
    let mut errors = Vec::new();
    let name = name.trim();
    if let Some(m) = Msg::text_error(name, 1, 100, false) {
        errors.push(("name".to_owned(), m));
    }
    let scope = TokenScope::parse(scope);
    if scope.is_none() {
        errors.push(("scope".to_owned(), Msg::one_of_words::<TokenScope>()));
    }
    if expires_on.is_some_and(|d| d < local_date(now)) {
        errors.push(("expires_on".to_owned(), Msg::new("err-past")));
    }
    let mut tx = services.db.begin().await?;
    // New tokens read only, unless the owner has switched on writing through the API.
    if scope == Some(TokenScope::ReadWrite) && !tokens::api_write(&mut tx, &tenant).await? {
        errors.push(("scope".to_owned(), Msg::new("err-api-write-off")));
    }
    let (Some(scope), true) = (scope, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let (secret, _) = new_secret()?;
    let secret = format!("{PREFIX}{secret}");
    let token = tokens::create(
        &mut tx,
        &NewToken {
            tenant_id: &tenant,
            user_id: &who.user_id,
            name,
            scope,
            secret_hash: &hash_secret(&secret),
            expires_on,
        },
        now,
    )
    .await?;
    let entry = who
        .audit("api_token.create")
        .tenant(tenant)
        .target("api_token", token.id.clone())
        .origin(origin)
        .details(
            serde_json::json!({ "name": name, "scope": scope.as_str(), "expires_on": expires_on.map(|d| d.to_string()) }),
        );
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok((token, secret))
}

/// The tenant's tokens: all of them for the owner, one's own for staff.
pub async fn list(services: &Services, who: &Principal) -> Result<Vec<ApiToken>, ServiceError> {
    let tenant = token_tenant(who)?;
    let only = (who.kind != AccountKind::Owner).then_some(&who.user_id);
    Ok(tokens::list(&services.db, tenant, only).await?)
}

/// A page of [`list`], newest first.
pub async fn list_page(
    services: &Services,
    who: &Principal,
    req: &PageRequest,
) -> Result<Page<ApiToken>, ServiceError> {
    let tenant = token_tenant(who)?;
    let only = (who.kind != AccountKind::Owner).then_some(&who.user_id);
    let mut conn = services.db.conn().await?;
    Ok(tokens::list_page(&mut conn, tenant, only, req).await?)
}

/// Revokes a token of the tenant at once. Another tenant's token, or (for staff) another
/// person's, answers "not found".
pub async fn revoke(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    who.require_session()?;
    let tenant = token_tenant(who)?.to_owned();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let token = tokens::get(&mut tx, &tenant, id)
        .await?
        .filter(|t| who.kind == AccountKind::Owner || t.user_id == who.user_id)
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-token")))?;
    tokens::revoke(&mut tx, &tenant, &token.id, now).await?;
    let entry = who
        .audit("api_token.revoke")
        .tenant(tenant)
        .target("api_token", token.id.clone())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The principal of an API token: live, not past its expiry date (inclusive, local), its
/// person not removed.
pub async fn authenticate(
    services: &Services,
    secret: &str,
) -> Result<Option<Principal>, ServiceError> {
    let now = services.clock.now();
    let Some(live) = tokens::live(&services.db, &hash_secret(secret)).await? else {
        return Ok(None);
    };
    if live.expires_on.is_some_and(|d| d < local_date(now)) {
        return Ok(None);
    }
    let scope = live.scope;
    // A read_write token writes only while the school allows writing through the API.
    let scope = match scope {
        TokenScope::ReadWrite if !live.tenant_api_write => TokenScope::Read,
        scope => scope,
    };
    // Record use at most once a minute.
    if live
        .last_used_at
        .is_none_or(|t| now.duration_since(t) > SignedDuration::from_mins(1))
    {
        tokens::mark_used(&services.db, &live.id, now).await?;
    }
    let (kind, role) = (live.user_kind, live.role);
    let principal = Principal {
        user_id: live.user_id,
        tenant_id: Some(live.tenant_id),
        kind,
        role,
        session: None,
        token: Some((live.id, scope)),
        licence_state: Some(live.tenant_state),
        blocked: live.tenant_blocked,
        // A program's token is not a person's sign-in.
        mfa_missing: false,
    };
    crate::access_log::note(&principal);
    Ok(Some(principal))
}

/// Whether the principal's school allows writing through the API (any of its people may read
/// it).
pub async fn api_write(services: &Services, who: &Principal) -> Result<bool, ServiceError> {
    let tenant = token_tenant(who)?;
    let mut conn = services.db.conn().await?;
    Ok(tokens::api_write(&mut conn, tenant).await?)
}

/// Switches writing through the API on or off for the school (the owner, signed in; audited).
/// Off, every `read_write` token of the school acts as read-only until it is on again.
pub async fn set_api_write(
    services: &Services,
    who: &Principal,
    enabled: bool,
    origin: Origin,
) -> Result<bool, ServiceError> {
    who.require_session()?;
    let tenant = token_tenant(who)?.to_owned();
    if who.kind != AccountKind::Owner {
        return Err(ServiceError::Forbidden(Msg::new("err-owner-only")));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let before = tokens::api_write(&mut tx, &tenant).await?;
    if before != enabled {
        tokens::set_api_write(&mut tx, &tenant, enabled).await?;
        let entry = who
            .audit("settings.api_write")
            .tenant(tenant)
            .origin(origin)
            .changes(
                &serde_json::json!({ "api_write": before }),
                &serde_json::json!({ "api_write": enabled }),
            );
        audit::record(&mut tx, &entry, now).await?;
    }
    tx.commit().await?;
    Ok(enabled)
}
