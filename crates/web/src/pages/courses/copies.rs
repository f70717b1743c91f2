//! The course editor's copies (issue 19, item 1): a lesson duplicated beside itself, a course
//! copied as a new draft.

use super::*;

/// Duplicates a lesson; back to the course editor at the copy.
pub(crate) async fn duplicate_lesson(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> PageResult {
    let copy = content::duplicate_lesson(state.services(), &who, &id, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/cabinet/courses/{}#lesson-{}", copy.course_id, copy.id),
        "lesson-duplicated",
    ))
}

/// Copies a course; on to the copy's editor.
pub(crate) async fn copy_course(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> PageResult {
    let copy = content::copy_course(state.services(), &who, &id, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/cabinet/courses/{}", copy.id),
        "course-copied",
    ))
}
