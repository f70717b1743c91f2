//! Two-step sign-in (issue 18, item 5; ): an authenticator app's codes (TOTP, RFC 6238:
//! SHA-1, 6 digits, 30-second steps, one step either side accepted) and ten one-time recovery
//! codes. Required of the operator's staff, and of a school's staff when its owner says so;
//! anyone else may switch it on. A person who must and has not gets sessions that reach only
//! the setting up of it (see [`crate::access::Principal::require_access`]). Codes are checked
//! against the services' clock (the test clock in test mode), and no code signs in twice.

use educenter_domain::ids::UserId;
use educenter_store::{
    Conn,
    accounts::{self, User},
    audit::{self, Origin},
    mfa,
    outbox::{self, NewMail},
    tenancy,
};
use fluent_bundle::FluentArgs;
use jiff::Timestamp;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::{Msg, ServiceError, Services, access::Principal, accounts::hash_secret, i18n::Lang};

/// The name the authenticator app shows beside the codes.
const ISSUER: &str = "EduCenter";
/// The length of a step, in seconds, and the digits of a code (what every app expects).
const STEP: u64 = 30;
const DIGITS: usize = 6;
/// How many recovery codes a person gets.
const RECOVERY_CODES: usize = 10;

/// What a person's app needs to start making codes: shown once, while it waits for the first
/// code.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// The shared secret, base32 (typed by hand into an app that cannot scan).
    pub secret: String,
    /// The `otpauth://totp/...` link the QR code holds.
    pub otpauth_url: String,
    /// The QR code of the link, as an SVG document.
    pub qr_svg: String,
}

/// Where a person's two-step sign-in stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub enabled: bool,
    /// Whether it is required of them (then it cannot be switched off).
    pub required: bool,
    /// An authenticator waits for its first code.
    pub pending: bool,
    pub recovery_codes_left: i64,
}

/// How a second step passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Passed {
    Totp,
    /// With a recovery code; this many are left.
    Recovery(i64),
}

fn internal(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(e.to_string())
}

fn wrong_code() -> ServiceError {
    crate::invalid("code", Msg::new("err-totp-wrong"))
}

/// The TOTP of a base32 secret, labelled with the person's e-mail.
fn totp_of(secret: &str, label: &str) -> Result<TOTP, ServiceError> {
    let bytes = Secret::Encoded(secret.to_owned())
        .to_bytes()
        .map_err(|e| internal(format!("{e:?}")))?;
    // The label may not hold a colon (it separates the issuer in the link).
    TOTP::new(
        Algorithm::SHA1,
        DIGITS,
        1,
        STEP,
        bytes,
        Some(ISSUER.to_owned()),
        label.replace(':', " "),
    )
    .map_err(|e| internal(format!("{e:?}")))
}

