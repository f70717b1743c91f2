//! A school's content (issue 6, first part): courses, their modules and lessons in order, and
//! the 30-day trash. Staff with `EditContent` write; a course counts against the plan's
//! `courses` limit through [`crate::billing::limits::check_limit`].

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use educenter_domain::schedule::Schedule;
use educenter_domain::{
    roles::{TenantAction, TenantRole},
    tenancy::is_clean_text,
};
use educenter_store::page::{Page, PageRequest};
use educenter_store::{
    Conn,
    audit::{self, Origin},
    content::{self as store, Course, Lesson, Module, Trashed},
    new_id,
};
use jiff::{SignedDuration, Timestamp, civil::Date};

use crate::Msg;
use crate::{
    ServiceError, Services,
    access::Principal,
    billing::{limits::Metric, limits::check_limit},
    jobs::{JobContext, JobRegistry},
};

/// Lessons' Markdown as sanitized HTML (kept in [`crate::markdown`]).
pub use crate::markdown::render_markdown;

pub use educenter_domain::learning::TRASH_DAYS;

type Errors = Vec<(String, Msg)>;

fn text(field: &str, value: &str, min: usize, max: usize, multiline: bool, errors: &mut Errors) {
    if let Some(m) = Msg::text_error(value, min, max, multiline) {
        errors.push((field.into(), m));
    }
}

/// What a person may reach of the school's content: the school, and for a teacher the
/// teacher's id (a teacher sees and edits only the courses assigned to them).
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub tenant: String,
    pub teacher: Option<String>,
}

impl Scope {
    pub(crate) fn of(who: &Principal, tenant: &str) -> Self {
        let teacher = (TenantRole::parse(&who.role) == Some(TenantRole::Teacher))
            .then(|| who.user_id.clone());
        Scope {
            tenant: tenant.to_owned(),
            teacher,
        }
    }

    /// A teacher's assigned courses; `None` for roles that see every course.
    pub(crate) async fn courses(
        &self,
        conn: &mut Conn,
    ) -> Result<Option<HashSet<String>>, ServiceError> {
        Ok(match &self.teacher {
            Some(t) => Some(
                store::teacher_courses(conn, &self.tenant, t)
                    .await?
                    .into_iter()
                    .collect(),
            ),
            None => None,
        })
    }

    /// Refuses (as "not found") a course a teacher is not assigned to.
    pub(crate) async fn check(&self, conn: &mut Conn, course_id: &str) -> Result<(), ServiceError> {
        let assigned = match &self.teacher {
            Some(t) => store::is_teacher(conn, &self.tenant, course_id, t).await?,
            None => true,
        };
        self.check_assigned(assigned)
    }

    /// [`Self::check`] when whether the person teaches the course is already known.
    fn check_assigned(&self, assigned: bool) -> Result<(), ServiceError> {
        if self.teacher.is_none() || assigned {
            Ok(())
        } else {
            Err(not_found("err-no-course"))
        }
    }
}

fn editor(who: &Principal) -> Result<Scope, ServiceError> {
    who.require_write()?;
    reader(who)
}

fn reader(who: &Principal) -> Result<Scope, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::EditContent)?;
    Ok(Scope::of(who, tenant))
}

fn not_found(key: &'static str) -> ServiceError {
    ServiceError::NotFound(Msg::new(key))
}

async fn live_course(conn: &mut Conn, s: &Scope, id: &str) -> Result<Course, ServiceError> {
    let c = store::course(conn, &s.tenant, id)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .ok_or_else(|| not_found("err-no-course"))?;
    s.check(conn, id).await?;
    Ok(c)
}

async fn live_module(conn: &mut Conn, s: &Scope, id: &str) -> Result<Module, ServiceError> {
    let m = store::module(conn, &s.tenant, id)
        .await?
        .filter(|m| m.deleted_at.is_none())
        .ok_or_else(|| not_found("err-no-module"))?;
    live_course(conn, s, &m.course_id).await?;
    Ok(m)
}

async fn live_lesson(conn: &mut Conn, s: &Scope, id: &str) -> Result<Lesson, ServiceError> {
    let l = store::lesson(conn, &s.tenant, id)
        .await?
        .filter(|l| l.deleted_at.is_none())
        .ok_or_else(|| not_found("err-no-lesson"))?;
    live_module(conn, s, &l.module_id).await?;
    Ok(l)
}

async fn audit_entry(
    conn: &mut Conn,
    who: &Principal,
    tenant: &str,
    action: &str,
    target: (&str, &str),
    origin: Origin,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let entry = who
        .audit(action)
        .tenant(tenant.to_owned())
        .target(target.0, target.1.to_owned())
        .origin(origin);
    audit::record(conn, &entry, now).await?;
    Ok(())
}

/// The audit entry of an update: what changed, field by field, old and new.
#[allow(clippy::too_many_arguments)]
async fn audit_update<T: serde::Serialize>(
    conn: &mut Conn,
    who: &Principal,
    tenant: &str,
    action: &str,
    target: (&str, &str),
    origin: Origin,
    now: Timestamp,
    (old, new): (&serde_json::Value, &T),
) -> Result<(), ServiceError> {
    let new = serde_json::to_value(new).unwrap_or_default();
    let entry = who
        .audit(action)
        .tenant(tenant.to_owned())
        .target(target.0, target.1.to_owned())
        .origin(origin)
        .changes(old, &new);
    audit::record(conn, &entry, now).await?;
    Ok(())
}

/// What a course is made of, as the editor sends it (absent fields keep their value).
#[derive(Debug, Clone, Default)]
pub struct CourseInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
    pub in_order: Option<bool>,
    pub self_enrol: Option<bool>,
    /// `Some(None)` removes the cover.
    pub cover_id: Option<Option<String>>,
}

