//! The gradebook (issue 19, item 5): a course's students × its graded items (quizzes and
//! assignments, in reading order), each cell where the student stands and their grade, with the
//! course grade so far and the required lessons done. The school's staff who read the course's
//! reports see every student (filtered by a group); a student sees their own row. The table
//! goes out as CSV and XLSX too ([`export`]).

use std::collections::{HashMap, HashSet};

use educenter_domain::assignments::SubmissionState;
use educenter_domain::content::LessonKind;
use educenter_domain::gradebook::{self as rules, Cell};
use educenter_domain::ids::{CourseId, LessonId, UserId};
use educenter_domain::quiz::{self, AttemptState};
use educenter_domain::roles::{AccountKind, TenantAction};
use educenter_store::content::{self as content_store, Course};
use educenter_store::learning as learning_store;
use jiff::Timestamp;

use crate::{Msg, ServiceError, Services, access::Principal};

mod export;
pub use export::*;

/// A graded item: a quiz or an assignment lesson.
#[derive(Debug, Clone)]
pub struct Item {
    pub lesson_id: LessonId,
    pub title: String,
    pub kind: LessonKind,
}

/// A student's row.
#[derive(Debug, Clone)]
pub struct Row {
    pub user_id: UserId,
    pub full_name: String,
    pub email: String,
    /// One per item, in the items' order.
    pub cells: Vec<Cell>,
    /// The course grade so far ([`rules::course_grade`]).
    pub grade: Option<i64>,
    /// Required lessons complete, of `required`.
    pub done: usize,
    pub required: usize,
    pub completed_at: Option<Timestamp>,
}

/// A course's gradebook.
#[derive(Debug, Clone)]
pub struct Gradebook {
    pub course: Course,
    pub items: Vec<Item>,
    pub rows: Vec<Row>,
}

/// A student's cell's key: the item's lesson and the student.
type Key = (LessonId, UserId);

fn no_course() -> ServiceError {
    ServiceError::NotFound(Msg::new("err-no-course"))
}

/// A course's gradebook: every student's row for the staff who read its reports (a teacher:
/// of the courses assigned to them), only the members of `group_id` when given; the student's
/// own row for a student enrolled in it.
pub async fn gradebook(
    services: &Services,
    who: &Principal,
    course_id: &str,
    group_id: Option<&str>,
) -> Result<Gradebook, ServiceError> {
    let course_id = &CourseId::new(course_id);
    let mut conn = services.db.conn().await?;
    let (tenant, only) = if who.kind == AccountKind::Learner {
        let tenant = crate::access::require_learner(who)?.clone();
        (tenant, Some(who.user_id.clone()))
    } else {
        let scope = crate::access::scope(who, TenantAction::ViewReports)
            .or_else(|_| crate::access::scope(who, TenantAction::EditContent))?;
        scope.check(&mut conn, course_id).await?;
        (scope.tenant().clone(), None)
    };
    let course = content_store::course(&mut conn, &tenant, course_id)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .filter(|c| only.is_none() || c.status.is_published())
        .ok_or_else(no_course)?;
    let members: Option<HashSet<UserId>> = match group_id.map(str::trim).filter(|g| !g.is_empty()) {
        Some(g) if only.is_none() => {
            learning_store::group(&mut conn, &tenant, g)
                .await?
                .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-group")))?;
            Some(
                learning_store::group_members(&mut conn, &tenant, g)
                    .await?
                    .into_iter()
                    .collect(),
            )
        }
        _ => None,
    };
    let enrolments: Vec<_> = learning_store::course_enrolments(&mut conn, &tenant, course_id)
        .await?
        .into_iter()
        .filter(|e| only.as_ref().is_none_or(|u| e.user_id == *u))
        .filter(|e| members.as_ref().is_none_or(|m| m.contains(&e.user_id)))
        .collect();
    if only.is_some() && enrolments.is_empty() {
        return Err(no_course());
    }
    let lessons = content_store::course_outline(&mut conn, &tenant, course_id).await?;
    let required: HashSet<&LessonId> = lessons
        .iter()
        .filter(|l| l.required)
        .map(|l| &l.id)
        .collect();
    let items = items_of(&lessons);
    let ids: Vec<UserId> = enrolments.iter().map(|e| e.user_id.clone()).collect();
    let people = educenter_store::accounts::of_school(&mut conn, &tenant, &ids).await?;
    let mut done: HashMap<UserId, usize> = HashMap::new();
    for p in learning_store::course_progress(&mut conn, &tenant, course_id).await? {
        if p.completed_at.is_some() && required.contains(&p.lesson_id) {
            *done.entry(p.user_id).or_default() += 1;
        }
    }
    let standings = Standings::read(&mut conn, &tenant, course_id).await?;
    let mut rows: Vec<Row> = enrolments
        .iter()
        .filter_map(|e| {
            let person = people.iter().find(|u| u.id == e.user_id)?;
            let cells = standings.cells(&items, &e.user_id);
            Some(Row {
                user_id: e.user_id.clone(),
                full_name: person.full_name.clone(),
                email: person.email.clone(),
                grade: rules::course_grade(&cells),
                cells,
                done: done.get(&e.user_id).copied().unwrap_or(0),
                required: required.len(),
                completed_at: e.completed_at,
            })
        })
        .collect();
    rows.sort_by(|a, b| a.full_name.cmp(&b.full_name).then(a.email.cmp(&b.email)));
    Ok(Gradebook {
        course,
        items,
        rows,
    })
}

