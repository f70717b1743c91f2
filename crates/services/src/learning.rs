//! The school's students (issue 6): sign-up on the school's site with the privacy consent,
//! enrolment (by the student or by staff), the lessons a student may open, progress per lesson
//! and course completion, and the progress table staff read.
//!
//! A student is a `learner` account of one tenant only: every query here takes the
//! tenant from the signed-in person, never from the request.

use std::collections::HashMap;

use educenter_domain::{
    clock::local_date,
    learning::{LessonState, Release, lesson_state, played_enough},
    roles::TenantAction,
    tenancy::check_password,
};
use educenter_store::page::{Page, PageRequest};
use educenter_store::{
    Conn,
    accounts::{self as users, NewUser, User},
    audit::{self, Actor, Entry, Origin},
    content::{self as content_store, Course, Lesson, Module},
    learning::{self as store, Enrolment, Progress},
    new_id,
    outbox::{self, NewMail},
    tenancy::{self, Tenant},
};
use fluent_bundle::FluentArgs;
use jiff::{Timestamp, civil::Date};

use crate::Msg;
use crate::{
    ServiceError, Services,
    access::Principal,
    accounts::{hash_password, new_secret},
    billing::{limits::Metric, limits::check_limit},
    i18n::Lang,
};

/// The version of the optional marketing consent text (`learner-marketing-consent`).
pub const MARKETING_VERSION: &str = "learner-marketing-2026-11";

type Errors = Vec<(String, Msg)>;

fn invalid(errors: Errors) -> Result<(), ServiceError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(errors))
    }
}

/// The school's public catalogue: its published courses.
pub async fn catalogue(services: &Services, tenant: &Tenant) -> Result<Vec<Course>, ServiceError> {
    let mut conn = services.db.conn().await?;
    let mut all = content_store::courses(&mut conn, &tenant.id).await?;
    all.retain(|c| c.status == "published");
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
) -> Result<String, ServiceError> {
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
    check_limit(&mut tx, &tenant.id, Metric::Students, 1, now).await?;
    let user_id = create_learner(
        &mut tx,
        tenant,
        &full_name,
        &email,
        None,
        Some(&hash),
        input.lang,
        now,
    )
    .await?;
    let i18n = &services.i18n;
    // The school's own privacy text when it has one: the consent keeps its version.
    let privacy = crate::privacy::shown(&mut tx, services, tenant, input.lang).await?;
    store::insert_consent(
        &mut tx,
        &tenant.id,
        &user_id,
        "privacy",
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
            &tenant.id,
            &user_id,
            "marketing",
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
        "verify_email",
        &user_id,
        Some(&tenant.id),
        now,
        now + crate::accounts::VERIFY_EMAIL_VALIDITY,
    )
    .await?;
    let mut args = FluentArgs::new();
    args.set("name", full_name.clone());
    args.set("school", tenant.name.clone());
    args.set(
        "verify_url",
        format!("{}/verify-email?token={secret}", services.public_url),
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

#[allow(clippy::too_many_arguments)]
async fn create_learner(
    conn: &mut Conn,
    tenant: &Tenant,
    full_name: &str,
    email: &str,
    phone: Option<&str>,
    password_hash: Option<&str>,
    lang: Lang,
    now: Timestamp,
) -> Result<String, ServiceError> {
    Ok(users::create(
        conn,
        &NewUser {
            tenant_id: Some(&tenant.id),
            kind: "learner",
            role: "student",
            email,
            full_name,
            phone,
            password_hash,
            locale: lang.code(),
            created_at: now,
        },
    )
    .await?)
}

fn learner(who: &Principal) -> Result<String, ServiceError> {
    who.require_access(crate::access::Area::School)?;
    match (&who.tenant_id, who.kind.as_str()) {
        (Some(t), "learner") => Ok(t.clone()),
        _ => Err(ServiceError::Forbidden(Msg::new("err-students-only"))),
    }
}

async fn published_course(conn: &mut Conn, tenant: &str, id: &str) -> Result<Course, ServiceError> {
    content_store::course(conn, tenant, id)
        .await?
        .filter(|c| c.deleted_at.is_none() && c.status == "published")
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-course")))
}

/// A student enrols in a published course the school opened for self-enrolment.
pub async fn enrol_self(
    services: &Services,
    who: &Principal,
    course_id: &str,
    origin: Origin,
) -> Result<Enrolment, ServiceError> {
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
            source: "self".into(),
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

/// Staff enrol a student, with optional access dates.
#[derive(Debug, Clone, Default)]
pub struct EnrolInput {
    pub user_id: String,
    pub access_from: Option<String>,
    pub access_to: Option<String>,
}

pub(crate) fn manager(who: &Principal) -> Result<String, ServiceError> {
    who.require_write()?;
    Ok(crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned())
}

fn parse_date(field: &str, v: &Option<String>, errors: &mut Errors) -> Option<Date> {
    let v = v.as_deref().filter(|s| !s.is_empty())?;
    match v.parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push((field.into(), Msg::date_format()));
            None
        }
    }
}

/// Enrols one of the school's students in a course (staff with `ManageLearners`).
pub async fn enrol(
    services: &Services,
    who: &Principal,
    course_id: &str,
    input: EnrolInput,
    origin: Origin,
) -> Result<Enrolment, ServiceError> {
    let tenant = manager(who)?;
    let access = check_access(&input.access_from, &input.access_to)?;
    let mut tx = services.db.begin().await?;
    let e = enrol_in(
        &mut tx,
        services.clock.now(),
        who,
        &tenant,
        course_id,
        &input.user_id,
        access,
        origin,
    )
    .await?;
    tx.commit().await?;
    Ok(e)
}

type Access = (Option<Date>, Option<Date>);

/// Checks an enrolment's access dates: each a date, the end not before the start.
fn check_access(from: &Option<String>, to: &Option<String>) -> Result<Access, ServiceError> {
    let mut errors = Vec::new();
    let from = parse_date("access_from", from, &mut errors);
    let to = parse_date("access_to", to, &mut errors);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        errors.push(("access_to".into(), Msg::new("err-to-before-from")));
    }
    invalid(errors)?;
    Ok((from, to))
}

