//! Signing in (issue 15, items 11 and 16): an e-mail and a password are enough. Without a
//! school, every account of the e-mail whose password is right is a match: one match signs in;
//! several (people of several schools) ask which school, naming only those where the password
//! is right. Failures are throttled per address and per e-mail without ever locking the right
//! password out: after 5 failures for an e-mail, signing in with it needs a code e-mailed to
//! it as well (an attacker who knows the address can no longer lock its owner out).

use educenter_domain::access::AccessEvent;
use educenter_domain::ids::UserId;
use educenter_domain::roles::AccountKind;
use educenter_domain::tenancy::is_clean_text;
use educenter_store::{
    Conn,
    accounts::User,
    audit::{self, Actor, Entry, Origin},
    blocks,
    outbox::{self, NewMail},
    sessions::{self, NewSession},
    signin, tenancy,
};
use fluent_bundle::FluentArgs;
use jiff::{SignedDuration, Timestamp};
use tokio::sync::OnceCell;

use crate::Msg;
use crate::{
    ServiceError, Services,
    accounts::{hash_password, hash_secret, new_secret, verify_password},
    i18n::Lang,
    sessions::{
        ACCOUNT_BUCKET, ADDRESS_BUCKET, API_SESSION_LIFETIME, Issued, SessionKind,
        WEB_ABSOLUTE_LIFETIME, WEB_IDLE_TIMEOUT, principal_actor,
    },
};

/// At most this many accounts of one e-mail are looked at.
const MAX_ACCOUNTS: i64 = 20;
/// A sign-in code works this long...
const CODE_LIFETIME: SignedDuration = SignedDuration::from_mins(15);
/// ...for this many tries, and a new one is e-mailed at most this often.
const CODE_TRIES: i64 = 5;
const CODE_RESEND: SignedDuration = SignedDuration::from_secs(60);
/// A choice of school stays open this long.
const CHOICE_LIFETIME: SignedDuration = SignedDuration::from_mins(5);

/// What was typed.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    pub email: String,
    pub password: String,
    /// The school's slug; `None` (or empty): find it from the e-mail.
    pub tenant: Option<String>,
    /// The code e-mailed after too many failures.
    pub code: Option<String>,
    /// The second step of a person with two-step sign-in on: a code of their authenticator
    /// app, or one of their recovery codes.
    pub totp: Option<String>,
}

/// A school an e-mail and password match, to choose from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolChoice {
    /// Empty for the operator's back office.
    pub slug: String,
    pub name: String,
}

/// How signing in went.
#[derive(Debug, Clone)]
pub enum SignIn {
    /// Signed in: the session's secret and expiry, and the person.
    Session(Issued, SignedInAs),
    /// The password is right for people of several schools: choose one. `choice` is a secret
    /// that lets a browser choose without sending the password again (a program repeats the
    /// call with `tenant`).
    Choose {
        schools: Vec<SchoolChoice>,
        choice: String,
    },
    /// The password was right and the person signs in in two steps: the browser asks for the
    /// code, sending `challenge` back with it (a program gets 401 `mfa-required` instead and
    /// repeats the call with `totp`). `retry`: a code was typed and was wrong.
    SecondStep { challenge: String, retry: bool },
}

impl SignIn {
    /// The session of a sign-in that opened one.
    pub fn session(self) -> Option<Issued> {
        match self {
            Self::Session(issued, _) => Some(issued),
            Self::Choose { .. } | Self::SecondStep { .. } => None,
        }
    }
}

/// Who signed in.
#[derive(Debug, Clone)]
pub struct SignedInAs {
    pub kind: educenter_domain::roles::AccountKind,
    pub slug: Option<String>,
}

fn wrong() -> ServiceError {
    ServiceError::Unauthorized(Msg::new("err-wrong-credentials"))
}

/// A hash of a random password, checked when the e-mail is unknown so that unknown and known
/// e-mails take about the same time.
async fn decoy_hash() -> Result<&'static str, ServiceError> {
    static DECOY: OnceCell<String> = OnceCell::const_new();
    DECOY
        .get_or_try_init(|| async {
            let (random, _) = new_secret()?;
            hash_password(random).await
        })
        .await
        .map(String::as_str)
}

