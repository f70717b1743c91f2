//! Issue 19, item 2: the question bank. Moodle's own GIFT and Moodle XML fixtures, read from
//! `../shared/fixtures/moodle/` at test time (the repository keeps no copy), import with the
//! names, types, texts, formats, fractions, feedback and tolerances Moodle's tests expect
//! (`expected.json`), and the files Moodle refuses are refused with their reasons; questions are
//! written, listed, read and deleted through the API, and another school's answer 404.
//!
//! Compared: what the bank keeps. Left out, and said so: Moodle's display settings (answer
//! numbering, response fields of an essay, word limits, attachments), hints' per-part options,
//! embedded files, and Cloze (`multianswer`), which the bank does not take yet.

use std::path::PathBuf;

use educenter_domain::questions::{Question, QuestionKind, TextFormat};
use educenter_services::question_bank::{self, Item, gift, moodle_xml};
use serde_json::{Value, json};

use crate::{given, harness::TestApp};

fn fixtures() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/moodle");
    assert!(
        dir.is_dir(),
        "Moodle's fixtures are read from {} (../shared/fixtures/moodle beside the repository)",
        dir.display()
    );
    dir
}

pub(crate) fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn expected(format: &str) -> Vec<Value> {
    let v: Value = serde_json::from_slice(&fixture(&format!("{format}/expected.json"))).unwrap();
    v["cases"].as_array().unwrap().clone()
}

/// Moodle's number of a text format.
fn code(f: TextFormat) -> i64 {
    match f {
        TextFormat::Moodle => 0,
        TextFormat::Html => 1,
        TextFormat::Plain => 2,
        TextFormat::Markdown => 4,
    }
}

fn qtype(k: QuestionKind) -> &'static str {
    match k {
        QuestionKind::Matching => "match",
        other => other.as_str(),
    }
}

/// A number or a boolean as PHP's `==` compares them.
fn num(v: &Value) -> f64 {
    match v {
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Number(n) => n.as_f64().unwrap(),
        Value::String(s) => s.parse().unwrap_or(0.0),
        Value::Null => 0.0,
        other => panic!("not a number: {other}"),
    }
}

fn text_of(v: &Value) -> (String, Option<i64>) {
    match v {
        Value::String(s) => (s.clone(), None),
        Value::Object(o) => (
            o["text"].as_str().unwrap().to_owned(),
            o.get("format").and_then(Value::as_i64),
        ),
        other => panic!("not a text: {other}"),
    }
}

