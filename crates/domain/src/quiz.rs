//! Quizzes (issue 19, item 3): a quiz's settings, a student's response to each question, and
//! how Moodle grades them ("deferred feedback": every question graded when the attempt is
//! submitted).
//!
//! A question's mark is its fraction × its marks; a multiple-choice question sums the fractions
//! of the choices given (negative ones subtract) and keeps the sum between 0 and 1; an attempt's
//! total never goes below 0. Points are kept, like marks, in ten-millionths of a mark.

use serde::{Deserialize, Serialize};

use crate::questions::{Fraction, Mark, Question, QuestionKind};

crate::named::named! {
    /// How a student's attempts make the quiz's grade.
    pub enum GradingMethod {
        Highest = "highest",
        Average = "average",
        First = "first",
        Last = "last",
    }
}

crate::named::named! {
    /// Where an attempt stands (`quiz_attempts.state`).
    pub enum AttemptState {
        /// Started; answers are saved until it is submitted or its time runs out.
        InProgress = "in_progress",
        /// Submitted, and an essay waits for a teacher's grade.
        Submitted = "submitted",
        /// Submitted and graded.
        Graded = "graded",
    }
}

/// The most questions an attempt asks, and the longest time limit.
pub const MAX_QUESTIONS: usize = 200;
pub const MAX_TIME_LIMIT_MINUTES: u32 = 24 * 60;
pub const MAX_DELAY_MINUTES: u32 = 30 * 24 * 60;
pub const MAX_ATTEMPTS: u32 = 100;

/// Which questions an attempt asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionSource {
    /// These questions of the bank, in this order, each with its marks in this quiz (`None`:
    /// the question's own).
    Fixed(Vec<(String, Option<Mark>)>),
    /// `count` questions drawn from a category for each attempt, each worth `marks` (`None`:
    /// the question's own).
    Random {
        category_id: String,
        count: u32,
        marks: Option<Mark>,
    },
}

/// What a student sees of a submitted attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    /// The score and each question's mark.
    pub score: bool,
    /// The right answers.
    pub right_answers: bool,
    /// The feedback of the answers given and each question's general feedback.
    pub feedback: bool,
}

impl Default for Review {
    fn default() -> Self {
        Self {
            score: true,
            right_answers: false,
            feedback: true,
        }
    }
}

/// A quiz's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizSettings {
    pub source: QuestionSource,
    /// Choices and matching answers in a new order for each attempt (where the question allows).
    pub shuffle_answers: bool,
    pub time_limit_minutes: Option<u32>,
    /// Attempts allowed (`None`: no limit).
    pub attempts: Option<u32>,
    pub grading: GradingMethod,
    /// The grade to pass, in percent of the maximum (`None`: any submitted attempt completes).
    pub pass_percent: Option<u32>,
    pub review: Review,
    /// Minutes between the end of one attempt and the start of the next.
    pub delay_minutes: u32,
}

/// A question as an attempt asks it: its content when the attempt began (a later edit or
/// deletion in the bank changes no attempt), its marks in the quiz, and the order its choices
/// (multiple choice) or answers (matching) are shown in, by their ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    pub question_id: String,
    pub question: Question,
    pub marks: Mark,
    pub order: Vec<u32>,
}

/// A student's response to one question; which field counts depends on the question's type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Response {
    /// Multiple choice: the ids of the choices given (one for a single-answer question).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<u32>>,
    /// True/false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<bool>,
    /// Short answer, numerical and essay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Matching: for each item, the choice given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matches: Option<Vec<MatchResponse>>,
}

/// A matching item and the choice given for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchResponse {
    pub item: u32,
    pub choice: u32,
}

/// Why a response does not fit its question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseError {
    /// A field the question's type does not take, or none of the one it does.
    WrongShape,
    /// A choice or item id the question does not have, or one given twice.
    UnknownChoice,
    /// More than one choice for a single-answer question.
    OneChoice,
    /// A text over 100 000 characters (20 000 for anything but an essay).
    TooLong,
}

/// A matching question's choices: every distinct answer, in the order first written.
pub fn match_choices(q: &Question) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for p in &q.pairs {
        if !out.contains(&p.answer.as_str()) {
            out.push(&p.answer);
        }
    }
    out
}

/// A matching question's items (the pairs with text: the others are distractors), by pair
/// index.
pub fn match_items(q: &Question) -> impl Iterator<Item = (usize, &crate::questions::MatchPair)> {
    q.pairs
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.item.text.trim().is_empty())
}

