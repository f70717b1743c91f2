//! A quiz lesson's settings in the cabinet (issue 19): the questions it asks (chosen from the
//! bank, each with its marks in this quiz, or a number drawn at random from a category), its
//! time limit, attempts, grading, the grade to pass, the delay between attempts and what a
//! student sees after submitting. Part of the lesson's own page.

use std::collections::BTreeMap;

use educenter_domain::quiz::{GradingMethod, QuestionSource, QuizSettings, Review};
use educenter_services::{
    question_bank as bank,
    quizzes::{self, QuizInput, RandomInput},
    store::{
        page::{MAX_LIMIT, PageRequest},
        question_bank::Filter,
    },
};

use super::*;

/// The quiz part of a lesson form, as sent (`quiz_*` fields).
#[derive(Default, Clone)]
pub(crate) struct QuizForm {
    /// `fixed` or `random`.
    pub(crate) source: String,
    /// The bank's questions ticked, in the form's order.
    pub(crate) questions: Vec<String>,
    /// Marks typed beside a question (`quiz_marks_{id}`), by id.
    pub(crate) marks: BTreeMap<String, String>,
    pub(crate) category: String,
    pub(crate) count: String,
    pub(crate) random_marks: String,
    pub(crate) shuffle: bool,
    pub(crate) time_limit: String,
    pub(crate) attempts: String,
    pub(crate) grading: String,
    pub(crate) pass_percent: String,
    pub(crate) delay: String,
    pub(crate) review_score: bool,
    pub(crate) review_feedback: bool,
    pub(crate) review_right: bool,
}

fn number_text(v: Option<u32>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl QuizForm {
    pub(crate) fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = Self::default();
        for (k, v) in pairs {
            let v = v.trim().to_owned();
            match k.as_str() {
                "quiz_source" => f.source = v,
                "quiz_question" => f.questions.push(v),
                "quiz_category" => f.category = v,
                "quiz_count" => f.count = v,
                "quiz_random_marks" => f.random_marks = v,
                "quiz_shuffle" => f.shuffle = true,
                "quiz_time_limit" => f.time_limit = v,
                "quiz_attempts" => f.attempts = v,
                "quiz_grading" => f.grading = v,
                "quiz_pass_percent" => f.pass_percent = v,
                "quiz_delay" => f.delay = v,
                "quiz_review_score" => f.review_score = true,
                "quiz_review_feedback" => f.review_feedback = true,
                "quiz_review_right" => f.review_right = true,
                other => {
                    if let Some(id) = other.strip_prefix("quiz_marks_") {
                        f.marks.insert(id.to_owned(), v);
                    }
                }
            }
        }
        f
    }

    pub(crate) fn from_settings(s: &QuizSettings) -> Self {
        let mut f = Self {
            shuffle: s.shuffle_answers,
            time_limit: number_text(s.time_limit_minutes),
            attempts: number_text(s.attempts),
            grading: s.grading.as_str().to_owned(),
            pass_percent: number_text(s.pass_percent),
            delay: number_text(Some(s.delay_minutes).filter(|d| *d > 0)),
            review_score: s.review.score,
            review_feedback: s.review.feedback,
            review_right: s.review.right_answers,
            ..Self::default()
        };
        match &s.source {
            QuestionSource::Fixed(qs) => {
                f.source = "fixed".into();
                for (id, mark) in qs {
                    f.questions.push(id.clone());
                    if let Some(m) = mark {
                        f.marks.insert(id.clone(), format!("{}", m.as_f64()));
                    }
                }
            }
            QuestionSource::Random {
                category_id,
                count,
                marks,
            } => {
                f.source = "random".into();
                f.category = category_id.clone();
                f.count = count.to_string();
                f.random_marks = marks.map(|m| format!("{}", m.as_f64())).unwrap_or_default();
            }
        }
        f
    }

    /// The settings to save, or the fields that are not numbers (beside their fields).
    pub(crate) fn input(&self, l: &Layout<'_>) -> Result<QuizInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut whole = |name: &'static str, text: &str| -> Option<i64> {
            if text.is_empty() {
                return Some(0);
            }
            text.parse()
                .map_err(|_| errors.set(name, l.t("error-number")))
                .ok()
        };
        let time = whole("quiz_time_limit", &self.time_limit);
        let attempts = whole("quiz_attempts", &self.attempts);
        let pass = whole("quiz_pass_percent", &self.pass_percent);
        let delay = whole("quiz_delay", &self.delay);
        let count = if self.source == "random" {
            whole("quiz_count", &self.count)
        } else {
            None
        };
        let decimal = |text: &str| text.replace(',', ".").parse::<f64>().ok();
        let mut marks = BTreeMap::new();
        if self.source != "random" {
            for id in &self.questions {
                match self.marks.get(id).map(String::as_str) {
                    None | Some("") => {}
                    Some(t) => match decimal(t) {
                        Some(v) => {
                            marks.insert(id.clone(), v);
                        }
                        None => errors.set("quiz_questions", l.t("error-quiz-marks")),
                    },
                }
            }
        }
        let random_marks = match self.random_marks.as_str() {
            "" => None,
            t => match decimal(t) {
                Some(v) => Some(v),
                None => {
                    errors.set("quiz_random_marks", l.t("error-number"));
                    None
                }
            },
        };
        if errors.has_any() {
            return Err(errors);
        }
        let random = self.source == "random";
        Ok(QuizInput {
            questions: (!random).then(|| self.questions.clone()),
            marks: (!random).then_some(marks),
            random: random.then(|| RandomInput {
                category: self.category.clone(),
                count: count.unwrap_or(0),
                marks: random_marks,
            }),
            shuffle_answers: Some(self.shuffle),
            time_limit_minutes: time,
            attempts,
            grading: Some(self.grading.clone()).filter(|g| !g.is_empty()),
            pass_percent: pass,
            review: Some(Review {
                score: self.review_score,
                right_answers: self.review_right,
                feedback: self.review_feedback,
            }),
            delay_minutes: delay,
        })
    }
}

