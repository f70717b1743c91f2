//! Issue 19: quizzes on the pages. A teacher adds a quiz lesson in the course editor and
//! chooses its questions and rules on the lesson's page; a student starts it from the lesson
//! page, answers on the attempt page (the page's script saves as they go, its buttons save and
//! submit without it), and reads the result as the quiz's review settings show it.

use serde_json::{Value, json};

use crate::{
    given,
    harness::{Browser, OWNER_PASSWORD, TestApp},
    learning::STUDENT_PASSWORD,
    quizzes::{right_answers, six_questions},
};

/// A form's fields as a browser sends them.
type Fields<'a> = Vec<(&'a str, &'a str)>;

/// The attempt's answers (as the API takes them) as the attempt page's form sends them.
fn form_of(answers: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for a in answers["answers"].as_array().unwrap() {
        let key = format!("q{}", a["slot"]);
        if let Some(cs) = a["choices"].as_array() {
            out.extend(cs.iter().map(|c| (key.clone(), c.to_string())));
        } else if let Some(b) = a["value"].as_bool() {
            out.push((key, b.to_string()));
        } else if let Some(t) = a["text"].as_str() {
            out.push((key, t.to_owned()));
        } else {
            for m in a["matches"].as_array().unwrap() {
                out.push((format!("{key}-{}", m["item"]), m["choice"].to_string()));
            }
        }
    }
    out
}

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The value of the first `attr="…"` after `marker` in `html`.
fn attr_after(html: &str, marker: &str, attr: &str) -> String {
    let from = html.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let rest = &html[from..];
    let i = rest.find(&format!("{attr}=\"")).unwrap() + attr.len() + 2;
    rest[i..i + rest[i..].find('"').unwrap()].to_owned()
}

/// Alma with the six questions in its bank (their ids), a published course open for enrolment
/// with one text lesson, and its owner signed in in a browser.
async fn with_bank(app: &TestApp) -> (given::School, Vec<String>, given::Course, Browser<'_>) {
    let alma = given::alma(app).await;
    let ids = six_questions(app, &alma.owner_token).await;
    let course = given::course(app, &alma.owner_token, "Казахстан")
        .published()
        .self_enrol()
        .module("Модуль 1")
        .text_lesson("Введение", "Начало")
        .create()
        .await;
    let teacher = app.browser();
    teacher
        .sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    (alma, ids, course, teacher)
}

