//! The school's courses as a student sees them: my courses, a course's page with its lessons' states, and enrolling.

use super::*;

/// A course on "my courses": title, done of required, percent.
pub(crate) struct CourseCard {
    id: String,
    title: String,
    done: usize,
    required: usize,
    percent: usize,
    complete: bool,
}

#[derive(Template)]
#[template(path = "school_my.html")]
pub(crate) struct MyPage<'a> {
    l: Layout<'a>,
    s: School,
    courses: Vec<CourseCard>,
}

pub(crate) async fn my_courses(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let path = format!("/s/{slug}/my");
    let (t, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    let outlines = learning::my_courses(state.services(), &who).await?;
    let courses = outlines
        .into_iter()
        .map(|o| CourseCard {
            percent: (o.done * 100).checked_div(o.required).unwrap_or(0),
            complete: o
                .enrolment
                .as_ref()
                .is_some_and(|e| e.completed_at.is_some()),
            id: o.course.id.into_string(),
            title: o.course.title,
            done: o.done,
            required: o.required,
        })
        .collect();
    let page = MyPage {
        l: Layout::for_user(&state, &headers, &path, &who),
        s: school_of(&t, Some(&who)),
        courses,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}

/// A lesson as a line of the outline.
pub(crate) struct LessonLine {
    id: String,
    title: String,
    kind: LessonKind,
    state: LessonState,
    /// Why it is locked, in words.
    reason: String,
    /// A visitor may open it without enrolling.
    free_preview: bool,
    /// A stop-lesson.
    stop: bool,
}

/// Why a locked lesson is locked, in words (empty for an open or complete one).
pub(crate) fn lock_reason(l: &Layout<'_>, v: &learning::LessonView) -> String {
    match v.state {
        LessonState::Locked(Locked::Stop) => l.t_args(
            "lesson-locked-stop",
            &[("lesson", v.waits_for.clone().unwrap_or_default())],
        ),
        LessonState::Open | LessonState::Complete => String::new(),
        LessonState::Locked(Locked::Until(d)) => {
            l.t_args("lesson-locked-until", &[("date", l.date(&d))])
        }
        LessonState::Locked(Locked::PreviousIncomplete) => l.t("lesson-locked-previous"),
        LessonState::Locked(Locked::NotEnrolled) => l.t("lesson-locked-enrol"),
    }
}

#[derive(Template)]
#[template(path = "school_course.html")]
pub(crate) struct CoursePage<'a> {
    l: Layout<'a>,
    s: School,
    course: Course,
    description: String,
    enrolled: bool,
    may_enrol: bool,
    complete: bool,
    done: usize,
    required: usize,
    modules: Vec<(String, Vec<LessonLine>)>,
    /// Nobody of the school's students is signed in: the public page (issue 17, item 3).
    visitor: bool,
    /// One of the school's staff looks at the public page.
    staff_view: bool,
    /// The page's description for search engines and link previews, its canonical address and
    /// its picture's.
    meta_description: String,
    canonical: String,
    og_image: Option<String>,
    /// The course's teachers by name.
    teachers: Vec<String>,
    /// The student's grades in the course's quizzes and assignments (title, grade, state), and
    /// the course grade so far: none without graded items.
    grades: Vec<(String, crate::pages::courses::GradeText)>,
    course_grade: Option<String>,
}

pub(crate) async fn course(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> PageResult {
    let path = format!("/s/{slug}/courses/{id}");
    let (t, who) = match school_visitor(&state, &headers, &slug).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    // The school's students read their own course page; anyone else, the public one.
    let student = who.as_ref().filter(|p| p.kind == AccountKind::Learner);
    let o = match student {
        Some(who) => learning::outline(state.services(), who, &id).await?,
        None => learning::public_outline(state.services(), &t, &id).await?,
    };
    let l = match &who {
        Some(who) => Layout::for_user(&state, &headers, &path, who),
        None => Layout::new(&state, &headers, &path),
    };
    let canonical = format!("{}courses/{id}", state.services().school_url(&slug));
    let teachers = learning::course_teachers(state.services(), &t, &o.course.id).await?;
    let og_image = o.course.cover_id.as_ref().map(|c| {
        format!(
            "{}courses/{id}/cover?v={c}",
            state.services().school_url(&slug)
        )
    });
    let modules = o
        .modules
        .iter()
        .map(|(m, lessons)| {
            let lines = lessons
                .iter()
                .map(|v| {
                    let (state, reason) = (v.state, lock_reason(&l, v));
                    LessonLine {
                        id: v.lesson.id.to_string(),
                        title: v.lesson.title.clone(),
                        kind: v.lesson.kind,
                        state,
                        reason,
                        free_preview: v.lesson.free_preview,
                        stop: v.lesson.stop,
                    }
                })
                .collect();
            (m.title.clone(), lines)
        })
        .collect();
    // An enrolled student's own grades.
    let (mut grades, mut course_grade) = (Vec::new(), None);
    if let (Some(who), Some(_)) = (student, &o.enrolment)
        && o.lessons().any(|v| v.lesson.kind.completed_by_grade())
    {
        let gb = educenter_services::gradebook::gradebook(state.services(), who, &id, None).await?;
        if let Some(row) = gb.rows.first() {
            grades = gb
                .items
                .iter()
                .zip(&row.cells)
                .map(|(i, c)| (i.title.clone(), crate::pages::courses::grade_text(&l, c)))
                .collect();
            course_grade = row
                .grade
                .map(|g| format!("{}%", educenter_domain::gradebook::percent_text(g)));
        }
    }
    let page = CoursePage {
        grades,
        course_grade,
        s: school_of(&t, student),
        visitor: student.is_none(),
        staff_view: who.is_some() && student.is_none(),
        meta_description: match educenter_services::markdown::plain_text(&o.course.description, 160)
        {
            d if d.is_empty() => format!("{} — {}", o.course.title, t.display_name()),
            d => d,
        },
        canonical,
        og_image,
        teachers,
        description: content::render_markdown(&o.course.description),
        enrolled: o.enrolment.is_some(),
        may_enrol: o.enrolment.is_none() && o.course.self_enrol,
        complete: o
            .enrolment
            .as_ref()
            .is_some_and(|e| e.completed_at.is_some()),
        done: o.done,
        required: o.required,
        course: o.course,
        modules,
        l,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}

pub(crate) async fn enrol(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    origin: ClientOrigin,
    headers: HeaderMap,
) -> PageResult {
    let path = format!("/s/{slug}/courses/{id}");
    let (_, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    learning::enrol_self(state.services(), &who, &id, origin.0).await?;
    Ok(redirect_with_flash(&state, &path, "enrolled"))
}

#[derive(Template)]
#[template(path = "school_course_preview.html")]
pub(crate) struct CoursePreview<'a> {
    l: Layout<'a>,
    s: School,
    course: Course,
    description: String,
    /// Each module's title and its lessons.
    modules: Vec<(String, Vec<PreviewLine>)>,
}

/// A lesson of a course's preview: its id, title and kind.
type PreviewLine = (String, String, LessonKind);

/// A course as its students will see it, for the school's staff (issue 17, item 4): every
/// lesson, draft courses too, in the school's frame, marked as a preview; the lessons open as
/// previews, so nothing is counted in anyone's progress.
pub(crate) async fn course_preview(
    State(state): State<AppState>,
    auth::WebUser(who): auth::WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let services = state.services();
    let (course, modules) = content::course(services, &who, &id).await?;
    let Some(t) = educenter_services::tenancy::own(services, &who)
        .await?
        .filter(|t| t.id == course.tenant_id)
    else {
        return Err(PageError::not_found());
    };
    let path = format!("/cabinet/courses/{id}/preview");
    let page = CoursePreview {
        l: Layout::for_user(&state, &headers, &path, &who),
        s: school_of(&t, None),
        description: content::render_markdown(&course.description),
        modules: modules
            .into_iter()
            .filter(|(_, lessons)| !lessons.is_empty())
            .map(|(m, lessons)| {
                let lines = lessons
                    .into_iter()
                    .map(|x| (x.id.to_string(), x.title, x.kind))
                    .collect();
                (m.title, lines)
            })
            .collect(),
        course,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}