/// The service's quiz fields and the form fields their errors go beside.
pub(crate) const QUIZ_FIELDS: &[(&str, &str)] = &[
    ("quiz.questions", "quiz_questions"),
    ("quiz.marks", "quiz_questions"),
    ("quiz.random", "quiz_category"),
    ("quiz.random.category", "quiz_category"),
    ("quiz.random.count", "quiz_count"),
    ("quiz.random.marks", "quiz_random_marks"),
    ("quiz.time_limit_minutes", "quiz_time_limit"),
    ("quiz.attempts", "quiz_attempts"),
    ("quiz.grading", "quiz_grading"),
    ("quiz.pass_percent", "quiz_pass_percent"),
    ("quiz.delay_minutes", "quiz_delay"),
];

/// A service field of the quiz as the form's field (`quiz.questions[2]` and `quiz.marks.ID`
/// go beside the list of questions).
pub(crate) fn quiz_field(field: &str) -> Option<&'static str> {
    if field.starts_with("quiz.questions[") || field.starts_with("quiz.marks.") {
        return Some("quiz_questions");
    }
    QUIZ_FIELDS
        .iter()
        .find(|(from, _)| *from == field)
        .map(|(_, to)| *to)
}

/// A question of the bank as the quiz form lists it.
pub(crate) struct BankQuestion {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) category: String,
    pub(crate) checked: bool,
    /// The marks typed for this quiz; the question's own as the placeholder.
    pub(crate) marks: String,
    pub(crate) default_marks: String,
}

/// The quiz part of the lesson page.
pub(crate) struct QuizEditor {
    pub(crate) random: bool,
    pub(crate) questions: Vec<BankQuestion>,
    /// More questions in the bank than the list shows.
    pub(crate) more: bool,
    /// (id, path, selected)
    pub(crate) categories: Vec<(String, String, bool)>,
    pub(crate) questions_error: Option<String>,
    pub(crate) category_error: Option<String>,
    /// The other settings' fields: count and marks of a draw, time, attempts, grading, the
    /// grade to pass, the delay, shuffling and what the student sees.
    pub(crate) draw_fields: Vec<Field>,
    pub(crate) fields: Vec<Field>,
}

