//! Moodle XML (`<quiz><question type="...">`), read as Moodle 4.5 reads it
//! (`question/format/xml/format.php`) for the types the bank keeps, and category elements.
//! Every value is trimmed; a text without a `format` takes the question text's (html when the
//! question text names none either).

use educenter_domain::questions::{
    Answer, Fraction, Mark, MatchPair, Question, QuestionKind, RichText, TextFormat,
};
use quick_xml::events::Event;

use super::{ImportError, Item};

/// An element: its name, attributes and children.
#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    El(El),
    Text(String),
}

impl El {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> Option<&El> {
        self.children.iter().find_map(|n| match n {
            Node::El(e) if e.name == name => Some(e),
            _ => None,
        })
    }

    fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
        self.children.iter().filter_map(move |n| match n {
            Node::El(e) if e.name == name => Some(e),
            _ => None,
        })
    }

    /// The element's own text, trimmed.
    fn text(&self) -> String {
        let mut out = String::new();
        for n in &self.children {
            if let Node::Text(t) = n {
                out.push_str(t);
            }
        }
        out.trim().to_owned()
    }

    /// The text of the child `name`, trimmed; `None` when there is no such child.
    fn value(&self, name: &str) -> Option<String> {
        self.child(name).map(El::text)
    }

    /// `<x format="html"><text>...</text></x>`: the child `name`'s rich text.
    fn rich(&self, name: &str, default: TextFormat) -> Option<RichText> {
        self.child(name).map(|e| e.as_rich(default))
    }

    fn as_rich(&self, default: TextFormat) -> RichText {
        let format = self.attr("format").map_or(default, format_named);
        RichText::new(self.value("text").unwrap_or_default(), format)
    }
}

/// Moodle's names of text formats; an unknown one is html.
fn format_named(word: &str) -> TextFormat {
    match word {
        "moodle_auto_format" => TextFormat::Moodle,
        "plain_text" => TextFormat::Plain,
        "markdown" => TextFormat::Markdown,
        _ => TextFormat::Html,
    }
}

/// How deep elements may nest: Moodle XML needs six levels; a deeper file is refused rather than
/// built (and dropped) as a tree that deep.
const MAX_DEPTH: usize = 32;

/// Reads the document into elements; CDATA is kept as it is, entities elsewhere are resolved.
fn document(bytes: &[u8]) -> Result<El, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::NotUtf8)?;
    let mut reader = quick_xml::Reader::from_str(text);
    let bad = |e: &dyn std::fmt::Display| ImportError::BadXml(e.to_string());
    let mut stack: Vec<El> = vec![El::default()];
    loop {
        let event = reader.read_event().map_err(|e| bad(&e))?;
        match event {
            Event::Start(e) => {
                if stack.len() > MAX_DEPTH {
                    return Err(ImportError::TooDeep);
                }
                stack.push(element(&e)?);
            }
            Event::Empty(e) => {
                let el = element(&e)?;
                push(&mut stack, Node::El(el));
            }
            Event::End(_) => {
                let el = stack.pop().ok_or_else(|| bad(&"an end without a start"))?;
                if stack.is_empty() {
                    return Err(bad(&"an end without a start"));
                }
                push(&mut stack, Node::El(el));
            }
            Event::Text(t) => {
                let s = t.xml10_content().map_err(|e| bad(&e))?;
                push(&mut stack, Node::Text(s.into_owned()));
            }
            Event::CData(c) => {
                let s = c.xml10_content().map_err(|e| bad(&e))?;
                push(&mut stack, Node::Text(s.into_owned()));
            }
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().map_err(|e| bad(&e))?.map(String::from)
                } else {
                    let name = r.decode().map_err(|e| bad(&e))?;
                    quick_xml::escape::resolve_predefined_entity(&name).map(str::to_owned)
                };
                let s = resolved.ok_or_else(|| bad(&"an unknown entity"))?;
                push(&mut stack, Node::Text(s));
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if stack.len() != 1 {
        return Err(ImportError::BadXml("an element is not closed".into()));
    }
    let root = stack.pop().unwrap_or_default();
    root.children
        .into_iter()
        .find_map(|n| match n {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
        .ok_or_else(|| ImportError::BadXml("no element".into()))
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Result<El, ImportError> {
    let bad = |e: &dyn std::fmt::Display| ImportError::BadXml(e.to_string());
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|e| bad(&e))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| bad(&e))?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(El {
        name,
        attrs,
        children: Vec::new(),
    })
}

fn push(stack: &mut [El], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.children.push(node);
    }
}

/// Reads a whole file: `<quiz>` with its questions and categories.
pub fn read_file(bytes: &[u8]) -> Result<Vec<Item>, ImportError> {
    let root = document(bytes)?;
    if root.name != "quiz" {
        return Err(ImportError::BadXml("the document is not a <quiz>".into()));
    }
    Ok(root.children_named("question").map(read_question).collect())
}

/// Reads one `<question>` element.
fn read_question(q: &El) -> Item {
    let kind_word = q.attr("type").unwrap_or_default();
    if kind_word == "category" {
        let path = q
            .child("category")
            .and_then(|c| c.value("text"))
            .unwrap_or_default();
        return Item::Category {
            path: super::category_path(&path),
            info: q.rich("info", TextFormat::Moodle),
            idnumber: q.value("idnumber").filter(|i| !i.is_empty()),
        };
    }
    let name = q
        .child("name")
        .and_then(|n| n.value("text"))
        .map(|n| super::clean_name(&n))
        .unwrap_or_default();
    let kind = match kind_word {
        "multichoice" => QuestionKind::MultiChoice,
        "truefalse" => QuestionKind::TrueFalse,
        "shortanswer" => QuestionKind::ShortAnswer,
        "numerical" => QuestionKind::Numerical,
        "matching" | "match" => QuestionKind::Matching,
        "essay" => QuestionKind::Essay,
        "description" => QuestionKind::Description,
        other => {
            return Item::Error {
                name,
                error: ImportError::UnsupportedType(other.to_owned()),
            };
        }
    };
    match question(q, kind, name.clone()) {
        Ok(question) => Item::Question(Box::new(question)),
        Err(error) => Item::Error { name, error },
    }
}

