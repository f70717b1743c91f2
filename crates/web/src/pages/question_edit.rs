//! A question of the bank written or changed on its own page (issue 19, item 2):
//! `/cabinet/questions/new?type=…` and `/cabinet/questions/{id}`. The form shows the fields of
//! the question's type (choices with their share of the mark and feedback, accepted answers,
//! numbers with their tolerance, pairs to match, the right answer of a true/false); refused
//! values stay beside their fields and change nothing.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
};
use educenter_domain::questions::{
    Answer, Fraction, Mark, MatchPair, Question, QuestionKind, RichText, TextFormat,
};
use educenter_services::{ServiceError, access::Principal, question_bank as bank};

use super::{
    Layout, PageResult,
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{AppState, ClientOrigin, auth::WebUser};

/// Blank rows a form offers beyond those a question has.
const SPARE_ROWS: usize = 3;

/// A choice or accepted answer as the form holds it.
#[derive(Clone, Default)]
pub(crate) struct AnswerRow {
    pub(crate) text: String,
    /// The share of the mark in percent, as the select's value (`100`, `-33.33333`).
    pub(crate) fraction: String,
    pub(crate) feedback: String,
    pub(crate) tolerance: String,
}

#[derive(Clone, Default)]
pub(crate) struct PairRow {
    pub(crate) item: String,
    pub(crate) answer: String,
}

/// The question's form as sent or as read.
#[derive(Clone)]
pub(crate) struct QuestionForm {
    kind: QuestionKind,
    name: String,
    text: String,
    /// How the texts are written: the question's own (an imported one's HTML stays HTML); a
    /// new one's is Markdown.
    format: TextFormat,
    category: String,
    tags: String,
    default_mark: String,
    general_feedback: String,
    single: bool,
    shuffle: bool,
    case_sensitive: bool,
    /// True/false: `true` or `false` (empty: not chosen).
    correct: String,
    answers: Vec<AnswerRow>,
    pairs: Vec<PairRow>,
}

impl QuestionForm {
    fn blank(kind: QuestionKind, category: String) -> Self {
        Self {
            kind,
            name: String::new(),
            text: String::new(),
            format: TextFormat::Markdown,
            category,
            tags: String::new(),
            default_mark: if kind == QuestionKind::Description {
                "0".into()
            } else {
                "1".into()
            },
            general_feedback: String::new(),
            single: true,
            shuffle: true,
            case_sensitive: false,
            correct: String::new(),
            answers: Vec::new(),
            pairs: Vec::new(),
        }
    }

    fn of(q: &Question, category: String) -> Self {
        Self {
            kind: q.kind,
            name: q.name.clone(),
            text: q.text.text.clone(),
            format: q.text.format,
            category,
            tags: q.tags.join(", "),
            default_mark: trimmed(q.default_mark.as_f64()),
            general_feedback: q.general_feedback.text.clone(),
            single: q.single,
            shuffle: q.shuffle,
            case_sensitive: q.case_sensitive,
            correct: match (q.kind, q.answers.first()) {
                (QuestionKind::TrueFalse, Some(a)) => (a.fraction == Fraction::FULL).to_string(),
                _ => String::new(),
            },
            answers: q
                .answers
                .iter()
                .filter(|_| q.kind != QuestionKind::TrueFalse)
                .map(|a| AnswerRow {
                    text: a.text.text.clone(),
                    fraction: a.fraction.percent_text(),
                    feedback: a.feedback.text.clone(),
                    tolerance: a.tolerance.map(trimmed).unwrap_or_default(),
                })
                .collect(),
            pairs: q
                .pairs
                .iter()
                .map(|p| PairRow {
                    item: p.item.text.clone(),
                    answer: p.answer.clone(),
                })
                .collect(),
        }
    }

    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let kind = QuestionKind::parse(&get("type")).unwrap_or(QuestionKind::MultiChoice);
        let mut f = Self::blank(kind, get("category"));
        f.name = get("name");
        f.text = get("text");
        f.format = TextFormat::parse(&get("format")).unwrap_or(TextFormat::Markdown);
        f.tags = get("tags");
        f.default_mark = get("default_mark");
        f.general_feedback = get("general_feedback");
        f.single = get("single") == "on";
        f.shuffle = get("shuffle") == "on";
        f.case_sensitive = get("case_sensitive") == "on";
        f.correct = get("correct");
        // Rows come numbered (`answer_text_0`, ...): each row's fields by its number.
        let row = |prefix: &str| {
            let mut n = 0;
            for (k, _) in pairs {
                if let Some(i) = k.strip_prefix(prefix).and_then(|i| i.parse::<usize>().ok()) {
                    n = n.max(i + 1);
                }
            }
            n.min(200)
        };
        f.answers = (0..row("answer_text_"))
            .map(|i| AnswerRow {
                text: get(&format!("answer_text_{i}")),
                fraction: get(&format!("answer_fraction_{i}")),
                feedback: get(&format!("answer_feedback_{i}")),
                tolerance: get(&format!("answer_tolerance_{i}")),
            })
            .collect();
        f.pairs = (0..row("pair_answer_"))
            .map(|i| PairRow {
                item: get(&format!("pair_item_{i}")),
                answer: get(&format!("pair_answer_{i}")),
            })
            .collect();
        f
    }

    /// The question the form describes (rows left blank are no answers), or the errors of
    /// values that are no numbers. A changed question (`base`) keeps what the form does not
    /// show: its penalty, hints, combined feedback, notes for graders, idnumber, a true/false's
    /// feedback and each answer's format.
    fn question(&self, l: &Layout<'_>, base: Option<&Question>) -> Result<Question, FieldErrors> {
        let mut errors = FieldErrors::default();
        let say = |key: &'static str| l.say(&educenter_services::Msg::new(key));
        let fmt = self.format;
        let mut q = match base {
            Some(b) => Question {
                name: self.name.trim().to_owned(),
                text: RichText::new(self.text.trim(), fmt),
                answers: Vec::new(),
                pairs: Vec::new(),
                ..b.clone()
            },
            None => Question::new(
                self.kind,
                self.name.trim(),
                RichText::new(self.text.trim(), fmt),
            ),
        };
        // An answer's formats: those of the answer at its place before, if any.
        let kept = |i: usize| base.and_then(|b| b.answers.get(i));
        q.general_feedback = RichText::new(self.general_feedback.trim(), fmt);
        // A description is worth nothing (its form has no marks).
        if self.kind == QuestionKind::Description {
            q.default_mark = Mark::ZERO;
        } else {
            match Mark::parse_decimal(&self.default_mark.replace(',', ".")) {
                Some(m) => q.default_mark = m,
                None => errors.set("default_mark", say("err-question-mark")),
            }
        }
        q.single = self.single;
        q.shuffle = self.shuffle;
        q.case_sensitive = self.case_sensitive;
        // A page's choices are plain words unless the question is written in HTML or Moodle's
        // format (an imported one).
        let answer_format = match (self.kind, fmt) {
            (QuestionKind::ShortAnswer | QuestionKind::Numerical, _)
            | (_, TextFormat::Markdown) => TextFormat::Plain,
            (_, other) => other,
        };
        match self.kind {
            QuestionKind::TrueFalse => {
                let correct = match self.correct.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        errors.set("correct", l.t("question-correct-missing"));
                        true
                    }
                };
                let answer = |i: usize, word: &str, good: bool| Answer {
                    text: RichText::new(word, TextFormat::Plain),
                    fraction: if good { Fraction::FULL } else { Fraction::ZERO },
                    feedback: kept(i).map_or(RichText::empty(fmt), |a| a.feedback.clone()),
                    tolerance: None,
                };
                q.answers = vec![answer(0, "true", correct), answer(1, "false", !correct)];
            }
            QuestionKind::MultiChoice | QuestionKind::ShortAnswer | QuestionKind::Numerical => {
                for (i, row) in self.answers.iter().enumerate() {
                    if row.text.trim().is_empty() {
                        continue;
                    }
                    let Some(fraction) = Fraction::parse_decimal(&row.fraction, true) else {
                        errors.set("answers", say("err-question-fraction"));
                        continue;
                    };
                    let tolerance = if self.kind == QuestionKind::Numerical {
                        let t = row.tolerance.trim().replace(',', ".");
                        match t.parse::<f64>() {
                            Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
                            _ if t.is_empty() => Some(0.0),
                            _ => {
                                errors.set("answers", say("err-question-tolerance"));
                                None
                            }
                        }
                    } else {
                        None
                    };
                    // A number may be written with a decimal comma, as people here write it.
                    let text = if self.kind == QuestionKind::Numerical {
                        row.text.trim().replace(',', ".")
                    } else {
                        row.text.trim().to_owned()
                    };
                    let (text_format, feedback_format) = kept(i)
                        .map_or((answer_format, fmt), |a| (a.text.format, a.feedback.format));
                    q.answers.push(Answer {
                        text: RichText::new(text, text_format),
                        fraction,
                        feedback: RichText::new(row.feedback.trim(), feedback_format),
                        tolerance,
                    });
                }
            }
            QuestionKind::Matching => {
                let item_format = |i: usize| {
                    base.and_then(|b| b.pairs.get(i))
                        .map_or(answer_format, |p| p.item.format)
                };
                q.pairs = self
                    .pairs
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| !p.answer.trim().is_empty())
                    .map(|(i, p)| MatchPair {
                        item: RichText::new(p.item.trim(), item_format(i)),
                        answer: p.answer.trim().to_owned(),
                    })
                    .collect();
            }
            QuestionKind::Essay | QuestionKind::Description => {}
        }
        q.tags = self
            .tags
            .split(',')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        if errors.has_any() { Err(errors) } else { Ok(q) }
    }
}