/// What the students of a course have in its graded items, read once for the course: the
/// quizzes' settings, the ended attempts and the submissions.
pub(crate) struct Standings {
    settings: HashMap<LessonId, quiz::QuizSettings>,
    attempts: HashMap<Key, Vec<(AttemptState, Option<i64>)>>,
    submissions: HashMap<Key, (SubmissionState, Option<i64>)>,
}

impl Standings {
    pub(crate) async fn read(
        conn: &mut educenter_store::Conn,
        tenant: &educenter_domain::ids::TenantId,
        course: &CourseId,
    ) -> Result<Self, ServiceError> {
        let settings = educenter_store::quizzes::course_settings(conn, tenant, course)
            .await?
            .into_iter()
            .collect();
        let mut attempts: HashMap<Key, Vec<(AttemptState, Option<i64>)>> = HashMap::new();
        for a in educenter_store::quizzes::course_attempts(conn, tenant, course).await? {
            let grade = a.score.map(|s| quiz::grade_of(s, a.max_score));
            attempts
                .entry((a.lesson_id, a.user_id))
                .or_default()
                .push((a.state, grade));
        }
        let submissions = educenter_store::assignments::of_course(conn, tenant, course)
            .await?
            .into_iter()
            .map(|s| ((s.lesson_id, s.user_id), (s.state, s.grade)))
            .collect();
        Ok(Self {
            settings,
            attempts,
            submissions,
        })
    }

    /// A student's cell in each item, in the items' order.
    pub(crate) fn cells(&self, items: &[Item], user: &UserId) -> Vec<Cell> {
        items
            .iter()
            .map(|item| {
                let key = (item.lesson_id.clone(), user.clone());
                match item.kind {
                    LessonKind::Quiz => match self.settings.get(&item.lesson_id) {
                        Some(s) => rules::quiz_cell(
                            s.grading,
                            s.pass_percent,
                            self.attempts.get(&key).map_or(&[][..], Vec::as_slice),
                        ),
                        None => Cell::EMPTY,
                    },
                    _ => rules::assignment_cell(self.submissions.get(&key).copied()),
                }
            })
            .collect()
    }
}

/// The graded items among a course's lessons, in reading order.
pub(crate) fn items_of(lessons: &[educenter_store::content::Lesson]) -> Vec<Item> {
    lessons
        .iter()
        // A draft quiz or assignment is not yet a graded item.
        .filter(|l| l.kind.completed_by_grade() && l.status.is_published())
        .map(|l| Item {
            lesson_id: l.id.clone(),
            title: l.title.clone(),
            kind: l.kind,
        })
        .collect()
}

/// The school's groups, (id, name), for the gradebook's filter (its readers may filter by any).
pub async fn groups(
    services: &Services,
    who: &Principal,
) -> Result<Vec<(String, String)>, ServiceError> {
    let scope = crate::access::scope(who, TenantAction::ViewReports)
        .or_else(|_| crate::access::scope(who, TenantAction::EditContent))?;
    let mut conn = services.db.conn().await?;
    Ok(learning_store::groups(&mut conn, scope.tenant())
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect())
}