/// Enrols one student in a transaction of the caller's, with its audit entry.
#[allow(clippy::too_many_arguments)]
async fn enrol_in(
    tx: &mut Conn,
    now: Timestamp,
    who: &Principal,
    tenant: &str,
    course_id: &str,
    user_id: &str,
    (from, to): Access,
    origin: Origin,
) -> Result<Enrolment, ServiceError> {
    let course = content_store::course(tx, tenant, course_id)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-course")))?;
    let student = live_student(tx, tenant, user_id).await.map_err(|_| {
        ServiceError::Invalid(vec![("user_id".into(), Msg::new("err-not-a-student"))])
    })?;
    let e = store::enrol(
        tx,
        &Enrolment {
            id: new_id(),
            tenant_id: tenant.to_owned(),
            course_id: course.id.clone(),
            user_id: student.id.clone(),
            source: "staff".into(),
            access_from: from.map(|d| d.to_string()),
            access_to: to.map(|d| d.to_string()),
            enrolled_at: now,
            completed_at: None,
            removed_at: None,
        },
    )
    .await?;
    let entry = who
        .audit("enrolment.create")
        .tenant(tenant.to_owned())
        .target("enrolment", e.id.clone())
        .origin(origin)
        .details(serde_json::json!({ "course": course.id, "user": student.id, "source": "staff" }));
    audit::record(tx, &entry, now).await?;
    Ok(e)
}

/// Ends an enrolment (staff); the progress is kept should the student come back.
pub async fn unenrol(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let tenant = manager(who)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if !store::remove_enrolment(&mut tx, &tenant, id, now).await? {
        return Err(ServiceError::NotFound(Msg::new("err-no-enrolment")));
    }
    let entry = who
        .audit("enrolment.remove")
        .tenant(tenant)
        .target("enrolment", id.to_owned())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A course's enrolments (staff).
pub async fn enrolments(
    services: &Services,
    who: &Principal,
    course_id: &str,
) -> Result<Vec<Enrolment>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let mut conn = services.db.conn().await?;
    content_store::course(&mut conn, &tenant, course_id)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-course")))?;
    Ok(store::course_enrolments(&mut conn, &tenant, course_id).await?)
}

/// A page of a course's live enrolments, oldest first (staff).
pub async fn enrolments_page(
    services: &Services,
    who: &Principal,
    course_id: &str,
    req: &PageRequest,
) -> Result<Page<Enrolment>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let mut conn = services.db.conn().await?;
    content_store::course(&mut conn, &tenant, course_id)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-course")))?;
    Ok(store::course_enrolments_page(&mut conn, &tenant, course_id, req).await?)
}

/// The school's students, by name; `query` filters by name or e-mail (staff).
pub async fn students(
    services: &Services,
    who: &Principal,
    query: Option<&str>,
) -> Result<Vec<User>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let mut conn = services.db.conn().await?;
    Ok(store::learners(&mut conn, &tenant, query).await?)
}

/// A page of the school's students by name; `query` filters by name or e-mail (staff).
pub async fn students_page(
    services: &Services,
    who: &Principal,
    query: Option<&str>,
    req: &PageRequest,
) -> Result<Page<User>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let mut conn = services.db.conn().await?;
    Ok(educenter_store::accounts::learners_page(&mut conn, &tenant, query, req).await?)
}

