//! The school's students in the cabinet (issue 6, item 4): a searchable list, adding a student
//! by hand or from CSV (every refused row reported, nothing half-imported), groups, a student's
//! page with their courses and progress, enrolling a student or a whole group.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    routing::{get, post},
};
use educenter_domain::content::CourseStatus;
use educenter_services::{
    ServiceError,
    access::Principal,
    content,
    learning::{self, EnrolInput, RowError, StudentDetail, StudentInput},
    store::{accounts::User, content::Course, learning::Group},
};
use serde::Deserialize;

use super::{
    Layout, PageError, PageResult,
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{AppState, ClientOrigin, auth::WebUser};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet/students", get(list).post(add))
        .route("/cabinet/students/import", post(import))
        .route("/cabinet/groups", post(create_group))
        .route("/cabinet/students/{id}", get(detail))
        .route("/cabinet/students/{id}/enrol", post(enrol))
        .route("/cabinet/students/{id}/group", post(join_group))
        .route("/cabinet/courses/{id}/enrol-group", post(enrol_group))
        .route("/cabinet/students/{id}/invitation", post(resend_invitation))
        .route("/cabinet/students/{id}/delete", post(delete))
        .route("/cabinet/students/{id}/archive", post(archive))
        .route("/cabinet/groups/{id}", get(group_page))
}

#[derive(Template)]
#[template(path = "students.html")]
struct ListPage<'a> {
    l: Layout<'a>,
    q: String,
    students: Vec<User>,
    groups: Vec<Group>,
    add_fields: Vec<Field>,
    group_fields: Vec<Field>,
    csv: String,
    import_errors: Vec<RowError>,
    import_error: Option<String>,
}

