//! The cabinet's home (issue 17, item 1): the onboarding checklist that checks itself off from
//! the school's data, the licence at a glance, and the figures of the last 30 days.

use educenter_domain::{
    clock::{local_date, start_of_day},
    ids::TenantId,
    roles::TenantAction,
};
use educenter_store::{
    audit::{self, Origin},
    billing::Invoice,
    dashboard::{self as store, Series},
};
use jiff::{ToSpan, civil::Date};

pub use educenter_store::dashboard::LessonReach;

use crate::{
    ServiceError, Services,
    access::{Principal, require_tenant, scope},
    billing::licence::Licence,
};

/// The days the figures cover, today included.
pub const WINDOW_DAYS: i64 = 30;

/// How many lessons each of the "most" and "least completed" lists shows at most.
pub const LESSONS_LISTED: usize = 5;

/// A step of the onboarding checklist, in the order the page lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The school's logo is on its site.
    Brand,
    CreateCourse,
    AddLesson,
    Publish,
    InviteStudent,
    /// An application for a plan (its invoice) was made.
    ChoosePlan,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Brand,
        Step::CreateCourse,
        Step::AddLesson,
        Step::Publish,
        Step::InviteStudent,
        Step::ChoosePlan,
    ];

    /// The step's word in message keys and element ids.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Brand => "brand",
            Self::CreateCourse => "course",
            Self::AddLesson => "lesson",
            Self::Publish => "publish",
            Self::InviteStudent => "student",
            Self::ChoosePlan => "plan",
        }
    }

    fn done(self, s: &store::SetUp) -> bool {
        match self {
            Self::Brand => s.has_logo,
            Self::CreateCourse => s.courses > 0,
            Self::AddLesson => s.lessons > 0,
            Self::Publish => s.published > 0,
            Self::InviteStudent => s.students > 0,
            Self::ChoosePlan => s.invoices > 0,
        }
    }
}

/// The checklist: each step and whether the school's data shows it done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    pub steps: Vec<(Step, bool)>,
}

impl Checklist {
    pub fn done(&self) -> usize {
        self.steps.iter().filter(|(_, d)| *d).count()
    }
}

/// Who sets a school up: the people who may both edit its courses and manage its students
/// (the owner and the administrators).
fn sets_up(who: &Principal) -> Result<&TenantId, ServiceError> {
    require_tenant(who, TenantAction::ManageLearners)?;
    require_tenant(who, TenantAction::EditContent)
}

/// The checklist for whoever sets the school up, until it is done or put away (`None` then,
/// and for everyone else).
pub async fn checklist(
    services: &Services,
    who: &Principal,
) -> Result<Option<Checklist>, ServiceError> {
    let Ok(tenant) = sets_up(who) else {
        return Ok(None);
    };
    let mut conn = services.db.conn().await?;
    let facts = store::set_up(&mut conn, tenant).await?;
    let steps: Vec<(Step, bool)> = Step::ALL.iter().map(|s| (*s, s.done(&facts))).collect();
    if facts.dismissed || steps.iter().all(|(_, d)| *d) {
        return Ok(None);
    }
    Ok(Some(Checklist { steps }))
}

/// Puts the checklist away for the whole school (`dismiss`), or brings it back.
pub async fn dismiss_checklist(
    services: &Services,
    who: &Principal,
    dismiss: bool,
    origin: Origin,
) -> Result<(), ServiceError> {
    let tenant = sets_up(who)?.clone();
    who.require_write()?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    store::dismiss_checklist(&mut tx, &tenant, dismiss.then_some(now)).await?;
    let action = if dismiss {
        "checklist.dismiss"
    } else {
        "checklist.restore"
    };
    audit::record(
        &mut tx,
        &who.audit(action).tenant(tenant).origin(origin),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The licence as the home page shows it: the licence itself, and for those who pay, the
/// invoice to pay next.
pub struct Glance {
    pub licence: Licence,
    pub next_invoice: Option<Invoice>,
}

pub async fn glance(services: &Services, who: &Principal) -> Result<Glance, ServiceError> {
    let licence = crate::billing::licence::licence(services, who).await?;
    let next_invoice = match require_tenant(who, TenantAction::ManageBilling) {
        Ok(tenant) => {
            let mut conn = services.db.conn().await?;
            educenter_store::billing::open_invoices(&mut conn, tenant)
                .await?
                .into_iter()
                .min_by_key(|i| (i.due_on, i.issued_at))
        }
        Err(_) => None,
    };
    Ok(Glance {
        licence,
        next_invoice,
    })
}

/// One day of the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub on: Date,
    pub new_students: i64,
    pub enrolments: i64,
    pub completions: i64,
    /// Students who worked in a lesson that day.
    pub active: i64,
}

/// The figures of the last [`WINDOW_DAYS`] days, today included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    /// Oldest first, one per day.
    pub days: Vec<Day>,
    pub new_students: i64,
    pub enrolments: i64,
    pub completions: i64,
    pub most_completed: Vec<LessonReach>,
    pub least_completed: Vec<LessonReach>,
}