/// A lesson as one student sees it (in an outline, without its text: see [`lesson`]).
#[derive(Debug, Clone)]
pub struct LessonView {
    /// Shared with the cached course content (see [`crate::content::course_content`]).
    pub lesson: std::sync::Arc<Lesson>,
    pub state: LessonState,
    pub position_ms: i64,
}

/// A course as one student sees it: the enrolment, and each module's lessons with their state.
#[derive(Debug, Clone)]
pub struct Outline {
    pub course: Course,
    /// The course's modules and lessons as read (shared with the cache).
    pub content: std::sync::Arc<crate::content::CourseContent>,
    pub enrolment: Option<Enrolment>,
    pub modules: Vec<(Module, Vec<LessonView>)>,
    pub done: usize,
    pub required: usize,
}

impl Outline {
    /// Lessons in reading order.
    pub fn lessons(&self) -> impl Iterator<Item = &LessonView> {
        self.modules.iter().flat_map(|(_, ls)| ls.iter())
    }
}

/// Whether an enrolment gives access on `today` (not removed, within its dates).
fn enrolment_open(e: &Enrolment, today: Date) -> bool {
    let after_start = e
        .access_from
        .as_deref()
        .and_then(|d| d.parse::<Date>().ok())
        .is_none_or(|d| d <= today);
    let before_end = e
        .access_to
        .as_deref()
        .and_then(|d| d.parse::<Date>().ok())
        .is_none_or(|d| today <= d);
    e.removed_at.is_none() && after_start && before_end
}

async fn outline_in(
    services: &Services,
    conn: &mut Conn,
    tenant: &str,
    user_id: &str,
    course: Course,
    today: Date,
) -> Result<Outline, ServiceError> {
    let (enrolment, progress) =
        store::enrolment_with_progress(conn, tenant, &course.id, user_id).await?;
    outline_of(services, Some(conn), course, enrolment, progress, today).await
}

/// The outline of a course for a student with this enrolment (removed or not) and progress;
/// a course whose content is not cached is read on `conn` or on a connection of its own.
async fn outline_of(
    services: &Services,
    conn: Option<&mut Conn>,
    course: Course,
    enrolment: Option<Enrolment>,
    progress: Vec<Progress>,
    today: Date,
) -> Result<Outline, ServiceError> {
    let enrolment = enrolment.filter(|e| e.removed_at.is_none());
    let enrolled_on = enrolment
        .as_ref()
        .map(|e| local_date(e.enrolled_at))
        .unwrap_or(today);
    let open = enrolment.as_ref().is_some_and(|e| enrolment_open(e, today));
    // The course's modules and lessons come from the cache while its revision holds.
    let content = crate::content::course_content(services, conn, &course).await?;
    // The student's progress by the lesson's place in the course (that of lessons no longer
    // in it is kept but not shown).
    let mut saved: Vec<Option<&Progress>> = vec![None; content.lessons.len()];
    for p in &progress {
        if let Some(i) = content.position(&p.lesson_id) {
            saved[i] = Some(p);
        }
    }
    let mut modules = Vec::with_capacity(content.modules.len());
    let mut previous_complete = true;
    let (mut done, mut required) = (0, 0);
    for (i, m) in content.modules.iter().enumerate() {
        let mut views = Vec::with_capacity(content.module_len(i));
        for (at, l) in content.module_lessons(i) {
            let p = saved[at];
            let complete = p.is_some_and(|p| p.completed_at.is_some());
            let release = Release {
                from: l.available_from.as_deref().and_then(|d| d.parse().ok()),
                after_days: l.available_after_days,
            };
            let mut state = lesson_state(
                release,
                enrolled_on,
                today,
                course.in_order,
                previous_complete,
                complete,
            );
            // Without an enrolment open today nothing opens, not even a lesson done before.
            if !open && !matches!(state, LessonState::Locked(_)) {
                state = LessonState::Locked(educenter_domain::learning::Locked::NotEnrolled);
            }
            if l.required {
                required += 1;
                if complete {
                    done += 1;
                }
            }
            previous_complete = complete;
            views.push(LessonView {
                position_ms: p.map(|p| p.position_ms).unwrap_or(0),
                lesson: l.clone(),
                state,
            });
        }
        modules.push((m.clone(), views));
    }
    Ok(Outline {
        course,
        content,
        enrolment,
        modules,
        done,
        required,
    })
}

/// A published course as the signed-in student sees it.
pub async fn outline(
    services: &Services,
    who: &Principal,
    course_id: &str,
) -> Result<Outline, ServiceError> {
    let tenant = learner(who)?;
    let mut conn = services.db.conn().await?;
    let course = published_course(&mut conn, &tenant, course_id).await?;
    let today = local_date(services.clock.now());
    outline_in(services, &mut conn, &tenant, &who.user_id, course, today).await
}

