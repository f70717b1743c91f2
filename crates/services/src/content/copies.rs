//! Copies (issue 19, item 1): a lesson duplicated beside itself, and a whole course copied as a
//! new draft. Content and rules travel (texts, files, release rules, a quiz's settings, the
//! stop-lesson mark); students and their work never do.

use super::*;

/// The words after a copy's title ("(копия)"), in the school's language.
async fn copy_suffix(
    services: &Services,
    conn: &mut Conn,
    tenant: &educenter_domain::ids::TenantId,
) -> Result<String, ServiceError> {
    let lang = educenter_store::tenancy::get_in(conn, tenant)
        .await?
        .and_then(|t| crate::i18n::Lang::from_code(&t.locale))
        .unwrap_or(crate::i18n::Lang::Ru);
    Ok(services.i18n.t(lang, "content-copy-suffix"))
}

/// A title with the copy's words, within the 200 characters a title may have.
fn copied_title(title: &str, suffix: &str) -> String {
    let room = 200usize.saturating_sub(suffix.chars().count() + 1);
    let kept: String = title.chars().take(room).collect();
    format!("{} {suffix}", kept.trim_end())
}

/// A new lesson like `lesson`, in `module` of `course`.
fn copy_of(lesson: &Lesson, course: &CourseId, module: &ModuleId, now: Timestamp) -> Lesson {
    Lesson {
        id: LessonId::new(new_id()),
        course_id: course.clone(),
        module_id: module.clone(),
        created_at: now,
        updated_at: now,
        deleted_at: None,
        ..lesson.clone()
    }
}

/// Stores `copy` of `lesson` at its module's end, with the quiz's settings of `lesson`.
async fn copy_lesson(
    services: &Services,
    tx: &mut Conn,
    lesson: &Lesson,
    mut copy: Lesson,
) -> Result<Lesson, ServiceError> {
    copy.position = store::insert_lesson(tx, &copy).await?;
    if lesson.kind == LessonKind::Quiz
        && let Some(settings) =
            educenter_store::quizzes::settings(tx, &lesson.tenant_id, &lesson.id).await?
    {
        crate::quizzes::save_settings(services, tx, &copy, &settings).await?;
    }
    Ok(copy)
}

/// Duplicates a lesson right after itself in its module, titled as a copy.
pub async fn duplicate_lesson(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<Lesson, ServiceError> {
    let s = editor(who)?;
    let tenant = s.tenant().clone();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let lesson = live_lesson(&mut tx, &s, &LessonId::new(id)).await?;
    let suffix = copy_suffix(services, &mut tx, &tenant).await?;
    let title = copied_title(&lesson.title, &suffix);
    let copy = Lesson {
        title,
        // A duplicate is for the teachers to change before students see it.
        status: LessonStatus::Draft,
        ..copy_of(&lesson, &lesson.course_id, &lesson.module_id, now)
    };
    let copy = copy_lesson(services, &mut tx, &lesson, copy).await?;
    // Right after the original among the module's live lessons (trashed ones leave gaps in the
    // numbers).
    let index = store::module_lessons(&mut tx, &tenant, &lesson.module_id)
        .await?
        .iter()
        .position(|l| l.id == lesson.id)
        .unwrap_or(0) as i64;
    let copy = super::lessons::reposition(&mut tx, &tenant, copy, index + 2).await?;
    let entry = who
        .writing(now, origin)
        .audit("lesson.duplicate")
        .tenant(tenant.to_string())
        .target("lesson", copy.id.to_string())
        .details(serde_json::json!({ "from": lesson.id }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(copy)
}

/// Copies a course as a new draft of the school (counted against the plan's courses): its
/// settings, cover, modules and lessons in order. A teacher who copies a course teaches the copy.
pub async fn copy_course(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<Course, ServiceError> {
    let s = editor(who)?;
    let tenant = s.tenant().clone();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let source = live_course(&mut tx, &s, &CourseId::new(id)).await?;
    check_limit(&mut tx, &tenant, Metric::Courses, 1, now).await?;
    let suffix = copy_suffix(services, &mut tx, &tenant).await?;
    let course = Course {
        id: CourseId::new(new_id()),
        title: copied_title(&source.title, &suffix),
        status: CourseStatus::Draft,
        revision: 0,
        created_at: now,
        updated_at: now,
        deleted_at: None,
        ..source.clone()
    };
    store::insert_course(&mut tx, &course).await?;
    let lessons = store::course_lessons(&mut tx, &tenant, &source.id).await?;
    for m in store::modules(&mut tx, &tenant, &source.id).await? {
        let module = Module {
            id: ModuleId::new(new_id()),
            course_id: course.id.clone(),
            deleted_at: None,
            ..m.clone()
        };
        store::insert_module(&mut tx, &module, now).await?;
        for l in lessons.iter().filter(|l| l.module_id == m.id) {
            let copy = copy_of(l, &course.id, &module.id, now);
            copy_lesson(services, &mut tx, l, copy).await?;
        }
    }
    if let Some(t) = s.teacher() {
        store::assign_teacher(&mut tx, &tenant, &course.id, t, now).await?;
    }
    let entry = who
        .writing(now, origin)
        .audit("course.copy")
        .tenant(tenant.to_string())
        .target("course", course.id.to_string())
        .details(serde_json::json!({ "from": source.id }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(course)
}

#[cfg(test)]
mod tests {
    use super::copied_title;

    #[test]
    fn a_copys_title_keeps_within_200_characters() {
        assert_eq!(copied_title("Алгебра", "(копия)"), "Алгебра (копия)");
        let long = "я".repeat(200);
        let t = copied_title(&long, "(копия)");
        assert_eq!(t.chars().count(), 200);
        assert!(t.ends_with(" (копия)"));
    }
}
