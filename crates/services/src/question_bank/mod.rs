//! The school's question bank (issue 19, item 2): categories in a tree, questions of the types
//! a quiz asks, and imports from Moodle's GIFT and Moodle XML. An import is all or nothing, as
//! Moodle's: a file with a question that cannot be saved imports none, unless the request
//! asks to skip the invalid ones; every refused question is reported with its reason.

mod categories;
pub mod gift;
pub mod moodle_xml;
mod moodle_xml_out;
pub use categories::*;

use educenter_domain::questions::{self, ImportFormat, Question, QuestionError, RichText};
use educenter_domain::roles::TenantAction;
use educenter_store::{
    audit::{self, Origin},
    page::{Page, PageRequest},
    question_bank::{self as store, Category, Filter, Stored},
};

use crate::{Msg, ServiceError, Services, access::Principal};

/// The most questions one import takes: a larger file is refused whole (split it).
pub const MAX_QUESTIONS: usize = 2000;

/// The category questions go to when neither the request nor the file names one.
pub const DEFAULT_CATEGORY: &str = "Default";

/// One thing a file holds: a category to put the next questions in, a question, or a
/// question that cannot be read.
#[derive(Debug, Clone)]
pub enum Item {
    Category {
        /// From the top of the bank: `["Sigma", "Tau"]`.
        path: Vec<String>,
        info: Option<RichText>,
        idnumber: Option<String>,
    },
    Question(Box<Question>),
    Error {
        name: String,
        error: ImportError,
    },
}

/// Why a file or a question of it is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportError {
    NotUtf8,
    /// A NUL character: no text of a question may hold one.
    Nul,
    BadXml(String),
    TooDeep,
    TooMany,
    Braces,
    TooFewAnswers,
    MatchingFormat,
    NoNumericalAnswers,
    NotNumbers,
    UnsupportedType(String),
    NoName,
    BadFraction(String),
    Check(QuestionError),
}

impl ImportError {
    /// The message, in the reader's language when rendered.
    pub fn msg(&self) -> Msg {
        match self {
            Self::NotUtf8 => Msg::new("err-import-not-utf8"),
            Self::BadXml(detail) => Msg::new("err-import-bad-xml").text("detail", detail.clone()),
            Self::TooDeep => Msg::new("err-import-too-deep"),
            Self::Nul => Msg::control_chars(),
            Self::TooMany => Msg::new("err-import-too-many").num("max", MAX_QUESTIONS as i64),
            Self::Braces => Msg::new("err-question-braces"),
            Self::TooFewAnswers => Msg::new("err-question-too-few-answers"),
            Self::MatchingFormat => Msg::new("err-question-matching-format"),
            Self::NoNumericalAnswers => Msg::new("err-question-no-numbers"),
            Self::NotNumbers => Msg::new("err-question-not-numbers"),
            Self::UnsupportedType(t) => Msg::new("err-question-type").text("type", t.clone()),
            Self::NoName => Msg::new("err-question-no-name"),
            Self::BadFraction(v) => Msg::new("err-question-bad-fraction").text("value", v.clone()),
            Self::Check(e) => check_msg(e),
        }
    }
}

fn check_msg(e: &QuestionError) -> Msg {
    match e {
        QuestionError::NoName => Msg::new("err-question-no-name"),
        QuestionError::BadName => Msg::new("err-question-name"),
        QuestionError::BadTag(t) => Msg::new("err-question-tag").text("tag", t.clone()),
        QuestionError::BadTolerance => Msg::new("err-question-tolerance"),
        QuestionError::NoText => Msg::new("err-question-no-text"),
        QuestionError::GradeOptions(g) => {
            Msg::new("err-question-grade-options").text("grades", g.clone())
        }
        QuestionError::FractionsSum(s) => {
            Msg::new("err-question-fractions-sum").text("sum", s.clone())
        }
        QuestionError::NoFullChoice => Msg::new("err-question-no-full-choice"),
        QuestionError::TooFewAnswers(n) => {
            Msg::new("err-question-answers-needed").num("count", *n as i64)
        }
        QuestionError::NotANumber(v) => {
            Msg::new("err-question-not-a-number").text("value", v.clone())
        }
        QuestionError::TooFewPairs => Msg::new("err-question-too-few-pairs"),
    }
}