/// A student's courses: each with its enrolment and how many required lessons are done.
pub async fn my_courses(
    services: &Services,
    who: &Principal,
) -> Result<Vec<Outline>, ServiceError> {
    let tenant = learner(who)?;
    let mut conn = services.db.conn().await?;
    let today = local_date(services.clock.now());
    let mut out = Vec::new();
    for e in store::user_enrolments(&mut conn, &tenant, &who.user_id).await? {
        if let Some(c) = content_store::course(&mut conn, &tenant, &e.course_id)
            .await?
            .filter(|c| c.deleted_at.is_none() && c.status == "published")
        {
            out.push(outline_in(services, &mut conn, &tenant, &who.user_id, c, today).await?);
        }
    }
    Ok(out)
}

/// One lesson for the student: the outline it sits in, its index in reading order, and the
/// lesson itself with its text.
pub async fn lesson(
    services: &Services,
    who: &Principal,
    lesson_id: &str,
) -> Result<(Outline, usize, Lesson), ServiceError> {
    let tenant = learner(who)?;
    let mut conn = services.db.conn().await?;
    let data = store::lesson_for_student(&mut conn, &tenant, lesson_id, &who.user_id).await?;
    lesson_of(services, Some(&mut conn), data, lesson_id).await
}

/// A visit of a lesson page, read in one query with the session: who is signed in, their school
/// (as it is now), and the lesson as [`lesson`] gives it to a student of that school.
pub struct LessonVisit {
    pub who: Principal,
    pub school: Option<Tenant>,
    pub lesson: Result<(Outline, usize, Lesson), ServiceError>,
}

/// The visit of a lesson page by whoever holds a session `secret` (`None` when no session is
/// live with it). The page costs one query while the course's content is cached.
pub async fn visit_lesson(
    services: &Services,
    secret: &str,
    lesson_id: &str,
) -> Result<Option<LessonVisit>, ServiceError> {
    let visit = crate::sessions::visit(services, secret, async |hash, now| {
        store::lesson_visit(&services.db, hash, now, lesson_id).await
    });
    let Some((who, school, data)) = visit.await? else {
        return Ok(None);
    };
    let lesson = match learner(&who) {
        Ok(_) => lesson_of(services, None, data, lesson_id).await,
        Err(e) => Err(e),
    };
    Ok(Some(LessonVisit {
        who,
        school,
        lesson,
    }))
}

/// The lesson of a course read with a student's enrolment and progress (see [`lesson`]).
async fn lesson_of(
    services: &Services,
    conn: Option<&mut Conn>,
    data: store::LessonData,
    lesson_id: &str,
) -> Result<(Outline, usize, Lesson), ServiceError> {
    let not_found = || ServiceError::NotFound(Msg::new("err-no-lesson"));
    // The lesson itself comes from the course's (cached) content: a live lesson of a live
    // module is in it, anything else is not found.
    let (course, enrolment, progress) = data
        .filter(|(c, _, _)| c.deleted_at.is_none() && c.status == "published")
        .ok_or_else(not_found)?;
    let today = local_date(services.clock.now());
    let outline = outline_of(services, conn, course, enrolment, progress, today).await?;
    let (index, view) = outline
        .lessons()
        .enumerate()
        .find(|(_, v)| v.lesson.id == lesson_id)
        .ok_or_else(not_found)?;
    let l = Lesson::clone(&view.lesson);
    Ok((outline, index, l))
}

/// What the player or the "complete" button reports.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProgressInput {
    pub position_ms: i64,
    pub duration_ms: Option<i64>,
    /// The student marks the lesson complete.
    pub complete: bool,
}

/// Where the student stands after a report.
#[derive(Debug, Clone, Copy)]
pub struct ProgressState {
    pub lesson_complete: bool,
    pub course_complete: bool,
}