/// Checks that a response fits its question (ids within range, one choice for a single answer).
pub fn check_response(q: &Question, r: &Response) -> Result<(), ResponseError> {
    let shape_ok = match q.kind {
        QuestionKind::MultiChoice => {
            r.choices.is_some() && r.value.is_none() && r.text.is_none() && r.matches.is_none()
        }
        QuestionKind::TrueFalse => {
            r.value.is_some() && r.choices.is_none() && r.text.is_none() && r.matches.is_none()
        }
        QuestionKind::ShortAnswer | QuestionKind::Numerical | QuestionKind::Essay => {
            r.text.is_some() && r.choices.is_none() && r.value.is_none() && r.matches.is_none()
        }
        QuestionKind::Matching => {
            r.matches.is_some() && r.choices.is_none() && r.value.is_none() && r.text.is_none()
        }
        QuestionKind::Description => false,
    };
    if !shape_ok {
        return Err(ResponseError::WrongShape);
    }
    if let Some(choices) = &r.choices {
        if q.single && choices.len() > 1 {
            return Err(ResponseError::OneChoice);
        }
        let mut seen = std::collections::HashSet::new();
        if choices
            .iter()
            .any(|c| *c as usize >= q.answers.len() || !seen.insert(*c))
        {
            return Err(ResponseError::UnknownChoice);
        }
    }
    if let Some(matches) = &r.matches {
        let choices = match_choices(q).len();
        let mut seen = std::collections::HashSet::new();
        let bad = matches.iter().any(|m| {
            let item = q
                .pairs
                .get(m.item as usize)
                .is_some_and(|p| !p.item.text.trim().is_empty());
            !item || m.choice as usize >= choices || !seen.insert(m.item)
        });
        if bad {
            return Err(ResponseError::UnknownChoice);
        }
    }
    if let Some(t) = &r.text {
        let max = if q.kind == QuestionKind::Essay {
            100_000
        } else {
            20_000
        };
        if t.chars().count() > max {
            return Err(ResponseError::TooLong);
        }
    }
    Ok(())
}

/// A question's grade: a fraction of its marks, or a teacher's to give (an essay).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Graded {
    Auto(Fraction),
    Manual,
}

/// Grades a response as Moodle does; no response scores 0 (an essay waits for a teacher
/// whatever it holds, as Moodle's "manually graded" behaviour).
pub fn grade(q: &Question, r: Option<&Response>) -> Graded {
    let zero = Graded::Auto(Fraction::ZERO);
    match q.kind {
        QuestionKind::Essay => return Graded::Manual,
        QuestionKind::Description => return zero,
        _ => {}
    }
    let Some(r) = r else { return zero };
    match q.kind {
        QuestionKind::MultiChoice => {
            let chosen = r.choices.as_deref().unwrap_or_default();
            let sum: i64 = chosen
                .iter()
                .filter_map(|c| q.answers.get(*c as usize))
                .map(|a| i64::from(a.fraction.units()))
                .sum();
            let sum = if q.single {
                sum
            } else {
                sum.clamp(0, i64::from(Fraction::FULL.units()))
            };
            Graded::Auto(fraction_of(sum))
        }
        QuestionKind::TrueFalse => {
            let index = if r.value == Some(true) { 0 } else { 1 };
            match (r.value, q.answers.get(index)) {
                (Some(_), Some(a)) => Graded::Auto(a.fraction),
                _ => zero,
            }
        }
        QuestionKind::ShortAnswer | QuestionKind::Numerical => matched_answer(q, r)
            .and_then(|i| q.answers.get(i))
            .map_or(zero, |a| Graded::Auto(a.fraction)),
        QuestionKind::Matching => {
            let choices = match_choices(q);
            let items: Vec<(usize, &crate::questions::MatchPair)> = match_items(q).collect();
            if items.is_empty() {
                return zero;
            }
            let given = r.matches.as_deref().unwrap_or_default();
            let right = items
                .iter()
                .filter(|(i, p)| {
                    given.iter().any(|m| {
                        m.item as usize == *i
                            && choices.get(m.choice as usize) == Some(&p.answer.as_str())
                    })
                })
                .count() as i64;
            let full = i64::from(Fraction::FULL.units());
            Graded::Auto(fraction_of(right * full / items.len() as i64))
        }
        QuestionKind::Essay | QuestionKind::Description => zero,
    }
}

