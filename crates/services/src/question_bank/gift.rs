//! Moodle's GIFT format, read as Moodle 4.5 reads it (`question/format/gift/format.php`): a
//! file of blocks separated by blank lines, each a question or a `$CATEGORY:` line.
//!
//! ```text
//! // a comment; [id:q1] [tag:maths] in comments give the idnumber and tags
//! ::Name::[html]Question text {=right#feedback ~wrong ~%50%half ####general feedback}
//! ```

use educenter_domain::questions::{
    Answer, Fraction, MatchPair, Question, QuestionKind, RichText, TextFormat,
};

use super::{ImportError, Item};

/// Escaped characters stand for themselves; they are held as private-use characters while
/// the control characters are looked for.
const ESCAPES: [(char, char); 6] = [
    (':', '\u{E03A}'),
    ('#', '\u{E023}'),
    ('=', '\u{E03D}'),
    ('{', '\u{E07B}'),
    ('}', '\u{E07D}'),
    ('~', '\u{E07E}'),
];
const NEWLINE: char = '\u{E00A}';

/// Reads a whole file: its bytes must be UTF-8 (a file in another encoding is refused whole, as
/// Moodle does). Each line is trimmed; a blank line ends a question.
pub fn read_file(bytes: &[u8]) -> Result<Vec<Item>, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::NotUtf8)?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let text = if text.contains('\n') {
        text.replace('\r', "")
    } else {
        text.replace('\r', "\n")
    };
    let mut items = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    for line in text.split('\n').map(str::trim).chain(std::iter::once("")) {
        if line.is_empty() {
            if !block.is_empty() {
                items.extend(read_question(&block.join("\n")));
                block.clear();
            }
        } else {
            block.push(line);
        }
    }
    Ok(items)
}

/// Reads one block of lines (untrimmed, as Moodle's unit tests give them): a question, a
/// category, an error, or nothing (a block of comments).
pub fn read_question(block: &str) -> Option<Item> {
    let mut comments = String::new();
    let lines: Vec<&str> = block
        .split('\n')
        .map(|line| {
            let t = line.trim();
            if t.starts_with("//") {
                comments.push_str(t);
                comments.push('\n');
                " "
            } else {
                line
            }
        })
        .collect();
    let text = lines.join("\n");
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let text = escape(text);
    if let Some(rest) = text.strip_prefix("$CATEGORY:") {
        return Some(Item::Category {
            path: super::category_path(&unescape(rest)),
            info: None,
            idnumber: None,
        });
    }
    // `::name::`
    let (mut name, text) = match text.strip_prefix("::").and_then(|r| r.split_once("::")) {
        Some((name, rest)) => (super::clean_name(&unescape(name)), rest.trim().to_owned()),
        None => (String::new(), text.clone()),
    };
    let start = text.find('{');
    let end = text.find('}');
    let (question_text, answer_text) = match (start, end) {
        (None, None) => (text.clone(), None),
        (Some(s), Some(e)) if e > s => {
            let inside = text[s + 1..e].trim().to_owned();
            // A block that ends with its answers loses them; answers in the middle of the text
            // leave a blank to fill in.
            let q = if text.ends_with('}') {
                format!("{}{}", &text[..s], &text[e + 1..])
            } else {
                format!("{}_____{}", &text[..s], &text[e + 1..])
            };
            (q, Some(inside))
        }
        _ => {
            return Some(Item::Error {
                name: name_or_text(&name, &text),
                error: ImportError::Braces,
            });
        }
    };
    let qtext = with_format(question_text.trim(), TextFormat::Moodle);
    if name.is_empty() {
        name = default_name(&qtext.text);
    }
    let fmt = qtext.format;
    let Some(mut answers) = answer_text else {
        let mut q = Question::new(QuestionKind::Description, name, qtext);
        with_comments(&mut q, &comments);
        return Some(Item::Question(Box::new(q)));
    };
    let mut general = RichText::empty(fmt);
    if let Some(at) = answers.rfind("####") {
        general = with_format(answers[at + 4..].trim(), fmt);
        answers = answers[..at].trim().to_owned();
    }
    let kind = if answers.is_empty() {
        QuestionKind::Essay
    } else if answers.starts_with('#') {
        QuestionKind::Numerical
    } else if answers.contains('~') {
        QuestionKind::MultiChoice
    } else if answers.contains('=') && answers.contains("->") {
        QuestionKind::Matching
    } else {
        let bare = match answers.find('#') {
            Some(at) if at > 0 => answers[..at].trim(),
            _ => answers.as_str(),
        };
        if matches!(bare, "T" | "TRUE" | "F" | "FALSE") {
            QuestionKind::TrueFalse
        } else {
            QuestionKind::ShortAnswer
        }
    };
    let mut q = Question::new(kind, name.clone(), qtext);
    q.general_feedback = general;
    let built = match kind {
        QuestionKind::Essay => {
            q.grader_info = Some(RichText::empty(TextFormat::Html));
            Ok(())
        }
        QuestionKind::MultiChoice => multichoice(&mut q, &answers),
        QuestionKind::Matching => matching(&mut q, &answers),
        QuestionKind::TrueFalse => {
            truefalse(&mut q, &answers);
            Ok(())
        }
        QuestionKind::ShortAnswer => shortanswer(&mut q, &answers),
        QuestionKind::Numerical => numerical(&mut q, &answers[1..]),
        QuestionKind::Description => Ok(()),
    };
    match built {
        Ok(()) => {
            with_comments(&mut q, &comments);
            Some(Item::Question(Box::new(q)))
        }
        Err(error) => Some(Item::Error { name, error }),
    }
}

