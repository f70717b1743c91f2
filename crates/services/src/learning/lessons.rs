//! A student's course and lessons: the outline with each lesson's state, opening a lesson, and saving progress.

use super::*;
use educenter_domain::content::LessonKind;
use educenter_domain::ids::TenantId;

/// A lesson as one student sees it (in an outline, without its text: see [`lesson`]).
#[derive(Debug, Clone)]
pub struct LessonView {
    /// Shared with the cached course content (see [`crate::content::course_content`]).
    pub lesson: std::sync::Arc<Lesson>,
    pub state: LessonState,
    pub position_ms: i64,
    /// Closed by a stop-lesson: that lesson's title.
    pub waits_for: Option<String>,
}

/// A course as one student sees it: the enrolment, and each module's lessons with their state.
#[derive(Debug, Clone)]
pub struct Outline {
    pub course: Course,
    /// The course's modules and lessons as read (shared with the cache).
    pub content: std::sync::Arc<crate::content::CourseContent>,
    pub enrolment: Option<Enrolment>,
    pub modules: Vec<(Module, Vec<LessonView>)>,
    pub done: usize,
    pub required: usize,
}

impl Outline {
    /// Lessons in reading order.
    pub fn lessons(&self) -> impl Iterator<Item = &LessonView> {
        self.modules.iter().flat_map(|(_, ls)| ls.iter())
    }
}

/// Whether an enrolment gives access on `today` (not removed, within its dates).
pub(crate) fn enrolment_open(e: &Enrolment, today: Date) -> bool {
    let after_start = e.access_from.is_none_or(|d| d <= today);
    let before_end = e.access_to.is_none_or(|d| today <= d);
    e.removed_at.is_none() && after_start && before_end
}

pub(crate) async fn outline_in(
    services: &Services,
    conn: &mut Conn,
    tenant: &TenantId,
    user_id: &UserId,
    course: Course,
    today: Date,
) -> Result<Outline, ServiceError> {
    let (enrolment, progress) =
        store::enrolment_with_progress(conn, tenant, &course.id, user_id).await?;
    outline_of(services, Some(conn), course, enrolment, progress, today).await
}

/// The outline of a course for a student with this enrolment (removed or not) and progress;
/// a course whose content is not cached is read on `conn` or on a connection of its own.
pub(crate) async fn outline_of(
    services: &Services,
    conn: Option<&mut Conn>,
    course: Course,
    enrolment: Option<Enrolment>,
    progress: Vec<Progress>,
    today: Date,
) -> Result<Outline, ServiceError> {
    let enrolment = enrolment.filter(|e| e.removed_at.is_none());
    let enrolled_on = enrolment
        .as_ref()
        .map(|e| local_date(e.enrolled_at))
        .unwrap_or(today);
    let open = enrolment.as_ref().is_some_and(|e| enrolment_open(e, today));
    // The course's modules and lessons come from the cache while its revision holds.
    let content = crate::content::course_content(services, conn, &course).await?;
    // The student's progress by the lesson's place in the course (that of lessons no longer
    // in it is kept but not shown).
    let mut saved: Vec<Option<&Progress>> = vec![None; content.lessons.len()];
    for p in &progress {
        if let Some(i) = content.position(&p.lesson_id) {
            saved[i] = Some(p);
        }
    }
    let mut modules = Vec::with_capacity(content.modules.len());
    let mut previous_complete = true;
    // The first stop-lesson the student has not completed: what follows it stays closed.
    let mut stop: Option<String> = None;
    let (mut done, mut required) = (0, 0);
    for (i, m) in content.modules.iter().enumerate() {
        let mut views = Vec::with_capacity(content.module_len(i));
        // A draft lesson is the teachers' only: not shown, not counted, closes nothing.
        for (at, l) in content
            .module_lessons(i)
            .filter(|(_, l)| l.status.is_published())
        {
            let p = saved[at];
            let complete = p.is_some_and(|p| p.completed_at.is_some());
            let release = Release {
                from: l.available_from,
                after_days: l.available_after_days,
            };
            let before = educenter_domain::learning::Before {
                previous_complete,
                stopped: stop.is_some(),
            };
            let mut state = lesson_state(
                release,
                enrolled_on,
                today,
                course.in_order,
                before,
                complete,
            );
            // Without an enrolment open today nothing opens, not even a lesson done before.
            if !open && !matches!(state, LessonState::Locked(_)) {
                state = LessonState::Locked(educenter_domain::learning::Locked::NotEnrolled);
            }
            if l.required {
                required += 1;
                if complete {
                    done += 1;
                }
            }
            previous_complete = complete;
            let waits_for = stop
                .clone()
                .filter(|_| state == LessonState::Locked(educenter_domain::learning::Locked::Stop));
            if l.stop && !complete && stop.is_none() {
                stop = Some(l.title.clone());
            }
            views.push(LessonView {
                position_ms: p.map(|p| p.position_ms).unwrap_or(0),
                lesson: l.clone(),
                state,
                waits_for,
            });
        }
        modules.push((m.clone(), views));
    }
    Ok(Outline {
        course,
        content,
        enrolment,
        modules,
        done,
        required,
    })
}