impl ListPage<'_> {
    /// A refused row in words: the row as the spreadsheet numbers it, the column, and why.
    fn row_error(&self, e: &RowError) -> String {
        let why = self.l.say(&e.message);
        self.l.t_args(
            "students-import-row-error",
            &[
                ("row", e.row.to_string()),
                ("column", self.l.t(&format!("field-{}", e.field))),
                ("why", why),
            ],
        )
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    q: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct AddForm {
    full_name: String,
    email: String,
    phone: String,
    group: String,
}

#[derive(Default)]
struct Again {
    add: AddForm,
    add_errors: FieldErrors,
    group_name: String,
    group_errors: FieldErrors,
    csv: String,
    import_errors: Vec<RowError>,
    import_error: Option<String>,
}

async fn render_list(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    q: String,
    again: Again,
    status: StatusCode,
) -> PageResult {
    let services = state.services();
    let query = Some(q.as_str()).filter(|q| !q.trim().is_empty());
    let (students, groups) = match (
        learning::students(services, who, query).await,
        learning::groups(services, who).await,
    ) {
        (Ok(s), Ok(g)) => (s, g),
        (Err(e), _) | (_, Err(e)) => return Err(e.into()),
    };
    let l = Layout::for_user(state, headers, "/cabinet/students", who);
    let mut add_fields = vec![
        Field::new(&l, "full_name", "text").value(again.add.full_name),
        Field::new(&l, "email", "email").value(again.add.email),
        Field::new(&l, "phone", "tel")
            .value(again.add.phone)
            .optional(),
        Field::new(&l, "group", "text")
            .value(again.add.group)
            .optional(),
    ];
    again.add_errors.apply(&mut add_fields);
    let mut group_fields = vec![Field::new(&l, "group_name", "text").value(again.group_name)];
    again.group_errors.apply(&mut group_fields);
    let page = ListPage {
        q,
        students,
        groups,
        add_fields,
        group_fields,
        csv: again.csv,
        import_errors: again.import_errors,
        import_error: again.import_error,
        l,
    };
    Ok(page.l.render(status, &page))
}

async fn list(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
) -> PageResult {
    render_list(
        &state,
        &headers,
        &who,
        q.q,
        Again::default(),
        StatusCode::OK,
    )
    .await
}

async fn add(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<AddForm>,
) -> PageResult {
    let input = StudentInput {
        full_name: form.full_name.clone(),
        email: form.email.clone(),
        phone: form.phone.clone(),
        group: form.group.clone(),
    };
    match learning::add_student(state.services(), &who, input, origin.0).await {
        Ok(id) => Ok(redirect_with_flash(
            &state,
            &format!("/cabinet/students/{id}"),
            "student-added",
        )),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "/cabinet/students");
            let taken = found.iter().any(|(_, m)| m.key == "err-email-taken-school");
            let mut add_errors = FieldErrors::from_service(
                &l,
                found,
                &[
                    ("full_name", "full_name"),
                    ("email", "email"),
                    ("phone", "phone"),
                    ("group", "group"),
                ],
            );
            if taken {
                add_errors.set("email", l.t("error-email-taken-school"));
            }
            let again = Again {
                add: form,
                add_errors,
                ..Again::default()
            };
            render_list(
                &state,
                &headers,
                &who,
                String::new(),
                again,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Imports students from a CSV file (UTF-8, with or without a BOM, or Windows-1251, as
/// spreadsheets save it) or from the text pasted in the form.
async fn import(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    mut form: axum::extract::Multipart,
) -> PageResult {
    let (mut file, mut pasted) = (Vec::new(), String::new());
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_owned();
                let Ok(bytes) = field.bytes().await else {
                    break;
                };
                match name.as_str() {
                    "file" => file = bytes.to_vec(),
                    "csv" => pasted = String::from_utf8_lossy(&bytes).into_owned(),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => break,
        }
    }
    let (bytes, shown) = if file.is_empty() {
        (pasted.clone().into_bytes(), pasted)
    } else {
        let text = educenter_services::student_import::decode(&file);
        (file, text)
    };
    let again = |import_errors, import_error| Again {
        csv: shown.clone(),
        import_errors,
        import_error,
        ..Again::default()
    };
    let l = super::Layout::new(&state, &headers, "/cabinet/students");
    let outcome =
        educenter_services::student_import::import(state.services(), &who, &bytes, origin.0).await;
    let again = match outcome {
        Ok(Ok(_)) => {
            return Ok(redirect_with_flash(
                &state,
                "/cabinet/students",
                "students-imported",
            ));
        }
        Ok(Err(rows)) => again(rows, None),
        Err(ServiceError::Invalid(found)) => {
            let text = found
                .iter()
                .map(|(_, m)| l.say(m))
                .collect::<Vec<_>>()
                .join(" ");
            again(Vec::new(), Some(text))
        }
        Err(e) => return Err(e.into()),
    };
    render_list(
        &state,
        &headers,
        &who,
        String::new(),
        again,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GroupForm {
    group_name: String,
}

async fn create_group(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<GroupForm>,
) -> PageResult {
    match learning::create_group(state.services(), &who, &form.group_name, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/cabinet/students",
            "group-created",
        )),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "/cabinet/students");
            let group_errors = FieldErrors::from_service(&l, found, &[("name", "group_name")]);
            let again = Again {
                group_name: form.group_name,
                group_errors,
                ..Again::default()
            };
            render_list(
                &state,
                &headers,
                &who,
                String::new(),
                again,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

struct CourseRow {
    id: String,
    title: String,
    done: usize,
    required: usize,
    access: String,
    completed: Option<String>,
}

#[derive(Template)]
#[template(path = "student.html")]
struct DetailPage<'a> {
    l: Layout<'a>,
    student: User,
    groups: Vec<String>,
    courses: Vec<CourseRow>,
    enrol_fields: Vec<Field>,
    group_fields: Vec<Field>,
}

async fn render_detail(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    id: &str,
    errors: FieldErrors,
    status: StatusCode,
) -> PageResult {
    let services = state.services();
    let (d, all_courses, all_groups): (StudentDetail, Vec<Course>, Vec<Group>) = match (
        learning::student(services, who, id).await,
        content::courses(services, who).await,
        learning::groups(services, who).await,
    ) {
        (Ok(d), Ok(c), Ok(g)) => (d, c, g),
        (Err(e), _, _) => return Err(e.into()),
        // Staff who manage students but do not edit content enrol in no course from here.
        (Ok(d), Err(_), Ok(g)) => (d, Vec::new(), g),
        (_, _, Err(e)) => return Err(e.into()),
    };
    let path = format!("/cabinet/students/{id}");
    let l = Layout::for_user(state, headers, &path, who);
    let courses = d
        .courses
        .into_iter()
        .map(|(c, e, done, required)| CourseRow {
            id: c.id.into_string(),
            title: c.title,
            done,
            required,
            access: match (&e.access_from, &e.access_to) {
                (None, None) => String::new(),
                (f, t) => format!(
                    "{} – {}",
                    f.map(|d| l.date(&d)).unwrap_or_default(),
                    t.map(|d| l.date(&d)).unwrap_or_default()
                ),
            },
            completed: e.completed_at.map(|t| l.instant(&t)),
        })
        .collect();
    let mut enrol_fields = vec![
        Field::new(&l, "course_id", "select").options(
            all_courses
                .into_iter()
                .filter(|c| c.status != CourseStatus::Archived)
                .map(|c| (c.id.into_string(), c.title))
                .collect(),
        ),
        Field::new(&l, "access_from", "date").optional(),
        Field::new(&l, "access_to", "date").optional(),
    ];
    errors.apply(&mut enrol_fields);
    let group_fields = vec![
        Field::new(&l, "group_id", "select")
            .options(all_groups.into_iter().map(|g| (g.id, g.name)).collect()),
    ];
    let page = DetailPage {
        student: d.user,
        groups: d.groups,
        courses,
        enrol_fields,
        group_fields,
        l,
    };
    Ok(page.l.render(status, &page))
}

async fn detail(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    render_detail(
        &state,
        &headers,
        &who,
        &id,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EnrolForm {
    course_id: String,
    group_id: String,
    access_from: String,
    access_to: String,
}

fn some(v: &str) -> Option<String> {
    Some(v.trim().to_owned()).filter(|v| !v.is_empty())
}

async fn enrol(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<EnrolForm>,
) -> PageResult {
    let input = EnrolInput {
        user_id: id.clone(),
        access_from: some(&form.access_from),
        access_to: some(&form.access_to),
    };
    match learning::enrol(state.services(), &who, &form.course_id, input, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/cabinet/students/{id}"),
            "student-enrolled",
        )),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "/cabinet/students");
            let errors = FieldErrors::from_service(
                &l,
                found,
                &[("access_from", "access_from"), ("access_to", "access_to")],
            );
            render_detail(
                &state,
                &headers,
                &who,
                &id,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn join_group(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    Form(form): Form<EnrolForm>,
) -> PageResult {
    match learning::add_to_group(state.services(), &who, &form.group_id, &id, origin.0).await {
        // The address names the student: one the school does not have is not found.
        Err(ServiceError::Invalid(f)) if f.iter().any(|(field, _)| field == "user_id") => {
            return Err(PageError::not_found());
        }
        other => other?,
    }
    Ok(redirect_with_flash(
        &state,
        &format!("/cabinet/students/{id}"),
        "student-grouped",
    ))
}

async fn enrol_group(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    Form(form): Form<EnrolForm>,
) -> PageResult {
    let access = (some(&form.access_from), some(&form.access_to));
    learning::enrol_group(
        state.services(),
        &who,
        &id,
        &form.group_id,
        access,
        origin.0,
    )
    .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/cabinet/courses/{id}/progress"),
        "group-enrolled",
    ))
}

/// Sends a student who has not joined yet a new invitation.
async fn resend_invitation(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> PageResult {
    learning::resend_invitation(state.services(), &who, &id, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/cabinet/students/{id}"),
        "invitation-resent",
    ))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct DeleteForm {
    /// The box that says the student's data goes for good.
    confirm: String,
}

/// Deletes a student, once the box is ticked: their personal data is erased at once.
async fn delete(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<DeleteForm>,
) -> PageResult {
    // Another school's student (or none) is a 404 whether the box is ticked or not.
    learning::student(state.services(), &who, &id).await?;
    if form.confirm.is_empty() {
        return Ok(redirect_with_flash(
            &state,
            &format!("/cabinet/students/{id}"),
            "student-delete-unconfirmed",
        ));
    }
    educenter_services::erasure::delete_student(state.services(), &who, &id, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/cabinet/students",
        "student-deleted",
    ))
}

/// Moves a student to the learners' trash (restorable for 30 days from the trash page).
async fn archive(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> PageResult {
    educenter_services::erasure::archive_student(state.services(), &who, &id, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/cabinet/trash",
        "student-archived",
    ))
}

#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage<'a> {
    l: Layout<'a>,
    /// Names link to the students' pages for staff who manage learners.
    may_manage: bool,
    group: Group,
    courses: Vec<Course>,
    rows: Vec<learning::GroupRow>,
}

/// A group's progress table: its students × the courses they are enrolled in.
async fn group_page(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let (group, courses, rows) = learning::group_progress(state.services(), &who, &id).await?;
    let path = format!("/cabinet/groups/{id}");
    let l = Layout::for_user(&state, &headers, &path, &who);
    let may_manage = who.tenant_role().is_some_and(|r| {
        educenter_domain::roles::tenant_may(
            r,
            educenter_domain::roles::TenantAction::ManageLearners,
        )
    });
    let page = GroupPage {
        may_manage,
        group,
        courses,
        rows,
        l,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}
