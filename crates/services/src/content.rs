//! A school's content (issue 6, first part): courses, their modules and lessons in order, and
//! the 30-day trash. Staff with `EditContent` write; a course counts against the plan's
//! `courses` limit through [`crate::billing::check_limit`].

use educenter_domain::{roles::TenantAction, tenancy::is_clean_text};
use educenter_store::{
    Conn,
    audit::{self, Entry, Origin},
    content::{self as store, Course, Lesson, Module, Trashed},
    new_id,
};
use jiff::{SignedDuration, Timestamp, civil::Date};

use crate::{
    ServiceError, Services,
    billing::{Metric, actor, check_limit},
    sessions::Principal,
    staff,
};

/// How long deleted content can be restored.
pub const TRASH_DAYS: i64 = 30;

/// Hosts an embed lesson may link to (https only).
pub const EMBED_HOSTS: [&str; 6] = [
    "youtube.com",
    "www.youtube.com",
    "youtu.be",
    "vimeo.com",
    "player.vimeo.com",
    "www.youtube-nocookie.com",
];

type Errors = Vec<(String, String)>;

fn text(field: &str, value: &str, min: usize, max: usize, multiline: bool, errors: &mut Errors) {
    let n = value.trim().chars().count();
    if n < min || n > max || !is_clean_text(value.trim(), multiline) {
        errors.push((field.into(), format!("must be {min} to {max} characters")));
    }
}

fn editor(who: &Principal) -> Result<String, ServiceError> {
    who.require_write()?;
    Ok(staff::require(who, TenantAction::EditContent)?.to_owned())
}

fn reader(who: &Principal) -> Result<String, ServiceError> {
    Ok(staff::require(who, TenantAction::EditContent)?.to_owned())
}

fn not_found(what: &str) -> ServiceError {
    ServiceError::NotFound(format!("no such {what}"))
}

async fn live_course(conn: &mut Conn, tenant: &str, id: &str) -> Result<Course, ServiceError> {
    store::course(conn, tenant, id)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .ok_or_else(|| not_found("course"))
}

async fn live_module(conn: &mut Conn, tenant: &str, id: &str) -> Result<Module, ServiceError> {
    let m = store::module(conn, tenant, id)
        .await?
        .filter(|m| m.deleted_at.is_none())
        .ok_or_else(|| not_found("module"))?;
    live_course(conn, tenant, &m.course_id).await?;
    Ok(m)
}