/// Saves a student's place in a lesson they may open; a video or audio lesson played to 90%
/// completes itself. The course is complete once every required lesson is.
pub async fn save_progress(
    services: &Services,
    who: &Principal,
    lesson_id: &str,
    input: ProgressInput,
) -> Result<ProgressState, ServiceError> {
    let tenant = learner(who)?;
    let mut errors = Vec::new();
    if !(0..=864_000_000).contains(&input.position_ms) {
        errors.push((
            "position_ms".into(),
            Msg::new("err-range").num("min", 0).num("max", 864_000_000),
        ));
    }
    if input
        .duration_ms
        .is_some_and(|d| !(1..=864_000_000).contains(&d))
    {
        errors.push((
            "duration_ms".into(),
            Msg::new("err-range").num("min", 1).num("max", 864_000_000),
        ));
    }
    invalid(errors)?;
    let now = services.clock.now();
    let today = local_date(now);
    let mut tx = services.db.begin().await?;
    let not_found = || ServiceError::NotFound(Msg::new("err-no-lesson"));
    let l = content_store::lesson(&mut tx, &tenant, lesson_id)
        .await?
        .filter(|l| l.deleted_at.is_none())
        .ok_or_else(not_found)?;
    let course = published_course(&mut tx, &tenant, &l.course_id).await?;
    let outline = outline_in(services, &mut tx, &tenant, &who.user_id, course, today).await?;
    let view = outline
        .lessons()
        .find(|v| v.lesson.id == lesson_id)
        .ok_or_else(not_found)?;
    let enrolment = match (&view.state, &outline.enrolment) {
        (LessonState::Locked(_), _) | (_, None) => {
            return Err(ServiceError::Forbidden(Msg::new("err-lesson-locked")));
        }
        (_, Some(e)) => e.clone(),
    };
    let played = matches!(l.kind.as_str(), "video" | "audio")
        && input
            .duration_ms
            .is_some_and(|d| played_enough(input.position_ms, d));
    let complete = input.complete || played || view.state == LessonState::Complete;
    // "Mark complete" says nothing of where a recording was stopped: keep the saved place.
    let position_ms = match (input.complete, input.duration_ms) {
        (true, None) => view.position_ms.max(input.position_ms),
        _ => input.position_ms,
    };
    store::save_progress(
        &mut tx,
        &tenant,
        &Progress {
            user_id: who.user_id.clone(),
            lesson_id: l.id.clone(),
            course_id: l.course_id.clone(),
            position_ms,
            duration_ms: input.duration_ms,
            completed_at: complete.then_some(now),
            updated_at: now,
        },
    )
    .await?;
    let mut course_complete = enrolment.completed_at.is_some();
    if complete && view.state != LessonState::Complete {
        // The outline was read before this lesson was complete: count it now.
        let done = outline.done + usize::from(l.required);
        if outline.required > 0 && done == outline.required && !course_complete {
            store::mark_course_complete(&mut tx, &tenant, &enrolment.id, now).await?;
            course_complete = true;
            let entry = who
                .audit("course.complete")
                .tenant(tenant.clone())
                .target("enrolment", enrolment.id.clone());
            audit::record(&mut tx, &entry, now).await?;
        }
    }
    tx.commit().await?;
    Ok(ProgressState {
        lesson_complete: complete,
        course_complete,
    })
}

/// One student's row of a progress table.
#[derive(Debug, Clone)]
pub struct ProgressRow {
    pub student: User,
    pub enrolment: Enrolment,
    /// Per lesson in reading order: complete, and the position reached (ms).
    pub cells: Vec<Option<(bool, i64)>>,
    pub done: usize,
}

/// The progress table of a course: its students × its lessons (staff).
pub async fn progress_table(
    services: &Services,
    who: &Principal,
    course_id: &str,
) -> Result<(Course, Vec<Lesson>, Vec<ProgressRow>), ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::ViewReports)
        .or_else(|_| crate::access::require_tenant(who, TenantAction::EditContent))?
        .to_owned();
    let mut conn = services.db.conn().await?;
    let course = content_store::course(&mut conn, &tenant, course_id)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-course")))?;
    crate::content::check_course_scope(&mut conn, who, &tenant, course_id).await?;
    let lessons = content_store::course_lessons(&mut conn, &tenant, course_id).await?;
    let mut by_user: HashMap<String, HashMap<String, Progress>> = HashMap::new();
    for p in store::course_progress(&mut conn, &tenant, course_id).await? {
        by_user
            .entry(p.user_id.clone())
            .or_default()
            .insert(p.lesson_id.clone(), p);
    }
    let mut rows = Vec::new();
    // The school's students once, not one query per row.
    let mut students: HashMap<String, User> = store::learners(&mut conn, &tenant, None)
        .await?
        .into_iter()
        .map(|u| (u.id.clone(), u))
        .collect();
    for e in store::course_enrolments(&mut conn, &tenant, course_id).await? {
        let Some(student) = students.remove(&e.user_id) else {
            continue;
        };
        let mine = by_user.remove(&e.user_id).unwrap_or_default();
        let cells: Vec<_> = lessons
            .iter()
            .map(|l| {
                mine.get(&l.id)
                    .map(|p| (p.completed_at.is_some(), p.position_ms))
            })
            .collect();
        let done = cells
            .iter()
            .filter(|c| matches!(c, Some((true, _))))
            .count();
        rows.push(ProgressRow {
            student,
            enrolment: e,
            cells,
            done,
        });
    }
    rows.sort_by(|a, b| a.student.full_name.cmp(&b.student.full_name));
    Ok((course, lessons, rows))
}

