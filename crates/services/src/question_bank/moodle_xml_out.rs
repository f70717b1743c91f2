//! The bank written as Moodle XML (`<quiz>` with a `category` element before each category's
//! questions), as Moodle 4.5 writes it (`question/format/xml/format.php`) for the types the bank
//! keeps, so that Moodle, and this bank's own import, read it back as it was.

use educenter_domain::questions::{Answer, Question, QuestionKind, RichText, TextFormat};
use quick_xml::escape::escape;

/// Moodle's name of a text format.
fn format_name(f: TextFormat) -> &'static str {
    match f {
        TextFormat::Moodle => "moodle_auto_format",
        TextFormat::Plain => "plain_text",
        TextFormat::Markdown => "markdown",
        TextFormat::Html => "html",
    }
}

/// A text XML 1.0 may hold: the characters it forbids (controls but tab, line feed and carriage
/// return; U+FFFE and U+FFFF) dropped.
fn allowed(t: &str) -> String {
    t.chars()
        .filter(|c| {
            matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && *c != '\u{FFFE}' && *c != '\u{FFFF}')
        })
        .collect()
}

/// Escaped text, a carriage return written as a reference (a reader would read it as a line
/// feed).
fn escaped(t: &str) -> String {
    escape(allowed(t).as_str()).replace('\r', "&#13;")
}

/// A text in `<text>`: HTML and anything with markup in CDATA, as Moodle writes it.
fn text(t: &str) -> String {
    let t = allowed(t);
    if t.contains(['<', '>', '&']) && !t.contains("]]>") && !t.contains('\r') {
        format!("<text><![CDATA[{t}]]></text>")
    } else {
        format!("<text>{}</text>", escaped(&t))
    }
}

fn rich(out: &mut String, tag: &str, r: &RichText) {
    out.push_str(&format!(
        "    <{tag} format=\"{}\">\n      {}\n    </{tag}>\n",
        format_name(r.format),
        text(&r.text)
    ));
}

fn value(out: &mut String, tag: &str, v: &str) {
    out.push_str(&format!("    <{tag}>{}</{tag}>\n", escaped(v)));
}

/// An answer; `numeric`: a numerical question's, which always says its tolerance (empty for
/// none, as the import reads it: a missing one is Moodle's default, 0).
fn answer(out: &mut String, a: &Answer, plain: bool, numeric: bool) {
    let format = if plain {
        TextFormat::Moodle
    } else {
        a.text.format
    };
    out.push_str(&format!(
        "    <answer fraction=\"{}\" format=\"{}\">\n      {}\n",
        a.fraction.percent_text(),
        format_name(format),
        text(&a.text.text)
    ));
    out.push_str(&format!(
        "      <feedback format=\"{}\">\n        {}\n      </feedback>\n",
        format_name(a.feedback.format),
        text(&a.feedback.text)
    ));
    if numeric {
        let t = a.tolerance.map(|t| t.to_string()).unwrap_or_default();
        out.push_str(&format!("      <tolerance>{t}</tolerance>\n"));
    }
    out.push_str("    </answer>\n");
}

fn kind_word(k: QuestionKind) -> &'static str {
    match k {
        QuestionKind::MultiChoice => "multichoice",
        QuestionKind::TrueFalse => "truefalse",
        QuestionKind::ShortAnswer => "shortanswer",
        QuestionKind::Numerical => "numerical",
        QuestionKind::Matching => "matching",
        QuestionKind::Essay => "essay",
        QuestionKind::Description => "description",
    }
}

fn combined(out: &mut String, q: &Question) {
    if let Some([right, partly, wrong]) = &q.combined_feedback {
        rich(out, "correctfeedback", right);
        rich(out, "partiallycorrectfeedback", partly);
        rich(out, "incorrectfeedback", wrong);
    }
}