async fn live_lesson(conn: &mut Conn, tenant: &str, id: &str) -> Result<Lesson, ServiceError> {
    let l = store::lesson(conn, tenant, id)
        .await?
        .filter(|l| l.deleted_at.is_none())
        .ok_or_else(|| not_found("lesson"))?;
    live_module(conn, tenant, &l.module_id).await?;
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
    let entry = Entry::new(actor(who), action)
        .tenant(tenant.to_owned())
        .target(target.0, target.1.to_owned())
        .origin(origin);
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
            "must be draft, published or archived".into(),
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
    let tenant = editor(who)?;
    let mut errors = Vec::new();
    if input.title.is_none() {
        errors.push(("title".into(), "is required".into()));
    }
    check_course(&input, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    check_limit(&mut tx, &tenant, Metric::Courses, 1, now).await?;
    let course = Course {
        id: new_id(),
        tenant_id: tenant.clone(),
        title: input.title.unwrap_or_default().trim().to_owned(),
        description: input.description.unwrap_or_default().trim().to_owned(),
        status: input.status.unwrap_or_else(|| "draft".into()),
        in_order: input.in_order.unwrap_or(false),
        self_enrol: input.self_enrol.unwrap_or(false),
        created_at: now,
        updated_at: now,
        deleted_at: None,
    };
    store::insert_course(&mut tx, &course).await?;
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
    let tenant = reader(who)?;
    let mut conn = services.db.conn().await?;
    Ok(store::courses(&mut conn, &tenant).await?)
}

/// A course with its modules, each with its lessons in order.
pub async fn course(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<(Course, Vec<(Module, Vec<Lesson>)>), ServiceError> {
    let tenant = reader(who)?;
    let mut conn = services.db.conn().await?;
    let course = live_course(&mut conn, &tenant, id).await?;
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
    let tenant = editor(who)?;
    let mut errors = Vec::new();
    check_course(&input, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let mut course = live_course(&mut tx, &tenant, id).await?;
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
    course.updated_at = now;
    store::update_course(&mut tx, &course).await?;
    audit_entry(
        &mut tx,
        who,
        &tenant,
        "course.update",
        ("course", id),
        origin,
        now,
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
    let tenant = editor(who)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    match kind {
        "course" => {
            let mut c = store::course(&mut tx, &tenant, id)
                .await?
                .filter(|c| restorable(c.deleted_at, now))
                .ok_or_else(|| not_found("course in the trash"))?;
            check_limit(&mut tx, &tenant, Metric::Courses, 1, now).await?;
            c.deleted_at = None;
            c.updated_at = now;
            store::update_course(&mut tx, &c).await?;
        }
        "module" => {
            let mut m = store::module(&mut tx, &tenant, id)
                .await?
                .filter(|m| restorable(m.deleted_at, now))
                .ok_or_else(|| not_found("module in the trash"))?;
            live_course(&mut tx, &tenant, &m.course_id).await?;
            m.deleted_at = None;
            store::update_module(&mut tx, &m).await?;
        }
        "lesson" => {
            let mut l = store::lesson(&mut tx, &tenant, id)
                .await?
                .filter(|l| restorable(l.deleted_at, now))
                .ok_or_else(|| not_found("lesson in the trash"))?;
            live_module(&mut tx, &tenant, &l.module_id).await?;
            l.deleted_at = None;
            l.updated_at = now;
            store::update_lesson(&mut tx, &l).await?;
        }
        _ => {
            return Err(ServiceError::Invalid(vec![(
                "kind".into(),
                "must be course, module or lesson".into(),
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
    let tenant = reader(who)?;
    let since = services.clock.now() - SignedDuration::from_hours(24 * TRASH_DAYS);
    let mut conn = services.db.conn().await?;
    Ok(store::trash(&mut conn, &tenant, since).await?)
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
    let tenant = editor(who)?;
    let mut errors = Vec::new();
    text("title", title, 1, 200, false, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    live_course(&mut tx, &tenant, course_id).await?;
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
    let tenant = editor(who)?;
    let mut errors = Vec::new();
    if let Some(t) = title {
        text("title", t, 1, 200, false, &mut errors);
    }
    if position.is_some_and(|p| p < 1) {
        errors.push(("position".into(), "must be 1 or more".into()));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let mut module = live_module(&mut tx, &tenant, id).await?;
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
    audit_entry(
        &mut tx,
        who,
        &tenant,
        "module.update",
        ("module", id),
        origin,
        now,
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
    tenant: &str,
    kind: &str,
    media_id: Option<&str>,
    captions_id: Option<&str>,
) -> Result<(), ServiceError> {
    let mut errors = Vec::new();
    if ["video", "audio", "file"].contains(&kind) {
        let media = match media_id {
            Some(id) => educenter_store::media::get(conn, tenant, id)
                .await?
                .filter(|m| m.deleted_at.is_none()),
            None => None,
        };
        match media {
            None => errors.push((
                "media_id".into(),
                format!("must name an uploaded file for a {kind} lesson"),
            )),
            Some(m) if kind != "file" && m.kind != kind => errors.push((
                "media_id".into(),
                format!("is a {} file, not {kind}", m.kind),
            )),
            Some(_) => {}
        }
    } else if media_id.is_some() {
        errors.push(("media_id".into(), format!("a {kind} lesson has no file")));
    }
    if let Some(id) = captions_id {
        let ok = kind == "video"
            && educenter_store::media::get(conn, tenant, id)
                .await?
                .is_some_and(|m| m.kind == "captions" && m.deleted_at.is_none());
        if !ok {
            errors.push((
                "captions_id".into(),
                "must name an uploaded WebVTT file, on a video lesson".into(),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(errors))
    }
}

/// Whether a link may be embedded: https to an allowed host.
pub fn embed_allowed(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !host.contains(['@', ':']) && EMBED_HOSTS.contains(&host.to_ascii_lowercase().as_str())
}

fn check_lesson(l: &LessonInput, kind: &str, errors: &mut Errors) {
    if let Some(t) = &l.title {
        text("title", t, 1, 200, false, errors);
    }
    if !LESSON_KINDS.contains(&kind) {
        errors.push((
            "kind".into(),
            "must be text, video, audio, file or embed".into(),
        ));
    }
    if let Some(b) = &l.body
        && (b.chars().count() > 200_000 || !is_clean_text(b, true))
    {
        errors.push(("body".into(), "must be at most 200 000 characters".into()));
    }
    if kind == "embed" && !l.embed_url.as_deref().is_some_and(embed_allowed) {
        errors.push((
            "embed_url".into(),
            format!("must be an https link to {}", EMBED_HOSTS.join(", ")),
        ));
    }
    if let Some(d) = &l.available_from
        && !d.is_empty()
        && d.parse::<Date>().is_err()
    {
        errors.push(("available_from".into(), "must be a date YYYY-MM-DD".into()));
    }
    if l.available_after_days
        .is_some_and(|d| !(0..=3650).contains(&d))
    {
        errors.push(("available_after_days".into(), "must be 0 to 3650".into()));
    }
    if l.position.is_some_and(|p| p < 1) {
        errors.push(("position".into(), "must be 1 or more".into()));
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
    let tenant = editor(who)?;
    let kind = input.kind.clone().unwrap_or_else(|| "text".into());
    let mut errors = Vec::new();
    if input.title.is_none() {
        errors.push(("title".into(), "is required".into()));
    }
    if input.module_id.is_none() {
        errors.push(("module_id".into(), "is required".into()));
    }
    check_lesson(&input, &kind, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    live_course(&mut tx, &tenant, course_id).await?;
    let captions = input.captions_id.clone().filter(|c| !c.is_empty());
    check_media(
        &mut tx,
        &tenant,
        &kind,
        input.media_id.as_deref(),
        captions.as_deref(),
    )
    .await?;
    let module = live_module(
        &mut tx,
        &tenant,
        input.module_id.as_deref().unwrap_or_default(),
    )
    .await
    .ok()
    .filter(|m| m.course_id == course_id)
    .ok_or_else(|| {
        ServiceError::Invalid(vec![(
            "module_id".into(),
            "is not a module of this course".into(),
        )])
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
            input.embed_url.clone()
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
    let tenant = reader(who)?;
    let mut conn = services.db.conn().await?;
    live_module(&mut conn, &tenant, id).await
}

/// A lesson of the school (staff).
pub async fn lesson(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<Lesson, ServiceError> {
    let tenant = reader(who)?;
    let mut conn = services.db.conn().await?;
    live_lesson(&mut conn, &tenant, id).await
}

/// A course's lessons in reading order (staff).
pub async fn course_lessons(
    services: &Services,
    who: &Principal,
    course_id: &str,
) -> Result<Vec<Lesson>, ServiceError> {
    let tenant = reader(who)?;
    let mut conn = services.db.conn().await?;
    live_course(&mut conn, &tenant, course_id).await?;
    Ok(store::course_lessons(&mut conn, &tenant, course_id).await?)
}

/// Changes a lesson: its text, link, release rules, position, or module (within the course).
pub async fn update_lesson(
    services: &Services,
    who: &Principal,
    id: &str,
    input: LessonInput,
    origin: Origin,
) -> Result<Lesson, ServiceError> {
    let tenant = editor(who)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let mut lesson = live_lesson(&mut tx, &tenant, id).await?;
    let mut errors = Vec::new();
    if input.kind.as_deref().is_some_and(|k| k != lesson.kind) {
        errors.push(("kind".into(), "cannot change; create another lesson".into()));
    }
    let merged = LessonInput {
        embed_url: input.embed_url.clone().or(lesson.embed_url.clone()),
        ..input.clone()
    };
    check_lesson(&merged, &lesson.kind, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    if let Some(module_id) = &input.module_id
        && *module_id != lesson.module_id
    {
        let target = live_module(&mut tx, &tenant, module_id)
            .await
            .ok()
            .filter(|m| m.course_id == lesson.course_id)
            .ok_or_else(|| {
                ServiceError::Invalid(vec![(
                    "module_id".into(),
                    "is not a module of this course".into(),
                )])
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
        lesson.embed_url = merged.embed_url;
    }
    if let Some(d) = input.available_from {
        lesson.available_from = Some(d).filter(|d| !d.is_empty());
    }
    if input.available_after_days.is_some() {
        lesson.available_after_days = input.available_after_days;
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
    audit_entry(
        &mut tx,
        who,
        &tenant,
        "lesson.update",
        ("lesson", id),
        origin,
        now,
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
    let tenant = editor(who)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    match kind {
        "course" => {
            let mut c = live_course(&mut tx, &tenant, id).await?;
            c.deleted_at = Some(now);
            store::update_course(&mut tx, &c).await?;
        }
        "module" => {
            let mut m = live_module(&mut tx, &tenant, id).await?;
            m.deleted_at = Some(now);
            store::update_module(&mut tx, &m).await?;
        }
        _ => {
            let mut l = live_lesson(&mut tx, &tenant, id).await?;
            l.deleted_at = Some(now);
            store::update_lesson(&mut tx, &l).await?;
        }
    }
    let action = format!("{kind}.delete");
    audit_entry(&mut tx, who, &tenant, &action, (kind, id), origin, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A text lesson's Markdown as HTML safe to put in a page: raw HTML in the Markdown is
/// sanitized (scripts, event handlers and `javascript:` links removed), links get
/// `rel="noopener noreferrer"`.
pub fn render_markdown(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    ammonia::clean(&out)
}

#[cfg(test)]
mod tests {
    use super::render_markdown;

    #[test]
    fn markdown_becomes_html_without_scripts() {
        let html = render_markdown(
            "# Урок 1\n\n**Жирный** и [ссылка](https://example.kz).\n\n<script>alert(1)</script>\n\n\
             <img src=x onerror=alert(2)>\n\n[плохо](javascript:alert(3))",
        );
        assert!(html.contains("<h1>Урок 1</h1>"), "{html}");
        assert!(html.contains("<strong>Жирный</strong>"), "{html}");
        assert!(html.contains("href=\"https://example.kz\""), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }
}