/// A published course as the signed-in student sees it.
pub async fn outline(
    services: &Services,
    who: &Principal,
    course_id: &str,
) -> Result<Outline, ServiceError> {
    let course_id = &CourseId::new(course_id);
    let tenant = learner(who)?;
    let mut conn = services.db.conn().await?;
    let course = published_course(&mut conn, &tenant, course_id).await?;
    let today = local_date(services.clock.now());
    outline_in(services, &mut conn, &tenant, &who.user_id, course, today).await
}

/// A published course as a visitor of the school's site reads it (issue 17, item 3): its
/// outline with no enrolment, so every lesson is closed until they enrol.
pub async fn public_outline(
    services: &Services,
    tenant: &Tenant,
    course_id: &str,
) -> Result<Outline, ServiceError> {
    let course_id = &CourseId::new(course_id);
    let mut conn = services.db.conn().await?;
    let course = published_course(&mut conn, &tenant.id, course_id).await?;
    let today = local_date(services.clock.now());
    outline_of(services, Some(&mut conn), course, None, Vec::new(), today).await
}

/// A free preview lesson of a published course, for a visitor of the school's site (issue 17,
/// item 3): the course's outline with no enrolment, the lesson's index in it, and the lesson;
/// any other lesson is "not found".
pub async fn free_preview(
    services: &Services,
    tenant: &Tenant,
    lesson_id: &str,
) -> Result<(Outline, usize, Lesson), ServiceError> {
    let lesson_id = &LessonId::new(lesson_id);
    let not_found = || ServiceError::NotFound(Msg::new("err-no-lesson"));
    let mut conn = services.db.conn().await?;
    let lesson = content_store::lesson(&mut conn, &tenant.id, lesson_id)
        .await?
        .filter(|l| l.deleted_at.is_none() && l.free_preview)
        .ok_or_else(not_found)?;
    let course = published_course(&mut conn, &tenant.id, &lesson.course_id).await?;
    let today = local_date(services.clock.now());
    let outline = outline_of(services, Some(&mut conn), course, None, Vec::new(), today).await?;
    let (index, view) = outline
        .lessons()
        .enumerate()
        .find(|(_, v)| v.lesson.id == *lesson_id)
        .ok_or_else(not_found)?;
    let lesson = Lesson::clone(&view.lesson);
    Ok((outline, index, lesson))
}

/// The names of a published course's teachers, as its page on the school's site shows them.
pub async fn course_teachers(
    services: &Services,
    tenant: &Tenant,
    course_id: &CourseId,
) -> Result<Vec<String>, ServiceError> {
    let mut conn = services.db.conn().await?;
    Ok(content_store::course_teacher_names(&mut conn, &tenant.id, course_id).await?)
}

/// A student's courses: each with its enrolment and how many required lessons are done.
pub async fn my_courses(
    services: &Services,
    who: &Principal,
) -> Result<Vec<Outline>, ServiceError> {
    let tenant = learner(who)?;
    let mut conn = services.db.conn().await?;
    let today = local_date(services.clock.now());
    let mut out = Vec::new();
    for e in store::user_enrolments(&mut conn, &tenant, &who.user_id).await? {
        if let Some(c) = content_store::course(&mut conn, &tenant, &e.course_id)
            .await?
            .filter(|c| c.deleted_at.is_none() && c.status.is_published())
        {
            out.push(outline_in(services, &mut conn, &tenant, &who.user_id, c, today).await?);
        }
    }
    Ok(out)
}

/// One lesson for the student: the outline it sits in, its index in reading order, and the
/// lesson itself with its text.
pub async fn lesson(
    services: &Services,
    who: &Principal,
    lesson_id: &str,
) -> Result<(Outline, usize, Lesson), ServiceError> {
    let lesson_id = &LessonId::new(lesson_id);
    let tenant = learner(who)?;
    let mut conn = services.db.conn().await?;
    let data = store::lesson_for_student(&mut conn, &tenant, lesson_id, &who.user_id).await?;
    lesson_of(services, Some(&mut conn), data, lesson_id).await
}

