//! Signing in and out (issue 3, item 3): password sign-in with throttled failures, sessions
//! whose secret is stored only as a hash, and the principal a session stands for.

use educenter_domain::access::AccessEvent;
use educenter_store::{
    audit::{self, Actor, Entry, Origin},
    sessions::{self, Bucket},
    tenancy,
};
use jiff::{SignedDuration, Timestamp};

use crate::access::Principal;
use crate::{ServiceError, Services, accounts::hash_secret};

/// An API sign-in token is valid for a day.
pub const API_SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(24);
/// A browser session ends after 2 hours without a request...
pub const WEB_IDLE_TIMEOUT: SignedDuration = SignedDuration::from_hours(2);
/// ...and 12 hours after sign-in whatever happens.
pub const WEB_ABSOLUTE_LIFETIME: SignedDuration = SignedDuration::from_hours(12);

/// Where a session is used: a browser (cookie, idle and absolute expiry) or a program (bearer
/// token, one fixed lifetime).
pub use educenter_domain::roles::SessionKind;

/// Failed sign-ins allowed per account: 5, then one more every 3 minutes.
pub const ACCOUNT_BUCKET: Bucket = Bucket {
    capacity: 5,
    refill: SignedDuration::from_secs(180),
};
/// Failed sign-ins allowed per IP address: 20, then one more every 45 seconds.
pub const ADDRESS_BUCKET: Bucket = Bucket {
    capacity: 20,
    refill: SignedDuration::from_secs(45),
};

/// A new session's secret and its expiry.
#[derive(Debug, Clone)]
pub struct Issued {
    pub token: String,
    pub expires_at: Timestamp,
}

pub(crate) fn principal_actor(kind: &str, id: &str) -> Actor {
    Actor::Principal {
        kind: kind.to_owned(),
        id: id.to_owned(),
    }
}

/// The principal of a session secret, or `None` when it is unknown, revoked, expired or its
/// person was removed.
pub async fn authenticate(
    services: &Services,
    token: &str,
) -> Result<Option<Principal>, ServiceError> {
    let token = token.trim();
    if token.starts_with(crate::tokens::PREFIX) {
        return crate::tokens::authenticate(services, token).await;
    }
    Ok(authenticate_with_school(services, token)
        .await?
        .map(|(p, _)| p))
}

/// The principal of a signed-in session (as [`authenticate`]; API tokens are not sessions) and
/// its school as it is now, read in the same query: a school's site needs both.
pub async fn authenticate_with_school(
    services: &Services,
    secret: &str,
) -> Result<Option<(Principal, Option<tenancy::Tenant>)>, ServiceError> {
    let found = visit(services, secret, async |hash, now| {
        Ok(sessions::live(&services.db, hash, now)
            .await?
            .map(|live| (live, ())))
    })
    .await?;
    Ok(found.map(|(who, school, ())| (who, school)))
}

/// What a page reads with the session of `secret`, in the same query: `read` gets the secret's
/// hash and the instant and gives the live session (`None` when none is live) with its data.
/// The session is then admitted as [`authenticate`] admits it; its school comes along.
pub(crate) async fn visit<T>(
    services: &Services,
    secret: &str,
    read: impl AsyncFnOnce(
        &str,
        Timestamp,
    )
        -> Result<Option<(sessions::LiveSession, T)>, educenter_store::StoreError>,
) -> Result<Option<(Principal, Option<tenancy::Tenant>, T)>, ServiceError> {
    let hash = hash_secret(secret.trim());
    let now = services.clock.now();
    let Some((live, data)) = read(&hash, now).await? else {
        return Ok(None);
    };
    let (who, school) = admit(services, hash, live, now).await?;
    Ok(Some((who, school, data)))
}

/// The principal of a live session (read at `now`) and its school; records the session's use.
async fn admit(
    services: &Services,
    hash: String,
    live: sessions::LiveSession,
    now: Timestamp,
) -> Result<(Principal, Option<tenancy::Tenant>), ServiceError> {
    // Record use at most once a minute: a write per request would serialise every read.
    if now.duration_since(live.last_seen_at) > SignedDuration::from_mins(1) {
        let idle = if live.kind == educenter_domain::roles::SessionKind::Api {
            live.absolute_expires_at
        } else {
            now + (live.idle_expires_at.duration_since(live.last_seen_at))
        };
        sessions::touch(&services.db, &hash, now, idle).await?;
    }
    let (kind, role) = (live.user_kind, live.role);
    let school_requires = live.tenant.as_ref().is_some_and(|t| t.staff_mfa_required);
    let principal = Principal {
        mfa_missing: !live.mfa_on && kind.mfa_required(school_requires),
        user_id: live.user_id,
        tenant_id: live.tenant_id,
        kind,
        role,
        session: Some(hash),
        token: None,
        licence_state: live.tenant.as_ref().map(|t| t.state),
        blocked: live.tenant.as_ref().and_then(|t| t.blocked_reason),
    };
    crate::access_log::note(&principal);
    Ok((principal, live.tenant))
}