/// The accounts the typed e-mail may sign in to: in the named school, or anywhere.
async fn candidates(
    conn: &mut Conn,
    email: &str,
    tenant: Option<&str>,
) -> Result<Vec<User>, ServiceError> {
    Ok(match tenant {
        Some(slug) => match tenancy::by_slug(conn, slug).await? {
            Some(t) => educenter_store::accounts::find_by_email(conn, &t.id, email)
                .await?
                .into_iter()
                .collect(),
            None => Vec::new(),
        },
        None => signin::accounts_of(conn, email, MAX_ACCOUNTS).await?,
    })
}

/// Signs in with an e-mail and a password (and a school, or a code when one is needed); opens
/// a session of `kind`. The staff and learners of a blocked school are refused with 403 once
/// the password is right.
pub async fn login(
    services: &Services,
    c: Credentials,
    kind: SessionKind,
    origin: Origin,
) -> Result<SignIn, ServiceError> {
    let email = c.email.trim().to_lowercase();
    let tenant = c
        .tenant
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    if !is_clean_text(&email, false) || tenant.as_deref().is_some_and(|t| !is_clean_text(t, false))
    {
        return Err(wrong());
    }
    let now = services.clock.now();
    let account_bucket = format!("login:email:{email}");
    let address_bucket = format!("login:address:{}", origin.ip.as_deref().unwrap_or("-"));

    // The address pays for every try before a password is looked at (atomically, so a burst
    // cannot pass the limit); the e-mail's failures decide whether a code is needed.
    let mut tx = services.db.begin().await?;
    if let Some(wait) = sessions::try_take(&mut tx, &address_bucket, ADDRESS_BUCKET, now).await? {
        tx.rollback().await?;
        return Err(ServiceError::TooManyRequests(
            u64::try_from(wait.as_secs()).unwrap_or(1).max(1),
        ));
    }
    let needs_code = sessions::try_take(&mut tx, &account_bucket, ACCOUNT_BUCKET, now)
        .await?
        .is_some();
    let users = candidates(&mut tx, &email, tenant.as_deref()).await?;
    tx.commit().await?;

    // The account a failed sign-in was aimed at, when the address names exactly one.
    let aimed_at = match users.as_slice() {
        [user] => Some((user.kind, user.id.clone(), user.tenant_id.clone())),
        _ => None,
    };
    let mut matched = Vec::new();
    if users.iter().all(|u| u.password_hash.is_none()) {
        // No account, or none with a password yet: the same work as a wrong password.
        verify_password(c.password.clone(), decoy_hash().await?.to_owned()).await;
    }
    for user in users {
        if let Some(hash) = user.password_hash.clone()
            && verify_password(c.password.clone(), hash).await
        {
            matched.push(user);
        }
    }

    let mut tx = services.db.begin().await?;
    if matched.is_empty() {
        let entry = Entry::new(Actor::Anonymous, "auth.login_failed")
            .origin(origin)
            .details(serde_json::json!({ "email": email, "tenant": tenant }));
        crate::access_log::sign(
            &mut tx,
            AccessEvent::SignInFailed,
            aimed_at.as_ref().map(|(k, id, t)| (*k, id, t.as_ref())),
            &entry.origin,
            now,
        )
        .await?;
        audit::record(&mut tx, &entry, now).await?;
        tx.commit().await?;
        return Err(if needs_code {
            // The same answer as for the right password: whether it was right is not said.
            ServiceError::CodeRequired
        } else {
            wrong()
        });
    }
    if needs_code {
        // The code (and its e-mail) is kept even though this answer is a refusal.
        if let Err(e) =
            check_code(&mut tx, services, &email, c.code.as_deref(), &matched, now).await
        {
            tx.commit().await?;
            services.mailer.wake();
            return Err(e);
        }
    }
    if matched.len() > 1 {
        sessions::give_back(&mut tx, &address_bucket, ADDRESS_BUCKET).await?;
        let choice = choose(&mut tx, &matched, now).await?;
        tx.commit().await?;
        return Ok(choice);
    }
    let user = matched.remove(0);
    let signed = finish(
        &mut tx,
        services,
        &user,
        c.totp.as_deref(),
        kind,
        &origin,
        now,
    )
    .await;
    match &signed {
        Ok(SignIn::Session(..)) => {
            sessions::give_back(&mut tx, &address_bucket, ADDRESS_BUCKET).await?;
            signin::clear(&mut tx, &email, &account_bucket).await?;
        }
        // The password was right: the address's try is given back (the code's tries are
        // counted on their own).
        Ok(SignIn::SecondStep { retry: false, .. }) => {
            sessions::give_back(&mut tx, &address_bucket, ADDRESS_BUCKET).await?;
        }
        _ => {}
    }
    settle(tx, services, signed).await
}