/// Compares what Moodle's test expects with the question read, field by field; answers the
/// differences.
fn differences(q: &Question, want: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut same = |field: &str, ok: bool, got: String| {
        if !ok {
            out.push(format!("{field}: expected {}, got {got}", want[field]));
        }
    };
    let w = want.as_object().unwrap();
    let rich = |t: &educenter_domain::questions::RichText, v: &Value| {
        let (text, format) = text_of(v);
        text == t.text && format.is_none_or(|f| f == code(t.format))
    };
    for (field, v) in w {
        match field.as_str() {
            "name" => same(field, v == &json!(q.name), q.name.clone()),
            "qtype" => same(field, v == qtype(q.kind), qtype(q.kind).into()),
            "questiontext" => same(field, v == &json!(q.text.text), q.text.text.clone()),
            "questiontextformat" => same(
                field,
                num(v) == code(q.text.format) as f64,
                format!("{:?}", q.text.format),
            ),
            "generalfeedback" => same(
                field,
                v == &json!(q.general_feedback.text),
                q.general_feedback.text.clone(),
            ),
            "generalfeedbackformat" => same(
                field,
                num(v) == code(q.general_feedback.format) as f64,
                format!("{:?}", q.general_feedback.format),
            ),
            "defaultmark" => same(
                field,
                (num(v) - q.default_mark.as_f64()).abs() < 1e-7,
                q.default_mark.as_f64().to_string(),
            ),
            "penalty" => same(
                field,
                (num(v) - q.penalty.as_f64()).abs() < 1e-7,
                q.penalty.as_f64().to_string(),
            ),
            "single" => same(field, (num(v) == 1.0) == q.single, q.single.to_string()),
            "shuffleanswers" => same(field, (num(v) == 1.0) == q.shuffle, q.shuffle.to_string()),
            "usecase" => same(
                field,
                (num(v) == 1.0) == q.case_sensitive,
                q.case_sensitive.to_string(),
            ),
            "idnumber" => same(
                field,
                v.as_str() == q.idnumber.as_deref(),
                format!("{:?}", q.idnumber),
            ),
            "tags" => same(field, v == &json!(q.tags), format!("{:?}", q.tags)),
            "answer" => {
                let ok = v.as_array().unwrap().len() == q.answers.len()
                    && v.as_array()
                        .unwrap()
                        .iter()
                        .zip(&q.answers)
                        .all(|(v, a)| rich(&a.text, v));
                same(
                    field,
                    ok,
                    format!(
                        "{:?}",
                        q.answers.iter().map(|a| &a.text).collect::<Vec<_>>()
                    ),
                )
            }
            "fraction" => {
                let ok = v.as_array().unwrap().len() == q.answers.len()
                    && v.as_array()
                        .unwrap()
                        .iter()
                        .zip(&q.answers)
                        .all(|(v, a)| (num(v) - a.fraction.as_f64()).abs() < 1e-7);
                same(
                    field,
                    ok,
                    format!(
                        "{:?}",
                        q.answers
                            .iter()
                            .map(|a| a.fraction.as_f64())
                            .collect::<Vec<_>>()
                    ),
                )
            }
            "feedback" => {
                let ok = v.as_array().unwrap().len() == q.answers.len()
                    && v.as_array()
                        .unwrap()
                        .iter()
                        .zip(&q.answers)
                        .all(|(v, a)| rich(&a.feedback, v));
                same(
                    field,
                    ok,
                    format!(
                        "{:?}",
                        q.answers.iter().map(|a| &a.feedback).collect::<Vec<_>>()
                    ),
                )
            }
            "tolerance" => {
                let ok = v.as_array().unwrap().iter().zip(&q.answers).all(|(v, a)| {
                    match (v, a.tolerance) {
                        (Value::String(s), None) => s.is_empty(),
                        (v, Some(t)) if !v.is_string() => (num(v) - t).abs() < 1e-9,
                        _ => false,
                    }
                });
                same(
                    field,
                    ok,
                    format!(
                        "{:?}",
                        q.answers.iter().map(|a| a.tolerance).collect::<Vec<_>>()
                    ),
                )
            }
            "correctanswer" => same(
                field,
                (num(v) == 1.0) == q.correct_answer().unwrap(),
                format!("{:?}", q.correct_answer()),
            ),
            "feedbacktrue" => same(
                field,
                rich(&q.answers[0].feedback, v),
                format!("{:?}", q.answers[0].feedback),
            ),
            "feedbackfalse" => same(
                field,
                rich(&q.answers[1].feedback, v),
                format!("{:?}", q.answers[1].feedback),
            ),
            "subquestions" => {
                let ok = v.as_array().unwrap().len() == q.pairs.len()
                    && v.as_array()
                        .unwrap()
                        .iter()
                        .zip(&q.pairs)
                        .all(|(v, p)| rich(&p.item, v));
                same(field, ok, format!("{:?}", q.pairs))
            }
            "subanswers" => same(
                field,
                v == &json!(q.pairs.iter().map(|p| &p.answer).collect::<Vec<_>>()),
                format!("{:?}", q.pairs),
            ),
            "correctfeedback" | "partiallycorrectfeedback" | "incorrectfeedback" => {
                let i = [
                    "correctfeedback",
                    "partiallycorrectfeedback",
                    "incorrectfeedback",
                ]
                .iter()
                .position(|f| f == field)
                .unwrap();
                let ok = q.combined_feedback.as_ref().is_some_and(|c| rich(&c[i], v));
                same(field, ok, format!("{:?}", q.combined_feedback))
            }
            "graderinfo" => {
                let g = q
                    .grader_info
                    .clone()
                    .unwrap_or_else(|| educenter_domain::questions::RichText::empty(q.text.format));
                same(field, rich(&g, v), format!("{g:?}"))
            }
            "hint" => {
                let ok = v.as_array().unwrap().len() == q.hints.len()
                    && v.as_array()
                        .unwrap()
                        .iter()
                        .zip(&q.hints)
                        .all(|(v, h)| rich(h, v));
                same(field, ok, format!("{:?}", q.hints))
            }
            // What the bank does not keep (see the module's note).
            _ => {}
        }
    }
    out
}