/// One `<question>`.
fn question(out: &mut String, q: &Question) {
    out.push_str(&format!("  <question type=\"{}\">\n", kind_word(q.kind)));
    out.push_str(&format!(
        "    <name>\n      {}\n    </name>\n",
        text(&q.name)
    ));
    rich(out, "questiontext", &q.text);
    rich(out, "generalfeedback", &q.general_feedback);
    value(
        out,
        "defaultgrade",
        &format!("{:.7}", q.default_mark.as_f64()),
    );
    value(out, "penalty", &format!("{:.7}", q.penalty.as_f64()));
    value(out, "hidden", "0");
    value(out, "idnumber", q.idnumber.as_deref().unwrap_or_default());
    let flag = |b: bool| if b { "true" } else { "false" };
    match q.kind {
        QuestionKind::MultiChoice => {
            value(out, "single", flag(q.single));
            value(out, "shuffleanswers", flag(q.shuffle));
            value(out, "answernumbering", "abc");
            combined(out, q);
            for a in &q.answers {
                answer(out, a, false, false);
            }
        }
        QuestionKind::TrueFalse => {
            for a in &q.answers {
                answer(out, a, true, false);
            }
        }
        QuestionKind::ShortAnswer => {
            value(out, "usecase", if q.case_sensitive { "1" } else { "0" });
            for a in &q.answers {
                answer(out, a, true, false);
            }
        }
        QuestionKind::Numerical => {
            for a in &q.answers {
                answer(out, a, true, true);
            }
        }
        QuestionKind::Matching => {
            value(out, "shuffleanswers", flag(q.shuffle));
            combined(out, q);
            for p in &q.pairs {
                out.push_str(&format!(
                    "    <subquestion format=\"{}\">\n      {}\n      <answer>\n        {}\n      </answer>\n    </subquestion>\n",
                    format_name(p.item.format),
                    text(&p.item.text),
                    text(&p.answer)
                ));
            }
        }
        QuestionKind::Essay => {
            value(out, "responseformat", "editor");
            value(out, "responserequired", "1");
            value(out, "responsefieldlines", "15");
            if let Some(g) = &q.grader_info {
                rich(out, "graderinfo", g);
            }
        }
        QuestionKind::Description => {}
    }
    for h in &q.hints {
        out.push_str(&format!(
            "    <hint format=\"{}\">\n      {}\n    </hint>\n",
            format_name(h.format),
            text(&h.text)
        ));
    }
    if !q.tags.is_empty() {
        out.push_str("    <tags>\n");
        for t in &q.tags {
            out.push_str(&format!("      <tag>{}</tag>\n", text(t)));
        }
        out.push_str("    </tags>\n");
    }
    out.push_str("  </question>\n");
}

/// A file of categories, each with its questions: (the category's path of names from the top
/// of the bank, its questions).
pub fn write_file(groups: &[(Vec<String>, Vec<&Question>)]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    for (path, questions) in groups {
        // Moodle's path: `$course$/top/A/B`, a slash inside a name doubled.
        let names: Vec<String> = path.iter().map(|n| n.replace('/', "//")).collect();
        let full = format!("$course$/top/{}", names.join("/"));
        out.push_str("  <question type=\"category\">\n");
        out.push_str(&format!(
            "    <category>\n      {}\n    </category>\n",
            text(&full)
        ));
        out.push_str("  </question>\n");
        for q in questions {
            question(&mut out, q);
        }
    }
    out.push_str("</quiz>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_text_makes_well_formed_xml_that_reads_back() {
        let mut q = Question::new(
            QuestionKind::Essay,
            "Имя ]]> & <b>",
            RichText::new("<p>a]]>b\u{b}c\u{FFFF}d\r\ne</p>", TextFormat::Html),
        );
        q.idnumber = Some("x\u{1b}y".into());
        let xml = write_file(&[(vec!["A/B".into()], vec![&q])]);
        assert!(!xml.contains('\u{b}') && !xml.contains('\u{1b}') && !xml.contains('\u{FFFF}'));
        let items = super::super::moodle_xml::read_file(xml.as_bytes()).unwrap();
        let back = items
            .iter()
            .find_map(|i| match i {
                super::super::Item::Question(q) => Some(q),
                _ => None,
            })
            .unwrap();
        assert_eq!(back.name, "Имя ]]> &");
        assert_eq!(back.text.text, "<p>a]]>bcd\r\ne</p>");
        assert_eq!(back.idnumber.as_deref(), Some("xy"));
        assert!(xml.contains("$course$/top/A//B"));
    }
}