/// A number as people write it: `1`, `2.5`, `0.01`.
fn trimmed(v: f64) -> String {
    let s = format!("{v:.7}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[derive(Template)]
#[template(path = "question_edit.html")]
struct EditPage<'a> {
    l: Layout<'a>,
    /// The question's id; `None` for a new one.
    id: Option<String>,
    kind: QuestionKind,
    kind_name: String,
    format: TextFormat,
    fields: Vec<Field>,
    single: bool,
    shuffle: bool,
    case_sensitive: bool,
    correct: String,
    answers: Vec<AnswerRow>,
    pairs: Vec<PairRow>,
    /// (value, label) of the shares of the mark a choice may have.
    fractions: Vec<(String, String)>,
    /// The bank's category paths, offered as the category's suggestions.
    paths: Vec<String>,
    answers_error: Option<String>,
    correct_error: Option<String>,
    form_error: Option<String>,
}

impl EditPage<'_> {
    fn action(&self) -> String {
        match &self.id {
            Some(id) => format!("/cabinet/questions/{id}"),
            None => "/cabinet/questions/new".to_owned(),
        }
    }

    fn has_answers(&self) -> bool {
        matches!(
            self.kind,
            QuestionKind::MultiChoice | QuestionKind::ShortAnswer | QuestionKind::Numerical
        )
    }
}

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    id: Option<String>,
    form: QuestionForm,
    errors: FieldErrors,
) -> PageResult {
    let services = state.services();
    let mut paths: Vec<String> = bank::paths(&bank::categories(services, who).await?)
        .into_values()
        .collect();
    paths.sort();
    let path = match &id {
        Some(id) => format!("/cabinet/questions/{id}"),
        None => "/cabinet/questions/new".to_owned(),
    };
    let l = Layout::for_user(state, headers, &path, who);
    let mut fields = vec![
        Field::new(&l, "name", "text").value(form.name.clone()),
        Field::labelled("text", "textarea", l.t("question-field-text")).value(form.text.clone()),
        Field::labelled("category", "text", l.t("question-field-category"))
            .value(form.category.clone())
            .list("category-paths")
            .optional(),
        Field::labelled("tags", "text", l.t("question-field-tags"))
            .value(form.tags.clone())
            .optional(),
    ];
    if form.kind != QuestionKind::Description {
        fields.push(
            Field::labelled("default_mark", "text", l.t("question-field-mark"))
                .value(form.default_mark.clone()),
        );
    }
    fields.push(
        Field::labelled(
            "general_feedback",
            "textarea",
            l.t("question-field-feedback"),
        )
        .value(form.general_feedback.clone())
        .optional(),
    );
    errors.apply(&mut fields);
    let mut answers = form.answers.clone();
    let mut pairs = form.pairs.clone();
    let spare = answers.len() + SPARE_ROWS;
    let first_new = answers.is_empty();
    answers.resize(spare.max(4), AnswerRow::default());
    if first_new && let Some(a) = answers.first_mut() {
        a.fraction = "100".into();
    }
    for a in &mut answers {
        if a.fraction.is_empty() {
            a.fraction = "0".into();
        }
    }
    let spare = pairs.len() + SPARE_ROWS;
    pairs.resize(spare.max(4), PairRow::default());
    let status = if errors.has_any() || errors.form.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = EditPage {
        id,
        kind: form.kind,
        kind_name: l.t(&format!("question-type-{}", form.kind)),
        format: form.format,
        fields,
        single: form.single,
        shuffle: form.shuffle,
        case_sensitive: form.case_sensitive,
        correct: form.correct.clone(),
        answers,
        pairs,
        fractions: Fraction::options()
            .into_iter()
            .map(|f| (f.percent_text(), format!("{} %", f.percent_text())))
            .collect(),
        paths,
        answers_error: errors.get("answers").or_else(|| errors.get("pairs")),
        correct_error: errors.get("correct"),
        form_error: errors.form.clone(),
        l,
    };
    Ok(page.l.render(status, &page))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct NewQuery {
    #[serde(rename = "type")]
    kind: String,
    category: String,
}

/// A new question's form, of the type asked for.
pub(super) async fn new_form(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Query(q): Query<NewQuery>,
    headers: HeaderMap,
) -> PageResult {
    let kind = QuestionKind::parse(&q.kind).unwrap_or(QuestionKind::MultiChoice);
    let form = QuestionForm::blank(kind, q.category);
    render(&state, &headers, &who, None, form, FieldErrors::default()).await
}

/// A question's own page.
pub(super) async fn edit_form(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let stored = bank::get(state.services(), &who, &id).await?;
    let paths = bank::paths(&bank::categories(state.services(), &who).await?);
    let category = paths.get(&stored.category_id).cloned().unwrap_or_default();
    let form = QuestionForm::of(&stored.question, category);
    render(
        &state,
        &headers,
        &who,
        Some(id),
        form,
        FieldErrors::default(),
    )
    .await
}

pub(super) async fn create(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    save(&state, &headers, &who, (None, None), pairs, origin).await
}

pub(super) async fn update(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    // Another school's question (or none) is "not found" before its form is read.
    let stored = bank::get(state.services(), &who, &id).await?;
    let mut pairs = pairs;
    // A question keeps its type and the format of its texts.
    pairs.retain(|(k, _)| k != "type" && k != "format");
    pairs.push(("type".into(), stored.question.kind.as_str().into()));
    pairs.push(("format".into(), stored.question.text.format.as_str().into()));
    let base = Some(stored.question);
    save(&state, &headers, &who, (Some(id), base), pairs, origin).await
}

async fn save(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    (id, base): (Option<String>, Option<Question>),
    pairs: Vec<(String, String)>,
    origin: ClientOrigin,
) -> PageResult {
    let l = Layout::new(state, headers, "/cabinet/questions");
    let form = QuestionForm::from_pairs(&pairs);
    // "More rows": the form again with three more blank rows, nothing saved.
    if pairs.iter().any(|(k, _)| k == "more") {
        return render(state, headers, who, id, form, FieldErrors::default()).await;
    }
    let q = match form.question(&l, base.as_ref()) {
        Ok(q) => q,
        Err(errors) => return render(state, headers, who, id, form, errors).await,
    };
    let category = Some(form.category.as_str()).filter(|c| !c.trim().is_empty());
    match bank::save(state.services(), who, id.as_deref(), category, q, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            state,
            "/cabinet/questions",
            if id.is_some() {
                "question-saved"
            } else {
                "question-created"
            },
        )),
        Err(ServiceError::Invalid(found)) => {
            let map = [
                ("name", "name"),
                ("text", "text"),
                ("tags", "tags"),
                ("answers", "answers"),
                ("pairs", "answers"),
                ("default_mark", "default_mark"),
                ("correct", "correct"),
            ];
            let errors = FieldErrors::from_service(&l, found, &map);
            render(state, headers, who, id, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
