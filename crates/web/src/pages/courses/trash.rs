//! Deleting courses, modules and lessons into the trash, the trash page, and restoring from it.

use super::*;
use educenter_domain::content::TrashKind;

pub(crate) async fn delete_lesson(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> PageResult {
    trash_in_course(
        &state,
        &who,
        origin,
        TrashKind::Lesson,
        &id,
        "lesson-deleted",
    )
    .await
}

/// Puts a module or lesson in the trash and goes back to its course's editor.
pub(crate) async fn trash_in_course(
    state: &AppState,
    who: &Principal,
    origin: ClientOrigin,
    kind: TrashKind,
    id: &str,
    flash: &'static str,
) -> PageResult {
    let services = state.services();
    let course_id = match kind {
        TrashKind::Module => content::module(services, who, id)
            .await
            .map(|m| m.course_id),
        _ => content::lesson(services, who, id)
            .await
            .map(|l| l.course_id),
    };
    let course_id = course_id?;
    content::delete(services, who, kind, id, origin.0).await?;
    Ok(redirect_with_flash(
        state,
        &format!("/cabinet/courses/{course_id}"),
        flash,
    ))
}

pub(crate) async fn delete_course(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> PageResult {
    content::delete(state.services(), &who, TrashKind::Course, &id, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/cabinet/trash",
        "moved-to-trash",
    ))
}

pub(crate) async fn delete_module(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> PageResult {
    trash_in_course(
        &state,
        &who,
        origin,
        TrashKind::Module,
        &id,
        "moved-to-trash",
    )
    .await
}

#[derive(Template)]
#[template(path = "trash.html")]
pub(crate) struct TrashPage<'a> {
    pub(crate) l: Layout<'a>,
    /// Each deleted thing with its local deletion date.
    pub(crate) items: Vec<(
        educenter_services::store::content::Trashed,
        jiff::civil::Date,
    )>,
    pub(crate) days: i64,
    /// The learners' trash, for those who manage students: each archived student with the day
    /// they are erased.
    pub(crate) students:
        Option<Vec<(educenter_services::store::accounts::User, jiff::civil::Date)>>,
}

/// What was deleted in the last 30 days, each with a button to restore it.
pub(crate) async fn trash(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    headers: HeaderMap,
) -> PageResult {
    let items = content::trash(state.services(), &who).await?;
    let l = Layout::for_user(&state, &headers, "/cabinet/trash", &who);
    let items = items
        .into_iter()
        .map(|t| {
            let on = educenter_domain::clock::local_date(t.deleted_at);
            (t, on)
        })
        .collect();
    let all = educenter_services::store::page::PageRequest::first(
        educenter_services::store::page::MAX_LIMIT,
    );
    let students = if who.tenant_role().is_some_and(|r| {
        educenter_domain::roles::tenant_may(
            r,
            educenter_domain::roles::TenantAction::ManageLearners,
        )
    }) {
        let archived = educenter_services::erasure::archived_students(state.services(), &who, &all)
            .await?
            .items;
        Some(
            archived
                .into_iter()
                .map(|u| {
                    let on =
                        educenter_services::erasure::erased_on(u.removed_at.unwrap_or_default());
                    (u, on)
                })
                .collect(),
        )
    } else {
        None
    };
    let page = TrashPage {
        items,
        days: content::TRASH_DAYS,
        students,
        l,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}

pub(crate) async fn restore(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path((kind, id)): Path<(String, String)>,
) -> PageResult {
    if kind == "student" {
        educenter_services::erasure::restore_student(state.services(), &who, &id, origin.0).await?;
        return Ok(redirect_with_flash(&state, "/cabinet/trash", "restored"));
    }
    content::restore(state.services(), &who, &kind, &id, origin.0).await?;
    Ok(redirect_with_flash(&state, "/cabinet/trash", "restored"))
}