/// Holds escaped characters aside (`\\` is a backslash, `\n` a new line).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some('\\') => {
                chars.next();
                out.push('\\');
            }
            Some('n') => {
                chars.next();
                out.push(NEWLINE);
            }
            Some(next) => match ESCAPES.iter().find(|(ch, _)| *ch == next) {
                Some((_, held)) => {
                    chars.next();
                    out.push(*held);
                }
                None => out.push('\\'),
            },
            None => out.push('\\'),
        }
    }
    out
}

/// Gives escaped characters back.
fn unescape(text: &str) -> String {
    text.chars()
        .map(|c| match ESCAPES.iter().find(|(_, held)| *held == c) {
            Some((ch, _)) => *ch,
            None if c == NEWLINE => '\n',
            None => c,
        })
        .collect()
}

/// `[html]text`: the format a text names, or `default`; unescaped and trimmed.
fn with_format(text: &str, default: TextFormat) -> RichText {
    let text = text.trim();
    let (format, body) = match text.strip_prefix('[').and_then(|r| r.split_once(']')) {
        Some((word, rest)) => match word {
            "moodle" => (TextFormat::Moodle, rest),
            "html" => (TextFormat::Html, rest),
            "plain" => (TextFormat::Plain, rest),
            "markdown" => (TextFormat::Markdown, rest),
            _ => (default, text),
        },
        None => (default, text),
    };
    RichText::new(unescape(body).trim(), format)
}

fn default_name(text: &str) -> String {
    let name: String = super::clean_name(text).chars().take(80).collect();
    if name.trim().is_empty() {
        "Question".to_owned()
    } else {
        name.trim().to_owned()
    }
}

fn name_or_text(name: &str, text: &str) -> String {
    if name.is_empty() {
        default_name(&unescape(text))
    } else {
        name.to_owned()
    }
}

