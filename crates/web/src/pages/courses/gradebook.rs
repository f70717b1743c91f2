//! A course's gradebook in the cabinet (issue 19, item 5): its students × its quizzes and
//! assignments, filtered by a group, with the course grade and the lessons done; downloads as
//! CSV and XLSX in the page's language.

use educenter_domain::gradebook::{Cell, GradeState, percent_text};
use educenter_services::gradebook;

use super::*;
use crate::api::gradebook::{CSV, XLSX, file_response};

/// A cell as the page shows it: the grade ("87.5%") and where the student stands in words.
pub(crate) struct GradeText {
    pub(crate) grade: String,
    pub(crate) state: String,
    pub(crate) class: &'static str,
}

pub(crate) fn grade_text(l: &Layout<'_>, c: &Cell) -> GradeText {
    GradeText {
        grade: c
            .grade
            .map(|g| format!("{}%", percent_text(g)))
            .unwrap_or_default(),
        state: match c.state {
            GradeState::None => String::new(),
            s => l.t(&format!("grade-state-{}", s.as_str())),
        },
        class: c.state.as_str(),
    }
}

pub(crate) struct GradeLine {
    name: String,
    email: String,
    cells: Vec<GradeText>,
    grade: String,
    done: String,
    completed: String,
}

#[derive(Template)]
#[template(path = "gradebook.html")]
pub(crate) struct GradebookPage<'a> {
    l: Layout<'a>,
    course_id: String,
    course_title: String,
    /// (title, kind in words) of each graded item.
    items: Vec<(String, String)>,
    rows: Vec<GradeLine>,
    /// (id, name, chosen) of the group filter.
    groups: Vec<(String, String, bool)>,
    /// The chosen group, as a query parameter for the downloads (`&group=...` or empty).
    group_param: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct GradebookQuery {
    group: String,
    format: String,
}

fn group_of(q: &GradebookQuery) -> Option<&str> {
    Some(q.group.trim()).filter(|g| !g.is_empty())
}

/// The gradebook page.
pub(crate) async fn gradebook_page(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    Query(q): Query<GradebookQuery>,
    headers: HeaderMap,
) -> PageResult {
    staff_only(&who)?;
    let services = state.services();
    let gb = gradebook::gradebook(services, &who, &id, group_of(&q)).await?;
    let groups = gradebook::groups(services, &who)
        .await?
        .into_iter()
        .map(|(gid, name)| {
            let chosen = gid == q.group;
            (gid, name, chosen)
        })
        .collect();
    let path = format!("/cabinet/courses/{id}/gradebook");
    let l = Layout::for_user(&state, &headers, &path, &who);
    let rows = gb
        .rows
        .iter()
        .map(|r| GradeLine {
            name: r.full_name.clone(),
            email: r.email.clone(),
            cells: r.cells.iter().map(|c| grade_text(&l, c)).collect(),
            grade: r
                .grade
                .map(|g| format!("{}%", percent_text(g)))
                .unwrap_or_default(),
            done: format!("{}/{}", r.done, r.required),
            completed: r.completed_at.map(|t| l.instant(&t)).unwrap_or_default(),
        })
        .collect();
    let page = GradebookPage {
        course_id: gb.course.id.to_string(),
        course_title: gb.course.title.clone(),
        items: gb
            .items
            .iter()
            .map(|i| (i.title.clone(), l.t(&format!("lesson-kind-{}", i.kind))))
            .collect(),
        rows,
        groups,
        group_param: group_of(&q)
            .map(|g| format!("&group={}", crate::pages::encode_param(g)))
            .unwrap_or_default(),
        l,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}

/// The gradebook as a file: `format=csv` or `xlsx`.
pub(crate) async fn gradebook_export(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    Query(q): Query<GradebookQuery>,
    headers: HeaderMap,
) -> PageResult {
    staff_only(&who)?;
    let services = state.services();
    let gb = gradebook::gradebook(services, &who, &id, group_of(&q)).await?;
    let lang = crate::base::request_lang(&headers);
    let name = format!("gradebook-{}", gb.course.id);
    Ok(match q.format.as_str() {
        "xlsx" => file_response(
            gradebook::to_xlsx(services, lang, &gb)?,
            XLSX,
            &format!("{name}.xlsx"),
        ),
        _ => file_response(
            gradebook::to_csv(services, lang, &gb)?,
            CSV,
            &format!("{name}.csv"),
        ),
    })
}