/// The accepted answer a short or numerical response matches first (by index), if any.
pub fn matched_answer(q: &Question, r: &Response) -> Option<usize> {
    match q.kind {
        QuestionKind::ShortAnswer => {
            let given = r.text.as_deref().map(normalise).unwrap_or_default();
            if given.is_empty() {
                return None;
            }
            q.answers
                .iter()
                .position(|a| wildcard_match(&normalise(&a.text.text), &given, !q.case_sensitive))
        }
        QuestionKind::Numerical => {
            let x = r.text.as_deref().and_then(parse_number)?;
            q.answers.iter().position(|a| number_matches(a, x))
        }
        _ => None,
    }
}

/// The response that earns full marks (the best one for a question with no full answer), in
/// the shape a student answers; `None` for an essay or a description.
pub fn right_response(q: &Question) -> Option<Response> {
    let best = || {
        q.answers
            .iter()
            .enumerate()
            .max_by_key(|(_, a)| a.fraction)
            .map(|(i, _)| i)
    };
    match q.kind {
        QuestionKind::MultiChoice if q.single => best().map(|i| Response {
            choices: Some(vec![i as u32]),
            ..Response::default()
        }),
        QuestionKind::MultiChoice => Some(Response {
            choices: Some(
                (0..q.answers.len() as u32)
                    .filter(|i| q.answers[*i as usize].fraction > Fraction::ZERO)
                    .collect(),
            ),
            ..Response::default()
        }),
        QuestionKind::TrueFalse => q.correct_answer().map(|v| Response {
            value: Some(v),
            ..Response::default()
        }),
        QuestionKind::ShortAnswer | QuestionKind::Numerical => best().map(|i| Response {
            text: Some(q.answers[i].text.text.clone()),
            ..Response::default()
        }),
        QuestionKind::Matching => {
            let choices = match_choices(q);
            Some(Response {
                matches: Some(
                    match_items(q)
                        .filter_map(|(i, p)| {
                            let c = choices.iter().position(|c| *c == p.answer)?;
                            Some(MatchResponse {
                                item: i as u32,
                                choice: c as u32,
                            })
                        })
                        .collect(),
                ),
                ..Response::default()
            })
        }
        QuestionKind::Essay | QuestionKind::Description => None,
    }
}

/// The feedback a response earns: that of each answer given (multiple choice, true/false, the
/// matched short or numerical answer), or for matching the right, partly right or wrong
/// feedback by `fraction`; then the question's general feedback. Empty texts are left out.
pub fn feedback<'q>(
    q: &'q Question,
    r: Option<&Response>,
    fraction: Option<Fraction>,
) -> Vec<&'q crate::questions::RichText> {
    let mut out = Vec::new();
    if let Some(r) = r {
        match q.kind {
            QuestionKind::MultiChoice => {
                for c in r.choices.as_deref().unwrap_or_default() {
                    if let Some(a) = q.answers.get(*c as usize) {
                        out.push(&a.feedback);
                    }
                }
            }
            QuestionKind::TrueFalse => {
                let i = if r.value == Some(true) { 0 } else { 1 };
                if let Some(a) = q.answers.get(i).filter(|_| r.value.is_some()) {
                    out.push(&a.feedback);
                }
            }
            QuestionKind::ShortAnswer | QuestionKind::Numerical => {
                if let Some(a) = matched_answer(q, r).and_then(|i| q.answers.get(i)) {
                    out.push(&a.feedback);
                }
            }
            _ => {}
        }
    }
    if let (Some(combined), Some(f)) = (&q.combined_feedback, fraction) {
        // Moodle counts a response as right from 0.999999 of the marks.
        let which = if f.units() >= Fraction::FULL.units() - 10 {
            0
        } else if f > Fraction::ZERO {
            1
        } else {
            2
        };
        out.push(&combined[which]);
    }
    out.push(&q.general_feedback);
    out.retain(|t| !t.text.trim().is_empty());
    out
}

fn fraction_of(units: i64) -> Fraction {
    let full = i64::from(Fraction::FULL.units());
    Fraction::from_units(units.clamp(-full, full) as i32).unwrap_or(Fraction::ZERO)
}

/// Spaces at the ends dropped and runs of spaces inside made one.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Moodle's short-answer comparison: the whole response against the pattern, where `*` is any
/// run of characters and `\*` a star.
pub fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let fold = |s: &str| {
        if ignore_case {
            s.to_lowercase()
        } else {
            s.to_owned()
        }
    };
    // The pattern's literal parts between unescaped stars.
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'*') => {
                chars.next();
                current.push('*');
            }
            '*' => parts.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    parts.push(current);
    let parts: Vec<String> = parts.iter().map(|p| fold(p)).collect();
    let text = fold(text);
    if parts.len() == 1 {
        return text == parts[0];
    }
    let (first, last) = (&parts[0], &parts[parts.len() - 1]);
    if !text.starts_with(first.as_str()) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle.as_str()) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    rest.ends_with(last.as_str())
}

