//! Progress as the school reads it: the progress table of a course and the progress of a group.

use super::*;

/// One student's row of a progress table.
#[derive(Debug, Clone)]
pub struct ProgressRow {
    pub student: User,
    pub enrolment: Enrolment,
    /// Per lesson in reading order: complete, and the position reached (ms).
    pub cells: Vec<Option<(bool, i64)>>,
    pub done: usize,
}

/// The progress table of a course: its students × its lessons (staff).
pub async fn progress_table(
    services: &Services,
    who: &Principal,
    course_id: &str,
) -> Result<(Course, Vec<Lesson>, Vec<ProgressRow>), ServiceError> {
    let course_id = &CourseId::new(course_id);
    let scope = crate::access::scope(who, TenantAction::ViewReports)
        .or_else(|_| crate::access::scope(who, TenantAction::EditContent))?;
    let tenant = scope.tenant().clone();
    let mut conn = services.db.conn().await?;
    let course = content_store::course(&mut conn, &tenant, course_id)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-course")))?;
    // A teacher sees the reports of the courses assigned to them.
    scope.check(&mut conn, course_id).await?;
    // Students' progress is in the published lessons: a draft is nobody's yet.
    let mut lessons = content_store::course_lessons(&mut conn, &tenant, course_id).await?;
    lessons.retain(|l| l.status.is_published());
    let mut by_user: HashMap<UserId, HashMap<LessonId, Progress>> = HashMap::new();
    for p in store::course_progress(&mut conn, &tenant, course_id).await? {
        by_user
            .entry(p.user_id.clone())
            .or_default()
            .insert(p.lesson_id.clone(), p);
    }
    let mut rows = Vec::new();
    // The school's students once, not one query per row.
    let mut students: HashMap<UserId, User> = store::learners(&mut conn, &tenant, None)
        .await?
        .into_iter()
        .map(|u| (u.id.clone(), u))
        .collect();
    for e in store::course_enrolments(&mut conn, &tenant, course_id).await? {
        let Some(student) = students.remove(&e.user_id) else {
            continue;
        };
        let mine = by_user.remove(&e.user_id).unwrap_or_default();
        let cells: Vec<_> = lessons
            .iter()
            .map(|l| {
                mine.get(&l.id)
                    .map(|p| (p.completed_at.is_some(), p.position_ms))
            })
            .collect();
        let done = cells
            .iter()
            .filter(|c| matches!(c, Some((true, _))))
            .count();
        rows.push(ProgressRow {
            student,
            enrolment: e,
            cells,
            done,
        });
    }
    rows.sort_by(|a, b| a.student.full_name.cmp(&b.student.full_name));
    Ok((course, lessons, rows))
}

/// A row of a group's progress table: a student and, per course, (required lessons done,
/// required lessons, course complete), or `None` when the student is not enrolled.
#[derive(Debug, Clone)]
pub struct GroupRow {
    pub student: User,
    pub cells: Vec<Option<(usize, usize, bool)>>,
}

/// The progress table of a group: its students × the courses any of them is enrolled in (a
/// teacher sees the courses assigned to them).
pub async fn group_progress(
    services: &Services,
    who: &Principal,
    group_id: &str,
) -> Result<(store::Group, Vec<Course>, Vec<GroupRow>), ServiceError> {
    let scope = crate::access::scope(who, TenantAction::ViewReports)
        .or_else(|_| crate::access::scope(who, TenantAction::ManageLearners))?;
    let tenant = scope.tenant().clone();
    let mut conn = services.db.conn().await?;
    let group = store::group(&mut conn, &tenant, group_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-group")))?;
    let members = store::group_members(&mut conn, &tenant, group_id).await?;
    // The members alone, not the whole school.
    let mut students: HashMap<UserId, User> = HashMap::new();
    for id in &members {
        if let Some(u) = users::get(&mut conn, id).await? {
            students.insert(u.id.clone(), u);
        }
    }
    // A teacher's table has only the courses assigned to them, and only the members who study
    // in one of them.
    let mine = scope.courses(&mut conn).await?;
    let member_set: std::collections::HashSet<&UserId> = members.iter().collect();
    let mut courses = Vec::new();
    // Per course: (required lesson ids, its enrolments of members, their completed lessons).
    let mut columns = Vec::new();
    for c in content_store::courses(&mut conn, &tenant).await? {
        if mine.as_ref().is_some_and(|m| !m.contains(&c.id)) {
            continue;
        }
        let enrolled: HashMap<UserId, Enrolment> =
            store::course_enrolments(&mut conn, &tenant, &c.id)
                .await?
                .into_iter()
                .filter(|e| e.removed_at.is_none() && member_set.contains(&e.user_id))
                .map(|e| (e.user_id.clone(), e))
                .collect();
        if enrolled.is_empty() {
            continue;
        }
        let required: std::collections::HashSet<LessonId> =
            content_store::course_outline(&mut conn, &tenant, &c.id)
                .await?
                .into_iter()
                .filter(|l| l.required && l.status.is_published())
                .map(|l| l.id)
                .collect();
        let mut done: HashMap<UserId, usize> = HashMap::new();
        for p in store::course_progress(&mut conn, &tenant, &c.id).await? {
            if p.completed_at.is_some() && required.contains(&p.lesson_id) {
                *done.entry(p.user_id).or_default() += 1;
            }
        }
        columns.push((enrolled, required.len(), done));
        courses.push(c);
    }
    let rows = members
        .iter()
        .filter_map(|id| students.remove(id))
        .map(|student| {
            let cells = columns
                .iter()
                .map(|(enrolled, required, done)| {
                    enrolled.get(&student.id).map(|e| {
                        let d = done.get(&student.id).copied().unwrap_or(0);
                        (d, *required, e.completed_at.is_some())
                    })
                })
                .collect();
            GroupRow { student, cells }
        })
        .filter(|r| mine.is_none() || r.cells.iter().any(Option::is_some))
        .collect();
    Ok((group, courses, rows))
}
