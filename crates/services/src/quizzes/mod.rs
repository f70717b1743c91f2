//! Quizzes (issue 19, item 3): a quiz is a lesson kind whose settings say which questions of
//! the bank it asks (fixed, or drawn at random from a category for each attempt), how long an
//! attempt may take, how many attempts a student has, how their grades combine, and what a
//! student sees after submitting. Attempts live in [`attempts`].

use std::collections::{BTreeMap, HashSet};

use educenter_domain::content::LessonKind;
use educenter_domain::ids::TenantId;
use educenter_domain::questions::Mark;
use educenter_domain::quiz::{
    GradingMethod, MAX_ATTEMPTS, MAX_DELAY_MINUTES, MAX_QUESTIONS, MAX_TIME_LIMIT_MINUTES,
    QuestionSource, QuizSettings, Review,
};
use educenter_store::{Conn, content::Lesson, question_bank as bank, quizzes as store};

use crate::{Msg, ServiceError, Services, access::Principal};

mod attempts;
mod grading;
mod overview;
mod view;
pub use attempts::*;
pub use overview::*;
pub use view::SlotView;

pub(crate) type Errors = Vec<(String, Msg)>;

/// A quiz's settings as the editor sends them; absent fields keep their value on update (on
/// creation: the defaults below).
#[derive(Debug, Clone, Default)]
pub struct QuizInput {
    /// Ids of the bank's questions, in order.
    pub questions: Option<Vec<String>>,
    /// A question's marks in this quiz, by its id (others keep the question's own).
    pub marks: Option<BTreeMap<String, f64>>,
    /// N questions drawn from a category for each attempt (instead of `questions`).
    pub random: Option<RandomInput>,
    /// Default: on.
    pub shuffle_answers: Option<bool>,
    /// 0 or absent: no limit.
    pub time_limit_minutes: Option<i64>,
    /// 0 or absent: no limit.
    pub attempts: Option<i64>,
    /// `highest` (the default), `average`, `first` or `last`.
    pub grading: Option<String>,
    /// 0 or absent: any submitted attempt completes the lesson.
    pub pass_percent: Option<i64>,
    pub review: Option<Review>,
    pub delay_minutes: Option<i64>,
}

/// Questions drawn at random from a category.
#[derive(Debug, Clone, Default)]
pub struct RandomInput {
    /// The category's id, or its path of names (`Top/Algebra`).
    pub category: String,
    pub count: i64,
    /// Each drawn question's marks (absent: the question's own).
    pub marks: Option<f64>,
}

fn range(errors: &mut Errors, field: &str, value: Option<i64>, min: i64, max: i64) {
    if value.is_some_and(|v| !(min..=max).contains(&v)) {
        errors.push((
            format!("quiz.{field}"),
            Msg::new("err-range").num("min", min).num("max", max),
        ));
    }
}

fn marks(value: f64) -> Option<Mark> {
    Mark::from_f64(value)
}

/// The category named by `text`: its id, or a path of names from the top.
async fn find_category(
    conn: &mut Conn,
    tenant: &TenantId,
    text: &str,
) -> Result<Option<String>, ServiceError> {
    let all = bank::categories(conn, tenant).await?;
    if let Some(c) = all.iter().find(|c| c.id == text) {
        return Ok(Some(c.id.clone()));
    }
    let mut parent: Option<&str> = None;
    for name in crate::question_bank::category_path(text) {
        match all
            .iter()
            .find(|c| c.parent_id.as_deref() == parent && c.name == name)
        {
            Some(c) => parent = Some(&c.id),
            None => return Ok(None),
        }
    }
    Ok(parent.map(str::to_owned))
}