/// Makes an invitation to set a password for a student and queues its e-mail (`class`: bulk
/// for an import's many, transactional for one person added or invited again).
#[allow(clippy::too_many_arguments)]
async fn queue_invitation(
    services: &Services,
    conn: &mut Conn,
    tenant: &Tenant,
    user_id: &str,
    full_name: &str,
    email: &str,
    lang: Lang,
    class: outbox::MailClass,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let (secret, hash) = new_secret()?;
    users::create_token(
        conn,
        &hash,
        "invitation",
        user_id,
        Some(&tenant.id),
        now,
        now + crate::staff::INVITATION_VALIDITY,
    )
    .await?;
    let mut args = FluentArgs::new();
    args.set("name", full_name.to_owned());
    args.set("school", tenant.name.clone());
    args.set(
        "accept_url",
        format!("{}/invitation?token={secret}", services.public_url),
    );
    args.set("school_url", services.school_url(&tenant.slug));
    outbox::queue(
        conn,
        &NewMail {
            to: email.to_owned(),
            subject: services
                .i18n
                .t_args(lang, "mail-learner-invite-subject", &args),
            text: services
                .i18n
                .t_args(lang, "mail-learner-invite-body", &args),
            html: None,
            class,
        },
        now,
    )
    .await?;
    Ok(())
}

/// Sends a student who has not set a password yet a new invitation; the earlier links stop
/// working. A student with a password is told to reset it instead.
pub async fn resend_invitation(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let user = live_student(&mut tx, &tenant_id, id).await?;
    if user.password_hash.is_some() {
        return Err(ServiceError::Conflict(Msg::new("err-student-has-password")));
    }
    let tenant = tenancy::get_in(&mut tx, &tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    crate::throttle::take(
        &mut tx,
        &crate::throttle::invitation_resend(&tenant_id, &user.id),
        now,
    )
    .await?;
    let lang = Lang::from_code(&user.locale)
        .or_else(|| Lang::from_code(&tenant.locale))
        .unwrap_or(Lang::Ru);
    users::use_all_tokens(&mut tx, &user.id, "invitation", now).await?;
    queue_invitation(
        services,
        &mut tx,
        &tenant,
        &user.id,
        &user.full_name,
        &user.email,
        lang,
        outbox::MailClass::Transactional,
        now,
    )
    .await?;
    let entry = who
        .audit("learner.reinvite")
        .tenant(tenant_id.clone())
        .target("user", user.id.clone())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(())
}

/// A row of a group's progress table: a student and, per course, (required lessons done,
/// required lessons, course complete), or `None` when the student is not enrolled.
#[derive(Debug, Clone)]
pub struct GroupRow {
    pub student: User,
    pub cells: Vec<Option<(usize, usize, bool)>>,
}

/// The progress table of a group: its students × the courses any of them is enrolled in (a
/// teacher sees the courses assigned to them).
pub async fn group_progress(
    services: &Services,
    who: &Principal,
    group_id: &str,
) -> Result<(store::Group, Vec<Course>, Vec<GroupRow>), ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::ViewReports)
        .or_else(|_| crate::access::require_tenant(who, TenantAction::ManageLearners))?
        .to_owned();
    let mut conn = services.db.conn().await?;
    let group = store::group(&mut conn, &tenant, group_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-group")))?;
    let members = store::group_members(&mut conn, &tenant, group_id).await?;
    // The members alone, not the whole school.
    let mut students: HashMap<String, User> = HashMap::new();
    for id in &members {
        if let Some(u) = users::get(&mut conn, id).await? {
            students.insert(u.id.clone(), u);
        }
    }
    // A teacher's table has only the courses assigned to them, and only the members who study
    // in one of them.
    let scope = crate::content::Scope::of(who, &tenant);
    let mine = scope.courses(&mut conn).await?;
    let member_set: std::collections::HashSet<&str> = members.iter().map(String::as_str).collect();
    let mut courses = Vec::new();
    // Per course: (required lesson ids, its enrolments of members, their completed lessons).
    let mut columns = Vec::new();
    for c in content_store::courses(&mut conn, &tenant).await? {
        if mine.as_ref().is_some_and(|m| !m.contains(&c.id)) {
            continue;
        }
        let enrolled: HashMap<String, Enrolment> =
            store::course_enrolments(&mut conn, &tenant, &c.id)
                .await?
                .into_iter()
                .filter(|e| e.removed_at.is_none() && member_set.contains(e.user_id.as_str()))
                .map(|e| (e.user_id.clone(), e))
                .collect();
        if enrolled.is_empty() {
            continue;
        }
        let required: std::collections::HashSet<String> =
            content_store::course_outline(&mut conn, &tenant, &c.id)
                .await?
                .into_iter()
                .filter(|l| l.required)
                .map(|l| l.id)
                .collect();
        let mut done: HashMap<String, usize> = HashMap::new();
        for p in store::course_progress(&mut conn, &tenant, &c.id).await? {
            if p.completed_at.is_some() && required.contains(&p.lesson_id) {
                *done.entry(p.user_id).or_default() += 1;
            }
        }
        columns.push((enrolled, required.len(), done));
        courses.push(c);
    }
    let rows = members
        .iter()
        .filter_map(|id| students.remove(id))
        .map(|student| {
            let cells = columns
                .iter()
                .map(|(enrolled, required, done)| {
                    enrolled.get(&student.id).map(|e| {
                        let d = done.get(&student.id).copied().unwrap_or(0);
                        (d, *required, e.completed_at.is_some())
                    })
                })
                .collect();
            GroupRow { student, cells }
        })
        .filter(|r| mine.is_none() || r.cells.iter().any(Option::is_some))
        .collect();
    Ok((group, courses, rows))
}

