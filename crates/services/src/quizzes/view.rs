//! An attempt's questions as their reader sees them: the choices in the attempt's order, the
//! answer saved and, once the attempt is submitted, what the quiz's review settings show (all
//! of it to the school's staff). The API and the attempt page both show these.

use educenter_domain::questions::{Fraction, Mark, QuestionKind, RichText, TextFormat};
use educenter_domain::quiz::{self, AttemptState, Response, match_choices, match_items};

use super::AttemptDetail;

/// One question of an attempt, as its reader sees it.
#[derive(Debug, Clone)]
pub struct SlotView {
    /// The question's place in the attempt, from 1.
    pub slot: i64,
    pub kind: QuestionKind,
    pub name: String,
    pub text: RichText,
    pub marks: Mark,
    /// Multiple choice: one answer or several.
    pub single: Option<bool>,
    /// Multiple choice: the choices in the order shown; matching: the answers to choose from.
    pub choices: Vec<(u32, RichText)>,
    /// Matching: the items to match.
    pub items: Vec<(u32, RichText)>,
    /// The response saved.
    pub answer: Option<Response>,
    /// Once graded and where scores are shown: the share earned.
    pub fraction: Option<Fraction>,
    /// Once graded and where scores are shown: the points earned.
    pub points: Option<i64>,
    /// After submission, where feedback is shown: the answer's feedback and the question's.
    pub feedback: Vec<RichText>,
    /// After submission, where right answers are shown: the response that earns full marks.
    pub right_answer: Option<Response>,
    /// A teacher's comment, after submission where feedback is shown.
    pub comment: String,
}

impl AttemptDetail {
    /// The attempt's questions in order, as its reader sees them.
    pub fn questions(&self) -> Vec<SlotView> {
        (0..self.attempt.slots.len())
            .map(|i| self.view(i))
            .collect()
    }

    fn view(&self, index: usize) -> SlotView {
        let slot_no = index as i64 + 1;
        let slot = &self.attempt.slots[index];
        let q = &slot.question;
        let saved = self.answer(slot_no);
        let answer = saved.and_then(|a| a.response.clone());
        let submitted = self.attempt.state != AttemptState::InProgress;
        let fraction = saved
            .and_then(|a| a.fraction)
            .filter(|_| submitted && self.review.score);
        let choices = match q.kind {
            QuestionKind::MultiChoice => slot
                .order
                .iter()
                .filter_map(|i| q.answers.get(*i as usize).map(|a| (*i, a.text.clone())))
                .collect(),
            QuestionKind::Matching => {
                let all = match_choices(q);
                slot.order
                    .iter()
                    .filter_map(|i| {
                        all.get(*i as usize)
                            .map(|t| (*i, RichText::new(*t, TextFormat::Plain)))
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        let show_feedback = submitted && self.review.feedback;
        SlotView {
            slot: slot_no,
            kind: q.kind,
            name: q.name.clone(),
            text: q.text.clone(),
            marks: slot.marks,
            single: (q.kind == QuestionKind::MultiChoice).then_some(q.single),
            choices,
            items: match_items(q)
                .map(|(i, p)| (i as u32, p.item.clone()))
                .collect(),
            fraction,
            points: fraction.map(|f| quiz::points(slot.marks, f)),
            feedback: if show_feedback {
                quiz::feedback(q, answer.as_ref(), saved.and_then(|a| a.fraction))
                    .into_iter()
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            },
            right_answer: quiz::right_response(q)
                .filter(|_| submitted && self.review.right_answers),
            comment: saved
                .filter(|_| show_feedback)
                .map(|a| a.comment.clone())
                .unwrap_or_default(),
            answer,
        }
    }
}
