//! A course's progress table as the school reads it.

use super::*;

pub(crate) struct ProgressLine {
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) cells: Vec<&'static str>,
    pub(crate) done: usize,
    pub(crate) completed: Option<String>,
}

#[derive(Template)]
#[template(path = "course_progress.html")]
pub(crate) struct ProgressPage<'a> {
    pub(crate) l: Layout<'a>,
    pub(crate) course: Course,
    pub(crate) lessons: Vec<Lesson>,
    pub(crate) rows: Vec<ProgressLine>,
    pub(crate) may_edit: bool,
    pub(crate) may_manage: bool,
    /// (id, name) of the school's groups, to enrol one.
    pub(crate) groups: Vec<(String, String)>,
}

pub(crate) async fn progress(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let (course, lessons, rows) = learning::progress_table(state.services(), &who, &id).await?;
    let path = format!("/cabinet/courses/{id}/progress");
    let l = Layout::for_user(&state, &headers, &path, &who);
    let rows = rows
        .into_iter()
        .map(|r| ProgressLine {
            name: r.student.full_name,
            email: r.student.email,
            cells: r
                .cells
                .iter()
                .map(|c| match c {
                    Some((true, _)) => "complete",
                    Some((false, _)) => "started",
                    None => "none",
                })
                .collect(),
            done: r.done,
            completed: r.enrolment.completed_at.map(|t| l.instant(&t)),
        })
        .collect();
    let may_manage = may(&who, TenantAction::ManageLearners);
    let groups = if may_manage {
        learning::groups(state.services(), &who)
            .await
            .map(|g| g.into_iter().map(|g| (g.id, g.name)).collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let page = ProgressPage {
        may_manage,
        groups,
        may_edit: may(&who, TenantAction::EditContent),
        course,
        lessons,
        rows,
        l,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}