/// A category path as GIFT and Moodle XML write it: `$course$/top/Sigma/Tau` (a `$...$`
/// context and `top` are Moodle's; `//` is a slash within a name).
pub fn category_path(text: &str) -> Vec<String> {
    let held = text.replace("//", "\u{E02F}");
    let mut parts: Vec<String> = held
        .split('/')
        .map(|p| p.replace('\u{E02F}', "/").trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    if parts
        .first()
        .is_some_and(|p| p.len() > 1 && p.starts_with('$') && p.ends_with('$'))
    {
        parts.remove(0);
    }
    if parts.first().is_some_and(|p| p == "top") {
        parts.remove(0);
    }
    parts
}

/// A name without markup (a `<` before a space is kept, as PHP's `strip_tags` keeps it), at
/// most 255 characters.
pub fn clean_name(name: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' if !in_tag
                && chars
                    .peek()
                    .is_some_and(|n| n.is_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                in_tag = true
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().chars().take(255).collect()
}

/// Reads a file of `format` into its items.
pub fn read(format: ImportFormat, bytes: &[u8]) -> Result<Vec<Item>, ImportError> {
    if bytes.contains(&0) {
        return Err(ImportError::Nul);
    }
    match format {
        ImportFormat::Gift => gift::read_file(bytes),
        ImportFormat::MoodleXml => moodle_xml::read_file(bytes),
    }
}

/// What to import.
#[derive(Debug, Clone)]
pub struct ImportInput {
    pub format: ImportFormat,
    /// The category (a path, `A/B`) questions go to until the file names one; made when missing.
    pub category: Option<String>,
    pub content: Vec<u8>,
    /// Import the valid questions of a file that holds invalid ones.
    pub skip_invalid: bool,
}

/// A question of the file that was not imported: its place among the file's questions (from
/// 0), its name and why.
#[derive(Debug, Clone)]
pub struct Refused {
    pub index: usize,
    pub name: String,
    pub message: Msg,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub imported: Vec<Stored>,
    pub refused: Vec<Refused>,
}

fn editor(who: &Principal) -> Result<educenter_domain::ids::TenantId, ServiceError> {
    who.require_write()?;
    Ok(crate::access::require_tenant(who, TenantAction::EditContent)?.clone())
}

/// Imports a file into the school's bank. Refused whole (nothing imported) when the file does
/// not read or holds no question (an error), or holds a question that cannot be saved (the
/// refused questions, unless `skip_invalid`).
pub async fn import(
    services: &Services,
    who: &Principal,
    input: ImportInput,
    origin: Origin,
) -> Result<Result<ImportReport, Vec<Refused>>, ServiceError> {
    let tenant = editor(who)?;
    let file_error = |e: ImportError| ServiceError::Invalid(vec![("content".into(), e.msg())]);
    let items = read(input.format, &input.content).map_err(file_error)?;
    let base = input
        .category
        .as_deref()
        .map(category_path)
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| vec![DEFAULT_CATEGORY.to_owned()]);
    // Each question with the category it goes to, or why it is refused.
    let mut accepted: Vec<(Vec<String>, Question)> = Vec::new();
    let mut categories: Vec<(Vec<String>, Option<RichText>, Option<String>)> = Vec::new();
    let mut refused = Vec::new();
    let mut current = base.clone();
    let mut index = 0;
    for item in items {
        match item {
            Item::Category {
                path,
                info,
                idnumber,
            } => {
                current = if path.is_empty() { base.clone() } else { path };
                categories.push((current.clone(), info, idnumber));
            }
            Item::Question(mut q) => {
                questions::tidy(&mut q);
                let problems = questions::check(&q);
                match problems.into_iter().next() {
                    None => accepted.push((current.clone(), *q)),
                    Some(p) => refused.push(Refused {
                        index,
                        name: q.name.clone(),
                        message: check_msg(&p),
                    }),
                }
                index += 1;
            }
            Item::Error { name, error } => {
                refused.push(Refused {
                    index,
                    name,
                    message: error.msg(),
                });
                index += 1;
            }
        }
    }
    if index > MAX_QUESTIONS {
        return Err(ServiceError::Invalid(vec![(
            "content".into(),
            ImportError::TooMany.msg(),
        )]));
    }
    if index == 0 {
        return Err(ServiceError::Invalid(vec![(
            "content".into(),
            Msg::new("err-import-empty"),
        )]));
    }
    if !refused.is_empty() && (!input.skip_invalid || accepted.is_empty()) {
        return Ok(Err(refused));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let mut ids: std::collections::HashMap<Vec<String>, String> = Default::default();
    for (path, info, idnumber) in &categories {
        let id = ensure_path(
            &mut tx,
            &tenant,
            path,
            info.as_ref(),
            idnumber.as_deref(),
            now,
        )
        .await?;
        ids.insert(path.clone(), id);
    }
    let mut imported = Vec::with_capacity(accepted.len());
    for (path, q) in accepted {
        let category = match ids.get(&path) {
            Some(id) => id.clone(),
            None => {
                let id = ensure_path(&mut tx, &tenant, &path, None, None, now).await?;
                ids.insert(path, id.clone());
                id
            }
        };
        let id = store::insert(&mut tx, &tenant, &category, &q, &who.user_id, now).await?;
        imported.push(Stored {
            id,
            category_id: category,
            question: q,
            created_at: now,
            updated_at: now,
        });
    }
    let entry = who
        .audit("questions.import")
        .tenant(tenant.clone())
        .origin(origin)
        .details(serde_json::json!({
            "format": input.format, "imported": imported.len(), "refused": refused.len(),
        }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Ok(ImportReport { imported, refused }))
}

/// The category at `path` from the top, each step made when missing; only the last gets the
/// info and idnumber.
async fn ensure_path(
    conn: &mut educenter_store::Conn,
    tenant: &educenter_domain::ids::TenantId,
    path: &[String],
    info: Option<&RichText>,
    idnumber: Option<&str>,
    now: jiff::Timestamp,
) -> Result<String, ServiceError> {
    let mut parent: Option<String> = None;
    for (i, name) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        let id = store::ensure_category(
            conn,
            tenant,
            parent.as_deref(),
            name,
            info.filter(|_| last),
            idnumber.filter(|_| last),
            now,
        )
        .await?;
        parent = Some(id);
    }
    parent.ok_or_else(|| ServiceError::Internal("a category path with no name".into()))
}

/// The school's categories, parents first.
pub async fn categories(
    services: &Services,
    who: &Principal,
) -> Result<Vec<Category>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::EditContent)?.clone();
    let mut conn = services.db.conn().await?;
    Ok(store::categories(&mut conn, &tenant).await?)
}

