//! What a student's quiz lesson page shows before an attempt: the quiz's rules, their attempts
//! so far, the grade over them, and whether they may start (or go on with) an attempt now.

use educenter_domain::ids::{AttemptId, LessonId};
use educenter_domain::quiz::{self, AttemptState};
use educenter_store::quizzes::Attempt;

use super::attempts::{check_may_start, learner};
use super::*;

/// A student's view of a quiz lesson.
#[derive(Debug, Clone)]
pub struct Overview {
    pub settings: QuizSettings,
    /// The questions each attempt asks to answer (descriptions left out).
    pub questions: usize,
    /// The student's attempts, oldest first; their scores only where the quiz shows scores.
    pub attempts: Vec<Attempt>,
    /// The grade over the graded attempts by the quiz's method, in ten-millionths of the
    /// maximum (`None`: nothing graded yet, one waits for a teacher, or scores are not shown).
    pub grade: Option<i64>,
    /// Whether that grade passes.
    pub passed: Option<bool>,
    /// The attempt under way, if any.
    pub in_progress: Option<AttemptId>,
    /// Why no new attempt can start now (`None`: one can).
    pub refused: Option<Msg>,
}

/// The signed-in student's view of a quiz lesson of their school. An attempt of theirs whose
/// time ran out is submitted first.
pub async fn overview(
    services: &Services,
    who: &Principal,
    lesson_id: &str,
) -> Result<Overview, ServiceError> {
    let tenant = learner(who)?;
    let lesson_id = &LessonId::new(lesson_id);
    close_overdue(services, Some((&tenant, lesson_id, Some(&who.user_id)))).await?;
    let mut conn = services.db.conn().await?;
    let (_, settings) = live_quiz(&mut conn, &tenant, lesson_id).await?;
    let mut attempts = store::attempts_of(&mut conn, &tenant, lesson_id, &who.user_id).await?;
    let in_progress = attempts
        .iter()
        .find(|a| a.state == AttemptState::InProgress)
        .map(|a| a.id.clone());
    // The questions to answer: descriptions are not counted (the attempt page does not
    // number them either); a random draw takes no descriptions.
    let questions = match &settings.source {
        QuestionSource::Fixed(qs) => {
            let ids: Vec<String> = qs.iter().map(|(id, _)| id.clone()).collect();
            bank::get_many(&mut conn, &tenant, &ids)
                .await?
                .iter()
                .filter(|q| {
                    q.question.kind != educenter_domain::questions::QuestionKind::Description
                })
                .count()
        }
        QuestionSource::Random { count, .. } => *count as usize,
    };
    let refused = if in_progress.is_some() {
        None
    } else if questions == 0 {
        Some(Msg::new("err-quiz-empty"))
    } else {
        match check_may_start(&settings, &attempts, services.clock.now()) {
            Ok(()) => None,
            Err(ServiceError::Conflict(m)) => Some(m),
            Err(e) => return Err(e),
        }
    };
    let grades: Vec<Option<i64>> = attempts
        .iter()
        .filter(|a| a.state != AttemptState::InProgress)
        .map(|a| a.score.map(|s| quiz::grade_of(s, a.max_score)))
        .collect();
    let shown = settings.review.score;
    let grade = quiz::overall(settings.grading, &grades).filter(|_| shown);
    if !shown {
        for a in &mut attempts {
            a.score = None;
        }
    }
    Ok(Overview {
        passed: grade.map(|g| quiz::passes(g, settings.pass_percent)),
        settings,
        questions,
        attempts,
        grade,
        in_progress,
        refused,
    })
}