/// A student staff add by hand or by a CSV row.
#[derive(Debug, Clone, Default)]
pub struct StudentInput {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    /// A group to put the student in (created when missing); empty for none.
    pub group: String,
}

/// A refused row of an import: its row as a spreadsheet numbers it (the header is row 1, the
/// first student row 2), the field and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub field: String,
    pub message: Msg,
}

/// Checks one student; returns (full name, e-mail, phone) or the field errors.
pub(crate) fn check_student(
    s: &StudentInput,
) -> Result<(String, String, Option<String>, Option<String>), Errors> {
    let mut errors = Vec::new();
    let full_name = s.full_name.trim().to_owned();
    if let Some(m) = Msg::text_error(&full_name, 1, 200, false) {
        errors.push(("full_name".into(), m));
    }
    let email = s.email.trim().to_lowercase();
    if email.len() > 254 || !educenter_domain::tenancy::valid_email(&email) {
        errors.push(("email".into(), Msg::email()));
    }
    let phone = match s.phone.trim() {
        "" => None,
        p => match educenter_domain::tenancy::normalise_phone(p) {
            Some(p) => Some(p),
            None => {
                errors.push(("phone".into(), Msg::phone()));
                None
            }
        },
    };
    let group = match s.group.trim() {
        "" => None,
        g => match Msg::text_error(g, 0, 100, false) {
            None => Some(g.to_owned()),
            Some(m) => {
                errors.push(("group".into(), m));
                None
            }
        },
    };
    if errors.is_empty() {
        Ok((full_name, email, phone, group))
    } else {
        Err(errors)
    }
}

/// Creates checked students in one transaction, each with an invitation to set a password:
/// bulk mail for an import (`bulk`), so that it never holds up what people wait for.
pub(crate) async fn create_students(
    services: &Services,
    who: &Principal,
    tenant_id: &str,
    rows: Vec<(String, String, Option<String>, Option<String>)>,
    bulk: bool,
    origin: Origin,
) -> Result<Vec<String>, ServiceError> {
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let tenant = tenancy::get_in(&mut tx, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    check_limit(&mut tx, tenant_id, Metric::Students, rows.len() as i64, now).await?;
    let lang = Lang::from_code(&tenant.locale).unwrap_or(Lang::Ru);
    let mut ids = Vec::new();
    for (full_name, email, phone, group) in rows {
        if users::find_any_by_email(&mut tx, tenant_id, &email)
            .await?
            .is_some()
        {
            return Err(ServiceError::Invalid(vec![(
                "email".into(),
                Msg::new("err-email-taken-school"),
            )]));
        }
        let id = create_learner(
            &mut tx,
            &tenant,
            &full_name,
            &email,
            phone.as_deref(),
            None,
            lang,
            now,
        )
        .await?;
        if let Some(g) = group {
            let gid = store::group_named(&mut tx, tenant_id, &g, now).await?;
            store::add_member(&mut tx, tenant_id, &gid, &id, now).await?;
        }
        let class = if bulk {
            outbox::MailClass::Bulk {
                tenant_id: tenant_id.to_owned(),
            }
        } else {
            outbox::MailClass::Transactional
        };
        queue_invitation(
            services, &mut tx, &tenant, &id, &full_name, &email, lang, class, now,
        )
        .await?;
        let entry = who
            .audit("learner.add")
            .tenant(tenant_id.to_owned())
            .target("user", id.clone())
            .origin(origin.clone());
        audit::record(&mut tx, &entry, now).await?;
        ids.push(id);
    }
    tx.commit().await?;
    services.mailer.wake();
    Ok(ids)
}

/// Staff add a student by hand: the account and an e-mailed invitation to set a password.
pub async fn add_student(
    services: &Services,
    who: &Principal,
    input: StudentInput,
    origin: Origin,
) -> Result<String, ServiceError> {
    let tenant = manager(who)?;
    let row = check_student(&input).map_err(ServiceError::Invalid)?;
    let ids = create_students(services, who, &tenant, vec![row], false, origin).await?;
    Ok(ids.into_iter().next().unwrap_or_default())
}

/// The school's groups.
pub async fn groups(
    services: &Services,
    who: &Principal,
) -> Result<Vec<store::Group>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let mut conn = services.db.conn().await?;
    Ok(store::groups(&mut conn, &tenant).await?)
}

