//! A school's privacy text for its students: the school (the operator of its students'
//! personal data) sets its own text, versioned; a student's consent records the version and the
//! exact text shown. A student withdraws the marketing consent from their profile (R-2.6b,
//!

use educenter_domain::ids::TenantId;
use educenter_domain::learning::ConsentKind;
use educenter_domain::roles::TenantAction;
use educenter_store::{
    Conn,
    audit::{self, Origin},
    privacy::{self as store, ConsentRecord, PrivacyText},
    tenancy::Tenant,
};
use fluent_bundle::FluentArgs;

use crate::Msg;
use crate::{ServiceError, Services, access::Principal, i18n::Lang};

/// The version of the privacy consent text students accept (the text is in the catalogs,
/// `learner-privacy-consent`; bump this when it changes).
pub const PRIVACY_VERSION: &str = "learner-privacy-2026-11";

/// The privacy text a student is shown at a school: the school's own newest version
/// (`school-v{N}`), or the platform's default text (`learner-privacy-consent`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub version: String,
    pub text: String,
}

/// What a student is shown at sign-up, read on the caller's connection.
pub async fn shown(
    conn: &mut Conn,
    services: &Services,
    tenant: &Tenant,
    lang: Lang,
) -> Result<Shown, ServiceError> {
    // The school the site's address names.
    Ok(match store::current(conn, &tenant.id).await? {
        Some(t) => Shown {
            version: format!("school-v{}", t.version),
            text: t.text,
        },
        None => {
            let mut args = FluentArgs::new();
            args.set("school", tenant.name.clone());
            Shown {
                version: PRIVACY_VERSION.to_owned(),
                text: services.i18n.t_args(lang, "learner-privacy-consent", &args),
            }
        }
    })
}

/// The privacy text of a school as anyone reads it on its site.
pub async fn public_text(
    services: &Services,
    tenant: &Tenant,
    lang: Lang,
) -> Result<Shown, ServiceError> {
    let mut conn = services.db.conn().await?;
    shown(&mut conn, services, tenant, lang).await
}

/// The school's versions, newest first (staff who manage learners).
pub async fn texts(services: &Services, who: &Principal) -> Result<Vec<PrivacyText>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::ManageLearners)?;
    let mut conn = services.db.conn().await?;
    Ok(store::texts(&mut conn, tenant).await?)
}

/// Saves a new version of the school's privacy text (owner, administrator, manager; audited).
/// Students who sign up from now on are shown it and their consent records its version.
pub async fn set_text(
    services: &Services,
    who: &Principal,
    text: &str,
    origin: Origin,
) -> Result<PrivacyText, ServiceError> {
    who.require_write()?;
    let tenant = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let text = text.trim();
    if let Some(m) = Msg::text_error(text, 20, 20_000, true) {
        return Err(ServiceError::Invalid(vec![("text".into(), m)]));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if store::current(&mut tx, &tenant)
        .await?
        .is_some_and(|t| t.text == text)
    {
        let unchanged = store::current(&mut tx, &tenant).await?;
        return unchanged.ok_or_else(|| ServiceError::Internal("no privacy text".into()));
    }
    let version = store::add(&mut tx, &tenant, text, &who.user_id, now).await?;
    let entry = who
        .audit("privacy_text.update")
        .tenant(tenant)
        .target("privacy_text", version.to_string())
        .origin(origin)
        .details(serde_json::json!({ "version": version }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(PrivacyText {
        version,
        text: text.to_owned(),
        created_at: now,
    })
}

/// A student's own consents (their profile on the school's site).
pub async fn my_consents(
    services: &Services,
    who: &Principal,
) -> Result<Vec<ConsentRecord>, ServiceError> {
    let tenant = learner_tenant(who)?;
    let mut conn = services.db.conn().await?;
    Ok(store::consents_of(&mut conn, &tenant, &who.user_id).await?)
}

fn learner_tenant(who: &Principal) -> Result<TenantId, ServiceError> {
    crate::access::require_learner(who).cloned()
}

/// A student withdraws their consent to the school's mailings (R-2.6b): from now on no mailing
/// reaches them; audited. Withdrawing twice changes nothing.
pub async fn withdraw_marketing(
    services: &Services,
    who: &Principal,
    origin: Origin,
) -> Result<bool, ServiceError> {
    let tenant = learner_tenant(who)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let n = store::withdraw(&mut tx, &tenant, &who.user_id, ConsentKind::Marketing, now).await?;
    if n > 0 {
        let entry = who
            .audit("consent.withdraw")
            .tenant(tenant)
            .target("user", who.user_id.clone())
            .origin(origin)
            .details(serde_json::json!({ "kind": ConsentKind::Marketing }));
        audit::record(&mut tx, &entry, now).await?;
    }
    tx.commit().await?;
    Ok(n > 0)
}