/// The step of `typed` when it is the code of a step within one of `now`'s.
fn matching_step(totp: &TOTP, typed: &str, now: Timestamp) -> Option<i64> {
    let secs = u64::try_from(now.as_second()).ok()?;
    let this = secs / STEP;
    [this.saturating_sub(1), this, this + 1]
        .into_iter()
        .find(|step| {
            let code = totp.generate(step * STEP);
            code.len() == typed.len()
                && code
                    .bytes()
                    .zip(typed.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        })
        .and_then(|step| i64::try_from(step).ok())
}

/// A typed code with spaces and dashes taken out, lower case.
fn normalised(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_totp_code(code: &str) -> bool {
    code.len() == DIGITS && code.bytes().all(|b| b.is_ascii_digit())
}

/// The label the app shows: the e-mail, and the school it signs in to.
async fn label(conn: &mut Conn, user: &User) -> Result<String, ServiceError> {
    Ok(match &user.tenant_id {
        Some(t) => match tenancy::get_in(conn, t).await? {
            Some(t) => format!("{} ({})", user.email, t.slug),
            None => user.email.clone(),
        },
        None => user.email.clone(),
    })
}

/// Checks a second step for a person with two-step sign-in on: a code of their app (taken, so
/// it never works again) or one of their recovery codes (used up). `None` when it is wrong.
pub(crate) async fn pass(
    conn: &mut Conn,
    user: &User,
    typed: &str,
    now: Timestamp,
) -> Result<Option<Passed>, ServiceError> {
    let code = normalised(typed);
    if code.is_empty() || code.len() > 64 {
        return Ok(None);
    }
    if is_totp_code(&code) {
        let Some(stored) = mfa::get(conn, &user.id)
            .await?
            .filter(|t| t.confirmed_at.is_some())
        else {
            return Ok(None);
        };
        let totp = totp_of(&stored.secret, &user.email)?;
        return Ok(match matching_step(&totp, &code, now) {
            Some(step) if step > stored.last_step && mfa::advance(conn, &user.id, step).await? => {
                Some(Passed::Totp)
            }
            _ => None,
        });
    }
    if mfa::use_code(conn, &user.id, &hash_secret(&code), now).await? {
        return Ok(Some(Passed::Recovery(
            mfa::codes_left(conn, &user.id).await?,
        )));
    }
    Ok(None)
}

/// [`pass`] for a signed-in person proving it is them (switching off, new recovery codes): the
/// tries are throttled per person as sign-ins are (5, then one every 3 minutes), and a wrong
/// code is audited. The caller's transaction is committed either way; `Err` for a wrong code.
async fn pass_signed_in(
    mut tx: educenter_store::Tx,
    who: &Principal,
    user: &User,
    code: &str,
    origin: &Origin,
    now: Timestamp,
) -> Result<(educenter_store::Tx, Passed), ServiceError> {
    let bucket = format!("mfa:{}", user.id);
    if let Some(wait) =
        educenter_store::sessions::try_take(&mut tx, &bucket, crate::sessions::ACCOUNT_BUCKET, now)
            .await?
    {
        tx.commit().await?;
        return Err(ServiceError::TooManyRequests(
            u64::try_from(wait.as_secs()).unwrap_or(1).max(1),
        ));
    }
    match pass(&mut tx, user, code, now).await? {
        Some(passed) => {
            educenter_store::sessions::give_back(&mut tx, &bucket, crate::sessions::ACCOUNT_BUCKET)
                .await?;
            Ok((tx, passed))
        }
        None => {
            record(&mut tx, who, "auth.mfa_failed", origin.clone(), now).await?;
            tx.commit().await?;
            Err(wrong_code())
        }
    }
}

/// Whether the person has two-step sign-in on.
pub(crate) async fn enabled(conn: &mut Conn, user_id: &UserId) -> Result<bool, ServiceError> {
    Ok(mfa::get(conn, user_id)
        .await?
        .is_some_and(|t| t.confirmed_at.is_some()))
}

/// The signed-in person (sessions only: a program's token does not set up anyone's sign-in).
async fn person(conn: &mut Conn, who: &Principal) -> Result<User, ServiceError> {
    who.require_session()?;
    accounts::get(conn, &who.user_id)
        .await?
        .filter(|u| u.removed_at.is_none())
        .ok_or_else(|| ServiceError::Unauthorized(Msg::new("err-unknown-token")))
}

/// Whether two-step sign-in is required of the person.
async fn required(conn: &mut Conn, user: &User) -> Result<bool, ServiceError> {
    let school_requires = match &user.tenant_id {
        Some(t) => tenancy::get_in(conn, t)
            .await?
            .is_some_and(|t| t.staff_mfa_required),
        None => false,
    };
    Ok(user.kind.mfa_required(school_requires))
}

/// Where the signed-in person's two-step sign-in stands.
pub async fn status(services: &Services, who: &Principal) -> Result<Status, ServiceError> {
    let mut conn = services.db.conn().await?;
    let user = person(&mut conn, who).await?;
    let stored = mfa::get(&mut conn, &user.id).await?;
    Ok(Status {
        enabled: stored.as_ref().is_some_and(|t| t.confirmed_at.is_some()),
        required: required(&mut conn, &user).await?,
        pending: stored.as_ref().is_some_and(|t| t.confirmed_at.is_none()),
        recovery_codes_left: mfa::codes_left(&mut conn, &user.id).await?,
    })
}

/// Starts setting up an authenticator: a new secret, waiting for the first code (a secret that
/// waited before is replaced). 409 when two-step sign-in is on already.
pub async fn start(services: &Services, who: &Principal) -> Result<Enrolment, ServiceError> {
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let user = person(&mut tx, who).await?;
    let mut raw = [0u8; 20];
    getrandom::fill(&mut raw).map_err(internal)?;
    let secret = match Secret::Raw(raw.to_vec()).to_encoded() {
        Secret::Encoded(s) => s,
        Secret::Raw(_) => return Err(internal("the secret did not encode")),
    };
    if !mfa::put_pending(&mut tx, &user.id, user.tenant_id.as_ref(), &secret, now).await? {
        return Err(ServiceError::Conflict(Msg::new("err-mfa-on")));
    }
    let enrolment = enrolment(&mut tx, &user, secret).await?;
    tx.commit().await?;
    Ok(enrolment)
}

/// The authenticator waiting for its first code, shown again to its person (a page that asked
/// for the code again after a wrong one); `None` when none waits.
pub async fn pending(
    services: &Services,
    who: &Principal,
) -> Result<Option<Enrolment>, ServiceError> {
    let mut conn = services.db.conn().await?;
    let user = person(&mut conn, who).await?;
    match mfa::get(&mut conn, &user.id).await? {
        Some(t) if t.confirmed_at.is_none() => {
            Ok(Some(enrolment(&mut conn, &user, t.secret).await?))
        }
        _ => Ok(None),
    }
}

/// What the app needs for a secret: the link and its QR code.
async fn enrolment(
    conn: &mut Conn,
    user: &User,
    secret: String,
) -> Result<Enrolment, ServiceError> {
    let totp = totp_of(&secret, &label(conn, user).await?)?;
    let otpauth_url = totp.get_url();
    let qr_svg = qrcode::QrCode::new(otpauth_url.as_bytes())
        .map_err(internal)?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    Ok(Enrolment {
        secret,
        otpauth_url,
        qr_svg,
    })
}

/// New recovery codes: their text (shown once) and their hashes (kept).
fn recovery_codes() -> Result<(Vec<String>, Vec<String>), ServiceError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    let mut hashes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        // Bytes past the last whole multiple of the alphabet are drawn again: every letter is
        // equally likely.
        let limit = 256 - 256 % ALPHABET.len();
        let mut chars = String::with_capacity(10);
        while chars.len() < 10 {
            let mut byte = [0u8; 1];
            getrandom::fill(&mut byte).map_err(internal)?;
            if usize::from(byte[0]) < limit {
                chars.push(char::from(ALPHABET[usize::from(byte[0]) % ALPHABET.len()]));
            }
        }
        hashes.push(hash_secret(&chars));
        codes.push(format!("{}-{}", &chars[..5], &chars[5..]));
    }
    Ok((codes, hashes))
}

