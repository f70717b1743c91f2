//! A course's curriculum put in a new order at once (issue 19, item 1): what the course
//! builder sends when a module or a lesson is dragged, or moved with the keyboard.

use super::*;
use educenter_domain::ids::TenantId;

/// The order a course's modules and lessons are to take: each live module once, with its
/// lessons (each live lesson of the course once, in any module).
pub type OutlineOrder = Vec<(String, Vec<String>)>;

/// Puts a course's modules and lessons in `order`, which must name each of its live modules
/// and lessons exactly once (anything else, such as a list read before another tab changed
/// the course, is refused whole and changes nothing).
pub async fn reorder(
    services: &Services,
    who: &Principal,
    course_id: &str,
    order: OutlineOrder,
    origin: Origin,
) -> Result<(), ServiceError> {
    let course_id = &CourseId::new(course_id);
    let s = editor(who)?;
    let tenant = s.tenant().clone();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    live_course(&mut tx, &s, course_id).await?;
    // Two reorders (two tabs, two teachers) take turns: each checks what the other left.
    store::hold_course(&mut tx, &tenant, course_id).await?;
    let modules = store::modules(&mut tx, &tenant, course_id).await?;
    let lessons = store::course_outline(&mut tx, &tenant, course_id).await?;
    let mut module_ids: Vec<&str> = modules.iter().map(|m| m.id.as_str()).collect();
    let mut lesson_ids: Vec<&str> = lessons.iter().map(|l| l.id.as_str()).collect();
    let mut given_modules: Vec<&str> = order.iter().map(|(m, _)| m.as_str()).collect();
    let mut given_lessons: Vec<&str> = order
        .iter()
        .flat_map(|(_, ls)| ls.iter().map(String::as_str))
        .collect();
    for list in [
        &mut module_ids,
        &mut lesson_ids,
        &mut given_modules,
        &mut given_lessons,
    ] {
        list.sort_unstable();
    }
    if module_ids != given_modules || lesson_ids != given_lessons {
        return Err(ServiceError::Conflict(Msg::new("err-outline-stale")));
    }
    let order: Vec<(ModuleId, Vec<LessonId>)> = order
        .into_iter()
        .map(|(m, ls)| {
            (
                ModuleId::new(m),
                ls.into_iter().map(LessonId::new).collect(),
            )
        })
        .collect();
    let modules: Vec<(ModuleId, i64)> = modules.into_iter().map(|m| (m.id, m.position)).collect();
    let lessons: Vec<store::Placed> = lessons
        .into_iter()
        .map(|l| (l.id, l.module_id, l.position))
        .collect();
    let read = (modules.as_slice(), lessons.as_slice());
    if !store::set_outline(&mut tx, &tenant, course_id, read, &order).await? {
        // Nothing moved: nothing to record.
        return Ok(());
    }
    audit_entry(
        &mut tx,
        &who.writing(now, origin),
        &tenant,
        "course.reorder",
        ("course", course_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A lesson's Markdown as students will see it (the same sanitiser), the school's images
/// signed for the editor: the editor's live preview.
pub async fn preview_markdown(
    services: &Services,
    who: &Principal,
    text: &str,
) -> Result<String, ServiceError> {
    let s = reader(who)?;
    if let Some(m) = Msg::text_error(text, 0, 200_000, true) {
        return Err(ServiceError::Invalid(vec![("text".into(), m)]));
    }
    let html = render_markdown(text);
    crate::media::sign_images(services, s.tenant(), Some(&who.user_id), &html).await
}

/// Checks that every image a lesson's text shows (`media:ID`) is an image of the school the
/// editor may use (theirs, or one a lesson of their courses shows).
pub(crate) async fn check_images(
    conn: &mut Conn,
    who: &Principal,
    tenant: &TenantId,
    body: &str,
) -> Result<(), ServiceError> {
    for id in educenter_domain::content::image_refs(body) {
        let usable = crate::media::check_usable(conn, who, tenant, &id)
            .await
            .is_ok()
            && educenter_store::media::get(conn, tenant, &id)
                .await?
                .is_some_and(|m| m.kind == MediaKind::Image && m.deleted_at.is_none());
        if !usable {
            return Err(ServiceError::Invalid(vec![(
                "body".into(),
                Msg::new("err-lesson-image"),
            )]));
        }
    }
    Ok(())
}