/// A visit of a lesson page, read in one query with the session: who is signed in, their school
/// (as it is now), and the lesson as [`lesson`] gives it to a student of that school.
pub struct LessonVisit {
    pub who: Principal,
    pub school: Option<Tenant>,
    pub lesson: Result<(Outline, usize, Lesson), ServiceError>,
}

/// The visit of a lesson page by whoever holds a session `secret` (`None` when no session is
/// live with it). The page costs one query while the course's content is cached.
pub async fn visit_lesson(
    services: &Services,
    secret: &str,
    lesson_id: &str,
) -> Result<Option<LessonVisit>, ServiceError> {
    let lesson_id = &LessonId::new(lesson_id);
    let visit = crate::sessions::visit(services, secret, async |hash, now| {
        store::lesson_visit(&services.db, hash, now, lesson_id).await
    });
    let Some((who, school, data)) = visit.await? else {
        return Ok(None);
    };
    let lesson = match learner(&who) {
        Ok(_) => lesson_of(services, None, data, lesson_id).await,
        Err(e) => Err(e),
    };
    Ok(Some(LessonVisit {
        who,
        school,
        lesson,
    }))
}

/// The lesson of a course read with a student's enrolment and progress (see [`lesson`]).
pub(crate) async fn lesson_of(
    services: &Services,
    conn: Option<&mut Conn>,
    data: store::LessonData,
    lesson_id: &str,
) -> Result<(Outline, usize, Lesson), ServiceError> {
    let not_found = || ServiceError::NotFound(Msg::new("err-no-lesson"));
    // The lesson itself comes from the course's (cached) content: a live lesson of a live
    // module is in it, anything else is not found.
    let (course, enrolment, progress) = data
        .filter(|(c, _, _)| c.deleted_at.is_none() && c.status.is_published())
        .ok_or_else(not_found)?;
    let today = local_date(services.clock.now());
    let outline = outline_of(services, conn, course, enrolment, progress, today).await?;
    let (index, view) = outline
        .lessons()
        .enumerate()
        .find(|(_, v)| v.lesson.id == lesson_id)
        .ok_or_else(not_found)?;
    let l = Lesson::clone(&view.lesson);
    Ok((outline, index, l))
}

/// What the player or the "complete" button reports.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProgressInput {
    pub position_ms: i64,
    pub duration_ms: Option<i64>,
    /// The student marks the lesson complete.
    pub complete: bool,
}

/// Where the student stands after a report.
#[derive(Debug, Clone, Copy)]
pub struct ProgressState {
    pub lesson_complete: bool,
    pub course_complete: bool,
}

