//! Verifying a person's e-mail address: the e-mailed link (which also records a school's
//! acceptance of the offer when it has none, R-2.2b), and a new link when the old one expired:
//! from the cabinet, the API, or the expired link's own page.

use educenter_domain::roles::TokenPurpose;
use educenter_store::{
    accounts::{self, User},
    audit::{self, Actor, Entry, Origin},
    offers,
    outbox::{self, NewMail},
    tenancy::{self, NewAcceptance},
};
use fluent_bundle::FluentArgs;
use jiff::SignedDuration;

use crate::{
    Msg, ServiceError, Services,
    accounts::{VERIFY_EMAIL_VALIDITY, hash_secret, new_secret},
    i18n::Lang,
};

/// How following an e-mailed verification link ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Verified,
    Expired,
    AlreadyUsed,
    Unknown,
}

/// Follows a verification link: marks the e-mail verified and, when the tenant has no
/// acceptance yet, records one by e-mail verification (R-2.2b).
pub async fn verify_email(
    services: &Services,
    secret: &str,
    origin: Origin,
) -> Result<Verification, ServiceError> {
    let hash = hash_secret(secret.trim());
    let now = services.clock.now();
    // Read first: an anonymous link never takes the write lock unless it is good.
    let mut conn = services.db.conn().await?;
    let Some(token) = accounts::find_token(&mut conn, &hash).await? else {
        return Ok(Verification::Unknown);
    };
    drop(conn);
    if token.purpose != TokenPurpose::VerifyEmail {
        return Ok(Verification::Unknown);
    }
    if token.used_at.is_some() {
        return Ok(Verification::AlreadyUsed);
    }
    if now > token.expires_at {
        return Ok(Verification::Expired);
    }
    let mut tx = services.db.begin().await?;
    if !accounts::use_token(&mut tx, &hash, now).await? {
        return Ok(Verification::AlreadyUsed);
    }
    accounts::mark_email_verified(&mut tx, &token.user_id, now).await?;
    let mut accepted = false;
    if let Some(tenant_id) = &token.tenant_id
        && tenancy::acceptances(&mut tx, tenant_id).await?.is_empty()
    {
        let offer = offers::current(&mut tx, now)
            .await?
            .ok_or_else(|| ServiceError::Internal("no offer version is published".into()))?;
        tenancy::accept(
            &mut tx,
            &NewAcceptance {
                tenant_id,
                user_id: Some(&token.user_id),
                offer_version: offer.number,
                method: educenter_domain::tenancy::AcceptanceMethod::EmailVerification,
                ip: origin.ip.as_deref(),
                user_agent: origin.user_agent.as_deref(),
            },
            now,
        )
        .await?;
        accepted = true;
    }
    let mut entry = Entry::new(
        Actor::Principal {
            kind: "user".into(),
            id: token.user_id.to_string(),
        },
        "user.verify_email",
    )
    .target("user", token.user_id.clone())
    .origin(origin)
    .details(serde_json::json!({ "acceptance_recorded": accepted }));
    if let Some(t) = &token.tenant_id {
        entry = entry.tenant(t.clone());
    }
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Verification::Verified)
}

/// New verification links a person may ask for: 3, then one more every 20 minutes.
const VERIFY_BUCKET: educenter_store::sessions::Bucket = educenter_store::sessions::Bucket {
    capacity: 3,
    refill: SignedDuration::from_secs(20 * 60),
};

/// E-mails the signed-in person a new link to verify their address (when it is not verified
/// yet); the links sent before stop working. A few at once, then one every 20 minutes (429).
pub async fn resend_verification(
    services: &Services,
    who: &crate::access::Principal,
    origin: Origin,
) -> Result<(), ServiceError> {
    who.require_write()?;
    let mut tx = services.db.begin().await?;
    let user = accounts::get(&mut tx, &who.user_id)
        .await?
        .filter(|u| u.removed_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-account-gone")))?;
    let entry = who.audit("auth.verification_resent").origin(origin);
    send_new_link(services, &mut tx, &user, entry).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(())
}

/// A new link for the person an expired link was sent to: holding the old link shows the
/// address is theirs, so no sign-in is needed (a school's student has no cabinet). `false`
/// when the link is unknown or not a verification link.
pub async fn resend_by_link(
    services: &Services,
    secret: &str,
    origin: Origin,
) -> Result<bool, ServiceError> {
    let hash = hash_secret(secret.trim());
    let mut tx = services.db.begin().await?;
    let Some(token) = accounts::find_token(&mut tx, &hash)
        .await?
        .filter(|t| t.purpose == TokenPurpose::VerifyEmail)
    else {
        return Ok(false);
    };
    let Some(user) = accounts::get(&mut tx, &token.user_id)
        .await?
        .filter(|u| u.removed_at.is_none())
    else {
        return Ok(false);
    };
    let entry = Entry::new(Actor::Anonymous, "auth.verification_resent").origin(origin);
    send_new_link(services, &mut tx, &user, entry).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(true)
}

/// Ends the person's verification links and e-mails a new one (409 when the address is
/// verified already, 429 past the bucket), recording `entry`, in the caller's transaction.
async fn send_new_link(
    services: &Services,
    tx: &mut educenter_store::Conn,
    user: &User,
    entry: Entry,
) -> Result<(), ServiceError> {
    let now = services.clock.now();
    if user.email_verified_at.is_some() {
        return Err(ServiceError::Conflict(Msg::new("err-already-verified")));
    }
    let bucket = format!("verify:{}", user.id);
    if let Some(wait) =
        educenter_store::sessions::try_take(&mut *tx, &bucket, VERIFY_BUCKET, now).await?
    {
        return Err(ServiceError::TooManyRequests(
            wait.as_secs().max(1).unsigned_abs(),
        ));
    }
    accounts::use_all_tokens(&mut *tx, &user.id, TokenPurpose::VerifyEmail, now).await?;
    let (secret, token_hash) = new_secret()?;
    accounts::create_token(
        &mut *tx,
        &token_hash,
        TokenPurpose::VerifyEmail,
        &user.id,
        user.tenant_id.as_ref(),
        now,
        now + VERIFY_EMAIL_VALIDITY,
    )
    .await?;
    let lang = Lang::from_code(&user.locale).unwrap_or(Lang::Ru);
    let mut args = FluentArgs::new();
    args.set("name", user.full_name.clone());
    // A student's link opens on their school's site, in its name (issue 17, item 2).
    let school = crate::accounts::learners_school(tx, user).await?;
    let (subject, body) = match &school {
        Some(t) => {
            args.set("school", t.display_name().to_owned());
            args.set(
                "verify_url",
                format!(
                    "{}verify-email?token={secret}",
                    services.school_url(&t.slug)
                ),
            );
            ("mail-learner-verify-subject", "mail-learner-verify-body")
        }
        None => {
            args.set(
                "verify_url",
                format!("{}/verify-email?token={secret}", services.public_url),
            );
            ("mail-verify-subject", "mail-verify-body")
        }
    };
    let mail = NewMail {
        to: user.email.clone(),
        subject: services.i18n.t_args(lang, subject, &args),
        text: services.i18n.t_args(lang, body, &args),
        html: None,
        class: outbox::MailClass::Transactional,
    };
    outbox::queue(&mut *tx, &mail, now).await?;
    let mut entry = entry.target("user", user.id.clone());
    if let Some(t) = &user.tenant_id {
        entry = entry.tenant(t.clone());
    }
    audit::record(&mut *tx, &entry, now).await?;
    Ok(())
}