/// A page of the school's questions.
pub async fn list(
    services: &Services,
    who: &Principal,
    filter: &Filter,
    req: &PageRequest,
) -> Result<Page<Stored>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::EditContent)?.clone();
    let mut conn = services.db.conn().await?;
    Ok(store::list_page(&mut conn, &tenant, filter, req).await?)
}

/// The school's questions of these ids (those that exist), in no particular order.
pub async fn get_many(
    services: &Services,
    who: &Principal,
    ids: &[String],
) -> Result<Vec<Stored>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::EditContent)?.clone();
    let mut conn = services.db.conn().await?;
    Ok(store::get_many(&mut conn, &tenant, ids).await?)
}

/// Each category's path of names from the top of the bank ("Top / Algebra"), by id.
pub fn paths(categories: &[Category]) -> std::collections::HashMap<String, String> {
    let by_id: std::collections::HashMap<&str, &Category> =
        categories.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut paths = std::collections::HashMap::new();
    for c in categories {
        let mut names = vec![c.name.as_str()];
        let mut parent = c.parent_id.as_deref();
        // A tree has no cycles; the bound keeps a damaged one from looping.
        for _ in 0..64 {
            let Some(p) = parent.and_then(|p| by_id.get(p)) else {
                break;
            };
            names.push(p.name.as_str());
            parent = p.parent_id.as_deref();
        }
        names.reverse();
        paths.insert(c.id.clone(), names.join(" / "));
    }
    paths
}

/// One question.
pub async fn get(services: &Services, who: &Principal, id: &str) -> Result<Stored, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::EditContent)?.clone();
    let mut conn = services.db.conn().await?;
    store::get(&mut conn, &tenant, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-question")))
}

/// Saves a question written through the API or a form: new (`id` `None`) or replacing one.
/// It goes to the category at `category` (a path), made when missing.
pub async fn save(
    services: &Services,
    who: &Principal,
    id: Option<&str>,
    category: Option<&str>,
    q: Question,
    origin: Origin,
) -> Result<Stored, ServiceError> {
    let tenant = editor(who)?;
    let mut q = q;
    questions::tidy(&mut q);
    let problems = questions::check(&q);
    if !problems.is_empty() {
        return Err(ServiceError::Invalid(
            problems
                .iter()
                .map(|p| (field_of(p).to_owned(), check_msg(p)))
                .collect(),
        ));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let path = category
        .map(category_path)
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| vec![DEFAULT_CATEGORY.to_owned()]);
    let category_id = ensure_path(&mut tx, &tenant, &path, None, None, now).await?;
    let (id, created_at, action) = match id {
        None => {
            let id = store::insert(&mut tx, &tenant, &category_id, &q, &who.user_id, now).await?;
            (id, now, "questions.create")
        }
        Some(id) => {
            let before = store::get(&mut tx, &tenant, id)
                .await?
                .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-question")))?;
            store::update(&mut tx, &tenant, id, &category_id, &q, now).await?;
            (id.to_owned(), before.created_at, "questions.update")
        }
    };
    let entry = who
        .audit(action)
        .tenant(tenant.clone())
        .target("question", id.clone())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Stored {
        id,
        category_id,
        question: q,
        created_at,
        updated_at: now,
    })
}