/// Checks a quiz's settings against the school's bank and merges them over `current` (a new
/// quiz: the defaults); the problems go to `errors` with their field paths.
pub(crate) async fn settings_from(
    conn: &mut Conn,
    tenant: &TenantId,
    input: &QuizInput,
    current: Option<&QuizSettings>,
    errors: &mut Errors,
) -> Result<Option<QuizSettings>, ServiceError> {
    let before = errors.len();
    range(
        errors,
        "time_limit_minutes",
        input.time_limit_minutes,
        0,
        i64::from(MAX_TIME_LIMIT_MINUTES),
    );
    range(
        errors,
        "attempts",
        input.attempts,
        0,
        i64::from(MAX_ATTEMPTS),
    );
    range(errors, "pass_percent", input.pass_percent, 0, 100);
    range(
        errors,
        "delay_minutes",
        input.delay_minutes,
        0,
        i64::from(MAX_DELAY_MINUTES),
    );
    let grading = match input.grading.as_deref() {
        None => current.map_or(GradingMethod::Highest, |c| c.grading),
        Some(g) => GradingMethod::parse(g).unwrap_or_else(|| {
            errors.push(("quiz.grading".into(), Msg::one_of_words::<GradingMethod>()));
            GradingMethod::Highest
        }),
    };
    // Marks per question go with a list of questions, not with a random draw.
    let drawn = input.random.is_some()
        || (input.questions.is_none()
            && current.is_some_and(|c| matches!(c.source, QuestionSource::Random { .. })));
    if input.marks.is_some() && drawn {
        errors.push(("quiz.marks".into(), Msg::new("err-quiz-marks-random")));
    }
    let source = match (&input.questions, &input.random) {
        (Some(_), Some(_)) => {
            errors.push(("quiz.random".into(), Msg::new("err-quiz-one-source")));
            None
        }
        (Some(ids), None) => fixed(conn, tenant, ids, input.marks.as_ref(), errors).await?,
        (None, Some(r)) => random(conn, tenant, r, errors).await?,
        (None, None) => match current {
            Some(c) => Some(match (&c.source, &input.marks) {
                // New marks for the questions the quiz has.
                (QuestionSource::Fixed(qs), Some(_)) => {
                    let ids: Vec<String> = qs.iter().map(|(id, _)| id.clone()).collect();
                    fixed(conn, tenant, &ids, input.marks.as_ref(), errors)
                        .await?
                        .unwrap_or_else(|| c.source.clone())
                }
                _ => c.source.clone(),
            }),
            None => {
                errors.push(("quiz.questions".into(), Msg::new("err-quiz-questions")));
                None
            }
        },
    };
    if errors.len() > before {
        return Ok(None);
    }
    let Some(source) = source else {
        return Ok(None);
    };
    // 0 is "none"; absent keeps what the quiz had.
    let keep = |new: Option<i64>, old: Option<u32>| match new {
        Some(v) => (v > 0).then_some(v as u32),
        None => old,
    };
    Ok(Some(QuizSettings {
        source,
        shuffle_answers: input
            .shuffle_answers
            .unwrap_or(current.is_none_or(|c| c.shuffle_answers)),
        time_limit_minutes: keep(
            input.time_limit_minutes,
            current.and_then(|c| c.time_limit_minutes),
        ),
        attempts: keep(input.attempts, current.and_then(|c| c.attempts)),
        grading,
        pass_percent: keep(input.pass_percent, current.and_then(|c| c.pass_percent)),
        review: input
            .review
            .or(current.map(|c| c.review))
            .unwrap_or_default(),
        delay_minutes: match input.delay_minutes {
            Some(d) => d.max(0) as u32,
            None => current.map_or(0, |c| c.delay_minutes),
        },
    }))
}

async fn fixed(
    conn: &mut Conn,
    tenant: &TenantId,
    ids: &[String],
    marks_by_id: Option<&BTreeMap<String, f64>>,
    errors: &mut Errors,
) -> Result<Option<QuestionSource>, ServiceError> {
    // An empty list is a quiz whose questions are still to come (the cabinet makes one so):
    // no attempt starts until it has some.
    if ids.len() > MAX_QUESTIONS {
        errors.push((
            "quiz.questions".into(),
            Msg::new("err-range")
                .num("min", 0)
                .num("max", MAX_QUESTIONS as i64),
        ));
        return Ok(None);
    }
    let known: HashSet<String> = bank::get_many(conn, tenant, ids)
        .await?
        .into_iter()
        .map(|q| q.id)
        .collect();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let field = format!("quiz.questions[{i}]");
        if !seen.insert(id.as_str()) {
            errors.push((field, Msg::new("err-quiz-question-twice")));
            continue;
        }
        if !known.contains(id) {
            errors.push((field, Msg::new("err-no-question")));
            continue;
        }
        let mark = match marks_by_id.and_then(|m| m.get(id)) {
            Some(v) => match marks(*v) {
                Some(m) => Some(m),
                None => {
                    errors.push((
                        format!("quiz.marks.{id}"),
                        Msg::new("err-range").num("min", 0).num("max", 1000),
                    ));
                    None
                }
            },
            None => None,
        };
        out.push((id.clone(), mark));
    }
    if let Some(extra) = marks_by_id.and_then(|m| m.keys().find(|k| !seen.contains(k.as_str()))) {
        errors.push((
            format!("quiz.marks.{extra}"),
            Msg::new("err-quiz-marks-unknown"),
        ));
    }
    Ok(Some(QuestionSource::Fixed(out)))
}