/// A number as a student writes it: `3.14`, `3,14`, `-2`, `1e3`, `1 000`.
pub fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn number_matches(a: &crate::questions::Answer, x: f64) -> bool {
    let t = a.text.text.trim();
    if t == "*" {
        return true;
    }
    let Ok(v) = t.parse::<f64>() else {
        return false;
    };
    let tolerance = a.tolerance.unwrap_or(0.0).abs();
    // Moodle widens the range by a hair for the rounding of decimal fractions.
    (x - v).abs() <= tolerance + 1e-12 * v.abs().max(1.0)
}

/// Points earned on a question of `marks` with `fraction`: the share, negative allowed.
pub fn points(marks: Mark, fraction: Fraction) -> i64 {
    marks.share(fraction)
}

/// An attempt's total from its questions' points: never below 0.
pub fn total(points: impl IntoIterator<Item = i64>) -> i64 {
    points.into_iter().sum::<i64>().max(0)
}

/// An attempt's grade as a fraction of its maximum, in ten-millionths (0 when nothing could
/// be earned).
pub fn grade_of(score: i64, max_score: i64) -> i64 {
    if max_score <= 0 {
        return 0;
    }
    let full = i128::from(Fraction::FULL.units());
    (i128::from(score) * full / i128::from(max_score)) as i64
}

/// The quiz's grade over a student's submitted attempts, oldest first, each as [`grade_of`]
/// (`None`: one that waits for a teacher). As in Moodle, "first" and "last" take that attempt
/// and give no grade while it waits; "highest" and "average" go over the graded ones. `None`
/// before any counts.
pub fn overall(method: GradingMethod, attempts: &[Option<i64>]) -> Option<i64> {
    let graded: Vec<i64> = attempts.iter().flatten().copied().collect();
    match method {
        GradingMethod::Highest => graded.iter().copied().max(),
        GradingMethod::First => attempts.first().copied().flatten(),
        GradingMethod::Last => attempts.last().copied().flatten(),
        GradingMethod::Average => {
            (!graded.is_empty()).then(|| graded.iter().sum::<i64>() / graded.len() as i64)
        }
    }
}

/// Whether a grade (ten-millionths of the maximum) reaches `pass_percent` (no grade to pass:
/// any grade does).
pub fn passes(grade: i64, pass_percent: Option<u32>) -> bool {
    pass_percent.is_none_or(|p| grade * 100 >= i64::from(p) * i64::from(Fraction::FULL.units()))
}