/// A page of the school's groups by name, with their sizes (staff).
pub async fn groups_page(
    services: &Services,
    who: &Principal,
    req: &PageRequest,
) -> Result<Page<store::Group>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let mut conn = services.db.conn().await?;
    Ok(store::groups_page(&mut conn, &tenant, req).await?)
}

/// Creates a group (or finds the one of that name).
pub async fn create_group(
    services: &Services,
    who: &Principal,
    name: &str,
    origin: Origin,
) -> Result<store::Group, ServiceError> {
    let tenant = manager(who)?;
    let name = name.trim();
    if let Some(m) = Msg::text_error(name, 1, 100, false) {
        return Err(ServiceError::Invalid(vec![("name".into(), m)]));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let id = store::group_named(&mut tx, &tenant, name, now).await?;
    let entry = who
        .audit("group.create")
        .tenant(tenant.clone())
        .target("group", id.clone())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    let g = store::group(&mut tx, &tenant, &id)
        .await?
        .ok_or_else(|| ServiceError::Internal("the group just made is missing".into()))?;
    tx.commit().await?;
    Ok(g)
}

async fn live_student(conn: &mut Conn, tenant: &str, id: &str) -> Result<User, ServiceError> {
    users::get(conn, id)
        .await?
        .filter(|u| {
            u.kind == "learner" && u.removed_at.is_none() && u.tenant_id.as_deref() == Some(tenant)
        })
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-student")))
}

/// Puts a student in a group.
pub async fn add_to_group(
    services: &Services,
    who: &Principal,
    group_id: &str,
    user_id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let tenant = manager(who)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    store::group(&mut tx, &tenant, group_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-group")))?;
    live_student(&mut tx, &tenant, user_id).await.map_err(|_| {
        ServiceError::Invalid(vec![("user_id".into(), Msg::new("err-not-a-student"))])
    })?;
    store::add_member(&mut tx, &tenant, group_id, user_id, now).await?;
    let entry = who
        .audit("group.add_member")
        .tenant(tenant)
        .target("group", group_id.to_owned())
        .origin(origin)
        .details(serde_json::json!({ "user": user_id }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Enrols every student of a group in a course, all in one transaction; returns how many.
pub async fn enrol_group(
    services: &Services,
    who: &Principal,
    course_id: &str,
    group_id: &str,
    access: (Option<String>, Option<String>),
    origin: Origin,
) -> Result<usize, ServiceError> {
    let tenant = manager(who)?;
    let access = check_access(&access.0, &access.1)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    store::group(&mut tx, &tenant, group_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-group")))?;
    let members = store::group_members(&mut tx, &tenant, group_id).await?;
    for user_id in &members {
        enrol_in(
            &mut tx,
            now,
            who,
            &tenant,
            course_id,
            user_id,
            access,
            origin.clone(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(members.len())
}

/// A student's page for staff: the account, groups, and each enrolment with its progress.
pub struct StudentDetail {
    pub user: User,
    pub groups: Vec<String>,
    /// (course, enrolment, required lessons done, required lessons).
    pub courses: Vec<(Course, Enrolment, usize, usize)>,
}

pub async fn student(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<StudentDetail, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let mut conn = services.db.conn().await?;
    let user = live_student(&mut conn, &tenant, id).await?;
    let groups = store::user_groups(&mut conn, &tenant, id).await?;
    let today = local_date(services.clock.now());
    let mut courses = Vec::new();
    for e in store::user_enrolments(&mut conn, &tenant, id).await? {
        if let Some(c) = content_store::course(&mut conn, &tenant, &e.course_id)
            .await?
            .filter(|c| c.deleted_at.is_none())
        {
            let o = outline_in(services, &mut conn, &tenant, id, c.clone(), today).await?;
            courses.push((c, e, o.done, o.required));
        }
    }
    Ok(StudentDetail {
        user,
        groups,
        courses,
    })
}