#[tokio::test]
async fn a_teacher_builds_a_quiz_on_the_pages_and_a_student_takes_it_there() {
    let app = TestApp::builder()
        .clock("2027-03-01T09:00:00+05:00")
        .start()
        .await;
    let (alma, ids, course, teacher) = with_bank(&app).await;
    let owner = alma.owner_token.clone();
    // The editor offers a quiz among lesson kinds; a new quiz opens its own page to choose
    // its questions.
    let editor = format!("/cabinet/courses/{}", course.id);
    let page = teacher.get(&editor).await;
    assert!(
        page.text.contains("<option value=\"quiz\""),
        "{}",
        page.text
    );
    let res = teacher
        .post_form(
            &format!("{editor}/lessons"),
            &[
                ("lesson_module", course.modules[0].as_str()),
                ("lesson_title", "Проверка"),
                ("lesson_kind", "quiz"),
                ("lesson_required", "on"),
                ("lesson_published", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let quiz_page = res.header("location").to_owned();
    let quiz_id = quiz_page.rsplit('/').next().unwrap().to_owned();
    assert_eq!(quiz_page, format!("/cabinet/lessons/{quiz_id}"));
    let page = teacher.get(&quiz_page).await;
    assert!(page.text.contains("id=\"quiz-editor\""), "{}", page.text);
    for name in ["Capital", "Sky", "Poet", "Pi", "Match", "Even"] {
        assert!(page.text.contains(name), "{name}");
    }
    // A student finds no question to answer yet.
    let student = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let lesson_path = format!("/s/alma-school/lessons/{quiz_id}");
    let page = student.get(&lesson_path).await;
    assert!(page.text.contains("id=\"quiz-refused\""), "{}", page.text);
    assert!(!page.text.contains("id=\"quiz-start\""));

    // Refused values stay beside their fields and change nothing.
    let mut form: Vec<(&str, &str)> = vec![
        ("lesson_title", "Проверка"),
        ("lesson_required", "on"),
        ("lesson_published", "on"),
        ("quiz_source", "fixed"),
    ];
    // A word where a number goes is caught before the service; the rest by the service.
    let cases: [(Fields, &[&str]); 2] = [
        (
            vec![("quiz_time_limit", "десять"), ("quiz_pass_percent", "101")],
            &["quiz_time_limit"],
        ),
        (
            vec![("quiz_pass_percent", "101")],
            &["quiz_questions", "quiz_pass_percent"],
        ),
    ];
    for (extra, fields) in cases {
        let questions = vec![
            ("quiz_question", ids[0].as_str()),
            ("quiz_question", "nope"),
        ];
        let bad = [form.clone(), questions, extra].concat();
        let res = teacher.post_form(&quiz_page, &bad).await;
        assert_eq!(res.status, 422, "{}", res.text);
        for f in fields {
            let id = format!("id=\"{f}-error\"");
            assert!(res.text.contains(&id), "{f}: {}", res.text);
        }
    }
    let settings = app
        .call("GET", &format!("/api/v1/quizzes/{quiz_id}"), &owner, None)
        .await
        .json();
    assert_eq!(settings["questions"], json!([]), "{settings}");

    // All six, "Even" for 2 marks, 10 minutes, 2 attempts, 60% to pass, right answers shown.
    let even_marks = format!("quiz_marks_{}", ids[5]);
    for id in &ids {
        form.push(("quiz_question", id));
    }
    form.extend([
        (even_marks.as_str(), "2"),
        ("quiz_time_limit", "10"),
        ("quiz_attempts", "2"),
        ("quiz_grading", "highest"),
        ("quiz_pass_percent", "60"),
        ("quiz_shuffle", "on"),
        ("quiz_review_score", "on"),
        ("quiz_review_feedback", "on"),
        ("quiz_review_right", "on"),
    ]);
    let res = teacher.post_form(&quiz_page, &form).await;
    assert_eq!(res.status, 303, "{}", res.text);
    let settings = app
        .call("GET", &format!("/api/v1/quizzes/{quiz_id}"), &owner, None)
        .await
        .json();
    assert_eq!(settings["questions"], json!(ids), "{settings}");
    assert_eq!(settings["marks"][&ids[5]], 2.0);
    assert_eq!(settings["time_limit_minutes"], 10);
    assert_eq!(settings["attempts"], 2);
    assert_eq!(settings["pass_percent"], 60);
    assert_eq!(settings["review"]["right_answers"], true);
    // The page shows them again as saved.
    let page = teacher.get(&quiz_page).await;
    assert!(
        page.text
            .contains(&format!("name=\"{even_marks}\" value=\"2\""))
    );
    assert!(
        page.text.contains(
            "id=\"quiz_time_limit\" name=\"quiz_time_limit\" type=\"number\" value=\"10\""
        )
    );

    // The student sees the rules and starts.
    let page = student.get(&lesson_path).await;
    assert!(page.text.contains("6 вопросов"), "{}", page.text);
    assert!(page.text.contains("id=\"quiz-start\""));
    let res = student
        .post_form(&format!("{lesson_path}/attempts"), &[])
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let attempt_path = res.header("location").to_owned();
    let attempt_id = attempt_path.rsplit('/').next().unwrap().to_owned();
    assert_eq!(
        attempt_path,
        format!("/s/alma-school/attempts/{attempt_id}")
    );
    let page = student.get(&attempt_path).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("id=\"attempt-form\""), "{}", page.text);
    let deadline: jiff::Timestamp = "2027-03-01T04:10:00Z".parse().unwrap();
    assert_eq!(
        attr_after(&page.text, "id=\"quiz-timer\"", "data-deadline-ms"),
        deadline.as_millisecond().to_string()
    );
    assert_eq!(page.text.matches("<fieldset class=\"question").count(), 6);
    // Going back to the lesson page offers to go on with the same attempt.
    let lesson = student.get(&lesson_path).await;
    assert!(
        lesson.text.contains("Продолжить попытку"),
        "{}",
        lesson.text
    );
    let res = student
        .post_form(&format!("{lesson_path}/attempts"), &[])
        .await;
    assert_eq!(res.header("location"), attempt_path);

    let token = app
        .token_for("dana@mail.kz", STUDENT_PASSWORD, Some("alma-school"))
        .await;
    let api = format!("/api/v1/attempts/{attempt_id}");
    let attempt = app.call("GET", &api, &token, None).await.json();
    let right = form_of(&right_answers(&attempt));
    // The page's script saves the first three answers as they are given.
    let res = student
        .post_form(&format!("{attempt_path}/answers"), &pairs(&right[..3]))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["saved"], 3);
    // An answer no question has is refused beside its question, the form shows what was sent,
    // and nothing of it is kept.
    let even_slot = attempt["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "Even")
        .unwrap()["slot"]
        .clone();
    let tampered = [
        pairs(&right[3..5]),
        vec![(format!("q{even_slot}").leak() as &str, "99")],
    ]
    .concat();
    let res = student.post_form(&attempt_path, &tampered).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("id=\"attempt-error\""), "{}", res.text);
    assert!(
        res.text
            .contains(&format!("id=\"question-{even_slot}-error\"")),
        "{}",
        res.text
    );
    // The short answer sent (4th) is in the form again though it was not saved.
    assert!(
        res.text.contains(&format!("value=\"{}\"", right[3].1)),
        "{}",
        res.text
    );
    let saved = app.call("GET", &api, &token, None).await.json();
    let answered = saved["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| !q["answer"].is_null())
        .count();
    assert_eq!(answered, 3, "{saved}");
    // The rest through the form's button, which submits.
    let mut rest = pairs(&right[3..]);
    rest.push(("action", "submit"));
    let res = student.post_form(&attempt_path, &rest).await;
    assert_eq!(res.status, 303, "{}", res.text);
    let page = student.get(&attempt_path).await;
    assert!(page.text.contains("id=\"attempt-score\""), "{}", page.text);
    assert!(page.text.contains("7 / 7 (100%)"), "{}", page.text);
    assert!(page.text.contains("class=\"right-answer\""));
    assert!(!page.text.contains("id=\"attempt-form\""));
    // A late save is refused: the script reads the page again, the form shows the result.
    let res = student
        .post_form(&format!("{attempt_path}/answers"), &pairs(&right[..1]))
        .await;
    assert_eq!(res.status, 409, "{}", res.text);
    let res = student.post_form(&attempt_path, &pairs(&right[..1])).await;
    assert_eq!(
        (res.status, res.header("location")),
        (303, attempt_path.as_str())
    );
    // The lesson page: the grade, passed, the lesson complete.
    let page = student.get(&lesson_path).await;
    assert!(page.text.contains("id=\"quiz-grade\""), "{}", page.text);
    assert!(page.text.contains("100%"));
    assert!(
        page.text.contains("id=\"lesson-complete\">"),
        "{}",
        page.text
    );
    assert!(!page.text.contains("id=\"lesson-complete\" hidden"));
    assert!(page.text.contains("id=\"quiz-attempts\""));

    // Another student of the school finds no such attempt.
    let other = given::student(&app, &alma, "erlan@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    assert_eq!(other.get(&attempt_path).await.status, 404);
    assert_eq!(
        other
            .post_form(&format!("{attempt_path}/answers"), &pairs(&right[..1]))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_drawn_quiz_runs_out_of_time_and_hides_scores_as_set() {
    let app = TestApp::builder()
        .clock("2027-03-01T09:00:00+05:00")
        .start()
        .await;
    let (alma, _, course, teacher) = with_bank(&app).await;
    let owner = alma.owner_token.clone();
    let res = teacher
        .post_form(
            &format!("/cabinet/courses/{}/lessons", course.id),
            &[
                ("lesson_module", course.modules[0].as_str()),
                ("lesson_title", "Случайный"),
                ("lesson_kind", "quiz"),
                ("lesson_published", "on"),
            ],
        )
        .await;
    let quiz_page = res.header("location").to_owned();
    let quiz_id = quiz_page.rsplit('/').next().unwrap().to_owned();
    let page = teacher.get(&quiz_page).await;
    // The option of the category the questions went to.
    let category = {
        let end = page.text.find("\">Тесты / Основы</option>").unwrap();
        let start = page.text[..end].rfind('"').unwrap() + 1;
        page.text[start..end].to_owned()
    };
    // More questions than the category holds: refused beside the count.
    let mut form = vec![
        ("lesson_title", "Случайный"),
        ("lesson_published", "on"),
        ("quiz_source", "random"),
        ("quiz_category", category.as_str()),
        ("quiz_time_limit", "5"),
        ("quiz_review_feedback", "on"),
    ];
    let res = teacher
        .post_form(
            &quiz_page,
            &[form.clone(), vec![("quiz_count", "7")]].concat(),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("id=\"quiz_count-error\""), "{}", res.text);
    form.push(("quiz_count", "3"));
    let res = teacher.post_form(&quiz_page, &form).await;
    assert_eq!(res.status, 303, "{}", res.text);
    let settings = app
        .call("GET", &format!("/api/v1/quizzes/{quiz_id}"), &owner, None)
        .await
        .json();
    assert_eq!(settings["random"]["count"], 3, "{settings}");
    assert_eq!(settings["review"]["score"], false);

    let student = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let lesson_path = format!("/s/alma-school/lessons/{quiz_id}");
    let res = student
        .post_form(&format!("{lesson_path}/attempts"), &[])
        .await;
    let attempt_path = res.header("location").to_owned();
    let page = student.get(&attempt_path).await;
    assert_eq!(page.text.matches("<fieldset class=\"question").count(), 3);
    // Six minutes on, the time has run out: the attempt's own job submitted it at its
    // deadline though nobody read it (the store says so before any page does).
    app.advance(0, 0, 6).await;
    // A save from the page after the deadline is refused (the page's script reads it again).
    let late = student
        .post_form(&format!("{attempt_path}/answers"), &[("q1", "x")])
        .await;
    assert_eq!(late.status, 409, "{}", late.text);
    let attempt_id =
        educenter_domain::ids::AttemptId::new(attempt_path.rsplit('/').next().unwrap());
    let tenant = app.tenant_of(&owner).await;
    let mut conn = app.store().conn().await.unwrap();
    let stored = educenter_store::quizzes::attempt_by_id(&mut conn, &tenant, &attempt_id)
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    assert_ne!(
        stored.state,
        educenter_domain::quiz::AttemptState::InProgress
    );
    assert_eq!(stored.submitted_at, stored.deadline);
    assert_eq!(stored.deadline.unwrap().to_string(), "2027-03-01T04:05:00Z");
    // The page shows it submitted, with no score (the quiz does not show scores), and the
    // lesson page lists it without one.
    let page = student.get(&attempt_path).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("id=\"attempt-result\""), "{}", page.text);
    assert!(!page.text.contains("id=\"attempt-score\""));
    assert!(page.text.contains("09:05"), "{}", page.text);
    let page = student.get(&lesson_path).await;
    assert!(page.text.contains("id=\"quiz-attempts\""), "{}", page.text);
    assert!(!page.text.contains("id=\"quiz-grade\""));
    assert!(
        page.text.contains("<td data-label=\"Баллы\">—</td>"),
        "{}",
        page.text
    );
}

#[tokio::test]
async fn a_teacher_grades_an_essay_on_the_attempts_page() {
    let app = TestApp::builder()
        .clock("2027-03-01T09:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let gift = "::Sky:: Небо голубое. {T}\n\n::Essay:: Опишите Алматы. {}\n";
    let res = app
        .call(
            "POST",
            "/api/v1/question-bank/import",
            &owner,
            Some(json!({ "format": "gift", "category": "Эссе", "content": gift })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let ids: Vec<Value> = res.json()["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].clone())
        .collect();
    let course = given::course(&app, &owner, "Алматы")
        .published()
        .self_enrol()
        .module("Модуль")
        .lesson(json!({ "title": "Эссе", "kind": "quiz", "quiz": { "questions": ids } }))
        .create()
        .await;
    let quiz_id = &course.lessons[0];
    let student = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let res = student
        .post_form(&format!("/s/alma-school/lessons/{quiz_id}/attempts"), &[])
        .await;
    let attempt_path = res.header("location").to_owned();
    let attempt_id = attempt_path.rsplit('/').next().unwrap().to_owned();
    let res = student
        .post_form(
            &attempt_path,
            &[("q1", "true"), ("q2", "Город у гор."), ("action", "submit")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let page = student.get(&attempt_path).await;
    assert!(
        page.text.contains("id=\"attempt-waiting\""),
        "{}",
        page.text
    );

    let teacher = app.browser();
    teacher
        .sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    let list = teacher
        .get(&format!("/cabinet/lessons/{quiz_id}/attempts"))
        .await;
    assert_eq!(list.status, 200);
    assert!(list.text.contains("dana@mail.kz"), "{}", list.text);
    assert!(list.text.contains("class=\"attempt-waiting\""));
    let review = format!("/cabinet/attempts/{attempt_id}");
    let page = teacher.get(&review).await;
    assert!(page.text.contains("Город у гор."), "{}", page.text);
    assert!(
        page.text.contains("name=\"mark_2\" value=\"\""),
        "{}",
        page.text
    );
    // A word, more than the question's marks, or a comment without marks: refused beside the
    // question, the form as sent, nothing graded.
    for (mark, said) in [
        ("хорошо", "Укажите число от 0 до 1."),
        ("5", "Укажите число от 0 до 1."),
        ("", "Чтобы сохранить комментарий, укажите баллы."),
    ] {
        let res = teacher
            .post_form(&review, &[("mark_2", mark), ("comment_2", "Коротко")])
            .await;
        assert_eq!(res.status, 422, "{mark}: {}", res.text);
        assert!(res.text.contains("id=\"grade-error\""), "{}", res.text);
        assert!(res.text.contains("id=\"mark_2-error\""), "{}", res.text);
        assert!(res.text.contains(said), "{mark}: {}", res.text);
        assert!(res.text.contains(">Коротко</textarea>"), "{}", res.text);
    }
    let api = format!("/api/v1/attempts/{attempt_id}");
    let before = app.call("GET", &api, &owner, None).await.json();
    assert_eq!(before["state"], "submitted");
    let res = teacher
        .post_form(
            &review,
            &[("mark_1", "1"), ("mark_2", "0,5"), ("comment_2", "Коротко")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let after = app.call("GET", &api, &owner, None).await.json();
    assert_eq!(
        (&after["state"], &after["score"]),
        (&json!("graded"), &json!(1.5)),
        "{after}"
    );
    // A comment alone on the auto-graded question keeps its mark.
    let res = teacher
        .post_form(
            &review,
            &[
                ("mark_1", "1"),
                ("comment_1", "Верно"),
                ("mark_2", "0.5"),
                ("comment_2", "Коротко"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let again = app.call("GET", &api, &owner, None).await.json();
    assert_eq!(again["score"], 1.5, "{again}");
    assert_eq!(again["questions"][0]["comment"], "Верно");
    // A mark shown rounded is kept to the ten-millionth when only the comment changes: 1/3 of
    // the essay's mark shows as 0.33.
    let third = json!({ "grades": [{ "slot": 2, "fraction": 0.3333333, "comment": "Коротко" }] });
    let res = app
        .call("POST", &format!("{api}/grades"), &owner, Some(third))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let page = teacher.get(&review).await;
    assert!(
        page.text.contains("name=\"was_mark_2\" value=\"0.33\""),
        "{}",
        page.text
    );
    let shown = [
        ("mark_1", "1"),
        ("was_mark_1", "1"),
        ("comment_1", "Верно"),
        ("was_comment_1", "Верно"),
        ("mark_2", "0.33"),
        ("was_mark_2", "0.33"),
        ("was_comment_2", "Коротко"),
    ];
    let res = teacher
        .post_form(
            &review,
            &[&shown[..], &[("comment_2", "Уже лучше")]].concat(),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let kept = app.call("GET", &api, &owner, None).await.json();
    assert_eq!(kept["questions"][1]["fraction"], 0.3333333, "{kept}");
    assert_eq!(kept["questions"][1]["comment"], "Уже лучше");
    // Another teacher grades the essay meanwhile: a form still showing 0.33 changes nothing
    // and says so beside the question.
    let full = json!({ "grades": [{ "slot": 2, "fraction": 1.0, "comment": "Отлично" }] });
    let res = app
        .call("POST", &format!("{api}/grades"), &owner, Some(full))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let stale = [
        ("mark_2", "0.5"),
        ("was_mark_2", "0.33"),
        ("comment_2", "Уже лучше"),
        ("was_comment_2", "Уже лучше"),
    ];
    let res = teacher.post_form(&review, &stale).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("оценил кто-то другой"), "{}", res.text);
    let after = app.call("GET", &api, &owner, None).await.json();
    assert_eq!(after["questions"][1]["fraction"], 1.0, "{after}");
    assert_eq!(after["questions"][1]["comment"], "Отлично");
    // The student reads the grade and the comment.
    let page = student.get(&attempt_path).await;
    assert!(page.text.contains("2 / 2 (100%)"), "{}", page.text);
    assert!(page.text.contains("Отлично"));
    // A student has no way into the cabinet's pages.
    let res = student.get(&review).await;
    assert_eq!(res.status, 404, "{}", res.text);
    let res = student.post_form(&review, &[("mark_2", "1")]).await;
    assert_eq!(res.status, 404, "{}", res.text);
}