impl Figures {
    pub fn from(&self) -> Option<Date> {
        self.days.first().map(|d| d.on)
    }

    pub fn to(&self) -> Option<Date> {
        self.days.last().map(|d| d.on)
    }
}

/// The school's figures (people who read its reports; a teacher, who sees only their own
/// courses' reports, gets `None`).
pub async fn figures(
    services: &Services,
    who: &Principal,
) -> Result<Option<Figures>, ServiceError> {
    let Ok(scope) = scope(who, TenantAction::ViewReports) else {
        return Ok(None);
    };
    if scope.teacher().is_some() {
        return Ok(None);
    }
    let tenant = scope.tenant();
    let today = local_date(services.clock.now());
    let first = today.saturating_sub((WINDOW_DAYS - 1).days());
    let (Some(from), Some(to)) = (
        start_of_day(first),
        start_of_day(today.saturating_add(1.day())),
    ) else {
        return Ok(None);
    };
    let mut days: Vec<Day> = (0..WINDOW_DAYS)
        .map(|i| Day {
            on: first.saturating_add(i.days()),
            new_students: 0,
            enrolments: 0,
            completions: 0,
            active: 0,
        })
        .collect();
    let mut conn = services.db.conn().await?;
    for series in [Series::NewStudents, Series::Enrolments, Series::Completions] {
        for (index, n) in store::per_day(&mut conn, tenant, series, from, to).await? {
            let Some(day) = usize::try_from(index).ok().and_then(|i| days.get_mut(i)) else {
                continue;
            };
            match series {
                Series::NewStudents => day.new_students = n,
                Series::Enrolments => day.enrolments = n,
                Series::Completions => day.completions = n,
            }
        }
    }
    for (on, n) in store::active_per_day(&mut conn, tenant, first, today).await? {
        if let Some(day) = days.iter_mut().find(|d| d.on == on) {
            day.active = n;
        }
    }
    let (most_completed, least_completed) =
        by_completion(store::lesson_reach(&mut conn, tenant).await?);
    Ok(Some(Figures {
        new_students: days.iter().map(|d| d.new_students).sum(),
        enrolments: days.iter().map(|d| d.enrolments).sum(),
        completions: days.iter().map(|d| d.completions).sum(),
        days,
        most_completed,
        least_completed,
    }))
}

/// The lessons most and least completed by their courses' students (the share of the course's
/// students who completed each; more completions first among equal shares). The two lists
/// never share a lesson: with few lessons, the "most" list takes the larger half.
fn by_completion(mut lessons: Vec<LessonReach>) -> (Vec<LessonReach>, Vec<LessonReach>) {
    // a/b > c/d  <=>  a*d > c*b for positive denominators (no floats).
    lessons.sort_by(|x, y| {
        (y.completed * x.enrolled)
            .cmp(&(x.completed * y.enrolled))
            .then(y.completed.cmp(&x.completed))
    });
    let most = LESSONS_LISTED.min(lessons.len().div_ceil(2));
    let least = LESSONS_LISTED.min(lessons.len() - most);
    let mut bottom: Vec<LessonReach> = lessons.split_off(lessons.len() - least);
    bottom.reverse();
    lessons.truncate(most);
    (lessons, bottom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use educenter_domain::ids::{CourseId, LessonId};

    fn reach(id: &str, completed: i64, enrolled: i64) -> LessonReach {
        LessonReach {
            lesson_id: LessonId::new(id),
            lesson_title: id.to_owned(),
            course_id: CourseId::new("c"),
            course_title: "c".to_owned(),
            completed,
            enrolled,
        }
    }

    fn ids(v: &[LessonReach]) -> Vec<&str> {
        v.iter().map(|r| r.lesson_title.as_str()).collect()
    }

    #[test]
    fn lessons_split_by_share_completed_without_sharing_one() {
        // 1/2 = 50%, 3/4 = 75%, 0/3 = 0%, 2/2 = 100%, 1/4 = 25%.
        let (most, least) = by_completion(vec![
            reach("a", 1, 2),
            reach("b", 3, 4),
            reach("c", 0, 3),
            reach("d", 2, 2),
            reach("e", 1, 4),
        ]);
        assert_eq!(ids(&most), ["d", "b", "a"]);
        assert_eq!(ids(&least), ["c", "e"]);
        let (most, least) = by_completion(vec![reach("only", 0, 1)]);
        assert_eq!((ids(&most), ids(&least)), (vec!["only"], vec![]));
        let twelve: Vec<LessonReach> = (0..12).map(|i| reach(&format!("l{i:02}"), i, 11)).collect();
        let (most, least) = by_completion(twelve);
        assert_eq!(ids(&most), ["l11", "l10", "l09", "l08", "l07"]);
        assert_eq!(ids(&least), ["l00", "l01", "l02", "l03", "l04"]);
    }
}