fn question(q: &El, kind: QuestionKind, name: String) -> Result<Question, ImportError> {
    if name.is_empty() {
        return Err(ImportError::NoName);
    }
    let text = q
        .rich("questiontext", TextFormat::Html)
        .unwrap_or_else(|| RichText::empty(TextFormat::Html));
    let fmt = text.format;
    let mut out = Question::new(kind, name, text);
    if let Some(g) = q.rich("generalfeedback", fmt) {
        out.general_feedback = g;
    }
    if kind != QuestionKind::Description {
        if let Some(mark) = q.value("defaultgrade").filter(|m| !m.is_empty()) {
            out.default_mark = Mark::parse_decimal(&mark).ok_or(ImportError::NotNumbers)?;
        }
        if let Some(p) = q.value("penalty").filter(|p| !p.is_empty()) {
            let p = Fraction::parse_decimal(&p, false).ok_or(ImportError::NotNumbers)?;
            out.penalty = if (p.units() - Fraction::THIRD.units()).abs() < 50_000 {
                Fraction::THIRD
            } else {
                p
            };
        } else if kind != QuestionKind::TrueFalse {
            out.penalty = Fraction::THIRD;
        }
    }
    out.idnumber = q.value("idnumber").filter(|i| !i.is_empty());
    out.tags = q
        .child("tags")
        .map(|t| {
            t.children_named("tag")
                .filter_map(|tag| tag.value("text"))
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default();
    out.hints = q.children_named("hint").map(|h| h.as_rich(fmt)).collect();
    let flag = |name: &str, default: bool| match q.value(name).as_deref() {
        None => default,
        Some("" | "0" | "false") => false,
        Some(_) => true,
    };
    match kind {
        QuestionKind::MultiChoice => {
            out.single = flag("single", true);
            out.shuffle = flag("shuffleanswers", false);
            out.answers = answers(q, fmt, false)?;
            out.combined_feedback = Some(combined(q, fmt));
        }
        QuestionKind::TrueFalse => {
            let found = answers(q, fmt, false)?;
            let by_word = |w: &str| found.iter().find(|a| a.text.text.eq_ignore_ascii_case(w));
            let (t, f) = match (by_word("true"), by_word("false")) {
                (Some(t), Some(f)) => (t.clone(), f.clone()),
                _ => match found.as_slice() {
                    [t, f, ..] => (t.clone(), f.clone()),
                    _ => return Err(ImportError::TooFewAnswers),
                },
            };
            let is_true = t.fraction == Fraction::FULL;
            let answer = |word: &str, good: bool, feedback: RichText| Answer {
                text: RichText::new(word, TextFormat::Plain),
                fraction: if good { Fraction::FULL } else { Fraction::ZERO },
                feedback,
                tolerance: None,
            };
            out.answers = vec![
                answer("true", is_true, t.feedback),
                answer("false", !is_true, f.feedback),
            ];
        }
        QuestionKind::ShortAnswer => {
            out.case_sensitive = flag("usecase", false);
            out.answers = answers(q, fmt, false)?;
            for a in &mut out.answers {
                a.text.format = TextFormat::Plain;
            }
        }
        QuestionKind::Numerical => {
            out.answers = answers(q, fmt, true)?;
            for a in &mut out.answers {
                a.text.format = TextFormat::Plain;
            }
        }
        QuestionKind::Matching => {
            out.shuffle = flag("shuffleanswers", true);
            out.combined_feedback = Some(combined(q, fmt));
            for sub in q.children_named("subquestion") {
                out.pairs.push(MatchPair {
                    item: sub.as_rich(fmt),
                    answer: sub
                        .child("answer")
                        .and_then(|a| a.value("text"))
                        .unwrap_or_default(),
                });
            }
        }
        QuestionKind::Essay => {
            out.grader_info = q.rich("graderinfo", fmt);
        }
        QuestionKind::Description => {}
    }
    Ok(out)
}

fn answers(q: &El, fmt: TextFormat, numeric: bool) -> Result<Vec<Answer>, ImportError> {
    let mut out = Vec::new();
    for a in q.children_named("answer") {
        let raw = a
            .value("fraction")
            .or_else(|| a.attr("fraction").map(str::to_owned))
            .unwrap_or_else(|| "0".to_owned());
        let fraction = Fraction::parse_decimal(&raw, true)
            .ok_or_else(|| ImportError::BadFraction(raw.clone()))?
            .snap_to_option();
        let tolerance = if numeric {
            match a.value("tolerance") {
                None => Some(0.0),
                Some(t) if t.is_empty() => None,
                Some(t) => Some(t.parse::<f64>().map_err(|_| ImportError::NotNumbers)?),
            }
        } else {
            None
        };
        out.push(Answer {
            text: a.as_rich(fmt),
            fraction,
            feedback: a
                .rich("feedback", fmt)
                .unwrap_or_else(|| RichText::empty(fmt)),
            tolerance,
        });
    }
    Ok(out)
}

fn combined(q: &El, fmt: TextFormat) -> [RichText; 3] {
    let get = |name: &str| q.rich(name, fmt).unwrap_or_else(|| RichText::empty(fmt));
    [
        get("correctfeedback"),
        get("partiallycorrectfeedback"),
        get("incorrectfeedback"),
    ]
}