fn only_question(items: Vec<Item>) -> Question {
    let questions: Vec<Question> = items
        .into_iter()
        .filter_map(|i| match i {
            Item::Question(q) => Some(*q),
            Item::Error { name, error } => panic!("{name}: {error:?}"),
            Item::Category { .. } => None,
        })
        .collect();
    assert_eq!(questions.len(), 1, "{questions:?}");
    questions.into_iter().next().unwrap()
}

#[test]
fn gift_questions_read_as_moodles_tests_expect() {
    let mut checked = 0;
    for case in expected("gift") {
        match case["kind"].as_str().unwrap() {
            "import" => {
                let input = case["input_gift"].as_str().unwrap();
                let q = only_question(gift::read_question(input).into_iter().collect());
                let diff = differences(&q, &case["expected_question"]);
                assert!(diff.is_empty(), "{}: {diff:#?}", case["test"]);
                checked += 1;
            }
            "comment-metadata" => {
                for (label, c) in case["cases"].as_object().unwrap() {
                    let block = format!("{}\n::Q:: A question? {{}}", c[2].as_str().unwrap());
                    let q = only_question(gift::read_question(&block).into_iter().collect());
                    let id = c[0].as_str().unwrap();
                    assert_eq!(q.idnumber.as_deref().unwrap_or(""), id, "{label}");
                    assert_eq!(json!(q.tags), c[1], "{label}");
                    checked += 1;
                }
            }
            _ => {}
        }
    }
    assert!(checked >= 23, "{checked} cases");
}

#[test]
fn moodle_xml_questions_read_as_moodles_tests_expect() {
    let mut checked = 0;
    for case in expected("xml") {
        let Some(want) = case.get("expected_question") else {
            continue;
        };
        if case["kind"] != "import" || want["qtype"] == "multianswer" {
            continue;
        }
        let input = fixture(&format!("xml/{}", case["input_file"].as_str().unwrap()));
        let wrapped = [b"<quiz>".as_slice(), &input, b"</quiz>"].concat();
        let q = only_question(moodle_xml::read_file(&wrapped).unwrap());
        let diff = differences(&q, want);
        assert!(diff.is_empty(), "{}: {diff:#?}", case["test"]);
        checked += 1;
    }
    assert_eq!(checked, 10);
}

#[test]
fn gift_ranges_grades_and_blank_choices_read_as_moodle_keeps_them() {
    let q = only_question(
        gift::read_question("::R:: Range? {#1.1..1.3}")
            .into_iter()
            .collect(),
    );
    assert_eq!(
        (q.answers[0].text.text.as_str(), q.answers[0].tolerance),
        ("1.2", Some(0.1))
    );
    // A grade within a hundred-thousandth of an option is that option.
    let q = only_question(
        gift::read_question("::W:: Which? {~%33.333%a ~%33.333%b ~%33.333%c ~%-100%d}")
            .into_iter()
            .collect(),
    );
    assert!(educenter_domain::questions::check(&q).is_empty(), "{q:?}");
    assert_eq!(q.answers[0].fraction.units(), 3_333_333);
    // A blank choice does not count as one of the two a multichoice question needs.
    let mut q = only_question(
        gift::read_question("::B:: Blank? {=a ~}")
            .into_iter()
            .collect(),
    );
    educenter_domain::questions::tidy(&mut q);
    assert_eq!(
        educenter_domain::questions::check(&q),
        [educenter_domain::questions::QuestionError::TooFewAnswers(2)]
    );
}

#[test]
fn category_paths_drop_moodles_context_and_top() {
    let p = question_bank::category_path;
    assert_eq!(
        p("$course$/Default for New Features"),
        ["Default for New Features"]
    );
    assert_eq!(p("$course$/top/Sigma/Tau"), ["Sigma", "Tau"]);
    assert_eq!(p("top/A//B/C"), ["A/B", "C"]);
    assert_eq!(
        question_bank::clean_name("x <b>y</b> : x > 1 & x < 2"),
        "x y : x > 1 & x < 2"
    );
}

/// The message of a problem's error on `field` (panics when there is none).
fn err(problem: &Value, field: &str) -> String {
    problem["errors"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["field"] == field))
        .and_then(|e| e["message"].as_str())
        .unwrap_or_else(|| panic!("no error on {field}: {problem}"))
        .to_owned()
}

