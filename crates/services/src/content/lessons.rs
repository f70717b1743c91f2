//! Modules and lessons in order: creating, changing and moving them, with their media and release rules checked.

use super::*;
use educenter_domain::ids::TenantId;

/// Renumbers siblings 1..n with `moved` at `position` (clamped to the ends).
pub(crate) fn place<T>(mut items: Vec<T>, moved: T, position: i64) -> Vec<T> {
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
    let course_id = &CourseId::new(course_id);
    let s = editor(who)?;
    let tenant = s.tenant().clone();
    let mut errors = Vec::new();
    text("title", title, 1, 200, false, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    live_course(&mut tx, &s, course_id).await?;
    let mut module = Module {
        id: ModuleId::new(new_id()),
        tenant_id: tenant.clone(),
        course_id: course_id.clone(),
        title: title.trim().to_owned(),
        position: 0,
        deleted_at: None,
    };
    module.position = store::insert_module(&mut tx, &module, now).await?;
    audit_entry(
        &mut tx,
        &who.writing(now, origin),
        &tenant,
        "module.create",
        ("module", &module.id),
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
    let id = &ModuleId::new(id);
    let s = editor(who)?;
    let tenant = s.tenant().clone();
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
        &who.writing(now, origin),
        &tenant,
        "module.update",
        ("module", id),
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
    /// Offered as a free preview on the course's public page (issue 17, item 3).
    pub free_preview: Option<bool>,
    /// A stop-lesson: the lessons after it stay closed until the student completes it (a quiz:
    /// passes it).
    pub stop: Option<bool>,
    /// `draft` or `published` (a new lesson: published unless said otherwise).
    pub status: Option<String>,
    /// The uploaded file of a video, audio or file lesson.
    pub media_id: Option<String>,
    /// A video's captions: an uploaded WebVTT file (empty to remove).
    pub captions_id: Option<String>,
    /// A quiz lesson's settings (required to make one).
    pub quiz: Option<crate::quizzes::QuizInput>,
}

/// Checks the files a lesson names: a video, audio or file lesson needs an uploaded file of its
/// kind (any file for a file lesson), captions must be a WebVTT file and only on a video.
pub(crate) async fn check_media(
    conn: &mut Conn,
    who: &Principal,
    tenant: &TenantId,
    kind: LessonKind,
    media_id: Option<&MediaId>,
    captions_id: Option<&MediaId>,
) -> Result<(), ServiceError> {
    let mut errors = Vec::new();
    if kind.has_media() {
        let media = match media_id {
            Some(id)
                if crate::media::check_usable(conn, who, tenant, id)
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
            Some(m) if !kind.accepts(m.kind) => errors.push((
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
        let ok = kind == LessonKind::Video
            && educenter_store::media::get(conn, tenant, id)
                .await?
                .is_some_and(|m| m.kind == MediaKind::Captions && m.deleted_at.is_none())
            && crate::media::check_usable(conn, who, tenant, id)
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

/// A lesson's opening date as given (checked by [`check_lesson`]); empty text is no date.
fn release_date(text: &str) -> Option<Date> {
    text.parse().ok()
}

/// Checks a lesson's fields for a lesson of `kind` (`None`: a kind that does not exist, refused).
pub(crate) fn check_lesson(
    l: &LessonInput,
    kind: Option<LessonKind>,
    hosts: &[String],
    errors: &mut Errors,
) {
    if let Some(t) = &l.title {
        text("title", t, 1, 200, false, errors);
    }
    if kind.is_none() {
        errors.push(("kind".into(), Msg::one_of_words::<LessonKind>()));
    }
    let embed = kind == Some(LessonKind::Embed);
    if let Some(b) = &l.body
        && let Some(m) = Msg::text_error(b, 0, 200_000, true)
    {
        errors.push(("body".into(), m));
    }
    let url = l.embed_url.as_deref().map(str::trim);
    if embed && url.is_some_and(|u| !is_clean_url(u)) {
        errors.push(("embed_url".into(), Msg::new("err-url-spaces")));
    } else if embed && !url.is_some_and(|u| embed_allowed(u, hosts)) {
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
    if l.status
        .as_deref()
        .is_some_and(|st| LessonStatus::parse(st).is_none())
    {
        errors.push(("status".into(), Msg::one_of_words::<LessonStatus>()));
    }
    if l.quiz.is_some() && kind.is_some_and(|k| k != LessonKind::Quiz) {
        errors.push(("quiz".into(), Msg::new("err-lesson-no-quiz")));
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
    let course_id = &CourseId::new(course_id);
    let s = editor(who)?;
    let tenant = s.tenant().clone();
    let kind = LessonKind::parse(input.kind.as_deref().unwrap_or("text"));
    let mut errors = Vec::new();
    if input.title.is_none() {
        errors.push(("title".into(), Msg::required()));
    }
    if input.module_id.is_none() {
        errors.push(("module_id".into(), Msg::required()));
    }
    let hosts = embed_hosts(services).await?;
    check_lesson(&input, kind, &hosts, &mut errors);
    if kind == Some(LessonKind::Quiz) && input.quiz.is_none() {
        errors.push(("quiz".into(), Msg::required()));
    }
    let (Some(kind), true) = (kind, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    live_course(&mut tx, &s, course_id).await?;
    let quiz = match &input.quiz {
        Some(q) => {
            let quiz =
                crate::quizzes::settings_from(&mut tx, &tenant, q, None, &mut errors).await?;
            if !errors.is_empty() {
                return Err(ServiceError::Invalid(errors));
            }
            quiz
        }
        None => None,
    };
    let captions = input
        .captions_id
        .clone()
        .filter(|c| !c.is_empty())
        .map(MediaId::new);
    let media_id = input.media_id.clone().map(MediaId::new);
    check_media(
        &mut tx,
        who,
        &tenant,
        kind,
        media_id.as_ref(),
        captions.as_ref(),
    )
    .await?;
    super::check_images(&mut tx, who, &tenant, input.body.as_deref().unwrap_or("")).await?;
    let module_id = ModuleId::new(input.module_id.clone().unwrap_or_default());
    let module = live_module(&mut tx, &s, &module_id)
        .await
        .ok()
        .filter(|m| m.course_id == *course_id)
        .ok_or_else(|| {
            ServiceError::Invalid(vec![("module_id".into(), Msg::new("err-not-a-module"))])
        })?;
    let mut lesson = Lesson {
        id: LessonId::new(new_id()),
        tenant_id: tenant.clone(),
        course_id: course_id.clone(),
        module_id: module.id.clone(),
        title: input.title.clone().unwrap_or_default().trim().to_owned(),
        kind,
        body: input.body.clone().unwrap_or_default(),
        embed_url: if kind == LessonKind::Embed {
            input.embed_url.as_deref().map(|u| u.trim().to_owned())
        } else {
            None
        },
        position: 0,
        available_from: input.available_from.as_deref().and_then(release_date),
        available_after_days: input.available_after_days,
        required: input.required.unwrap_or(true),
        media_id,
        captions_id: captions,
        free_preview: input.free_preview.unwrap_or(false),
        stop: input.stop.unwrap_or(false),
        status: input
            .status
            .as_deref()
            .and_then(LessonStatus::parse)
            .unwrap_or(LessonStatus::Published),
        created_at: now,
        updated_at: now,
        deleted_at: None,
    };
    lesson.position = store::insert_lesson(&mut tx, &lesson).await?;
    if let Some(q) = &quiz {
        crate::quizzes::save_settings(services, &mut tx, &lesson, q).await?;
    }
    if let Some(p) = input.position {
        lesson = reposition(&mut tx, &tenant, lesson, p).await?;
    }
    audit_entry(
        &mut tx,
        &who.writing(now, origin),
        &tenant,
        "lesson.create",
        ("lesson", &lesson.id),
    )
    .await?;
    tx.commit().await?;
    Ok(lesson)
}

pub(crate) async fn reposition(
    tx: &mut Conn,
    tenant: &TenantId,
    lesson: Lesson,
    position: i64,
) -> Result<Lesson, ServiceError> {
    let siblings: Vec<Lesson> = store::module_lessons(tx, tenant, &lesson.module_id)
        .await?
        .into_iter()
        .filter(|l| l.id != lesson.id)
        .collect();
    let mut moved = lesson.clone();
    let order = place(siblings, lesson, position);
    if let Some(at) = order.iter().position(|l| l.id == moved.id) {
        moved.position = at as i64 + 1;
    }
    let placed: Vec<store::Placed> = order
        .into_iter()
        .map(|l| (l.id, l.module_id, l.position))
        .collect();
    store::renumber_lessons(tx, tenant, &moved.course_id, &placed).await?;
    Ok(moved)
}

/// A module of the school (staff).
pub async fn module(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<Module, ServiceError> {
    let id = &ModuleId::new(id);
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
    let id = &LessonId::new(id);
    let s = reader(who)?;
    let mut conn = services.db.conn().await?;
    live_lesson(&mut conn, &s, id).await
}

/// Changes a lesson: its text, link, release rules, position, or module (within the course).
pub async fn update_lesson(
    services: &Services,
    who: &Principal,
    id: &str,
    input: LessonInput,
    origin: Origin,
) -> Result<Lesson, ServiceError> {
    let id = &LessonId::new(id);
    let s = editor(who)?;
    let tenant = s.tenant().clone();
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
    if input
        .kind
        .as_deref()
        .is_some_and(|k| LessonKind::parse(k) != Some(lesson.kind))
    {
        errors.push(("kind".into(), Msg::new("err-lesson-kind-fixed")));
    }
    let merged = LessonInput {
        embed_url: input.embed_url.clone().or(lesson.embed_url.clone()),
        ..input.clone()
    };
    check_lesson(&merged, Some(lesson.kind), &hosts, &mut errors);
    let quiz = match &input.quiz {
        Some(q) if lesson.kind == LessonKind::Quiz => {
            let current = educenter_store::quizzes::settings(&mut tx, &tenant, &lesson.id).await?;
            crate::quizzes::settings_from(&mut tx, &tenant, q, current.as_ref(), &mut errors)
                .await?
                .map(|new| (current, new))
        }
        _ => None,
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    if let Some((old, new)) = &quiz {
        crate::quizzes::save_settings(services, &mut tx, &lesson, new).await?;
        let old = serde_json::to_value(old).unwrap_or_default();
        audit_update(
            &mut tx,
            &who.writing(now, origin.clone()),
            &tenant,
            "quiz.update",
            ("lesson", id),
            (&old, new),
        )
        .await?;
    }
    if let Some(module_id) = input.module_id.clone().map(ModuleId::new)
        && module_id != lesson.module_id
    {
        let target = live_module(&mut tx, &s, &module_id)
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
        if b != lesson.body {
            super::check_images(&mut tx, who, &tenant, &b).await?;
        }
        lesson.body = b;
    }
    if lesson.kind == LessonKind::Embed {
        lesson.embed_url = merged.embed_url.map(|u| u.trim().to_owned());
    }
    if let Some(d) = input.available_from {
        lesson.available_from = release_date(&d);
    }
    if let Some(d) = input.available_after_days {
        // 0 days after enrolment is no rule at all.
        lesson.available_after_days = Some(d).filter(|d| *d > 0);
    }
    if let Some(p) = input.free_preview {
        lesson.free_preview = p;
    }
    if let Some(stop) = input.stop {
        lesson.stop = stop;
    }
    if let Some(st) = input.status.as_deref().and_then(LessonStatus::parse) {
        lesson.status = st;
    }
    if let Some(r) = input.required {
        lesson.required = r;
    }
    if input.media_id.is_some() || input.captions_id.is_some() {
        if input.media_id.is_some() {
            lesson.media_id = input.media_id.map(MediaId::new);
        }
        if let Some(c) = input.captions_id {
            lesson.captions_id = Some(c).filter(|c| !c.is_empty()).map(MediaId::new);
        }
        check_media(
            &mut tx,
            who,
            &tenant,
            lesson.kind,
            lesson.media_id.as_ref(),
            lesson.captions_id.as_ref(),
        )
        .await?;
    }
    lesson.updated_at = now;
    store::update_lesson(&mut tx, &lesson).await?;
    let position = input.position.unwrap_or(lesson.position);
    let lesson = reposition(&mut tx, &tenant, lesson, position).await?;
    audit_update(
        &mut tx,
        &who.writing(now, origin),
        &tenant,
        "lesson.update",
        ("lesson", id),
        (&before, &lesson),
    )
    .await?;
    tx.commit().await?;
    Ok(lesson)
}