fn on(v: bool) -> String {
    if v { "on".into() } else { String::new() }
}

/// The quiz editor of `lesson` with `form` in it (as saved, or as sent back with `errors`).
pub(crate) async fn quiz_editor(
    state: &AppState,
    l: &Layout<'_>,
    who: &Principal,
    lesson: &Lesson,
    form: Option<QuizForm>,
    errors: &FieldErrors,
) -> Result<QuizEditor, ServiceError> {
    let services = state.services();
    let form = match form {
        Some(f) => f,
        None => QuizForm::from_settings(&quizzes::settings_for(services, lesson).await?),
    };
    let categories = bank::categories(services, who).await?;
    let paths = bank::paths(&categories);
    let page = bank::list(
        services,
        who,
        &Filter::default(),
        &PageRequest::first(MAX_LIMIT),
    )
    .await?;
    let more = page.next.is_some();
    // The quiz's own questions first, in its order (also those past the list's end), then
    // the rest of the bank.
    let mut listed = bank::get_many(services, who, &form.questions).await?;
    listed.sort_by_key(|q| form.questions.iter().position(|id| *id == q.id));
    for q in page.items {
        if !form.questions.contains(&q.id) {
            listed.push(q);
        }
    }
    let questions = listed
        .into_iter()
        .map(|q| BankQuestion {
            checked: form.questions.contains(&q.id),
            marks: form.marks.get(&q.id).cloned().unwrap_or_default(),
            default_marks: format!("{}", q.question.default_mark.as_f64()),
            kind: l.t(&format!("question-type-{}", q.question.kind)),
            category: paths.get(&q.category_id).cloned().unwrap_or_default(),
            name: q.question.name,
            id: q.id,
        })
        .collect();
    let mut category_list: Vec<(String, String, bool)> = categories
        .iter()
        .map(|c| {
            let path = paths.get(&c.id).cloned().unwrap_or_default();
            (c.id.clone(), path, c.id == form.category)
        })
        .collect();
    category_list.sort_by(|a, b| a.1.cmp(&b.1));
    let gradings = GradingMethod::ALL
        .iter()
        .map(|g| (g.as_str().to_owned(), l.t(&format!("quiz-grading-{g}"))))
        .collect();
    let mut draw_fields = vec![
        Field::new(l, "quiz_count", "number").value(form.count.clone()),
        Field::new(l, "quiz_random_marks", "text")
            .value(form.random_marks.clone())
            .hint(l)
            .optional(),
    ];
    let mut fields = vec![
        Field::new(l, "quiz_time_limit", "number")
            .value(form.time_limit.clone())
            .hint(l)
            .optional(),
        Field::new(l, "quiz_attempts", "number")
            .value(form.attempts.clone())
            .hint(l)
            .optional(),
        Field::new(l, "quiz_grading", "select")
            .value(if form.grading.is_empty() {
                GradingMethod::Highest.as_str().to_owned()
            } else {
                form.grading.clone()
            })
            .options(gradings),
        Field::new(l, "quiz_pass_percent", "number")
            .value(form.pass_percent.clone())
            .hint(l)
            .optional(),
        Field::new(l, "quiz_delay", "number")
            .value(form.delay.clone())
            .optional(),
        Field::new(l, "quiz_shuffle", "checkbox")
            .value(on(form.shuffle))
            .optional(),
        Field::new(l, "quiz_review_score", "checkbox")
            .value(on(form.review_score))
            .optional(),
        Field::new(l, "quiz_review_feedback", "checkbox")
            .value(on(form.review_feedback))
            .optional(),
        Field::new(l, "quiz_review_right", "checkbox")
            .value(on(form.review_right))
            .optional(),
    ];
    errors.apply(&mut draw_fields);
    errors.apply(&mut fields);
    Ok(QuizEditor {
        random: form.source == "random",
        questions,
        more,
        categories: category_list,
        questions_error: errors.get("quiz_questions"),
        category_error: errors.get("quiz_category"),
        draw_fields,
        fields,
    })
}