async fn random(
    conn: &mut Conn,
    tenant: &TenantId,
    r: &RandomInput,
    errors: &mut Errors,
) -> Result<Option<QuestionSource>, ServiceError> {
    let category = find_category(conn, tenant, r.category.trim()).await?;
    match &category {
        None => errors.push(("quiz.random.category".into(), Msg::new("err-no-category"))),
        Some(c) if (1..=MAX_QUESTIONS as i64).contains(&r.count) => {
            // The category must hold enough questions today (an attempt checks again).
            let found = bank::ids_in_category(conn, tenant, c).await?.len() as i64;
            if found < r.count {
                errors.push((
                    "quiz.random.count".into(),
                    Msg::new("err-quiz-not-enough")
                        .num("count", r.count)
                        .num("found", found),
                ));
            }
        }
        Some(_) => {}
    }
    range(
        errors,
        "random.count",
        Some(r.count),
        1,
        MAX_QUESTIONS as i64,
    );
    let mark = match r.marks.map(marks) {
        Some(None) => {
            errors.push((
                "quiz.random.marks".into(),
                Msg::new("err-range").num("min", 0).num("max", 1000),
            ));
            None
        }
        Some(m) => m,
        None => None,
    };
    Ok(category.map(|category_id| QuestionSource::Random {
        category_id,
        count: r.count.clamp(1, MAX_QUESTIONS as i64) as u32,
        marks: mark,
    }))
}

/// Writes a quiz lesson's settings in the lesson's transaction.
pub(crate) async fn save_settings(
    services: &Services,
    conn: &mut Conn,
    lesson: &Lesson,
    settings: &QuizSettings,
) -> Result<(), ServiceError> {
    store::save_settings(
        conn,
        &lesson.tenant_id,
        &lesson.id,
        settings,
        services.clock.now(),
    )
    .await?;
    Ok(())
}

/// A quiz lesson's settings, for its editors (a lesson of another kind is "not found").
pub async fn settings(
    services: &Services,
    who: &Principal,
    lesson_id: &str,
) -> Result<(Lesson, QuizSettings), ServiceError> {
    let lesson = crate::content::lesson(services, who, lesson_id).await?;
    let settings = settings_for(services, &lesson).await?;
    Ok((lesson, settings))
}

/// The settings of a quiz lesson its reader already holds (read through
/// [`crate::content::lesson`] or written by them).
pub async fn settings_for(
    services: &Services,
    lesson: &Lesson,
) -> Result<QuizSettings, ServiceError> {
    let mut conn = services.db.conn().await?;
    quiz_of(&mut conn, &lesson.tenant_id, lesson).await
}

/// A quiz lesson of the school that is not in the trash, and its settings ("not found"
/// otherwise: another school's lesson, a deleted one, a lesson of another kind).
pub(crate) async fn live_quiz(
    conn: &mut Conn,
    tenant: &TenantId,
    lesson_id: &educenter_domain::ids::LessonId,
) -> Result<(Lesson, QuizSettings), ServiceError> {
    let lesson = educenter_store::content::lesson(conn, tenant, lesson_id)
        .await?
        .filter(|l| l.deleted_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-lesson")))?;
    let settings = quiz_of(conn, tenant, &lesson).await?;
    Ok((lesson, settings))
}

pub(crate) async fn quiz_of(
    conn: &mut Conn,
    tenant: &TenantId,
    lesson: &Lesson,
) -> Result<QuizSettings, ServiceError> {
    let not_a_quiz = || ServiceError::NotFound(Msg::new("err-no-quiz"));
    if lesson.kind != LessonKind::Quiz {
        return Err(not_a_quiz());
    }
    store::settings(conn, tenant, &lesson.id)
        .await?
        .ok_or_else(not_a_quiz)
}