/// Saves a student's place in a lesson they may open; a video or audio lesson played to 90%
/// completes itself. The course is complete once every required lesson is.
pub async fn save_progress(
    services: &Services,
    who: &Principal,
    lesson_id: &str,
    input: ProgressInput,
) -> Result<ProgressState, ServiceError> {
    let lesson_id = &LessonId::new(lesson_id);
    let tenant = learner(who)?;
    let mut errors = Vec::new();
    if !(0..=864_000_000).contains(&input.position_ms) {
        errors.push((
            "position_ms".into(),
            Msg::new("err-range").num("min", 0).num("max", 864_000_000),
        ));
    }
    if input
        .duration_ms
        .is_some_and(|d| !(1..=864_000_000).contains(&d))
    {
        errors.push((
            "duration_ms".into(),
            Msg::new("err-range").num("min", 1).num("max", 864_000_000),
        ));
    }
    invalid(errors)?;
    let now = services.clock.now();
    let today = local_date(now);
    let mut tx = services.db.begin().await?;
    let not_found = || ServiceError::NotFound(Msg::new("err-no-lesson"));
    let l = content_store::lesson(&mut tx, &tenant, lesson_id)
        .await?
        .filter(|l| l.deleted_at.is_none())
        .ok_or_else(not_found)?;
    let course = published_course(&mut tx, &tenant, &l.course_id).await?;
    let outline = outline_in(services, &mut tx, &tenant, &who.user_id, course, today).await?;
    let view = outline
        .lessons()
        .find(|v| v.lesson.id == *lesson_id)
        .ok_or_else(not_found)?;
    let enrolment = match (&view.state, &outline.enrolment) {
        (LessonState::Locked(_), _) | (_, None) => {
            return Err(ServiceError::Forbidden(Msg::new("err-lesson-locked")));
        }
        (_, Some(e)) => e.clone(),
    };
    // A quiz is complete when it is passed, an assignment when a teacher accepts it: not
    // when the student says so.
    if l.kind.completed_by_grade() && input.complete {
        return Err(ServiceError::Conflict(Msg::new(
            if l.kind == LessonKind::Quiz {
                "err-quiz-complete-by-passing"
            } else {
                "err-assignment-complete-by-review"
            },
        )));
    }
    let played = matches!(l.kind, LessonKind::Video | LessonKind::Audio)
        && input
            .duration_ms
            .is_some_and(|d| played_enough(input.position_ms, d));
    let complete = input.complete || played || view.state == LessonState::Complete;
    // "Mark complete" says nothing of where a recording was stopped: keep the saved place.
    let position_ms = match (input.complete, input.duration_ms) {
        (true, None) => view.position_ms.max(input.position_ms),
        _ => input.position_ms,
    };
    store::save_progress(
        &mut tx,
        &tenant,
        &Progress {
            user_id: who.user_id.clone(),
            lesson_id: l.id.clone(),
            course_id: l.course_id.clone(),
            position_ms,
            duration_ms: input.duration_ms,
            completed_at: complete.then_some(now),
            updated_at: now,
        },
    )
    .await?;
    // The day counts among the student's active days on the cabinet's home.
    educenter_store::dashboard::note_active(&mut tx, &tenant, &who.user_id, today).await?;
    let mut course_complete = enrolment.completed_at.is_some();
    if complete && view.state != LessonState::Complete {
        // The outline was read before this lesson was complete: count it now.
        let done = outline.done + usize::from(l.required);
        if outline.required > 0 && done == outline.required && !course_complete {
            store::mark_course_complete(&mut tx, &tenant, &enrolment.id, now).await?;
            course_complete = true;
            let entry = who
                .audit("course.complete")
                .tenant(tenant.clone())
                .target("enrolment", enrolment.id.clone());
            audit::record(&mut tx, &entry, now).await?;
            crate::certificates::issue_if_earned(
                services,
                &mut tx,
                &tenant,
                &who.user_id,
                &l.course_id,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(ProgressState {
        lesson_complete: complete,
        course_complete,
    })
}

/// Marks a lesson complete for a student (a quiz passed, whoever graded it), in the caller's
/// transaction, and the course with it once every required lesson is; answers whether the
/// course is complete. A lesson the student's enrolment no longer opens is left as it is.
pub(crate) async fn complete_for(
    services: &Services,
    tx: &mut Conn,
    who: Option<&Principal>,
    tenant: &TenantId,
    user_id: &UserId,
    lesson_id: &LessonId,
) -> Result<bool, ServiceError> {
    let now = services.clock.now();
    let today = local_date(now);
    let Some(l) = content_store::lesson(tx, tenant, lesson_id)
        .await?
        .filter(|l| l.deleted_at.is_none())
    else {
        return Ok(false);
    };
    let Ok(course) = published_course(tx, tenant, &l.course_id).await else {
        return Ok(false);
    };
    let outline = outline_in(services, tx, tenant, user_id, course, today).await?;
    let (Some(view), Some(enrolment)) = (
        outline.lessons().find(|v| v.lesson.id == *lesson_id),
        outline.enrolment.as_ref(),
    ) else {
        return Ok(false);
    };
    let mut course_complete = enrolment.completed_at.is_some();
    if view.state.is_complete() || view.state.is_locked() {
        return Ok(course_complete);
    }
    store::save_progress(
        tx,
        tenant,
        &Progress {
            user_id: user_id.clone(),
            lesson_id: l.id.clone(),
            course_id: l.course_id.clone(),
            position_ms: view.position_ms,
            duration_ms: None,
            completed_at: Some(now),
            updated_at: now,
        },
    )
    .await?;
    let done = outline.done + usize::from(l.required);
    if outline.required > 0 && done == outline.required && !course_complete {
        store::mark_course_complete(tx, tenant, &enrolment.id, now).await?;
        course_complete = true;
        let entry = match who {
            Some(w) => w.audit("course.complete"),
            None => Entry::new(Actor::System, "course.complete"),
        }
        .tenant(tenant.clone())
        .target("enrolment", enrolment.id.clone());
        audit::record(tx, &entry, now).await?;
    }
    if course_complete {
        // A graded item passed completes the course, or was the last one it waited for.
        crate::certificates::issue_if_earned(services, tx, tenant, user_id, &l.course_id).await?;
    }
    Ok(course_complete)
}