/// Points as a number of marks (for the API and pages), rounded to two decimals as Moodle
/// shows them.
pub fn points_f64(points: i64) -> f64 {
    ((points as f64) / 100_000.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questions::{Answer, MatchPair, RichText, TextFormat};

    fn text(t: &str) -> RichText {
        RichText::new(t, TextFormat::Plain)
    }

    fn answer(t: &str, percent: &str) -> Answer {
        Answer {
            text: text(t),
            fraction: Fraction::parse_decimal(percent, true).unwrap(),
            feedback: text(""),
            tolerance: None,
        }
    }

    fn question(kind: QuestionKind, answers: Vec<Answer>) -> Question {
        let mut q = Question::new(kind, "q", text("?"));
        q.answers = answers;
        q
    }

    fn auto(q: &Question, r: Response) -> i32 {
        match grade(q, Some(&r)) {
            Graded::Auto(f) => f.units(),
            Graded::Manual => panic!("manual"),
        }
    }

    fn choices(c: &[u32]) -> Response {
        Response {
            choices: Some(c.to_vec()),
            ..Response::default()
        }
    }

    fn typed(t: &str) -> Response {
        Response {
            text: Some(t.into()),
            ..Response::default()
        }
    }

    #[test]
    fn multiple_answers_sum_and_stay_between_nothing_and_everything() {
        let mut q = question(
            QuestionKind::MultiChoice,
            vec![answer("a", "50"), answer("b", "50"), answer("c", "-100")],
        );
        q.single = false;
        assert_eq!(auto(&q, choices(&[0, 1])), 10_000_000);
        assert_eq!(auto(&q, choices(&[0])), 5_000_000);
        assert_eq!(auto(&q, choices(&[0, 2])), 0);
        assert_eq!(auto(&q, choices(&[])), 0);
        assert_eq!(
            check_response(&q, &choices(&[0, 0])),
            Err(ResponseError::UnknownChoice)
        );
        assert_eq!(
            check_response(&q, &choices(&[3])),
            Err(ResponseError::UnknownChoice)
        );
        q.single = true;
        q.answers[0].fraction = Fraction::FULL;
        assert_eq!(auto(&q, choices(&[2])), -10_000_000);
        assert_eq!(
            check_response(&q, &choices(&[0, 1])),
            Err(ResponseError::OneChoice)
        );
        assert_eq!(
            check_response(&q, &typed("a")),
            Err(ResponseError::WrongShape)
        );
    }

    #[test]
    fn short_answers_match_with_wildcards_and_case_as_set() {
        let mut q = question(
            QuestionKind::ShortAnswer,
            vec![
                answer("Абай", "100"),
                answer("Аба*", "50"),
                answer("*", "0"),
            ],
        );
        assert_eq!(auto(&q, typed("  абай ")), 10_000_000);
        assert_eq!(auto(&q, typed("Абайка")), 5_000_000);
        assert_eq!(auto(&q, typed("Пушкин")), 0);
        q.case_sensitive = true;
        assert_eq!(auto(&q, typed("абай")), 0);
        assert!(wildcard_match("a\\*b", "a*b", false));
        assert!(!wildcard_match("a\\*b", "axb", false));
        assert!(wildcard_match("*ab*", "xxabyy", false));
        assert!(!wildcard_match("ab*ba", "aba", false));
    }

    #[test]
    fn numbers_count_within_their_tolerance_and_take_a_comma() {
        let mut close = answer("3.14", "100");
        close.tolerance = Some(0.01);
        let q = question(QuestionKind::Numerical, vec![close, answer("3", "50")]);
        assert_eq!(auto(&q, typed("3,15")), 10_000_000);
        assert_eq!(auto(&q, typed("3.16")), 0);
        assert_eq!(auto(&q, typed("3")), 5_000_000);
        assert_eq!(auto(&q, typed("пи")), 0);
    }

    #[test]
    fn matching_counts_the_items_right_and_ignores_distractors() {
        let mut q = question(QuestionKind::Matching, vec![]);
        let pair = |i: &str, a: &str| MatchPair {
            item: text(i),
            answer: a.into(),
        };
        q.pairs = vec![
            pair("cat", "кошка"),
            pair("dog", "собака"),
            pair("", "лошадь"),
        ];
        assert_eq!(match_choices(&q), ["кошка", "собака", "лошадь"]);
        let m = |item, choice| MatchResponse { item, choice };
        let r = |ms: Vec<MatchResponse>| Response {
            matches: Some(ms),
            ..Response::default()
        };
        assert_eq!(auto(&q, r(vec![m(0, 0), m(1, 1)])), 10_000_000);
        assert_eq!(auto(&q, r(vec![m(0, 0), m(1, 2)])), 5_000_000);
        assert_eq!(
            check_response(&q, &r(vec![m(2, 0)])),
            Err(ResponseError::UnknownChoice)
        );
    }

    #[test]
    fn attempts_make_the_grade_by_the_chosen_method() {
        let g = [Some(4_000_000), Some(9_000_000), Some(6_000_000)];
        assert_eq!(overall(GradingMethod::Highest, &g), Some(9_000_000));
        assert_eq!(overall(GradingMethod::First, &g), Some(4_000_000));
        assert_eq!(overall(GradingMethod::Last, &g), Some(6_000_000));
        assert_eq!(overall(GradingMethod::Average, &g), Some(6_333_333));
        assert_eq!(overall(GradingMethod::Average, &[]), None);
        // The first attempt waits for a teacher: "first" has no grade yet, the others go on.
        let waiting = [None, Some(9_000_000)];
        assert_eq!(overall(GradingMethod::First, &waiting), None);
        assert_eq!(overall(GradingMethod::Last, &waiting), Some(9_000_000));
        assert_eq!(overall(GradingMethod::Highest, &waiting), Some(9_000_000));
        assert!(passes(6_000_000, Some(60)));
        assert!(!passes(5_999_999, Some(60)));
        assert!(passes(0, None));
        assert_eq!(total([points(Mark::ONE, Fraction::FULL), -30_000_000]), 0);
        assert_eq!(grade_of(15_000_000, 20_000_000), 7_500_000);
        assert_eq!(points_f64(15_000_000), 1.5);
    }

    #[test]
    fn an_essay_waits_for_a_teacher() {
        let q = question(QuestionKind::Essay, vec![]);
        assert_eq!(grade(&q, Some(&typed("..."))), Graded::Manual);
        assert_eq!(grade(&q, None), Graded::Manual);
    }
}