/// Commits what a sign-in did, whether it signed in or was refused at the second step (the
/// refusal's audit entry and the spent tries stay), and gives its answer.
async fn settle(
    tx: educenter_store::Tx,
    services: &Services,
    signed: Result<SignIn, ServiceError>,
) -> Result<SignIn, ServiceError> {
    match signed {
        Ok(s) => {
            tx.commit().await?;
            services.mailer.wake();
            Ok(s)
        }
        Err(e @ (ServiceError::Unauthorized(_) | ServiceError::MfaCodeRequired)) => {
            tx.commit().await?;
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// The last step of signing in a person whose password (or choice of school) was right: their
/// second step when they sign in in two steps, then the session.
async fn finish(
    tx: &mut Conn,
    services: &Services,
    user: &User,
    totp: Option<&str>,
    kind: SessionKind,
    origin: &Origin,
    now: Timestamp,
) -> Result<SignIn, ServiceError> {
    if crate::mfa::enabled(tx, &user.id).await? {
        let Some(typed) = totp.map(str::trim).filter(|t| !t.is_empty()) else {
            return match kind {
                SessionKind::Web => Ok(SignIn::SecondStep {
                    challenge: challenge(tx, user, now).await?,
                    retry: false,
                }),
                SessionKind::Api => Err(ServiceError::MfaCodeRequired),
            };
        };
        match crate::mfa::pass(tx, user, typed, now).await? {
            None => {
                let mut entry = Entry::new(
                    principal_actor(user.kind.as_str(), &user.id),
                    "auth.mfa_failed",
                )
                .target("user", user.id.clone())
                .origin(origin.clone());
                if let Some(t) = &user.tenant_id {
                    entry = entry.tenant(t.clone());
                }
                crate::access_log::sign(
                    tx,
                    AccessEvent::SignInFailed,
                    Some((user.kind, &user.id, user.tenant_id.as_ref())),
                    origin,
                    now,
                )
                .await?;
                audit::record(tx, &entry, now).await?;
                return match kind {
                    SessionKind::Web => Ok(SignIn::SecondStep {
                        challenge: challenge(tx, user, now).await?,
                        retry: true,
                    }),
                    SessionKind::Api => Err(ServiceError::Unauthorized(Msg::new("err-totp-wrong"))),
                };
            }
            Some(crate::mfa::Passed::Recovery(left)) => {
                let notice = crate::mfa::Notice::RecoveryUsed(left);
                crate::mfa::notify(tx, services, user, notice, origin, now).await?;
            }
            Some(crate::mfa::Passed::Totp) => {}
        }
    }
    open_session(tx, services, user, kind, origin.clone(), now).await
}

/// A secret the browser sends back with the second step, naming the person (once, for
/// [`CHOICE_LIFETIME`]).
async fn challenge(tx: &mut Conn, user: &User, now: Timestamp) -> Result<String, ServiceError> {
    let (challenge, hash) = new_secret()?;
    signin::put_choice(
        tx,
        &hash,
        std::slice::from_ref(&user.id),
        now + CHOICE_LIFETIME,
    )
    .await?;
    Ok(challenge)
}

/// The second step in the browser: the code typed with the challenge given after the password
/// (on a school's site, `school`: the challenge must be one of its people's).
/// Tries are throttled per address and per e-mail as sign-ins are; a wrong code gives a new
/// challenge to try again with.
pub async fn second_step(
    services: &Services,
    challenge: &str,
    code: &str,
    school: Option<&educenter_domain::ids::TenantId>,
    kind: SessionKind,
    origin: Origin,
) -> Result<SignIn, ServiceError> {
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let ids = signin::take_choice(&mut tx, &hash_secret(challenge.trim()), now).await?;
    // On a school's site, only that school's people.
    let user = match ids.as_deref() {
        Some([id]) => educenter_store::accounts::get(&mut tx, id)
            .await?
            .filter(|u| u.removed_at.is_none())
            .filter(|u| school.is_none_or(|s| u.tenant_id.as_ref() == Some(s))),
        _ => None,
    };
    let Some(user) = user else {
        tx.commit().await?;
        return Err(ServiceError::Gone(Msg::new("err-signin-expired")));
    };
    let address_bucket = format!("login:address:{}", origin.ip.as_deref().unwrap_or("-"));
    let account_bucket = format!("login:email:{}", user.email);
    for (bucket, shape) in [
        (&address_bucket, ADDRESS_BUCKET),
        (&account_bucket, ACCOUNT_BUCKET),
    ] {
        if let Some(wait) = sessions::try_take(&mut tx, bucket, shape, now).await? {
            tx.commit().await?;
            return Err(ServiceError::TooManyRequests(
                u64::try_from(wait.as_secs()).unwrap_or(1).max(1),
            ));
        }
    }
    let signed = finish(&mut tx, services, &user, Some(code), kind, &origin, now).await;
    if let Ok(SignIn::Session(..)) = &signed {
        sessions::give_back(&mut tx, &address_bucket, ADDRESS_BUCKET).await?;
        signin::clear(&mut tx, &user.email, &account_bucket).await?;
    }
    settle(tx, services, signed).await
}

/// The schools to choose from, kept behind a secret for the browser.
async fn choose(tx: &mut Conn, matched: &[User], now: Timestamp) -> Result<SignIn, ServiceError> {
    let mut schools = Vec::new();
    for user in matched {
        schools.push(match &user.tenant_id {
            Some(t) => match tenancy::get_in(tx, t).await? {
                Some(t) => SchoolChoice {
                    slug: t.slug,
                    name: t.name,
                },
                None => continue,
            },
            None => SchoolChoice {
                slug: String::new(),
                name: "EduCenter".into(),
            },
        });
    }
    let (choice, choice_hash) = new_secret()?;
    let ids: Vec<UserId> = matched.iter().map(|u| u.id.clone()).collect();
    signin::put_choice(tx, &choice_hash, &ids, now + CHOICE_LIFETIME).await?;
    Ok(SignIn::Choose { schools, choice })
}

/// Finishes a choice of school made in the browser: the account of that school among the ones
/// the password matched, while the choice is open (once).
pub async fn chosen(
    services: &Services,
    choice: &str,
    slug: &str,
    kind: SessionKind,
    origin: Origin,
) -> Result<SignIn, ServiceError> {
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let Some(ids) = signin::take_choice(&mut tx, &hash_secret(choice.trim()), now).await? else {
        tx.commit().await?;
        return Err(wrong());
    };
    let slug = slug.trim();
    let tenant_id = match slug {
        "" => None,
        slug => match tenancy::by_slug(&mut tx, slug).await? {
            Some(t) => Some(t.id),
            None => return Err(wrong()),
        },
    };
    let mut found = None;
    for id in &ids {
        if let Some(u) = educenter_store::accounts::get(&mut tx, id).await?
            && u.removed_at.is_none()
            && u.tenant_id.as_deref() == tenant_id.as_deref()
        {
            found = Some(u);
        }
    }
    let Some(user) = found else {
        tx.commit().await?;
        return Err(wrong());
    };
    let signed = finish(&mut tx, services, &user, None, kind, &origin, now).await;
    if let Ok(SignIn::Session(..)) = &signed {
        signin::clear(&mut tx, &user.email, &format!("login:email:{}", user.email)).await?;
    }
    settle(tx, services, signed).await
}

/// With too many failures for the e-mail, the right password needs the code e-mailed to it:
/// a right code passes; otherwise a code is e-mailed (at most once a minute) and the sign-in
/// waits for it.
async fn check_code(
    tx: &mut Conn,
    services: &Services,
    email: &str,
    typed: Option<&str>,
    matched: &[User],
    now: Timestamp,
) -> Result<(), ServiceError> {
    let stored = signin::code(tx, email).await?;
    if let (Some(code), Some(typed)) = (&stored, typed.map(str::trim).filter(|t| !t.is_empty())) {
        if code.expires_at > now
            && code.attempts < CODE_TRIES
            && code.code_hash == hash_secret(typed)
        {
            return Ok(());
        }
        signin::count_code_attempt(tx, email).await?;
    }
    let fresh = stored
        .as_ref()
        .is_some_and(|c| c.expires_at > now && now.duration_since(c.sent_at) < CODE_RESEND);
    if !fresh {
        let code = six_digits()?;
        signin::put_code(tx, email, &hash_secret(&code), now, now + CODE_LIFETIME).await?;
        let lang = matched
            .first()
            .and_then(|u| Lang::from_code(&u.locale))
            .unwrap_or(Lang::Ru);
        let mut args = FluentArgs::new();
        args.set("code", code);
        args.set("minutes", CODE_LIFETIME.as_mins());
        let mail = NewMail {
            to: email.to_owned(),
            subject: services.i18n.t_args(lang, "mail-login-code-subject", &args),
            text: services.i18n.t_args(lang, "mail-login-code-body", &args),
            html: None,
            class: outbox::MailClass::Transactional,
        };
        outbox::queue(tx, &mail, now).await?;
        services.mailer.wake();
    }
    Err(ServiceError::CodeRequired)
}

/// A random six-digit code.
fn six_digits() -> Result<String, ServiceError> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(format!("{:06}", u32::from_le_bytes(bytes) % 1_000_000))
}

/// Opens a session for a matched account; a sign-in from a device the person never signed in
/// from before is told to them by e-mail.
async fn open_session(
    tx: &mut Conn,
    services: &Services,
    user: &User,
    kind: SessionKind,
    origin: Origin,
    now: Timestamp,
) -> Result<SignIn, ServiceError> {
    // The owner of a blocked school still signs in (billing, documents, export, deletion);
    // staff and learners do not.
    if let Some(tenant_id) = user
        .tenant_id
        .as_ref()
        .filter(|_| user.kind != AccountKind::Owner)
        && let Some(block) = blocks::in_force(tx, tenant_id).await?.into_iter().next()
    {
        return Err(ServiceError::Blocked(block.reason));
    }
    let (before, same_device) =
        sessions::device_seen(tx, &user.id, origin.user_agent.as_deref()).await?;
    if before && !same_device {
        crate::mfa::notify(
            tx,
            services,
            user,
            crate::mfa::Notice::NewDevice,
            &origin,
            now,
        )
        .await?;
    }
    let (token, secret_hash) = new_secret()?;
    let (idle_expires_at, absolute_expires_at) = match kind {
        SessionKind::Api => (now + API_SESSION_LIFETIME, now + API_SESSION_LIFETIME),
        SessionKind::Web => (now + WEB_IDLE_TIMEOUT, now + WEB_ABSOLUTE_LIFETIME),
    };
    sessions::create(
        tx,
        &NewSession {
            secret_hash: &secret_hash,
            user_id: &user.id,
            tenant_id: user.tenant_id.as_ref(),
            kind,
            now,
            idle_expires_at,
            absolute_expires_at,
            ip: origin.ip.as_deref(),
            user_agent: origin.user_agent.as_deref(),
        },
    )
    .await?;
    let mut entry = Entry::new(principal_actor(user.kind.as_str(), &user.id), "auth.login")
        .target("user", user.id.clone())
        .origin(origin)
        .details(serde_json::json!({ "session": kind }));
    let mut slug = None;
    if let Some(t) = &user.tenant_id {
        entry = entry.tenant(t.clone());
        slug = tenancy::get_in(tx, t).await?.map(|t| t.slug);
    }
    crate::access_log::sign(
        tx,
        AccessEvent::SignIn,
        Some((user.kind, &user.id, user.tenant_id.as_ref())),
        &entry.origin,
        now,
    )
    .await?;
    audit::record(tx, &entry, now).await?;
    Ok(SignIn::Session(
        Issued {
            token,
            expires_at: idle_expires_at,
        },
        SignedInAs {
            kind: user.kind,
            slug,
        },
    ))
}

/// Signs in at a named school (the school's own site): one account or none (never
/// [`SignIn::Choose`]).
pub async fn login_at(
    services: &Services,
    email: &str,
    password: &str,
    slug: &str,
    code: Option<&str>,
    kind: SessionKind,
    origin: Origin,
) -> Result<SignIn, ServiceError> {
    let c = Credentials {
        email: email.to_owned(),
        password: password.to_owned(),
        tenant: Some(slug.to_owned()),
        code: code.map(str::to_owned),
        totp: None,
    };
    login(services, c, kind, origin).await
}