/// The school's categories.
pub(crate) async fn categories(app: &TestApp, token: &str) -> Vec<Value> {
    let page = app
        .call(
            "GET",
            "/api/v1/question-bank/categories?limit=200",
            token,
            None,
        )
        .await;
    page.items().as_array().unwrap().clone()
}

pub(crate) fn named(cats: &[Value], name: &str) -> Option<Value> {
    cats.iter().find(|c| c["name"] == name).cloned()
}

pub(crate) async fn import(app: &TestApp, token: &str, body: Value) -> crate::harness::Res {
    app.call("POST", "/api/v1/question-bank/import", token, Some(body))
        .await
}

fn names(res: &crate::harness::Res) -> Vec<String> {
    res.json()["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn moodles_files_import_or_are_refused_with_their_reasons() {
    let app = TestApp::start().await;
    let owner = given::alma(&app).await.owner_token;
    let text = |path: &str| String::from_utf8(fixture(path)).unwrap();

    // GIFT: Moodle's nine questions.
    let res = import(
        &app,
        &owner,
        json!({ "format": "gift", "content": text("gift/questions.gift.txt") }),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let body = res.json();
    assert_eq!(body["imported"], 9);
    assert_eq!(body["errors"], json!([]));
    let mut got = names(&res);
    got.sort();
    assert_eq!(
        got,
        [
            "2-08 TSL",
            "2-08 TSL",
            "Moodle activities",
            "Q1",
            "Q2",
            "Q5",
            "Q8",
            "Shortanswer",
            "colours"
        ]
    );
    let types: Vec<&str> = body["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "essay",
            "matching",
            "multichoice",
            "multichoice",
            "numerical",
            "shortanswer",
            "truefalse",
            "truefalse",
            "truefalse"
        ]
    );
    assert!(
        body["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["category_id"] == body["questions"][0]["category_id"])
    );

    // A file not in UTF-8 is refused whole, naming the encoding.
    let bytes = fixture("gift/questions_encoding_windows-1252.gift.txt");
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
    let res = import(
        &app,
        &owner,
        json!({ "format": "gift", "content_base64": b64 }),
    )
    .await;
    let p = res.problem(422);
    assert!(err(&p, "content").contains("UTF-8"), "{p}");

    // Multiple answers whose positive grades add up to 200% and 60%: nothing is imported, both
    // are named; with skip_invalid the valid third one is.
    let fork = text("gift/fork-rennes2/error_invalid_fraction_sum.gift.txt");
    let res = import(&app, &owner, json!({ "format": "gift", "content": fork })).await;
    let p = res.problem(422);
    assert_eq!(
        crate::harness::error_fields(&p),
        ["questions[0]", "questions[1]"]
    );
    assert!(err(&p, "questions[0]").contains("200%"), "{p}");
    assert!(err(&p, "questions[1]").contains("60%"), "{p}");
    let res = import(
        &app,
        &owner,
        json!({ "format": "gift", "content": fork, "skip_invalid": true }),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let body = res.json();
    assert_eq!(body["imported"], 1);
    assert_eq!(body["errors"].as_array().unwrap().len(), 2);
    assert_eq!(body["errors"][0]["index"], 0);
    assert!(
        body["errors"][1]["message"]
            .as_str()
            .unwrap()
            .contains("60%")
    );

    // GIFT with a category; the request's category for files that name none.
    let res = import(&app, &owner, json!({ "format": "gift", "content": text("gift/questions_in_category.gift.txt"), "category": "Ignored" })).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()["imported"], 4);
    let cats = categories(&app, &owner).await;
    let find = |name: &str| named(&cats, name);
    let features = find("Default for New Features").expect("the file's category");
    assert!(find("Ignored").is_none(), "the file names its category");
    assert!(
        res.json()["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["category_id"] == features["id"])
    );

    // Moodle XML.
    let xml = |path: &str| json!({ "format": "moodle_xml", "content": text(path) });
    let res = import(&app, &owner, xml("xml/truefalse.xml")).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(
        names(&res),
        ["Moodle acronym (False)", "Moodle acronym (True)"]
    );
    assert_eq!(res.json()["questions"][0]["correct"], false);
    assert_eq!(res.json()["questions"][1]["correct"], true);
    let res = import(&app, &owner, xml("xml/multichoice.xml")).await;
    assert_eq!(names(&res), ["Greeting"]);
    let greeting = &res.json()["questions"][0];
    let fractions: Vec<f64> = greeting["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["fraction"].as_f64().unwrap())
        .collect();
    assert_eq!(fractions, [0.0, 1.0, 0.0, 0.0]);
    assert_eq!(greeting["penalty"], 0.1);

    // Categories: a description and idnumber; a tree; a child named before its parent.
    import(&app, &owner, xml("xml/category_with_description.xml")).await;
    import(
        &app,
        &owner,
        xml("xml/nested_categories_with_questions.xml"),
    )
    .await;
    import(&app, &owner, xml("xml/categories_reverse_order.xml")).await;
    import(&app, &owner, xml("xml/old_format_file.xml")).await;
    let cats = categories(&app, &owner).await;
    let find = |name: &str| named(&cats, name).unwrap_or_else(|| panic!("{name}: {cats:?}"));
    let alpha = find("Alpha");
    assert_eq!(
        (
            alpha["info"].as_str(),
            alpha["idnumber"].as_str(),
            &alpha["parent_id"]
        ),
        (
            Some("This is Alpha category for test"),
            Some("alpha-idnumber"),
            &Value::Null
        )
    );
    assert_eq!(find("Kappa")["parent_id"], find("Iota")["id"]);
    assert_eq!(find("Lambda")["parent_id"], find("Kappa")["id"]);
    assert_eq!(find("Mu")["parent_id"], find("Iota")["id"]);
    assert_eq!(find("Tau")["parent_id"], find("Sigma")["id"]);
    assert_eq!(find("Sigma")["info"], "This is Sigma category for test");
    assert_eq!(find("Rho")["parent_id"], find("Pi")["id"]);
    let in_lambda = app
        .call(
            "GET",
            &format!(
                "/api/v1/questions?category_id={}",
                find("Lambda")["id"].as_str().unwrap()
            ),
            &owner,
            None,
        )
        .await
        .items();
    assert_eq!(
        in_lambda
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["name"].clone())
            .collect::<Vec<_>>(),
        ["Lambda Question"]
    );

    // Refused: grades that are no grade option; sums off 100%, and a single answer none of
    // whose choices is 100%; Cloze, which the bank does not take yet.
    let res = import(&app, &owner, xml("xml/error_invalid_grades.xml")).await;
    let p = res.problem(422);
    assert!(err(&p, "questions[0]").contains("0.33"), "{p}");
    let res = import(
        &app,
        &owner,
        xml("xml/fork-rennes2/error_invalid_fraction_sum.xml"),
    )
    .await;
    let p = res.problem(422);
    assert_eq!(
        crate::harness::error_fields(&p),
        ["questions[0]", "questions[1]", "questions[3]"]
    );
    assert!(err(&p, "questions[0]").contains("200%"));
    assert!(err(&p, "questions[1]").contains("60%"));
    assert!(err(&p, "questions[3]").contains("100%"));
    let res = import(&app, &owner, xml("xml/multianswer.xml")).await;
    let p = res.problem(422);
    assert!(err(&p, "questions[0]").contains("cloze"), "{p}");
    // Broken XML, elements nested past any Moodle file's depth, and a file with no question.
    let deep = format!(
        "<quiz>{}{}</quiz>",
        "<a>".repeat(10_000),
        "</a>".repeat(10_000)
    );
    let res = import(
        &app,
        &owner,
        json!({ "format": "moodle_xml", "content": deep }),
    )
    .await;
    assert!(err(&res.problem(422), "content").contains("32"));
    let res = import(
        &app,
        &owner,
        json!({ "format": "moodle_xml", "content": "<quiz><question>" }),
    )
    .await;
    assert!(!err(&res.problem(422), "content").is_empty());
    let res = import(
        &app,
        &owner,
        json!({ "format": "gift", "content": "// only a comment\n" }),
    )
    .await;
    assert!(!err(&res.problem(422), "content").is_empty());

    // In English when asked.
    let res = app
        .send(
            app.client
                .post(app.url("/api/v1/question-bank/import"))
                .bearer_auth(&owner)
                .header("accept-language", "en")
                .json(&xml("xml/error_invalid_grades.xml")),
        )
        .await;
    let p = res.problem(422);
    assert!(err(&p, "questions[0]").contains("grade options"), "{p}");
    app.stop().await;
}

#[tokio::test]
async fn questions_are_written_listed_and_deleted_through_the_api_and_stay_in_their_school() {
    let app = TestApp::start().await;
    let owner = given::alma(&app).await.owner_token;
    let q = json!({
        "type": "multichoice", "name": "Even numbers", "text": "Which are even?",
        "category": "Arithmetic/Parity", "single": false, "tags": ["parity", "grade 5"],
        "answers": [
            { "text": "2", "fraction": 0.5, "feedback": "Yes" },
            { "text": "3", "fraction": -1 },
            { "text": "4", "fraction": 0.5 },
        ],
    });
    let res = app
        .call("POST", "/api/v1/questions", &owner, Some(q.clone()))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let made = res.json();
    assert_eq!(made["answers"][0]["fraction"], 0.5);
    assert_eq!(made["tags"], json!(["parity", "grade 5"]));
    let id = made["id"].as_str().unwrap().to_owned();

    // Positive grades of several answers must add up to 100%; a grade must be a grade option.
    let mut bad = q.clone();
    bad["answers"][2]["fraction"] = json!(1);
    let p = app
        .call("POST", "/api/v1/questions", &owner, Some(bad))
        .await
        .problem(422);
    assert!(err(&p, "answers").contains("150"), "{p}");
    let mut bad = q.clone();
    bad["answers"][0]["fraction"] = json!(0.33);
    let p = app
        .call("POST", "/api/v1/questions", &owner, Some(bad))
        .await
        .problem(422);
    assert!(!err(&p, "answers").is_empty(), "{p}");
    let p = app
        .call(
            "POST",
            "/api/v1/questions",
            &owner,
            Some(json!({ "type": "truefalse", "name": "T", "text": "?" })),
        )
        .await
        .problem(422);
    assert!(!err(&p, "correct").is_empty(), "{p}");

    // A name with a control character, a negative tolerance: refused beside their fields.
    let p = app
        .call(
            "POST",
            "/api/v1/questions",
            &owner,
            Some(json!({ "type": "essay", "name": "a\u{7}b", "text": "?" })),
        )
        .await
        .problem(422);
    assert!(!err(&p, "name").is_empty(), "{p}");
    let p = app.call("POST", "/api/v1/questions", &owner, Some(json!({ "type": "numerical", "name": "N", "text": "2+2?", "answers": [{ "text": "4", "fraction": 1, "tolerance": -1 }] }))).await.problem(422);
    assert!(!err(&p, "answers").is_empty(), "{p}");
    let cyr = app.call("POST", "/api/v1/questions", &owner, Some(json!({ "type": "essay", "name": "Эссе", "text": "Напишите.", "tags": ["Алгебра"] }))).await;
    assert_eq!(cyr.status, 201, "{}", cyr.text);
    let found = app
        .call(
            "GET",
            "/api/v1/questions?tag=%D0%B0%D0%BB%D0%B3%D0%B5%D0%B1%D1%80%D0%B0",
            &owner,
            None,
        )
        .await
        .items();
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");

    // Listed by tag (any case) and type; read; replaced; deleted.
    let by_tag = app
        .call("GET", "/api/v1/questions?tag=PARITY", &owner, None)
        .await
        .items();
    assert_eq!(by_tag.as_array().unwrap().len(), 1);
    let none = app
        .call("GET", "/api/v1/questions?type=matching", &owner, None)
        .await
        .items();
    assert_eq!(none, json!([]));
    app.call("GET", "/api/v1/questions?type=poem", &owner, None)
        .await
        .problem(422);
    let tf = app.call("POST", "/api/v1/questions", &owner, Some(json!({ "type": "truefalse", "name": "Sky", "text": "The sky is blue.", "correct": true }))).await;
    assert_eq!(tf.json()["correct"], true);
    let mut changed = q.clone();
    changed["name"] = json!("Even numbers (2)");
    changed["tags"] = json!(["even"]);
    let res = app
        .call(
            "PUT",
            &format!("/api/v1/questions/{id}"),
            &owner,
            Some(changed),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["created_at"], made["created_at"]);
    assert_eq!(
        app.call("GET", "/api/v1/questions?tag=parity", &owner, None)
            .await
            .items(),
        json!([])
    );
    let got = app
        .call("GET", &format!("/api/v1/questions/{id}"), &owner, None)
        .await
        .json();
    assert_eq!(got["name"], "Even numbers (2)");

    // Another school sees none of it.
    let other = given::beta(&app).await.owner_token;
    app.call("GET", &format!("/api/v1/questions/{id}"), &other, None)
        .await
        .problem(404);
    app.call("DELETE", &format!("/api/v1/questions/{id}"), &other, None)
        .await
        .problem(404);
    assert_eq!(
        app.call("GET", "/api/v1/questions", &other, None)
            .await
            .items(),
        json!([])
    );

    let res = app
        .call("DELETE", &format!("/api/v1/questions/{id}"), &owner, None)
        .await;
    assert_eq!(res.status, 204);
    app.call("GET", &format!("/api/v1/questions/{id}"), &owner, None)
        .await
        .problem(404);
    app.stop().await;
}

/// The cabinet's page: the owner imports a GIFT file through the form, sees the questions with
/// their types and categories, is told which questions of a bad file were refused and why,
/// and deletes one; another school's question is not found.
#[tokio::test]
async fn the_cabinet_imports_lists_and_deletes_questions() {
    let app = TestApp::start().await;
    given::alma(&app).await;
    let page = app.browser();
    page.sign_in(
        "owner@alma.kz",
        crate::harness::OWNER_PASSWORD,
        "alma-school",
    )
    .await;
    let courses = page.get("/cabinet/courses").await;
    assert!(courses.text.contains("href=\"/cabinet/questions\""));
    let empty = page.get("/cabinet/questions").await;
    assert_eq!(empty.status, 200);
    assert!(empty.text.contains("id=\"questions-none\""));

    let send = |bytes: Vec<u8>, format: &str, skip: bool| {
        let mut form = reqwest::multipart::Form::new()
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("questions.txt"),
            )
            .text("format", format.to_owned())
            .text("category", "Алгебра/Дроби");
        if skip {
            form = form.text("skip_invalid", "on");
        }
        app.send(
            page.client
                .post(app.url("/cabinet/questions/import"))
                .multipart(form),
        )
    };
    let res = send(fixture("gift/questions.gift.txt"), "gift", false).await;
    assert_eq!(res.status, 303, "{}", res.text);
    let list = page.get("/cabinet/questions").await;
    assert!(
        list.text.contains("Вопросы импортированы."),
        "{}",
        list.text
    );
    assert_eq!(list.text.matches("/delete\"").count(), 9);
    assert!(list.text.contains("Алгебра / Дроби"));
    assert!(list.text.contains("На соответствие"));

    // A file with refused questions: nothing imported, each named with its reason.
    let fork = fixture("gift/fork-rennes2/error_invalid_fraction_sum.gift.txt");
    let res = send(fork.clone(), "gift", false).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(
        res.text
            .contains("Вопрос 1 («gift import: invalid percentage answer weights (too much)»)"),
        "{}",
        res.text
    );
    assert!(res.text.contains("200%"), "{}", res.text);
    assert!(res.text.contains("60%"), "{}", res.text);
    // Skipping them imports the valid one and still lists the others.
    let res = send(fork, "gift", true).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(
        res.text.contains("Импортировано вопросов: 1"),
        "{}",
        res.text
    );
    assert_eq!(res.text.matches("/delete\"").count(), 10);
    // No file, and a file not in UTF-8.
    let res = send(Vec::new(), "gift", false).await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("Выберите файл."));
    let res = send(
        fixture("gift/questions_encoding_windows-1252.gift.txt"),
        "gift",
        false,
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("UTF-8"), "{}", res.text);

    // Deleting one; another school's question answers 404 and stays.
    let list = page.get("/cabinet/questions").await;
    let end = list.text.find("/delete\"").unwrap() + "/delete".len();
    let start = list.text[..end].rfind("/cabinet/questions/").unwrap();
    let action = &list.text[start..end];
    let res = page.post_form(action, &[]).await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert_eq!(
        page.get("/cabinet/questions")
            .await
            .text
            .matches("/delete\"")
            .count(),
        9
    );
    let beta = given::beta(&app).await.owner_token;
    let theirs = app
        .call(
            "POST",
            "/api/v1/questions",
            &beta,
            Some(json!({ "type": "truefalse", "name": "B", "text": "B?", "correct": true })),
        )
        .await
        .json();
    let res = page
        .post_form(
            &format!(
                "/cabinet/questions/{}/delete",
                theirs["id"].as_str().unwrap()
            ),
            &[],
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.text);
    app.stop().await;
}