/// Deletes a question from the bank.
pub async fn delete(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let tenant = editor(who)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if !store::delete(&mut tx, &tenant, id).await? {
        return Err(ServiceError::NotFound(Msg::new("err-no-question")));
    }
    let entry = who
        .audit("questions.delete")
        .tenant(tenant.clone())
        .target("question", id.to_owned())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The request field a problem is about.
fn field_of(e: &QuestionError) -> &'static str {
    match e {
        QuestionError::NoName | QuestionError::BadName => "name",
        QuestionError::BadTag(_) => "tags",
        QuestionError::NoText => "text",
        QuestionError::TooFewPairs => "pairs",
        _ => "answers",
    }
}

/// The most questions one export holds.
pub const EXPORT_LIMIT: i64 = 10_000;

/// The bank (or one category with its subcategories: `category` is its id or its path of
/// names) as a Moodle XML file; answers the file and how many questions it holds. A category
/// that does not exist is "not found".
pub async fn export(
    services: &Services,
    who: &Principal,
    category: Option<&str>,
) -> Result<(String, usize), ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::EditContent)?.clone();
    let mut conn = services.db.conn().await?;
    let all = store::categories(&mut conn, &tenant).await?;
    let root = match category.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(
            category_by_id_or_path(&all, c)
                .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-category")))?,
        ),
    };
    // The categories exported: all, or the root and whatever lies under it.
    let under = |id: &str| -> bool {
        let Some(root) = root.as_deref() else {
            return true;
        };
        let mut at = Some(id);
        for _ in 0..64 {
            match at {
                Some(a) if a == root => return true,
                Some(a) => {
                    at = all
                        .iter()
                        .find(|c| c.id == a)
                        .and_then(|c| c.parent_id.as_deref())
                }
                None => return false,
            }
        }
        false
    };
    let ids: Vec<String> = all
        .iter()
        .filter(|c| under(&c.id))
        .map(|c| c.id.clone())
        .collect();
    // The whole bank at once; a subtree in runs of categories (a query binds at most 200).
    let mut questions = Vec::new();
    if root.is_none() {
        questions = store::all_in(&mut conn, &tenant, None, EXPORT_LIMIT + 1).await?;
    } else {
        for chunk in ids.chunks(150) {
            let room = EXPORT_LIMIT + 1 - questions.len() as i64;
            if room <= 0 {
                break;
            }
            questions.extend(store::all_in(&mut conn, &tenant, Some(chunk), room).await?);
        }
    }
    if questions.len() as i64 > EXPORT_LIMIT {
        return Err(ServiceError::Invalid(vec![(
            "category".into(),
            Msg::new("err-export-too-many").num("max", EXPORT_LIMIT),
        )]));
    }
    let mut groups = Vec::new();
    let mut count = 0;
    for c in all.iter().filter(|c| under(&c.id)) {
        let qs: Vec<&educenter_domain::questions::Question> = questions
            .iter()
            .filter(|q| q.category_id == c.id)
            .map(|q| &q.question)
            .collect();
        count += qs.len();
        groups.push((names_of(&all, &c.id), qs));
    }
    Ok((moodle_xml_out::write_file(&groups), count))
}

/// A category's names from the top of the bank.
fn names_of(all: &[Category], id: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut at = Some(id);
    for _ in 0..64 {
        let Some(c) = at.and_then(|a| all.iter().find(|c| c.id == a)) else {
            break;
        };
        names.push(c.name.clone());
        at = c.parent_id.as_deref();
    }
    names.reverse();
    names
}

/// The category whose id is `text`, or whose path of names (`Top/Algebra`) it is.
fn category_by_id_or_path(all: &[Category], text: &str) -> Option<String> {
    if let Some(c) = all.iter().find(|c| c.id == text) {
        return Some(c.id.clone());
    }
    let mut parent: Option<&str> = None;
    for name in category_path(text) {
        let c = all
            .iter()
            .find(|c| c.parent_id.as_deref() == parent && c.name == name)?;
        parent = Some(&c.id);
    }
    parent.map(str::to_owned)
}