/// Switches two-step sign-in on with the first code of the waiting authenticator; gives the
/// recovery codes (shown once). 422 naming `code` when the code is wrong; 409 when nothing
/// waits.
pub async fn confirm(
    services: &Services,
    who: &Principal,
    code: &str,
    origin: Origin,
) -> Result<Vec<String>, ServiceError> {
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let user = person(&mut tx, who).await?;
    let Some(waiting) = mfa::get(&mut tx, &user.id).await? else {
        return Err(ServiceError::Conflict(Msg::new("err-mfa-not-started")));
    };
    if waiting.confirmed_at.is_some() {
        return Err(ServiceError::Conflict(Msg::new("err-mfa-on")));
    }
    let typed = normalised(code);
    let step = is_totp_code(&typed)
        .then(|| totp_of(&waiting.secret, &user.email))
        .transpose()?
        .and_then(|totp| matching_step(&totp, &typed, now))
        .ok_or_else(wrong_code)?;
    if !mfa::confirm(&mut tx, &user.id, step, now).await? {
        return Err(ServiceError::Conflict(Msg::new("err-mfa-on")));
    }
    let (codes, hashes) = recovery_codes()?;
    mfa::replace_codes(&mut tx, &user.id, user.tenant_id.as_ref(), &hashes, now).await?;
    record(&mut tx, who, "auth.mfa_enabled", origin.clone(), now).await?;
    notify(&mut tx, services, &user, Notice::Enabled, &origin, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(codes)
}

/// Switches two-step sign-in off, with a code of the app or a recovery code; refused (403)
/// when it is required of the person.
pub async fn disable(
    services: &Services,
    who: &Principal,
    code: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let user = person(&mut tx, who).await?;
    if required(&mut tx, &user).await? {
        return Err(ServiceError::Forbidden(Msg::new("err-mfa-cannot-disable")));
    }
    if !enabled(&mut tx, &user.id).await? {
        // Only a waiting authenticator (or nothing): it simply goes.
        mfa::remove(&mut tx, &user.id).await?;
        tx.commit().await?;
        return Ok(());
    }
    let (mut tx, _) = pass_signed_in(tx, who, &user, code, &origin, now).await?;
    mfa::remove(&mut tx, &user.id).await?;
    record(&mut tx, who, "auth.mfa_disabled", origin.clone(), now).await?;
    notify(&mut tx, services, &user, Notice::Disabled, &origin, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(())
}

/// New recovery codes in place of the old ones, with a code of the app (or a recovery code).
pub async fn renew_recovery_codes(
    services: &Services,
    who: &Principal,
    code: &str,
    origin: Origin,
) -> Result<Vec<String>, ServiceError> {
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let user = person(&mut tx, who).await?;
    if !enabled(&mut tx, &user.id).await? {
        return Err(ServiceError::Conflict(Msg::new("err-mfa-not-started")));
    }
    let (mut tx, _) = pass_signed_in(tx, who, &user, code, &origin, now).await?;
    let (codes, hashes) = recovery_codes()?;
    mfa::replace_codes(&mut tx, &user.id, user.tenant_id.as_ref(), &hashes, now).await?;
    record(
        &mut tx,
        who,
        "auth.mfa_recovery_renewed",
        origin.clone(),
        now,
    )
    .await?;
    notify(&mut tx, services, &user, Notice::Renewed, &origin, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(codes)
}

/// The owner requires (or stops requiring) two-step sign-in of the school's staff; the staff
/// without it are then led to set it up before anything else.
pub async fn require_for_staff(
    services: &Services,
    who: &Principal,
    required: bool,
    origin: Origin,
) -> Result<(), ServiceError> {
    who.require_access(crate::access::Area::School)?;
    who.require_write()?;
    let tenant_id = match (&who.tenant_id, who.kind) {
        (Some(t), educenter_domain::roles::AccountKind::Owner) => t.clone(),
        _ => return Err(ServiceError::Forbidden(Msg::new("err-owner-only"))),
    };
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    mfa::set_staff_required(&mut tx, &tenant_id, required).await?;
    let entry = who
        .audit("school.staff_mfa_required")
        .origin(origin)
        .tenant(tenant_id.clone())
        .target("tenant", tenant_id.to_string())
        .details(serde_json::json!({ "required": required }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the school requires two-step sign-in of its staff (any of its people may read it).
pub async fn staff_requirement(services: &Services, who: &Principal) -> Result<bool, ServiceError> {
    who.require_access(crate::access::Area::School)?;
    let Some(tenant_id) = &who.tenant_id else {
        return Err(ServiceError::Forbidden(Msg::new("err-owner-only")));
    };
    let mut conn = services.db.conn().await?;
    Ok(tenancy::get_in(&mut conn, tenant_id)
        .await?
        .is_some_and(|t| t.staff_mfa_required))
}

/// Resets another person's two-step sign-in when they lost both their app and their recovery
/// codes: the super-admin for the operator's staff, a school's owner for its staff. Their
/// authenticator and codes go and every session of theirs ends, so they sign in with the
/// password and set it up again (first thing, where it is required); they are told by e-mail.
/// Audited. No one resets their own (403); another school's person or no one is a 404.
pub async fn reset_operator(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    crate::access::require_operator(who, educenter_domain::roles::OperatorAction::ManagePlatform)?;
    reset_for(services, who, id, origin).await
}

/// [`reset_operator`]'s counterpart for a school's owner and its staff.
pub async fn reset_staff(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    if who.kind != educenter_domain::roles::AccountKind::Owner {
        return Err(ServiceError::Forbidden(Msg::new("err-owner-only")));
    }
    reset_for(services, who, id, origin).await
}

async fn reset_for(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    who.require_session()?;
    who.require_write()?;
    let id = UserId::new(id);
    if id == who.user_id {
        return Err(ServiceError::Forbidden(Msg::new("err-mfa-reset-self")));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let not_found = || ServiceError::NotFound(Msg::new("err-no-staff-member"));
    let target = accounts::get(&mut tx, &id)
        .await?
        .filter(|u| u.removed_at.is_none())
        .ok_or_else(not_found)?;
    let allowed = match who.kind {
        educenter_domain::roles::AccountKind::Operator => {
            crate::access::require_operator(
                who,
                educenter_domain::roles::OperatorAction::ManagePlatform,
            )?;
            target.kind == educenter_domain::roles::AccountKind::Operator
        }
        educenter_domain::roles::AccountKind::Owner => {
            who.require_access(crate::access::Area::School)?;
            target.kind == educenter_domain::roles::AccountKind::Staff
                && target.tenant_id.is_some()
                && target.tenant_id == who.tenant_id
        }
        _ => return Err(ServiceError::Forbidden(Msg::new("err-owner-only"))),
    };
    if !allowed {
        return Err(not_found());
    }
    mfa::remove(&mut tx, &target.id).await?;
    educenter_store::sessions::revoke_all(&mut tx, &target.id, now).await?;
    let mut entry = who
        .audit("auth.mfa_reset")
        .target("user", target.id.clone())
        .origin(origin.clone());
    if let Some(t) = &target.tenant_id {
        entry = entry.tenant(t.clone());
    }
    audit::record(&mut tx, &entry, now).await?;
    notify(&mut tx, services, &target, Notice::Reset, &origin, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(())
}

async fn record(
    tx: &mut Conn,
    who: &Principal,
    action: &str,
    origin: Origin,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let mut entry = who
        .audit(action)
        .origin(origin)
        .target("user", who.user_id.clone());
    if let Some(t) = &who.tenant_id {
        entry = entry.tenant(t.clone());
    }
    audit::record(tx, &entry, now).await?;
    Ok(())
}

/// What a security e-mail tells its person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Notice {
    Enabled,
    Disabled,
    Renewed,
    /// Signed in with a recovery code; this many are left.
    RecoveryUsed(i64),
    /// Signed in from a device not seen before.
    NewDevice,
    /// Reset by the super-admin or the school's owner.
    Reset,
}

/// Queues the security e-mail of `notice` to the person, in their language, naming when and
/// from where (the caller wakes the mailer after its commit).
pub(crate) async fn notify(
    tx: &mut Conn,
    services: &Services,
    user: &User,
    notice: Notice,
    origin: &Origin,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let lang = Lang::from_code(&user.locale).unwrap_or(Lang::Ru);
    let key = match notice {
        Notice::Enabled => "mail-security-mfa-on",
        Notice::Disabled => "mail-security-mfa-off",
        Notice::Renewed => "mail-security-recovery-renewed",
        Notice::RecoveryUsed(_) => "mail-security-recovery-used",
        Notice::NewDevice => "mail-security-new-device",
        Notice::Reset => "mail-security-mfa-reset",
    };
    let mut args = FluentArgs::new();
    args.set("name", user.full_name.clone());
    let when = educenter_domain::clock::almaty()
        .to_datetime(now)
        .strftime("%Y-%m-%d %H:%M")
        .to_string();
    args.set("when", when);
    args.set("ip", origin.ip.clone().unwrap_or_else(|| "-".into()));
    let device: String = origin
        .user_agent
        .as_deref()
        .unwrap_or("-")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    args.set("device", device);
    if let Notice::RecoveryUsed(left) = notice {
        args.set("left", left);
    }
    let mail = NewMail {
        to: user.email.clone(),
        subject: services.i18n.t_args(lang, &format!("{key}-subject"), &args),
        text: services.i18n.t_args(lang, &format!("{key}-body"), &args),
        html: None,
        class: outbox::MailClass::Transactional,
    };
    outbox::queue(tx, &mail, now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret "12345678901234567890" gives 94287082 at
    /// 59 s; its last six digits are what a six-digit app shows.
    #[test]
    fn codes_are_those_of_rfc_6238() {
        let secret = match Secret::Raw(b"12345678901234567890".to_vec()).to_encoded() {
            Secret::Encoded(s) => s,
            Secret::Raw(_) => unreachable!(),
        };
        let totp = totp_of(&secret, "a@b.kz").unwrap();
        assert_eq!(totp.generate(59), "287082");
        assert_eq!(totp.generate(1_111_111_109), "081804");
        let at = Timestamp::from_second(1_111_111_109).unwrap();
        assert_eq!(matching_step(&totp, "081804", at), Some(1_111_111_109 / 30));
        // One step either side is accepted, two are not.
        let next = Timestamp::from_second(1_111_111_109 + 30).unwrap();
        assert!(matching_step(&totp, "081804", next).is_some());
        let later = Timestamp::from_second(1_111_111_109 + 60).unwrap();
        assert_eq!(matching_step(&totp, "081804", later), None);
        assert_eq!(matching_step(&totp, "000000", at), None);
    }

    #[test]
    fn typed_codes_lose_spaces_and_dashes() {
        assert_eq!(normalised(" 123 456 "), "123456");
        assert_eq!(normalised("ABCDE-fghjk"), "abcdefghjk");
        assert!(is_totp_code("123456"));
        assert!(!is_totp_code("12345"));
        assert!(!is_totp_code("abcdefghjk"));
    }
}
