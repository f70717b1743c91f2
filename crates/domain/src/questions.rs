//! The question bank's questions (issue 19, item 2): the types a quiz asks, their answers with
//! Moodle's fractions of a mark, and the rules a question must keep to be saved.
//!
//! A fraction is kept as an integer count of ten-millionths (`10_000_000` = 100%), the
//! precision of Moodle's grade options (`0.3333333`), so that no comparison of grades rests on
//! floating point.

use serde::{Deserialize, Serialize};

crate::named::named! {
    /// A question's type.
    pub enum QuestionKind {
        /// Text shown between questions; no answer, no mark.
        Description = "description",
        /// A written answer a teacher grades.
        Essay = "essay",
        /// One or several of the offered choices.
        MultiChoice = "multichoice",
        /// True or false.
        TrueFalse = "truefalse",
        /// A word or phrase, compared with the accepted answers (`*` matches anything).
        ShortAnswer = "shortanswer",
        /// A number, within a tolerance of an accepted answer.
        Numerical = "numerical",
        /// Each item matched to one of the answers (some answers may match nothing).
        Matching = "matching",
    }
}

crate::named::named! {
    /// The file formats the bank imports.
    pub enum ImportFormat {
        /// Moodle's GIFT text format.
        Gift = "gift",
        /// Moodle XML.
        MoodleXml = "moodle_xml",
    }
}

crate::named::named! {
    /// How a text is written.
    pub enum TextFormat {
        /// Moodle's own: plain text with paragraphs (`moodle_auto_format`).
        Moodle = "moodle",
        Html = "html",
        Plain = "plain",
        Markdown = "markdown",
    }
}

/// A text and how it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RichText {
    pub text: String,
    pub format: TextFormat,
}

impl RichText {
    pub fn new(text: impl Into<String>, format: TextFormat) -> Self {
        Self {
            text: text.into(),
            format,
        }
    }

    /// No text, in `format`.
    pub fn empty(format: TextFormat) -> Self {
        Self::new("", format)
    }
}

/// A share of a question's mark, from -100% to 100%, in ten-millionths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Fraction(i32);

/// The shares Moodle offers (and its import accepts), positive; each also negated, and 0.
const GRADE_OPTIONS: [i32; 20] = [
    10_000_000, 9_000_000, 8_333_333, 8_000_000, 7_500_000, 7_000_000, 6_666_667, 6_000_000,
    5_000_000, 4_000_000, 3_333_333, 3_000_000, 2_500_000, 2_000_000, 1_666_667, 1_428_571,
    1_250_000, 1_111_111, 1_000_000, 500_000,
];

impl Fraction {
    /// 100%.
    pub const FULL: Fraction = Fraction(10_000_000);
    pub const ZERO: Fraction = Fraction(0);
    /// Moodle's default penalty for each wrong try: a third.
    pub const THIRD: Fraction = Fraction(3_333_333);

    /// Ten-millionths (`10_000_000` is 100%); `None` beyond ±100%.
    pub fn from_units(units: i32) -> Option<Self> {
        (-10_000_000..=10_000_000)
            .contains(&units)
            .then_some(Self(units))
    }

    pub fn units(self) -> i32 {
        self.0
    }

