//! The questions an attempt asks (drawn and shuffled when it begins) and its grade (when it is
//! submitted, and again when a teacher grades an essay).

use educenter_domain::ids::TenantId;
use educenter_domain::questions::{Fraction, QuestionKind};
use educenter_domain::quiz::{
    self, AttemptState, Graded, QuestionSource, QuizSettings, Slot, match_choices,
};
use educenter_store::{Conn, question_bank as bank, quizzes::SavedAnswer};

use crate::{Msg, ServiceError};

/// A random index below `n` (`n` > 0), without modulo bias.
fn below(n: usize) -> Result<usize, ServiceError> {
    let n = n as u64;
    let zone = u64::MAX - (u64::MAX % n);
    loop {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let v = u64::from_le_bytes(bytes);
        if v < zone {
            return Ok((v % n) as usize);
        }
    }
}

/// Shuffles in place (Fisher-Yates).
fn shuffle<T>(items: &mut [T]) -> Result<(), ServiceError> {
    for i in (1..items.len()).rev() {
        let j = below(i + 1)?;
        items.swap(i, j);
    }
    Ok(())
}

/// The questions of a new attempt, as the settings say: the quiz's own or `count` drawn from
/// the category, each with its marks and its choices in order (shuffled where the quiz and the
/// question allow). A question deleted from the bank since is left out; a quiz left with no
/// question, or a category with fewer than `count`, cannot be attempted.
pub(crate) async fn draw(
    conn: &mut Conn,
    tenant: &TenantId,
    settings: &QuizSettings,
) -> Result<Vec<Slot>, ServiceError> {
    let picked: Vec<(String, Option<educenter_domain::questions::Mark>)> = match &settings.source {
        QuestionSource::Fixed(qs) => qs.clone(),
        QuestionSource::Random {
            category_id,
            count,
            marks,
        } => {
            let mut ids = bank::ids_in_category(conn, tenant, category_id).await?;
            if ids.len() < *count as usize {
                return Err(ServiceError::Conflict(
                    Msg::new("err-quiz-not-enough")
                        .num("count", i64::from(*count))
                        .num("found", ids.len() as i64),
                ));
            }
            shuffle(&mut ids)?;
            ids.truncate(*count as usize);
            ids.into_iter().map(|id| (id, *marks)).collect()
        }
    };
    // The questions in one query, then in the quiz's order.
    let ids: Vec<String> = picked.iter().map(|(id, _)| id.clone()).collect();
    let mut found: std::collections::HashMap<String, educenter_domain::questions::Question> =
        bank::get_many(conn, tenant, &ids)
            .await?
            .into_iter()
            .map(|s| (s.id, s.question))
            .collect();
    let mut slots = Vec::with_capacity(picked.len());
    for (id, marks) in picked {
        let Some(q) = found.remove(&id) else {
            continue;
        };
        let n = match q.kind {
            QuestionKind::MultiChoice => q.answers.len(),
            QuestionKind::Matching => match_choices(&q).len(),
            _ => 0,
        };
        let mut order: Vec<u32> = (0..n as u32).collect();
        let shuffles = q.kind == QuestionKind::Matching || q.shuffle;
        if settings.shuffle_answers && shuffles {
            shuffle(&mut order)?;
        }
        let marks = if q.kind == QuestionKind::Description {
            educenter_domain::questions::Mark::ZERO
        } else {
            marks.unwrap_or(q.default_mark)
        };
        slots.push(Slot {
            question_id: id,
            question: q,
            marks,
            order,
        });
    }
    if slots
        .iter()
        .all(|s| s.question.kind == QuestionKind::Description)
    {
        return Err(ServiceError::Conflict(Msg::new("err-quiz-empty")));
    }
    Ok(slots)
}

/// The largest score an attempt of these questions can earn.
pub(crate) fn max_score(slots: &[Slot]) -> i64 {
    slots.iter().map(|s| s.marks.units()).sum()
}

/// One question's result: the fraction earned (`None`: a teacher's to give).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SlotGrade {
    pub slot: i64,
    pub fraction: Option<Fraction>,
}

/// Grades each question of an attempt from the answers saved; a teacher's grade (an essay, or
/// a question a teacher regraded) stands over the program's.
pub(crate) fn grade_slots(
    slots: &[Slot],
    answers: &[SavedAnswer],
    keep_given: bool,
) -> Vec<SlotGrade> {
    slots
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let slot = i as i64 + 1;
            let saved = answers.iter().find(|a| a.slot == slot);
            let given = saved.and_then(|a| a.fraction).filter(|_| keep_given);
            let fraction = match (
                given,
                quiz::grade(&s.question, saved.and_then(|a| a.response.as_ref())),
            ) {
                (Some(f), _) => Some(f),
                (None, Graded::Auto(f)) => Some(f),
                (None, Graded::Manual) => None,
            };
            SlotGrade { slot, fraction }
        })
        .collect()
}

/// An attempt's state and score from its questions' results: graded with its score once no
/// question waits for a teacher, else submitted with none.
pub(crate) fn outcome(slots: &[Slot], grades: &[SlotGrade]) -> (AttemptState, Option<i64>) {
    if grades.iter().any(|g| g.fraction.is_none()) {
        return (AttemptState::Submitted, None);
    }
    let points = slots
        .iter()
        .zip(grades)
        .map(|(s, g)| quiz::points(s.marks, g.fraction.unwrap_or(Fraction::ZERO)));
    (AttemptState::Graded, Some(quiz::total(points)))
}
