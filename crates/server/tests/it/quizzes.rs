//! Issue 19, item 3: quizzes. A quiz lesson asks questions of the bank; a student's attempt is
//! timed by the server (its time runs out: it is submitted with what was saved, later answers
//! are refused), graded as Moodle grades, and a passing grade over the attempts completes the
//! lesson and opens the next one of a course that goes in order. Essays wait for a teacher.

use serde_json::{Value, json};

use crate::{
    given,
    harness::{TestApp, error_fields},
    learning::STUDENT_PASSWORD,
};

const GIFT: &str = "\
::Capital:: Столица Казахстана? {=Астана ~Алматы ~Шымкент}

::Sky:: Небо голубое. {T}

::Poet:: Кто написал «Слова назидания»? {=Абай =Абай Кунанбаев#Полное имя}

::Pi:: Число пи с точностью до сотых? {#3.14:0.01}

::Match:: Сопоставьте слова. {=cat -> кошка =dog -> собака}

::Even:: Выберите чётные числа. {~%50%2 ~%50%4 ~%-100%3}
";

/// Imports the six questions above into "Тесты/Основы"; answers their ids in order.
pub(crate) async fn six_questions(app: &TestApp, token: &str) -> Vec<String> {
    let res = app
        .call(
            "POST",
            "/api/v1/question-bank/import",
            token,
            Some(json!({ "format": "gift", "category": "Тесты/Основы", "content": GIFT })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let body = res.json();
    assert_eq!(body["imported"], 6, "{body}");
    body["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A published course that students enrol in themselves, of one quiz lesson asking one
/// true/false question of the bank: (the course's id, the quiz lesson's id).
pub async fn quiz_lesson(app: &TestApp, token: &str) -> (String, String) {
    let q = app
        .call(
            "POST",
            "/api/v1/questions",
            token,
            Some(json!({ "type": "truefalse", "name": "Q", "text": "Земля круглая?", "correct": true })),
        )
        .await;
    assert_eq!(q.status, 201, "{}", q.text);
    let course = given::course(app, token, "Тест")
        .published()
        .self_enrol()
        .module("Модуль")
        .lesson(
            json!({ "title": "Тест", "kind": "quiz", "quiz": { "questions": [q.json()["id"]] } }),
        )
        .create()
        .await;
    (course.id, course.lessons[0].clone())
}

/// The id of the choice (or matching item) whose text is `text`.
fn id_of(list: &Value, text: &str) -> u64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["text"]["text"].as_str().unwrap().trim() == text)
        .unwrap_or_else(|| panic!("no {text} in {list}"))["id"]
        .as_u64()
        .unwrap()
}

/// The right answers to the six questions, as the attempt shows them.
pub(crate) fn right_answers(attempt: &Value) -> Value {
    let qs = attempt["questions"].as_array().unwrap();
    let by_name = |n: &str| qs.iter().find(|q| q["name"] == n).unwrap();
    let slot = |n: &str| by_name(n)["slot"].clone();
    let m = by_name("Match");
    let e = by_name("Even");
    json!({ "answers": [
        { "slot": slot("Capital"), "choices": [id_of(&by_name("Capital")["choices"], "Астана")] },
        { "slot": slot("Sky"), "value": true },
        { "slot": slot("Poet"), "text": "  абай  кунанбаев " },
        { "slot": slot("Pi"), "text": "3,145" },
        { "slot": slot("Match"), "matches": [
            { "item": id_of(&m["items"], "cat"), "choice": id_of(&m["choices"], "кошка") },
            { "item": id_of(&m["items"], "dog"), "choice": id_of(&m["choices"], "собака") },
        ] },
        { "slot": slot("Even"), "choices": [id_of(&e["choices"], "2"), id_of(&e["choices"], "4")] },
    ] })
}

#[tokio::test]
async fn a_timed_quiz_is_submitted_when_time_runs_out_and_passing_opens_the_next_lesson() {
    let app = TestApp::builder()
        .clock("2027-03-01T09:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let ids = six_questions(&app, &owner).await;
    let mut marks = serde_json::Map::new();
    marks.insert(ids[5].clone(), json!(2));
    let quiz = json!({
        "questions": ids, "marks": marks, "time_limit_minutes": 10,
        "attempts": 2, "grading": "highest", "pass_percent": 60,
        "review": { "score": true, "right_answers": true, "feedback": true },
    });
    let course = given::course(&app, &owner, "Казахстан")
        .published()
        .self_enrol()
        .module("Модуль 1")
        .lesson(json!({ "title": "Проверка", "kind": "quiz", "quiz": quiz }))
        .text_lesson("После теста", "Дальше")
        .create()
        .await;
    let (quiz_id, after) = (&course.lessons[0], &course.lessons[1]);
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/courses/{}", course.id),
            &owner,
            Some(json!({ "in_order": true })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    // The editor reads the settings back with the lesson.
    let lesson = app
        .call("GET", &format!("/api/v1/lessons/{quiz_id}"), &owner, None)
        .await
        .json();
    assert_eq!(lesson["kind"], "quiz");
    assert_eq!(lesson["quiz"]["time_limit_minutes"], 10);
    assert_eq!(lesson["quiz"]["marks"][&ids[5]], 2.0);

    let browser = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let student = app
        .token_for("dana@mail.kz", STUDENT_PASSWORD, Some("alma-school"))
        .await;
    let start = format!("/api/v1/quizzes/{quiz_id}/attempts");
    let res = app.call("POST", &start, &student, None).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let first = res.json();
    assert_eq!(first["number"], 1);
    assert_eq!(first["deadline"], "2027-03-01T04:10:00Z");
    assert_eq!(first["max_score"], 7.0);
    assert_eq!(first["questions"].as_array().unwrap().len(), 6);
    // No right answer or fraction shows while it runs; a second start is the same attempt.
    assert!(
        first["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q.get("right_answer").is_none())
    );
    let again = app.call("POST", &start, &student, None).await;
    assert_eq!((again.status, &again.json()["id"]), (200, &first["id"]));
    let id = first["id"].as_str().unwrap();
    let answers = format!("/api/v1/attempts/{id}/answers");

    // Two right answers saved; a bad one is refused whole and changes nothing.
    let right = right_answers(&first);
    let two = json!({ "answers": [right["answers"][0].clone(), right["answers"][1].clone()] });
    let res = app.call("PUT", &answers, &student, Some(two)).await;
    assert_eq!(
        (res.status, res.json()["saved"].clone()),
        (200, json!(2)),
        "{}",
        res.text
    );
    let capital = right["answers"][0]["slot"].clone();
    let bad = json!({ "answers": [
        { "slot": capital, "text": "Астана" }, { "slot": 99, "value": true },
        { "slot": right["answers"][5]["slot"], "choices": [7] },
    ] });
    let res = app.call("PUT", &answers, &student, Some(bad)).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(
        error_fields(&res.json()),
        ["answers[0]", "answers[1].slot", "answers[2]"]
    );
    // Another student of the school cannot touch it.
    given::student(&app, &alma, "erlan@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let other = app
        .token_for("erlan@mail.kz", STUDENT_PASSWORD, Some("alma-school"))
        .await;
    app.call("GET", &format!("/api/v1/attempts/{id}"), &other, None)
        .await
        .problem(404);
    app.call("PUT", &answers, &other, Some(json!({ "answers": [] })))
        .await
        .problem(404);
    app.call(
        "POST",
        &format!("/api/v1/attempts/{id}/submit"),
        &other,
        None,
    )
    .await
    .problem(404);
    let mine = app
        .call("GET", &format!("/api/v1/attempts/{id}"), &student, None)
        .await
        .json();
    assert_eq!(
        mine["state"], "in_progress",
        "untouched by the other student"
    );

    // Eleven minutes later the time has run out: a late answer is refused and the attempt is
    // submitted with the two saved, at its deadline.
    app.advance(0, 0, 11).await;
    let late = app
        .call("PUT", &answers, &student, Some(right.clone()))
        .await;
    assert_eq!(late.status, 409, "{}", late.text);
    let done = app
        .call("GET", &format!("/api/v1/attempts/{id}"), &student, None)
        .await
        .json();
    assert_eq!(done["state"], "graded");
    assert_eq!(done["submitted_at"], "2027-03-01T04:10:00Z");
    assert_eq!(
        (done["score"].clone(), done["passed"].clone()),
        (json!(2.0), json!(false))
    );
    let sky = done["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "Sky")
        .unwrap();
    assert_eq!(
        (
            sky["fraction"].clone(),
            sky["right_answer"]["value"].clone()
        ),
        (json!(1.0), json!(true))
    );
    let locked = browser
        .get(&format!("/s/alma-school/lessons/{after}"))
        .await;
    assert!(
        locked.text.contains("id=\"lesson-locked\""),
        "the lesson after a failed quiz stays closed"
    );

    // The second attempt: every answer right, submitted by the student.
    let res = app.call("POST", &start, &student, None).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let second = res.json();
    assert_eq!(second["number"], 2);
    let id2 = second["id"].as_str().unwrap();
    let res = app
        .call(
            "PUT",
            &format!("/api/v1/attempts/{id2}/answers"),
            &student,
            Some(right_answers(&second)),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app
        .call(
            "POST",
            &format!("/api/v1/attempts/{id2}/submit"),
            &student,
            None,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let graded = res.json();
    assert_eq!(
        (graded["score"].clone(), graded["max_score"].clone()),
        (json!(7.0), json!(7.0))
    );
    assert_eq!(graded["passed"], true);
    let poet = graded["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "Poet")
        .unwrap();
    assert_eq!(poet["feedback"][0]["text"], "Полное имя");
    // Submitting again changes nothing; the lesson after it is open now.
    let res = app
        .call(
            "POST",
            &format!("/api/v1/attempts/{id2}/submit"),
            &student,
            None,
        )
        .await;
    assert_eq!(res.json()["score"], 7.0);
    let open = browser
        .get(&format!("/s/alma-school/lessons/{after}"))
        .await;
    assert!(!open.text.contains("id=\"lesson-locked\""), "{}", open.text);
    // Two attempts were allowed.
    let res = app.call("POST", &start, &student, None).await;
    assert_eq!(res.status, 409, "{}", res.text);
    // The teacher reads both attempts.
    let list = app.call("GET", &start, &owner, None).await.json();
    let scores: Vec<&Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["score"])
        .collect();
    assert_eq!(scores, [&json!(2.0), &json!(7.0)]);
    // Another school sees none of it.
    let beta = given::beta(&app).await;
    app.call(
        "GET",
        &format!("/api/v1/attempts/{id}"),
        &beta.owner_token,
        None,
    )
    .await
    .problem(404);
    app.call("GET", &start, &beta.owner_token, None)
        .await
        .problem(404);
}

#[tokio::test]
async fn an_essay_waits_for_the_teacher_and_bad_settings_are_refused() {
    let app = TestApp::builder()
        .clock("2027-03-01T09:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let res = app
        .call(
            "POST",
            "/api/v1/question-bank/import",
            &owner,
            Some(json!({ "format": "gift", "category": "Эссе", "content":
                "::Essay:: Расскажите о себе. {}\n\n::Sky:: Небо голубое. {T}\n" })),
        )
        .await;
    let ids: Vec<String> = res.json()["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_owned())
        .collect();
    let course = given::course(&app, &owner, "Эссе")
        .published()
        .self_enrol()
        .module("Модуль")
        .text_lesson("Введение", "О курсе")
        .create()
        .await;
    let lessons = format!("/api/v1/courses/{}/lessons", course.id);
    let module = &course.modules[0];
    // Settings the bank cannot satisfy are refused, each beside its field; nothing is made.
    for (quiz, fields) in [
        (json!({ "questions": ["nope"] }), vec!["quiz.questions[0]"]),
        (
            json!({ "questions": [ids[0], ids[0]] }),
            vec!["quiz.questions[1]"],
        ),
        (
            json!({ "questions": [ids[0]], "random": { "category": "Эссе", "count": 1 } }),
            vec!["quiz.random"],
        ),
        (
            json!({ "random": { "category": "Нет такой", "count": 1 } }),
            vec!["quiz.random.category"],
        ),
        (
            json!({ "questions": [ids[0]], "grading": "best", "pass_percent": 101 }),
            vec!["quiz.pass_percent", "quiz.grading"],
        ),
        (json!({}), vec!["quiz.questions"]),
        (
            json!({ "random": { "category": "Эссе", "count": 3 } }),
            vec!["quiz.random.count"],
        ),
        (
            json!({ "random": { "category": "Эссе", "count": 1 }, "marks": { ids[1].clone(): 2 } }),
            vec!["quiz.marks"],
        ),
    ] {
        let body = json!({ "module_id": module, "title": "Эссе", "kind": "quiz", "quiz": quiz });
        let res = app.call("POST", &lessons, &owner, Some(body)).await;
        assert_eq!(res.status, 422, "{quiz}: {}", res.text);
        assert_eq!(error_fields(&res.json()), fields, "{quiz}");
    }
    let res = app
        .call(
            "POST",
            &lessons,
            &owner,
            Some(
                json!({ "module_id": module, "title": "Текст", "quiz": { "questions": [ids[1]] } }),
            ),
        )
        .await;
    assert_eq!(error_fields(&res.json()), ["quiz"]);
    let listed = app.call("GET", &lessons, &owner, None).await.json();
    assert_eq!(
        listed["items"].as_array().unwrap().len(),
        1,
        "only the text lesson"
    );
    // Drawn at random: two from the category, by its path.
    let body = json!({ "module_id": module, "title": "Эссе", "kind": "quiz",
        "quiz": { "random": { "category": "Эссе", "count": 2 }, "pass_percent": 50 } });
    let res = app.call("POST", &lessons, &owner, Some(body)).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let quiz_id = res.json()["id"].as_str().unwrap().to_owned();
    // A change keeps what it does not name; marks per question do not go with a random draw.
    let lesson = format!("/api/v1/lessons/{quiz_id}");
    let res = app
        .call(
            "PATCH",
            &lesson,
            &owner,
            Some(json!({ "quiz": { "attempts": 3 } })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let quiz = res.json()["quiz"].clone();
    assert_eq!(
        (quiz["attempts"].clone(), quiz["pass_percent"].clone()),
        (json!(3), json!(50))
    );
    assert_eq!(
        (quiz["random"]["count"].clone(), quiz["grading"].clone()),
        (json!(2), json!("highest"))
    );
    let res = app
        .call(
            "PATCH",
            &lesson,
            &owner,
            Some(json!({ "quiz": { "marks": { ids[1].clone(): 2 } } })),
        )
        .await;
    assert_eq!(error_fields(&res.json()), ["quiz.marks"]);

    given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let student = app
        .token_for("dana@mail.kz", STUDENT_PASSWORD, Some("alma-school"))
        .await;
    let attempt = app
        .call(
            "POST",
            &format!("/api/v1/quizzes/{quiz_id}/attempts"),
            &student,
            None,
        )
        .await
        .json();
    let qs = attempt["questions"].as_array().unwrap();
    let slot = |n: &str| qs.iter().find(|q| q["name"] == n).unwrap()["slot"].clone();
    let id = attempt["id"].as_str().unwrap();
    let res = app
        .call("PUT", &format!("/api/v1/attempts/{id}/answers"), &student, Some(json!({ "answers": [
            { "slot": slot("Essay"), "text": "Я учусь в Алматы." }, { "slot": slot("Sky"), "value": false },
        ] })))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let grades = format!("/api/v1/attempts/{id}/grades");
    // Nothing to grade while it runs.
    app.call(
        "POST",
        &grades,
        &owner,
        Some(json!({ "grades": [{ "slot": slot("Essay"), "fraction": 1 }] })),
    )
    .await
    .problem(409);
    let submitted = app
        .call(
            "POST",
            &format!("/api/v1/attempts/{id}/submit"),
            &student,
            None,
        )
        .await
        .json();
    assert_eq!(submitted["state"], "submitted");
    assert_eq!(
        (submitted["score"].clone(), submitted["passed"].clone()),
        (Value::Null, Value::Null)
    );
    // A student cannot grade; a teacher's grade out of range is refused.
    app.call(
        "POST",
        &grades,
        &student,
        Some(json!({ "grades": [{ "slot": 1, "fraction": 1 }] })),
    )
    .await
    .problem(403);
    let res = app
        .call(
            "POST",
            &grades,
            &owner,
            Some(json!({ "grades": [{ "slot": slot("Essay"), "fraction": 1.5 }] })),
        )
        .await;
    assert_eq!(error_fields(&res.json()), ["grades[0].fraction"]);
    let res = app
        .call(
            "POST",
            &grades,
            &owner,
            Some(json!({ "grades": [
            { "slot": slot("Essay"), "fraction": 0.8, "comment": "Хорошо, но коротко." },
        ] })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let graded = res.json();
    assert_eq!(graded["state"], "graded");
    // The essay's 0.8 of one mark, and nothing for the wrong true/false: 0.8 of 2 is 40%.
    assert_eq!(
        (graded["score"].clone(), graded["passed"].clone()),
        (json!(0.8), json!(false))
    );
    let seen = app
        .call("GET", &format!("/api/v1/attempts/{id}"), &student, None)
        .await
        .json();
    let essay = seen["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "Essay")
        .unwrap();
    assert_eq!(essay["comment"], "Хорошо, но коротко.");
    // By default a student does not see the right answers.
    assert!(
        essay.get("right_answer").is_none() && seen["questions"][0].get("right_answer").is_none()
    );
    // The staff may regrade any question: full marks pass.
    let res = app
        .call(
            "POST",
            &grades,
            &owner,
            Some(json!({ "grades": [{ "slot": slot("Sky"), "fraction": 1 }] })),
        )
        .await;
    assert_eq!(res.json()["passed"], true, "{}", res.text);
}