/// `[id:...]` and `[tag:...]` in the question's comments (`\]` is a bracket).
fn with_comments(q: &mut Question, comments: &str) {
    let mut tags = Vec::new();
    let mut idnumber = None;
    let mut rest = comments;
    while let Some(at) = rest.find('[') {
        rest = &rest[at + 1..];
        let (is_id, after) = if let Some(a) = rest.strip_prefix("id:") {
            (true, a)
        } else if let Some(a) = rest.strip_prefix("tag:") {
            (false, a)
        } else {
            continue;
        };
        let mut value = String::new();
        let mut closed = None;
        let mut chars = after.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if after[i + 1..].starts_with(']') => {
                    value.push(']');
                    chars.next();
                }
                ']' => {
                    closed = Some(i + 1);
                    break;
                }
                c if c.is_control() => break,
                c if !is_id && matches!(c, '<' | '>' | '`') => break,
                c => value.push(c),
            }
        }
        let Some(end) = closed else { continue };
        rest = &after[end..];
        let value = value.trim().to_owned();
        if is_id {
            if idnumber.is_none() && !value.is_empty() {
                idnumber = Some(value);
            }
        } else if !value.is_empty() {
            tags.push(value);
        }
    }
    q.tags = tags;
    q.idnumber = idnumber;
}

/// `%50%text`: the weight a percentage gives, and the text after it.
fn weight(answer: &str) -> Option<(Fraction, &str)> {
    let rest = answer.strip_prefix('%')?;
    let (number, after) = rest.split_once('%')?;
    let digits = number.trim_start_matches('-');
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let valid = (1..=3).contains(&whole.len())
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !valid {
        return None;
    }
    let signed = if number.starts_with('-') {
        format!("-{digits}")
    } else {
        digits.to_owned()
    };
    Some((
        Fraction::parse_decimal(&signed, true)?.snap_to_option(),
        after,
    ))
}

/// `answer#feedback`, each with its format.
fn with_feedback(answer: &str, format: TextFormat) -> (RichText, RichText) {
    match answer.split_once('#') {
        Some((a, f)) => (with_format(a, format), with_format(f, format)),
        None => (with_format(answer, format), RichText::empty(format)),
    }
}

/// The pieces of `text` split on `sep`, trimmed, an empty first one dropped.
fn pieces(text: &str, sep: char) -> Vec<String> {
    let mut out: Vec<String> = text.split(sep).map(|p| p.trim().to_owned()).collect();
    if out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    out
}

fn combined(format: TextFormat) -> Option<[RichText; 3]> {
    Some([
        RichText::empty(format),
        RichText::empty(format),
        RichText::empty(format),
    ])
}

fn multichoice(q: &mut Question, answers: &str) -> Result<(), ImportError> {
    let fmt = q.text.format;
    q.single = answers.contains('=');
    q.combined_feedback = combined(fmt);
    let list = pieces(&answers.replace('=', "~="), '~');
    if list.len() < 2 {
        return Err(ImportError::TooFewAnswers);
    }
    for answer in list {
        let (fraction, rest) = if let Some(rest) = answer.strip_prefix('=') {
            (Fraction::FULL, rest)
        } else if let Some((w, rest)) = weight(&answer) {
            (w, rest)
        } else {
            (Fraction::ZERO, answer.as_str())
        };
        let (text, feedback) = with_feedback(rest, fmt);
        q.answers.push(Answer {
            text,
            fraction,
            feedback,
            tolerance: None,
        });
    }
    Ok(())
}

fn matching(q: &mut Question, answers: &str) -> Result<(), ImportError> {
    let fmt = q.text.format;
    q.combined_feedback = combined(fmt);
    let list = pieces(answers, '=');
    if list.len() < 2 {
        return Err(ImportError::TooFewAnswers);
    }
    for pair in list {
        let Some((item, answer)) = pair.split_once("->") else {
            return Err(ImportError::MatchingFormat);
        };
        q.pairs.push(MatchPair {
            item: with_format(item, fmt),
            answer: unescape(answer).trim().to_owned(),
        });
    }
    Ok(())
}