    /// A decimal written by a person or a file (`0.5`, `-1`, `0.3333333`, `33.33333` with
    /// `percent`), rounded to ten-millionths; `None` when it is no number or beyond ±100%.
    pub fn parse_decimal(text: &str, percent: bool) -> Option<Self> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if (whole.is_empty() && frac.is_empty())
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || whole.len() > 3
        {
            return None;
        }
        // Ten-millionths of the number, or of its hundredth when it is a percentage; one digit
        // more, to round.
        let scale = if percent { 6 } else { 8 };
        let mut units: i64 = whole.parse::<i64>().unwrap_or(0);
        for _ in 0..scale {
            units *= 10;
        }
        let mut place: i64 = 10_i64.pow(scale);
        for b in frac.bytes() {
            place /= 10;
            if place == 0 {
                break;
            }
            units += i64::from(b - b'0') * place;
        }
        let rounded = (units + 5) / 10;
        let signed = if negative { -rounded } else { rounded };
        i32::try_from(signed).ok().and_then(Self::from_units)
    }

    /// As a number from -1 to 1 (for answers and the API).
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 10_000_000.0
    }

    /// The nearest share to `value` (-1 to 1).
    pub fn from_f64(value: f64) -> Option<Self> {
        if !value.is_finite() {
            return None;
        }
        let units = (value * 10_000_000.0).round();
        if units.abs() > 10_000_000.0 {
            return None;
        }
        Some(Self(units as i32))
    }

    /// The shares Moodle offers, from 100% down to -100% (0 between), as an editor lists them.
    pub fn options() -> Vec<Fraction> {
        let positive = GRADE_OPTIONS.iter().map(|u| Fraction(*u));
        let negative = GRADE_OPTIONS.iter().rev().map(|u| Fraction(-u));
        positive.chain([Self::ZERO]).chain(negative).collect()
    }

    /// Whether the share is one Moodle offers (its import refuses others).
    pub fn is_grade_option(self) -> bool {
        self.0 == 0 || GRADE_OPTIONS.contains(&self.0.abs())
    }

    /// The grade option within a hundred-thousandth of this share, as Moodle's import takes
    /// `33.333%` for a third; the share itself when none is that near.
    pub fn snap_to_option(self) -> Self {
        let abs = self.0.abs();
        match GRADE_OPTIONS.iter().find(|o| (abs - **o).abs() <= 100) {
            Some(o) if self.0 < 0 => Self(-o),
            Some(o) => Self(*o),
            None if abs <= 100 => Self(0),
            None => self,
        }
    }

    /// The percentage, written as people write it: `100`, `50`, `33.33333`, `-50`.
    pub fn percent_text(self) -> String {
        let hundred_thousandths = i64::from(self.0); // 100% = 10_000_000 = 100.00000
        let sign = if hundred_thousandths < 0 { "-" } else { "" };
        let v = hundred_thousandths.abs();
        let (whole, frac) = (v / 100_000, v % 100_000);
        if frac == 0 {
            format!("{sign}{whole}")
        } else {
            let digits = format!("{frac:05}");
            format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl Serialize for Fraction {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Fraction {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        Fraction::from_f64(v)
            .ok_or_else(|| serde::de::Error::custom("a fraction is a number from -1 to 1"))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Fraction {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Number)
            .minimum(Some(-1.0))
            .maximum(Some(1.0))
            .description(Some("A share of the question's mark, from -1 to 1"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Fraction {}

/// A question's marks, in ten-millionths of a mark (`10_000_000` is one mark), from 0 to 1 000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Mark(i64);

impl Mark {
    pub const ONE: Mark = Mark(10_000_000);
    pub const ZERO: Mark = Mark(0);

    pub fn units(self) -> i64 {
        self.0
    }

    /// `1`, `2.5`, `1.0000000`; `None` when no number or beyond 0 to 1 000.
    pub fn parse_decimal(text: &str) -> Option<Self> {
        let v: f64 = text.trim().parse().ok()?;
        Self::from_f64(v)
    }

    pub fn from_f64(v: f64) -> Option<Self> {
        (v.is_finite() && (0.0..=1000.0).contains(&v))
            .then(|| Mark((v * 10_000_000.0).round() as i64))
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 10_000_000.0
    }

    /// The share `f` of these marks, in ten-millionths of a mark, rounded.
    pub fn share(self, f: Fraction) -> i64 {
        let v = i128::from(self.0) * i128::from(f.units());
        (v / 10_000_000) as i64
    }
}

impl Serialize for Mark {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Mark {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        Mark::from_f64(v).ok_or_else(|| serde::de::Error::custom("marks are 0 to 1000"))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Mark {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Number)
            .minimum(Some(0.0))
            .maximum(Some(1000.0))
            .description(Some("Marks"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Mark {}

/// An answer offered or accepted, its share of the mark, and what the student reads on giving
/// it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    pub text: RichText,
    pub fraction: Fraction,
    pub feedback: RichText,
    /// Numerical answers: how far off a number may be and still count (`None`: exactly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
}

/// An item to match, and its answer; an item with no text is a distractor: its answer matches
/// nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchPair {
    pub item: RichText,
    pub answer: String,
}

/// What a question asks, by type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    pub kind: QuestionKind,
    pub name: String,
    pub text: RichText,
    /// Shown to every student after answering, whatever the answer.
    pub general_feedback: RichText,
    /// The question's marks.
    pub default_mark: Mark,
    /// What each wrong try costs in interactive modes.
    pub penalty: Fraction,
    /// Choices (multichoice), accepted answers (short answer, numerical); true/false keeps its
    /// two answers here, true first.
    pub answers: Vec<Answer>,
    /// Multichoice: one answer, not several.
    #[serde(default)]
    pub single: bool,
    /// Multichoice and matching: the answers in a new order for each attempt.
    #[serde(default)]
    pub shuffle: bool,
    /// Short answer: letters' case counts.
    #[serde(default)]
    pub case_sensitive: bool,
    /// Matching: the items and their answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pairs: Vec<MatchPair>,
    /// Multichoice and matching: feedback for a right, partly right and wrong response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combined_feedback: Option<[RichText; 3]>,
    /// Essay: what the grader reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grader_info: Option<RichText>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<RichText>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The school's own reference for the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idnumber: Option<String>,
}

impl Question {
    /// A question of `kind` with Moodle's defaults: one mark, a third's penalty (all of it for
    /// true/false), no answers.
    pub fn new(kind: QuestionKind, name: impl Into<String>, text: RichText) -> Self {
        let format = text.format;
        let (mark, penalty) = match kind {
            QuestionKind::Description => (Mark::ZERO, Fraction::ZERO),
            QuestionKind::TrueFalse => (Mark::ONE, Fraction::FULL),
            _ => (Mark::ONE, Fraction::THIRD),
        };
        Self {
            kind,
            name: name.into(),
            text,
            general_feedback: RichText::empty(format),
            default_mark: mark,
            penalty,
            answers: Vec::new(),
            single: true,
            shuffle: true,
            case_sensitive: false,
            pairs: Vec::new(),
            combined_feedback: None,
            grader_info: None,
            hints: Vec::new(),
            tags: Vec::new(),
            idnumber: None,
        }
    }

    /// True/false: whether the right answer is "true".
    pub fn correct_answer(&self) -> Option<bool> {
        (self.kind == QuestionKind::TrueFalse).then(|| {
            self.answers
                .first()
                .is_some_and(|a| a.fraction == Fraction::FULL)
        })
    }
}

/// Why a question cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuestionError {
    #[error("the question has no name")]
    NoName,
    #[error("the name is longer than 255 characters or holds control characters")]
    BadName,
    #[error("tag {0} is longer than 100 characters or holds control characters")]
    BadTag(String),
    #[error("a tolerance is not a number of 0 or more")]
    BadTolerance,
    #[error("the question has no text")]
    NoText,
    #[error("grades {0} are not among the grade options")]
    GradeOptions(String),
    #[error("the positive grades add up to {0}%, not 100%")]
    FractionsSum(String),
    #[error("no choice is worth 100%")]
    NoFullChoice,
    #[error("at least {0} answers are needed")]
    TooFewAnswers(usize),
    #[error("answer {0} is not a number")]
    NotANumber(String),
    #[error("matching needs at least two items with an answer")]
    TooFewPairs,
}

/// Checks a question as Moodle's import and its question types do; every problem is listed.
pub fn check(q: &Question) -> Vec<QuestionError> {
    let mut out = Vec::new();
    if q.name.trim().is_empty() {
        out.push(QuestionError::NoName);
    } else if q.name.chars().count() > 255 || !crate::tenancy::is_clean_text(&q.name, false) {
        out.push(QuestionError::BadName);
    }
    if let Some(tag) = q
        .tags
        .iter()
        .find(|t| t.chars().count() > 100 || !crate::tenancy::is_clean_text(t, false))
    {
        out.push(QuestionError::BadTag(tag.clone()));
    }
    if q.text.text.trim().is_empty() && q.kind != QuestionKind::Description {
        out.push(QuestionError::NoText);
    }
    let off: Vec<String> = q
        .answers
        .iter()
        .map(|a| a.fraction)
        .filter(|f| !f.is_grade_option())
        .map(|f| trim_decimal(f.as_f64()))
        .collect();
    if !off.is_empty() {
        out.push(QuestionError::GradeOptions(off.join(", ")));
    }
    let best = q.answers.iter().map(|a| a.fraction).max();
    match q.kind {
        QuestionKind::MultiChoice => {
            if q.answers.len() < 2 {
                out.push(QuestionError::TooFewAnswers(2));
            } else if q.single {
                if best != Some(Fraction::FULL) {
                    out.push(QuestionError::NoFullChoice);
                }
            } else {
                let sum: i64 = q
                    .answers
                    .iter()
                    .map(|a| i64::from(a.fraction.units()))
                    .filter(|u| *u > 0)
                    .sum();
                // Moodle rounds the sum to two decimals of a mark (1% of 1).
                let percent = (sum + 50_000) / 100_000;
                if percent != 100 {
                    out.push(QuestionError::FractionsSum(percent.to_string()));
                }
            }
        }
        QuestionKind::ShortAnswer | QuestionKind::Numerical => {
            if q.answers.is_empty() {
                out.push(QuestionError::TooFewAnswers(1));
            }
            if q.kind == QuestionKind::Numerical {
                for a in &q.answers {
                    let t = a.text.text.trim();
                    if t != "*" && !t.parse::<f64>().is_ok_and(f64::is_finite) {
                        out.push(QuestionError::NotANumber(t.to_owned()));
                    }
                    if a.tolerance.is_some_and(|t| !t.is_finite() || t < 0.0) {
                        out.push(QuestionError::BadTolerance);
                    }
                }
            }
        }
        QuestionKind::Matching => {
            if q.pairs.iter().filter(|p| !p.item.text.is_empty()).count() < 2 {
                out.push(QuestionError::TooFewPairs);
            }
        }
        QuestionKind::TrueFalse => {
            if q.answers.len() != 2 {
                out.push(QuestionError::TooFewAnswers(2));
            }
        }
        QuestionKind::Description | QuestionKind::Essay => {}
    }
    out
}

/// Drops what Moodle drops when it saves a question: choices of a multichoice question with no
/// text.
pub fn tidy(q: &mut Question) {
    if q.kind == QuestionKind::MultiChoice {
        q.answers.retain(|a| !a.text.text.trim().is_empty());
    }
}

/// `0.33`, `1`, `-0.5`: a decimal without trailing zeros.
fn trim_decimal(v: f64) -> String {
    let s = format!("{v:.7}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_read_as_moodle_writes_them() {
        let f = |t, p| Fraction::parse_decimal(t, p).map(Fraction::units);
        assert_eq!(f("1", false), Some(10_000_000));
        assert_eq!(f("0.3333333", false), Some(3_333_333));
        assert_eq!(f("33.33333", true), Some(3_333_333));
        assert_eq!(f("-50", true), Some(-5_000_000));
        assert_eq!(f("100", true), Some(10_000_000));
        assert_eq!(f("1.0000000", false), Some(10_000_000));
        assert_eq!(f("101", true), None);
        assert_eq!(f("abc", true), None);
        assert!(
            !Fraction::parse_decimal("33", true)
                .unwrap()
                .is_grade_option()
        );
        assert!(
            Fraction::parse_decimal("33.33333", true)
                .unwrap()
                .is_grade_option()
        );
        assert!(
            Fraction::parse_decimal("-14.28571", true)
                .unwrap()
                .is_grade_option()
        );
        assert_eq!(Fraction::THIRD.percent_text(), "33.33333");
        let snapped = |t| {
            Fraction::parse_decimal(t, true)
                .unwrap()
                .snap_to_option()
                .units()
        };
        assert_eq!(snapped("33.333"), 3_333_333);
        assert_eq!(snapped("-16.667"), -1_666_667);
        assert_eq!(snapped("33"), 3_300_000);
        assert_eq!(Fraction(-5_000_000).percent_text(), "-50");
    }

    #[test]
    fn multiple_answers_must_add_up_to_a_whole_mark() {
        let choice = |p: &str| Answer {
            text: RichText::new(p, TextFormat::Moodle),
            fraction: Fraction::parse_decimal(p, true).unwrap(),
            feedback: RichText::empty(TextFormat::Moodle),
            tolerance: None,
        };
        let mut q = Question::new(
            QuestionKind::MultiChoice,
            "q",
            RichText::new("?", TextFormat::Moodle),
        );
        q.single = false;
        q.answers = vec![choice("100"), choice("100"), choice("-50")];
        assert_eq!(check(&q), [QuestionError::FractionsSum("200".into())]);
        q.answers = vec![choice("30"), choice("30"), choice("-50")];
        assert_eq!(check(&q), [QuestionError::FractionsSum("60".into())]);
        q.answers = vec![choice("50"), choice("50"), choice("-50")];
        assert!(check(&q).is_empty());
        q.single = true;
        assert_eq!(check(&q), [QuestionError::NoFullChoice]);
    }
}
