//! Certificates (issue 19, item 6). A course may issue one: a student who completes it (every
//! required lesson done) and passes every graded item (its quizzes passed, its assignments
//! accepted) gets one, issued once, in their language, with the school's name and colour, a
//! verification code and a QR code of the public page that checks it (`/verify/{code}`). The
//! owner, the administrators and the course's teachers may revoke one; the public page then
//! says so.

use educenter_domain::clock::local_date;
use educenter_domain::gradebook::GradeState;
use educenter_domain::ids::{CourseId, TenantId, UserId};
use educenter_domain::roles::{AccountKind, TenantAction};
use educenter_store::audit::{self, Actor, Entry, Origin};
use educenter_store::certificates::{self as store, Certificate};
use educenter_store::{Conn, content as content_store, new_id};

use crate::i18n::Lang;
use crate::{Msg, ServiceError, Services, access::Principal};

/// The platform's own accent, for a school that chose none.
const DEFAULT_ACCENT: &str = "#007a8c";

fn no_certificate() -> ServiceError {
    ServiceError::NotFound(Msg::new("err-no-certificate"))
}

/// A new verification code: 12 characters of Crockford's base32 (no I, L, O, U), in three
/// groups (`7KQ2-M9XD-4HTE`): 60 random bits.
fn new_code() -> Result<String, ServiceError> {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(b % 32)] as char)
        .collect();
    Ok(chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// Whether the student passed every graded item of the course (its quizzes passed, its
/// assignments accepted).
async fn passed_all(
    conn: &mut Conn,
    tenant: &TenantId,
    course: &CourseId,
    user: &UserId,
) -> Result<bool, ServiceError> {
    let lessons = content_store::course_outline(conn, tenant, course).await?;
    let items = crate::gradebook::items_of(&lessons);
    let standings = crate::gradebook::Standings::read(conn, tenant, course).await?;
    Ok(standings
        .cells(&items, user)
        .iter()
        .all(|c| c.state == GradeState::Passed))
}

/// Issues the student's certificate for the course in the caller's transaction when the course
/// issues one, the student completed it and passed every graded item, and they have none yet;
/// answers it when issued now.
pub(crate) async fn issue_if_earned(
    services: &Services,
    tx: &mut Conn,
    tenant: &TenantId,
    user: &UserId,
    course_id: &CourseId,
) -> Result<Option<Certificate>, ServiceError> {
    let Some(course) = content_store::course(tx, tenant, course_id)
        .await?
        .filter(|c| c.certificate && c.deleted_at.is_none())
    else {
        return Ok(None);
    };
    let completed = educenter_store::learning::enrolment(tx, tenant, course_id, user)
        .await?
        .is_some_and(|e| e.removed_at.is_none() && e.completed_at.is_some());
    if !completed
        || store::of_student(tx, tenant, course_id, user)
            .await?
            .is_some()
        || !passed_all(tx, tenant, course_id, user).await?
    {
        return Ok(None);
    }
    let (Some(student), Some(school)) = (
        educenter_store::accounts::get(tx, user).await?,
        educenter_store::tenancy::get_in(tx, tenant).await?,
    ) else {
        return Ok(None);
    };
    let now = services.clock.now();
    let lang = Lang::from_code(&student.locale)
        .or_else(|| Lang::from_code(&school.locale))
        .unwrap_or(Lang::Ru);
    let c = Certificate {
        id: new_id(),
        tenant_id: tenant.clone(),
        course_id: course_id.clone(),
        user_id: user.clone(),
        code: new_code()?,
        holder_name: student.full_name.clone(),
        course_title: course.title.clone(),
        school_name: school.display_name().to_owned(),
        issued_on: local_date(now).to_string(),
        lang: lang.code().to_owned(),
        issued_at: now,
        revoked_at: None,
        revoked_by: None,
    };
    if !store::insert(tx, &c).await? {
        return Ok(None);
    }
    let entry = Entry::new(Actor::System, "certificate.issue")
        .tenant(tenant.clone())
        .target("certificate", c.id.clone());
    audit::record(tx, &entry, now).await?;
    Ok(Some(c))
}

/// The student's certificates (issuing any they earned and have not got yet: a course that
/// started issuing them after they completed it, say), newest first.
pub async fn mine(services: &Services, who: &Principal) -> Result<Vec<Certificate>, ServiceError> {
    let tenant = crate::access::require_learner(who)?.clone();
    // A read first: a write transaction only when a completed course may owe a certificate.
    let (all, owed) = {
        let mut conn = services.db.conn().await?;
        let all = store::of_user(&mut conn, &tenant, &who.user_id).await?;
        let mut owed = Vec::new();
        for e in
            educenter_store::learning::user_enrolments(&mut conn, &tenant, &who.user_id).await?
        {
            let done = e.completed_at.is_some() && e.removed_at.is_none();
            if done && !all.iter().any(|c| c.course_id == e.course_id) {
                let issues = content_store::course(&mut conn, &tenant, &e.course_id)
                    .await?
                    .is_some_and(|c| c.certificate && c.deleted_at.is_none());
                if issues && passed_all(&mut conn, &tenant, &e.course_id, &who.user_id).await? {
                    owed.push(e.course_id);
                }
            }
        }
        (all, owed)
    };
    if owed.is_empty() {
        return Ok(all);
    }
    let mut tx = services.db.begin().await?;
    for course in &owed {
        issue_if_earned(services, &mut tx, &tenant, &who.user_id, course).await?;
    }
    let all = store::of_user(&mut tx, &tenant, &who.user_id).await?;
    tx.commit().await?;
    Ok(all)
}

/// A certificate for the person asking: its student, or the school's staff who read the
/// course (a teacher: of their courses); anyone else reads "not found".
pub async fn get(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<Certificate, ServiceError> {
    let mut conn = services.db.conn().await?;
    if who.kind == AccountKind::Learner {
        let tenant = crate::access::require_learner(who)?;
        return store::get(&mut conn, tenant, id)
            .await?
            .filter(|c| c.user_id == who.user_id)
            .ok_or_else(no_certificate);
    }
    let scope = crate::access::scope(who, TenantAction::ViewReports)
        .or_else(|_| crate::access::scope(who, TenantAction::EditContent))?;
    let c = store::get(&mut conn, scope.tenant(), id)
        .await?
        .ok_or_else(no_certificate)?;
    scope
        .check(&mut conn, &c.course_id)
        .await
        .map_err(|_| no_certificate())?;
    Ok(c)
}

/// A course's certificates for the staff who read it.
pub async fn of_course(
    services: &Services,
    who: &Principal,
    course_id: &str,
) -> Result<Vec<Certificate>, ServiceError> {
    let course_id = &CourseId::new(course_id);
    let scope = crate::access::scope(who, TenantAction::ViewReports)
        .or_else(|_| crate::access::scope(who, TenantAction::EditContent))?;
    let mut conn = services.db.conn().await?;
    scope.check(&mut conn, course_id).await?;
    content_store::course(&mut conn, scope.tenant(), course_id)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-course")))?;
    Ok(store::of_course(&mut conn, scope.tenant(), course_id).await?)
}

/// The school's certificates for the staff who read its courses (a teacher: of the courses
/// assigned to them), newest first.
pub async fn of_school(
    services: &Services,
    who: &Principal,
) -> Result<Vec<Certificate>, ServiceError> {
    let scope = crate::access::scope(who, TenantAction::ViewReports)
        .or_else(|_| crate::access::scope(who, TenantAction::EditContent))?;
    let mut conn = services.db.conn().await?;
    let mine = scope.courses(&mut conn).await?;
    let mut all = store::of_school(&mut conn, scope.tenant()).await?;
    if let Some(m) = mine {
        all.retain(|c| m.contains(&c.course_id));
    }
    Ok(all)
}

/// Revokes a certificate (the owner, administrators, the course's teachers); revoking one
/// revoked already is a conflict.
pub async fn revoke(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<Certificate, ServiceError> {
    let scope = crate::content::editor(who)?;
    let tenant = scope.tenant().clone();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let c = store::get(&mut tx, &tenant, id)
        .await?
        .ok_or_else(no_certificate)?;
    scope
        .check(&mut tx, &c.course_id)
        .await
        .map_err(|_| no_certificate())?;
    if !store::revoke(&mut tx, &tenant, id, &who.user_id, now).await? {
        return Err(ServiceError::Conflict(Msg::new("err-certificate-revoked")));
    }
    let entry = who
        .audit("certificate.revoke")
        .tenant(tenant.clone())
        .target("certificate", id.to_owned())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    let c = store::get(&mut tx, &tenant, id)
        .await?
        .ok_or_else(no_certificate)?;
    tx.commit().await?;
    Ok(c)
}

/// The address of a certificate's public verification page.
pub fn verify_url(services: &Services, code: &str) -> String {
    format!("{}/verify/{code}", services.public_url)
}

/// What the public verification page shows of a code: the certificate (revoked or not) and
/// the school's accent; "not found" for a code no certificate has.
pub async fn verify(services: &Services, code: &str) -> Result<Certificate, ServiceError> {
    let code = code.trim().to_ascii_uppercase();
    if code.is_empty() || code.len() > 20 {
        return Err(no_certificate());
    }
    let mut conn = services.db.conn().await?;
    store::by_code(&mut conn, &code)
        .await?
        .ok_or_else(no_certificate)
}

/// A certificate as PDF, typeset in its language with the school's colour; a revoked one is
/// not handed out again.
pub async fn pdf(services: &Services, c: &Certificate) -> Result<Vec<u8>, ServiceError> {
    if c.revoked_at.is_some() {
        return Err(ServiceError::Gone(Msg::new("err-certificate-revoked")));
    }
    let accent = {
        let mut conn = services.db.conn().await?;
        educenter_store::tenancy::get_in(&mut conn, &c.tenant_id)
            .await?
            .and_then(|t| t.brand.accent)
            .unwrap_or_else(|| DEFAULT_ACCENT.to_owned())
    };
    let lang = Lang::from_code(&c.lang).unwrap_or(Lang::Ru);
    let t = |key: &str| services.i18n.t(lang, key);
    let url = verify_url(services, &c.code);
    let qr_svg = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| ServiceError::Internal(e.to_string()))?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    let date = c
        .issued_on
        .parse::<jiff::civil::Date>()
        .map(|d| crate::i18n::format_date(lang, d))
        .unwrap_or_else(|_| c.issued_on.clone());
    let doc = educenter_documents::Certificate {
        lang: lang.code().to_owned(),
        accent,
        school: c.school_name.clone(),
        title: t("certificate-title"),
        intro: t("certificate-intro"),
        holder: c.holder_name.clone(),
        completed: t("certificate-completed"),
        course: c.course_title.clone(),
        date_label: t("certificate-date"),
        date,
        code_label: t("certificate-code"),
        code: c.code.clone(),
        verify_label: t("certificate-verify"),
        verify_url: url,
        qr_svg,
    };
    let bytes = tokio::task::spawn_blocking(move || educenter_documents::certificate_pdf(&doc))
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(bytes)
}