fn check_course(c: &CourseInput, errors: &mut Errors) {
    if let Some(t) = &c.title {
        text("title", t, 1, 200, false, errors);
    }
    if let Some(d) = &c.description {
        text("description", d, 0, 5000, true, errors);
    }
    if let Some(s) = &c.status
        && !["draft", "published", "archived"].contains(&s.as_str())
    {
        errors.push((
            "status".into(),
            Msg::one_of(&["draft", "published", "archived"]),
        ));
    }
}

/// Creates a course (a draft unless told otherwise), within the plan's course limit.
pub async fn create_course(
    services: &Services,
    who: &Principal,
    input: CourseInput,
    origin: Origin,
) -> Result<Course, ServiceError> {
    let s = editor(who)?;
    let tenant = s.tenant.clone();
    let mut errors = Vec::new();
    if input.title.is_none() {
        errors.push(("title".into(), Msg::required()));
    }
    check_course(&input, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    check_limit(&mut tx, &tenant, Metric::Courses, 1, now).await?;
    let cover_id = input.cover_id.flatten();
    if let Some(c) = &cover_id {
        check_image(&mut tx, who, &tenant, c, "cover_id").await?;
    }
    let course = Course {
        id: new_id(),
        tenant_id: tenant.clone(),
        title: input.title.unwrap_or_default().trim().to_owned(),
        description: input.description.unwrap_or_default().trim().to_owned(),
        status: input.status.unwrap_or_else(|| "draft".into()),
        in_order: input.in_order.unwrap_or(false),
        self_enrol: input.self_enrol.unwrap_or(false),
        cover_id,
        revision: 0,
        created_at: now,
        updated_at: now,
        deleted_at: None,
    };
    store::insert_course(&mut tx, &course).await?;
    // A teacher who makes a course teaches it.
    if let Some(t) = &s.teacher {
        store::assign_teacher(&mut tx, &tenant, &course.id, t, now).await?;
    }
    audit_entry(
        &mut tx,
        who,
        &tenant,
        "course.create",
        ("course", &course.id),
        origin,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(course)
}

/// The school's courses outside the trash.
pub async fn courses(services: &Services, who: &Principal) -> Result<Vec<Course>, ServiceError> {
    let s = reader(who)?;
    let tenant = s.tenant.clone();
    let mut conn = services.db.conn().await?;
    let mut all = store::courses(&mut conn, &tenant).await?;
    if let Some(mine) = s.courses(&mut conn).await? {
        all.retain(|c| mine.contains(&c.id));
    }
    Ok(all)
}

/// A page of the school's courses outside the trash (a teacher's assigned ones), oldest first.
pub async fn courses_page(
    services: &Services,
    who: &Principal,
    req: &PageRequest,
) -> Result<Page<Course>, ServiceError> {
    let s = reader(who)?;
    let mut conn = services.db.conn().await?;
    Ok(store::courses_page(&mut conn, &s.tenant, s.teacher.as_deref(), req).await?)
}

/// A course with its modules, each with its lessons in order.
pub async fn course(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<(Course, Vec<(Module, Vec<Lesson>)>), ServiceError> {
    let s = reader(who)?;
    let tenant = s.tenant.clone();
    let mut conn = services.db.conn().await?;
    let course = live_course(&mut conn, &s, id).await?;
    let mut out = Vec::new();
    for m in store::modules(&mut conn, &tenant, id).await? {
        let lessons = store::module_lessons(&mut conn, &tenant, &m.id).await?;
        out.push((m, lessons));
    }
    Ok((course, out))
}

pub async fn update_course(
    services: &Services,
    who: &Principal,
    id: &str,
    input: CourseInput,
    origin: Origin,
) -> Result<Course, ServiceError> {
    let s = editor(who)?;
    let tenant = s.tenant.clone();
    let mut errors = Vec::new();
    check_course(&input, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let mut course = live_course(&mut tx, &s, id).await?;
    let before = serde_json::to_value(&course).unwrap_or_default();
    if let Some(t) = input.title {
        course.title = t.trim().to_owned();
    }
    if let Some(d) = input.description {
        course.description = d.trim().to_owned();
    }
    if let Some(s) = input.status {
        course.status = s;
    }
    if let Some(o) = input.in_order {
        course.in_order = o;
    }
    if let Some(o) = input.self_enrol {
        course.self_enrol = o;
    }
    if let Some(cover) = input.cover_id {
        if let Some(c) = &cover {
            check_image(&mut tx, who, &tenant, c, "cover_id").await?;
        }
        course.cover_id = cover;
    }
    course.updated_at = now;
    store::update_course(&mut tx, &course).await?;
    audit_update(
        &mut tx,
        who,
        &tenant,
        "course.update",
        ("course", id),
        origin,
        now,
        (&before, &course),
    )
    .await?;
    tx.commit().await?;
    Ok(course)
}

fn restorable(deleted_at: Option<Timestamp>, now: Timestamp) -> bool {
    deleted_at.is_some_and(|d| now.duration_since(d) < SignedDuration::from_hours(24 * TRASH_DAYS))
}

/// Restores a course, module or lesson deleted less than 30 days ago (`kind` names which). A
/// course comes back within the plan's course limit; a module or lesson needs its course (and
/// module) outside the trash.
pub async fn restore(
    services: &Services,
    who: &Principal,
    kind: &str,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let s = editor(who)?;
    let tenant = s.tenant.clone();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    match kind {
        "course" => {
            let mut c = store::course(&mut tx, &tenant, id)
                .await?
                .filter(|c| restorable(c.deleted_at, now))
                .ok_or_else(|| not_found("err-no-trash-item"))?;
            s.check(&mut tx, id).await?;
            check_limit(&mut tx, &tenant, Metric::Courses, 1, now).await?;
            c.deleted_at = None;
            c.updated_at = now;
            store::update_course(&mut tx, &c).await?;
        }
        "module" => {
            let mut m = store::module(&mut tx, &tenant, id)
                .await?
                .filter(|m| restorable(m.deleted_at, now))
                .ok_or_else(|| not_found("err-no-trash-item"))?;
            live_course(&mut tx, &s, &m.course_id).await?;
            m.deleted_at = None;
            store::update_module(&mut tx, &m).await?;
        }
        "lesson" => {
            let mut l = store::lesson(&mut tx, &tenant, id)
                .await?
                .filter(|l| restorable(l.deleted_at, now))
                .ok_or_else(|| not_found("err-no-trash-item"))?;
            live_module(&mut tx, &s, &l.module_id).await?;
            l.deleted_at = None;
            l.updated_at = now;
            store::update_lesson(&mut tx, &l).await?;
        }
        _ => {
            return Err(ServiceError::Invalid(vec![(
                "kind".into(),
                Msg::one_of(&["course", "module", "lesson"]),
            )]));
        }
    }
    audit_entry(
        &mut tx,
        who,
        &tenant,
        &format!("{kind}.restore"),
        (kind, id),
        origin,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the school deleted in the last 30 days, newest first.
pub async fn trash(services: &Services, who: &Principal) -> Result<Vec<Trashed>, ServiceError> {
    let s = reader(who)?;
    let tenant = s.tenant.clone();
    let since = services.clock.now() - SignedDuration::from_hours(24 * TRASH_DAYS);
    let mut conn = services.db.conn().await?;
    let mut all = store::trash(&mut conn, &tenant, since).await?;
    if let Some(mine) = s.courses(&mut conn).await? {
        all.retain(|t| mine.contains(&t.course_id));
    }
    Ok(all)
}

/// A page of [`trash`], newest first.
pub async fn trash_page(
    services: &Services,
    who: &Principal,
    req: &PageRequest,
) -> Result<Page<Trashed>, ServiceError> {
    let s = reader(who)?;
    let since = services.clock.now() - SignedDuration::from_hours(24 * TRASH_DAYS);
    let mut conn = services.db.conn().await?;
    Ok(store::trash_page(&mut conn, &s.tenant, since, s.teacher.as_deref(), req).await?)
}

pub const PURGE_JOB: &str = "content.purge_trash";

/// Registers the daily purge of the trash.
pub fn register(registry: &mut JobRegistry) {
    registry.handle(PURGE_JOB, purge_job);
    if let Ok(at) = Schedule::daily_at(4, 0) {
        registry.schedule(PURGE_JOB, PURGE_JOB, at);
    }
}

/// Deletes for good what has stayed in the trash for [`TRASH_DAYS`], in every school (by the
/// clock, not the slot: a run after missed days catches up). Running twice deletes nothing more.
async fn purge_job(ctx: JobContext) -> anyhow::Result<()> {
    let before = ctx.clock.now() - SignedDuration::from_hours(24 * TRASH_DAYS);
    let mut tx = ctx.db.begin().await?;
    let p = store::purge_trash(&mut tx, before).await?;
    tx.commit().await?;
    tracing::info!(
        courses = p.courses,
        modules = p.modules,
        lessons = p.lessons,
        "purged the trash"
    );
    Ok(())
}

/// A course's teachers: (user id, full name), and the school's teachers who could be assigned.
pub async fn teachers(
    services: &Services,
    who: &Principal,
    course_id: &str,
) -> Result<Vec<TeacherChoice>, ServiceError> {
    let s = reader(who)?;
    let mut conn = services.db.conn().await?;
    live_course(&mut conn, &s, course_id).await?;
    let assigned: HashSet<String> = store::course_teachers(&mut conn, &s.tenant, course_id)
        .await?
        .into_iter()
        .collect();
    let staff = educenter_store::accounts::staff(&mut conn, &s.tenant).await?;
    Ok(staff
        .into_iter()
        .filter(|u| u.removed_at.is_none() && u.role == TenantRole::Teacher.as_str())
        .map(|u| TeacherChoice {
            assigned: assigned.contains(&u.id),
            id: u.id,
            full_name: u.full_name,
            email: u.email,
        })
        .collect())
}

/// A page of the school's teachers (in order of arrival), each with whether they teach the
/// course.
pub async fn teachers_page(
    services: &Services,
    who: &Principal,
    course_id: &str,
    req: &PageRequest,
) -> Result<Page<TeacherChoice>, ServiceError> {
    let s = reader(who)?;
    let mut conn = services.db.conn().await?;
    live_course(&mut conn, &s, course_id).await?;
    let assigned: HashSet<String> = store::course_teachers(&mut conn, &s.tenant, course_id)
        .await?
        .into_iter()
        .collect();
    let teacher = Some(TenantRole::Teacher.as_str());
    let page = educenter_store::accounts::staff_page(&mut conn, &s.tenant, teacher, req).await?;
    Ok(page.map(|u| TeacherChoice {
        assigned: assigned.contains(&u.id),
        id: u.id,
        full_name: u.full_name,
        email: u.email,
    }))
}

/// One of the school's teachers, and whether they teach a course.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TeacherChoice {
    pub id: String,
    pub full_name: String,
    pub email: String,
    pub assigned: bool,
}

/// Sets who teaches a course: exactly the teachers named (staff other than teachers may edit
/// every course and are not assigned). Teachers cannot change it.
pub async fn set_teachers(
    services: &Services,
    who: &Principal,
    course_id: &str,
    user_ids: &[String],
    origin: Origin,
) -> Result<Vec<TeacherChoice>, ServiceError> {
    let s = editor(who)?;
    if s.teacher.is_some() {
        return Err(ServiceError::Forbidden(Msg::new("err-teacher-assign")));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    live_course(&mut tx, &s, course_id).await?;
    let school_teachers: HashSet<String> = educenter_store::accounts::staff(&mut tx, &s.tenant)
        .await?
        .into_iter()
        .filter(|u| u.removed_at.is_none() && u.role == TenantRole::Teacher.as_str())
        .map(|u| u.id)
        .collect();
    let wanted: HashSet<&String> = user_ids.iter().collect();
    if wanted
        .iter()
        .any(|id| !school_teachers.contains(id.as_str()))
    {
        return Err(ServiceError::Invalid(vec![(
            "user_ids".into(),
            Msg::new("err-not-a-teacher"),
        )]));
    }
    for id in store::course_teachers(&mut tx, &s.tenant, course_id).await? {
        if !wanted.contains(&id) {
            store::unassign_teacher(&mut tx, &s.tenant, course_id, &id).await?;
        }
    }
    for id in &wanted {
        store::assign_teacher(&mut tx, &s.tenant, course_id, id, now).await?;
    }
    audit_entry(
        &mut tx,
        who,
        &s.tenant,
        "course.teachers",
        ("course", course_id),
        origin,
        now,
    )
    .await?;
    tx.commit().await?;
    self::teachers(services, who, course_id).await
}

/// Whether a person may see a course's reports: everyone with the right, a teacher only for
/// the courses assigned to them.
pub(crate) async fn check_course_scope(
    conn: &mut Conn,
    who: &Principal,
    tenant: &str,
    course_id: &str,
) -> Result<(), ServiceError> {
    Scope::of(who, tenant).check(conn, course_id).await
}

/// Images every browser shows in an `<img>` (and the media server serves inline).
const WEB_IMAGES: [&str; 5] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/avif",
];

fn shows_inline(m: &educenter_store::media::Media) -> bool {
    m.kind == "image" && WEB_IMAGES.contains(&m.content_type.as_str())
}

/// A cover or a logo must be an image the school uploaded, of a type browsers show.
async fn check_image(
    conn: &mut Conn,
    who: &Principal,
    tenant: &str,
    id: &str,
    field: &str,
) -> Result<(), ServiceError> {
    let ok = educenter_store::media::get(conn, tenant, id)
        .await?
        .is_some_and(|m| m.deleted_at.is_none() && shows_inline(&m))
        && crate::media::check_teacher(conn, who, tenant, id)
            .await
            .is_ok();
    if ok {
        Ok(())
    } else {
        Err(ServiceError::Invalid(vec![(
            field.into(),
            Msg::new("err-image"),
        )]))
    }
}

/// Sets (or with `None` removes) the school's logo, an image of its files. Not a teacher's.
pub async fn set_logo(
    services: &Services,
    who: &Principal,
    media_id: Option<&str>,
    origin: Origin,
) -> Result<(), ServiceError> {
    let s = editor(who)?;
    if s.teacher.is_some() {
        return Err(ServiceError::Forbidden(Msg::new("err-teacher-logo")));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if let Some(id) = media_id {
        check_image(&mut tx, who, &s.tenant, id, "logo_id").await?;
    }
    educenter_store::tenancy::set_logo(&mut tx, &s.tenant, media_id).await?;
    audit_entry(
        &mut tx,
        who,
        &s.tenant,
        "school.logo",
        ("tenant", &s.tenant),
        origin,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An image a school shows anyone on its site: its logo (`course_id` `None`), or the cover of a
/// published course.
pub async fn public_image(
    services: &Services,
    slug: &str,
    course_id: Option<&str>,
) -> Result<educenter_store::media::Media, ServiceError> {
    let t = crate::site::school(services, slug).await?;
    let mut conn = services.db.conn().await?;
    let id = match course_id {
        None => t.logo_id,
        Some(c) => store::course(&mut conn, &t.id, c)
            .await?
            .filter(|c| c.deleted_at.is_none() && c.status == "published")
            .and_then(|c| c.cover_id),
    };
    let id = id.ok_or_else(|| not_found("err-no-image"))?;
    educenter_store::media::get(&mut conn, &t.id, &id)
        .await?
        .filter(|m| m.deleted_at.is_none() && shows_inline(m))
        .ok_or_else(|| not_found("err-no-image"))
}

/// Renumbers siblings 1..n with `moved` at `position` (clamped to the ends).
fn place<T>(mut items: Vec<T>, moved: T, position: i64) -> Vec<T> {
    let at = usize::try_from(position.max(1) - 1)
        .unwrap_or(0)
        .min(items.len());
    items.insert(at, moved);
    items
}

/// Adds a module at the end of a course.
pub async fn create_module(
    services: &Services,
    who: &Principal,
    course_id: &str,
    title: &str,
    origin: Origin,
) -> Result<Module, ServiceError> {
    let s = editor(who)?;
    let tenant = s.tenant.clone();
    let mut errors = Vec::new();
    text("title", title, 1, 200, false, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    live_course(&mut tx, &s, course_id).await?;
    let mut module = Module {
        id: new_id(),
        tenant_id: tenant.clone(),
        course_id: course_id.to_owned(),
        title: title.trim().to_owned(),
        position: 0,
        deleted_at: None,
    };
    module.position = store::insert_module(&mut tx, &module, now).await?;
    audit_entry(
        &mut tx,
        who,
        &tenant,
        "module.create",
        ("module", &module.id),
        origin,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(module)
}

/// Renames a module and/or moves it to another position in its course.
pub async fn update_module(
    services: &Services,
    who: &Principal,
    id: &str,
    title: Option<&str>,
    position: Option<i64>,
    origin: Origin,
) -> Result<Module, ServiceError> {
    let s = editor(who)?;
    let tenant = s.tenant.clone();
    let mut errors = Vec::new();
    if let Some(t) = title {
        text("title", t, 1, 200, false, &mut errors);
    }
    if position.is_some_and(|p| p < 1) {
        errors.push(("position".into(), Msg::new("err-at-least-one")));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let mut module = live_module(&mut tx, &s, id).await?;
    let before = serde_json::to_value(&module).unwrap_or_default();
    if let Some(t) = title {
        module.title = t.trim().to_owned();
        store::update_module(&mut tx, &module).await?;
    }
    if let Some(p) = position {
        let siblings: Vec<Module> = store::modules(&mut tx, &tenant, &module.course_id)
            .await?
            .into_iter()
            .filter(|m| m.id != module.id)
            .collect();
        for (i, mut m) in place(siblings, module.clone(), p).into_iter().enumerate() {
            m.position = i as i64 + 1;
            if m.id == module.id {
                module.position = m.position;
            }
            store::update_module(&mut tx, &m).await?;
        }
    }
    audit_update(
        &mut tx,
        who,
        &tenant,
        "module.update",
        ("module", id),
        origin,
        now,
        (&before, &module),
    )
    .await?;
    tx.commit().await?;
    Ok(module)
}

/// A lesson as the editor sends it (absent fields keep their value on update).
#[derive(Debug, Clone, Default)]
pub struct LessonInput {
    pub module_id: Option<String>,
    pub title: Option<String>,
    pub kind: Option<String>,
    pub body: Option<String>,
    pub embed_url: Option<String>,
    pub position: Option<i64>,
    pub available_from: Option<String>,
    pub available_after_days: Option<i64>,
    pub required: Option<bool>,
    /// The uploaded file of a video, audio or file lesson.
    pub media_id: Option<String>,
    /// A video's captions: an uploaded WebVTT file (empty to remove).
    pub captions_id: Option<String>,
}

/// The kinds of lesson.
pub const LESSON_KINDS: [&str; 5] = ["text", "video", "audio", "file", "embed"];

/// Checks the files a lesson names: a video, audio or file lesson needs an uploaded file of its
/// kind (any file for a file lesson), captions must be a WebVTT file and only on a video.
async fn check_media(
    conn: &mut Conn,
    who: &Principal,
    tenant: &str,
    kind: &str,
    media_id: Option<&str>,
    captions_id: Option<&str>,
) -> Result<(), ServiceError> {
    let mut errors = Vec::new();
    if ["video", "audio", "file"].contains(&kind) {
        let media = match media_id {
            Some(id)
                if crate::media::check_teacher(conn, who, tenant, id)
                    .await
                    .is_ok() =>
            {
                educenter_store::media::get(conn, tenant, id)
                    .await?
                    .filter(|m| m.deleted_at.is_none())
            }
            _ => None,
        };
        match media {
            None => errors.push((
                "media_id".into(),
                Msg::new("err-lesson-file").key("kind", format!("err-kind-{kind}")),
            )),
            Some(m) if kind != "file" && m.kind != kind => errors.push((
                "media_id".into(),
                Msg::new("err-file-kind")
                    .key("expected", format!("err-kind-{kind}"))
                    .key("found", format!("err-kind-{}", m.kind)),
            )),
            Some(_) => {}
        }
    } else if media_id.is_some() {
        errors.push(("media_id".into(), Msg::new("err-lesson-no-file")));
    }
    if let Some(id) = captions_id {
        let ok = kind == "video"
            && educenter_store::media::get(conn, tenant, id)
                .await?
                .is_some_and(|m| m.kind == "captions" && m.deleted_at.is_none())
            && crate::media::check_teacher(conn, who, tenant, id)
                .await
                .is_ok();
        if !ok {
            errors.push(("captions_id".into(), Msg::new("err-captions")));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(errors))
    }
}

/// Whether a link may be embedded: https to an allowed host.
/// The host of an https link, lower-cased; `None` for anything else.
pub fn embed_host(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    (!host.is_empty() && !host.contains(['@', ':'])).then(|| host.to_ascii_lowercase())
}

/// The hosts embed lessons may link to, as the operator keeps them.
pub async fn embed_hosts(services: &Services) -> Result<Vec<String>, ServiceError> {
    let mut conn = services.db.conn().await?;
    Ok(store::embed_hosts(&mut conn).await?)
}

/// A page of the hosts embed lessons may link to, in order.
pub async fn embed_hosts_page(
    services: &Services,
    req: &PageRequest,
) -> Result<Page<String>, ServiceError> {
    let mut conn = services.db.conn().await?;
    Ok(store::embed_hosts_page(&mut conn, req).await?)
}

fn platform_admin(who: &Principal) -> Result<(), ServiceError> {
    who.require_write()?;
    crate::access::require_operator(who, educenter_domain::roles::OperatorAction::ManagePlatform)
}

/// A host name as an operator types it: letters, digits, dots and hyphens, with a dot.
fn check_host(host: &str) -> Result<String, ServiceError> {
    let h = host.trim().to_ascii_lowercase();
    let labels_ok = h.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    if h.len() <= 253 && h.contains('.') && labels_ok {
        Ok(h)
    } else {
        Err(ServiceError::Invalid(vec![(
            "host".into(),
            Msg::new("err-host"),
        )]))
    }
}

/// The operator allows embed lessons to link to one more host.
pub async fn add_embed_host(
    services: &Services,
    who: &Principal,
    host: &str,
    origin: Origin,
) -> Result<Vec<String>, ServiceError> {
    platform_admin(who)?;
    let host = check_host(host)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if !store::add_embed_host(&mut tx, &host, &who.user_id, now).await? {
        return Err(ServiceError::Conflict(
            Msg::new("err-host-allowed").text("host", host),
        ));
    }
    let entry = who
        .audit("embed_host.add")
        .target("embed_host", host)
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    embed_hosts(services).await
}

/// The operator stops allowing a host; lessons already linking there stop showing the player.
pub async fn remove_embed_host(
    services: &Services,
    who: &Principal,
    host: &str,
    origin: Origin,
) -> Result<Vec<String>, ServiceError> {
    platform_admin(who)?;
    let host = host.trim().to_ascii_lowercase();
    let host = host.as_str();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if !store::remove_embed_host(&mut tx, host).await? {
        return Err(ServiceError::NotFound(
            Msg::new("err-host-not-allowed").text("host", host),
        ));
    }
    let entry = who
        .audit("embed_host.remove")
        .target("embed_host", host.to_owned())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    embed_hosts(services).await
}

/// Whether a link is one token: no whitespace, control or invisible characters anywhere in it
/// (a player's address with a line break or a NUL is refused where it is typed, not kept).
fn is_clean_url(url: &str) -> bool {
    is_clean_text(url, false) && !url.chars().any(char::is_whitespace)
}

/// Whether an embed link may be shown: https, to a host the operator allows.
pub fn embed_allowed(url: &str, hosts: &[String]) -> bool {
    embed_host(url).is_some_and(|h| hosts.contains(&h))
}

fn check_lesson(l: &LessonInput, kind: &str, hosts: &[String], errors: &mut Errors) {
    if let Some(t) = &l.title {
        text("title", t, 1, 200, false, errors);
    }
    if !LESSON_KINDS.contains(&kind) {
        errors.push((
            "kind".into(),
            Msg::one_of(&["text", "video", "audio", "file", "embed"]),
        ));
    }
    if let Some(b) = &l.body
        && let Some(m) = Msg::text_error(b, 0, 200_000, true)
    {
        errors.push(("body".into(), m));
    }
    let url = l.embed_url.as_deref().map(str::trim);
    if kind == "embed" && url.is_some_and(|u| !is_clean_url(u)) {
        errors.push(("embed_url".into(), Msg::new("err-url-spaces")));
    } else if kind == "embed" && !url.is_some_and(|u| embed_allowed(u, hosts)) {
        errors.push((
            "embed_url".into(),
            Msg::new("err-embed-url").text("hosts", hosts.join(", ")),
        ));
    }
    if let Some(d) = &l.available_from
        && !d.is_empty()
        && d.parse::<Date>().is_err()
    {
        errors.push(("available_from".into(), Msg::date_format()));
    }
    if l.available_after_days
        .is_some_and(|d| !(0..=3650).contains(&d))
    {
        errors.push((
            "available_after_days".into(),
            Msg::new("err-range").num("min", 0).num("max", 3650),
        ));
    }
    if l.position.is_some_and(|p| p < 1) {
        errors.push(("position".into(), Msg::new("err-at-least-one")));
    }
}

/// Adds a lesson at the end of a module (or at `position`).
pub async fn create_lesson(
    services: &Services,
    who: &Principal,
    course_id: &str,
    input: LessonInput,
    origin: Origin,
) -> Result<Lesson, ServiceError> {
    let s = editor(who)?;
    let tenant = s.tenant.clone();
    let kind = input.kind.clone().unwrap_or_else(|| "text".into());
    let mut errors = Vec::new();
    if input.title.is_none() {
        errors.push(("title".into(), Msg::required()));
    }
    if input.module_id.is_none() {
        errors.push(("module_id".into(), Msg::required()));
    }
    let hosts = embed_hosts(services).await?;
    check_lesson(&input, &kind, &hosts, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    live_course(&mut tx, &s, course_id).await?;
    let captions = input.captions_id.clone().filter(|c| !c.is_empty());
    check_media(
        &mut tx,
        who,
        &tenant,
        &kind,
        input.media_id.as_deref(),
        captions.as_deref(),
    )
    .await?;
    let module = live_module(&mut tx, &s, input.module_id.as_deref().unwrap_or_default())
        .await
        .ok()
        .filter(|m| m.course_id == course_id)
        .ok_or_else(|| {
            ServiceError::Invalid(vec![("module_id".into(), Msg::new("err-not-a-module"))])
        })?;
    let mut lesson = Lesson {
        id: new_id(),
        tenant_id: tenant.clone(),
        course_id: course_id.to_owned(),
        module_id: module.id.clone(),
        title: input.title.clone().unwrap_or_default().trim().to_owned(),
        kind: kind.clone(),
        body: input.body.clone().unwrap_or_default(),
        embed_url: if kind == "embed" {
            input.embed_url.as_deref().map(|u| u.trim().to_owned())
        } else {
            None
        },
        position: 0,
        available_from: input.available_from.clone().filter(|d| !d.is_empty()),
        available_after_days: input.available_after_days,
        required: input.required.unwrap_or(true),
        media_id: input.media_id.clone(),
        captions_id: captions,
        created_at: now,
        updated_at: now,
        deleted_at: None,
    };
    lesson.position = store::insert_lesson(&mut tx, &lesson).await?;
    if let Some(p) = input.position {
        lesson = reposition(&mut tx, &tenant, lesson, p).await?;
    }
    audit_entry(
        &mut tx,
        who,
        &tenant,
        "lesson.create",
        ("lesson", &lesson.id),
        origin,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(lesson)
}

async fn reposition(
    tx: &mut Conn,
    tenant: &str,
    lesson: Lesson,
    position: i64,
) -> Result<Lesson, ServiceError> {
    let siblings: Vec<Lesson> = store::module_lessons(tx, tenant, &lesson.module_id)
        .await?
        .into_iter()
        .filter(|l| l.id != lesson.id)
        .collect();
    let mut moved = lesson.clone();
    for (i, mut l) in place(siblings, lesson, position).into_iter().enumerate() {
        l.position = i as i64 + 1;
        if l.id == moved.id {
            moved.position = l.position;
        }
        store::update_lesson(tx, &l).await?;
    }
    Ok(moved)
}

/// A module of the school (staff).
pub async fn module(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<Module, ServiceError> {
    let s = reader(who)?;
    let mut conn = services.db.conn().await?;
    live_module(&mut conn, &s, id).await
}

/// A lesson of the school (staff).
pub async fn lesson(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<Lesson, ServiceError> {
    let s = reader(who)?;
    let mut conn = services.db.conn().await?;
    live_lesson(&mut conn, &s, id).await
}

/// A course's lessons in reading order (staff).
pub async fn course_lessons(
    services: &Services,
    who: &Principal,
    course_id: &str,
) -> Result<Arc<CourseContent>, ServiceError> {
    let s = reader(who)?;
    let mut conn = services.db.conn().await?;
    let course = live_course(&mut conn, &s, course_id).await?;
    course_content(services, Some(&mut conn), &course).await
}

/// [`course_lessons`] for whoever holds the session `secret`, read in one query with the session
/// while the course's content is cached; `None` when no session is live with it.
pub async fn visit_course_lessons(
    services: &Services,
    secret: &str,
    course_id: &str,
) -> Result<Option<(Principal, Result<Arc<CourseContent>, ServiceError>)>, ServiceError> {
    let visit = crate::sessions::visit(services, secret, async |hash, now| {
        store::course_visit(&services.db, hash, now, course_id).await
    });
    let Some((who, _, course)) = visit.await? else {
        return Ok(None);
    };
    // As `course_lessons`: a live course, and a teacher's only when assigned to it.
    let content = async {
        let s = reader(&who)?;
        let (c, assigned) = course
            .filter(|(c, _)| c.deleted_at.is_none())
            .ok_or_else(|| not_found("err-no-course"))?;
        s.check_assigned(assigned)?;
        course_content(services, None, &c).await
    }
    .await;
    Ok(Some((who, content)))
}

/// A course's live modules and lessons (with their texts) in reading order, as of a revision.
#[derive(Debug)]
pub struct CourseContent {
    pub revision: i64,
    pub modules: Vec<Module>,
    pub lessons: Vec<Arc<Lesson>>,
    /// For each module (in the order of `modules`), the indexes in `lessons` of its lessons.
    by_module: Vec<Vec<usize>>,
    /// Each lesson's index in `lessons`, by its id.
    index: HashMap<String, usize>,
    /// Each lesson's text as sanitized HTML, rendered on first use.
    html: Vec<std::sync::OnceLock<String>>,
    /// The lesson list as the API sends it, made on first use (see [`Self::lessons_json`]).
    json: std::sync::OnceLock<bytes::Bytes>,
    /// Roughly the bytes it holds.
    weight: u64,
}

impl CourseContent {
    fn new(revision: i64, modules: Vec<Module>, lessons: Vec<Arc<Lesson>>) -> Self {
        let index: HashMap<String, usize> = lessons
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.clone(), i))
            .collect();
        let mut grouped: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, l) in lessons.iter().enumerate() {
            grouped.entry(l.module_id.as_str()).or_default().push(i);
        }
        let by_module = modules
            .iter()
            .map(|m| grouped.remove(m.id.as_str()).unwrap_or_default())
            .collect();
        // Texts count three times: as Markdown, as HTML and in the API's JSON.
        let weight = 256
            + modules
                .iter()
                .map(|m| 128 + m.title.len() as u64)
                .sum::<u64>()
            + lessons
                .iter()
                .map(|l| 384 + (2 * l.title.len() + 3 * l.body.len()) as u64)
                .sum::<u64>();
        Self {
            revision,
            html: lessons.iter().map(|_| std::sync::OnceLock::new()).collect(),
            modules,
            lessons,
            by_module,
            index,
            json: std::sync::OnceLock::new(),
            weight,
        }
    }

    /// The lessons of the module at `i` of `modules` in reading order, each with its index in
    /// `lessons`.
    pub fn module_lessons(&self, i: usize) -> impl Iterator<Item = (usize, &Arc<Lesson>)> {
        self.by_module
            .get(i)
            .into_iter()
            .flatten()
            .map(|&l| (l, &self.lessons[l]))
    }

    /// How many lessons the module at `i` of `modules` has.
    pub fn module_len(&self, i: usize) -> usize {
        self.by_module.get(i).map_or(0, Vec::len)
    }

    /// The index in `lessons` of a live lesson.
    pub fn position(&self, lesson_id: &str) -> Option<usize> {
        self.index.get(lesson_id).copied()
    }

    /// A lesson's Markdown as sanitized HTML (see [`render_markdown`]), rendered once per
    /// revision of the course.
    pub fn html(&self, lesson_id: &str) -> Option<&str> {
        let i = self.position(lesson_id)?;
        Some(self.html[i].get_or_init(|| render_markdown(&self.lessons[i].body)))
    }

    /// A page of the lessons in reading order (module position, lesson position, id). The
    /// content is held whole per revision for the course's pages, so a page is a search in
    /// it rather than another query.
    pub fn lessons_page(&self, req: &PageRequest) -> Result<Page<Arc<Lesson>>, ServiceError> {
        let module_position: HashMap<&str, i64> = self
            .modules
            .iter()
            .map(|m| (m.id.as_str(), m.position))
            .collect();
        let key = |l: &Arc<Lesson>| {
            let m = module_position.get(l.module_id.as_str()).copied();
            vec![
                m.unwrap_or(i64::MAX).into(),
                l.position.into(),
                (&l.id).into(),
            ]
        };
        Ok(store::LESSON_PAGES.slice(&self.lessons, req, key)?)
    }

    /// The API's answer for a page of the lessons: `encode` turns the page into the body. The
    /// first page of the default size is encoded once per revision and every later call gets
    /// the same bytes (the list is the same for everyone who may read it); other pages are
    /// encoded per request.
    pub fn lessons_json(
        &self,
        req: &PageRequest,
        encode: impl FnOnce(Page<Arc<Lesson>>) -> bytes::Bytes,
    ) -> Result<bytes::Bytes, ServiceError> {
        if *req == PageRequest::default() {
            if let Some(body) = self.json.get() {
                return Ok(body.clone());
            }
            let body = encode(self.lessons_page(req)?);
            return Ok(self.json.get_or_init(|| body).clone());
        }
        Ok(encode(self.lessons_page(req)?))
    }
}

#[derive(Clone)]
struct ContentWeight;

impl quick_cache::Weighter<(String, String), Arc<CourseContent>> for ContentWeight {
    fn weight(&self, _key: &(String, String), value: &Arc<CourseContent>) -> u64 {
        value.weight.max(1)
    }
}

/// Courses' contents kept between requests, by (tenant, course). An entry is used only while
/// the course row read in the same request has its revision, which every change of a module or
/// lesson raises in the database: each of several instances serves what the database holds.
pub struct ContentCache(
    quick_cache::sync::Cache<(String, String), Arc<CourseContent>, ContentWeight>,
);

impl ContentCache {
    /// A cache holding about `max_bytes` of course content.
    pub fn new(max_bytes: u64) -> Self {
        Self(quick_cache::sync::Cache::with_weighter(
            1024,
            max_bytes,
            ContentWeight,
        ))
    }
}

/// The content of a course whose row was just read: from the cache when it has this revision,
/// else read (two queries, on `conn` or on a connection of its own) and kept.
pub(crate) async fn course_content(
    services: &Services,
    conn: Option<&mut Conn>,
    course: &Course,
) -> Result<Arc<CourseContent>, ServiceError> {
    let key = (course.tenant_id.clone(), course.id.clone());
    if let Some(c) = services.content.0.get(&key)
        && c.revision == course.revision
    {
        return Ok(c);
    }
    let mut own;
    let conn = match conn {
        Some(c) => c,
        None => {
            own = services.db.conn().await?;
            &mut *own
        }
    };
    let modules = store::modules(conn, &course.tenant_id, &course.id).await?;
    let lessons: Vec<Arc<Lesson>> = store::course_lessons(conn, &course.tenant_id, &course.id)
        .await?
        .into_iter()
        .map(Arc::new)
        .collect();
    let content = Arc::new(CourseContent::new(course.revision, modules, lessons));
    services.content.0.insert(key, content.clone());
    Ok(content)
}

/// Changes a lesson: its text, link, release rules, position, or module (within the course).
pub async fn update_lesson(
    services: &Services,
    who: &Principal,
    id: &str,
    input: LessonInput,
    origin: Origin,
) -> Result<Lesson, ServiceError> {
    let s = editor(who)?;
    let tenant = s.tenant.clone();
    let now = services.clock.now();
    // Read before the transaction: one connection at a time.
    let mut hosts = embed_hosts(services).await?;
    let mut tx = services.db.begin().await?;
    let mut lesson = live_lesson(&mut tx, &s, id).await?;
    let before = serde_json::to_value(&lesson).unwrap_or_default();
    // A link the lesson has already is not checked again (its host may have been removed
    // since): only a new link must be to an allowed host.
    let unchanged = input
        .embed_url
        .as_deref()
        .is_none_or(|u| Some(u.trim()) == lesson.embed_url.as_deref());
    if unchanged && let Some(h) = lesson.embed_url.as_deref().and_then(embed_host) {
        hosts.push(h);
    }
    let mut errors = Vec::new();
    if input.kind.as_deref().is_some_and(|k| k != lesson.kind) {
        errors.push(("kind".into(), Msg::new("err-lesson-kind-fixed")));
    }
    let merged = LessonInput {
        embed_url: input.embed_url.clone().or(lesson.embed_url.clone()),
        ..input.clone()
    };
    check_lesson(&merged, &lesson.kind, &hosts, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    if let Some(module_id) = &input.module_id
        && *module_id != lesson.module_id
    {
        let target = live_module(&mut tx, &s, module_id)
            .await
            .ok()
            .filter(|m| m.course_id == lesson.course_id)
            .ok_or_else(|| {
                ServiceError::Invalid(vec![("module_id".into(), Msg::new("err-not-a-module"))])
            })?;
        lesson.module_id = target.id;
        lesson.position = i64::MAX;
    }
    if let Some(t) = input.title {
        lesson.title = t.trim().to_owned();
    }
    if let Some(b) = input.body {
        lesson.body = b;
    }
    if lesson.kind == "embed" {
        lesson.embed_url = merged.embed_url.map(|u| u.trim().to_owned());
    }
    if let Some(d) = input.available_from {
        lesson.available_from = Some(d).filter(|d| !d.is_empty());
    }
    if let Some(d) = input.available_after_days {
        // 0 days after enrolment is no rule at all.
        lesson.available_after_days = Some(d).filter(|d| *d > 0);
    }
    if let Some(r) = input.required {
        lesson.required = r;
    }
    if input.media_id.is_some() || input.captions_id.is_some() {
        if input.media_id.is_some() {
            lesson.media_id = input.media_id;
        }
        if let Some(c) = input.captions_id {
            lesson.captions_id = Some(c).filter(|c| !c.is_empty());
        }
        check_media(
            &mut tx,
            who,
            &tenant,
            &lesson.kind,
            lesson.media_id.as_deref(),
            lesson.captions_id.as_deref(),
        )
        .await?;
    }
    lesson.updated_at = now;
    store::update_lesson(&mut tx, &lesson).await?;
    let position = input.position.unwrap_or(lesson.position);
    let lesson = reposition(&mut tx, &tenant, lesson, position).await?;
    audit_update(
        &mut tx,
        who,
        &tenant,
        "lesson.update",
        ("lesson", id),
        origin,
        now,
        (&before, &lesson),
    )
    .await?;
    tx.commit().await?;
    Ok(lesson)
}

/// Moves a course, module or lesson (`kind`) to the trash; what it contains goes with it and
/// comes back with it.
pub async fn delete(
    services: &Services,
    who: &Principal,
    kind: &str,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let s = editor(who)?;
    let tenant = s.tenant.clone();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    match kind {
        "course" => {
            let mut c = live_course(&mut tx, &s, id).await?;
            c.deleted_at = Some(now);
            store::update_course(&mut tx, &c).await?;
        }
        "module" => {
            let mut m = live_module(&mut tx, &s, id).await?;
            m.deleted_at = Some(now);
            store::update_module(&mut tx, &m).await?;
        }
        _ => {
            let mut l = live_lesson(&mut tx, &s, id).await?;
            l.deleted_at = Some(now);
            store::update_lesson(&mut tx, &l).await?;
        }
    }
    let action = format!("{kind}.delete");
    audit_entry(&mut tx, who, &tenant, &action, (kind, id), origin, now).await?;
    tx.commit().await?;
    Ok(())
}