/// Signs out this session, or every session of the person (`everywhere`).
pub async fn logout(
    services: &Services,
    principal: &Principal,
    everywhere: bool,
    origin: Origin,
) -> Result<u64, ServiceError> {
    let session = principal.require_session()?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let n = if everywhere {
        sessions::revoke_all(&mut tx, &principal.user_id, now).await?
    } else {
        u64::from(sessions::revoke(&mut tx, session, now).await?)
    };
    let mut entry = Entry::new(
        principal_actor(principal.kind.as_str(), &principal.user_id),
        if everywhere {
            "auth.logout_everywhere"
        } else {
            "auth.logout"
        },
    )
    .target("user", principal.user_id.clone())
    .origin(origin)
    .details(serde_json::json!({ "sessions": n }));
    if let Some(t) = &principal.tenant_id {
        entry = entry.tenant(t.clone());
    }
    crate::access_log::sign(
        &mut tx,
        AccessEvent::SignOut,
        Some((
            principal.kind,
            &principal.user_id,
            principal.tenant_id.as_ref(),
        )),
        &entry.origin,
        now,
    )
    .await?;
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(n)
}

/// Ends a session by its secret (the browser's previous session when it signs in again).
pub async fn end_secret(services: &Services, secret: &str) -> Result<bool, ServiceError> {
    let now = services.clock.now();
    let mut conn = services.db.conn().await?;
    Ok(sessions::revoke(&mut conn, &hash_secret(secret), now).await?)
}

/// One of a person's live sessions, as the list of their sessions shows it.
#[derive(Debug, Clone)]
pub struct SessionView {
    /// Names the session in the list (not its secret, nor the secret's hash).
    pub id: String,
    pub kind: SessionKind,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub ip: Option<String>,
    /// The browser's or program's user agent.
    pub device: Option<String>,
    /// The session this request came with.
    pub current: bool,
}

/// The id a session is listed by: derived from its secret's hash, which it does not reveal.
fn listed_id(secret_hash: &str) -> String {
    let mut id = hash_secret(&format!("session-list:{secret_hash}"));
    id.truncate(24);
    id
}

/// The signed-in person's live sessions, the last used first, a page at a time (the cursor is
/// the listed id of the last session of the page before; a person has few sessions, so the
/// page is cut from the whole list).
pub async fn list(
    services: &Services,
    who: &Principal,
    page: educenter_store::page::PageRequest,
) -> Result<educenter_store::page::Page<SessionView>, ServiceError> {
    let current = who.require_session()?;
    let mut conn = services.db.conn().await?;
    let rows = sessions::of_user(&mut conn, &who.user_id, services.clock.now()).await?;
    let all: Vec<SessionView> = rows
        .into_iter()
        .map(|r| SessionView {
            id: listed_id(&r.secret_hash),
            current: r.secret_hash == current,
            kind: r.kind,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            ip: r.ip,
            device: r.user_agent,
        })
        .collect();
    Ok(educenter_store::page::Page::cut(all, &page, |s| {
        s.id.clone()
    })?)
}

/// Signs out one of the person's sessions by its listed id; 404 for no such live session.
pub async fn end(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    who.require_session()?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let found = sessions::of_user(&mut tx, &who.user_id, now)
        .await?
        .into_iter()
        .find(|r| listed_id(&r.secret_hash) == id.trim());
    let Some(found) = found else {
        return Err(ServiceError::NotFound(crate::Msg::new(
            "err-session-not-found",
        )));
    };
    sessions::revoke(&mut tx, &found.secret_hash, now).await?;
    crate::access_log::sign(
        &mut tx,
        AccessEvent::SignOut,
        Some((who.kind, &who.user_id, who.tenant_id.as_ref())),
        &origin,
        now,
    )
    .await?;
    let mut entry = who
        .audit("auth.session_ended")
        .target("user", who.user_id.clone())
        .origin(origin)
        .details(serde_json::json!({ "session": listed_id(&found.secret_hash) }));
    if let Some(t) = &who.tenant_id {
        entry = entry.tenant(t.clone());
    }
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}