fn truefalse(q: &mut Question, answers: &str) {
    let fmt = q.text.format;
    let mut parts = answers.splitn(3, '#');
    let word = parts.next().unwrap_or("").trim();
    let wrong = parts
        .next()
        .map_or_else(|| RichText::empty(fmt), |t| with_format(t, fmt));
    let right = parts
        .next()
        .map_or_else(|| RichText::empty(fmt), |t| with_format(t, fmt));
    let is_true = matches!(word, "T" | "TRUE");
    let (feedback_true, feedback_false) = if is_true {
        (right, wrong)
    } else {
        (wrong, right)
    };
    let answer = |text: &str, good: bool, feedback| Answer {
        text: RichText::new(text, TextFormat::Plain),
        fraction: if good { Fraction::FULL } else { Fraction::ZERO },
        feedback,
        tolerance: None,
    };
    q.answers = vec![
        answer("true", is_true, feedback_true),
        answer("false", !is_true, feedback_false),
    ];
}

fn shortanswer(q: &mut Question, answers: &str) -> Result<(), ImportError> {
    let fmt = q.text.format;
    let list = pieces(answers, '=');
    if list.is_empty() {
        return Err(ImportError::TooFewAnswers);
    }
    for answer in list {
        let (fraction, rest) = weight(&answer).unwrap_or((Fraction::FULL, answer.as_str()));
        let (text, feedback) = with_feedback(rest, fmt);
        q.answers.push(Answer {
            text: RichText::new(text.text, TextFormat::Plain),
            fraction,
            feedback,
            tolerance: None,
        });
    }
    Ok(())
}

fn numerical(q: &mut Question, answers: &str) -> Result<(), ImportError> {
    let fmt = q.text.format;
    let (answers, wrong) = match answers.find('~') {
        Some(at) => (&answers[..at], Some(&answers[at..])),
        None => (answers, None),
    };
    let list = pieces(answers, '=');
    if list.is_empty() {
        return Err(ImportError::NoNumericalAnswers);
    }
    for answer in list {
        let (fraction, rest) = weight(&answer).unwrap_or((Fraction::FULL, answer.as_str()));
        let (text, feedback) = with_feedback(rest, fmt);
        let value = text.text;
        let number = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let (answer, tolerance) = if let Some((min, max)) =
            value.split_once("..").filter(|(min, _)| !min.is_empty())
        {
            let (Some(min), Some(max)) = (number(min), number(max)) else {
                return Err(ImportError::NotNumbers);
            };
            let mid = significant(f64::midpoint(min, max));
            (decimal(mid), significant(max - mid))
        } else if let Some((value, tol)) = value.split_once(':').filter(|(v, _)| !v.is_empty()) {
            let (Some(_), Some(tol)) = (number(value), number(tol)) else {
                return Err(ImportError::NotNumbers);
            };
            (value.trim().to_owned(), tol)
        } else {
            let v = value.trim();
            if v != "*" && number(v).is_none() {
                return Err(ImportError::NotNumbers);
            }
            (v.to_owned(), 0.0)
        };
        q.answers.push(Answer {
            text: RichText::new(answer, TextFormat::Plain),
            fraction,
            feedback,
            tolerance: Some(tolerance),
        });
    }
    if let Some(wrong) = wrong {
        let (_, feedback) = with_feedback(wrong, fmt);
        q.answers.push(Answer {
            text: RichText::new("*", TextFormat::Plain),
            fraction: Fraction::ZERO,
            feedback,
            tolerance: None,
        });
    }
    Ok(())
}

/// `v` to 14 significant digits, as PHP keeps a float it prints: `1.1..1.3` is 1.2 ± 0.1, not
/// 1.2000000000000002 ± 0.09999999999999987.
fn significant(v: f64) -> f64 {
    format!("{v:.13e}").parse().unwrap_or(v)
}

/// A number as people write it: `3.1415`, `2`, not `2.0`.
fn decimal(v: f64) -> String {
    let s = format!("{v}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}
