//! Students joining a school's site: the public catalogue, sign-up with the privacy consent, and self-enrolment in a published course.

use super::*;
use educenter_domain::ids::TenantId;
use educenter_domain::learning::{ConsentKind, EnrolmentSource};
use educenter_domain::roles::AccountKind;
use educenter_domain::roles::Role;
use educenter_domain::roles::TokenPurpose;

/// The school's public catalogue: its published courses.
pub async fn catalogue(services: &Services, tenant: &Tenant) -> Result<Vec<Course>, ServiceError> {
    let mut conn = services.db.conn().await?;
    // The school the site's address names.
    let mut all = content_store::courses(&mut conn, &tenant.id).await?;
    all.retain(|c| c.status.is_published());
    Ok(all)
}

/// A student's sign-up on the school's site.
#[derive(Debug, Clone)]
pub struct SignupInput {
    pub full_name: String,
    pub email: String,
    pub password: String,
    /// The privacy consent (required).
    pub privacy: bool,
    /// Mailings from the school (optional, R-2.6b).
    pub marketing: bool,
    pub lang: Lang,
}

/// Signs a student up in a school: the account, the consents with the exact texts and time,
/// and an e-mail with a verification link; within the plan's student limit.
pub async fn signup(
    services: &Services,
    tenant: &Tenant,
    input: SignupInput,
    origin: Origin,
) -> Result<UserId, ServiceError> {
    let mut errors = Vec::new();
    let full_name = input.full_name.trim().to_owned();
    if let Some(m) = Msg::text_error(&full_name, 1, 200, false) {
        errors.push(("full_name".into(), m));
    }
    let email = input.email.trim().to_lowercase();
    if email.len() > 254 || !educenter_domain::tenancy::valid_email(&email) {
        errors.push(("email".into(), Msg::email()));
    }
    if let Err(e) = check_password(&input.password, &email) {
        errors.push(("password".into(), e.into()));
    }
    if !input.privacy {
        errors.push(("privacy".into(), Msg::new("err-privacy-consent")));
    }
    invalid(errors)?;
    let hash = hash_password(input.password.clone()).await?;
    let now = services.clock.now();
    // The school the site's address names.
    let school = tenant.id.clone();
    let mut tx = services.db.begin().await?;
    // Each sign-up e-mails the address and takes a seat of the school's quota.
    crate::throttle::take(
        &mut tx,
        &crate::throttle::student_signup(&tenant.id, origin.ip.as_deref()),
        now,
    )
    .await?;
    // A removed account keeps its address: the school can bring the student back.
    if users::find_any_by_email(&mut tx, &tenant.id, &email)
        .await?
        .is_some()
    {
        return Err(ServiceError::Invalid(vec![(
            "email".into(),
            Msg::new("err-email-taken-school"),
        )]));
    }
    check_limit(&mut tx, &school, Metric::Students, 1, now).await?;
    let learner = Learner {
        full_name: &full_name,
        email: &email,
        lang: input.lang,
    };
    let user_id = create_learner(&mut tx, tenant, &learner, None, Some(&hash), now).await?;
    let i18n = &services.i18n;
    // The school's own privacy text when it has one: the consent keeps its version.
    let privacy = crate::privacy::shown(&mut tx, services, tenant, input.lang).await?;
    store::insert_consent(
        &mut tx,
        &school,
        &user_id,
        ConsentKind::Privacy,
        &privacy.version,
        &privacy.text,
        now,
    )
    .await?;
    if input.marketing {
        let mut args = FluentArgs::new();
        args.set("school", tenant.name.clone());
        store::insert_consent(
            &mut tx,
            &school,
            &user_id,
            ConsentKind::Marketing,
            MARKETING_VERSION,
            &i18n.t_args(input.lang, "learner-marketing-consent", &args),
            now,
        )
        .await?;
    }
    let (secret, token_hash) = new_secret()?;
    users::create_token(
        &mut tx,
        &token_hash,
        TokenPurpose::VerifyEmail,
        &user_id,
        Some(&tenant.id),
        now,
        now + crate::accounts::VERIFY_EMAIL_VALIDITY,
    )
    .await?;
    // The student's mail names the school as its students see it, and its link opens on the
    // school's site (issue 17, item 2).
    let mut args = FluentArgs::new();
    args.set("name", full_name.clone());
    args.set("school", tenant.display_name().to_owned());
    args.set(
        "verify_url",
        format!(
            "{}verify-email?token={secret}",
            services.school_url(&tenant.slug)
        ),
    );
    args.set("school_url", services.school_url(&tenant.slug));
    outbox::queue(
        &mut tx,
        &NewMail {
            to: email.clone(),
            subject: i18n.t_args(input.lang, "mail-learner-welcome-subject", &args),
            text: i18n.t_args(input.lang, "mail-learner-welcome-body", &args),
            html: None,
            class: outbox::MailClass::Transactional,
        },
        now,
    )
    .await?;
    let entry = Entry::new(Actor::Anonymous, "learner.signup")
        .tenant(tenant.id.clone())
        .target("user", user_id.clone())
        .origin(origin)
        .details(serde_json::json!({
            "privacy": privacy.version,
            "marketing": input.marketing.then_some(MARKETING_VERSION),
        }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(user_id)
}

/// The privacy consent's text as a student reads it at this school.
pub fn privacy_text(services: &Services, lang: Lang, tenant: &Tenant) -> String {
    let mut args = FluentArgs::new();
    args.set("school", tenant.name.clone());
    services.i18n.t_args(lang, "learner-privacy-consent", &args)
}

/// A student as their account and their e-mails name them.
pub(crate) struct Learner<'a> {
    pub full_name: &'a str,
    pub email: &'a str,
    /// The language of their pages and e-mails.
    pub lang: Lang,
}

/// Creates a student's account in the school (with a password when they chose one).
pub(crate) async fn create_learner(
    conn: &mut Conn,
    tenant: &Tenant,
    learner: &Learner<'_>,
    phone: Option<&str>,
    password_hash: Option<&str>,
    now: Timestamp,
) -> Result<UserId, ServiceError> {
    Ok(users::create(
        conn,
        &NewUser {
            tenant_id: Some(&tenant.id),
            kind: AccountKind::Learner,
            role: Role::Learner,
            email: learner.email,
            full_name: learner.full_name,
            phone,
            password_hash,
            locale: learner.lang.code(),
            created_at: now,
        },
    )
    .await?)
}

pub(crate) fn learner(who: &Principal) -> Result<TenantId, ServiceError> {
    crate::access::require_learner(who).cloned()
}

pub(crate) async fn published_course(
    conn: &mut Conn,
    tenant: &TenantId,
    id: &CourseId,
) -> Result<Course, ServiceError> {
    content_store::course(conn, tenant, id)
        .await?
        .filter(|c| c.deleted_at.is_none() && c.status.is_published())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-course")))
}

/// A student enrols in a published course the school opened for self-enrolment.
pub async fn enrol_self(
    services: &Services,
    who: &Principal,
    course_id: &str,
    origin: Origin,
) -> Result<Enrolment, ServiceError> {
    let course_id = &CourseId::new(course_id);
    let tenant = learner(who)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let course = published_course(&mut tx, &tenant, course_id).await?;
    if let Some(e) = store::enrolment(&mut tx, &tenant, course_id, &who.user_id).await?
        && e.removed_at.is_none()
    {
        return Ok(e);
    }
    if !course.self_enrol {
        return Err(ServiceError::Forbidden(Msg::new("err-no-self-enrol")));
    }
    let e = store::enrol(
        &mut tx,
        &Enrolment {
            id: new_id(),
            tenant_id: tenant.clone(),
            course_id: course.id.clone(),
            user_id: who.user_id.clone(),
            source: EnrolmentSource::SelfSignUp,
            access_from: None,
            access_to: None,
            enrolled_at: now,
            completed_at: None,
            removed_at: None,
        },
    )
    .await?;
    let entry = who
        .audit("enrolment.create")
        .tenant(tenant)
        .target("enrolment", e.id.clone())
        .origin(origin)
        .details(serde_json::json!({ "course": course.id, "source": "self" }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(e)
}
